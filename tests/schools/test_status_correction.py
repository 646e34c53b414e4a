"""A wrong status entry is corrected — in the page or over the API — with its previous version kept and the
correction audit-logged; a correction that would make the history contradict itself is refused, naming the
entry; only the recorders of the organisation that recorded the entry (and administrators) correct it."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from school_builders import add_status, make_school

from conftest import client_for, english_client_for, term
from kurukan.audit.models import AuditEvent
from kurukan.schools.models import School, StatusChange

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(monitor):
    school = make_school()
    closed = add_status(school, monitor, "closed", dt.date(2023, 1, 10))
    reopened = add_status(school, monitor, "reopened", dt.date(2023, 6, 1))
    add_status(school, monitor, "closed", dt.date(2023, 11, 5))
    return school, closed, reopened


def _form(change: StatusChange, **changes) -> dict:
    data = {
        "status": change.status_id,
        "starts_on": change.starts_on.isoformat(),
        "date_precision": change.date_precision,
        "reason": change.reason_id or "",
        "pupils_affected": change.pupils_affected or "",
        "teachers_affected": change.teachers_affected or "",
        "source": change.source,
        "correction_reason": "date mal saisie",
    }
    data.update(changes)
    return data


def test_a_wrong_date_is_corrected_in_the_page_and_the_previous_version_kept(history, monitor):
    school, _closed, reopened = history
    client = client_for(monitor)
    page = client.get(f"/schools/{school.code}/").content.decode()
    assert f"/schools/{school.code}/status/{reopened.pk}/" in page and "Corriger cette entrée" in page
    assert School.objects.closed_on(dt.date(2023, 7, 1)).filter(pk=school.pk).count() == 0
    response = client.post(
        f"/schools/{school.code}/status/{reopened.pk}/", _form(reopened, starts_on="2023-09-01"), follow=True
    )
    assert (
        f"Entrée n° {reopened.pk} corrigée ; sa version précédente est gardée." in response.content.decode()
    )
    reopened.refresh_from_db()
    assert reopened.starts_on == dt.date(2023, 9, 1)
    # "closed on D" follows the corrected history (ends_on kept exact)
    assert School.objects.closed_on(dt.date(2023, 7, 1)).filter(pk=school.pk).exists()
    versions = list(reopened.history.order_by("history_date"))
    assert [v.starts_on for v in versions] == [dt.date(2023, 6, 1), dt.date(2023, 9, 1)]
    assert versions[-1].history_change_reason == "date mal saisie"
    event = AuditEvent.objects.filter(action="change", details__corrected="status_change").get()
    assert event.details["fields"] == ["starts_on"] and event.details["status_change"] == reopened.pk
    assert "date mal saisie" not in json.dumps(event.details)  # the reason is in the history, not the log


def test_a_correction_that_contradicts_the_history_is_refused_naming_the_entry(history, monitor):
    school, closed, reopened = history
    client = client_for(monitor)
    # the reopening moved after the second closure: two closures in a row, then a reopening
    response = client.post(
        f"/schools/{school.code}/status/{reopened.pk}/", _form(reopened, starts_on="2023-12-01")
    )
    assert response.status_code == 422
    assert "l&#x27;entrée n°" in response.content.decode() and "chevauche" in response.content.decode()
    reopened.refresh_from_db()
    assert reopened.starts_on == dt.date(2023, 6, 1) and reopened.history.count() == 1
    missing = client.post(f"/schools/{school.code}/status/{closed.pk}/", _form(closed, correction_reason=""))
    assert (
        missing.status_code == 422
        and "Dites pourquoi l&#x27;entrée est corrigée." in missing.content.decode()
    )
    english = english_client_for(monitor).post(
        f"/schools/{school.code}/status/{reopened.pk}/", _form(reopened, starts_on="2023-12-01")
    )
    assert english.status_code == 422 and "overlaps" in english.content.decode()


def test_the_api_corrects_an_entry_and_refuses_another_organisations(history, monitor, cndh_monitor):
    school, closed, _reopened = history
    body = {
        "status": "closed",
        "starts_on": "2023-01-12",
        "reason": "direct_threat",
        "correction_reason": "motif précisé par la mission",
    }
    other = client_for(cndh_monitor).put(
        f"/api/schools/{school.code}/status/{closed.pk}", json.dumps(body), content_type="application/json"
    )
    assert other.status_code == 403
    response = client_for(monitor).put(
        f"/api/schools/{school.code}/status/{closed.pk}", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 200
    entry = next(e for e in response.json()["history"] if e["id"] == closed.pk)
    assert (
        entry["starts_on"] == "2023-01-12"
        and entry["reason"] == term("closure_reason", "direct_threat").label
    )
    bad = client_for(monitor).put(
        f"/api/schools/{school.code}/status/{closed.pk}",
        json.dumps({**body, "starts_on": "2023-06-01"}),
        content_type="application/json",
    )
    assert bad.status_code == 422 and "starts_on" in bad.content.decode()
    closed.refresh_from_db()
    assert closed.starts_on == dt.date(2023, 1, 12) and closed.history.count() == 2
