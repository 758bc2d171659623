"""What an overwrite pass writes: zeros, ones, or an AES-256-CTR stream and its complement.

Every pattern can produce the bytes expected at any device offset on demand, so
verification regenerates the same stream from the kept key instead of storing it.
The AES counter is derived from the byte offset, which lets any worker thread fill
any chunk independently.
"""

from __future__ import annotations

import contextlib
import mmap
import os
from dataclasses import dataclass, field

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

_BLOCK = 16  # AES block size: offsets are always sector-aligned, hence block-aligned
_HUGE_PAGE = 2 << 20


def aligned_buffer(size: int) -> mmap.mmap:
    """Return a zeroed, page-aligned buffer usable with O_DIRECT."""
    buf = mmap.mmap(-1, size, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
    if size >= _HUGE_PAGE and hasattr(mmap, "MADV_HUGEPAGE"):
        # Transparent huge pages: pinning a 4 MiB chunk for O_DIRECT takes 2 pages, not
        # 1024, which cut the kernel time of a pass several-fold and raised throughput on
        # loop devices here (benchmarks/wipe.py). Only a hint: without THP nothing changes.
        with contextlib.suppress(OSError):
            buf.madvise(mmap.MADV_HUGEPAGE)
    return buf


@dataclass
class ConstantPattern:
    """The same byte everywhere (zeros or ones); buffers are filled once and reused."""

    name: str
    byte: int

    constant = True

    def fill(self, buf: mmap.mmap, offset: int, length: int) -> None:
        """Write the bytes expected at `offset` into buf[:length]."""
        buf[:length] = bytes([self.byte]) * length


@dataclass
class AesCtrPattern:
    """A keyed AES-256-CTR stream (or its bitwise complement) addressed by device offset."""

    key: bytes = field(default_factory=lambda: os.urandom(32), repr=False)
    iv: int = field(default_factory=lambda: int.from_bytes(os.urandom(16), "big"))
    complement: bool = False

    constant = False

    def __post_init__(self) -> None:
        # Encrypting ones instead of zeros yields the complement of the keystream.
        self._source = b"\xff" if self.complement else b"\x00"
        self._input_bytes = b""

    @property
    def name(self) -> str:
        """Name recorded in the wipe record."""
        return "aes-256-ctr-complement" if self.complement else "aes-256-ctr"

    def complemented(self) -> AesCtrPattern:
        """The same stream, inverted: the second pass on USB flash."""
        return AesCtrPattern(self.key, self.iv, not self.complement)

    def _input(self, length: int) -> memoryview:
        if len(self._input_bytes) < length:
            self._input_bytes = self._source * length
        return memoryview(self._input_bytes)[:length]

    def fill(self, buf: mmap.mmap, offset: int, length: int) -> None:
        """Write the bytes expected at `offset` into buf[:length]."""
        if offset % _BLOCK:
            raise ValueError(f"offset {offset} is not a multiple of {_BLOCK}")
        counter = (self.iv + offset // _BLOCK) % (1 << 128)
        encryptor = Cipher(
            algorithms.AES(self.key), modes.CTR(counter.to_bytes(16, "big"))
        ).encryptor()
        encryptor.update_into(self._input(length), memoryview(buf)[:length])


Pattern = ConstantPattern | AesCtrPattern

ZEROS = ConstantPattern("zeros", 0x00)
ONES = ConstantPattern("ones", 0xFF)


def complement_of(pattern: Pattern) -> Pattern:
    """Return the pattern's bitwise complement (zeros <-> ones, stream <-> inverted stream)."""
    if isinstance(pattern, AesCtrPattern):
        return pattern.complemented()
    return ONES if pattern.byte == 0x00 else ZEROS
