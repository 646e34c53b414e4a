"""Judicial cases through their pages and API: who sees a restricted case, the civil parties' consent, stage
changes written to the audit log and kept in the history, forms with and without htmx."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.urls import reverse
from django.utils import timezone
from justice_builders import consent_to_proceedings, make_case, verified_violation

from conftest import client_for, make_user, term
from kurukan.accounts.models import Confidentiality, Role
from kurukan.audit.models import AuditEvent
from kurukan.justice.models import JudicialCase
from kurukan.justice.queries import cases_for_person

D = dt.date


def text(response) -> str:
    """The page as a reader sees it (entities such as &#x27; read back as characters)."""
    return html.unescape(response.content.decode())


@pytest.fixture
def viewer(ohchr):
    return make_user("awa.viewer", Role.VIEWER, ohchr)


@pytest.fixture
def restricted_case(monitor):
    internal = verified_violation(monitor)
    restricted = verified_violation(monitor, confidentiality=Confidentiality.RESTRICTED)
    return make_case(monitor, [internal, restricted], ("complaint", D(2022, 4, 1)))


def test_a_case_takes_the_level_of_its_most_restricted_record(restricted_case):
    assert restricted_case.confidentiality == Confidentiality.RESTRICTED


def test_viewer_analyst_and_another_organisations_monitor_never_see_a_restricted_case(
    restricted_case, viewer, analyst, cndh_monitor, other_monitor
):
    detail = reverse("justice:case_detail", args=[restricted_case.public_id])
    api = reverse("api:case_detail", args=[restricted_case.public_id])
    for user in (viewer, analyst, cndh_monitor):
        client = client_for(user)
        assert client.get(detail).status_code == 404, user.username
        assert client.get(api).status_code == 404, user.username
        listing = text(client.get(reverse("justice:case_list")))
        assert restricted_case.public_id not in listing
        assert restricted_case.public_id not in text(client.get(reverse("api:case_list")))
    # A monitor of the organisation who sees both records does see it, and the read is audit-logged.
    page = client_for(other_monitor).get(detail)
    assert page.status_code == 200
    assert AuditEvent.objects.filter(action="view", object_id=restricted_case.public_id).exists()


def test_a_case_linking_a_record_the_user_may_not_see_is_hidden(monitor, other_monitor):
    """Strictly confidential records are their author's: a case linking one is hidden from colleagues."""
    strict = verified_violation(monitor, confidentiality=Confidentiality.STRICTLY_CONFIDENTIAL)
    case = make_case(monitor, [strict, verified_violation(monitor)])
    assert (
        client_for(other_monitor).get(reverse("justice:case_detail", args=[case.public_id])).status_code
        == 404
    )
    assert client_for(monitor).get(reverse("justice:case_detail", args=[case.public_id])).status_code == 200


def test_opening_a_case_from_the_form(monitor):
    violations = [verified_violation(monitor), verified_violation(monitor)]
    client = client_for(monitor)
    response = client.post(
        reverse("justice:case_create"),
        {
            "title": "Affaire de Moura",
            "jurisdiction": term("jurisdiction", "military").pk,
            "confidentiality": "internal",
            "violations": [v.pk for v in violations],
        },
        follow=True,
    )
    case = JudicialCase.objects.get()
    assert f"Procédure {case.public_id} ouverte." in text(response)
    assert set(case.violations.all()) == set(violations)
    missing = client.post(
        reverse("justice:case_create"), {"title": "Sans violation", "confidentiality": "internal"}
    )
    assert missing.status_code == 422
    assert "Cochez au moins une violation" in text(missing)


def test_a_stage_change_is_audited_and_kept_in_the_history(restricted_case, monitor):
    client = client_for(monitor)
    url = reverse("justice:stage_add", args=[restricted_case.public_id])
    refused = client.post(url, {"kind": "judgment", "on": "2023-01-10"}, HTTP_HX_REQUEST="true")
    assert "Un jugement dit s'il condamne ou acquitte" in text(refused)
    saved = client.post(
        url, {"kind": "judgment", "on": "2023-01-10", "outcome": "conviction", "sentence": "10 ans"}
    )
    assert saved.status_code == 302  # without JavaScript: back to the case page
    event = AuditEvent.objects.filter(object_id=restricted_case.public_id, action="change").latest("sequence")
    assert event.details["stage"] == "judgment" and event.details["outcome"] == "conviction"
    assert restricted_case.stages.get(kind="judgment").history.count() == 1
    page = text(client.get(reverse("justice:case_detail", args=[restricted_case.public_id])))
    assert "Jugement (Condamnation)" in page


def test_a_future_date_is_refused_with_the_fix(restricted_case, monitor):
    response = client_for(monitor).post(
        reverse("justice:stage_add", args=[restricted_case.public_id]),
        {"kind": "trial", "on": (timezone.localdate() + dt.timedelta(days=3)).isoformat()},
    )
    assert response.status_code == 422
    assert "Cette date est dans le futur" in text(response)


def test_an_analyst_may_read_an_internal_case_but_not_change_it(monitor, analyst):
    case = make_case(monitor, [verified_violation(monitor)])
    client = client_for(analyst)
    assert client.get(reverse("justice:case_detail", args=[case.public_id])).status_code == 200
    url = reverse("justice:stage_add", args=[case.public_id])
    assert client.post(url, {"kind": "trial", "on": "2023-01-01"}).status_code == 403


def test_a_civil_party_needs_consent_to_proceedings(monitor):
    violation = verified_violation(monitor)
    person = violation.victims.get().person
    case = make_case(monitor, [violation])
    client = client_for(monitor)
    url = reverse("justice:civil_party_add", args=[case.public_id])
    data = {"person": person.public_id, "joined_on": "2023-02-01"}
    refused = client.post(url, data)
    assert refused.status_code == 422
    assert f"La personne {person.public_id} n'a pas donné son consentement" in text(refused)
    assert not case.civil_parties.exists()

    consent = consent_to_proceedings(person, monitor)
    assert client.post(url, data).status_code == 302
    assert case.civil_parties.get().person == person

    # Revoked: refused again for another case, and the revocation is kept in the consent's history.
    consent.status = "revoked"
    consent.revoked_on = dt.date(2024, 1, 5)
    consent.save()
    other = make_case(monitor, [violation])
    again = client.post(reverse("justice:civil_party_add", args=[other.public_id]), data)
    assert "n'a pas donné son consentement" in text(again)
    assert consent.history.count() == 2


def test_a_civil_party_must_be_a_victim_of_the_case(monitor):
    case = make_case(monitor, [verified_violation(monitor)])
    stranger = verified_violation(monitor).victims.get().person
    response = client_for(monitor).post(
        reverse("justice:civil_party_add", args=[case.public_id]),
        {"person": stranger.public_id, "joined_on": "2023-02-01"},
    )
    assert "n'est pas une victime des violations visées" in text(response)


def test_cases_for_person_lists_what_the_user_may_see(monitor, cndh_monitor):
    violation = verified_violation(monitor)
    person = violation.victims.get().person
    case = make_case(monitor, [violation])
    assert list(cases_for_person(monitor, person)) == [case]
    assert list(cases_for_person(cndh_monitor, person)) == []


def test_the_api_records_a_stage_with_the_pages_rules(restricted_case, monitor):
    client = client_for(monitor)
    url = reverse("api:case_stage_add", args=[restricted_case.public_id])
    bad = client.post(url, {"kind": "judgment", "on": "2023-01-10"}, content_type="application/json")
    assert bad.status_code == 422
    assert "outcome" in text(bad)
    ok = client.post(url, {"kind": "investigation", "on": "2022-06-01"}, content_type="application/json")
    assert ok.status_code == 201
    assert [s["kind"] for s in ok.json()["stages"]] == ["complaint", "investigation"]


def test_accused_are_actors_or_alleged_perpetrators_of_the_case(monitor):
    from kurukan.actors.models import Actor
    from kurukan.incidents.models import Perpetrator
    from kurukan.people.models import Person

    violation = verified_violation(monitor)
    suspect = Person.objects.create(
        organisation=monitor.organisation, created_by=monitor, family_name="Kanouté"
    )
    Perpetrator.objects.create(
        violation=violation, person=suspect, category=term("perpetrator_category", "state.fdsm")
    )
    case = make_case(monitor, [violation])
    client = client_for(monitor)
    url = reverse("justice:defendant_add", args=[case.public_id])
    assert "Choisissez l'acteur ou la personne mis en cause." in text(
        client.post(url, {"role": "perpetrator"})
    )
    stranger = verified_violation(monitor).victims.get().person
    refused = client.post(url, {"person": stranger.public_id, "role": "perpetrator"})
    assert "n'est pas un auteur présumé des violations visées" in text(refused)
    assert client.post(url, {"person": suspect.public_id, "role": "superior"}).status_code == 302
    assert client.post(url, {"actor": Actor.objects.first().pk, "role": "accomplice"}).status_code == 302
    page = text(client.get(reverse("justice:case_detail", args=[case.public_id])))
    assert suspect.public_id in page and "Supérieur hiérarchique" in page
    assert "Kanouté" not in page  # an identifier on the case; the name belongs to the person's file
