"""The PDF itself is signed (PAdES): a genuine certificate passes verify_pdf, `workshop
verify-document`, the /verify upload, the API and poppler's pdfsig; a changed byte, an appended
revision or an envelope pasted into another PDF fails all of them; the envelope is bound to its
file (key generation and document); rotation and keys made before PDF signing keep working."""

from __future__ import annotations

import base64
import io
import json
import re
import shutil
import subprocess
from html import unescape
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ContentStream, NameObject
from sqlmodel import select

from tests.conftest import PASSWORD
from workshop.cli import main
from workshop.models import Donation, IssuedDocument

PDFSIG = "/usr/bin/pdfsig"


def _ring(app):
    from workshop.services.signing import KeyRing

    settings = app.config["WORKSHOP"]
    return KeyRing(settings.instance_path / "keys", settings.workshop_name)


@pytest.fixture
def certificate(app, db, web, make_org, make_user, make_bench, tested_devices, send_wipe):
    """An erasure certificate as the donor downloads it: one drive erased, one failed."""
    donor = make_org("collectivite", "Mairie de Lannion")
    ok, bad = tested_devices(donor=donor, count=2)
    bench, _ = make_bench("Établi Sud")
    send_wipe(bench, ok, serial="S3ZPADES01", model="Samsung SSD 860 EVO 500GB")
    send_wipe(bench, bad, serial="WDPADES002", model="WDC WD5000AAKX", status="failed")
    coordinator = make_user("coordinator")
    assert web.login(coordinator.email, PASSWORD).status_code == 302
    donation = db.get(Donation, ok.donation_id)
    response = web.get(f"/donations/{donation.id}/documents/erasure.pdf")
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    db.commit()  # end the test session's read transaction: it now sees the issued document
    return response.get_data()


def _envelope(data: bytes) -> dict:
    from workshop.services.documents.pdf import extract_envelope

    envelope = extract_envelope(data)
    assert envelope is not None
    return envelope


def _uid(data: bytes) -> str:
    return json.loads(_envelope(data)["payload"])["document"]["uid"]


