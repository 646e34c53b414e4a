"""Closing and reopening an incident through the API (issue #16, item 4): the page's rules and audit."""

from __future__ import annotations

import json

from conftest import client_for, make_incident
from kurukan.audit.models import Action, AuditEvent
from kurukan.incidents.models import IncidentStatus, VerificationStatus


def post_json(client, url: str, data: dict | None = None):
    return client.post(url, json.dumps(data or {}), content_type="application/json")


def _verify_all(client, incident) -> None:
    for violation in incident.violations.all():
        response = post_json(
            client,
            f"/api/incidents/{incident.public_id}/violations/{violation.pk}/verify",
            {"status": VerificationStatus.VERIFIED, "standard_of_proof": "reasonable_grounds"},
        )
        assert response.status_code == 200, response.content


def test_a_coordinator_closes_then_reopens_with_a_reason_over_the_api(monitor, coordinator):
    incident = make_incident(monitor)
    client = client_for(coordinator)
    url = f"/api/incidents/{incident.public_id}"

    early = post_json(client, f"{url}/close")
    assert early.status_code == 422
    assert early.json()["errors"][0]["field"] == "violations"
    assert "vérification finale" in early.json()["errors"][0]["message"]

    _verify_all(client, incident)
    closed = post_json(client, f"{url}/close")
    assert closed.status_code == 200, closed.content
    assert closed.json()["status_code"] == IncidentStatus.CLOSED
    assert post_json(client, f"{url}/close").status_code == 409
    event = AuditEvent.objects.filter(object_id=incident.public_id, action=Action.CHANGE).first()
    assert event.details["status"] == IncidentStatus.CLOSED

    no_reason = post_json(client, f"{url}/reopen", {"reason": ""})
    assert no_reason.status_code == 422
    assert no_reason.json()["errors"] == [
        {"field": "reason", "message": "Indiquez pourquoi l'incident est rouvert."}
    ]
    reopened = post_json(client, f"{url}/reopen", {"reason": "Nouveau témoignage reçu."})
    assert reopened.status_code == 200, reopened.content
    assert reopened.json()["status_code"] == IncidentStatus.UNDER_VERIFICATION
    event = AuditEvent.objects.filter(object_id=incident.public_id, action=Action.CHANGE).first()
    assert (event.details["reason"], event.user) == ("Nouveau témoignage reçu.", coordinator)
    assert post_json(client, f"{url}/reopen", {"reason": "encore"}).status_code == 409


def test_a_monitor_may_neither_close_nor_reopen(monitor, coordinator):
    incident = make_incident(monitor)
    _verify_all(client_for(coordinator), incident)
    own = client_for(monitor)
    assert post_json(own, f"/api/incidents/{incident.public_id}/close").status_code == 403
    incident.refresh_from_db()
    assert incident.status != IncidentStatus.CLOSED
