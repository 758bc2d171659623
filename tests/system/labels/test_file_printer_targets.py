"""Where a file:// printer may write: character devices, or files inside the configured folder.

Real files, symlinks and /dev/null (a real character device) under pytest's tmp_path; the
"secret" file stands for the server's keys or database.
"""

from __future__ import annotations

import os

import pytest

from labels.errors import PrinterURIError
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
        with pytest.raises(PrinterURIError, match="must be a character device"):
            open_printer(f"file://{secret}", file_dir=file_dir)
    with pytest.raises(PrinterURIError, match="none configured"):
        open_printer(f"file://{secret}")
    assert secret.read_bytes().startswith(b"root:x:0:0")


def test_a_missing_name_is_accepted_under_dev_only(tmp_path):
    assert open_printer("file:///dev/usb/lp7").uri == "file:///dev/usb/lp7"  # unplugged
    with pytest.raises(PrinterURIError, match="character device"):
        open_printer(f"file://{tmp_path}/new-file")


def test_dot_dot_out_of_the_folder_is_refused(secret, folder):
    with pytest.raises(PrinterURIError, match="character device"):
        open_printer(f"file://{folder}/../etc/passwd", file_dir=folder)


def test_a_character_device_is_written_a_regular_file_beside_it_is_not(tmp_path):
    assert os.path.exists("/dev/null")
    open_printer("file:///dev/null").send(JOB)  # /dev/null is a character device (1, 3)
    beside = tmp_path / "null"
    beside.write_bytes(b"")
    with pytest.raises(PrinterURIError, match="character device"):
        open_printer(f"file://{beside}")


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
    with pytest.raises(PrinterURIError, match="character device"):
        open_printer(f"file://{folder}/etc/passwd", file_dir=folder)
