"""No name in public text: an estimate whose public text names a person it counts is not published; the page
says where; a coordinator may publish anyway with a reason that goes to the audit log (never the name)."""

from __future__ import annotations

import html

import pytest
from django.test import Client
from estimate_builders import IMMEDIATE, PATTERNS, Lists, form_data, share_with

from conftest import client_for, english_client_for
from kurukan.accounts.models import Organisation
from kurukan.audit.models import AuditEvent
from kurukan.estimates.models import EstimateRun

pytestmark = pytest.mark.django_db


@pytest.fixture
def flagged(settings, analyst, monitor) -> EstimateRun:
    """An estimate whose lists include an organisation named after a family the counted victims share."""
    Lists(monitor).populate(PATTERNS)
    settings.TASKS = IMMEDIATE
    for code in ("amdh", "cndh"):
        share_with(code, analyst.organisation, analyst)
    client_for(analyst).post("/estimates/", form_data())
    Organisation.objects.filter(code="amdh").update(short_name="Fondation Traore")
    return EstimateRun.objects.latest("pk")


def _publish(client, run, **data):
    return client.post(f"/estimates/{run.pk}/publish/", data, follow=True)


def test_publishing_an_estimate_naming_a_counted_person_is_refused_where_it_shows(flagged, analyst):
    page = html.unescape(_publish(client_for(analyst), flagged).content.decode())
    assert (
        "Page publique des estimations, description — Ligne 1 : « Traore » est le nom d'une personne" in page
    )
    flagged.refresh_from_db()
    assert not flagged.published
    assert "Traore" not in Client().get("/estimates/public/").content.decode()


def test_the_refusal_in_english(flagged, analyst):
    page = html.unescape(_publish(english_client_for(analyst), flagged).content.decode())
    assert "Public page of estimates, description — Line 1: “Traore” is the name of a person" in page


def test_an_analyst_cannot_override(flagged, analyst):
    page = html.unescape(
        _publish(client_for(analyst), flagged, override_reason="Nom d'une ONG").content.decode()
    )
    assert "Seul un coordinateur peut publier malgré l'alerte." in page
    flagged.refresh_from_db()
    assert not flagged.published


def test_a_coordinator_overrides_with_a_reason_that_is_audited(flagged, coordinator):
    response = _publish(
        client_for(coordinator), flagged, override_reason="C'est le nom d'une ONG, pas d'une victime"
    )
    assert response.status_code == 200
    flagged.refresh_from_db()
    assert flagged.published
    event = AuditEvent.objects.filter(
        object_type="estimates.estimaterun", details__public_text_override=True
    ).get()
    assert event.details["reason"] == "C'est le nom d'une ONG, pas d'une victime"
    assert "Traor" not in str(event.details)


def test_the_reason_may_not_carry_the_name(flagged, coordinator):
    page = html.unescape(
        _publish(client_for(coordinator), flagged, override_reason="Moussa Traoré").content.decode()
    )
    assert "Le motif ne doit citer aucun nom ni numéro." in page
    flagged.refresh_from_db()
    assert not flagged.published
