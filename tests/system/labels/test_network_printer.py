"""Jobs sent over real sockets to a simulated 9100 printer, and every way it can fail."""

from __future__ import annotations

import socket
from datetime import date

import pytest

from labels.catalogue import MEDIA, PROFILES
from labels.data import LabelData, WipeStatus
from labels.decode import decode_job, read_qr, render_page
from labels.encode import QrMode, codepage_table, encode_job
from labels.errors import PaperOutError, PrinterTimeoutError, PrinterUnreachableError
from labels.transport import Timeouts, open_printer

from .conftest import STATUS_REQUEST

URL = "https://atelier.example.org/d/K7QX-4M2P-R"
FAST = Timeouts(connect=1.0, send=1.0, status=0.5, drain=1.0)


def job(mode: QrMode = QrMode.NATIVE, profile: str = "tm-t20ii") -> bytes:
    label = LabelData(
        "K7QX-4M2P-R",
        URL,
        "i5-4590 · 8 Go · SSD 240 Go",
        "B",
        WipeStatus.PASSED,
        date(2026, 11, 12),
    )
    return encode_job(label, PROFILES[profile], MEDIA["58mm"], mode)


@pytest.mark.parametrize("mode", list(QrMode))
def test_the_printer_receives_the_job_and_its_qr_reads_back(fake_printer, mode):
    printer = fake_printer()
    data = job(mode)
    open_printer(printer.uri, FAST).send(data)
    printer.close()
    assert bytes(printer.received) == data
    decoded = decode_job(bytes(printer.received), codepage_table(PROFILES["tm-t20ii"]))
    assert read_qr(render_page(decoded, 384)) == [URL]


def test_status_checked_before_the_job(fake_printer):
    printer = fake_printer(status_reply=0x12 | 0x0C)  # paper near end: still prints
    transport = open_printer(printer.uri, FAST, check_status=True)
    data = job()
    transport.send(data)
    printer.close()
    assert bytes(printer.received) == STATUS_REQUEST + data
    assert transport.last_status == "near-end"


def test_paper_out_stops_before_any_job_byte(fake_printer):
    printer = fake_printer(status_reply=0x72)
    with pytest.raises(PaperOutError, match="out of paper"):
        open_printer(printer.uri, FAST, check_status=True).send(job())
    printer.close()
    assert bytes(printer.received) == STATUS_REQUEST


def test_status_never_answered_is_a_timeout(fake_printer):
    printer = fake_printer(status_reply=None)
    with pytest.raises(PrinterTimeoutError, match=r"no answer to the paper status request"):
        open_printer(printer.uri, FAST, check_status=True).send(job())


def test_printer_closing_mid_job_is_reported(fake_printer):
    printer = fake_printer(close_after=64)
    data = job(QrMode.IMAGE)
    with pytest.raises(PrinterUnreachableError, match="before the end of the job"):
        open_printer(printer.uri, FAST).send(data)
    printer.close()
    assert 64 <= len(printer.received) < len(data)


def test_nothing_listening_is_unreachable(free_port):
    with pytest.raises(PrinterUnreachableError, match=f"nothing listens on port {free_port}"):
        open_printer(f"tcp://127.0.0.1:{free_port}", FAST).send(job())


def test_connect_timeout_when_the_printer_never_accepts():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(0)
        port = server.getsockname()[1]
        # One pending connection fills a zero backlog; the next SYN goes unanswered.
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            transport = open_printer(f"tcp://127.0.0.1:{port}", Timeouts(connect=0.3))
            with pytest.raises(PrinterTimeoutError, match="no answer within 0.3 s"):
                transport.send(job())


def test_send_timeout_when_the_printer_stops_reading(fake_printer):
    printer = fake_printer(never_read=True)
    stalled = open_printer(printer.uri, Timeouts(connect=1, send=0.3))
    with pytest.raises(PrinterTimeoutError, match="printer stopped taking data"):
        stalled.send(b"\x00" * (64 << 20))
