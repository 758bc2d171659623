"""`workshop keys` and `workshop verify-document`: signing keys and offline verification.

Sample run::

    $ workshop keys create
    key 3f9a0c4e1b2d7a65 created and active (private key: instance/keys/private/3f9a….pem)
    $ workshop keys rotate
    key 91c0d2e7aa4b6f10 created and active; older public keys stay published
    $ workshop keys show
    3f9a0c4e1b2d7a65  2026-11-22T12:40:01+00:00
    91c0d2e7aa4b6f10  2026-11-22T13:02:17+00:00  active
    $ workshop verify-document certificat.pdf --keys https://atelier.example/.well-known/atelier-keys.json
    VALID: Certificat d'effacement des données 5be1c0d9a4f27e13, issued by Atelier Réemploi Armor
    on 2026-11-22T12:41:07+00:00; PDF signed whole, signed content intact
    (revocation is checked online only: see https://atelier.example/verify/5be1c0d9a4f27e13)
    $ workshop verify-document retouche.pdf --keys atelier-keys.json
    INVALID: Content was added to the PDF after it was signed: the signature does not cover the
    whole file.
"""

from __future__ import annotations

import json
import sys
import urllib.request
from pathlib import Path
from typing import Any

import click

from workshop.errors import WorkshopError
from workshop.services.documents.verification import check_pdf
from workshop.services.signing import KeyRing
from workshop.settings import WorkshopSettings


def _ring() -> KeyRing:
    settings = WorkshopSettings()
    return KeyRing(settings.instance_path / "keys", settings.workshop_name)


@click.group()
def keys() -> None:
    """The workshop's Ed25519 signing keys."""


@keys.command("create")
def keys_create() -> None:
    """Create the first signing key."""
    ring = _ring()
    try:
        kid = ring.create()
    except WorkshopError as exc:
        raise click.ClickException(exc.message) from exc
    path = ring.private_dir / f"{kid}.pem"
    click.echo(f"key {kid} created and active (private key: {path})")


@keys.command("rotate")
def keys_rotate() -> None:
    """Make a new active key; documents signed before still verify."""
    kid = _ring().rotate()
    click.echo(f"key {kid} created and active; older public keys stay published")


@keys.command("show")
def keys_show() -> None:
    """List the published public keys."""
    published = _ring().public_keys()
    if not published:
        click.echo("no key yet: run `workshop keys create`")
    for entry in published:
        active = "  active" if entry["active"] else ""
        click.echo(f"{entry['key_id']}  {entry['created_at']}  {entry['public_key']}{active}")


def load_keys(source: str | None) -> dict[str, Any]:
    """A published keys document from a file, a URL, or this instance's key folder."""
    if source is None:
        return _ring().published()
    if source.startswith(("http://", "https://")):
        with urllib.request.urlopen(source, timeout=15) as response:  # noqa: S310 (http/https only)
            return dict(json.load(response))
    return dict(json.loads(Path(source).read_text()))


@click.command("verify-document")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--keys", "keys_source", default=None, help="Published keys: a file or a URL.")
def verify_document(path: Path, keys_source: str | None) -> None:
    """Check a document's signature offline with the workshop's public keys (exit 1 if invalid)."""
    try:
        published = load_keys(keys_source)
    except (OSError, ValueError) as exc:
        raise click.ClickException(f"cannot read the public keys: {exc}") from exc
    check = check_pdf(path.read_bytes(), published)
    if not check.valid or check.payload is None:
        click.echo(f"INVALID: {check.reason}")
        sys.exit(1)
    head = check.payload.get("document", {})
    click.echo(
        f"VALID: {head.get('title')} {head.get('uid')}, issued by {head.get('issuer')} "
        f"on {head.get('issued_at')}; PDF signed whole, signed content intact"
    )
    click.echo(f"(revocation is checked online only: see {head.get('verify_url')})")
