"""Builders for the estimate tests: three organisations' lists with overlaps small enough to count by hand."""

from __future__ import annotations

import datetime as dt

from conftest import term, unit
from kurukan.accounts.models import IncidentShare, Organisation, User
from kurukan.incidents.models import GroupVictims, Incident, IncidentStatus, Victim, Violation
from kurukan.people.models import Person

IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
LISTS = ("amdh", "cndh", "ohchr")  # the library's list order: organisation codes, sorted

# capture pattern (the lists that recorded the victim) → number of victims, 45 in all
PATTERNS: dict[frozenset[str], int] = {
    frozenset({"amdh"}): 12,
    frozenset({"cndh"}): 10,
    frozenset({"ohchr"}): 9,
    frozenset({"amdh", "cndh"}): 5,
    frozenset({"amdh", "ohchr"}): 4,
    frozenset({"cndh", "ohchr"}): 3,
    frozenset({"amdh", "cndh", "ohchr"}): 2,
}


def organisation(code: str) -> Organisation:
    return Organisation.objects.get_or_create(
        code=code, defaults={"name": code.upper(), "short_name": code.upper()}
    )[0]


def rows(patterns: dict[frozenset[str], int]) -> list[dict]:
    """The expected capture table as the library's rows: {"amdh": 1, "cndh": 0, "ohchr": 1, "count": 4}."""
    return [{**{name: int(name in pattern) for name in LISTS}, "count": n} for pattern, n in patterns.items()]


class Lists:
    """One incident per organisation (and per date and type asked for), each with a violation to hang victims on."""

    def __init__(self, author: User, commune: str = "ML050301") -> None:
        self.author = author
        self.commune = unit(commune)
        self.violations: dict[tuple, Violation] = {}

    def violation(
        self,
        code: str,
        *,
        day: dt.date = dt.date(2022, 3, 14),
        violation_type: str = "life.summary_execution",
        status: str = IncidentStatus.SUBMITTED,
        verification: str = "reported",
        commune: str | None = None,
        confidentiality: str = "internal",
    ) -> Violation:
        key = (code, day, violation_type, status, verification, commune, confidentiality)
        if key not in self.violations:
            place = unit(commune) if commune else self.commune
            incident = Incident.objects.create(
                title=f"Incident {code}",
                start_date=day,
                commune=place,
                cercle=place.parent,
                region=place.region,
                status=status,
                confidentiality=confidentiality,
                organisation=organisation(code),
                created_by=self.author,
            )
            self.violations[key] = Violation.objects.create(
                incident=incident,
                type=term("violation_type", violation_type),
                verification_status=verification,
            )
        return self.violations[key]

    def victim(self, code: str, merged_into: Person | None = None, **where) -> Person:
        violation = self.violation(code, **where)
        person = Person.objects.create(
            given_name="Moussa",
            family_name="Traoré",
            organisation=violation.incident.organisation,
            created_by=self.author,
            merged_into=merged_into,
        )
        Victim.objects.create(violation=violation, person=person)
        return person

    def seen_by(self, pattern: frozenset[str], **where) -> Person:
        """One real victim recorded by each list of `pattern`: one Person per list, merged into the first."""
        codes = sorted(pattern)
        first = self.victim(codes[0], **where)
        for code in codes[1:]:
            self.victim(code, merged_into=first, **where)
        return first

    def populate(self, patterns: dict[frozenset[str], int], **where) -> None:
        for pattern, n in patterns.items():
            for _ in range(n):
                self.seen_by(pattern, **where)

    def group(self, code: str, men: int, **where) -> GroupVictims:
        return GroupVictims.objects.create(violation=self.violation(code, **where), men=men)


def share_with(organisation_code: str, to: Organisation, by: User) -> None:
    """Let `to` read the organisation's incidents, as an analyst comparing lists needs."""
    for incident in Incident.objects.filter(organisation__code=organisation_code):
        IncidentShare.objects.get_or_create(incident=incident, organisation=to, defaults={"granted_by": by})


def form_data(**overrides) -> dict:
    data = {
        "violation_type": str(term("violation_type", "life").pk),
        "date_from": "2022-01-01",
        "date_to": "2023-12-31",
        "strata": "none",
        "organisations": [str(organisation(code).pk) for code in LISTS],
        "verification": "documented",
        "matching": "confirmed",
        "min_probability": "0,9",
        "method": "loglinear",
        "criterion": "stepwise",
        "bootstrap": "100",
        "samples": "100",
        "seed": "7",
    }
    data.update(overrides)
    return data
