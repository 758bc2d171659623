"""The workshop's own identity: its organisation (name, SIRET, address) and the logo printed on
every document it issues."""

from __future__ import annotations

import io

from sqlmodel import Session, col, select

from workshop.errors import ValidationFailed
from workshop.i18n import _
from workshop.models import Organisation, OrganisationKind, OrganisationLogo
from workshop.models.base import utcnow
from workshop.services.actors import Actor, require_coordinator
from workshop.services.organisations import (
    OrganisationInput,
    register_organisation,
    update_organisation,
)

MAX_LOGO_BYTES = 512 * 1024
MAX_LOGO_SIDE = 4000
# What the file starts with, and the type Pillow must then find in it.
LOGO_TYPES = {b"\x89PNG\r\n\x1a\n": ("PNG", "image/png"), b"\xff\xd8\xff": ("JPEG", "image/jpeg")}


def workshop_organisation(session: Session) -> Organisation | None:
    """The workshop's organisation: the first one of kind workshop (documents name it)."""
    query = select(Organisation).where(Organisation.kind == OrganisationKind.WORKSHOP)
    return session.exec(query.order_by(col(Organisation.id))).first()


def save_identity(session: Session, actor: Actor, data: OrganisationInput) -> Organisation:
    """Write the workshop's identity, registering its organisation the first time."""
    require_coordinator(actor)
    if data.rna or data.public_interest.value != "none":
        raise ValidationFailed(_("RNA number: only an association has one."), field="rna")
    found = workshop_organisation(session)
    if found is None or found.id is None:
        return register_organisation(session, actor, kind=OrganisationKind.WORKSHOP, data=data)
    return update_organisation(session, actor, found.id, data)


def workshop_logo(session: Session) -> OrganisationLogo | None:
    """The workshop's logo, if one was given."""
    found = workshop_organisation(session)
    return session.get(OrganisationLogo, found.id) if found is not None else None


def _checked_type(data: bytes) -> str:
    """The content type of a PNG or JPEG logo, after reading the whole image; else refused."""
    if len(data) > MAX_LOGO_BYTES:
        raise ValidationFailed(
            _("Logo: the file is larger than %(n)s KiB.", n=MAX_LOGO_BYTES // 1024), field="logo"
        )
    kind = next((v for magic, v in LOGO_TYPES.items() if data.startswith(magic)), None)
    if kind is None:
        raise ValidationFailed(_("Logo: only a PNG or JPEG image is accepted."), field="logo")
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != kind[0]:
                raise ValueError(image.format)
            if max(image.size) > MAX_LOGO_SIDE:
                raise ValidationFailed(
                    _("Logo: at most %(n)s pixels a side.", n=MAX_LOGO_SIDE), field="logo"
                )
            image.load()
    except ValidationFailed:
        raise
    except Exception as exc:  # noqa: BLE001 - Pillow raises many kinds on a broken file
        raise ValidationFailed(
            _("Logo: the image cannot be read (damaged or not a real PNG/JPEG)."), field="logo"
        ) from exc
    return kind[1]


def set_logo(session: Session, actor: Actor, data: bytes) -> OrganisationLogo:
    """Give the workshop its logo (PNG or JPEG, size- and type-checked), replacing any older."""
    require_coordinator(actor)
    content_type = _checked_type(data)
    found = workshop_organisation(session)
    if found is None or found.id is None:
        raise ValidationFailed(_("Logo: save the workshop's name first."), field="logo")
    logo = session.get(OrganisationLogo, found.id) or OrganisationLogo(
        organisation_id=found.id, content_type=content_type, data=b""
    )
    logo.content_type, logo.data, logo.updated_at = content_type, data, utcnow()
    session.add(logo)
    session.flush()
    return logo


def remove_logo(session: Session, actor: Actor) -> None:
    """Documents go back to having no logo."""
    require_coordinator(actor)
    logo = workshop_logo(session)
    if logo is not None:
        session.delete(logo)
        session.flush()
