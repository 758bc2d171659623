"""`atelier-label print` against the simulated network printer."""

from __future__ import annotations

from labels.catalogue import PROFILES
from labels.cli import main
from labels.decode import decode_job, read_qr, render_page
from labels.encode import codepage_table

URL = "https://atelier.example.org/d/K7QX-4M2P-R"
LABEL = ["--tag", "K7QX-4M2P-R", "--url", URL, "--grade", "B", "--profile", "sunmi-v2"]


def test_print_sends_the_job(fake_printer, capsys):
    printer = fake_printer()
    assert main(["print", *LABEL, "--printer", printer.uri, "--check-status"]) == 0
    printer.close()
    assert f"to {printer.uri}" in capsys.readouterr().out
    job = bytes(printer.received)[3:]  # after the DLE EOT 4 status request
    page = render_page(decode_job(job, codepage_table(PROFILES["sunmi-v2"])), 384)
    assert read_qr(page) == [URL]


def test_bad_input_sends_nothing(fake_printer, capsys):
    printer = fake_printer()
    too_long = "https://atelier.example.org/d/" + "k" * 171
    assert main(["print", *LABEL[:2], "--url", too_long, "--printer", printer.uri]) == 2
    assert "url: must be at most 200 characters" in capsys.readouterr().err
    printer.close()
    assert printer.jobs == 0 and printer.received == b""


def test_unreachable_printer_exits_1(free_port, capsys):
    uri = f"tcp://127.0.0.1:{free_port}"
    assert main(["print", *LABEL, "--printer", uri, "--timeout", "1"]) == 1
    assert "connection refused" in capsys.readouterr().err


def test_paper_out_exits_1(fake_printer, capsys):
    printer = fake_printer(status_reply=0x72)
    assert main(["print", *LABEL, "--printer", printer.uri, "--check-status"]) == 1
    assert "out of paper" in capsys.readouterr().err


def test_a_file_printer_needs_the_folder_given_with_file_dir(tmp_path, capsys):
    target = tmp_path / "lp0"
    target.write_bytes(b"")
    assert main(["print", *LABEL, "--printer", f"file://{target}"]) != 0
    assert "must be a printer device" in capsys.readouterr().err
    assert target.read_bytes() == b""
    assert (
        main(["print", *LABEL, "--printer", f"file://{target}", "--file-dir", str(tmp_path)]) == 0
    )
    assert target.read_bytes().startswith(b"\x1b@")
