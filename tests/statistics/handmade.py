"""A small dataset built by hand, and its figures counted by hand (the issue's "done when" test).

Every path that shows a figure (dashboard page, API, CSV download, `kurukan statistics --json`, and later
the violation export's `victims` column and the public page) is checked against HAND below.

    A  Bankass (Mopti), 14 Mar 2022, one source. Summary execution, VERIFIED, by FDSM (State).
       Victims: Amadou (man, 34) named twice — once as his own record, once as a record a reviewer merged
       into his —, Awa (girl, 12); a group of 3 men and 2 girls.          → 2 people + 5 = 7 victims
    B  A second report of A, merged into A by the duplicates app. Summary execution naming Amadou again
       (a third record, merged into his).                                  → not counted again
    C  Gao, May 2022, one source. Recruitment and use of children, REPORTED (unverified), by JNIM.
       Victims: a boy of unknown age carrying the child category; a group of 4 boys. → 5 victims, 5 children
    D  Bankass, Jun 2022, one source, STRICTLY CONFIDENTIAL, written by another monitor. Torture,
       VERIFIED, by FDSM. One woman, 40.                                   → 1 victim (not for the analyst)
    E  Bankass, Jul 2022, one source. Attack on a school, VERIFIED, by JNIM; a group of 6 girls and 4 boys.
       MRM counts it by incident.                                          → 10 victims, 1 for the MRM
    F  A draft (not counted). G  a violation found not to have occurred (not counted).
    H  Gao, Aug 2022, NO source (reported, not documented). Abduction, reported, by JNIM; one man, 25.
"""

from __future__ import annotations

import datetime as dt

from conftest import term, unit
from kurukan.accounts.models import Confidentiality
from kurukan.incidents.actions import refresh_counts
from kurukan.incidents.models import (
    GroupVictims,
    Incident,
    IncidentStatus,
    Perpetrator,
    Source,
    VerificationStatus,
    Victim,
    Violation,
)
from kurukan.people.models import Person

BANKASS = "ML050301"  # commune, cercle ML0503, region ML05 (Mopti)
GAO = "ML070101"


def _incident(user, commune: str, day: dt.date, *, status=IncidentStatus.SUBMITTED, source=True, **kw):
    place = unit(commune)
    incident = Incident.objects.create(
        title="Incident construit à la main",
        start_date=day,
        commune=place,
        cercle=place.parent,
        region=place.region,
        status=status,
        organisation=user.organisation,
        created_by=user,
        confidentiality=kw.pop("confidentiality", Confidentiality.INTERNAL),
        **kw,
    )
    if source:
        Source.objects.create(incident=incident, language="fr")
    return incident


def _violation(incident, type_code: str, status: str, category: str) -> Violation:
    violation = Violation.objects.create(
        incident=incident, type=term("violation_type", type_code), verification_status=status
    )
    Perpetrator.objects.create(violation=violation, category=term("perpetrator_category", category))
    return violation


def _person(user, sex: str, *, categories=(), merged_into=None, birth_year=None) -> Person:
    person = Person.objects.create(
        sex=sex,
        organisation=user.organisation,
        created_by=user,
        merged_into=merged_into,
        birth_year=birth_year,
    )
    for code in categories:
        person.categories.add(term("victim_category", code))
    return person


def build(monitor, other_monitor) -> dict:
    amadou = _person(monitor, "male")
    amadou_again = _person(monitor, "male", merged_into=amadou)
    amadou_third = _person(monitor, "male", merged_into=amadou_again)  # a chain: third → again → amadou
    awa = _person(monitor, "female")

    a = _incident(monitor, BANKASS, dt.date(2022, 3, 14))
    v1 = _violation(a, "life.summary_execution", VerificationStatus.VERIFIED, "state.fdsm")
    Victim.objects.create(violation=v1, person=amadou, age_at_time=34)
    Victim.objects.create(violation=v1, person=amadou_again, age_at_time=34)
    Victim.objects.create(violation=v1, person=awa, age_at_time=12)
    GroupVictims.objects.create(violation=v1, men=3, girls=2)

    b = _incident(monitor, BANKASS, dt.date(2022, 3, 14))
    vb = _violation(b, "life.summary_execution", VerificationStatus.VERIFIED, "state.fdsm")
    Victim.objects.create(violation=vb, person=amadou_third, age_at_time=34)
    Incident.objects.filter(pk=b.pk).update(merged_into=a)

    c = _incident(monitor, GAO, dt.date(2022, 5, 2))
    v2 = _violation(c, "children.recruitment_use", VerificationStatus.REPORTED, "nonstate.jnim")
    Victim.objects.create(violation=v2, person=_person(monitor, "male", categories=["child"]))
    GroupVictims.objects.create(violation=v2, boys=4)

    d = _incident(
        other_monitor, BANKASS, dt.date(2022, 6, 20), confidentiality=Confidentiality.STRICTLY_CONFIDENTIAL
    )
    v3 = _violation(d, "integrity.torture", VerificationStatus.VERIFIED, "state.fdsm")
    Victim.objects.create(violation=v3, person=_person(other_monitor, "female"), age_at_time=40)

    e = _incident(monitor, BANKASS, dt.date(2022, 7, 1))
    v4 = _violation(e, "protected.attack_school", VerificationStatus.VERIFIED, "nonstate.jnim")
    GroupVictims.objects.create(violation=v4, girls=6, boys=4)

    f = _incident(monitor, BANKASS, dt.date(2022, 7, 2), status=IncidentStatus.DRAFT)
    vf = _violation(f, "life.summary_execution", VerificationStatus.REPORTED, "state.fdsm")
    GroupVictims.objects.create(violation=vf, men=50)

    g = _incident(monitor, GAO, dt.date(2022, 7, 3))
    vg = _violation(g, "life.summary_execution", VerificationStatus.DID_NOT_OCCUR, "state.fdsm")
    GroupVictims.objects.create(violation=vg, men=40)

    h = _incident(monitor, GAO, dt.date(2022, 8, 9), source=False)
    v5 = _violation(h, "liberty.abduction", VerificationStatus.REPORTED, "nonstate.jnim")
    Victim.objects.create(violation=v5, person=_person(monitor, "male"), age_at_time=25)

    for incident in (a, b, c, d, e, f, g, h):
        refresh_counts(incident)
    return {"a": a, "c": c, "d": d, "e": e, "h": h, "violations": {"v1": v1, "v2": v2, "v3": v3, "v4": v4}}


# Figures counted by hand from the docstring. "documented" leaves out H (no source); the analyst does not
# see D (strictly confidential, another author).
HAND = {
    "everything": {
        "documented": {"incidents": 4, "violations": 4, "victims": 7 + 5 + 1 + 10, "mrm": 7 + 5 + 1 + 1},
        "verified": {"incidents": 3, "violations": 3, "victims": 7 + 1 + 10},
        "reported": {"incidents": 5, "violations": 5, "victims": 7 + 5 + 1 + 10 + 1},
        "children": 3 + 5 + 10,
        "by_region_victims": {"ML05": 7 + 1 + 10, "ML07": 5},
        "by_sex_victims": {"male": 1 + 3 + 1 + 4 + 4, "female": 1 + 2 + 1 + 6},
        "by_abuse_violations": {"violation": 2, "abuse": 2},
    },
    "analyst": {
        "documented": {"incidents": 3, "violations": 3, "victims": 7 + 5 + 10},
        "verified": {"victims": 7 + 10},
    },
}
