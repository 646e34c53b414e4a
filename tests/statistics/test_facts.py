"""The violation fact table is never stale (issue #10, item 11): every write that changes what a figure
filters or groups on, then the fact rows against a recount from the live tables and the rules' querysets
(`assert_facts_agree`), and the figures read from them against the same figures counted live (`assert_fresh`).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import replace

import pytest
from django.core.management import call_command
from django.db import connection
from handmade import HAND, build
from test_aggregates import assert_facts_agree, assert_fresh

from conftest import term, unit
from kurukan.accounts.models import Confidentiality
from kurukan.duplicates.actions import confirm_pair, undo_merge
from kurukan.duplicates.models import CandidatePair, Kind, LinkageRun
from kurukan.incidents import actions
from kurukan.incidents.models import (
    CountedBy,
    DatePrecision,
    Incident,
    IncidentStatus,
    Source,
    Violation,
)
from kurukan.statistics import facts
from kurukan.statistics.counting import NO_FILTERS, Scope, table
from kurukan.statistics.models import ViolationFact


@pytest.fixture
def records(monitor, other_monitor):
    return build(monitor, other_monitor)


def _fact(violation) -> ViolationFact:
    return ViolationFact.objects.get(violation_id=violation.pk)


def test_the_migration_wrote_a_row_per_violation_with_the_rules_flags(records, analyst):
    assert facts.installed_triggers() == len(facts.TRIGGERS)
    assert ViolationFact.objects.count() == Violation.objects.count()
    v1, v2 = records["violations"]["v1"], records["violations"]["v2"]
    assert (_fact(v1).reported, _fact(v1).documented, _fact(v1).verified) == (True, True, True)
    assert (_fact(v2).reported, _fact(v2).documented, _fact(v2).verified) == (True, True, False)
    assert (_fact(v1).year, _fact(v1).quarter, _fact(v1).month) == (2022, 20221, 202203)
    assert _fact(v1).commune.pcode == "ML050301"
    assert table("incidents").total == HAND["everything"]["documented"]["incidents"]
    assert_fresh(analyst)


def test_incident_edits_move_its_violations_rows(records, monitor, analyst):
    a = records["a"]
    a.start_date = dt.date(2019, 11, 30)
    a.date_precision = DatePrecision.YEAR
    place = unit("ML070101")
    a.commune, a.cercle, a.region = place, place.parent, place.region
    a.confidentiality = Confidentiality.RESTRICTED
    actions.save_incident(a, monitor, created=False)
    row = _fact(records["violations"]["v1"])
    assert (row.year, row.quarter, row.month, row.region.pcode) == (2019, None, None, "ML07")
    assert table("violations", ["year"]).value(year=2019) == 1
    assert_fresh(analyst)
    Incident.objects.filter(pk=records["c"].pk).update(
        status=IncidentStatus.DRAFT, end_date=dt.date(2023, 1, 1)
    )
    assert not _fact(records["violations"]["v2"]).reported
    assert_fresh(analyst)


def test_sources_make_an_incident_documented_and_back(records, monitor, analyst):
    h = records["h"]
    (v5,) = Violation.objects.filter(incident=h)
    assert not _fact(v5).documented
    source = actions.add_source(h, monitor, Source(language="fr"))
    assert _fact(v5).documented
    assert_fresh(analyst)
    Source.objects.filter(pk=source.pk).update(incident=records["e"])  # moved to another incident
    assert not _fact(v5).documented
    assert_fresh(analyst)
    for source in Source.objects.filter(incident=records["c"]):
        actions.remove_part(source, monitor)
    assert not _fact(records["violations"]["v2"]).documented
    assert_fresh(analyst)


def test_violation_changes_and_deletes(records, monitor, coordinator, analyst):
    v2 = records["violations"]["v2"]
    Violation.objects.filter(pk=v2.pk).update(
        type=term("violation_type", "liberty.abduction"), counted_by=CountedBy.INCIDENT
    )
    assert (_fact(v2).type.code, _fact(v2).counted_by) == ("liberty.abduction", CountedBy.INCIDENT)
    assert_fresh(analyst)
    Violation.objects.filter(pk=v2.pk).update(incident=records["h"])  # moved to an undocumented incident
    assert not _fact(v2).documented
    assert_fresh(analyst)
    new = actions.add_violation(
        records["e"], monitor, Violation(type=term("violation_type", "integrity.torture")), []
    )
    assert _fact(new).documented
    actions.remove_violation(new, monitor)
    assert not ViolationFact.objects.filter(violation_id=new.pk).exists()
    assert_fresh(analyst)


def test_incident_merges_and_their_undo(records, coordinator, analyst):
    c, h = records["c"], records["h"]
    run = LinkageRun.objects.create(kind=Kind.INCIDENTS, status="done", progress=100)
    pair = CandidatePair.objects.create(
        run=run, kind=Kind.INCIDENTS, left_id=min(c.pk, h.pk), right_id=max(c.pk, h.pk), probability=0.9
    )
    merge = confirm_pair(pair, coordinator)
    assert merge is not None
    merged = Incident.objects.get(pk=max(c.pk, h.pk))
    assert merged.merged_into_id is not None
    assert not any(_fact(v).reported for v in Violation.objects.filter(incident=merged))
    assert_fresh(analyst)
    undo_merge(merge, coordinator)
    assert all(_fact(v).reported for v in Violation.objects.filter(incident=merged))
    assert_fresh(analyst)


def test_public_scope_on_the_rows_follows_the_organisations_setting(records, monitor):
    organisation = monitor.organisation
    before = table("violations", scope=Scope.public()).total
    organisation.public_figures_include_confidential = True
    organisation.save()
    assert table("violations", scope=Scope.public()).total > before
    assert_facts_agree()


def test_triggers_come_back_and_check_and_rebuild_cover_the_rows(records):
    with connection.cursor() as cursor:  # what SQLite does when a migration rebuilds the violations table
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER violationfact_violation_update")
        else:
            cursor.execute("DROP TRIGGER violationfact_violation_update ON incidents_violation")
    assert facts.installed_triggers() == len(facts.TRIGGERS) - 1
    Violation.objects.filter(pk=records["violations"]["v2"].pk).update(verification_status="verified")
    assert facts.differences()  # missed while the trigger was gone
    facts.ensure_triggers()
    assert facts.installed_triggers() == len(facts.TRIGGERS)
    assert facts.differences() == []  # rewritten when put back
    ViolationFact.objects.filter(violation_id=records["violations"]["v1"].pk).update(verified=False)
    out = io.StringIO()
    with pytest.raises(Exception, match="rebuild"):
        call_command("statistics", "check", stdout=out)
    assert "fact row" in out.getvalue()
    call_command("statistics", "rebuild", stdout=io.StringIO())
    assert facts.differences() == []
    assert (
        table("victims", filters=replace(NO_FILTERS, level="verified")).total
        == HAND["everything"]["verified"]["victims"] + 5
    )
