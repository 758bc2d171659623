"""Disk wiping: Clear (overwrite + read-back verification), Purge decisions, journal, records."""
