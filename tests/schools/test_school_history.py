"""The history rules, through the school page's status-change form (with and without htmx) and the register."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from school_builders import add_status, make_school

from conftest import assert_no_stack_trace, client_for, english_client_for, field_errors, term
from kurukan.schools import history
from kurukan.schools.models import School, StatusChange

D = dt.date


@pytest.fixture
def school(monitor):
    school = make_school()
    add_status(school, monitor, "open", D(2019, 10, 1), reason=None)
    add_status(school, monitor, "closed", D(2022, 1, 10), reason="direct_threat")
    add_status(school, monitor, "reopened", D(2023, 10, 2), reason=None)
    return school


def post_status(client, school, htmx=False, **data):
    body = {"status": "", "starts_on": "", "date_precision": "day", "reason": "", "source": "", **data}
    headers = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "history"} if htmx else {}
    return client.post(reverse("schools:status_add", args=[school.code]), body, **headers)


def closed_codes(day):
    return set(School.objects.closed_on(day).values_list("code", flat=True))


def test_closed_on_a_date_comes_from_the_entry_in_force_that_day(school, monitor):
    assert closed_codes(D(2021, 12, 31)) == set()
    assert closed_codes(D(2022, 1, 10)) == {school.code}
    assert closed_codes(D(2023, 10, 1)) == {school.code}
    assert closed_codes(D(2023, 10, 2)) == set()
    # A damaged school keeps the state of the entry before it: it does not reopen a closed school.
    other = make_school("ML-EC-0002", name="École de Ségué")
    add_status(other, monitor, "closed", D(2022, 3, 1))
    add_status(other, monitor, "damaged", D(2022, 6, 1))
    assert other.code in closed_codes(D(2022, 7, 1))


def test_for_how_long_the_school_was_closed_is_shown_on_its_page(school, monitor):
    page = client_for(monitor).get(reverse("schools:detail", args=[school.code]))
    body = page.content.decode()
    days = (D(2023, 10, 2) - D(2022, 1, 10)).days
    assert f"Fermée {days} jours au total" in body
    assert "Fermée du 10/01/2022 au 02/10/2023" in body


def test_an_overlapping_closure_is_refused_naming_the_earlier_entry(school, monitor):
    closure = StatusChange.objects.get(school=school, status__code="closed")
    response = post_status(
        client_for(monitor), school, status=term("school_status", "closed").pk, starts_on="2022-05-01",
        reason=term("closure_reason", "insecurity").pk,
    )  # fmt: skip
    assert response.status_code == 422
    assert_no_stack_trace(response)
    [message] = field_errors(response.content, "starts_on")
    assert f"n° {closure.pk} « Fermée » du 10/01/2022" in message
    assert "chevauche" in message
    assert StatusChange.objects.filter(school=school).count() == 3


def test_reopening_a_school_that_was_not_closed_is_refused(school, monitor):
    response = post_status(
        client_for(monitor),
        school,
        htmx=True,
        status=term("school_status", "reopened").pk,
        starts_on="2021-03-01",
    )
    assert response.status_code == 200  # htmx swaps only 2xx answers: the message must reach the screen
    [message] = field_errors(response.content, "starts_on")
    assert "« Ouverte » du 01/10/2019" in message
    assert "Changement d" not in response.content.decode()  # no "recorded" message with a refusal


def test_an_entry_that_makes_a_later_one_contradictory_is_refused_naming_it(school, monitor):
    reopening = StatusChange.objects.get(school=school, status__code="reopened")
    response = post_status(
        client_for(monitor), school, status=term("school_status", "reopened").pk, starts_on="2022-06-01"
    )
    [message] = field_errors(response.content, "starts_on")
    assert f"n° {reopening.pk} « Rouverte » du 02/10/2023" in message


def test_two_states_on_one_day_are_refused(school, monitor):
    with pytest.raises(ValidationError) as refused:
        add_status(school, monitor, "occupied", D(2022, 1, 10))
    assert "Une entrée existe déjà à cette date" in refused.value.message_dict["starts_on"][0]


def test_without_javascript_a_status_change_redirects_to_the_updated_page(school, monitor):
    client = client_for(monitor)
    response = post_status(
        client, school, status=term("school_status", "occupied").pk, starts_on="2024-02-01",
        reason=term("closure_reason", "occupation").pk, occupier_category=term("perpetrator_category", "nonstate.jnim").pk,
    )  # fmt: skip
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Changement d&#x27;état enregistré." in page or "Changement d'état enregistré." in page
    assert closed_codes(D(2024, 3, 1)) == {school.code}
    entry = StatusChange.objects.get(school=school, status__code="occupied")
    assert entry.organisation == monitor.organisation and entry.history.count() == 1


def test_with_htmx_the_timeline_comes_back_with_the_new_entry(school, monitor):
    response = post_status(
        client_for(monitor), school, htmx=True, status=term("school_status", "closed").pk,
        starts_on="2024-01-15", reason=term("closure_reason", "teachers_absent").pk,
    )  # fmt: skip
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body and "Absence des enseignants" in body and "Fermée depuis le 15/01/2024" in body


def test_a_closure_without_a_reason_says_what_to_add_in_english_too(school, monitor):
    response = post_status(
        english_client_for(monitor), school, status=term("school_status", "closed").pk, starts_on="2024-01-15"
    )
    assert response.status_code == 422
    assert field_errors(response.content, "reason") == ["Say why the school is not running: choose a reason."]


@translation.override("fr")
def test_the_rules_on_plain_values():
    def e(i, day, status, closed):
        return history.Entry(i, day, status, closed, status, "DDHP")

    entries = [e(1, D(2020, 1, 1), "open", False), e(2, D(2021, 1, 1), "closed", True)]
    assert history.problem_with(entries, e(None, D(2021, 6, 1), "occupied", True)) is None
    assert "n° 2" in history.problem_with(entries, e(None, D(2021, 6, 1), "closed", True))
    assert history.restates(entries, e(None, D(2021, 1, 1), "closed", True))
    assert history.restates(entries, e(None, D(2021, 3, 1), "closed", True))
    assert not history.restates(entries, e(None, D(2021, 3, 1), "reopened", False))
    assert history.days_closed(entries, D(2021, 1, 31)) == 30
    assert history.ends(entries) == {1: D(2021, 1, 1), 2: None}
