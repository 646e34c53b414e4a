"""Builders for claim tests: a victim, their duplicate record in a duplicate report, claims at a status."""

from __future__ import annotations

import datetime as dt

from conftest import make_incident
from kurukan.duplicates.actions import confirm_pair
from kurukan.duplicates.models import CandidatePair, Kind, LinkageRun
from kurukan.incidents.models import Incident, Violation
from kurukan.people.models import Person
from kurukan.reparations import actions
from kurukan.reparations.models import Claim, ClaimStatus, Payment


def victim_of(incident: Incident) -> tuple[Person, Violation]:
    violation = incident.violations.get()
    return violation.victims.get().person, violation


def merge(model, a, b, user) -> None:
    """Confirm a duplicate pair the way a reviewer does (kurukan.duplicates)."""
    run = LinkageRun.objects.create(kind=Kind.PEOPLE if model is Person else Kind.INCIDENTS, status="done")
    pair = CandidatePair.objects.create(
        run=run, kind=run.kind, left_id=min(a.pk, b.pk), right_id=max(a.pk, b.pk), probability=0.99
    )
    confirm_pair(pair, user)


def duplicate_report(incident: Incident, user) -> tuple[Person, Violation]:
    """A second report of the same incident naming the same victim, both merged by a reviewer: the victim's
    duplicate record suffered the duplicate violation."""
    twin = make_incident(user, title="Même exécution, autre source", start_date=incident.start_date)
    person, _violation = victim_of(incident)
    twin_person, twin_violation = victim_of(twin)
    merge(Incident, incident, twin, user)
    merge(Person, person, twin_person, user)
    return Person.objects.get(pk=twin_person.pk), twin_violation


def file_claim(user, person, violations, status=ClaimStatus.REGISTERED, paid=0, **fields) -> Claim:
    claim = Claim(
        person=person,
        harm="Perte du soutien de famille.",
        measures_requested=["compensation"],
        amount_requested=fields.pop("amount_requested", 1_500_000),
        filed_on=dt.date(2024, 1, 10),
        **fields,
    )
    claim = actions.register_claim(claim, list(violations), user)
    if status in {ClaimStatus.GRANTED, ClaimStatus.PAID} or paid:
        actions.change_status(
            claim, user, status=ClaimStatus.GRANTED, changed_on=dt.date(2024, 3, 1),
            deciding_body="Commission ad hoc", decided_on=dt.date(2024, 3, 1), amount_granted=paid or 1_000_000,
        )  # fmt: skip
        if status == ClaimStatus.PAID:
            actions.record_payment(
                claim, user, Payment(paid_on=dt.date(2024, 4, 2), amount=paid or 1_000_000)
            )
    elif status != ClaimStatus.REGISTERED:
        actions.change_status(
            claim, user, status=status, changed_on=dt.date(2024, 2, 1),
            deciding_body="Commission ad hoc", decided_on=dt.date(2024, 2, 1),
        )  # fmt: skip
    claim.refresh_from_db()
    return claim
