"""The workshop's Ed25519 keys and the signatures of its documents.

Private keys live in the instance folder (``keys/private/<key id>.pem``, mode 0600), never in the
database; public keys stay published after a rotation (``keys/public/<key id>.json``) so documents
signed earlier still verify. A key id is the first 16 hex digits of the SHA-256 of the raw public
key. A signature covers the canonical JSON (RFC 8785 subset, see canonical.py) of the payload.
Each key generation also has a PDF signing key and certificate (pdf_keys.py), published with it.

    $ workshop keys create
    key 3f9a0c4e1b2d7a65 created (active)
    $ workshop keys rotate
    key 91c0d2e7aa4b6f10 created (active); 3f9a0c4e1b2d7a65 stays published
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from workshop.errors import Conflict, NotFound
from workshop.i18n import _
from workshop.models.base import utcnow
from workshop.services import pdf_keys
from workshop.services.canonical import canonical_json

ALGORITHM = "Ed25519"
ENVELOPE_FORMAT = "atelier-signed-document/1"


def b64url(data: bytes) -> str:
    """Unpadded base64url text."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    """Bytes of unpadded base64url text (ValueError when it is not)."""
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def key_id_of(public_raw: bytes) -> str:
    """The key id: the first 16 hex digits of the SHA-256 of the raw public key."""
    return hashlib.sha256(public_raw).hexdigest()[:16]


def payload_digest(payload_text: str) -> str:
    """SHA-256 of the canonical payload text (what the issued-documents table stores)."""
    return hashlib.sha256(payload_text.encode()).hexdigest()


def _raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


@dataclass(frozen=True)
class Signed:
    """A payload as signed: its exact text, the signature and the key that made it."""

    payload_text: str
    signature: str
    key_id: str

    def envelope(self) -> dict[str, str]:
        """What travels inside a document."""
        return {
            "format": ENVELOPE_FORMAT,
            "alg": ALGORITHM,
            "key_id": self.key_id,
            "payload": self.payload_text,
            "signature": self.signature,
        }


class KeyRing:
    """The key files under one folder: the active private key and every published public key."""

    def __init__(self, folder: Path, name: str = "Atelier") -> None:
        self.folder = folder
        self.name = name  # the subject of the PDF certificates made here
        self.private_dir = folder / "private"
        self.public_dir = folder / "public"

    def active_key_id(self) -> str | None:
        """The id of the key that signs new documents, if any."""
        marker = self.folder / "active"
        return marker.read_text().strip() if marker.exists() else None

    def create(self) -> str:
        """Make the first key; refuses when one exists (use rotate)."""
        if self.active_key_id():
            raise Conflict(_("A signing key exists already: rotate it instead."), field="key")
        return self._new_key()

    def rotate(self) -> str:
        """A new active key; the old public key stays published."""
        return self._new_key()

    def ensure(self) -> str:
        """The active key id, creating the first key when there is none.

        Key generations made before PDFs were signed get their PDF key and certificate here."""
        kid = self.active_key_id() or self._new_key()
        for path in self.private_dir.glob("*.pem"):
            if not path.name.endswith(".pdf-key.pem"):
                self.ensure_pdf_key(path.stem)
        return kid

    def ensure_pdf_key(self, kid: str) -> None:
        """Make the PDF key and certificate of generation `kid` if it has none yet."""
        if not (self.private_dir / f"{kid}.pem").exists():
            raise NotFound(_("The private key %(key)s is missing.", key=kid), field="key")
        pdf_keys.ensure_pdf_key(self.private_dir, self.public_dir, kid=kid, name=self.name)

    def pdf_signing_files(self, kid: str) -> tuple[Path, Path]:
        """The PDF private key and certificate files of generation `kid` (made when missing)."""
        self.ensure_pdf_key(kid)
        return (
            pdf_keys.key_path(self.private_dir, kid),
            pdf_keys.certificate_path(self.public_dir, kid),
        )

    def _new_key(self) -> str:
        private = Ed25519PrivateKey.generate()
        raw = _raw_public(private.public_key())
        kid = key_id_of(raw)
        self.private_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.public_dir.mkdir(parents=True, exist_ok=True)
        pem = private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        path = self.private_dir / f"{kid}.pem"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
        public = {
            "key_id": kid,
            "alg": ALGORITHM,
            "public_key": b64url(raw),
            "created_at": utcnow().isoformat(timespec="microseconds"),
        }
        (self.public_dir / f"{kid}.json").write_text(json.dumps(public, indent=2) + "\n")
        pdf_keys.ensure_pdf_key(self.private_dir, self.public_dir, kid=kid, name=self.name)
        marker = self.folder / "active.tmp"
        marker.write_text(kid + "\n")
        marker.replace(self.folder / "active")
        return kid

    def public_keys(self) -> list[dict[str, Any]]:
        """Every published public key, oldest first, the active one marked."""
        active = self.active_key_id()
        keys = []
        if self.public_dir.exists():
            for path in self.public_dir.glob("*.json"):
                entry = json.loads(path.read_text())
                entry["active"] = entry["key_id"] == active
                certificate = pdf_keys.certificate_pem(self.public_dir, entry["key_id"])
                if certificate is not None:
                    entry["pdf_certificate"] = certificate
                keys.append(entry)
        return sorted(keys, key=lambda k: (k["created_at"], k["key_id"]))

    def published(self) -> dict[str, Any]:
        """The JSON document served at /.well-known/atelier-keys.json."""
        return {"format": "atelier-keys/1", "keys": self.public_keys()}

    def sign(self, payload: dict[str, Any]) -> Signed:
        """Sign the canonical JSON of `payload` with the active key (made on first use)."""
        kid = self.ensure()
        path = self.private_dir / f"{kid}.pem"
        if not path.exists():
            raise NotFound(_("The private key %(key)s is missing.", key=kid), field="key")
        private = serialization.load_pem_private_key(path.read_bytes(), password=None)
        assert isinstance(private, Ed25519PrivateKey)
        text = canonical_json(payload)
        return Signed(text, b64url(private.sign(text.encode())), kid)


def public_keys_by_id(published: dict[str, Any]) -> dict[str, bytes]:
    """Raw public keys by key id from a published keys document (bad entries are skipped)."""
    keys: dict[str, bytes] = {}
    for entry in published.get("keys", []):
        try:
            raw = unb64url(str(entry["public_key"]))
        except (KeyError, ValueError):
            continue
        if len(raw) == 32 and key_id_of(raw) == entry.get("key_id"):
            keys[key_id_of(raw)] = raw
    return keys


@dataclass(frozen=True)
class Check:
    """Outcome of a signature check: valid, or why not."""

    valid: bool
    reason: str
    payload: dict[str, Any] | None = None


def verify_envelope(envelope: dict[str, Any], keys: dict[str, bytes]) -> Check:
    """Check an embedded envelope against known public keys (no database, works offline)."""
    try:
        text, signature, kid = envelope["payload"], envelope["signature"], envelope["key_id"]
    except (KeyError, TypeError):
        return Check(False, _("The document carries no complete signature block."))
    if not isinstance(kid, str) or not isinstance(text, str) or not isinstance(signature, str):
        return Check(
            False,
            _("The signature block is malformed: its key id, payload and signature must be text."),
        )
    if kid not in keys:
        return Check(
            False, _("Key %(key)s is not one of the workshop's published keys.", key=kid[:64])
        )
    try:
        Ed25519PublicKey.from_public_bytes(keys[kid]).verify(unb64url(signature), text.encode())
    except (InvalidSignature, ValueError):
        return Check(False, _("The signature does not match the content: it was altered."))
    payload = json.loads(text)
    if canonical_json(payload) != text:
        return Check(False, _("The signed content is not in canonical form."))
    return Check(True, _("Signature valid."), payload)
