"""Writing cases and interventions over the API, with the pages' rules: the same forms (same messages), the
same actions (inherited confidentiality, consent to take part, audit events), the same access helpers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from justice_builders import (
    consent_to_proceedings,
    institution,
    make_case,
    make_intervention,
    verified_violation,
)

from conftest import client_for, make_user, term
from kurukan.accounts.models import Confidentiality, Role
from kurukan.actors.models import Actor
from kurukan.audit.models import AuditEvent
from kurukan.justice.models import Intervention, JudicialCase


def post(client, name, body, *args):
    return client.post(reverse(name, args=args), body, content_type="application/json")


def errors(response) -> dict[str, str]:
    return {e["field"]: e["message"] for e in response.json()["errors"]}


@pytest.fixture
def viewer(ohchr):
    return make_user("awa.viewer", Role.VIEWER, ohchr)


def test_a_case_opened_over_the_api_inherits_the_most_restricted_level(monitor):
    internal = verified_violation(monitor)
    restricted = verified_violation(monitor, confidentiality=Confidentiality.RESTRICTED)
    body = {
        "title": "Affaire de Diallassagou",
        "jurisdiction": "specialised_pole",
        "court": "Pôle judiciaire spécialisé de Bamako",
        "violations": [internal.pk, restricted.pk],
    }
    response = post(client_for(monitor), "api:case_create", body)
    assert response.status_code == 201, response.content
    case = JudicialCase.objects.get(public_id=response.json()["public_id"])
    assert case.confidentiality == Confidentiality.RESTRICTED
    assert set(case.violations.all()) == {internal, restricted}
    assert AuditEvent.objects.filter(object_id=case.public_id, action="create").exists()


def test_case_creation_errors_name_their_field(monitor, cndh_monitor, viewer):
    hidden = verified_violation(cndh_monitor)
    client = client_for(monitor)
    unknown = post(client, "api:case_create", {"title": "A", "jurisdiction": "moon", "violations": [1]})
    assert unknown.status_code == 422 and "juridiction inconnue" in errors(unknown)["jurisdiction"]
    # A violation of another organisation is not offered: refused like a wrong choice, nothing more said.
    stranger = post(
        client, "api:case_create", {"title": "A", "jurisdiction": "ordinary", "violations": [hidden.pk]}
    )
    assert stranger.status_code == 422 and "violations" in errors(stranger)
    body = {"title": "A", "jurisdiction": "ordinary", "violations": [verified_violation(monitor).pk]}
    assert post(client_for(viewer), "api:case_create", body).status_code == 403
    assert not JudicialCase.objects.exists()


def test_defendants_over_the_api(monitor):
    actor = Actor.objects.get_or_create(
        code="fama",
        defaults={"name": "Forces armées maliennes", "category": term("perpetrator_category", "state.fdsm")},
    )[0]
    case = make_case(monitor, [verified_violation(monitor)])
    client = client_for(monitor)
    missing = post(client, "api:case_defendant_add", {"role": "superior"}, case.public_id)
    assert missing.status_code == 422
    assert errors(missing)["actor"] == "Choisissez l'acteur ou la personne mis en cause."
    ok = post(client, "api:case_defendant_add", {"actor": "fama", "role": "superior"}, case.public_id)
    assert ok.status_code == 201
    assert ok.json()["defendants"] == [
        {"name": str(actor), "role": "Supérieur hiérarchique (responsabilité du commandement)"}
    ]
    unknown = post(client, "api:case_defendant_add", {"actor": "nobody", "role": "superior"}, case.public_id)
    assert unknown.status_code == 422 and "acteur inconnu" in errors(unknown)["actor"]


def test_a_civil_party_over_the_api_needs_consent(monitor):
    violation = verified_violation(monitor)
    person = violation.victims.get().person
    case = make_case(monitor, [violation])
    client = client_for(monitor)
    body = {"person": person.public_id, "joined_on": "2023-02-01"}
    refused = post(client, "api:case_civil_party_add", body, case.public_id)
    assert refused.status_code == 422
    assert f"La personne {person.public_id} n'a pas donné son consentement" in errors(refused)["person"]
    consent_to_proceedings(person, monitor)
    accepted = post(client, "api:case_civil_party_add", body, case.public_id)
    assert accepted.status_code == 201 and accepted.json()["civil_parties"] == [person.public_id]
    twice = post(client, "api:case_civil_party_add", body, case.public_id)
    assert twice.status_code == 422 and "déjà partie civile" in errors(twice)["person"]


def test_an_intervention_recorded_and_answered_over_the_api(monitor, viewer):
    violation = verified_violation(monitor)
    victim = violation.victims.get().person
    institution("procureur", "Procureur de la République")
    client = client_for(monitor)
    body = {
        "kind": "urgent_appeal",
        "institution": "procureur",
        "sent_on": "2024-01-10",
        "deadline": "2024-02-10",
        "request": "Informer les familles du sort des personnes détenues.",
        "violations": [violation.pk],
        "victims": [victim.public_id],
    }
    created = post(client, "api:intervention_create", body)
    assert created.status_code == 201, created.content
    assert created.json()["overdue"] is True
    intervention = Intervention.objects.get(public_id=created.json()["public_id"])
    assert list(intervention.victims.all()) == [victim]

    late = post(client, "api:intervention_create", {**body, "deadline": "2024-01-01"})
    assert "Le délai de réponse tombe avant l'envoi" in errors(late)["deadline"]
    stranger = post(client, "api:intervention_create", {**body, "victims": ["P-ZZZZ-ZZZZ"]})
    assert "P-ZZZZ-ZZZZ" in errors(stranger)["victims"]
    assert post(client_for(viewer), "api:intervention_create", body).status_code == 403

    url_args = (intervention.public_id,)
    undated = post(client, "api:intervention_answer", {"status": "answered", "answer": "Reçue"}, *url_args)
    assert undated.status_code == 422 and "answered_on" in errors(undated)
    answered = post(
        client, "api:intervention_answer",
        {"status": "awaiting", "answer": "Enquête ouverte", "answered_on": "2024-02-20"}, *url_args,
    )  # fmt: skip
    assert answered.status_code == 200
    assert answered.json()["status"] == "Réponse reçue" and answered.json()["overdue"] is False
    intervention.refresh_from_db()
    assert intervention.answered_on == dt.date(2024, 2, 20)
    assert intervention.history.count() >= 2


def test_an_analyst_reads_an_intervention_but_may_not_answer_it(monitor, analyst):
    intervention = make_intervention(monitor, [verified_violation(monitor)])
    client = client_for(analyst)
    assert client.get(reverse("api:intervention_detail", args=[intervention.public_id])).status_code == 200
    answer = {"status": "closed"}
    assert post(client, "api:intervention_answer", answer, intervention.public_id).status_code == 403
