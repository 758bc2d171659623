"""`atelier-label render` and `profiles`, run in-process and through the console script."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from PIL import Image

from labels.catalogue import MEDIA, PROFILES
from labels.cli import main
from labels.decode import decode_job, read_qr, render_page
from labels.encode import codepage_table

URL = "https://atelier.example.org/d/K7QX-4M2P-R"
LABEL = [
    "--tag",
    "K7QX-4M2P-R",
    "--url",
    URL,
    "--specs",
    "i5-4590 · 8 Go · SSD 240 Go",
    "--grade",
    "A",
    "--wipe-status",
    "passed",
    "--wipe-date",
    "12/11/2026",
]


@pytest.mark.parametrize("qr", ["native", "image"])
def test_render_writes_a_job_whose_qr_reads_back(tmp_path, capsys, qr):
    out = tmp_path / "label.bin"
    argv = ["render", *LABEL, "--profile", "tm-t20ii", "--qr", qr, "-o", str(out)]
    assert main(argv) == 0
    job = out.read_bytes()
    assert (
        f"{out}: {len(job)} bytes, profile tm-t20ii, media 58mm, QR {qr}" in capsys.readouterr().out
    )
    decoded = decode_job(job, codepage_table(PROFILES["tm-t20ii"]))
    assert read_qr(render_page(decoded, 384)) == [URL]
    assert "Effacé le 12/11/2026" in [line.text for line in decoded.lines]


def test_render_png_preview_of_the_die_cut_label(tmp_path):
    png = tmp_path / "label.png"
    argv = ["render", *LABEL, "--profile", "tm-l90", "--media", "50x30", "--png", str(png)]
    assert main(argv) == 0
    image = Image.open(png)
    assert image.size == (MEDIA["50x30"].printable_width, MEDIA["50x30"].printable_height)
    assert read_qr(image) == [URL]


def test_render_to_standard_output(capsysbinary):
    assert main(["render", *LABEL, "--profile", "pos-5890", "-o", "-"]) == 0
    job = capsysbinary.readouterr().out
    assert job.startswith(b"\x1b@") and b"\x1dv0" in job


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--tag", "K7QX 4M2P"], "tag: 'K7QX 4M2P' may only hold"),
        (["--media", "62mm"], "unknown media '62mm'; known media: 58mm, 80mm, 50x30"),
        (["--profile", "tm-t99"], "unknown printer profile 'tm-t99'"),
        (["--profile", "zj-5870", "--qr", "native"], "cannot print native QR"),
        (["--wipe-date", "31/02/2026"], "wipe_date"),
    ],
)
def test_bad_input_exits_2_with_a_message_and_writes_nothing(tmp_path, capsys, extra, message):
    out = tmp_path / "label.bin"
    assert main(["render", *LABEL, *extra, "-o", str(out)]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_profiles_lists_every_profile_and_media(capsys):
    assert main(["profiles"]) == 0
    listing = capsys.readouterr().out
    for name in [*PROFILES, *MEDIA]:
        assert f"  {name} " in listing


def test_console_script_is_installed():
    script = shutil.which("atelier-label") or ".venv/bin/atelier-label"
    if not shutil.which(script):
        pytest.skip("atelier-label console script is not installed in this environment")
    done = subprocess.run([script, "profiles"], capture_output=True, text=True, check=False)
    assert done.returncode == 0
    assert "tm-t20ii" in done.stdout and "50x30" in done.stdout


def test_png_preview_is_a_real_png(tmp_path):
    png = tmp_path / "label.png"
    assert main(["render", *LABEL, "--png", str(png)]) == 0
    with Image.open(io.BytesIO(png.read_bytes())) as image:
        assert image.format == "PNG" and image.width == 384
