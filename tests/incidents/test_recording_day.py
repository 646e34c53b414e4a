"""A monitor's day without surprises (issue #16): errors in place, nothing accepted empty, what is missing
listed before submitting, the child notice, one id per element, closing as its own action, follow-up, history.
"""

from __future__ import annotations

import re
from collections import Counter

from django.urls import reverse

from conftest import client_for, field_errors, make_incident, term
from kurukan.audit.models import Action, AuditEvent
from kurukan.incidents.models import IncidentStatus, Source, VerificationStatus

HTMX = {"HTTP_HX_REQUEST": "true"}


def _ids(html: str) -> Counter:
    return Counter(re.findall(r'\sid="([^"]+)"', html))


def test_an_empty_named_victim_is_refused_in_place_with_htmx(monitor, draft):
    violation = draft.violations.get()
    response = client_for(monitor).post(
        reverse("incidents:victim_add", args=[draft.public_id, violation.pk]),
        {"sex": "unknown", "age_at_time": ""},
        **HTMX,
    )
    assert response.status_code == 422  # htmx is configured to swap 422 (base.html responseHandling)
    html = response.content.decode()
    assert any("au moins un nom, un surnom ou un signalement" in e for e in field_errors(html, "given_name"))
    # The message is tied to its field for screen readers, and the field says it is invalid.
    field_id = f"id_v{violation.pk}_given_name_victim"
    assert f'id="{field_id}_error"' in html
    assert re.search(
        rf'id="{field_id}"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="{field_id}"', html
    )
    assert violation.victims.count() == 0


def test_a_victim_known_only_by_a_description_is_recorded_and_shown(monitor, draft):
    violation = draft.violations.get()
    client = client_for(monitor)
    response = client.post(
        reverse("incidents:victim_add", args=[draft.public_id, violation.pk]),
        {"other_names": "la fille du berger", "sex": "female", "age_at_time": "12"},
        **HTMX,
    )
    assert response.status_code == 200
    assert "la fille du berger" in response.content.decode()


def test_every_element_id_is_unique_on_the_editor_with_several_violations(monitor, draft):
    client = client_for(monitor)
    client.post(
        reverse("incidents:violation_add", args=[draft.public_id]),
        {"type": term("violation_type", "liberty.abduction").pk},
        **HTMX,
    )
    html = client.get(reverse("incidents:edit", args=[draft.public_id])).content.decode()
    assert draft.violations.count() == 2
    repeated = {i: n for i, n in _ids(html).items() if n > 1}
    assert repeated == {}
    # Every label points at an element that exists.
    ids = set(_ids(html))
    assert {f for f in re.findall(r'<label for="([^"]+)"', html)} <= ids


def test_method_families_are_headings_not_checkboxes(monitor, draft):
    html = client_for(monitor).get(reverse("incidents:edit", args=[draft.public_id])).content.decode()
    weapons = term("method", "weapons")
    firearm = term("method", "weapons.firearm")
    assert f'value="{firearm.pk}"' in html
    assert f'name="methods" value="{weapons.pk}"' not in html
    assert re.search(r'<p class="family-name"[^>]*>Armes</p>', html)


def test_a_child_victim_of_an_abduction_brings_the_grave_violation_notice(monitor, draft):
    violation = draft.violations.get()
    violation.type = term("violation_type", "liberty.abduction")
    violation.save()
    client = client_for(monitor)
    url = reverse("incidents:edit", args=[draft.public_id])
    assert "six violations graves contre les enfants" not in client.get(url).content.decode()
    client.post(
        reverse("incidents:victim_add", args=[draft.public_id, violation.pk]),
        {"given_name": "Fanta", "sex": "female", "age_at_time": "12"},
        **HTMX,
    )
    assert "six violations graves contre les enfants" in client.get(url).content.decode()


def test_submitting_without_source_lists_what_is_missing_and_asks_to_confirm(monitor):
    incident = make_incident(monitor, status=IncidentStatus.DRAFT)
    client = client_for(monitor)
    url = reverse("incidents:submit", args=[incident.public_id])
    response = client.post(url)
    assert response.status_code == 200
    assert "Aucune source" in response.content.decode()
    assert "Soumettre quand même" in response.content.decode()
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.DRAFT
    assert client.post(url, {"confirm": "1"}).status_code == 302
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.SUBMITTED


