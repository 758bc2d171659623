"""Printer URIs: what each one opens, and clear errors for malformed ones."""

from __future__ import annotations

import pytest

from labels.errors import (
    PaperOutError,
    PrinterBusyError,
    PrinterError,
    PrinterPermissionError,
    PrinterTimeoutError,
    PrinterUnreachableError,
    PrinterURIError,
)
from labels.transport import (
    CupsPrinter,
    FilePrinter,
    NetworkPrinter,
    Timeouts,
    UsbPrinter,
    open_printer,
    paper_status,
)


def test_uris_map_to_transports():
    network = open_printer("tcp://192.168.1.50")
    assert isinstance(network, NetworkPrinter) and network.port == 9100
    assert open_printer("socket://printer.local:9101").uri == "tcp://printer.local:9101"
    assert isinstance(open_printer("file:///dev/usb/lp0"), FilePrinter)
    cups = open_printer("cups://Etiquettes_58")
    assert isinstance(cups, CupsPrinter) and cups.queue == "Etiquettes_58"
    usb = open_printer("usb://04b8:0E15?out_ep=0x02")
    assert isinstance(usb, UsbPrinter)
    assert (usb.vendor, usb.product, usb.in_ep, usb.out_ep) == (0x04B8, 0x0E15, 0x82, 0x02)


@pytest.mark.parametrize(
    ("uri", "message"),
    [
        ("tcp://", "missing host"),
        ("tcp://printer:99999", "port must be a number"),
        ("lpd://printer/queue", "unknown scheme; use one of tcp, socket, file, cups, usb"),
        ("file://dev/usb/lp0", "absolute path"),
        ("cups://queue/with/slash", "expected cups://QUEUE"),
        ("usb://04b8", "expected usb://VID:PID"),
        ("usb://04b8:0e15?speed=9", "unknown option 'speed'"),
        ("usb://04b8:0e15?out_ep=two", "endpoints must be numbers"),
    ],
)
def test_malformed_uris_are_refused(uri, message):
    with pytest.raises(PrinterURIError, match=message):
        open_printer(uri)


def test_status_check_is_only_for_network_printers():
    with pytest.raises(PrinterURIError, match="only read over tcp://"):
        open_printer("file:///dev/usb/lp0", check_status=True)


@pytest.mark.parametrize(("byte", "state"), [(0x12, "ok"), (0x1E, "near-end")])
def test_paper_status_bytes(byte, state):
    assert paper_status(byte, "p") == state


def test_paper_end_and_garbage_status():
    with pytest.raises(PaperOutError):
        paper_status(0x72, "p")
    with pytest.raises(PrinterError, match="unexpected status byte 0xff"):
        paper_status(0xFF, "p")


@pytest.mark.parametrize(
    ("error", "expected", "message"),
    [
        (("Resource busy", -6, 16), PrinterBusyError, "USB device busy"),
        (("Access denied (insufficient permissions)", -3, 13), PrinterPermissionError, "udev"),
        (("Pipe error", -9, 32), PrinterUnreachableError, "USB error"),
    ],
)
def test_pyusb_errors_become_named_printer_errors(error, expected, message):
    import usb.core

    translated = open_printer("usb://0416:5011")._translate(usb.core.USBError(*error))
    assert isinstance(translated, expected) and message in str(translated)


def test_pyusb_timeout_becomes_a_timeout():
    import usb.core

    printer = open_printer("usb://0416:5011", Timeouts(send=1.5))
    translated = printer._translate(usb.core.USBTimeoutError("Operation timed out", -7, 110))
    assert isinstance(translated, PrinterTimeoutError) and "1500 ms" in str(translated)
