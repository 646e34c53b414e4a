"""Sharing identities with a UN entity (Organisation.un_entity) needs the consent to share with the United
Nations: the partner's page, API and export omit persons without it and say so; revocation acts at once."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conftest import client_for, make_incident, make_user
from kurukan.accounts.models import Organisation, Role
from kurukan.incidents import actions
from kurukan.people import consent
from kurukan.people.models import ConsentPurpose, ConsentStatus


@pytest.fixture
def unicef(db) -> Organisation:
    return Organisation.objects.create(code="unicef", name="UNICEF", un_entity=True)


@pytest.fixture
def un_monitor(unicef):
    return make_user("un-monitor", Role.MONITOR, unicef)


@pytest.fixture
def shared(monitor, coordinator, unicef):
    """A record of the CNDH-like owner shared with identities to a UN entity."""
    incident = make_incident(monitor)
    actions.share_incident(incident, coordinator, unicef, include_identities=True)
    return incident


def _person(incident):
    return incident.violations.get().victims.get().person


def _page(user, incident) -> str:
    return client_for(user).get(reverse("incidents:detail", args=[incident.public_id])).content.decode()


def _api(user, incident) -> dict:
    return client_for(user).get(reverse("api:incident_detail", args=[incident.public_id])).json()


def _export(user) -> str:
    response = client_for(user).post(
        reverse("exports:victims"), {"format": "csv", "reason": "Transmission au procureur"}
    )
    return b"".join(response.streaming_content).decode()


def test_without_consent_to_share_with_the_un_the_survivor_is_not_named(shared, un_monitor, coordinator):
    consent.record(_person(shared), ConsentPurpose.SHARE_UN, ConsentStatus.REFUSED, coordinator)
    page = _page(un_monitor, shared)
    assert "Maïga" not in page and "1 personne n'est pas nommée" in page
    assert _api(un_monitor, shared)["withheld"] == 1
    assert shared.public_id in _export(un_monitor) and "Maïga" not in _export(un_monitor)


def test_consent_to_share_with_the_un_lets_the_name_reach_the_un_entity(shared, un_monitor, coordinator):
    consent.record(_person(shared), ConsentPurpose.SHARE_UN, ConsentStatus.GIVEN, coordinator)
    assert "Amadou Maïga" in _page(un_monitor, shared)
    assert _api(un_monitor, shared)["withheld"] == 0
    assert "Maïga" in _export(un_monitor)


def test_a_partner_consent_does_not_stand_for_the_un_purpose(shared, un_monitor, coordinator, unicef):
    """Naming UNICEF as a partner is not the UN purpose: the UN purpose decides for a UN entity."""
    consent.record(_person(shared), ConsentPurpose.SHARE_UN, ConsentStatus.REFUSED, coordinator)
    consent.record(
        _person(shared), ConsentPurpose.SHARE_PARTNER, ConsentStatus.GIVEN, coordinator, partner=unicef
    )
    assert "Maïga" not in _page(un_monitor, shared)


def test_a_refusal_naming_the_un_entity_wins_over_the_un_consent(shared, un_monitor, coordinator, unicef):
    consent.record(_person(shared), ConsentPurpose.SHARE_UN, ConsentStatus.GIVEN, coordinator)
    consent.record(
        _person(shared), ConsentPurpose.SHARE_PARTNER, ConsentStatus.REFUSED, coordinator, partner=unicef
    )
    assert "Maïga" not in _page(un_monitor, shared)


def test_the_un_consent_does_not_open_a_partner_that_is_not_un(monitor, coordinator, cndh, cndh_monitor):
    incident = make_incident(monitor)
    actions.share_incident(incident, coordinator, cndh, include_identities=True)
    consent.record(_person(incident), ConsentPurpose.SHARE_UN, ConsentStatus.GIVEN, coordinator)
    assert "Maïga" not in _page(cndh_monitor, incident)


def test_revoking_the_un_consent_removes_the_name_at_once(shared, un_monitor, coordinator):
    person = _person(shared)
    consent.record(person, ConsentPurpose.SHARE_UN, ConsentStatus.GIVEN, coordinator)
    assert "Amadou Maïga" in _page(un_monitor, shared)
    response = client_for(coordinator).post(
        reverse("people:consent", args=[person.public_id]),
        {"purpose": "share_un", "status": "revoked", "method": "verbal", "recorded_on": "2026-12-01"},
    )
    assert response.status_code == 302
    assert "Maïga" not in _page(un_monitor, shared)
    assert _api(un_monitor, shared)["withheld"] == 1


def test_sharing_page_warns_who_will_not_be_named(monitor, coordinator, unicef):
    incident = make_incident(monitor)
    response = client_for(coordinator).post(
        reverse("incidents:share_add", args=[incident.public_id]),
        {"organisation": unicef.pk, "include_identities": "on"},
        follow=True,
    )
    assert "1 personne ne sera pas nommée" in response.content.decode()


def test_an_administrator_marks_an_organisation_as_a_un_entity_from_the_command_line(cndh):
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("organisations", "un", "cndh", "yes", stdout=out)
    cndh.refresh_from_db()
    assert cndh.un_entity and "UN entity yes" in out.getvalue()
    call_command("organisations", "add", "minusma", "--name", "MINUSMA", "--un", stdout=out)
    assert Organisation.objects.get(code="minusma").un_entity
