"""Bad input gets a 422 that names the field and says how to fix it, in French by default — never a trace."""

from __future__ import annotations

import json

import pytest

from conftest import assert_no_stack_trace, client_for, make_incident
from kurukan.incidents import actions
from kurukan.incidents.models import Incident
from kurukan.places.models import Settlement

VALID = {"title": "Attaque du village", "start_date": "2022-03-14", "commune": "ML050301"}


def post_json(client, url: str, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def errors_of(response) -> dict[str, list[str]]:
    assert response.status_code == 422, response.content
    assert_no_stack_trace(response)
    body = response.json()
    assert body["detail"] == "Requête invalide : corrigez les champs indiqués."
    found: dict[str, list[str]] = {}
    for error in body["errors"]:
        found.setdefault(error["field"], []).append(error["message"])
    return found


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"title": 12}, "title", "Saisissez du texte"),
        ({"start_date": "14/03/2022"}, "start_date", "AAAA-MM-JJ"),
        ({"start_date": "2099-01-01"}, "start_date", "dans le futur"),
        ({"end_date": "2022-03-01"}, "end_date", "précède la date de début"),
        ({"date_precision": "fortnight"}, "date_precision", "choisissez parmi 'day', 'week'"),
        ({"confidentiality": "secret"}, "confidentiality", "strictly_confidential"),
        ({"commune": "ML999999"}, "commune", "P-code « ML999999 »"),
        ({"commune": None}, "commune", "Choisissez au moins la région"),
        ({"region": "ML07"}, "commune", "n'est pas dans la région Gao"),
        ({"cercle": "ML0701"}, "commune", "n'est pas dans le cercle"),
        ({"settlement": "nowhere"}, "settlement", "P-code « nowhere »"),
        ({"latitude": 123}, "latitude", "entre -90 et 90"),
        ({"narative": "typo"}, "narative", "Champ inconnu"),
    ],
)
def test_creating_an_incident_with_a_bad_field_names_it(monitor, change, field, words):
    data = {k: v for k, v in {**VALID, **change}.items() if v is not None}  # None: leave the field out
    errors = errors_of(post_json(client_for(monitor), "/api/incidents", data))
    assert field in errors, errors
    assert any(words in message for message in errors[field]), errors[field]
    assert not Incident.objects.exists()


def test_a_missing_field_is_named(monitor):
    errors = errors_of(post_json(client_for(monitor), "/api/incidents", {"commune": "ML050301"}))
    assert errors == {"title": ["Ce champ est obligatoire."], "start_date": ["Ce champ est obligatoire."]}


def test_a_settlement_outside_the_commune_is_named(monitor):
    village = Settlement.objects.get(name="Ogossagou-Peulh")
    errors = errors_of(
        post_json(
            client_for(monitor),
            "/api/incidents",
            {**VALID, "commune": "ML070101", "settlement": village.pcode},
        )
    )
    assert "n'est pas dans la commune" in errors["settlement"][0]


@pytest.mark.parametrize(
    ("payload", "field", "words"),
    [
        ({"type": "life"}, "type", "est une catégorie"),
        ({"type": "life.beheading"}, "type", "/api/vocabularies/violation_type"),
        ({"type": "liberty.abduction", "methods": ["weapons.firearm", "magic"]}, "methods.1", "« magic »"),
        (
            {"type": "liberty.abduction", "victims": [{"age_at_time": 130}]},
            "victims.0.age_at_time",
            "entre 0 et 120",
        ),
        ({"type": "liberty.abduction", "victims": [{"sex": "other"}]}, "victims.0.sex", "'female', 'male'"),
        (
            {"type": "liberty.abduction", "victims": [{"age_at_time": 30, "birth_year": 1950}]},
            "victims.0.birth_year",
            "aurait eu",
        ),
        (
            {"type": "liberty.abduction", "victims": [{"status_after": "vanished"}]},
            "victims.0.status_after",
            "victim_status",
        ),
        ({"type": "liberty.abduction", "groups": [{}]}, "groups.0", "aucune victime"),
        ({"type": "liberty.abduction", "groups": [{"men": -2}]}, "groups.0.men", "au moins 0"),
        ({"type": "liberty.abduction", "perpetrators": [{}]}, "perpetrators.0", "Choisissez l'acteur"),
        (
            {"type": "liberty.abduction", "perpetrators": [{"actor": "wagner"}]},
            "perpetrators.0.actor",
            "acteur actif",
        ),
        ({"type": "liberty.abduction", "victims": {"sex": "male"}}, "victims", "Une liste est attendue"),
        ({"type": "liberty.abduction", "victims": [{"sex": "male"}]}, "victims.0.given_name", "un surnom"),
    ],
)
def test_adding_a_violation_with_a_bad_field_names_it(draft, monitor, payload, field, words):
    response = post_json(client_for(monitor), f"/api/incidents/{draft.public_id}/violations", payload)
    errors = errors_of(response)
    assert field in errors, errors
    assert any(words in message for message in errors[field]), errors[field]
    assert draft.violations.count() == 1


