"""Consent per purpose, enforced where identities travel: shares (page, API, export) and the person's file."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import client_for, make_incident
from kurukan.incidents import actions
from kurukan.people import consent
from kurukan.people.models import Consent, ConsentPurpose, ConsentStatus, Person


def _person(incident) -> Person:
    return incident.violations.get().victims.get().person


def _detail(user, incident) -> str:
    return client_for(user).get(reverse("incidents:detail", args=[incident.public_id])).content.decode()


def _api(user, incident) -> dict:
    return client_for(user).get(reverse("api:incident_detail", args=[incident.public_id])).json()


@pytest.fixture
def shared(monitor, coordinator, cndh):
    """An incident of OHCHR shared with identities to the CNDH."""
    incident = make_incident(monitor)
    actions.share_incident(incident, coordinator, cndh, include_identities=True)
    return incident


def test_a_share_with_identities_leaves_out_a_survivor_who_refused_sharing(shared, coordinator, cndh_monitor):
    consent.record(_person(shared), ConsentPurpose.STORE, ConsentStatus.GIVEN, coordinator)
    consent.record(_person(shared), ConsentPurpose.SHARE_PARTNER, ConsentStatus.REFUSED, coordinator)
    page = _detail(cndh_monitor, shared)
    assert "Maïga" not in page and "Récit protégé" not in page
    assert "1 personne n'est pas nommée" in page  # the page says so
    body = _api(cndh_monitor, shared)
    assert body["withheld"] == 1
    assert body["violations"][0]["victims"][0]["named"] is False and "narrative" not in body
    # The owning organisation still sees the name: consent limits sharing, not the record.
    assert "Amadou Maïga" in _detail(coordinator, shared)


def test_consent_naming_the_partner_lets_the_name_travel_and_revocation_removes_it_at_once(
    shared, coordinator, cndh_monitor, cndh
):
    person = _person(shared)
    consent.record(person, ConsentPurpose.SHARE_PARTNER, ConsentStatus.GIVEN, coordinator, partner=cndh)
    assert "Amadou Maïga" in _detail(cndh_monitor, shared)
    response = client_for(coordinator).post(
        reverse("people:consent", args=[person.public_id]),
        {
            "purpose": "share_partner",
            "partner": cndh.pk,
            "status": "revoked",
            "method": "verbal",
            "recorded_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    assert "Maïga" not in _detail(cndh_monitor, shared)
    row = Consent.objects.get(person=person)
    assert row.status == ConsentStatus.REVOKED and row.revoked_on == timezone.localdate()
    assert [h.status for h in row.history.order_by("history_date")] == ["given", "revoked"]  # history kept


def test_consent_for_another_partner_does_not_count(shared, coordinator, cndh_monitor, ohchr):
    from kurukan.accounts.models import Organisation

    other = Organisation.objects.create(code="unicef", name="UNICEF")
    consent.record(
        _person(shared), ConsentPurpose.SHARE_PARTNER, ConsentStatus.GIVEN, coordinator, partner=other
    )
    assert "Maïga" not in _detail(cndh_monitor, shared)


def test_without_any_consent_record_the_configured_default_decides(shared, cndh_monitor, settings):
    settings.CONSENT_DEFAULT = "refused"
    assert "Maïga" not in _detail(cndh_monitor, shared)
    settings.CONSENT_DEFAULT = "given"
    assert "Amadou Maïga" in _detail(cndh_monitor, shared)


def test_exports_follow_the_same_rule(shared, coordinator, cndh_monitor, cndh):
    def export() -> str:
        response = client_for(cndh_monitor).post(
            reverse("exports:victims"), {"format": "csv", "reason": "Transmission au procureur"}
        )
        return b"".join(response.streaming_content).decode()

    assert shared.public_id in export() and "Maïga" not in export()
    consent.record(
        _person(shared), ConsentPurpose.SHARE_PARTNER, ConsentStatus.GIVEN, coordinator, partner=cndh
    )
    assert "Maïga" in export()


def test_a_merged_duplicate_follows_the_surviving_person(shared, coordinator, cndh_monitor, monitor, cndh):
    survivor = _person(shared)
    duplicate = Person.objects.create(
        given_name="Amadou", family_name="Maiga", organisation=survivor.organisation, merged_into=survivor
    )
    consent.record(survivor, ConsentPurpose.SHARE_PARTNER, ConsentStatus.GIVEN, coordinator, partner=cndh)
    assert consent.allows(duplicate, ConsentPurpose.SHARE_PARTNER, cndh)
    # A refusal recorded on the duplicate's old record still wins for the whole person.
    Consent.objects.create(
        person=duplicate,
        purpose=ConsentPurpose.SHARE_PARTNER,
        status=ConsentStatus.REFUSED,
        recorded_on=timezone.localdate(),
    )
    assert not consent.allows(survivor, ConsentPurpose.SHARE_PARTNER, cndh)
    # The duplicate's file opens the surviving one.
    response = client_for(coordinator).get(reverse("people:detail", args=[duplicate.public_id]))
    assert response.status_code == 302 and survivor.public_id in response["Location"]


def test_the_person_file_shows_identity_only_to_those_who_see_it(shared, coordinator, analyst, cndh_monitor):
    person = _person(shared)
    url = reverse("people:detail", args=[person.public_id])
    page = client_for(coordinator).get(url).content.decode()
    assert "Amadou Maïga" in page and shared.public_id in page and "Exécution sommaire" in page
    title = page.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "Maïga" not in title and person.public_id in title
    assert 'id="registers"' in page
    analyst_page = client_for(analyst).get(url).content.decode()
    assert "Maïga" not in analyst_page and "Identité masquée" in analyst_page
    assert "Maïga" not in client_for(cndh_monitor).get(url).content.decode()  # no consent to sharing


def test_the_consent_form_names_the_missing_partner(shared, coordinator):
    person = _person(shared)
    response = client_for(coordinator).post(
        reverse("people:consent", args=[person.public_id]),
        {"purpose": "share_partner", "status": "given", "method": "written", "recorded_on": "2024-01-05"},
    )
    assert response.status_code == 422
    from conftest import field_errors

    assert field_errors(response.content, "partner") == [
        "Choisissez l'organisation partenaire à laquelle la personne consent à être nommée."
    ]
    english = client_for(coordinator)
    english.cookies["django_language"] = "en"
    response = english.post(
        reverse("people:consent", args=[person.public_id]),
        {"purpose": "share_partner", "status": "given", "method": "written", "recorded_on": "2024-01-05"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 422
    assert (
        "Choose the partner organisation to which the person consents to be named."
        in response.content.decode()
    )


def test_a_partner_cannot_record_consent(shared, cndh_monitor, cndh, coordinator):
    person = _person(shared)
    consent.record(person, ConsentPurpose.SHARE_PARTNER, ConsentStatus.GIVEN, coordinator, partner=cndh)
    response = client_for(cndh_monitor).post(
        reverse("people:consent", args=[person.public_id]),
        {"purpose": "store", "status": "refused", "method": "verbal", "recorded_on": "2024-01-05"},
    )
    assert response.status_code == 403


def test_the_recording_form_records_the_victims_consent(monitor, coordinator, cndh, cndh_monitor):
    from conftest import incident_form_data, term
    from kurukan.incidents.models import Incident

    data = incident_form_data(
        **{
            "violation-type": term("violation_type", "liberty.abduction").pk,
            "victim-given_name": "Fanta",
            "victim-family_name": "Coulibaly",
            "victim-sex": "female",
            "consent-store": "given",
            "consent-share_partner": "refused",
            "consent-method": "written",
        }
    )
    response = client_for(monitor).post(reverse("incidents:create"), data)
    assert response.status_code == 302
    incident = Incident.objects.get()
    person = _person(incident)
    assert dict(person.consents.values_list("purpose", "status")) == {
        "store": "given",
        "share_partner": "refused",
    }
    assert person.consents.get(purpose="store").method == "written"
    actions.share_incident(incident, coordinator, cndh, include_identities=True)
    assert "Coulibaly" not in _detail(cndh_monitor, incident)
