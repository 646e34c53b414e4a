"""The incident search uses the people links as evidence, with the caveat of different violations."""

from __future__ import annotations

import pytest
from duplicate_builders import load_demo

from conftest import client_for
from kurukan.duplicates import records
from kurukan.duplicates.models import CandidatePair, Kind, LinkageRun
from kurukan.duplicates.tasks import find_duplicates
from kurukan.incidents.models import Incident
from kurukan.people.models import Person

pytestmark = pytest.mark.django_db


def test_incident_pairs_carry_the_evidence_of_matched_victims(monkeypatch, administrator):
    load_demo(monkeypatch)
    client = client_for(administrator)
    client.post("/duplicates/runs/", {"kind": "incidents", "threshold": "0.5"})
    run = LinkageRun.objects.get()
    find_duplicates.call(run.pk)
    run.refresh_from_db()
    assert run.status == "done", run.error
    pairs = CandidatePair.objects.filter(kind=Kind.INCIDENTS)
    assert pairs.exists()
    fields = {item["field"] for pair in pairs for item in pair.evidence}
    assert "victim_clusters" in fields
    shared = [
        item
        for pair in pairs
        for item in pair.evidence
        if item["field"] == "victim_clusters" and item["bf"] > 1
    ]
    assert shared and {item["level"] for item in shared} == {"a matched victim in common"}
    page = client.get("/duplicates/?kind=incidents").content.decode()
    assert "Victimes rapprochées par la recherche de personnes" in page


def test_victims_are_read_per_incident_with_merged_people_as_their_root(monkeypatch, administrator):
    load_demo(monkeypatch)
    incidents = Incident.objects.all()
    victims = records.victims_by_incident(incidents)
    named = [incident for incident, people in victims.items() if len(people) >= 2]
    assert named
    incident = Incident.objects.get(pk=int(named[0]))
    people = sorted(victims[named[0]])
    Person.objects.filter(pk=people[1]).update(merged_into_id=people[0])
    again = records.victims_by_incident(Incident.objects.filter(pk=incident.pk))
    assert again[str(incident.pk)] == set(people) - {people[1]}
