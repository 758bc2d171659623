"""Printer connections behind one small interface: `send(job_bytes)` and `close()`.

`open_printer(uri)` understands:
  tcp://HOST[:PORT]      raw TCP (JetDirect, port 9100 by default); socket:// is an alias
  file:///dev/usb/lp0    a printer device (Linux usblp, lp, a serial port), or a file or FIFO inside
                         the folder given as `file_dir` (none by default)
  cups://QUEUE           a CUPS raw queue, through `lp -d QUEUE -o raw`
  usb://VID:PID          USB through python-escpos (pyusb), e.g. usb://04b8:0e15
Each `send` is one whole job; errors are PrinterError subclasses naming the printer.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import socket
import stat
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qs, urlsplit

from labels.errors import (
    N_,
    PaperOutError,
    PrinterBusyError,
    PrinterError,
    PrinterNotFoundError,
    PrinterPermissionError,
    PrinterTargetError,
    PrinterTimeoutError,
    PrinterUnreachableError,
    PrinterURIError,
)

STATUS_PAPER = b"\x10\x04\x04"  # DLE EOT 4: roll paper sensor status
PAPER_END_BITS = 0x60
NEAR_END_BITS = 0x0C
SCHEMES = ("tcp", "socket", "file", "cups", "usb")


@dataclass(frozen=True)
class Timeouts:
    """Seconds allowed to connect, to hand over a job, to answer a status request."""

    connect: float = 5.0
    send: float = 10.0
    status: float = 2.0
    drain: float = 2.0


class Transport(Protocol):
    """Where a job goes: the print queue only needs these two calls."""

    uri: str

    def send(self, data: bytes) -> None:
        """Deliver one whole job or raise a PrinterError."""

    def close(self) -> None:
        """Release what the transport holds (idempotent)."""


def paper_status(byte: int, where: str) -> str:
    """Interpret a DLE EOT 4 reply: 'ok' or 'near-end'; raise PaperOutError when empty."""
    if byte & 0x93 != 0x12:
        raise PrinterError(f"{where}: unexpected status byte 0x{byte:02x} to DLE EOT 4")
    if byte & PAPER_END_BITS:
        raise PaperOutError(f"{where}: out of paper (status 0x{byte:02x}); load a roll")
    return "near-end" if byte & NEAR_END_BITS else "ok"


class NetworkPrinter:
    """Raw TCP printer; one connection per job, optional paper check before sending."""

    def __init__(self, host: str, port: int, timeouts: Timeouts, check_status: bool) -> None:
        self.host, self.port = host, port
        self.uri = f"tcp://{host}:{port}"
        self.timeouts = timeouts
        self.check_status = check_status
        self.last_status: str | None = None

    def _connect(self) -> socket.socket:
        try:
            return socket.create_connection((self.host, self.port), self.timeouts.connect)
        except TimeoutError:
            raise PrinterTimeoutError(
                f"{self.uri}: no answer within {self.timeouts.connect:g} s (printer off, "
                "wrong address or a firewall)"
            ) from None
        except ConnectionRefusedError:
            raise PrinterUnreachableError(
                f"{self.uri}: connection refused, nothing listens on port {self.port}"
            ) from None
        except OSError as exc:
            raise PrinterUnreachableError(f"{self.uri}: cannot connect ({exc})") from None

    def status(self) -> str:
        """Ask the paper sensor (DLE EOT 4); 'ok' or 'near-end', PaperOutError if empty."""
        with self._connect() as sock:
            return self._query(sock)

    def _query(self, sock: socket.socket) -> str:
        sock.settimeout(self.timeouts.status)
        try:
            sock.sendall(STATUS_PAPER)
            reply = sock.recv(1)
        except TimeoutError:
            raise PrinterTimeoutError(
                f"{self.uri}: no answer to the paper status request (DLE EOT 4) within "
                f"{self.timeouts.status:g} s; the printer may not support it"
            ) from None
        except OSError as exc:
            raise PrinterUnreachableError(f"{self.uri}: status request failed ({exc})") from None
        if not reply:
            raise PrinterUnreachableError(f"{self.uri}: closed the connection on status request")
        self.last_status = paper_status(reply[0], self.uri)
        return self.last_status

    def send(self, data: bytes) -> None:
        """Connect, check paper when asked, send the job, wait for the printer to close."""
        with self._connect() as sock:
            if self.check_status:
                self._query(sock)
            sock.settimeout(self.timeouts.send)
            try:
                sock.sendall(data)
            except TimeoutError:
                raise PrinterTimeoutError(
                    f"{self.uri}: printer stopped taking data; {len(data)} bytes not sent "
                    f"within {self.timeouts.send:g} s (paper jam, cover open?)"
                ) from None
            except OSError as exc:
                raise PrinterUnreachableError(
                    f"{self.uri}: connection lost during the job ({exc})"
                ) from None
            self._drain(sock, len(data))

    def _drain(self, sock: socket.socket, size: int) -> None:
        # Half-close, then wait: a printer that resets the connection dropped the job.
        sock.settimeout(self.timeouts.drain)
        try:
            sock.shutdown(socket.SHUT_WR)
            while sock.recv(64):
                pass
        except TimeoutError:
            return  # still open: printers may keep the socket; the data was accepted
        except OSError as exc:
            raise PrinterUnreachableError(
                f"{self.uri}: printer closed the connection before the end of the job "
                f"({size} bytes sent, {exc.strerror or exc})"
            ) from None

    def close(self) -> None:
        """Nothing is held between jobs."""


# Printer character devices, by Linux major number (the kernel's admin-guide/devices.txt), with
# the minors that are printers: parallel ports (/dev/lp*), usblp (/dev/usb/lp0-15), serial ports
# (ttyS*, USB serial ttyUSB*, CDC ACM ttyACM*) and Bluetooth serial (rfcomm*). Other character
# devices (/dev/mem, /dev/null, terminals, disks' sg nodes, /dev/kmsg) are no printer.
PRINTER_DEVICE_MINORS: dict[int, range] = {
    6: range(256),  # lp: parallel printers
    180: range(16),  # usb: usblp, /dev/usb/lp0-15 (other minors: hiddev and such)
    4: range(64, 256),  # ttyS: serial ports (minors 0-63 are virtual consoles)
    188: range(256),  # ttyUSB: USB serial adapters
    166: range(256),  # ttyACM: USB CDC ACM
    216: range(256),  # rfcomm: Bluetooth serial
}


def is_printer_device(status: os.stat_result) -> bool:
    """Whether a stat result is a character device of a printer driver or a serial port."""
    if not stat.S_ISCHR(status.st_mode):
        return False
    minors = PRINTER_DEVICE_MINORS.get(os.major(status.st_rdev))
    return minors is not None and os.minor(status.st_rdev) in minors


class FilePrinter:
    """A printer device such as /dev/usb/lp0, or a file or FIFO inside `file_dir`.

    Anything else is refused, when the URI is checked and again on the opened file right
    before writing: the path may have been replaced (by a symlink to a key or the database)
    since the printer was configured.
    """

    def __init__(self, path: str, file_dir: Path | None = None) -> None:
        self.path = path
        self.uri = f"file://{path}"
        self.file_dir = Path(os.path.realpath(file_dir)) if file_dir else None

    def check_target(self) -> None:
        """Refuse a path that is neither a printer device nor inside `file_dir`."""
        try:
            status = os.stat(self.path)
        except OSError:
            # Not there yet (printer unplugged): a device name, or a name in the folder.
            if os.path.normpath(self.path).startswith("/dev/") or self._inside(
                os.path.realpath(self.path)
            ):
                return
            raise PrinterTargetError(self._rule()) from None
        if is_printer_device(status):
            return
        if stat.S_ISCHR(status.st_mode) or not self._inside(os.path.realpath(self.path)):
            raise PrinterTargetError(self._rule())

    def send(self, data: bytes) -> None:
        """Write the job to the device file, once the opened file is known to be allowed."""
        fd = self._open()
        try:
            self._check_opened(fd)
            os.set_blocking(fd, True)
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
        except OSError as exc:
            raise PrinterUnreachableError(f"{self.uri}: write failed ({exc.strerror})") from None
        finally:
            os.close(fd)

    def _check_opened(self, fd: int) -> None:
        # The file really opened (symlinks resolved by the kernel), not the name checked earlier.
        status = os.fstat(fd)
        if is_printer_device(status):
            return
        opened = os.readlink(f"/proc/self/fd/{fd}")
        allowed = stat.S_ISREG(status.st_mode) or stat.S_ISFIFO(status.st_mode)
        if not (allowed and self._inside(opened)):
            raise PrinterTargetError(
                f"{self._rule()}; it now leads to {opened}, nothing was written"
            )

    def _inside(self, real_path: str) -> bool:
        return self.file_dir is not None and Path(real_path).is_relative_to(self.file_dir)

    def _rule(self) -> str:
        folder = str(self.file_dir) if self.file_dir else "none configured"
        return (
            f"{self.uri}: a device-file printer must be a printer device (/dev/usb/lp0, "
            f"/dev/lp0, a serial port) or a file inside the printer file folder ({folder})"
        )

    def _open(self) -> int:
        # A device that is no printer is not even opened (opening a device may act on it).
        with contextlib.suppress(OSError):
            status = os.stat(self.path)
            if stat.S_ISCHR(status.st_mode) and not is_printer_device(status):
                raise PrinterTargetError(f"{self._rule()}; nothing was written")
        # O_NONBLOCK only for the open: a FIFO without reader fails (ENXIO) instead of hanging.
        try:
            return os.open(self.path, os.O_WRONLY | os.O_NONBLOCK | os.O_NOCTTY)
        except FileNotFoundError:
            raise PrinterNotFoundError(
                f"{self.uri}: no such device file (printer unplugged, or usblp not loaded?)"
            ) from None
        except PermissionError:
            raise PrinterPermissionError(
                f"{self.uri}: permission denied; add the user to the device's group "
                "(usually lp) or install the udev rule (docs/labels.md)"
            ) from None
        except OSError as exc:
            if exc.errno == errno.EBUSY:
                raise PrinterBusyError(
                    f"{self.uri}: device busy, another program holds it"
                ) from None
            if exc.errno == errno.ENXIO:
                raise PrinterUnreachableError(f"{self.uri}: no reader on the other side") from None
            raise PrinterUnreachableError(f"{self.uri}: cannot open ({exc.strerror})") from None

    def close(self) -> None:
        """Nothing is held between jobs."""


class CupsPrinter:
    """A CUPS queue fed raw bytes with `lp -d QUEUE -o raw`."""

    def __init__(self, queue: str, timeout: float, lp_command: str = "lp") -> None:
        self.queue, self.timeout, self.lp_command = queue, timeout, lp_command
        self.uri = f"cups://{queue}"

    def send(self, data: bytes) -> None:
        """Hand the job to CUPS; raise if lp is missing, the queue unknown or lp fails."""
        command = [self.lp_command, "-d", self.queue, "-o", "raw"]
        try:
            done = subprocess.run(
                command, input=data, capture_output=True, timeout=self.timeout, check=False
            )
        except FileNotFoundError:
            raise PrinterNotFoundError(
                f"{self.uri}: command {self.lp_command!r} not found (install cups-client)"
            ) from None
        except subprocess.TimeoutExpired:
            raise PrinterTimeoutError(
                f"{self.uri}: lp did not finish within {self.timeout:g} s"
            ) from None
        if done.returncode != 0:
            message = done.stderr.decode(errors="replace").strip() or f"exit {done.returncode}"
            if "does not exist" in message or "not exist" in message:
                raise PrinterNotFoundError(f"{self.uri}: {message}")
            raise PrinterError(f"{self.uri}: lp failed: {message}")

    def close(self) -> None:
        """Nothing is held between jobs."""


class UsbPrinter:
    """USB printer through python-escpos's Usb class (pyusb, libusb-1.0)."""

    def __init__(self, vendor: int, product: int, timeout: float, endpoints: tuple[int, int]):
        self.vendor, self.product = vendor, product
        self.uri = f"usb://{vendor:04x}:{product:04x}"
        self.timeout_ms = int(timeout * 1000)
        self.in_ep, self.out_ep = endpoints

    def send(self, data: bytes) -> None:
        """Open the device, write the job, release the device."""
        import usb.core
        from escpos.printer import Usb

        printer = Usb(
            self.vendor,
            self.product,
            timeout=self.timeout_ms,
            in_ep=self.in_ep,
            out_ep=self.out_ep,
        )
        try:
            self._open(printer)
            printer._raw(data)
        except usb.core.USBError as exc:
            raise self._translate(exc) from None
        finally:
            printer.close()

    def _open(self, printer: Any) -> None:
        from escpos.exceptions import DeviceNotFoundError

        try:
            printer.open()
        except DeviceNotFoundError as exc:
            # python-escpos wraps pyusb's error; the original is its context.
            cause = exc.__context__
            raise (
                self._translate(cause)
                if cause is not None
                else PrinterNotFoundError(
                    f"{self.uri}: no such USB device (plugged in? `lsusb` lists it?)"
                )
            ) from None

    def _translate(self, exc: BaseException) -> PrinterError:
        code = getattr(exc, "errno", None) or getattr(exc, "backend_error_code", None)
        name = type(exc).__name__
        if code in (errno.EBUSY, -6) or "busy" in str(exc).lower():
            return PrinterBusyError(
                f"{self.uri}: USB device busy (another program or driver holds it)"
            )
        if code in (errno.EACCES, -3):
            return PrinterPermissionError(
                f"{self.uri}: access denied; install the udev rule (docs/labels.md)"
            )
        if "Timeout" in name or code in (errno.ETIMEDOUT, -7):
            return PrinterTimeoutError(
                f"{self.uri}: USB write timed out after {self.timeout_ms} ms"
            )
        if isinstance(exc, AssertionError):
            return PrinterNotFoundError(
                f"{self.uri}: no such USB device (plugged in? `lsusb` lists it?)"
            )
        return PrinterUnreachableError(f"{self.uri}: USB error ({exc})")

    def close(self) -> None:
        """Nothing is held between jobs."""


