"""Read back a QR code drawn in text with half blocks (the bench console's), with zbar."""

from __future__ import annotations

# Each character is two modules high (upper half, lower half); as on the console, characters are
# drawn light on a dark ground, and nothing is added around them.
_HALVES = {" ": (0, 0), "▀": (1, 0), "▄": (0, 1), "█": (1, 1)}


def decode_text_qr(lines: list[str], scale: int = 6) -> list[str]:
    """The texts zbar decodes from the QR code these lines draw."""
    from PIL import Image  # noqa: PLC0415
    from pyzbar import pyzbar  # noqa: PLC0415

    width, height = max(len(line) for line in lines), len(lines) * 2
    image = Image.new("L", (width * scale, height * scale), 0)
    for row, line in enumerate(lines):
        for col, char in enumerate(line):
            for half, ink in enumerate(_HALVES[char]):
                if ink:
                    box = (col * scale, (2 * row + half) * scale)
                    image.paste(255, (*box, box[0] + scale, box[1] + scale))
    return [found.data.decode() for found in pyzbar.decode(image)]
