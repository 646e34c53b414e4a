"""The victims aggregate is never stale (issue #10, item 11): every write path, then the aggregate against a
recount from the victim tables, and the figures read from it against the same figures counted live.

Each test runs one write path (form actions, verification, person edits and categories, merges and their
undo, imports and their updates, the synthetic loader, retention erasure, deletes, a raw bulk update), then
`assert_fresh`: (1) before any refresh, the figures equal the live count (changed violations are counted
live); (2) the path's own refresh left nothing pending and the rows equal a recount; (3) after a full
refresh, the figures are still equal, for several measures, breakdowns, levels and readers.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import replace
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from handmade import HAND, build

from conftest import term
from kurukan.duplicates.actions import confirm_pair, undo_merge
from kurukan.duplicates.models import CandidatePair, Kind, LinkageRun
from kurukan.incidents import actions
from kurukan.incidents.models import (
    GroupVictims,
    Incident,
    Perpetrator,
    VerificationStatus,
    Victim,
    Violation,
)
from kurukan.people.models import Person
from kurukan.people.retention import erase_identity
from kurukan.statistics import aggregates, facts
from kurukan.statistics.counting import NO_FILTERS, Scope, counted_violations, table
from kurukan.statistics.models import LiveCount, VictimCount

VERIFIED = replace(NO_FILTERS, level="verified")
CHILDREN = replace(NO_FILTERS, children_only=True)
PERIOD = replace(NO_FILTERS, date_from=dt.date(2020, 1, 1), date_to=dt.date(2024, 6, 30))
# (measure, breakdown, filters): every victim field, multi-valued fields on both sides, every level.
FIGURES = [
    ("victims", [], NO_FILTERS),
    ("victims", ["age_group", "sex"], NO_FILTERS),
    ("victims", ["child"], VERIFIED),
    ("victims", ["victim_category", "sex"], NO_FILTERS),
    ("victims", ["region", "victim_category"], CHILDREN),
    ("victims", ["perpetrator_category", "child"], NO_FILTERS),
    ("victims", ["violation_or_abuse"], replace(NO_FILTERS, level="reported")),
    ("victims", ["month", "violation_category"], NO_FILTERS),
    ("victims", [], CHILDREN),
    ("mrm", ["quarter", "grave_violation"], replace(CHILDREN, grave_only=True, level="verified")),
    ("mrm", ["sex"], NO_FILTERS),
]


def _figures(scopes, live: bool) -> list:
    return [
        table(measure, by, filters, scope, live=live).as_dict()
        for scope in scopes
        for measure, by, filters in FIGURES
    ]


def assert_facts_agree(*users) -> None:
    """The violation fact rows answer the same violations as the rules' querysets, for every level, a few
    filters and every kind of reader (`facts.py`), and equal a recount from the live tables."""
    assert facts.differences() == []
    scopes = [Scope.everything(), Scope.public(), *(Scope.for_user(u) for u in users)]
    for scope in scopes:
        for filters in (NO_FILTERS, VERIFIED, replace(NO_FILTERS, level="reported"), PERIOD):
            live = set(counted_violations(filters, scope).values_list("pk", flat=True))
            assert set(facts.counted(filters, scope).values_list("violation_id", flat=True)) == live


def assert_fresh(*users) -> None:
    assert_facts_agree(*users)
    scopes = [Scope.everything(), *(Scope.for_user(u) for u in users)]
    live = _figures(scopes, live=True)
    assert _figures(scopes, live=False) == live  # changed violations counted live meanwhile
    assert aggregates.recount_differences() == []
    aggregates.refresh()
    assert not LiveCount.objects.filter(pending=True).exists()
    assert aggregates.recount_differences() == []
    assert _figures(scopes, live=False) == live


def _pending() -> set[int]:
    return set(LiveCount.objects.filter(pending=True).values_list("violation_id", flat=True))


@pytest.fixture
def records(monitor, other_monitor):
    return build(monitor, other_monitor)


def test_the_triggers_are_installed_and_come_back_when_a_migration_drops_them(db):
    assert aggregates.enabled()
    assert aggregates.installed_triggers() == len(aggregates.TRIGGERS)
    with connection.cursor() as cursor:  # what SQLite does when a migration rebuilds the victims table
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER statistics_victim_insert")
        else:
            cursor.execute("DROP TRIGGER statistics_victim_insert ON incidents_victim")
    assert aggregates.installed_triggers() == len(aggregates.TRIGGERS) - 1
    aggregates.ensure_triggers()
    assert aggregates.installed_triggers() == len(aggregates.TRIGGERS)


def test_the_hand_made_records_read_from_the_aggregate_equal_the_hand_count(records, analyst):
    assert not _pending()  # refresh_counts (the form actions' last step) wrote every row
    assert VictimCount.objects.exists()
    hand = HAND["everything"]
    assert table("victims").total == hand["documented"]["victims"]
    assert table("victims", filters=replace(NO_FILTERS, children_only=True)).total == hand["children"]
    by_sex = table("victims", ["sex"])
    assert {row["sex"]: row["value"] for row in by_sex.rows} == hand["by_sex_victims"]
    assert table("mrm").total == hand["documented"]["mrm"]
    assert table("victims", scope=Scope.for_user(analyst)).total == HAND["analyst"]["documented"]["victims"]
    assert_fresh(analyst)


def test_form_actions_add_and_remove_victims_groups_and_violations(records, monitor, analyst):
    v2 = records["violations"]["v2"]
    person = Person(sex="female", birth_year=2015)
    victim = actions.add_victim(v2, monitor, person, Victim(), [term("victim_category", "idp")])
    assert not _pending()
    before = table("victims").total
    actions.add_group(records["violations"]["v4"], monitor, GroupVictims(women=2, unknown=1))
    assert table("victims").total == before + 3
    actions.remove_part(victim, monitor)
    assert table("victims").total == before + 2
    assert not _pending()
    new = actions.add_violation(
        records["c"], monitor, Violation(type=term("violation_type", "liberty.abduction")), []
    )
    actions.add_victim(new, monitor, Person(sex="male"), Victim(age_at_time=9), [])
    actions.remove_violation(records["violations"]["v3"], monitor)
    assert_fresh(analyst)


def test_verification_changes_figures_and_never_the_rows(records, coordinator, analyst):
    v2 = records["violations"]["v2"]
    before = table("victims", filters=replace(NO_FILTERS, level="verified")).total
    actions.verify_violation(
        v2, coordinator, VerificationStatus.VERIFIED, term("standard_of_proof", "reasonable_grounds"), ""
    )
    assert table("victims", filters=replace(NO_FILTERS, level="verified")).total == before + 5
    actions.verify_violation(v2, coordinator, VerificationStatus.DID_NOT_OCCUR, None, "")
    assert_fresh(analyst)


def test_person_edits_categories_and_the_incident_date(records, monitor, analyst):
    child = Person.objects.get(victimisations__violation=records["violations"]["v2"])
    child.sex = "female"
    child.birth_year = 1990
    child.save()
    assert _pending() == {records["violations"]["v2"].pk}
    assert_fresh(analyst)
    child.categories.add(term("victim_category", "hrd"))
    child.categories.remove(term("victim_category", "child"))
    assert records["violations"]["v2"].pk in _pending()
    assert_fresh(analyst)
    Incident.objects.filter(pk=records["c"].pk).update(start_date=dt.date(2005, 5, 2))  # now 15 at the time
    assert records["violations"]["v2"].pk in _pending()
    assert_fresh(analyst)
    Victim.objects.filter(violation=records["violations"]["v1"]).update(age_at_time=70)  # a raw bulk update
    assert_fresh(analyst)


def test_person_merges_and_their_undo(records, monitor, coordinator, analyst):
    awa = Person.objects.get(
        victimisations__violation=records["violations"]["v1"], victimisations__age_at_time=12
    )
    woman = Person.objects.get(victimisations__violation=records["violations"]["v3"])
    run = LinkageRun.objects.create(kind=Kind.PEOPLE, status="done", progress=100)
    pair = CandidatePair.objects.create(
        run=run,
        kind=Kind.PEOPLE,
        left_id=min(awa.pk, woman.pk),
        right_id=max(awa.pk, woman.pk),
        probability=0.95,
    )
    merge = confirm_pair(pair, coordinator)
    assert merge is not None
    assert not _pending()  # the merge refreshed what it changed
    assert_fresh(analyst)
    undo_merge(merge, coordinator)
    assert not _pending()
    assert_fresh(analyst)


def test_one_person_with_two_ages_in_one_violation_is_counted_live(records, monitor, analyst):
    v1 = records["violations"]["v1"]
    amadou_again = Victim.objects.filter(violation=v1, age_at_time=34).order_by("pk").last()
    Victim.objects.filter(pk=amadou_again.pk).update(age_at_time=16)  # the same man (merged), two ages
    aggregates.refresh()
    live = LiveCount.objects.get(violation_id=v1.pk)
    assert live.pending is False
    assert not VictimCount.objects.filter(violation=v1).exists()
    assert_fresh(analyst)


def test_two_perpetrators_of_one_category_count_a_group_once(records, analyst):
    v4 = records["violations"]["v4"]
    Perpetrator.objects.create(violation=v4, category=term("perpetrator_category", "nonstate.jnim"))
    by = table("victims", ["perpetrator_category"], live=True)
    assert by.value(perpetrator_category="nonstate.jnim") == 5 + 10  # C's 5, E's 10 once
    assert_fresh(analyst)


def test_retention_erasure_changes_no_figure_and_no_row(records, analyst):
    rows = sorted(VictimCount.objects.values_list("violation_id", "sex", "age_group", "child", "value"))
    figures = _figures([Scope.everything(), Scope.public()], live=True)
    for person in Person.objects.filter(merged_into__isnull=True):
        erase_identity(person)
    assert not _pending()
    assert (
        sorted(VictimCount.objects.values_list("violation_id", "sex", "age_group", "child", "value")) == rows
    )
    assert _figures([Scope.everything(), Scope.public()], live=False) == figures
    assert_fresh(analyst)


def test_deleting_an_incident_deletes_its_rows(records, analyst):
    records["e"].delete()
    assert not VictimCount.objects.filter(violation__incident=records["e"].pk).exists()
    assert_fresh(analyst)


def test_the_synthetic_loader_and_imports_write_their_rows_in_their_batches(
    records, ohchr, analyst, tmp_path
):
    from kurukan.incidents.synthetic_loader import load_synthetic

    load_synthetic(30, seed=5, batch_size=11)
    assert not _pending()
    assert_fresh(analyst)

    acled = Path(__file__).parent.parent / "imports" / "data" / "acled_mali_synthetic.csv"  # our own rows
    call_command("import", acled, "--organisation", "ohchr", stdout=io.StringIO())
    assert not _pending()
    edited = tmp_path / "acled_edited.csv"
    edited.write_text(
        acled.read_text(encoding="utf-8").replace(
            ",Villagers killed near Anderamboukane.,12,", ",Villagers killed near Anderamboukane.,14,"
        ),
        encoding="utf-8",
    )
    out = io.StringIO()
    call_command("import", edited, "--organisation", "ohchr", stdout=out)  # an update: `imports.updates`
    assert "updated 1" in out.getvalue()
    assert not _pending()
    assert_fresh(analyst)


def test_rebuild_and_check_from_the_command_line(records):
    VictimCount.objects.filter(violation=records["violations"]["v1"]).update(value=99)  # corrupt a row
    out = io.StringIO()
    with pytest.raises(Exception, match="rebuild"):
        call_command("statistics", "check", stdout=out)
    assert f"violation {records['violations']['v1'].pk}" in out.getvalue()
    call_command("statistics", "rebuild", stdout=io.StringIO())
    out = io.StringIO()
    call_command("statistics", "check", stdout=out)
    assert "identiques" in out.getvalue()
    assert table("victims").total == HAND["everything"]["documented"]["victims"]
