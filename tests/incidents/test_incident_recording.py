"""A monitor records a whole incident through the pages (htmx included); a coordinator verifies it."""

from __future__ import annotations

import re

from django.urls import reverse

from conftest import client_for, incident_form_data, term
from kurukan.actors.models import Actor
from kurukan.audit.models import Action, AuditEvent
from kurukan.incidents.models import Incident, IncidentStatus, VerificationStatus

HTMX = {"HTTP_HX_REQUEST": "true"}


def _settlement_value(client, text: str, commune_name: str) -> str:
    """Pick a village in the place picker the way the page does: search, then take the matching radio."""
    response = client.get(reverse("place_search"), {"q": text, "field": "place"}, **HTMX)
    assert response.status_code == 200
    for value, _name, context in re.findall(
        r'value="(settlement:\d+)"> <strong>([^<]+)</strong> <span class="muted">[^—]*— ([^<]+)</span>',
        response.content.decode(),
    ):
        if commune_name in context:
            return value
    raise AssertionError(f"{text!r} in {commune_name} not offered by the place picker")


def test_a_monitor_records_submits_and_a_coordinator_verifies_an_incident(monitor, coordinator):
    client = client_for(monitor)
    place = _settlement_value(client, "ogossagou-peulh", "Bankass")

    response = client.post(
        reverse("incidents:create"),
        incident_form_data(title="Attaque d'Ogossagou", place=place, narrative="Témoin rencontré à Sévaré."),
    )
    incident = Incident.objects.get(title="Attaque d'Ogossagou")
    assert response.status_code == 302
    assert response.url == reverse("incidents:edit", args=[incident.public_id])
    assert incident.status == IncidentStatus.DRAFT
    assert incident.settlement.name == "Ogossagou-Peulh"
    assert (incident.commune.pcode, incident.cercle.pcode, incident.region.pcode) == (
        "ML050301",
        "ML0503",
        "ML05",
    )
    assert client.get(response.url).status_code == 200

    add_violation = reverse("incidents:violation_add", args=[incident.public_id])
    for code in ("life.summary_execution", "liberty.abduction"):
        response = client.post(add_violation, {"type": term("violation_type", code).pk}, **HTMX)
        assert response.status_code == 200
        assert "<html" not in response.content.decode()  # a fragment for htmx, not a whole page
    execution, abduction = incident.violations.order_by("id")
    assert execution.type.code == "life.summary_execution"
    assert execution.counted_by == "victim"

    response = client.post(
        reverse("incidents:victim_add", args=[incident.public_id, execution.pk]),
        {
            "given_name": "Hamadoun",
            "family_name": "Barry",
            "sex": "male",
            "age_at_time": "41",
            "birth_year": "1981",
            "status_after": term("victim_status", "killed").pk,
        },
        **HTMX,
    )
    assert response.status_code == 200
    assert "Hamadoun Barry" in response.content.decode()

    response = client.post(
        reverse("incidents:group_add", args=[incident.public_id, abduction.pk]),
        {"description": "bergers", "women": "0", "men": "3", "girls": "0", "boys": "2", "unknown": "0"},
        **HTMX,
    )
    assert response.status_code == 200

    fama = Actor.objects.get(code="fama")
    response = client.post(
        reverse("incidents:perpetrator_add", args=[incident.public_id, execution.pk]),
        {"actor": fama.pk},
        **HTMX,
    )
    assert response.status_code == 200
    response = client.post(
        reverse("incidents:perpetrator_add", args=[incident.public_id, abduction.pk]),
        {"category": term("perpetrator_category", "nonstate.unidentified").pk},
        **HTMX,
    )
    assert response.status_code == 200

    response = client.post(
        reverse("incidents:source_add", args=[incident.public_id]),
        {
            "kind": term("source_kind", "witness").pk,
            "reliability": term("reliability", "likely_reliable").pk,
            "language": "ff",
            "reported_on": "2022-03-20",
            "description": "Témoin direct, rencontré à Sévaré.",
        },
        **HTMX,
    )
    assert response.status_code == 200
    assert incident.sources.count() == 1

    incident.refresh_from_db()
    assert (incident.violation_count, incident.victim_count) == (2, 6)
    perpetrator = execution.perpetrators.get()
    assert perpetrator.category.code == "state.fdsm"  # deduced from the actor

    response = client.post(reverse("incidents:submit", args=[incident.public_id]))
    assert response.status_code == 302
    assert response.url == reverse("incidents:detail", args=[incident.public_id])
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.SUBMITTED
    assert incident.submitted_at is not None

    verifier = client_for(coordinator)
    page = verifier.get(reverse("incidents:detail", args=[incident.public_id]))
    assert page.status_code == 200
    assert "Hamadoun Barry" in page.content.decode()
    proof = term("standard_of_proof", "reasonable_grounds").pk
    for number, violation in enumerate((execution, abduction), start=1):
        response = verifier.post(
            reverse("incidents:verify", args=[incident.public_id, violation.pk]),
            {
                "verification_status": VerificationStatus.VERIFIED,
                "standard_of_proof": proof,
                "note": "Deux témoins.",
            },
            **HTMX,
        )
        assert response.status_code == 200
        incident.refresh_from_db()
        # Verifying the last violation proposes closing; it does not close by itself.
        assert incident.status == IncidentStatus.UNDER_VERIFICATION
        assert ("Clôturer l'incident" in response.content.decode()) == (number == 2)

    for violation in incident.violations.all():
        assert violation.verification_status == VerificationStatus.VERIFIED
        assert violation.standard_of_proof.code == "reasonable_grounds"
        assert violation.verified_by == coordinator
    actions = list(
        AuditEvent.objects.filter(object_id=incident.public_id)
        .order_by("sequence")
        .values_list("action", flat=True)
    )
    assert actions[0] == Action.CREATE
    assert actions.count(Action.SUBMIT) == 1
    assert actions.count(Action.VERIFY) == 2
    assert (
        "Motifs raisonnables de croire"
        in verifier.get(reverse("incidents:detail", args=[incident.public_id])).content.decode()
    )


def test_a_non_htmx_post_to_the_header_form_saves_and_redirects(monitor, draft):
    client = client_for(monitor)
    response = client.post(
        reverse("incidents:edit", args=[draft.public_id]), incident_form_data(title="Titre corrigé")
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Titre corrigé"


def test_the_header_form_saves_in_place_with_htmx(monitor, draft):
    client = client_for(monitor)
    response = client.post(
        reverse("incidents:edit", args=[draft.public_id]), incident_form_data(title="Titre htmx"), **HTMX
    )
    assert response.status_code == 200
    assert 'id="header-form"' in response.content.decode()
    draft.refresh_from_db()
    assert draft.title == "Titre htmx"
    assert draft.history.count() >= 2  # every change keeps its previous version


def test_removing_a_victim_updates_the_counts(monitor):
    from conftest import make_incident

    incident = make_incident(monitor, status=IncidentStatus.DRAFT, group_size=4)
    assert incident.victim_count == 5
    victim = incident.violations.get().victims.get()
    response = client_for(monitor).post(
        reverse("incidents:part_remove", args=[incident.public_id, "victim", victim.pk]), **HTMX
    )
    assert response.status_code == 200
    incident.refresh_from_db()
    assert incident.victim_count == 4
