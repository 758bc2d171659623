"""Where a file:// printer may write: printer devices, or files inside the configured folder.

Real files, symlinks, real device nodes made with mknod (as root) under pytest's tmp_path, and
/dev/null and /dev/mem (character devices that are no printer); the "secret" file stands for
the server's keys or database.
"""

from __future__ import annotations

import os
import stat

import pytest

from labels.errors import PrinterError, PrinterTargetError, PrinterURIError
from labels.transport import open_printer

JOB = b"\x1b@label\n\x1dV\x00"


@pytest.fixture
def secret(tmp_path):
    """A file outside any printer folder that must never be written."""
    path = tmp_path / "etc" / "passwd"
    path.parent.mkdir()
    path.write_bytes(b"root:x:0:0:root:/root:/bin/bash\n")
    return path


@pytest.fixture
def folder(tmp_path):
    """The printer file folder (WORKSHOP_PRINTER_FILE_DIR)."""
    path = tmp_path / "printers"
    path.mkdir()
    return path


def test_an_ordinary_file_is_refused_naming_the_rule(secret, folder):
    for file_dir in (None, folder):
        with pytest.raises(PrinterURIError, match="must be a printer device"):
            open_printer(f"file://{secret}", file_dir=file_dir)
    with pytest.raises(PrinterURIError, match="none configured"):
        open_printer(f"file://{secret}")
    assert secret.read_bytes().startswith(b"root:x:0:0")


def test_a_missing_name_is_accepted_under_dev_only(tmp_path):
    assert open_printer("file:///dev/usb/lp7").uri == "file:///dev/usb/lp7"  # unplugged
    with pytest.raises(PrinterURIError, match="printer device"):
        open_printer(f"file://{tmp_path}/new-file")


def test_dot_dot_out_of_the_folder_is_refused(secret, folder):
    with pytest.raises(PrinterURIError, match="printer device"):
        open_printer(f"file://{folder}/../etc/passwd", file_dir=folder)


def test_character_devices_that_are_no_printer_are_refused_and_never_opened(tmp_path):
    for path in ("/dev/null", "/dev/mem", "/dev/kmsg", "/dev/tty0"):
        if not os.path.exists(path):
            continue
        with pytest.raises(PrinterTargetError, match="must be a printer device"):
            open_printer(f"file://{path}")
    beside = tmp_path / "null"
    beside.write_bytes(b"")
    with pytest.raises(PrinterURIError, match="printer device"):
        open_printer(f"file://{beside}")


def _node(path, major: int, minor: int):
    if os.geteuid() != 0:
        pytest.skip("mknod needs root (this machine runs the suite as a user)")
    os.mknod(path, 0o600 | stat.S_IFCHR, os.makedev(major, minor))
    return path


@pytest.mark.root
def test_printer_device_numbers_are_accepted_others_are_not(tmp_path):
    for name, major, minor in [("usblp", 180, 0), ("lp", 6, 0), ("ttyS", 4, 64),
                               ("ttyUSB", 188, 0), ("ttyACM", 166, 1), ("rfcomm", 216, 0)]:  # fmt: skip
        node = _node(tmp_path / name, major, minor)
        assert open_printer(f"file://{node}").uri == f"file://{node}"  # a printer device
    # Sent to: usblp's first minor, with no USB printer behind it here, fails as unplugged (a
    # serial or parallel port of this machine could be real: nothing is sent to those).
    printer = open_printer(f"file://{tmp_path / 'usblp'}")
    with pytest.raises(PrinterError) as refused:
        printer.send(JOB)
    assert not isinstance(refused.value, PrinterTargetError), refused.value
    for name, major, minor in [("mem", 1, 1), ("hiddev", 180, 96), ("tty1", 4, 1), ("sg0", 21, 0)]:
        node = _node(tmp_path / name, major, minor)
        with pytest.raises(PrinterTargetError, match="must be a printer device"):
            open_printer(f"file://{node}")


@pytest.mark.root
def test_a_device_swapped_in_after_the_check_is_not_opened(tmp_path):
    node = _node(tmp_path / "lp0", 180, 0)
    printer = open_printer(f"file://{node}")
    node.unlink()
    _node(node, 1, 1)  # now /dev/mem's numbers
    with pytest.raises(PrinterTargetError, match="nothing was written"):
        printer.send(JOB)


def test_a_file_inside_the_folder_is_written(folder):
    target = folder / "lp0"
    target.write_bytes(b"")
    open_printer(f"file://{target}", file_dir=folder).send(JOB)
    assert target.read_bytes() == JOB


def test_a_symlink_swapped_in_after_the_check_is_refused_at_print_time(secret, folder):
    target = folder / "lp0"
    target.write_bytes(b"")
    printer = open_printer(f"file://{target}", file_dir=folder)  # checked: allowed
    target.unlink()
    target.symlink_to(secret)
    with pytest.raises(PrinterURIError, match=f"now leads to {secret}, nothing was written"):
        printer.send(JOB)
    assert secret.read_bytes() == b"root:x:0:0:root:/root:/bin/bash\n"


def test_a_symlinked_folder_inside_the_folder_does_not_lead_out(secret, folder):
    (folder / "etc").symlink_to(secret.parent)
    with pytest.raises(PrinterURIError, match="printer device"):
        open_printer(f"file://{folder}/etc/passwd", file_dir=folder)
