"""`workshop keys` and `workshop verify-document` (offline, with only the published keys)."""

from __future__ import annotations

import io
import json

from click.testing import CliRunner
from pypdf import PdfReader, PdfWriter

from tests.conftest import PASSWORD
from workshop.cli import main


def test_keys_create_rotate_show(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKSHOP_INSTANCE_PATH", str(tmp_path))
    runner = CliRunner()
    first = runner.invoke(main, ["keys", "create"])
    assert first.exit_code == 0, first.output
    assert runner.invoke(main, ["keys", "create"]).exit_code != 0
    rotated = runner.invoke(main, ["keys", "rotate"])
    assert rotated.exit_code == 0
    shown = runner.invoke(main, ["keys", "show"]).output.splitlines()
    old_id, new_id = first.output.split()[1], rotated.output.split()[1]
    assert [line.split()[0] for line in shown] == [old_id, new_id]
    assert shown[1].endswith("active") and not shown[0].endswith("active")


def test_verify_document_offline(app, db, web, make_user, make_donation, tmp_path):
    coordinator = make_user("coordinator")
    donation = make_donation(count=2)
    web.login(coordinator.email, PASSWORD)
    pdf = web.get(f"/donations/{donation.id}/documents/attestation.pdf").get_data()
    document = tmp_path / "attestation.pdf"
    document.write_bytes(pdf)
    keys = tmp_path / "keys.json"
    keys.write_text(json.dumps(web.get("/.well-known/atelier-keys.json").get_json()))
    runner = CliRunner()
    ok = runner.invoke(main, ["verify-document", str(document), "--keys", str(keys)])
    assert ok.exit_code == 0 and ok.output.startswith("VALID"), ok.output

    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(_replace_payload(pdf, lambda p: p.replace("DON-", "XXX-")))
    bad = runner.invoke(main, ["verify-document", str(tampered), "--keys", str(keys)])
    assert bad.exit_code == 1 and "altered" in bad.output

    other = tmp_path / "other-keys.json"
    other.write_text(json.dumps({"keys": []}))
    foreign = runner.invoke(main, ["verify-document", str(document), "--keys", str(other)])
    assert foreign.exit_code == 1 and "INVALID" in foreign.output


def _replace_payload(pdf: bytes, change) -> bytes:
    from workshop.services.documents.pdf import ATTACHMENT_NAME, INFO_KEY, extract_envelope

    envelope = extract_envelope(pdf)
    envelope["payload"] = change(envelope["payload"])
    text = json.dumps(envelope)
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer._root_object["/Names"]["/EmbeddedFiles"]["/Names"].clear()  # noqa: SLF001
    writer.add_attachment(ATTACHMENT_NAME, text.encode())
    writer.add_metadata({INFO_KEY: text})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
