"""Hardware inventory of the machine on the bench (sysfs, pyudev, psutil, optional tools)."""
