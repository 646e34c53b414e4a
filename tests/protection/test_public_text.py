"""No name in public text: a public summary naming a person of the record (typed with or without accents,
in any case), or holding a phone or identity number, is refused with a message saying where, in French and
in English; a coordinator may publish it anyway with a reason that goes to the audit log."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conftest import client_for, english_client_for, field_errors, incident_form_data, make_incident
from kurukan.audit.models import AuditEvent
from kurukan.people.public_text import find


@pytest.fixture
def incident(monitor):
    return make_incident(monitor, status="draft", victim_name=("Aïssata", "N'Diaye"))


def _edit(client, incident, summary: str, **extra):
    data = incident_form_data(public_summary=summary, **extra)
    return client.post(reverse("incidents:edit", args=[incident.public_id]), data)


@pytest.mark.parametrize("typed", ["N'Diaye", "NDIAYE", "n diaye", "Aissata", "aïssata n'diaye"])
def test_a_summary_naming_the_victim_is_refused_in_french(monitor, incident, typed):
    response = _edit(client_for(monitor), incident, f"Une femme,\nla victime {typed}, a été blessée.")
    assert response.status_code == 200
    errors = field_errors(response.content, "public_summary")
    assert (
        errors
        and errors[0].startswith("Ligne 2 : « ")
        and "est le nom d'une personne de ce dossier" in errors[0]
    )
    incident.refresh_from_db()
    assert incident.public_summary == "Résumé public."  # nothing saved


def test_the_refusal_in_english(monitor, incident):
    response = _edit(english_client_for(monitor), incident, "The victim, Aissata Ndiaye, was wounded.")
    errors = field_errors(response.content, "public_summary")
    assert errors == [
        "Line 1: “Aissata Ndiaye” is the name of a person in this record. Remove it or replace it with a "
        "description that identifies nobody."
    ]


def test_phone_and_identity_numbers_are_refused_but_dates_are_not(monitor, incident):
    assert [h.kind for h in find("Appeler le +223 76 12 34 56 ou le 66.12.34.56", [])] == ["number", "number"]
    assert [h.typed for h in find("NINA 12345678901234A", [])] == ["12345678901234A"]
    assert find("Le 14.03.2022 et le 14-03-2022, 120 personnes", []) == []
    response = _edit(client_for(monitor), incident, "Contact : 76 12 34 56.")
    assert "ressemble à un numéro de téléphone" in " ".join(field_errors(response.content, "public_summary"))


def test_a_clean_summary_is_saved(monitor, incident):
    response = _edit(client_for(monitor), incident, "Une femme a été blessée lors d'une attaque.")
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.public_summary == "Une femme a été blessée lors d'une attaque."


def test_a_monitor_cannot_override(monitor, incident):
    response = _edit(
        client_for(monitor),
        incident,
        "Aïssata témoigne.",
        public_text_override="on",
        public_text_reason="Accord",
    )
    assert field_errors(response.content, "public_text_override") == [
        "Seul un coordinateur peut publier un résumé malgré l'alerte."
    ]


def test_a_coordinator_overrides_with_a_reason_that_is_audited(coordinator, incident):
    client = client_for(coordinator)
    response = _edit(client, incident, "Aïssata témoigne.", public_text_override="on")
    assert field_errors(response.content, "public_text_reason") == [
        "Indiquez pourquoi ce résumé peut être publié tel quel."
    ]
    reason = "Prénom d'usage public, accord écrit de la personne"
    response = _edit(
        client, incident, "Aïssata témoigne.", public_text_override="on", public_text_reason=reason
    )
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.public_summary == "Aïssata témoigne."
    event = AuditEvent.objects.filter(object_id=incident.public_id).latest("sequence")
    assert event.details == {"public_text_override": True, "reason": reason}
    assert "témoigne" not in str(event.details)  # the reason, never the text


def test_the_recording_form_checks_against_the_victim_typed_on_the_same_page(monitor):
    from conftest import term
    from kurukan.incidents.models import Incident

    data = incident_form_data(
        public_summary="Moussa Koné a été enlevé.",
        **{
            "violation-type": term("violation_type", "liberty.abduction").pk,
            "victim-given_name": "Moussa",
            "victim-family_name": "Kone",
            "victim-sex": "male",
        },
    )
    response = client_for(monitor).post(reverse("incidents:create"), data)
    assert response.status_code == 422 and not Incident.objects.exists()
    assert "Moussa Koné" in " ".join(field_errors(response.content, "public_summary"))
