"""Recording over the API: create a draft, add violations, submit, verify — through the same actions as the pages."""

from __future__ import annotations

import json

from django.urls import reverse

from conftest import client_for, make_incident
from kurukan.audit.models import Action, AuditEvent
from kurukan.incidents.models import Incident, IncidentStatus, VerificationStatus, Violation
from kurukan.places.models import Settlement


def post_json(client, url: str, data: dict | None = None):
    return client.post(url, json.dumps(data or {}), content_type="application/json")


def test_a_monitor_records_and_submits_over_the_api_and_a_coordinator_verifies(monitor, coordinator):
    client = client_for(monitor)
    village = Settlement.objects.get(name="Ogossagou-Peulh")

    created = post_json(
        client,
        "/api/incidents",
        {
            "title": "Attaque d'Ogossagou",
            "start_date": "2019-03-23",
            "date_precision": "day",
            "settlement": village.pcode,
            "confidentiality": "restricted",
            "public_summary": "Des hommes armés ont attaqué le village.",
            "narrative": "Témoin rencontré à Sévaré.",
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    public_id = body["public_id"]
    incident = Incident.objects.get(public_id=public_id)
    assert (body["status_code"], body["settlement"]["pcode"], body["narrative"]) == (
        "draft",
        village.pcode,
        "Témoin rencontré à Sévaré.",
    )
    assert (incident.commune.pcode, incident.cercle.pcode, incident.region.pcode) == (
        "ML050301",
        "ML0503",
        "ML05",
    )
    assert incident.created_by == monitor
    assert incident.organisation == monitor.organisation
    assert (incident.latitude, incident.longitude) == (village.latitude, village.longitude)

    added = post_json(
        client,
        f"/api/incidents/{public_id}/violations",
        {
            "type": "life.summary_execution",
            "methods": ["weapons.firearm"],
            "victims": [
                {
                    "given_name": "Hamadoun",
                    "family_name": "Barry",
                    "sex": "male",
                    "age_at_time": 41,
                    "status_after": "killed",
                },
                {
                    "other_names": "la fille du berger",
                    "sex": "female",
                    "age_at_time": 9,
                    "age_estimated": True,
                    "status_after": "killed",
                },
            ],
            "groups": [{"description": "Habitants du quartier nord", "men": 12, "boys": 3}],
            "perpetrators": [
                {"category": "nonstate.unidentified", "involvement": "direct"},
                {"actor": "fama"},
            ],
        },
    )
    assert added.status_code == 201, added.content
    violation_body = added.json()
    assert violation_body["type_code"] == "life.summary_execution"
    assert violation_body["methods"] == ["Arme à feu"]
    assert [v["label"] for v in violation_body["victims"]] == ["Hamadoun Barry", "la fille du berger"]
    assert violation_body["victims"][1]["child"] is True
    assert violation_body["victim_total"] == 17
    assert violation_body["kind"] == "violation"  # FAMa is a State actor
    violation = Violation.objects.get(pk=violation_body["id"])
    assert violation.perpetrators.get(actor__code="fama").category.code == "state.fdsm"
    assert violation.victims.get(age_at_time=9).person.categories.filter(code="child").exists()
    incident.refresh_from_db()
    assert (incident.violation_count, incident.victim_count) == (1, 17)

    submitted = post_json(client, f"/api/incidents/{public_id}/submit")
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["status_code"] == "submitted"

    verified = post_json(
        client_for(coordinator),
        f"/api/incidents/{public_id}/violations/{violation.pk}/verify",
        {
            "status": "verified",
            "standard_of_proof": "reasonable_grounds",
            "note": "Deux témoins concordants.",
        },
    )
    assert verified.status_code == 200, verified.content
    assert verified.json()["verification_code"] == "verified"
    assert verified.json()["standard"] == "Motifs raisonnables de croire"
    assert verified.json()["verified_by"] == coordinator.username
    # A child victim makes the record need-to-know (branch protection): the coordinator, not named on it,
    # verifies it without reading its identities or its note.
    assert "note" not in verified.json()
    assert Violation.objects.get(pk=violation.pk).verification_note == "Deux témoins concordants."
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.UNDER_VERIFICATION  # closing is its own, confirmed action

    events = AuditEvent.objects.filter(object_id=public_id).values_list("action", flat=True)
    assert {Action.CREATE, Action.CHANGE, Action.SUBMIT, Action.VERIFY} <= set(events)
    for event in AuditEvent.objects.all():
        assert "Barry" not in json.dumps(event.details, ensure_ascii=False)

    # The page shows what the API recorded: to its author; the coordinator, not named on this record of a
    # child victim (need-to-know), sees it de-identified.
    page = client.get(reverse("incidents:detail", args=[public_id])).content.decode()
    assert "Hamadoun Barry" in page
    page = client_for(coordinator).get(reverse("incidents:detail", args=[public_id])).content.decode()
    assert "Hamadoun Barry" not in page


def test_a_violation_with_one_bad_part_records_nothing(draft, monitor):
    response = post_json(
        client_for(monitor),
        f"/api/incidents/{draft.public_id}/violations",
        {
            "type": "liberty.abduction",
            "victims": [
                {"given_name": "Awa", "sex": "female"},
                {"other_names": "sa sœur", "sex": "female", "age_at_time": 300},
            ],
        },
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["victims.1.age_at_time"]
    assert draft.violations.count() == 1  # only the one the fixture made


def test_submitting_needs_victims_and_happens_once(draft, monitor):
    client = client_for(monitor)
    url = f"/api/incidents/{draft.public_id}/submit"

    missing = post_json(client, url)
    assert missing.status_code == 422
    assert missing.json()["errors"][0]["field"] == "violations"
    assert "ni victime ni nombre de victimes" in missing.json()["errors"][0]["message"]

    violation = draft.violations.get()
    post_json(
        client,
        f"/api/incidents/{draft.public_id}/violations",
        {"type": "liberty.abduction", "groups": [{"women": 2}]},
    )
    violation.delete()
    assert post_json(client, url).status_code == 200
    again = post_json(client, url)
    assert again.status_code == 409
    assert "déjà été soumis" in again.json()["detail"]


def test_a_draft_cannot_be_verified(draft, coordinator):
    violation = draft.violations.get()
    response = post_json(
        client_for(coordinator),
        f"/api/incidents/{draft.public_id}/violations/{violation.pk}/verify",
        {"status": "verified", "standard_of_proof": "reasonable_grounds"},
    )
    assert response.status_code == 409
    violation.refresh_from_db()
    assert violation.verification_status == VerificationStatus.REPORTED


def test_a_violation_of_another_incident_is_not_found(monitor, coordinator):
    incident, other = make_incident(monitor), make_incident(monitor)
    response = post_json(
        client_for(coordinator),
        f"/api/incidents/{incident.public_id}/violations/{other.violations.get().pk}/verify",
        {"status": "not_verified"},
    )
    assert response.status_code == 404


def test_a_verification_without_a_final_status_leaves_the_incident_under_verification(monitor, coordinator):
    incident = make_incident(monitor)
    violation = incident.violations.get()
    response = post_json(
        client_for(coordinator),
        f"/api/incidents/{incident.public_id}/violations/{violation.pk}/verify",
        {"status": "pending"},
    )
    assert response.status_code == 200
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.UNDER_VERIFICATION
