"""The API answers to the same access rules as the pages: who may read, who may write, and what stays hidden."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from conftest import client_for, make_incident, make_user
from kurukan.accounts.models import Confidentiality, Role
from kurukan.audit.models import Action, AuditEvent
from kurukan.incidents import actions
from kurukan.incidents.models import IncidentStatus, Source
from kurukan.places.models import Settlement

ROUTES = [
    ("get", "/api/incidents"),
    ("post", "/api/incidents"),
    ("get", "/api/incidents/ML-AAAA-AAAA"),
    ("post", "/api/incidents/ML-AAAA-AAAA/violations"),
    ("post", "/api/incidents/ML-AAAA-AAAA/submit"),
    ("post", "/api/incidents/ML-AAAA-AAAA/violations/1/verify"),
    ("get", "/api/vocabularies"),
    ("get", "/api/vocabularies/violation_type"),
    ("get", "/api/places/search?q=segou"),
    ("get", "/api/openapi.json"),
]


def post_json(client: Client, url: str, data: dict | None = None, **extra):
    return client.post(url, json.dumps(data or {}), content_type="application/json", **extra)


@pytest.mark.parametrize(("method", "url"), ROUTES)
def test_an_anonymous_call_gets_a_401_in_json_not_the_login_page(db, method, url):
    response = getattr(Client(), method)(url, content_type="application/json")
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert "Connectez-vous" in response.json()["detail"]


def test_the_docs_page_sends_an_anonymous_visitor_to_the_login_page(db):
    response = Client().get("/api/docs")
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_a_write_without_the_csrf_token_is_refused_and_with_it_goes_through(monitor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(monitor)
    url = "/api/incidents"
    data = {"title": "Attaque", "start_date": "2022-03-14", "commune": "ML050301"}

    refused = post_json(client, url, data)
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]

    token = "a" * 32
    client.cookies["csrftoken"] = token
    accepted = post_json(client, url, data, HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 201, accepted.content
    assert client.get(url).status_code == 200  # reads need no token


def test_a_user_who_has_not_passed_two_factor_gets_a_401(monitor, settings):
    settings.REQUIRE_2FA = True
    response = client_for(monitor).get("/api/incidents")
    assert response.status_code == 401


def test_a_monitor_of_another_organisation_neither_finds_nor_lists_the_incident(monitor, cndh_monitor):
    incident = make_incident(monitor)
    client = client_for(cndh_monitor)

    detail = client.get(f"/api/incidents/{incident.public_id}")
    assert detail.status_code == 404
    assert detail.json()["detail"].startswith("Introuvable")
    assert client.get("/api/incidents").json()["count"] == 0
    assert client.get("/api/incidents", {"q": incident.public_id}).json()["items"] == []
    # Writes do not reveal the record either: 404, as for one that does not exist.
    assert post_json(client, f"/api/incidents/{incident.public_id}/submit").status_code == 404
    violation = incident.violations.get()
    verify = f"/api/incidents/{incident.public_id}/violations/{violation.pk}/verify"
    assert post_json(client, verify, {"status": "verified"}).status_code == 404


def test_a_colleagues_draft_is_invisible_and_their_submitted_incident_read_only(monitor, other_monitor):
    draft = make_incident(other_monitor, status=IncidentStatus.DRAFT, title="Brouillon d'Oumar")
    submitted = make_incident(other_monitor, title="Fiche soumise d'Oumar")
    client = client_for(monitor)

    assert client.get(f"/api/incidents/{draft.public_id}").status_code == 404
    titles = [row["title"] for row in client.get("/api/incidents").json()["items"]]
    assert titles == ["Fiche soumise d'Oumar"]
    assert client.get(f"/api/incidents/{submitted.public_id}").json()["can_edit"] is False
    response = post_json(
        client, f"/api/incidents/{submitted.public_id}/violations", {"type": "liberty.abduction"}
    )
    assert response.status_code == 403
    assert submitted.violations.count() == 1


def _restricted_incident(monitor):
    incident = make_incident(
        monitor,
        title="Exécution de civils",
        confidentiality=Confidentiality.RESTRICTED,
        narrative="Le témoin A. a vu…",
    )
    incident.settlement = Settlement.objects.get(name="Ogossagou-Peulh")
    incident.latitude, incident.longitude = 14.0, -3.5
    incident.save()
    Source.objects.create(incident=incident, description="Le chef de village, joint par téléphone.")
    return incident


def test_an_analyst_gets_the_record_without_names_narrative_sources_or_village(monitor, analyst):
    incident = _restricted_incident(monitor)
    body = client_for(analyst).get(f"/api/incidents/{incident.public_id}").json()

    assert body["identities"] is False
    for hidden in ("narrative", "sources", "settlement", "latitude", "longitude"):
        assert hidden not in body
    victim = body["violations"][0]["victims"][0]
    assert victim["label"] == "Victime 1"
    assert victim["named"] is False
    assert "person_id" not in victim
    assert "note" not in body["violations"][0]
    assert body["source_count"] == 1
    raw = json.dumps(body, ensure_ascii=False)
    for secret in ("Amadou", "Maïga", "témoin", "chef de village", "Ogossagou"):
        assert secret not in raw
    assert body["place"] == "Bankass, Bankass, Mopti"

    row = client_for(analyst).get("/api/incidents").json()["items"][0]
    assert row["public_id"] == incident.public_id
    assert "Ogossagou" not in json.dumps(row, ensure_ascii=False)


def test_the_recording_monitor_sees_names_narrative_sources_and_village(monitor):
    incident = _restricted_incident(monitor)
    body = client_for(monitor).get(f"/api/incidents/{incident.public_id}").json()

    assert body["identities"] is True
    assert body["narrative"] == "Le témoin A. a vu…"
    assert body["sources"][0]["description"] == "Le chef de village, joint par téléphone."
    assert body["settlement"]["name"] == "Ogossagou-Peulh"
    assert (body["latitude"], body["longitude"]) == (14.0, -3.5)
    assert body["violations"][0]["victims"][0]["label"] == "Amadou Maïga"
    assert body["place"].startswith("Ogossagou-Peulh, ")


def test_an_analyst_sees_the_village_of_an_internal_record_but_still_no_names(monitor, analyst):
    incident = make_incident(monitor)
    incident.settlement = Settlement.objects.get(name="Ogossagou-Peulh")
    incident.save()
    body = client_for(analyst).get(f"/api/incidents/{incident.public_id}").json()
    assert body["settlement"]["name"] == "Ogossagou-Peulh"
    assert "narrative" not in body
    assert body["violations"][0]["victims"][0]["label"] == "Victime 1"


def test_reading_a_restricted_record_is_written_to_the_audit_log(monitor, analyst):
    incident = _restricted_incident(monitor)
    internal = make_incident(monitor)
    client = client_for(analyst)

    client.get(f"/api/incidents/{incident.public_id}")
    client.get(f"/api/incidents/{internal.public_id}")

    views = AuditEvent.objects.filter(action=Action.VIEW)
    assert list(views.values_list("object_id", "username")) == [(incident.public_id, analyst.username)]
    assert "Amadou" not in json.dumps(views.get().details, ensure_ascii=False)


def test_a_focal_point_sees_no_incident(monitor, focal_point):
    incident = make_incident(monitor)
    client = client_for(focal_point)
    assert client.get("/api/incidents").json()["count"] == 0
    assert client.get(f"/api/incidents/{incident.public_id}").status_code == 404
    assert post_json(client, "/api/incidents", {"title": "x", "start_date": "2022-01-01"}).status_code == 403


def test_an_analyst_may_not_create_an_incident(analyst):
    response = post_json(
        client_for(analyst),
        "/api/incidents",
        {"title": "x", "start_date": "2022-01-01", "commune": "ML050301"},
    )
    assert response.status_code == 403
    assert response.json()["detail"] == "Votre rôle ne permet pas cette action sur cet élément."


def test_a_monitor_may_not_verify_even_their_own_incident(monitor):
    incident = make_incident(monitor)
    violation = incident.violations.get()
    response = post_json(
        client_for(monitor),
        f"/api/incidents/{incident.public_id}/violations/{violation.pk}/verify",
        {"status": "verified", "standard_of_proof": "reasonable_grounds"},
    )
    assert response.status_code == 403
    violation.refresh_from_db()
    assert violation.verification_status == "reported"


def test_a_coordinator_of_another_organisation_cannot_verify(monitor, cndh):
    outsider = make_user("cndh.verif", Role.COORDINATOR, cndh)
    incident = make_incident(monitor)
    violation = incident.violations.get()
    url = f"/api/incidents/{incident.public_id}/violations/{violation.pk}/verify"
    assert post_json(client_for(outsider), url, {"status": "verified"}).status_code == 404


def test_a_shared_record_reaches_the_other_organisation_de_identified_and_read_only(
    monitor, coordinator, cndh_monitor, cndh
):
    incident = make_incident(monitor)
    client = client_for(cndh_monitor)
    share = actions.share_incident(incident, coordinator, cndh, include_identities=False)

    body = client.get(f"/api/incidents/{incident.public_id}").json()
    assert body["identities"] is False
    assert "Maïga" not in json.dumps(body, ensure_ascii=False)
    assert [row["public_id"] for row in client.get("/api/incidents").json()["items"]] == [incident.public_id]
    added = post_json(
        client, f"/api/incidents/{incident.public_id}/violations", {"type": "liberty.abduction"}
    )
    assert added.status_code == 403

    actions.revoke_share(share, coordinator)
    assert client.get(f"/api/incidents/{incident.public_id}").status_code == 404