def test_an_incident_with_its_source_is_submitted_at_once(monitor):
    incident = make_incident(monitor, status=IncidentStatus.DRAFT)
    Source.objects.create(incident=incident, description="Témoin direct")
    response = client_for(monitor).post(reverse("incidents:submit", args=[incident.public_id]))
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.SUBMITTED


def _verify_all(client, incident):
    proof = term("standard_of_proof", "reasonable_grounds").pk
    for violation in incident.violations.all():
        response = client.post(
            reverse("incidents:verify", args=[incident.public_id, violation.pk]),
            {"verification_status": VerificationStatus.VERIFIED, "standard_of_proof": proof},
            **HTMX,
        )
    return response


def test_closing_is_proposed_then_confirmed_then_reopened_with_a_reason(monitor, coordinator):
    incident = make_incident(monitor)
    client = client_for(coordinator)
    response = _verify_all(client, incident)
    assert "Clôturer l'incident" in response.content.decode()
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.UNDER_VERIFICATION

    assert client.post(reverse("incidents:close", args=[incident.public_id])).status_code == 302
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.CLOSED
    closed = AuditEvent.objects.filter(object_id=incident.public_id, action=Action.CHANGE).first()
    assert closed.details["status"] == IncidentStatus.CLOSED

    # A closed incident's verification cannot change without reopening it.
    again = _verify_all(client, incident)
    assert again.status_code == 422
    assert "rouvrez-le" in again.content.decode()

    refused = client.post(reverse("incidents:reopen", args=[incident.public_id]), {"reason": ""})
    assert refused.status_code == 422
    assert "Indiquez pourquoi l'incident est rouvert." in field_errors(refused.content, "reason")
    reopened = client.post(
        reverse("incidents:reopen", args=[incident.public_id]), {"reason": "Nouveau témoignage reçu."}
    )
    assert reopened.status_code == 302
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.UNDER_VERIFICATION
    event = AuditEvent.objects.filter(object_id=incident.public_id, action=Action.CHANGE).first()
    assert event.details["reason"] == "Nouveau témoignage reçu."
    assert event.user == coordinator


def test_a_monitor_cannot_close_but_adds_follow_up_information_to_a_closed_incident(monitor, coordinator):
    incident = make_incident(monitor)
    client = client_for(coordinator)
    _verify_all(client, incident)
    client.post(reverse("incidents:close", args=[incident.public_id]))
    own = client_for(monitor)
    assert own.post(reverse("incidents:close", args=[incident.public_id])).status_code == 403
    page = own.get(reverse("incidents:detail", args=[incident.public_id])).content.decode()
    assert "Ajouter une information complémentaire" in page
    response = own.post(
        reverse("incidents:follow_up", args=[incident.public_id]),
        {"follow_up-description": "Le corps a été retrouvé le 20 mars.", "follow_up-language": "fr"},
    )
    assert response.status_code == 302
    assert [s.description for s in incident.sources.all()] == ["Le corps a été retrouvé le 20 mars."]
    event = AuditEvent.objects.filter(object_id=incident.public_id).first()  # newest first
    assert event.details["added"] == "follow_up"


def test_the_history_page_lists_versions_and_masks_identifying_values(monitor, analyst):
    from kurukan.accounts.models import Confidentiality

    incident = make_incident(monitor, confidentiality=Confidentiality.RESTRICTED, title="Attaque à Ogossagou")
    incident.title = "Attaque nocturne à Ogossagou-Peulh"
    incident.status = IncidentStatus.UNDER_VERIFICATION
    incident._history_user = monitor
    incident.save()
    url = reverse("incidents:history", args=[incident.public_id])
    own = client_for(monitor).get(url).content.decode()
    assert "Attaque nocturne à Ogossagou-Peulh" in own
    assert "En vérification" in own
    theirs = client_for(analyst).get(url).content.decode()
    assert "Ogossagou" not in theirs
    assert "(masqué)" in theirs
    assert "En vérification" in theirs  # the status is no secret
    assert client_for(analyst).get(reverse("incidents:detail", args=[incident.public_id])).status_code == 200