def open_printer(
    uri: str,
    timeouts: Timeouts | None = None,
    check_status: bool = False,
    file_dir: Path | None = None,
) -> Transport:
    """A transport for `uri`; checks the URI only, nothing is opened until `send`.

    A file:// target must be a printer device, or a file inside `file_dir` when given.
    """
    timeouts = timeouts or Timeouts()
    parts = urlsplit(uri)
    scheme = parts.scheme.lower()
    if scheme in ("tcp", "socket"):
        if not parts.hostname:
            raise PrinterURIError.of(
                N_("%(uri)s: missing host, e.g. tcp://192.168.1.50:9100"), uri=repr(uri)
            )
        try:
            port = parts.port or 9100
        except ValueError:
            raise PrinterURIError.of(
                N_("%(uri)s: the port must be a number 1-65535"), uri=repr(uri)
            ) from None
        return NetworkPrinter(parts.hostname, port, timeouts, check_status)
    if check_status:
        raise PrinterURIError.of(
            N_("%(uri)s: paper status (DLE EOT 4) is only read over tcp://"), uri=repr(uri)
        )
    if scheme == "file":
        if not parts.path.startswith("/") or parts.netloc:
            raise PrinterURIError.of(
                N_("%(uri)s: use an absolute path, e.g. file:///dev/usb/lp0"), uri=repr(uri)
            )
        printer = FilePrinter(parts.path, file_dir)
        printer.check_target()
        return printer
    if scheme == "cups":
        if not re.fullmatch(r"[A-Za-z0-9_.-]{1,127}", parts.netloc) or parts.path not in ("", "/"):
            raise PrinterURIError.of(
                N_("%(uri)s: expected cups://QUEUE (letters, digits, _ . -)"), uri=repr(uri)
            )
        return CupsPrinter(parts.netloc, timeouts.send)
    if scheme == "usb":
        return _usb_printer(uri, parts.netloc, parts.query, timeouts)
    raise PrinterURIError.of(
        N_("%(uri)s: unknown scheme; use one of %(schemes)s"),
        uri=repr(uri),
        schemes=", ".join(SCHEMES),
    )


def _usb_printer(uri: str, ids: str, query: str, timeouts: Timeouts) -> UsbPrinter:
    match = re.fullmatch(r"([0-9a-fA-F]{4}):([0-9a-fA-F]{4})", ids)
    if not match:
        raise PrinterURIError.of(
            N_("%(uri)s: expected usb://VID:PID in hex, e.g. usb://04b8:0e15"), uri=repr(uri)
        )
    options = {k: v[-1] for k, v in parse_qs(query).items()}
    unknown = set(options) - {"in_ep", "out_ep"}
    if unknown:
        raise PrinterURIError.of(
            N_("%(uri)s: unknown option %(option)s"), uri=repr(uri), option=repr(sorted(unknown)[0])
        )
    try:
        endpoints = (int(options.get("in_ep", "0x82"), 0), int(options.get("out_ep", "0x01"), 0))
    except ValueError:
        raise PrinterURIError.of(
            N_("%(uri)s: endpoints must be numbers, e.g. out_ep=0x01"), uri=repr(uri)
        ) from None
    return UsbPrinter(int(match[1], 16), int(match[2], 16), timeouts.send, endpoints)
