"""Who sees what: every incident URL goes through the access helpers, whoever asks."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from conftest import client_for, make_incident, term
from kurukan.accounts.models import Confidentiality
from kurukan.audit.models import Action, AuditEvent
from kurukan.incidents.models import IncidentStatus, VerificationStatus
from kurukan.places.models import Settlement

HTMX = {"HTTP_HX_REQUEST": "true"}


def _urls(incident) -> list[tuple[str, str]]:
    violation = incident.violations.get()
    victim = violation.victims.first()
    pid = incident.public_id
    return [
        ("get", reverse("incidents:list")),
        ("get", reverse("incidents:create")),
        ("post", reverse("incidents:create")),
        ("get", reverse("incidents:detail", args=[pid])),
        ("get", reverse("incidents:edit", args=[pid])),
        ("post", reverse("incidents:edit", args=[pid])),
        ("post", reverse("incidents:submit", args=[pid])),
        ("post", reverse("incidents:violation_add", args=[pid])),
        ("post", reverse("incidents:violation_remove", args=[pid, violation.pk])),
        ("post", reverse("incidents:victim_add", args=[pid, violation.pk])),
        ("post", reverse("incidents:group_add", args=[pid, violation.pk])),
        ("post", reverse("incidents:perpetrator_add", args=[pid, violation.pk])),
        ("post", reverse("incidents:verify", args=[pid, violation.pk])),
        ("post", reverse("incidents:source_add", args=[pid])),
        ("post", reverse("incidents:part_remove", args=[pid, "victim", victim.pk])),
        ("get", reverse("place_search") + "?q=ogossagou"),
    ]


def test_anonymous_visitors_are_sent_to_login_from_every_incident_url(monitor):
    incident = make_incident(monitor, title="Exécutions à Ogossagou", victim_name=("Amadou", "Maïga"))
    anonymous = Client()
    for method, url in _urls(incident):
        for headers in ({}, HTMX):
            response = getattr(anonymous, method)(url, **headers)
            assert response.status_code == 302, url
            assert response.url.startswith(reverse("accounts:login")), url
            body = response.content.decode()
            assert incident.public_id not in body and "Ogossagou" not in body and "Maïga" not in body
    assert incident.violations.get().victims.count() == 1  # nothing was removed


def test_a_monitor_of_another_organisation_gets_404(monitor, cndh_monitor):
    incident = make_incident(monitor)
    client = client_for(cndh_monitor)
    assert client.get(reverse("incidents:detail", args=[incident.public_id])).status_code == 404
    assert client.get(reverse("incidents:edit", args=[incident.public_id])).status_code == 404
    violation = incident.violations.get()
    assert (
        client.post(
            reverse("incidents:victim_add", args=[incident.public_id, violation.pk]), **HTMX
        ).status_code
        == 404
    )
    assert incident.public_id not in client.get(reverse("incidents:list")).content.decode()


def test_drafts_of_another_monitor_are_hidden(monitor, other_monitor, coordinator):
    draft = make_incident(monitor, status=IncidentStatus.DRAFT)
    client = client_for(other_monitor)
    assert draft.public_id not in client.get(reverse("incidents:list")).content.decode()
    assert client.get(reverse("incidents:detail", args=[draft.public_id])).status_code == 404
    assert client_for(monitor).get(reverse("incidents:detail", args=[draft.public_id])).status_code == 200
    assert client_for(coordinator).get(reverse("incidents:detail", args=[draft.public_id])).status_code == 200


def test_a_submitted_incident_cannot_be_edited_by_another_monitor(monitor, other_monitor):
    incident = make_incident(monitor)
    client = client_for(other_monitor)
    assert client.get(reverse("incidents:detail", args=[incident.public_id])).status_code == 200
    assert client.get(reverse("incidents:edit", args=[incident.public_id])).status_code == 403


def test_strictly_confidential_records_are_hidden_from_everyone_but_author_and_coordinator(
    monitor, other_monitor, analyst, coordinator, cndh_monitor
):
    secret = make_incident(
        monitor, title="Dossier très sensible", confidentiality=Confidentiality.STRICTLY_CONFIDENTIAL
    )
    detail = reverse("incidents:detail", args=[secret.public_id])
    for outsider in (other_monitor, analyst, cndh_monitor):
        client = client_for(outsider)
        assert client.get(detail).status_code == 404
        assert "Dossier très sensible" not in client.get(reverse("incidents:list")).content.decode()
    for insider in (monitor, coordinator):
        client = client_for(insider)
        assert client.get(detail).status_code == 200
        assert "Dossier très sensible" in client.get(reverse("incidents:list")).content.decode()


def test_analysts_see_restricted_records_without_names_narrative_or_village(monitor, analyst):
    village = Settlement.objects.get(pcode="ML050301025")  # Ogossagou-Peulh
    incident = make_incident(
        monitor,
        title="Attaque du village",
        confidentiality=Confidentiality.RESTRICTED,
        victim_name=("Amadou", "Maïga"),
        narrative="Le témoin Boubacar a vu les assaillants.",
    )
    incident.settlement = village
    incident.save()
    from kurukan.incidents.models import Source

    Source.objects.create(incident=incident, description="Cousin de la victime, joignable au 76 00 00 00.")

    body = client_for(analyst).get(reverse("incidents:detail", args=[incident.public_id])).content.decode()
    assert "Attaque du village" not in body  # a free title can name the village: a neutral one instead
    assert "Exécution sommaire ou extrajudiciaire — Bankass — mars 2022" in body
    assert "Bankass" in body  # the commune stays
    for secret in ("Amadou", "Maïga", "Boubacar", "Ogossagou", "76 00 00 00", "Cousin"):
        assert secret not in body, secret
    assert "Victime 1" in body

    own = client_for(monitor).get(reverse("incidents:detail", args=[incident.public_id])).content.decode()
    for shown in (
        "Attaque du village",
        "Amadou Maïga",
        "Boubacar",
        "Ogossagou-Peulh",
        "Cousin de la victime",
    ):
        assert shown in own, shown


def test_analysts_see_the_village_of_internal_records_but_still_no_names(monitor, analyst):
    incident = make_incident(
        monitor, confidentiality=Confidentiality.INTERNAL, victim_name=("Amadou", "Maïga")
    )
    incident.settlement = Settlement.objects.get(pcode="ML050301025")
    incident.save()
    body = client_for(analyst).get(reverse("incidents:detail", args=[incident.public_id])).content.decode()
    assert "Ogossagou-Peulh" in body
    assert "Maïga" not in body and "Récit protégé" not in body


def test_analysts_cannot_edit_or_create(monitor, analyst):
    incident = make_incident(monitor)
    client = client_for(analyst)
    assert client.get(reverse("incidents:edit", args=[incident.public_id])).status_code == 403
    assert client.get(reverse("incidents:create")).status_code == 403
    assert 'href="/incidents/new/"' not in client.get(reverse("incidents:list")).content.decode()


def test_focal_points_see_no_incidents(monitor, focal_point):
    incident = make_incident(monitor, title="Exécutions à Ogossagou")
    client = client_for(focal_point)
    listing = client.get(reverse("incidents:list"))
    assert listing.status_code == 200
    assert "Exécutions à Ogossagou" not in listing.content.decode()
    assert listing.context["total"] == 0
    assert client.get(reverse("incidents:detail", args=[incident.public_id])).status_code == 404
    assert client.get(reverse("incidents:create")).status_code == 403


def test_monitors_cannot_verify(monitor):
    incident = make_incident(monitor)
    violation = incident.violations.get()
    response = client_for(monitor).post(
        reverse("incidents:verify", args=[incident.public_id, violation.pk]),
        {
            "verification_status": VerificationStatus.VERIFIED,
            "standard_of_proof": term("standard_of_proof", "reasonable_grounds").pk,
        },
        **HTMX,
    )
    assert response.status_code == 403
    violation.refresh_from_db()
    assert violation.verification_status == VerificationStatus.REPORTED
    page = client_for(monitor).get(reverse("incidents:detail", args=[incident.public_id])).content.decode()
    assert 'name="verification_status"' not in page


def test_a_coordinator_of_another_organisation_cannot_verify(monitor, cndh):
    from conftest import make_user
    from kurukan.accounts.models import Role

    outsider = make_user("cndh.verif", Role.COORDINATOR, cndh)
    incident = make_incident(monitor)
    violation = incident.violations.get()
    response = client_for(outsider).post(
        reverse("incidents:verify", args=[incident.public_id, violation.pk]),
        {"verification_status": "not_verified"},
    )
    assert response.status_code == 404


@pytest.mark.parametrize("level", [Confidentiality.RESTRICTED, Confidentiality.STRICTLY_CONFIDENTIAL])
def test_viewing_a_protected_record_is_logged_without_identifying_data(monitor, coordinator, level):
    incident = make_incident(
        monitor, confidentiality=level, victim_name=("Amadou", "Maïga"), narrative="Récit de Boubacar."
    )
    before = AuditEvent.objects.filter(action=Action.VIEW).count()
    assert (
        client_for(coordinator).get(reverse("incidents:detail", args=[incident.public_id])).status_code == 200
    )
    event = AuditEvent.objects.filter(action=Action.VIEW).order_by("-sequence").first()
    assert AuditEvent.objects.filter(action=Action.VIEW).count() == before + 1
    assert event.object_id == incident.public_id
    assert event.user == coordinator
    logged = json.dumps(
        [event.details, event.object_type, event.object_id, event.username], ensure_ascii=False
    )
    for secret in ("Amadou", "Maïga", "Boubacar", incident.title):
        assert secret not in logged


def test_viewing_an_internal_record_is_not_logged(monitor, coordinator):
    incident = make_incident(monitor, confidentiality=Confidentiality.INTERNAL)
    before = AuditEvent.objects.filter(action=Action.VIEW).count()
    client_for(coordinator).get(reverse("incidents:detail", args=[incident.public_id]))
    assert AuditEvent.objects.filter(action=Action.VIEW).count() == before