@pytest.mark.parametrize(
    ("payload", "field", "words"),
    [
        ({"status": "verified"}, "standard_of_proof", "critère de preuve"),
        ({"status": "verified", "standard_of_proof": "hunch"}, "standard_of_proof", "« hunch »"),
        ({"status": "probably"}, "status", "choisissez parmi"),
        ({}, "status", "Ce champ est obligatoire."),
    ],
)
def test_verifying_with_a_bad_field_names_it(monitor, coordinator, payload, field, words):
    incident = make_incident(monitor)
    violation = incident.violations.get()
    url = f"/api/incidents/{incident.public_id}/violations/{violation.pk}/verify"
    errors = errors_of(post_json(client_for(coordinator), url, payload))
    assert any(words in message for message in errors[field]), errors
    violation.refresh_from_db()
    assert violation.verification_status == "reported"


@pytest.mark.parametrize(
    ("query", "field", "words"),
    [
        ({"limit": 1000}, "limit", "au plus 100"),
        ({"limit": 0}, "limit", "au moins 1"),
        ({"offset": -1}, "offset", "au moins 0"),
        ({"limit": "many"}, "limit", "nombre entier"),
        ({"date_from": "hier"}, "date_from", "AAAA-MM-JJ"),
        ({"date_from": "2023-01-01", "date_to": "2022-01-01"}, "date_to", "précède son début"),
        ({"status": "lost"}, "status", "choisissez parmi"),
        ({"violation_type": "life.beheading"}, "violation_type", "n'est pas un code actif"),
        ({"region": "ML99"}, "region", "ML99"),
        ({"place": "unit:999999"}, "place", "Ce lieu est inconnu"),
    ],
)
def test_a_bad_list_filter_is_named_not_ignored(monitor, query, field, words):
    errors = errors_of(client_for(monitor).get("/api/incidents", query))
    assert any(words in message for message in errors[field]), errors


def test_a_body_that_is_not_json_gets_a_400_in_french(monitor):
    response = client_for(monitor).post("/api/incidents", "{title: oops", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Le corps de la requête n'est pas du JSON valide")
    assert_no_stack_trace(response)


def test_an_unexpected_failure_is_a_500_in_json_without_a_trace_or_a_name(monitor, monkeypatch, caplog):
    def explode(*args, **kwargs):
        name = "Hamadoun Barry"
        raise RuntimeError(f"cannot store {name}")  # exceptions can quote the data they failed on

    monkeypatch.setattr(actions, "save_incident", explode)
    response = post_json(client_for(monitor), "/api/incidents", VALID)
    assert response.status_code == 500
    assert response.json()["detail"].startswith("Erreur interne")
    assert_no_stack_trace(response)
    assert "Hamadoun" not in caplog.text
    assert "RuntimeError" in caplog.text


@pytest.mark.parametrize(
    "url",
    [
        "/api/incidents",
        "/api/schools/",
        "/api/justice/cases",
        "/api/reparations/claims",
        "/api/recommendations/",
        "/api/recommendations/public",
    ],
)
def test_an_offset_past_any_register_is_named_not_a_server_error(monitor, url):
    """Found by schemathesis: an offset past a 64-bit integer reached PostgreSQL and came back as a 500."""
    response = client_for(monitor).get(url, {"offset": 33140398769757420340472845434880})
    assert response.status_code == 422, response.content
    assert any("1000000000" in message for message in errors_of(response)["offset"]), response.json()
    assert client_for(monitor).get(url, {"offset": 5}).status_code in (200, 403)
