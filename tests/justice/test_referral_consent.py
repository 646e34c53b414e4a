"""A referral (saisine) cannot name a person without their consent to be referred to services (issue #15):
refused on the page and in the action, the request's text checked for their name, and a revocation
removes them from the page and the API at once."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from justice_builders import institution, verified_violation

from conftest import client_for, english_client_for, field_errors
from kurukan.justice import actions
from kurukan.justice.models import Intervention
from kurukan.people import consent
from kurukan.people.models import Person


@pytest.fixture
def violation(monitor):
    return verified_violation(monitor)


@pytest.fixture
def victim(violation) -> Person:
    return violation.victims.get().person


def _post(client, violation, victim, kind="referral", request="Prise en charge médicale et psychosociale."):
    return client.post(
        reverse("justice:intervention_create"),
        {
            "kind": kind,
            "institution": institution().pk,
            "sent_on": "2024-01-10",
            "request": request,
            "confidentiality": "internal",
            "violations": [violation.pk],
            "victim_ids": victim.public_id,
        },
    )


def test_a_referral_naming_a_victim_without_consent_is_refused_on_the_page(monitor, violation, victim):
    response = _post(client_for(monitor), violation, victim)
    assert response.status_code == 422
    errors = " ".join(field_errors(response.content, "victim_ids"))
    assert "Sans consentement à l'orientation vers des services" in errors
    assert victim.public_id in errors
    assert not Intervention.objects.exists()


def test_the_refusal_in_english(monitor, violation, victim):
    response = _post(english_client_for(monitor), violation, victim)
    assert response.status_code == 422
    assert "Without consent to be referred to services" in html.unescape(response.content.decode())


def test_a_letter_may_cite_the_same_victim(monitor, violation, victim):
    response = _post(client_for(monitor), violation, victim, kind="letter")
    assert response.status_code == 302
    assert list(Intervention.objects.get().victims.all()) == [victim]


def test_with_consent_the_referral_is_recorded(monitor, violation, victim):
    consent.record(victim, "refer", "given", monitor)
    response = _post(client_for(monitor), violation, victim)
    assert response.status_code == 302
    assert list(Intervention.objects.get(kind="referral").victims.all()) == [victim]


def test_the_action_refuses_too(monitor, violation, victim):
    referral = Intervention(
        kind="referral", institution=institution(), sent_on=dt.date(2024, 1, 10), request="x"
    )
    with pytest.raises(ValidationError):
        actions.record_intervention(referral, [violation], [victim], monitor)
    assert not Intervention.objects.exists()


def test_the_request_text_may_not_name_a_victim_without_consent(monitor, violation, victim):
    response = _post(client_for(monitor), violation, victim, request="Orienter AMADOU MAIGA vers le CSCOM.")
    assert response.status_code == 422
    errors = " ".join(field_errors(response.content, "request"))
    assert "« AMADOU MAIGA » est le nom d'une victime" in errors


def test_revoking_consent_removes_the_victim_from_the_referral_at_once(
    monitor, coordinator, violation, victim
):
    consent.record(victim, "refer", "given", monitor)
    assert _post(client_for(monitor), violation, victim).status_code == 302
    referral = Intervention.objects.get()
    page_url = reverse("justice:intervention_detail", args=[referral.public_id])
    api_url = f"/api/justice/interventions/{referral.public_id}"
    assert victim.public_id in client_for(coordinator).get(page_url).content.decode()
    assert client_for(coordinator).get(api_url).json()["victims"] == [victim.public_id]

    consent.record(victim, "refer", "revoked", coordinator)

    page = html.unescape(client_for(coordinator).get(page_url).content.decode())
    assert victim.public_id not in page
    assert "1 victime n'est plus nommée" in page
    answer = client_for(coordinator).get(api_url).json()
    assert answer["victims"] == [] and answer["victims_withheld"] == 1
