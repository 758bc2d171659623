"""PNG previews: of the layout, or of an encoded job decoded back byte by byte."""

from __future__ import annotations

import io

from PIL import Image

from labels.catalogue import Media, PrinterProfile
from labels.decode import decode_job, render_page
from labels.encode import codepage_table


def job_image(job: bytes, profile: PrinterProfile, media: Media) -> Image.Image:
    """What the paper would show for `job`, rebuilt by the ESC/POS decoder."""
    return render_page(decode_job(job, codepage_table(profile)), media.printable_width)


def job_preview_png(job: bytes, profile: PrinterProfile, media: Media) -> bytes:
    """`job_image` as PNG bytes."""
    buffer = io.BytesIO()
    job_image(job, profile, media).save(buffer, format="PNG")
    return buffer.getvalue()
