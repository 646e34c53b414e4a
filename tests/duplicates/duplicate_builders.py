"""Builders for the de-duplication tests: synthetic reports shared across organisations, candidate pairs."""

from __future__ import annotations

import re

from django.db import connection

from kurukan.accounts.models import IncidentShare, Organisation, User
from kurukan.duplicates.models import CandidatePair, Kind, LinkageRun
from kurukan.incidents.models import Incident
from kurukan.people.models import Person

IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
EVIDENCE = [
    {"field": "name", "level": "same name or known variant", "bf": 40.0},
    {"field": "birth_year", "level": "within 10 years", "bf": 0.4},
    {"field": "sex", "level": "unknown", "bf": 1.0},
]


def load_demo(monkeypatch, n_events: int = 40, seed: int = 11):
    """The demo generator's reports: each true event once per reporting organisation."""
    from kurukan.imports import writer
    from kurukan.incidents import synthetic_loader

    # The writer tunes SQLite's temp store, which SQLite refuses inside the test's transaction.
    monkeypatch.setattr(writer._SqliteBackend, "tuned", writer._Backend.tuned)
    return synthetic_loader.load_synthetic(n_events, seed=seed)


def share_all(from_code: str, to: Organisation, by: User, identities: bool) -> int:
    incidents = Incident.objects.filter(organisation__code=from_code)
    IncidentShare.objects.bulk_create(
        IncidentShare(incident=i, organisation=to, include_identities=identities, granted_by=by)
        for i in incidents
    )
    return incidents.count()


def make_pair(kind: str, left: int, right: int, probability: float = 0.95, evidence=None) -> CandidatePair:
    run = LinkageRun.objects.create(kind=kind, status="done", progress=100)
    return CandidatePair.objects.create(
        run=run, kind=kind, left_id=min(left, right), right_id=max(left, right), probability=probability,
        evidence=EVIDENCE if evidence is None else evidence,
    )  # fmt: skip


def person_of(incident: Incident) -> Person:
    return Person.objects.get(victimisations__violation__incident=incident)


def people_pair(a: Incident, b: Incident, **kwargs) -> CandidatePair:
    return make_pair(Kind.PEOPLE, person_of(a).pk, person_of(b).pk, **kwargs)


def raw_text(*tables: str) -> str:
    """Every row of the tables as the database holds them (no decryption, no ORM)."""
    chunks = []
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 — fixed table names
            chunks.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(chunks)


def names_in(text: str) -> set[str]:
    """Victims' names (decrypted here, in the test) that appear as words in `text`."""
    names = set()
    for person in Person.objects.all():
        names |= {n for n in (person.given_name, person.family_name) if len(n) >= 4}
    return {n for n in names if re.search(rf"\b{re.escape(n)}\b", text)}
