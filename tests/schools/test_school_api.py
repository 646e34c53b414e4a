"""The schools API: the same rules and messages as the pages."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from school_builders import add_status, make_school

from conftest import client_for
from kurukan.schools.models import School, StatusChange


def post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


@pytest.fixture
def school(monitor):
    school = make_school("MO-1", name="École de Bankass")
    add_status(school, monitor, "closed", dt.date(2022, 1, 10), source="Mission de suivi")
    return school


def test_a_monitor_adds_a_school_and_a_closure(monitor):
    client = client_for(monitor)
    response = post(
        client, "/api/schools/",
        {"code": "ml05-0100", "name": "École de Ségué", "level": "first_cycle", "commune": "ML050311",
         "pupils_girls": 80, "pupils_boys": 90},
    )  # fmt: skip
    assert response.status_code == 201, response.content
    assert response.json()["code"] == "ML05-0100" and response.json()["cercle"] == "Bankass"
    response = post(
        client, "/api/schools/ML05-0100/status",
        {"status": "closed", "starts_on": "2023-11-06", "reason": "direct_threat"},
    )  # fmt: skip
    assert response.status_code == 201
    body = response.json()
    assert body["history"][0]["status_code"] == "closed" and body["state"].startswith("Fermée depuis le")
    assert School.objects.closed_on(dt.date(2024, 1, 1)).filter(code="ML05-0100").exists()


def test_an_overlapping_closure_is_a_422_naming_the_earlier_entry(monitor, school):
    earlier = StatusChange.objects.get(school=school)
    response = post(
        client_for(monitor), f"/api/schools/{school.code}/status",
        {"status": "closed", "starts_on": "2023-01-01", "reason": "insecurity"},
    )  # fmt: skip
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == "starts_on" and f"n° {earlier.pk}" in error["message"]


def test_unknown_codes_are_named(monitor):
    response = post(
        client_for(monitor), "/api/schools/",
        {"code": "X", "name": "École", "level": "lycee", "commune": "ML059999"},
    )  # fmt: skip
    assert response.status_code == 422
    fields = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert "« lycee » n'est pas un code actif du vocabulaire school_level" in fields["level"]
    assert fields["commune"] == "Aucune commune n'a le P-code ML059999."


def test_an_analyst_reads_but_may_not_record(analyst, cndh_monitor, school):
    client = client_for(analyst)
    assert client.get("/api/schools/", {"state": "closed", "on": "2023-01-01"}).json()["count"] == 1
    assert client.get(f"/api/schools/{school.code}").json()["days_closed"] > 0
    # Another organisation reads the school and its history, not the recording organisation's source.
    other = client_for(cndh_monitor).get(f"/api/schools/{school.code}").json()
    assert other["history"][0]["source"] == "" and other["history"][0]["status_code"] == "closed"
    response = post(
        client, f"/api/schools/{school.code}/status", {"status": "reopened", "starts_on": "2024-01-01"}
    )
    assert response.status_code == 403


def test_the_recording_organisation_sees_its_source(monitor, school):
    assert (
        client_for(monitor).get(f"/api/schools/{school.code}").json()["history"][0]["source"]
        == "Mission de suivi"
    )


def test_anonymous_callers_get_the_public_list_only(school):
    client = Client()
    assert client.get("/api/schools/").status_code == 401
    assert client.get(f"/api/schools/{school.code}").status_code == 401
    closed = client.get("/api/schools/closed", {"on": "2023-01-01"}).json()
    assert closed["total"] == 1 and closed["rows"][0]["region"] == "ML05"
    assert "Mission de suivi" not in json.dumps(closed, ensure_ascii=False)
