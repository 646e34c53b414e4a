"""Capture histories built from linked victim records, checked against tables counted by hand."""

from __future__ import annotations

import datetime as dt

import pytest
from estimate_builders import IMMEDIATE, LISTS, PATTERNS, Lists, form_data, rows, share_with

from conftest import client_for
from kurukan.duplicates.models import CandidatePair, Kind, LinkageRun
from kurukan.estimates.models import EstimateRun

pytestmark = pytest.mark.django_db


@pytest.fixture
def lists(settings, analyst, monitor, ohchr) -> Lists:
    settings.TASKS = IMMEDIATE
    built = Lists(monitor)
    built.populate(PATTERNS)
    return built


def _run(user, **overrides) -> EstimateRun:
    for code in ("amdh", "cndh"):
        share_with(code, user.organisation, user)
    response = client_for(user).post("/estimates/", form_data(**overrides))
    assert response.status_code == 302, response.content.decode()[:2000]
    run = EstimateRun.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
    assert run.status == "done", run.error
    return run


def _table(run: EstimateRun, stratum: int = 0) -> list[dict]:
    return sorted(run.result["strata"][stratum]["table"], key=lambda r: [r[n] for n in LISTS])


def _expected(patterns) -> list[dict]:
    return sorted(rows(patterns), key=lambda r: [r[n] for n in LISTS])


def test_it_counts_each_victim_once_by_the_lists_that_recorded_them(lists, analyst):
    run = _run(analyst)

    assert run.result["lists"] == list(LISTS)
    assert _table(run) == _expected(PATTERNS)
    assert run.result["strata"][0]["observed"] == 45
    assert run.result["strata"][0]["overlap"] == 5 + 4 + 3 + 2
    assert run.result["strata"][0]["on_each_list"] == {"amdh": 23, "cndh": 20, "ohchr": 18}
    assert run.result["people"] == 45
    assert run.result["victim_records"] == 61


def test_the_result_page_shows_the_capture_patterns(lists, analyst):
    run = _run(analyst)

    body = client_for(analyst).get(f"/estimates/{run.pk}/").content.decode()

    assert "AMDH + CNDH + DDHP" in body
    assert "Recoupements des listes" in body


def test_it_leaves_out_what_the_estimate_must_not_count(lists, analyst, monitor, cndh_monitor):
    lists.victim("amdh", violation_type="integrity.torture")  # another type
    lists.victim("cndh", verification="did_not_occur")  # found not to have happened
    lists.victim("ohchr", status="draft")  # not submitted
    lists.victim("amdh", day=dt.date(2021, 6, 1))  # before the period
    lists.group("amdh", men=7)
    lists.group("ohchr", men=4)
    # shared, but strictly confidential: for its author and the coordinators of its organisation only
    lists.victim("cndh", confidentiality="strictly_confidential")

    run = _run(analyst)

    assert _table(run) == _expected(PATTERNS)
    assert run.result["group_victims_excluded"] == 11
    body = client_for(analyst).get(f"/estimates/{run.pk}/").content.decode()
    assert "11 victimes comptées en groupe exclues : on ne peut pas les apparier." in body


def test_a_parent_type_covers_its_sub_types(lists, analyst):
    lists.seen_by(frozenset({"amdh", "cndh"}), violation_type="life.killing_civilians")

    parent = _run(analyst)
    leaf = _run(analyst, violation_type=str(lists.violation("amdh").type_id))

    assert parent.result["strata"][0]["observed"] == 46
    assert leaf.result["strata"][0]["observed"] == 45


def test_verified_only_keeps_verified_violations(lists, analyst):
    lists.populate({frozenset({"amdh", "ohchr"}): 6, frozenset({"cndh"}): 3}, verification="verified")

    run = _run(analyst, verification="verified")

    assert _table(run) == _expected({frozenset({"amdh", "ohchr"}): 6, frozenset({"cndh"}): 3})


def test_strata_by_year_split_the_table(lists, analyst):
    later = {frozenset({"amdh"}): 3, frozenset({"amdh", "cndh", "ohchr"}): 4, frozenset({"ohchr"}): 2}
    lists.populate(later, day=dt.date(2023, 2, 1))

    run = _run(analyst, strata="year")

    assert [s["key"] for s in run.result["strata"]] == ["2022", "2023"]
    assert _table(run, 0) == _expected(PATTERNS)
    assert _table(run, 1) == _expected(later)


def test_a_victim_seen_in_two_years_counts_once_in_the_year_of_most_records(lists, analyst):
    first = lists.victim("amdh", day=dt.date(2023, 1, 5))
    lists.victim("cndh", merged_into=first, day=dt.date(2023, 1, 9))
    lists.victim("ohchr", merged_into=first, day=dt.date(2022, 12, 30))

    run = _run(analyst, strata="year")

    assert run.result["stratum_conflicts"] == 1
    assert _table(run, 1) == _expected({frozenset(LISTS): 1})
    assert sum(s["observed"] for s in run.result["strata"]) == 46


def test_unreviewed_pairs_link_people_only_above_the_chosen_probability(lists, analyst):
    a = lists.victim("amdh")
    b = lists.victim("cndh")
    run = LinkageRun.objects.create(kind=Kind.PEOPLE, status="done", progress=100)
    CandidatePair.objects.create(
        run=run, kind=Kind.PEOPLE, left_id=min(a.pk, b.pk), right_id=max(a.pk, b.pk), probability=0.93
    )

    confirmed_only = _run(analyst)
    with_pairs = _run(analyst, matching="pairs", min_probability="0,9")
    strict = _run(analyst, matching="pairs", min_probability="0,95")

    expected_apart = dict(PATTERNS)
    expected_apart[frozenset({"amdh"})] += 1
    expected_apart[frozenset({"cndh"})] += 1
    expected_joined = dict(PATTERNS)
    expected_joined[frozenset({"amdh", "cndh"})] += 1
    assert _table(confirmed_only) == _expected(expected_apart)
    assert _table(with_pairs) == _expected(expected_joined)
    assert with_pairs.result["pairs_used"] == 1
    assert _table(strict) == _expected(expected_apart)


def test_victims_of_an_incident_merged_into_another_still_count_for_their_list(lists, analyst):
    """A merge says two reports are one event; the first organisation did record its victims."""
    merged = lists.victim("cndh", day=dt.date(2022, 5, 1))
    incident = merged.victimisations.get().violation.incident
    incident.merged_into = lists.violation("ohchr").incident
    incident.save()

    run = _run(analyst)

    expected = dict(PATTERNS)
    expected[frozenset({"cndh"})] = expected.get(frozenset({"cndh"}), 0) + 1
    assert _table(run) == _expected(expected)
