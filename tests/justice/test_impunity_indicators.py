"""The impunity indicators equal a count made by hand on a small registry."""

from __future__ import annotations

import datetime as dt

import pytest
from justice_builders import make_case, verified_violation

from conftest import make_incident
from kurukan.statistics.counting import Scope
from kurukan.statistics.impunity import impunity

D = dt.date


@pytest.fixture
def registry(monitor):
    """Five verified violations and one merely reported:
    - Mopti (ML05), execution, non-State, 2022-03-14: case with complaint then judgment (conviction) → judged
    - Mopti, execution, non-State, 2022-03-14: case with complaint 2022-04-13 only
    - Mopti, torture, State (FAMa), 2022-03-14: case investigation 2022-05-13, trial 2022-09-10
    - Ségou (ML04), execution, non-State, 2022-03-14: no case
    - Ségou, torture, State, 2022-03-14: no case
    - reported only (not verified), with a case: never counted.
    """
    mopti_exec = [verified_violation(monitor) for _ in range(2)]
    mopti_torture = verified_violation(
        monitor, violation_type="integrity.torture", actor_category="state.fdsm"
    )
    segou = verified_violation(monitor, commune="ML040101")
    segou_torture = verified_violation(
        monitor, commune="ML040101", violation_type="integrity.torture", actor_category="state.fdsm"
    )
    reported = make_incident(monitor).violations.get()
    make_case(
        monitor, [mopti_exec[0]], ("complaint", D(2022, 3, 24)), ("judgment", D(2023, 3, 14), "conviction")
    )
    make_case(monitor, [mopti_exec[1]], ("complaint", D(2022, 4, 13)))
    make_case(monitor, [mopti_torture], ("investigation", D(2022, 5, 13)), ("trial", D(2022, 9, 10)))
    make_case(monitor, [reported], ("judgment", D(2022, 6, 1), "acquittal"))
    return mopti_exec, mopti_torture, segou, segou_torture


def test_the_total_equals_a_hand_count(registry):
    total = impunity().total
    assert (total.verified, total.with_case, total.no_case) == (5, 3, 2)
    # "At least" each step: the judged case went through an investigation and a trial.
    assert (total.investigation, total.trial, total.judgment) == (2, 2, 1)
    assert total.share("no_case") == 40.0
    # Days to the first act: 10, 30, 60 → median 30; to judgment: 365 only.
    assert total.days_to_first_act == 30.0
    assert total.days_to_judgment == 365.0


def test_by_region_equals_a_hand_count(registry):
    table = impunity("region")
    mopti, segou = table.row("ML05"), table.row("ML04")
    assert (mopti.verified, mopti.no_case, mopti.investigation, mopti.trial, mopti.judgment) == (
        3,
        0,
        2,
        2,
        1,
    )
    assert (segou.verified, segou.no_case, segou.judgment) == (2, 2, 0)
    assert segou.days_to_first_act is None
    assert mopti.share("judgment") == pytest.approx(100 / 3)


def test_by_type_and_perpetrator_category(registry):
    by_type = impunity("violation_type")
    assert by_type.row("life.summary_execution").verified == 3
    assert by_type.row("life.summary_execution").with_case == 2
    assert by_type.row("integrity.torture").trial == 1
    by_category = impunity("perpetrator_category")
    assert by_category.row("state.fdsm").verified == 2
    assert by_category.row("state.fdsm").no_case == 1


def test_a_user_counts_over_what_they_may_see(registry, cndh_monitor):
    assert impunity(scope=Scope.for_user(cndh_monitor)).total.verified == 0


def test_the_page_and_the_api_show_the_same_figures_in_french_and_english(registry, monitor):
    from django.urls import reverse

    from conftest import client_for, english_client_for

    page = client_for(monitor).get(reverse("justice:impunity"), {"by": "region"}).content.decode()
    assert '<dd id="total-no-case">2</dd>' in page and "Sans aucune procédure" in page
    assert "<svg" in page and "Mopti" in page
    english = english_client_for(monitor).get(reverse("justice:impunity")).content.decode()
    assert "With no case" in english and "Median time to judgment (days)" in english
    data = client_for(monitor).get(reverse("api:impunity"), {"by": "region"}).json()
    mopti = next(r for r in data["rows"] if r["code"] == "ML05")
    assert (mopti["verified"], mopti["judgment"], data["total"]["no_case"]) == (3, 1, 2)
    bad = client_for(monitor).get(reverse("api:impunity"), {"by": "sex"})
    assert bad.status_code == 422