def test_a_new_incident_shows_the_likely_duplicates_the_user_may_see(monitor, cndh_monitor, analyst):
    from conftest import unit

    existing = make_incident(monitor, title="Attaque du marché de Bankass")  # 14 March 2022, Bankass
    url = reverse("incidents:similar")
    near = {"place": f"unit:{unit('ML050301').pk}", "start_date": "2022-03-16"}
    page = client_for(monitor).get(url, near, **HTMX).content.decode()
    assert existing.public_id in page
    assert "Attaque du marché de Bankass" in page
    far = client_for(monitor).get(url, {**near, "start_date": "2022-03-25"}, **HTMX).content.decode()
    assert existing.public_id not in far
    # Another organisation's monitor is not told the record exists; an analyst does not record.
    assert existing.public_id not in client_for(cndh_monitor).get(url, near, **HTMX).content.decode()
    assert client_for(analyst).get(url, near).status_code == 403


def test_the_editor_lists_records_of_the_same_event_with_an_overlapping_type(monitor, draft):
    same = make_incident(monitor, title="Même événement, autre source")
    other_type = make_incident(monitor, title="Autre chose", violation_type="liberty.abduction")
    page = client_for(monitor).get(reverse("incidents:edit", args=[draft.public_id])).content.decode()
    assert same.public_id in page
    assert other_type.public_id not in page
    assert f'href="/incidents/{draft.public_id}/"' in page  # the "see the record" link, not a duplicate
    assert page.count(draft.public_id + " —") == 0


def _first_record(**extra) -> dict:
    from conftest import incident_form_data

    return incident_form_data(**extra)


def test_one_page_records_the_incident_its_violation_victims_perpetrator_and_source_at_once(monitor):
    from kurukan.incidents.models import Incident

    data = _first_record(
        **{
            "violation-type": term("violation_type", "liberty.abduction").pk,
            "violation-methods": [term("method", "weapons.firearm").pk],
            "victim-given_name": "Fanta",
            "victim-sex": "female",
            "victim-age_at_time": "12",
            "group-men": "3",
            "perpetrator-category": term("perpetrator_category", "nonstate.unidentified").pk,
            "source-description": "Témoin direct",
        }
    )
    response = client_for(monitor).post(reverse("incidents:create"), data)
    assert response.status_code == 302
    incident = Incident.objects.get()
    violation = incident.violations.get()
    assert violation.type.code == "liberty.abduction"
    assert [v.person.given_name for v in violation.victims.all()] == ["Fanta"]
    assert violation.groups.get().men == 3
    assert violation.perpetrators.count() == 1
    assert [s.description for s in incident.sources.all()] == ["Témoin direct"]
    assert incident.victim_count == 4
    page = client_for(monitor).get(response.url).content.decode()
    assert "six violations graves contre les enfants" in page


def test_one_bad_part_saves_nothing_and_keeps_everything_typed(monitor):
    from kurukan.incidents.models import Incident

    data = _first_record(
        **{
            "violation-type": term("violation_type", "liberty.abduction").pk,
            "victim-given_name": "Fanta",
            "victim-age_at_time": "300",
            "group-men": "0",
            "source-description": "Témoin direct",
        }
    )
    response = client_for(monitor).post(reverse("incidents:create"), data)
    assert response.status_code == 422
    html = response.content.decode()
    assert any("entre 0 et 120" in e for e in field_errors(html, "victim-age_at_time"))
    assert 'value="Fanta"' in html and "Témoin direct" in html and 'value="Attaque du village"' in html
    assert not Incident.objects.exists()


def test_victims_without_a_violation_type_are_refused_on_the_type(monitor):
    from kurukan.incidents.models import Incident

    response = client_for(monitor).post(
        reverse("incidents:create"), _first_record(**{"victim-given_name": "Fanta"})
    )
    assert response.status_code == 422
    assert any("type de violation" in e for e in field_errors(response.content, "violation-type"))
    assert not Incident.objects.exists()


def test_the_incident_alone_is_enough(monitor):
    from kurukan.incidents.models import Incident

    assert client_for(monitor).post(reverse("incidents:create"), _first_record()).status_code == 302
    assert Incident.objects.get().violations.count() == 0
