"""Patterns: the AES-CTR stream is addressable by offset, complements invert every bit."""

from __future__ import annotations

from agents.wipe.patterns import ONES, ZEROS, AesCtrPattern, aligned_buffer, complement_of

SIZE = 1 << 20


def filled(pattern, offset: int, length: int) -> bytes:
    buf = aligned_buffer(length)
    pattern.fill(buf, offset, length)
    return bytes(buf[:length])


def test_aes_stream_chunks_regenerate_the_same_bytes_at_any_offset():
    pattern = AesCtrPattern()
    whole = filled(pattern, 0, SIZE)
    assert filled(pattern, 4096, 8192) == whole[4096 : 4096 + 8192]
    assert filled(pattern, SIZE - 512, 512) == whole[-512:]
    assert whole.count(0) < SIZE // 100


def test_two_keys_give_different_streams_and_the_complement_inverts_every_bit():
    first, second = AesCtrPattern(), AesCtrPattern()
    assert filled(first, 0, 4096) != filled(second, 0, 4096)
    plain, inverted = filled(first, 512, 4096), filled(first.complemented(), 512, 4096)
    assert all(a ^ b == 0xFF for a, b in zip(plain, inverted, strict=True))


def test_constant_patterns_and_their_complements():
    assert filled(ZEROS, 0, 4096) == bytes(4096)
    assert filled(ONES, 0, 4096) == b"\xff" * 4096
    assert complement_of(ZEROS) is ONES and complement_of(ONES) is ZEROS
