"""Device-file (FIFO standing in for /dev/usb/lp0) and CUPS (`lp`) transports, for real."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from labels.errors import (
    PrinterError,
    PrinterNotFoundError,
    PrinterPermissionError,
    PrinterTimeoutError,
    PrinterUnreachableError,
)
from labels.transport import CupsPrinter, open_printer

JOB = b"\x1b@\x1bt\x13Effac\x82\n\x1dV\x00"


def test_file_transport_streams_the_job_through_a_fifo(tmp_path):
    fifo = tmp_path / "lp0"
    os.mkfifo(fifo)
    got = bytearray()

    def reader() -> None:
        with open(fifo, "rb") as stream:
            got.extend(stream.read())

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    transport = open_printer(f"file://{fifo}", file_dir=tmp_path)
    # The reader must have the FIFO open before the writer's non-blocking open.
    for _ in range(200):
        try:
            transport.send(JOB)
            break
        except PrinterUnreachableError:
            threading.Event().wait(0.01)
    thread.join(timeout=5)
    assert bytes(got) == JOB


def test_fifo_without_reader_is_unreachable_not_a_hang(tmp_path):
    fifo = tmp_path / "lp0"
    os.mkfifo(fifo)
    with pytest.raises(PrinterUnreachableError, match="no reader"):
        open_printer(f"file://{fifo}", file_dir=tmp_path).send(JOB)


def test_missing_device_file_is_not_found(tmp_path):
    with pytest.raises(PrinterNotFoundError, match="no such device file"):
        open_printer(f"file://{tmp_path}/lp9", file_dir=tmp_path).send(JOB)
    assert not (tmp_path / "lp9").exists(), "the transport must not create the device file"


def test_unwritable_device_file_names_the_fix(tmp_path):
    device = tmp_path / "lp0"
    device.write_bytes(b"")
    device.chmod(0)
    if os.geteuid() != 0:
        with pytest.raises(PrinterPermissionError, match="udev rule"):
            open_printer(f"file://{device}", file_dir=tmp_path).send(JOB)
        return
    # Root bypasses file modes through CAP_DAC_OVERRIDE: send from a child process whose
    # capability bounding set lacks it, as a bench agent confined by systemd would.
    code = (
        "import sys\n"
        "from labels import open_printer\n"
        "from labels.errors import PrinterPermissionError\n"
        "try:\n"
        "    open_printer(sys.argv[1], file_dir=sys.argv[2]).send(b'x')\n"
        "except PrinterPermissionError as exc:\n"
        "    print('refused:', exc)\n"
    )
    result = subprocess.run(
        [
            "setpriv",
            "--bounding-set=-dac_override,-dac_read_search",
            sys.executable,
            "-c",
            code,
            f"file://{device}",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.startswith("refused:") and "udev rule" in result.stdout, result
    assert device.read_bytes() == b""


def fake_lp(tmp_path: Path, body: str) -> str:
    """An `lp` stand-in: a real executable that records its arguments and input."""
    script = tmp_path / "lp"
    script.write_text(f"#!/bin/sh\n{body}\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return str(script)


def test_cups_transport_runs_lp_raw_with_the_job_on_stdin(tmp_path):
    lp = fake_lp(tmp_path, f'echo "$@" > {tmp_path}/args; cat > {tmp_path}/job')
    CupsPrinter("etiquettes", 5, lp).send(JOB)
    assert (tmp_path / "args").read_text().split() == ["-d", "etiquettes", "-o", "raw"]
    assert (tmp_path / "job").read_bytes() == JOB


def test_cups_unknown_queue_is_not_found(tmp_path):
    lp = fake_lp(tmp_path, 'echo "lp: The printer or class does not exist." >&2; exit 1')
    with pytest.raises(PrinterNotFoundError, match="does not exist"):
        CupsPrinter("nope", 5, lp).send(JOB)


def test_cups_other_failure_carries_lp_message(tmp_path):
    lp = fake_lp(tmp_path, 'echo "lp: Unable to connect to server" >&2; exit 1')
    with pytest.raises(PrinterError, match="Unable to connect to server"):
        CupsPrinter("etiquettes", 5, lp).send(JOB)


def test_cups_hanging_lp_times_out(tmp_path):
    lp = fake_lp(tmp_path, "exec sleep 30")
    with pytest.raises(PrinterTimeoutError, match="did not finish within 0.3 s"):
        CupsPrinter("etiquettes", 0.3, lp).send(JOB)


def test_missing_lp_command_says_what_to_install(tmp_path):
    with pytest.raises(PrinterNotFoundError, match="install cups-client"):
        CupsPrinter("etiquettes", 5, str(tmp_path / "no-lp")).send(JOB)


def test_usb_device_that_is_not_there_is_not_found():
    with pytest.raises(PrinterNotFoundError, match="usb://dead:beef: no such USB device"):
        open_printer("usb://dead:beef").send(JOB)
