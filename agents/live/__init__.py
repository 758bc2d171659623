"""The bench image's program: a PC booted from the stick inventories, wipes and reports itself."""
