"""A record belongs to its organisation and is shared with another explicitly and revocably."""

from __future__ import annotations

from django.urls import reverse

from conftest import client_for, make_incident
from kurukan.accounts.models import IncidentShare
from kurukan.audit.models import Action, AuditEvent


def _share(coordinator, incident, organisation, identities=False):
    return client_for(coordinator).post(
        reverse("incidents:share_add", args=[incident.public_id]),
        {"organisation": organisation.pk, "include_identities": "on" if identities else ""},
    )


def test_another_organisation_sees_a_record_only_while_it_is_shared(monitor, coordinator, cndh_monitor, cndh):
    incident = make_incident(monitor)
    detail = reverse("incidents:detail", args=[incident.public_id])
    other = client_for(cndh_monitor)
    assert other.get(detail).status_code == 404
    assert incident.public_id not in other.get(reverse("incidents:list")).content.decode()

    assert _share(coordinator, incident, cndh).status_code == 302
    page = other.get(detail)
    assert page.status_code == 200
    assert "Maïga" not in page.content.decode()  # shared de-identified by default
    assert incident.public_id in other.get(reverse("incidents:list")).content.decode()
    assert AuditEvent.objects.filter(action=Action.SHARE, object_id=incident.public_id).exists()

    share = IncidentShare.objects.get(incident=incident)
    client_for(coordinator).post(reverse("incidents:share_revoke", args=[incident.public_id, share.pk]))
    assert other.get(detail).status_code == 404


def test_identities_travel_only_when_the_share_says_so(monitor, coordinator, cndh_monitor, cndh):
    """…and the person consented to sharing with that organisation (tests/protection/test_consent.py)."""
    from kurukan.people import consent

    incident = make_incident(monitor)
    person = incident.violations.get().victims.get().person
    consent.record(person, "share_partner", "given", coordinator, partner=cndh)
    _share(coordinator, incident, cndh, identities=True)
    page = client_for(cndh_monitor).get(reverse("incidents:detail", args=[incident.public_id]))
    assert "Amadou Maïga" in page.content.decode()


def test_monitors_cannot_share_and_the_receiver_cannot_edit(monitor, coordinator, cndh_monitor, cndh):
    incident = make_incident(monitor)
    assert _share(monitor, incident, cndh).status_code == 403
    _share(coordinator, incident, cndh)
    assert (
        client_for(cndh_monitor).get(reverse("incidents:edit", args=[incident.public_id])).status_code == 403
    )


def test_drafts_cannot_be_shared(monitor, coordinator, cndh):
    incident = make_incident(monitor, status="draft")
    assert _share(coordinator, incident, cndh).status_code == 403


def test_recording_works_without_javascript(monitor):
    """Plain form posts (no htmx) land back on the whole editor, with errors shown in place."""
    from kurukan.vocabularies.models import Term

    incident = make_incident(monitor, status="draft")
    client = client_for(monitor)
    url = reverse("incidents:violation_add", args=[incident.public_id])
    looting = Term.objects.get(vocabulary="violation_type", code="protected.looting_destruction")
    response = client.post(url, {"type": looting.pk})
    assert response.status_code == 302 and response["Location"].endswith("/edit/")
    response = client.post(url, {"type": ""})
    assert response.status_code == 422
    body = response.content.decode()
    assert "<html" in body and "Soumettre pour vérification" in body and 'class="error"' in body


def test_a_coordinator_cannot_merge_another_organisations_shared_record(
    monitor, coordinator, cndh_monitor, cndh
):
    """Sharing lets the other organisation look, not fold the record into one of its own."""
    from kurukan.duplicates.models import CandidatePair, Kind, LinkageRun

    ours = make_incident(monitor)
    theirs = make_incident(cndh_monitor)
    from kurukan.accounts.models import IncidentShare

    IncidentShare.objects.create(incident=theirs, organisation=ours.organisation, granted_by=cndh_monitor)
    run = LinkageRun.objects.create(kind=Kind.INCIDENTS, requested_by=coordinator)
    pair = CandidatePair.objects.create(
        run=run, kind=Kind.INCIDENTS, left_id=ours.pk, right_id=theirs.pk, probability=0.99, evidence=[]
    )
    response = client_for(coordinator).post(reverse("duplicates:decide", args=[pair.pk, "confirm"]))
    assert response.status_code == 403
    theirs.refresh_from_db()
    assert theirs.merged_into_id is None


def test_a_long_list_answers_first_then_counts_exactly(monitor, monkeypatch):
    """The page shows its rows without waiting for a count over a million incidents."""
    from kurukan.incidents import queries

    for _ in range(4):
        make_incident(monitor)
    monkeypatch.setattr(queries, "PAGE_COUNT_CAP", 2)
    client = client_for(monitor)
    page = client.get(reverse("incidents:list")).content.decode()
    assert "Plus de 2 incidents" in page and "count=exact" in page
    exact = client.get(reverse("incidents:list"), {"count": "exact"}, HTTP_HX_REQUEST="true").content.decode()
    assert "4 incidents" in exact and "<table" not in exact


def test_the_page_title_is_just_the_identifier(monitor, coordinator):
    incident = make_incident(monitor)
    body = (
        client_for(coordinator).get(reverse("incidents:detail", args=[incident.public_id])).content.decode()
    )
    title = body.split("<title>", 1)[1].split("</title>", 1)[0]
    assert title.strip() == f"{incident.public_id} · Kurukan"
    assert body.count("<h2>Partages</h2>") == 1