def _upload(web, data: bytes, lang: str = "fr") -> str:
    response = web.post(
        f"/verify?lang={lang}",
        data={"document": (io.BytesIO(data), "doc.pdf"), "csrf_token": web.csrf("/verify")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response.get_data(as_text=True)


def _verdict(html: str) -> tuple[str, str]:
    match = re.search(r'data-verdict="(\w+)">([^<]*)<', html)
    assert match, html[:500]
    return match.group(1), match.group(2)


def _cli(web, data: bytes, folder: Path):
    document, keys = folder / "document.pdf", folder / "keys.json"
    document.write_bytes(data)
    keys.write_text(json.dumps(web.get("/.well-known/atelier-keys.json").get_json()))
    return CliRunner().invoke(main, ["verify-document", str(document), "--keys", str(keys)])


def _pdfsig(data: bytes, folder: Path) -> tuple[int, str]:
    path = folder / "pdfsig.pdf"
    path.write_bytes(data)
    done = subprocess.run([PDFSIG, str(path)], capture_output=True, text=True, timeout=60)
    return done.returncode, done.stdout + done.stderr


def _pdfsig_accepts(code: int, output: str) -> bool:
    """pdfsig found one signature, valid, covering the whole file (the signer stays untrusted)."""
    return (
        code == 0
        and output.count("Signature #") == 1
        and "- Total document signed" in output
        and "Signature Validation: Signature is Valid." in output
    )


def _api(api, data: bytes) -> dict:
    body = {"pdf": base64.b64encode(data).decode()}
    response = api("POST", "/api/v1/documents/pdf-verification", json=body)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_a_genuine_certificate_passes_every_checker(app, db, web, api, certificate, tmp_path):
    from workshop.services import documents as doc_service

    verdict = doc_service.verify_pdf(db, _ring(app), certificate)
    assert verdict.status == "valid", verdict.reason
    assert verdict.document.uid == _uid(certificate)

    ran = _cli(web, certificate, tmp_path)
    assert ran.exit_code == 0 and ran.output.startswith("VALID"), ran.output
    assert "PDF signed whole" in ran.output

    html = _upload(web, certificate)
    assert _verdict(html) == (
        "valid",
        "Le PDF et son contenu signé sont intacts et signés par l&#39;atelier.",
    )
    assert _api(api, certificate)["status"] == "valid"

    code, output = _pdfsig(certificate, tmp_path)
    assert _pdfsig_accepts(code, output), output
    assert "Mairie" not in output and "Signature Type: ETSI.CAdES.detached" in output
    assert f"serialNumber={_envelope(certificate)['key_id']}" in output


def test_the_signature_names_the_document_and_its_signed_payload(app, db, certificate):
    from pyhanko.pdf_utils.reader import PdfFileReader

    from workshop.services.signing import payload_digest

    (signature,) = PdfFileReader(io.BytesIO(certificate)).embedded_signatures
    document = db.exec(select(IssuedDocument).where(IssuedDocument.uid == _uid(certificate))).one()
    reason = str(signature.sig_object["/Reason"])
    assert document.uid in reason and payload_digest(document.payload) in reason
    # The envelope sits inside the signed bytes: the PDF signature's range starts at byte 0.
    assert list(signature.byte_range)[0] == 0
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"


def _flip_a_content_byte(data: bytes) -> bytes:
    """One byte of page 1's content stream changed in place (same length, offsets intact)."""
    page = PdfReader(io.BytesIO(data)).pages[0]
    number = page.raw_get("/Contents").idnum
    start = re.search(rb"(?<!\d)%d 0 obj" % number, data).end()
    stream = data.index(b"stream", start) + len(b"stream\n")
    changed = bytearray(data)
    changed[stream + 40] ^= 0x01
    return bytes(changed)


def _appended(data: bytes, change) -> bytes:
    """An incremental update written by pypdf after the signed revision."""
    writer = PdfWriter(io.BytesIO(data), incremental=True)
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    assert out.getvalue().startswith(data)
    return out.getvalue()


def _add_page(writer: PdfWriter) -> None:
    writer.add_blank_page()


def _cover_the_donor(writer: PdfWriter) -> None:
    # A white box drawn over page 1 and a new donor name on it, as a forger would.
    page = writer.pages[0]
    overlay = ContentStream(None, writer)
    overlay.set_data(
        b"q 1 1 1 rg 40 700 300 40 re f Q BT /F1 12 Tf 50 720 Td (Mairie de Paris) Tj ET"
    )
    contents = page.get_contents()
    contents.set_data(contents.get_data() + b"\n" + overlay.get_data())
    page[NameObject("/Contents")] = writer._add_object(contents)  # noqa: SLF001


def _pasted(data: bytes) -> bytes:
    """The genuine envelope attached to another PDF (drawn with other facts)."""
    from workshop.services.documents import pdf
    from workshop.services.signing import Signed

    envelope = _envelope(data)
    layout = pdf.Layout("Certificat", "Atelier", "0" * 16, "http://x", envelope["key_id"], "")
    layout.body = [pdf.para("Donateur : Mairie de Paris, 40 disques effacés")]
    signed = Signed(envelope["payload"], envelope["signature"], envelope["key_id"])
    return pdf.embed(pdf.render(layout), signed)


TAMPERED = {
    "content-byte": (_flip_a_content_byte, "altered after signing"),
    "added-page": (lambda d: _appended(d, _add_page), "does not cover the whole file"),
    "changed-page": (lambda d: _appended(d, _cover_the_donor), "does not cover the whole file"),
    "pasted-envelope": (_pasted, "no electronic signature of its own"),
}


@pytest.mark.parametrize("kind", sorted(TAMPERED))
def test_a_tampered_certificate_fails_every_checker(app, db, web, api, certificate, tmp_path, kind):
    from workshop.services import documents as doc_service

    tamper, why = TAMPERED[kind]
    data = tamper(certificate)
    assert data != certificate and _envelope(data) == _envelope(certificate)

    verdict = doc_service.verify_pdf(db, _ring(app), data)
    assert verdict.status == "invalid" and why in verdict.reason, verdict.reason
    ran = _cli(web, data, tmp_path)
    assert ran.exit_code == 1 and why in ran.output, ran.output
    status, reason = _verdict(_upload(web, data))
    assert status == "invalid" and "PDF" in reason
    assert _api(api, data)["status"] == "invalid"
    code, output = _pdfsig(data, tmp_path)
    assert not _pdfsig_accepts(code, output), output


def test_pdfsig_names_each_tampering(certificate, tmp_path):
    # What a person checking by hand with poppler sees for each kind of change.
    assert "Digest Mismatch" in _pdfsig(_flip_a_content_byte(certificate), tmp_path)[1]
    added = _pdfsig(_appended(certificate, _add_page), tmp_path)[1]
    assert "Not total document signed" in added and "Signature is Valid." in added
    code, output = _pdfsig(_pasted(certificate), tmp_path)
    assert code != 0 and "does not contain any signatures" in output


def _sign_as(data: bytes, ring, kid: str, *, reason: str) -> bytes:
    from workshop.services.documents import pades

    key_file, cert_file = ring.pdf_signing_files(kid)
    return pades.sign(data, key_file, cert_file, reason=reason, name="Atelier")


def _unsigned(data: bytes) -> bytes:
    """The file as it was before its PDF signature (the envelope attached, nothing signed)."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    (signature,) = PdfFileReader(io.BytesIO(data)).embedded_signatures
    start, length = list(signature.byte_range)[:2]
    previous = data.rfind(b"%%EOF", start, start + length)
    return data[: previous + len(b"%%EOF\n")]


def test_an_envelope_is_valid_only_in_its_own_file(app, db, web, certificate, tmp_path):
    """Signed with the workshop's own keys, yet refused: wrong generation, wrong document."""
    from workshop.services import documents as doc_service
    from workshop.services.documents import pades
    from workshop.services.signing import payload_digest

    ring = _ring(app)
    envelope = _envelope(certificate)
    unsigned = _unsigned(certificate)
    reason = pades.signature_reason(_uid(certificate), payload_digest(envelope["payload"]))
    assert (
        doc_service.verify_pdf(
            db, ring, _sign_as(unsigned, ring, envelope["key_id"], reason=reason)
        ).status
        == "valid"
    )

    newer = ring.rotate()
    other_generation = _sign_as(unsigned, ring, newer, reason=reason)
    verdict = doc_service.verify_pdf(db, ring, other_generation)
    assert verdict.status == "invalid"
    assert newer in verdict.reason and envelope["key_id"] in verdict.reason

    elsewhere = pades.signature_reason("0123456789abcdef", payload_digest(envelope["payload"]))
    other_document = _sign_as(unsigned, ring, envelope["key_id"], reason=elsewhere)
    verdict = doc_service.verify_pdf(db, ring, other_document)
    assert verdict.status == "invalid" and "another document" in verdict.reason
    ran = _cli(web, other_document, tmp_path)
    assert ran.exit_code == 1 and "another document" in ran.output


def test_a_foreign_pdf_certificate_is_refused_even_with_a_genuine_envelope(
    app, db, web, certificate, tmp_path
):
    from workshop.services import documents as doc_service
    from workshop.services.signing import KeyRing

    # Same workshop name, a look-alike certificate: only the published one counts.
    foreign = KeyRing(tmp_path / "foreign", app.config["WORKSHOP"].workshop_name)
    kid = foreign.ensure()
    reason = str(
        __import__("pyhanko.pdf_utils.reader", fromlist=["PdfFileReader"])
        .PdfFileReader(io.BytesIO(certificate))
        .embedded_signatures[0]
        .sig_object["/Reason"]
    )
    forged = _sign_as(_unsigned(certificate), foreign, kid, reason=reason)
    verdict = doc_service.verify_pdf(db, _ring(app), forged)
    assert verdict.status == "invalid" and "published certificates" in verdict.reason
    ran = _cli(web, forged, tmp_path)
    assert ran.exit_code == 1 and "published certificates" in ran.output
    # pdfsig alone cannot tell: the forged signature is whole and valid, just not ours.
    assert _pdfsig_accepts(*_pdfsig(forged, tmp_path))


def test_rotation_keeps_old_certificates_published_and_old_documents_valid(
    app, db, web, make_user, make_donation
):
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    from workshop.services.pdf_keys import certificates_by_id

    ring = _ring(app)
    coordinator = make_user("coordinator")
    first, second = make_donation(count=1), make_donation(count=1)
    web.login(coordinator.email, PASSWORD)
    old = web.get(f"/donations/{first.id}/documents/attestation.pdf").get_data()
    before = ring.active_key_id()
    after = ring.rotate()
    new = web.get(f"/donations/{second.id}/documents/attestation.pdf").get_data()
    again = web.get(f"/documents/{_uid(old)}.pdf").get_data()
    published = web.get("/.well-known/atelier-keys.json").get_json()
    certificates = certificates_by_id(published)
    assert {before, after} <= set(certificates)
    for kid in (before, after):
        der = certificates[kid]
        cert = x509.load_der_x509_certificate(der)
        assert cert.subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER)[0].value == kid
        common = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
        assert common == app.config["WORKSHOP"].workshop_name
    for data, kid in ((old, before), (new, after), (again, before)):
        assert _envelope(data)["key_id"] == kid
        assert _verdict(_upload(web, data))[0] == "valid"
    mode = (ring.private_dir / f"{after}.pdf-key.pem").stat().st_mode & 0o777
    assert mode == 0o600


def test_a_key_made_before_pdf_signing_gets_its_pdf_key_on_first_use(
    app, db, web, make_user, make_donation
):
    ring = _ring(app)
    kid = ring.ensure()
    # What an instance created before this change holds: the Ed25519 files only.
    (ring.private_dir / f"{kid}.pdf-key.pem").unlink()
    (ring.public_dir / f"{kid}.pdf-cert.pem").unlink()
    entry = next(e for e in ring.public_keys() if e["key_id"] == kid)
    assert "pdf_certificate" not in entry
    coordinator = make_user("coordinator")
    donation = make_donation(count=1)
    web.login(coordinator.email, PASSWORD)
    data = web.get(f"/donations/{donation.id}/documents/attestation.pdf").get_data()
    assert _envelope(data)["key_id"] == kid
    entry = next(e for e in ring.public_keys() if e["key_id"] == kid)
    assert "BEGIN CERTIFICATE" in entry["pdf_certificate"]
    assert _verdict(_upload(web, data))[0] == "valid"


def test_a_key_id_that_is_not_text_is_a_clear_invalid(app, db, web, api, certificate):
    from workshop.services.documents import pdf
    from workshop.services.signing import Signed

    envelope = _envelope(certificate)
    for kid in (["x"], {"k": 1}, 7):
        layout = pdf.Layout("Certificat", "Atelier", "0" * 16, "http://x", "k", "")
        data = pdf.embed(
            pdf.render(layout), Signed(envelope["payload"], envelope["signature"], kid)
        )
        status, reason = _verdict(_upload(web, data))
        assert status == "invalid" and "identifiant de clé" in reason, reason
        answer = _api(api, data)
        assert answer["status"] == "invalid" and "key id" in answer["reason"]
    body = {"key_id": ["x"], "signature": envelope["signature"], "payload": {}}
    response = api("POST", "/api/v1/documents/verification", json=body)
    assert response.status_code == 422 and response.get_json()["error"]["field"] == "key_id"


def test_garbage_and_truncated_files_are_invalid_not_errors(app, db, api, web, certificate):
    from workshop.services import documents as doc_service

    ring = _ring(app)
    cut = certificate[: len(certificate) - 2000]
    for data in (b"", b"%PDF-1.7\n", cut, certificate[:1000], b"\x00" * 512):
        assert doc_service.verify_pdf(db, ring, data).status == "invalid"
        assert not data or _api(api, data)["status"] == "invalid"
    response = api("POST", "/api/v1/documents/pdf-verification", json={"pdf": "not base64!"})
    assert response.status_code == 422 and response.get_json()["error"]["field"] == "pdf"


def test_the_verify_page_states_the_signed_facts_in_clear(db, web, certificate):
    for lang, title, erased, failed in (
        ("fr", "Certificat d'effacement", "effacé", "effacement échoué"),
        ("en", "Data erasure certificate", "erased", "wipe failed"),
    ):
        html = _upload(web, certificate, lang)
        assert _verdict(html)[0] == "valid"
        facts = unescape(html.split("data-signed-facts", 1)[1].split("<details>", 1)[0])
        assert f'data-fact="title">{title}<' in facts
        assert f"<code>{_uid(certificate)}</code>" in facts
        assert "Mairie de Lannion" in facts and "1 / 2" in facts
        erased_row = facts.split('data-drive="S3ZPADES01"', 1)[1].split("</tr>", 1)[0]
        failed_row = facts.split('data-drive="WDPADES002"', 1)[1].split("</tr>", 1)[0]
        assert "Samsung SSD 860 EVO 500GB" in erased_row and f">{erased}<" in erased_row
        assert "WDC WD5000AAKX" in failed_row and f">{failed}<" in failed_row
        assert 'data-result="failed"' in failed_row and 'data-result="erased"' in erased_row
        assert "<details><summary>" in html  # the raw signed JSON stays available below


def test_pdfsig_trusts_the_signer_once_the_published_certificate_is_imported(
    web, certificate, tmp_path
):
    # What docs/documents.md tells a donor to do: import the workshop's certificate into an NSS
    # database (the one Okular and pdfsig read) as trusted for signing documents.
    certutil = shutil.which("certutil")
    if certutil is None:
        pytest.skip("certutil (Debian package libnss3-tools) is not installed")
    kid = _envelope(certificate)["key_id"]
    published = web.get("/.well-known/atelier-keys.json").get_json()
    (entry,) = [e for e in published["keys"] if e["key_id"] == kid]
    (tmp_path / "atelier.pem").write_text(entry["pdf_certificate"])
    nss = tmp_path / "nssdb"
    nss.mkdir()
    for args in (
        ["-N", "--empty-password"],
        ["-A", "-n", f"Atelier {kid}", "-t", ",C,", "-i", str(tmp_path / "atelier.pem")],
    ):
        subprocess.run([certutil, "-d", f"sql:{nss}", *args], check=True, timeout=60)
    path = tmp_path / "certificat.pdf"
    path.write_bytes(certificate)
    before = subprocess.run([PDFSIG, str(path)], capture_output=True, text=True, timeout=60)
    assert "Certificate is Trusted" not in before.stdout
    after = subprocess.run(
        [PDFSIG, "-nssdir", f"sql:{nss}", str(path)], capture_output=True, text=True, timeout=60
    )
    assert "Certificate Validation: Certificate is Trusted." in after.stdout, after.stdout
    assert _pdfsig_accepts(after.returncode, after.stdout)
