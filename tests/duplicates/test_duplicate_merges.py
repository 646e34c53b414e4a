"""Confirming a pair merges records without deleting anything; undo restores them; counts follow the rule."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from duplicate_builders import make_pair, people_pair, person_of

from conftest import client_for, make_incident
from kurukan.audit.models import Action, AuditEvent
from kurukan.duplicates.models import CandidatePair, Kind, Merge
from kurukan.incidents.models import GroupVictims, Incident, Source, Victim

pytestmark = pytest.mark.django_db


def _list_count(client) -> int:
    return client.get("/incidents/").context["total"]


def _decide(client, pair: CandidatePair, decision: str):
    return client.post(f"/duplicates/pairs/{pair.pk}/{decision}/", HTTP_HX_REQUEST="true")


@pytest.fixture
def two_reports(coordinator):
    """One killing reported twice: each report names the victim (two person records) and a group of 5."""
    first = make_incident(coordinator, title="Exécution à Ogossagou", group_size=5)
    second = make_incident(
        coordinator, title="Ogossagou : un homme exécuté", victim_name=("Hamadou", "Maiga"), group_size=5,
        start_date=dt.date(2022, 3, 15),
    )  # fmt: skip
    Source.objects.create(incident=second, language="fr")
    return first, second


def test_confirming_an_incident_pair_hides_the_duplicate_and_recounts_the_survivor(coordinator, two_reports):
    first, second = two_reports
    client = client_for(coordinator)
    assert _list_count(client) == 2
    assert (first.victim_count, second.victim_count) == (6, 6)

    response = _decide(client, make_pair(Kind.INCIDENTS, first.pk, second.pk), "confirm")

    assert response.status_code == 200
    assert "Fusion enregistrée" in response.content.decode()
    first.refresh_from_db(), second.refresh_from_db()
    assert second.merged_into == first  # the older record survives
    assert _list_count(client) == 1
    # two distinct person records (not yet merged) + the survivor's group of 5; the duplicate's group is
    # the same group told by another source
    assert first.victim_count == 7
    assert Victim.objects.filter(violation__incident=second).count() == 1  # nothing deleted
    assert Source.objects.filter(incident=second).count() == 1


def test_confirming_a_person_pair_counts_the_person_once(coordinator, two_reports):
    first, second = two_reports
    client = client_for(coordinator)
    _decide(client, make_pair(Kind.INCIDENTS, first.pk, second.pk), "confirm")
    amadou, hamadou = person_of(first), person_of(second)

    _decide(client, people_pair(first, second), "confirm")

    hamadou.refresh_from_db()
    assert hamadou.merged_into == amadou
    first.refresh_from_db()
    assert first.victim_count == 6  # one person + the group of 5


def test_undo_restores_the_duplicate_and_its_counts(coordinator, two_reports):
    first, second = two_reports
    client = client_for(coordinator)
    _decide(client, make_pair(Kind.INCIDENTS, first.pk, second.pk), "confirm")
    _decide(client, people_pair(first, second), "confirm")
    person_merge = Merge.objects.get(kind=Kind.PEOPLE)

    response = client.post(f"/duplicates/merges/{person_merge.pk}/undo/", HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    first.refresh_from_db()
    assert first.victim_count == 7
    assert person_of(second).merged_into is None
    assert CandidatePair.objects.get(pk=person_merge.pair_id).decision == "pending"  # back in the queue

    incident_merge = Merge.objects.get(kind=Kind.INCIDENTS)
    client.post(f"/duplicates/merges/{incident_merge.pk}/undo/", HTTP_HX_REQUEST="true")

    first.refresh_from_db(), second.refresh_from_db()
    assert second.merged_into is None
    assert (first.victim_count, second.victim_count) == (6, 6)
    assert _list_count(client) == 2
    assert Merge.objects.filter(undone_at__isnull=False).count() == 2
    again = client.post(f"/duplicates/merges/{incident_merge.pk}/undo/", HTTP_HX_REQUEST="true")
    assert again.status_code == 422


def test_chains_resolve_to_the_root_survivor(coordinator):
    a = make_incident(coordinator, title="A", victim_name=("Awa", "Traoré"))
    b = make_incident(coordinator, title="B", victim_name=("Fatoumata", "Diallo"))
    c = make_incident(coordinator, title="C", victim_name=("Moussa", "Keïta"))
    client = client_for(coordinator)
    _decide(client, make_pair(Kind.INCIDENTS, b.pk, c.pk), "confirm")  # C → B
    _decide(client, make_pair(Kind.INCIDENTS, a.pk, c.pk), "confirm")  # C's root B → A

    for incident in (a, b, c):
        incident.refresh_from_db()
    assert (b.merged_into, c.merged_into) == (a, b)
    assert a.victim_count == 3
    assert _list_count(client) == 1
    page = client.get(f"/incidents/{c.public_id}/")
    assert page.status_code == 200  # a merged incident stays readable

    # what the incident page shows, through the template tag the page includes
    tag = Template("{% load duplicates %}{% incident_merges incident %}")
    request = RequestFactory().get("/")
    request.user = coordinator
    merged = tag.render(Context({"request": request, "incident": c}))
    assert "Fusionné dans" in merged and a.public_id in merged
    survivor = tag.render(Context({"request": request, "incident": a}))
    assert "Doublons fusionnés" in survivor and b.public_id in survivor and c.public_id in survivor

    # a pair of two records already one is confirmed without a new merge
    response = _decide(client, make_pair(Kind.INCIDENTS, b.pk, a.pk), "confirm")
    assert response.status_code == 200
    assert Merge.objects.count() == 2


def test_reject_and_defer_leave_records_alone_and_are_audited(coordinator, two_reports):
    first, second = two_reports
    client = client_for(coordinator)
    rejected = make_pair(Kind.INCIDENTS, first.pk, second.pk)
    deferred = people_pair(first, second)

    assert _decide(client, rejected, "reject").status_code == 200
    assert _decide(client, deferred, "defer").status_code == 200

    assert Incident.objects.filter(merged_into__isnull=False).count() == 0
    rejected.refresh_from_db(), deferred.refresh_from_db()
    assert (rejected.decision, deferred.decision) == ("rejected", "deferred")
    assert rejected.decided_by == coordinator and rejected.decided_at is not None
    events = list(AuditEvent.objects.filter(action=Action.MERGE).order_by("sequence"))
    assert [e.details["event"] for e in events] == ["reject", "defer"]
    assert _decide(client, rejected, "confirm").status_code == 422  # already decided
    queue = client.get("/duplicates/?kind=people&decision=deferred")
    assert f'id="pair-{deferred.pk}"' in queue.content.decode()


def test_every_merge_action_is_audited_with_ids_only(coordinator, two_reports):
    first, second = two_reports
    client = client_for(coordinator)
    _decide(client, make_pair(Kind.INCIDENTS, first.pk, second.pk), "confirm")
    client.post(f"/duplicates/merges/{Merge.objects.get().pk}/undo/", HTTP_HX_REQUEST="true")

    confirm, undo = AuditEvent.objects.filter(action=Action.MERGE).order_by("sequence")
    assert confirm.details["event"] == "confirm" and undo.details["event"] == "undo"
    assert confirm.details["survivor"] == first.public_id
    assert confirm.details["duplicate"] == second.public_id == confirm.object_id
    for event in (confirm, undo):
        assert "Amadou" not in str(event.details) and "Hamadou" not in str(event.details)


def test_groups_of_a_merged_duplicate_are_not_added_again(coordinator):
    first = make_incident(coordinator, victim_name=None, group_size=12)
    second = make_incident(coordinator, victim_name=None, group_size=10)
    GroupVictims.objects.filter(violation__incident=second).update(men=10)
    _decide(client_for(coordinator), make_pair(Kind.INCIDENTS, first.pk, second.pk), "confirm")
    first.refresh_from_db()
    assert first.victim_count == 12
