"""No name in public text: a public bulletin whose text holds the name of a person of its records is not
published; the report's page says where; a coordinator may publish it anyway with a reason (audited)."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.test import Client

from conftest import client_for, english_client_for, make_incident
from kurukan.audit.models import AuditEvent
from kurukan.reports import actions
from kurukan.reports.models import Report

pytestmark = pytest.mark.django_db


@pytest.fixture
def bulletin(monitor, coordinator) -> Report:
    """A victim whose family name is also the name of the region the bulletin lists (Mopti)."""
    make_incident(monitor, start_date=dt.date(2022, 3, 14), victim_name=("Awa", "Mopti"), group_size=12)
    report = actions.start_report(
        user=coordinator, kind="bulletin", date_from=dt.date(2022, 1, 1), date_to=dt.date(2022, 12, 31),
        file_format="docx",
    )  # fmt: skip
    actions.run_report(report)
    report.refresh_from_db()
    return report


def _publish(client, report, **data):
    return client.post(f"/reports/{report.pk}/publish/", data, follow=True)


def test_a_bulletin_naming_a_person_of_its_records_is_refused_where_it_shows(bulletin, coordinator):
    page = html.unescape(_publish(client_for(coordinator), bulletin).content.decode())
    assert "Victimes par région — Ligne 1 : « Mopti » est le nom d'une personne" in page
    bulletin.refresh_from_db()
    assert not bulletin.published
    assert Client().get(f"/reports/{bulletin.pk}/download/").status_code == 302  # still private


def test_the_refusal_in_english(bulletin, coordinator):
    page = html.unescape(_publish(english_client_for(coordinator), bulletin).content.decode())
    assert "Line 1: “Mopti” is the name of a person" in page


def test_a_coordinator_publishes_anyway_with_a_reason_that_is_audited(bulletin, coordinator):
    _publish(client_for(coordinator), bulletin, override_reason="Nom de région, homonyme")
    bulletin.refresh_from_db()
    assert bulletin.published
    assert Client().get(f"/reports/{bulletin.pk}/download/").status_code == 200
    event = AuditEvent.objects.get(object_type="reports.report", details__public_text_override=True)
    assert event.details["reason"] == "Nom de région, homonyme" and "Awa" not in str(event.details)


def test_a_clean_bulletin_is_published(monitor, coordinator):
    make_incident(monitor, start_date=dt.date(2022, 3, 14), group_size=12)
    report = actions.start_report(
        user=coordinator, kind="bulletin", date_from=dt.date(2022, 1, 1), date_to=dt.date(2022, 12, 31),
        file_format="docx",
    )  # fmt: skip
    actions.run_report(report)
    _publish(client_for(coordinator), report)
    report.refresh_from_db()
    assert report.published


def test_the_api_refuses_with_where_and_accepts_a_coordinators_reason(bulletin, coordinator, analyst):
    url = f"/api/reports/{bulletin.pk}/publish"
    client = client_for(coordinator)
    refused = client.post(url, {}, content_type="application/json")
    assert refused.status_code == 422
    messages = [e["message"] for e in refused.json()["errors"]]
    assert any("Victimes par région — Ligne 1 : « Mopti » est le nom d'une personne" in m for m in messages)
    english = english_client_for(coordinator).post(url, {}, content_type="application/json")
    assert any("“Mopti” is the name of a person" in e["message"] for e in english.json()["errors"])
    assert client_for(analyst).post(url, {}, content_type="application/json").status_code in {403, 404}
    done = client.post(url, {"override_reason": "Nom de région, homonyme"}, content_type="application/json")
    assert done.status_code == 200 and done.json()["published"] is True
