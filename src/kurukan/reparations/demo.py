"""The demo's reparation claims: victims of the DDHP's records at every status, some paid, and one victim
recorded twice (a duplicate report of the same incident, both merged by a reviewer) for the walk-through of
the single-compensation rule. Idempotent: a second demo run changes nothing."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from kurukan.accounts.access import sensitive_incident_ids
from kurukan.accounts.models import Confidentiality, Organisation, User
from kurukan.duplicates.actions import confirm_pair
from kurukan.duplicates.models import CandidatePair, Kind, LinkageRun
from kurukan.incidents.actions import refresh_counts
from kurukan.incidents.models import Incident, IncidentStatus, VerificationStatus, Victim, Violation
from kurukan.people.models import Person

from . import actions
from .models import Claim, ClaimStatus, Payment, Relationship

ORGANISATION, RECORDER, DECIDER = "ohchr", "monitor", "verificateur"
# The victim of the walk-through (docs and the browser test look them up by this name).
WALKTHROUGH_NAME = ("Kadidiatou", "Sangaré")
DECIDING_BODY = "Commission nationale d'indemnisation des victimes"
# (status reached, amount granted or None): two claims per status, in this order.
PLAN = [
    (ClaimStatus.REGISTERED, None), (ClaimStatus.UNDER_REVIEW, None), (ClaimStatus.ELIGIBLE, None),
    (ClaimStatus.NOT_ELIGIBLE, None), (ClaimStatus.GRANTED, 750_000), (ClaimStatus.PAID, 1_000_000),
] * 2  # fmt: skip


# The steps a claim takes to reach each status of the plan.
STEPS: dict[str, list[str]] = {
    ClaimStatus.UNDER_REVIEW: [ClaimStatus.UNDER_REVIEW],
    ClaimStatus.ELIGIBLE: [ClaimStatus.UNDER_REVIEW, ClaimStatus.ELIGIBLE],
    ClaimStatus.NOT_ELIGIBLE: [ClaimStatus.UNDER_REVIEW, ClaimStatus.NOT_ELIGIBLE],
    ClaimStatus.GRANTED: [ClaimStatus.UNDER_REVIEW, ClaimStatus.ELIGIBLE, ClaimStatus.GRANTED],
    ClaimStatus.PAID: [ClaimStatus.UNDER_REVIEW, ClaimStatus.ELIGIBLE, ClaimStatus.GRANTED],
}


def _claimable_victims(organisation: Organisation):
    return (
        Victim.objects.filter(
            violation__incident__organisation=organisation,
            violation__incident__merged_into__isnull=True,
            violation__incident__status__in=[IncidentStatus.SUBMITTED, IncidentStatus.CLOSED],
            violation__incident__confidentiality__in=[Confidentiality.PUBLIC, Confidentiality.INTERNAL],
            person__merged_into__isnull=True,
        )
        .exclude(violation__verification_status=VerificationStatus.DID_NOT_OCCUR)
        # Not sensitive records (sexual violence, children): their claims are for the users named on them,
        # and the demo's logins should see claims at every status.
        .exclude(violation__incident_id__in=sensitive_incident_ids())
        .select_related("violation__incident", "person")
        .order_by("pk")
    )


def _claim(person: Person, violation: Violation, recorder: User, decider: User, status: str, granted, day):
    claim = Claim(
        person=person,
        relationship=Relationship.SELF if day.day % 3 else Relationship.SPOUSE,
        claimant_name="" if day.day % 3 else "Ayant droit (démonstration)",
        harm="Blessures et perte des moyens de subsistance (démonstration).",
        measures_requested=["compensation", "rehabilitation"],
        amount_requested=1_500_000,
        filed_on=day,
    )
    claim = actions.register_claim(claim, [violation], recorder)
    steps = STEPS.get(status, [])
    for i, step in enumerate(steps, 1):
        decided = day + dt.timedelta(days=30 * i)
        actions.change_status(
            claim, decider, status=step, changed_on=decided, deciding_body=DECIDING_BODY, decided_on=decided,
            amount_granted=granted if step == ClaimStatus.GRANTED else None,
            measures_granted=["compensation"] if step == ClaimStatus.GRANTED else None,
        )  # fmt: skip
    if status == ClaimStatus.PAID:
        actions.record_payment(claim, decider, Payment(paid_on=day + dt.timedelta(days=120), amount=granted))
    return claim


def _walkthrough_victim(organisation: Organisation, decider: User) -> None:
    """A victim named WALKTHROUGH_NAME in a DDHP incident, and their duplicate record in a second report of
    that incident; a reviewer confirmed both pairs (persons and incidents)."""
    if Person.objects.filter(name_index=Person.index_for(" ".join(WALKTHROUGH_NAME))).exists():
        return
    first = _claimable_victims(organisation).filter(violation__verification_status="verified").first()
    if first is None:
        return
    incident, violation = first.violation.incident, first.violation
    twin = Incident.objects.create(
        title=f"{incident.title} (autre source)", public_summary=incident.public_summary,
        start_date=incident.start_date, region=incident.region, cercle=incident.cercle, commune=incident.commune,
        status=IncidentStatus.SUBMITTED, confidentiality=incident.confidentiality, organisation=organisation,
        created_by=decider,
    )  # fmt: skip
    twin_violation = Violation.objects.create(incident=twin, type=violation.type)
    people = []
    for target in (violation, twin_violation):
        person = Person.objects.create(
            given_name=WALKTHROUGH_NAME[0], family_name=WALKTHROUGH_NAME[1], sex="female",
            organisation=organisation, confidentiality=incident.confidentiality, created_by=decider,
        )  # fmt: skip
        Victim.objects.create(violation=target, person=person, age_at_time=41)
        people.append(person)
    refresh_counts(incident)
    refresh_counts(twin)
    _confirm(Kind.INCIDENTS, incident.pk, twin.pk, decider)
    _confirm(Kind.PEOPLE, people[0].pk, people[1].pk, decider)


def _confirm(kind: str, a: int, b: int, decider: User) -> None:
    """A reviewer confirms the pair, as in the duplicates queue (kurukan.duplicates.actions)."""
    run = LinkageRun.objects.create(kind=kind, status="done")
    pair = CandidatePair.objects.create(
        run=run, kind=kind, left_id=min(a, b), right_id=max(a, b), probability=0.99
    )
    confirm_pair(pair, decider)


@transaction.atomic
def load_demo() -> int:
    """Claims at every status for the demo (none if the demo already has some). Returns how many were made."""
    organisation = Organisation.objects.filter(code=ORGANISATION).first()
    recorder = User.objects.filter(username=RECORDER).first()
    decider = User.objects.filter(username=DECIDER).first()
    if organisation is None or recorder is None or decider is None:
        return 0
    _walkthrough_victim(organisation, decider)
    if Claim.objects.exists():
        return 0
    made, seen_people = 0, set()
    start = dt.date(2023, 3, 1)
    for victim in _claimable_victims(organisation).exclude(
        person__name_index=Person.index_for(" ".join(WALKTHROUGH_NAME))
    )[:200]:
        if made == len(PLAN):
            break
        if victim.person_id in seen_people:
            continue
        seen_people.add(victim.person_id)
        status, granted = PLAN[made]
        _claim(
            victim.person,
            victim.violation,
            recorder,
            decider,
            status,
            granted,
            start + dt.timedelta(days=9 * made),
        )
        made += 1
    return made
