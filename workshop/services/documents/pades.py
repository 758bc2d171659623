"""The PAdES signature of a document's PDF (pyHanko): made over the whole file, checked offline.

A document's PDF is drawn, gets its Ed25519 envelope attached (pdf.embed), then is signed once,
PAdES baseline B-B (ETSI.CAdES.detached, SHA-256, no timestamp), with the PDF key of the key
generation that signed the envelope. The signature dictionary's /Reason names the document uid
and the SHA-256 of the signed payload, which binds the file to the envelope it carries.

Checking reads the one signature of the file and refuses it unless it is intact, covers every
byte of the file (nothing appended after signing) and was made with one of the certificates the
workshop publishes (compared byte for byte: no trust store is asked).

    >>> signed = sign(pdf_bytes, key_file, cert_file, reason=signature_reason(uid, digest))
    >>> read_signature(signed, [certificate_der]).reason
    'Document 5be1c0d9a4f27e13 - contenu signé SHA-256 9f2c…'
"""

from __future__ import annotations

import io
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from workshop.i18n import _

FIELD_NAME = "AtelierSignature"


class PdfSignatureInvalid(Exception):
    """The PDF signature is missing, broken or not the workshop's; the message says which."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class PdfSignature:
    """What a checked PDF signature says: who signed (certificate) and for which document."""

    certificate: bytes  # DER
    reason: str


def signature_reason(uid: str, digest: str) -> str:
    """The /Reason of a document's PDF signature: its uid and its payload's SHA-256."""
    return f"Document {uid} - contenu signé SHA-256 {digest}"


def sign(pdf: bytes, key_file: Path, cert_file: Path, *, reason: str, name: str) -> bytes:
    """The PDF signed PAdES B-B over the whole file as it is now."""
    signer = signers.SimpleSigner.load(str(key_file), str(cert_file))
    if signer is None:  # pyHanko returns None rather than raising on unreadable key files
        raise PdfSignatureInvalid(_("The PDF signing key of the workshop cannot be read."))
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        subfilter=SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason,
        name=name,
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    out = signers.PdfSigner(meta, signer=signer).sign_pdf(writer)
    return bytes(out.getvalue())


def read_signature(pdf: bytes, certificates: Collection[bytes]) -> PdfSignature:
    """The file's one PDF signature once checked (PdfSignatureInvalid saying what failed)."""
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        embedded = reader.embedded_signatures
    except (PdfError, ValueError, KeyError, TypeError, IndexError, AttributeError) as exc:
        raise PdfSignatureInvalid(_("The file is not a readable PDF.")) from exc
    if not embedded:
        raise PdfSignatureInvalid(
            _(
                "The PDF carries no electronic signature of its own (PAdES): its pages are not "
                "protected."
            )
        )
    if len(embedded) != 1:
        raise PdfSignatureInvalid(
            _(
                "The PDF carries %(count)s electronic signatures; a workshop document has exactly "
                "one.",
                count=len(embedded),
            )
        )
    return _check(embedded[0], certificates)


def _check(embedded: EmbeddedPdfSignature, certificates: Collection[bytes]) -> PdfSignature:
    roots = [asn1_x509.Certificate.load(der) for der in certificates]
    context = ValidationContext(trust_roots=roots, allow_fetching=False)
    try:
        status = validate_pdf_signature(embedded, context, skip_diff=True)
        signer = embedded.signer_cert.dump()
        reason = embedded.sig_object.get("/Reason")
    except (PdfError, ValueError, KeyError, TypeError, IndexError, AttributeError) as exc:
        raise PdfSignatureInvalid(_("The PDF signature cannot be read: it is damaged.")) from exc
    if not (status.intact and status.valid):
        raise PdfSignatureInvalid(
            _("The PDF signature does not match the file: its content was altered after signing.")
        )
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        raise PdfSignatureInvalid(
            _(
                "Content was added to the PDF after it was signed: the signature does not cover "
                "the whole file."
            )
        )
    if signer not in set(certificates):
        raise PdfSignatureInvalid(
            _("The PDF was not signed with one of the workshop's published certificates.")
        )
    return PdfSignature(signer, str(reason or ""))
