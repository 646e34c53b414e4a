"""The background job: the stored estimate is the library's estimate on the same table, with progress."""

from __future__ import annotations

import datetime as dt

import pytest
from babel.numbers import format_decimal
from estimate_builders import IMMEDIATE, LISTS, PATTERNS, Lists, form_data, rows, share_with

from conftest import client_for
from kurukan.analysis.estimation import CaptureTable, estimate_lcmcr, estimate_loglinear, estimate_stratified
from kurukan.estimates.models import EstimateRun
from kurukan.estimates.tasks import estimate_victims

pytestmark = pytest.mark.django_db

LATER = {frozenset({"amdh"}): 6, frozenset({"cndh"}): 5, frozenset({"ohchr"}): 4,
         frozenset({"amdh", "cndh"}): 3, frozenset({"amdh", "ohchr"}): 3, frozenset({"cndh", "ohchr"}): 2,
         frozenset(LISTS): 2}  # fmt: skip


@pytest.fixture
def lists(analyst, monitor) -> Lists:
    built = Lists(monitor)
    built.populate(PATTERNS)
    built.populate(LATER, day=dt.date(2023, 4, 2))
    for code in ("amdh", "cndh"):
        share_with(code, analyst.organisation, analyst)
    return built


def _post(user, **overrides) -> EstimateRun:
    response = client_for(user).post("/estimates/", form_data(**overrides))
    assert response.status_code == 302, response.content.decode()[:2000]
    return EstimateRun.objects.latest("pk")


def _fr(value: float) -> str:
    return format_decimal(round(value), locale="fr")


def test_the_stored_estimate_is_the_librarys_on_the_same_table(settings, lists, analyst):
    settings.TASKS = IMMEDIATE
    run = _post(analyst, date_to="2022-12-31", criterion="bic")

    expected = estimate_loglinear(
        CaptureTable.from_rows(rows(PATTERNS), lists=LISTS),
        criterion="bic",
        bootstrap=100,
        seed=7,
        level=0.95,
    )
    total = run.result["total"]
    assert run.status == "done" and run.progress == 100
    assert total["observed"] == expected.observed == 45
    assert total["estimate"] == pytest.approx(expected.estimate)
    assert total["ci_low"] == pytest.approx(expected.ci_low)
    assert total["ci_high"] == pytest.approx(expected.ci_high)
    assert total["model"] == expected.model
    assert run.result["strata"][0]["estimate"] == pytest.approx(expected.estimate)

    body = client_for(analyst).get(f"/estimates/{run.pk}/").content.decode()
    shown = f"{_fr(expected.estimate)} ({_fr(expected.ci_low)}–{_fr(expected.ci_high)})"
    assert shown in body


def test_strata_are_estimated_and_added_up_as_the_library_does(settings, lists, analyst):
    settings.TASKS = IMMEDIATE
    run = _post(analyst, strata="year")

    tables = {
        "2022": CaptureTable.from_rows(rows(PATTERNS), lists=LISTS),
        "2023": CaptureTable.from_rows(rows(LATER), lists=LISTS),
    }
    expected = estimate_stratified(tables, method="loglinear", criterion="stepwise", bootstrap=100, seed=7)
    assert run.result["total"]["estimate"] == pytest.approx(expected.total.estimate)
    assert run.result["total"]["ci_low"] == pytest.approx(expected.total.ci_low)
    assert run.result["total"]["ci_high"] == pytest.approx(expected.total.ci_high)
    for stratum in run.result["strata"]:
        assert stratum["estimate"] == pytest.approx(expected.strata[stratum["key"]].estimate)


def test_lcmcr_gives_the_librarys_posterior(settings, lists, analyst):
    settings.TASKS = IMMEDIATE
    run = _post(analyst, date_to="2022-12-31", method="lcmcr", samples="100")

    expected = estimate_lcmcr(
        CaptureTable.from_rows(rows(PATTERNS), lists=LISTS), seed=7, samples=100, burnin=100, level=0.95
    )
    assert run.result["total"]["estimate"] == pytest.approx(expected.estimate)
    assert run.result["total"]["ci_high"] == pytest.approx(expected.ci_high)
    assert run.result["total"]["method"] == "lcmcr"


def test_a_queued_estimate_shows_its_progress_until_the_worker_has_run_it(lists, analyst):
    # the database backend only queues: nothing runs until a worker (here, a direct call) takes it
    run = _post(analyst)
    client = client_for(analyst)

    assert run.status == "queued"
    page = client.get(f"/estimates/{run.pk}/").content.decode()
    assert f'hx-get="/estimates/{run.pk}/progress/"' in page
    assert "HX-Refresh" not in client.get(f"/estimates/{run.pk}/progress/")

    estimate_victims.call(run.pk)

    finished = client.get(f"/estimates/{run.pk}/progress/")
    assert finished["HX-Refresh"] == "true"
    run.refresh_from_db()
    assert run.status == "done" and run.progress == 100


def test_a_stratum_with_too_little_overlap_is_reported_not_estimated(settings, lists, analyst, monitor):
    settings.TASKS = IMMEDIATE
    lists.populate(
        {frozenset({"amdh"}): 3, frozenset({"cndh"}): 2}, day=dt.date(2022, 6, 1), commune="ML070101"
    )
    for code in ("amdh", "cndh"):
        share_with(code, analyst.organisation, analyst)

    run = _post(analyst, strata="region", date_to="2022-12-31")

    by_key = {s["key"]: s for s in run.result["strata"]}
    small = next(s for s in by_key.values() if s["observed"] == 5)
    assert small["estimate"] is None and small["reason_code"] == "no_overlap"
    assert run.result["total"]["excluded_strata"] == [small["key"]]
    assert run.result["total"]["observed"] == 45
    body = client_for(analyst).get(f"/estimates/{run.pk}/").content.decode()
    assert "Aucune victime ne figure sur deux listes" in body
    assert (
        "moins de 10 victimes figurent sur plus d&#x27;une liste" in body
        or "moins de 10 victimes figurent sur plus d'une liste" in body
    )


def test_a_failed_estimate_says_why_in_french_and_names_no_record(lists, analyst):
    run = _post(analyst)
    EstimateRun.objects.filter(pk=run.pk).update(requested_by=None)  # the requester's account was deleted

    estimate_victims.call(run.pk)

    run.refresh_from_db()
    assert run.status == "failed"
    assert run.error == "Refused"
    assert run.stage == "le compte qui a demandé cette estimation n'existe plus."
