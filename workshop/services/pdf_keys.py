"""The PDF signing key of each key generation: ECDSA P-256 and a self-signed X.509 certificate.

PDF readers (pdfsig, Okular, Adobe) check PAdES signatures made with X.509 certificates, not bare
Ed25519 keys, so every Ed25519 key of the KeyRing has a twin made with it: a P-256 private key
(``keys/private/<key id>.pdf-key.pem``, mode 0600) and a certificate
(``keys/public/<key id>.pdf-cert.pem``) whose subject is the workshop's name and whose
serialNumber attribute is the key id. The certificate is published next to the Ed25519 public
key, so a verifier compares the PDF's signer certificate with it instead of asking a trust store.
"""

from __future__ import annotations

import base64
import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from workshop.models.base import utcnow

# Long enough for a certificate to outlive the documents a donor keeps (their signing time is
# checked against it); renewing means a new key generation (rotation).
VALIDITY = timedelta(days=30 * 365)


def key_path(private_dir: Path, kid: str) -> Path:
    """Where the PDF private key of a key generation lives."""
    return private_dir / f"{kid}.pdf-key.pem"


def certificate_path(public_dir: Path, kid: str) -> Path:
    """Where the PDF certificate of a key generation lives."""
    return public_dir / f"{kid}.pdf-cert.pem"


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    # Two requests may both find a generation without its PDF key: one makes it, the other waits.
    with open(folder / ".pdf-keys.lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _certificate(private: ec.EllipticCurvePrivateKey, kid: str, name: str) -> x509.Certificate:
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, name[:64] or "Atelier"),
            x509.NameAttribute(NameOID.SERIAL_NUMBER, kid),
        ]
    )
    now = utcnow()
    usage = x509.KeyUsage(
        digital_signature=True,
        content_commitment=True,  # non-repudiation, which PDF signature validators ask for
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=True,  # it is its own issuer (see below)
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(private.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + VALIDITY)
        # A self-signed certificate is trusted by PDF readers (NSS for pdfsig and Okular, Adobe)
        # only as its own root: marked a CA that may sign nothing below it.
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(usage, critical=True)
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(private.public_key()), critical=False
        )
        .sign(private, hashes.SHA256())
    )


def ensure_pdf_key(private_dir: Path, public_dir: Path, *, kid: str, name: str) -> None:
    """Make the PDF key and certificate of generation `kid` unless both exist."""
    if key_path(private_dir, kid).exists() and certificate_path(public_dir, kid).exists():
        return
    with _locked(private_dir):
        if key_path(private_dir, kid).exists() and certificate_path(public_dir, kid).exists():
            return
        private = ec.generate_private_key(ec.SECP256R1())
        pem = private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        # A key left without its certificate by a crash is replaced along with it.
        path = key_path(private_dir, kid)
        path.unlink(missing_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
        cert = _certificate(private, kid, name).public_bytes(serialization.Encoding.PEM)
        temporary = certificate_path(public_dir, kid).with_suffix(".tmp")
        temporary.write_bytes(cert)
        temporary.replace(certificate_path(public_dir, kid))


def certificate_pem(public_dir: Path, kid: str) -> str | None:
    """The PEM certificate of generation `kid`, if it has one."""
    path = certificate_path(public_dir, kid)
    return path.read_text() if path.exists() else None


def certificates_by_id(published: dict[str, Any]) -> dict[str, bytes]:
    """DER certificates by key id from a published keys document (bad entries are skipped)."""
    found: dict[str, bytes] = {}
    entries = published.get("keys", []) if isinstance(published, dict) else []
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict) or not isinstance(entry.get("key_id"), str):
            continue
        der = _der(entry.get("pdf_certificate"))
        if der is not None:
            found[entry["key_id"]] = der
    return found


def _der(value: Any) -> bytes | None:
    """DER bytes of a PEM (or base64 DER) certificate, None when it is not one."""
    if not isinstance(value, str):
        return None
    try:
        if "-----BEGIN" in value:
            cert = x509.load_pem_x509_certificate(value.encode())
        else:
            cert = x509.load_der_x509_certificate(base64.b64decode(value, validate=True))
    except ValueError:
        return None
    return cert.public_bytes(serialization.Encoding.DER)


def fingerprint(der: bytes) -> str:
    """The SHA-256 fingerprint of a certificate, as viewers show it (AB:CD:…)."""
    digest = x509.load_der_x509_certificate(der).fingerprint(hashes.SHA256())
    return ":".join(f"{byte:02X}" for byte in digest)
