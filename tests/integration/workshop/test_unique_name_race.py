"""Two coordinators registering the same organisation (or bench) name at the same moment: the
second one's check saw no such name, the database's unique index refuses its write, and it gets
the same 409 naming the field as when the check finds it, never a 500. Only on PostgreSQL: on
SQLite a writing request takes the write lock first, so the two cannot interleave."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from workshop.errors import Conflict
from workshop.models import Organisation, OrganisationKind
from workshop.services import organisations
from workshop.services.actors import SYSTEM

pytestmark = pytest.mark.postgresql_only


def test_a_name_taken_between_the_check_and_the_write_is_a_conflict(engine, monkeypatch):
    real = organisations._checked_name

    def check_then_race(session, organisation, text):
        name = real(session, organisation, text)  # no such name yet: the check passes
        with Session(engine) as other:  # the other coordinator's request commits it now
            other.add(Organisation(kind=OrganisationKind.COLLECTIVITE, name=name))
            other.commit()
        return name

    monkeypatch.setattr(organisations, "_checked_name", check_then_race)
    with Session(engine) as session:
        data = organisations.OrganisationInput(name="Mairie de Paimpol")
        with pytest.raises(Conflict) as refused:
            organisations.register_organisation(
                session, SYSTEM, kind=OrganisationKind.COLLECTIVITE, data=data
            )
        assert refused.value.field == "name" and "Mairie de Paimpol" in refused.value.message
        session.rollback()
