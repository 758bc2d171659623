"""One chunk's synchronous I/O: retries, locating the first failing LBA, comparing.

Both pass engines (threads and native AIO) fall back to these when a chunk fails:
the chunk is retried whole, then replayed sector by sector so the error names
the first LBA that keeps failing. Comparison uses libc's memcmp on the buffers
(no copy, GIL released): slicing an mmap copies, which capped verification at
well under the device's read rate.
"""

from __future__ import annotations

import ctypes
import errno
import mmap
import os

from agents.wipe.aio import buffer_address
from agents.wipe.errors import VerificationMismatch, WipeError, WipeIOError

RETRIES = 2

_memcmp = ctypes.CDLL(None).memcmp
_memcmp.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t]
_memcmp.restype = ctypes.c_int


def errno_name(exc: OSError) -> str:
    """Symbolic name of an OSError's errno (EIO, ENOSPC...)."""
    return errno.errorcode.get(exc.errno or 0, str(exc.errno))


_IO_CODES = {"write": "wipe.write_failed", "read": "wipe.read_failed", "flush": "wipe.flush_failed"}


def io_error(exc: OSError, *, lba: int | None, operation: str) -> WipeIOError:
    """A WipeIOError for `exc` that happened during `operation` (write, read or flush)."""
    from atelier_protocol.reasons import say  # noqa: PLC0415

    error = str(exc.strerror or exc)
    said = say(_IO_CODES[operation], error=error, **({} if lba is None else {"lba": lba}))
    return WipeIOError(
        said.english(), lba=lba, operation=operation, errno_name=errno_name(exc), said=said
    )


def _pwrite_all(fd: int, view: memoryview, offset: int) -> None:
    done = 0
    while done < len(view):
        written = os.pwrite(fd, view[done:], offset + done)
        if written <= 0:
            raise OSError(errno.ENOSPC, "device accepted no more data")
        done += written


def _pread_all(fd: int, view: memoryview, offset: int) -> None:
    done = 0
    while done < len(view):
        count = os.preadv(fd, [view[done:]], offset + done)
        if count <= 0:
            raise OSError(errno.EIO, "unexpected end of device")
        done += count


def retry(fd: int, view: memoryview, offset: int, write: bool) -> OSError | None:
    """Do the I/O, up to RETRIES more times; return the last error if it never succeeded."""
    last: OSError | None = None
    for _ in range(RETRIES + 1):
        try:
            (_pwrite_all if write else _pread_all)(fd, view, offset)
            return None
        except OSError as exc:
            last = exc
    return last


def locate_failure(
    fd: int, view: memoryview, offset: int, sector: int, write: bool
) -> WipeIOError | None:
    """Replay a failed chunk sector by sector; return the error at the first bad LBA."""
    for rel in range(0, len(view), sector):
        exc = retry(fd, view[rel : rel + sector], offset + rel, write)
        if exc is not None:
            lba = (offset + rel) // sector
            op = "write" if write else "read"
            return io_error(exc, lba=lba, operation=op)
    return None  # the chunk went through sector by sector: a transient error


def io_chunk(fd: int, view: memoryview, offset: int, sector: int, write: bool) -> WipeError | None:
    """Write or read one chunk with retries; a hard failure names its first failing LBA."""
    if retry(fd, view, offset, write) is None:
        return None
    return locate_failure(fd, view, offset, sector, write)


def _first_mismatch(got: memoryview, want: memoryview, offset: int, sector: int) -> int:
    for rel in range(0, len(got), sector):
        if got[rel : rel + sector] != want[rel : rel + sector]:
            return (offset + rel) // sector
    return offset // sector


def compare(
    got: mmap.mmap, want: mmap.mmap, offset: int, length: int, sector: int
) -> VerificationMismatch | None:
    """Compare got[:length] (read at device `offset`) with the expected bytes."""
    if _memcmp(buffer_address(got), buffer_address(want), length) == 0:
        return None
    with memoryview(got) as g, memoryview(want) as w:
        lba = _first_mismatch(g[:length], w[:length], offset, sector)
    from atelier_protocol.reasons import say  # noqa: PLC0415

    said = say("wipe.mismatch", lba=lba)
    return VerificationMismatch(said.english(), lba=lba, said=said)
