"""People named only in a merged duplicate report are victims of the survivor (rules.py), counted by hand.

S  Bankass, 14 Mar 2022, one source. Summary execution, VERIFIED, by FDSM. Amadou (man, 34); a group
   of 2 men.                                                         → 3 victims
D  A second report of S, merged into S. Summary execution naming Amadou again (a record merged into
   his), Moussa (man, 30) and Fanta (girl, 9), neither named in S; torture of Bintou, a type S does
   not record; the same 2 men.                       → +2 (Moussa, Fanta); Bintou and the group: +0
D2 A third report, merged into D (a chain), STRICTLY CONFIDENTIAL, by another monitor. Summary
   execution naming Moussa (the same record) and Oumar (man, 50), named nowhere else.    → +1 (Oumar)

Everything: 6 victims (5 male, 1 female), 1 child, 1 violation, 1 incident, all in Mopti (ML05).
The analyst does not see D2: 5 victims.
"""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from handmade import BANKASS, _incident, _person, _violation

from conftest import client_for
from kurukan.accounts.models import Confidentiality
from kurukan.incidents.actions import refresh_counts
from kurukan.incidents.models import GroupVictims, Incident, VerificationStatus, Victim
from kurukan.statistics.counting import (
    Filters,
    Scope,
    children_per_violation,
    table,
    victims_per_violation,
)

DAY = dt.date(2022, 3, 14)
EXECUTION = "life.summary_execution"


@pytest.fixture
def records(monitor, other_monitor):
    amadou = _person(monitor, "male")
    moussa = _person(monitor, "male")
    s = _incident(monitor, BANKASS, DAY)
    vs = _violation(s, EXECUTION, VerificationStatus.VERIFIED, "state.fdsm")
    Victim.objects.create(violation=vs, person=amadou, age_at_time=34)
    GroupVictims.objects.create(violation=vs, men=2)

    d = _incident(monitor, BANKASS, DAY)
    vd = _violation(d, EXECUTION, VerificationStatus.VERIFIED, "state.fdsm")
    Victim.objects.create(violation=vd, person=_person(monitor, "male", merged_into=amadou), age_at_time=34)
    Victim.objects.create(violation=vd, person=moussa, age_at_time=30)
    Victim.objects.create(violation=vd, person=_person(monitor, "female"), age_at_time=9)
    GroupVictims.objects.create(violation=vd, men=2)
    torture = _violation(d, "integrity.torture", VerificationStatus.VERIFIED, "state.fdsm")
    Victim.objects.create(violation=torture, person=_person(monitor, "female"), age_at_time=22)

    d2 = _incident(other_monitor, BANKASS, DAY, confidentiality=Confidentiality.STRICTLY_CONFIDENTIAL)
    vd2 = _violation(d2, EXECUTION, VerificationStatus.VERIFIED, "state.fdsm")
    Victim.objects.create(violation=vd2, person=moussa, age_at_time=30)
    Victim.objects.create(violation=vd2, person=_person(other_monitor, "male"), age_at_time=50)

    Incident.objects.filter(pk=d.pk).update(merged_into=s)
    Incident.objects.filter(pk=d2.pk).update(merged_into=d)
    for incident in (s, d, d2):
        refresh_counts(incident)
    return {"survivor_violation": vs}


@pytest.mark.parametrize("level", ["reported", "documented", "verified"])
def test_people_named_only_in_a_merged_duplicate_count_once_on_the_survivor(records, level):
    filters = Filters(level=level)
    assert table("victims", filters=filters).total == 6
    assert table("violations", filters=filters).total == 1
    assert table("incidents", filters=filters).total == 1
    assert table("mrm", filters=filters).total == 6


def test_their_breakdowns_read_the_survivor_and_the_victim(records):
    assert table("victims", by=["region"]).rows == [{"region": "ML05", "value": 6}]
    by_sex = table("victims", by=["sex"])
    assert (by_sex.value(sex="male"), by_sex.value(sex="female")) == (5, 1)
    by_child = table("victims", by=["child", "violation_type"])
    assert by_child.value(child="child", violation_type=EXECUTION) == 1
    assert by_child.value(child="adult", violation_type=EXECUTION) == 5
    assert table("victims", filters=Filters(children_only=True)).total == 1


def test_a_duplicate_the_reader_may_not_see_adds_no_one(records, analyst):
    assert table("victims", scope=Scope.for_user(analyst)).total == 5


def test_the_export_column_the_api_and_the_cli_say_the_same(records, administrator):
    pk = records["survivor_violation"].pk
    assert victims_per_violation([pk]) == {pk: 6}
    assert children_per_violation([pk]) == {pk: 1}
    api = client_for(administrator).get("/api/statistics/table", {"measure": "victims"})
    assert api.json()["total"] == 6
    buffer = io.StringIO()
    call_command("statistics", "--measure", "victims", "--by", "sex", "--json", stdout=buffer)
    got = json.loads(buffer.getvalue())
    assert got["total"] == 6
    assert {row["sex"]: row["value"] for row in got["rows"]} == {"male": 5, "female": 1}


def test_one_organisations_counts_take_only_its_own_duplicate_reports(records, monitor, cndh):
    # D becomes another organisation's report: Fanta, named only there, leaves the first organisation's
    # counts; Moussa stays (D2, its own report, names him too).
    Incident.objects.filter(title="Incident construit à la main", merged_into__isnull=False).exclude(
        confidentiality=Confidentiality.STRICTLY_CONFIDENTIAL
    ).update(organisation=cndh)
    own = Filters(organisation=monitor.organisation)
    assert table("victims", filters=own).total == 5
    assert table("victims").total == 6
