"""Keys and signatures without a database: key ids, rotation, tampering, foreign keys."""

from __future__ import annotations

import hashlib
import json

import pytest

from workshop.errors import Conflict
from workshop.services.canonical import canonical_json
from workshop.services.signing import (
    KeyRing,
    key_id_of,
    public_keys_by_id,
    unb64url,
    verify_envelope,
)


def test_key_id_is_the_sha256_prefix_of_the_raw_public_key(tmp_path):
    ring = KeyRing(tmp_path)
    kid = ring.create()
    (entry,) = ring.public_keys()
    raw = unb64url(entry["public_key"])
    assert len(raw) == 32 and kid == hashlib.sha256(raw).hexdigest()[:16] == key_id_of(raw)
    assert entry["active"] and (tmp_path / "private" / f"{kid}.pem").stat().st_mode & 0o777 == 0o600
    with pytest.raises(Conflict):
        ring.create()


def test_signature_covers_the_canonical_payload(tmp_path):
    ring = KeyRing(tmp_path)
    signed = ring.sign({"b": 1, "a": "é"})
    assert signed.payload_text == '{"a":"é","b":1}'
    keys = public_keys_by_id(ring.published())
    assert verify_envelope(signed.envelope(), keys).valid
    altered = {**signed.envelope(), "payload": canonical_json({"a": "é", "b": 2})}
    assert not verify_envelope(altered, keys).valid
    assert not verify_envelope({"payload": signed.payload_text}, keys).valid


def test_rotation_keeps_old_keys_and_a_foreign_key_is_refused(tmp_path):
    ring = KeyRing(tmp_path / "ours")
    old = ring.sign({"n": 1})
    new_id = ring.rotate()
    new = ring.sign({"n": 2})
    assert new.key_id == new_id != old.key_id
    keys = public_keys_by_id(json.loads(json.dumps(ring.published())))
    assert (
        verify_envelope(old.envelope(), keys).valid and verify_envelope(new.envelope(), keys).valid
    )
    foreign = KeyRing(tmp_path / "foreign").sign({"n": 1})
    check = verify_envelope(foreign.envelope(), keys)
    assert not check.valid and foreign.key_id in check.reason
    # A foreign signature relabelled with our key id fails on the signature itself.
    relabelled = {**foreign.envelope(), "key_id": old.key_id}
    assert not verify_envelope(relabelled, keys).valid


def test_a_published_entry_whose_id_does_not_match_its_key_is_ignored(tmp_path):
    ring = KeyRing(tmp_path)
    ring.create()
    published = ring.published()
    published["keys"][0]["key_id"] = "0" * 16
    assert public_keys_by_id(published) == {}


def test_floats_never_enter_a_payload(tmp_path):
    with pytest.raises(TypeError):
        KeyRing(tmp_path).sign({"weight": 2.5})


@pytest.mark.parametrize("kid", [["k"], {"k": 1}, 7, None])
def test_a_key_id_that_is_not_text_is_refused_with_a_reason(tmp_path, kid):
    ring = KeyRing(tmp_path)
    envelope = {**ring.sign({"n": 1}).envelope(), "key_id": kid}
    check = verify_envelope(envelope, public_keys_by_id(ring.published()))
    assert not check.valid and "key id" in check.reason


def test_each_key_generation_publishes_its_pdf_certificate(tmp_path):
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    from workshop.services.pdf_keys import certificates_by_id

    ring = KeyRing(tmp_path, "Atelier Réemploi Armor (SCIC)")
    first = ring.create()
    second = ring.rotate()
    certificates = certificates_by_id(json.loads(json.dumps(ring.published())))
    assert set(certificates) == {first, second} and certificates[first] != certificates[second]
    cert = x509.load_der_x509_certificate(certificates[second])
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == ring.name
    assert (tmp_path / "private" / f"{first}.pdf-key.pem").stat().st_mode & 0o777 == 0o600
    # A certificate entry that is not one is skipped, not an error.
    broken = ring.published()
    broken["keys"][0]["pdf_certificate"] = "-----BEGIN CERTIFICATE-----\nAAAA\n"
    assert set(certificates_by_id(broken)) == {second}
