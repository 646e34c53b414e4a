"""Titles that do not leak villages, and a search box that finds what the owner knows (issue #16)."""

from __future__ import annotations

import json

from django.urls import reverse

from conftest import client_for, make_incident
from kurukan.accounts.models import Confidentiality
from kurukan.audit.models import AuditEvent
from kurukan.incidents.presenters import incident_record, list_rows

VILLAGE_TITLE = "Attaque nocturne à Ogossagou"


def _restricted(monitor):
    return make_incident(monitor, title=VILLAGE_TITLE, confidentiality=Confidentiality.RESTRICTED)


def _listed_titles(client, **query) -> list[str]:
    response = client.get("/api/incidents", query)
    assert response.status_code == 200, response.content
    return [row["title"] for row in response.json()["items"]]


def test_an_analyst_never_reads_a_restricted_title_in_the_list_the_page_or_the_api(monitor, analyst):
    incident = _restricted(monitor)
    neutral = "Exécution sommaire ou extrajudiciaire — Bankass — mars 2022"
    client = client_for(analyst)
    page = client.get(reverse("incidents:list")).content.decode()
    assert "Ogossagou" not in page
    assert neutral in page
    detail = client.get(f"/api/incidents/{incident.public_id}").content.decode()
    assert "Ogossagou" not in detail
    assert json.loads(detail)["title"] == neutral
    assert _listed_titles(client) == [neutral]
    # The owner reads the title they wrote.
    assert _listed_titles(client_for(monitor)) == [VILLAGE_TITLE]


def test_the_presenter_gives_exports_the_same_form_free_de_identified_rows(monitor, analyst):
    incident = _restricted(monitor)
    record = incident_record(analyst, incident)
    assert record["title"] != VILLAGE_TITLE
    for absent in ("narrative", "sources", "settlement", "latitude"):
        assert absent not in record
    assert "person_id" not in record["violations"][0]["victims"][0]
    assert "note" not in record["violations"][0]
    # Nothing in it is a form or a model object: it serialises as it is.
    json.dumps(record, default=str)
    assert "Form" not in repr(record)
    assert list_rows(analyst, [incident])[0]["title"] == record["title"]
    assert incident_record(monitor, incident)["title"] == VILLAGE_TITLE


def test_internal_records_keep_their_title_for_analysts(monitor, analyst):
    make_incident(monitor, title="Attaque du marché de Bankass", confidentiality=Confidentiality.INTERNAL)
    assert _listed_titles(client_for(analyst)) == ["Attaque du marché de Bankass"]


def test_free_text_does_not_search_restricted_titles_for_analysts(monitor, analyst):
    _restricted(monitor)
    assert _listed_titles(client_for(analyst), q="Ogossagou") == []
    assert _listed_titles(client_for(monitor), q="Ogossagou") == [VILLAGE_TITLE]
    # The public summary is searched for everyone.
    assert len(_listed_titles(client_for(analyst), q="Résumé public")) == 1


def test_free_text_finds_the_commune_cercle_and_region_by_name(monitor):
    make_incident(monitor, title="Sans lieu dans le titre")
    client = client_for(monitor)
    for name in ("Bankass", "bankass", "Mopti", "MOPTI"):
        assert _listed_titles(client, q=name) == ["Sans lieu dans le titre"], name
    assert _listed_titles(client, q="Ségou") == []


def test_a_monitor_finds_a_victim_by_exact_name_and_the_search_is_audited(monitor):
    make_incident(monitor, title="Sans nom", victim_name=("Zorblatt", "Kéïta"))
    client = client_for(monitor)
    before = AuditEvent.objects.filter(object_type="name_search").count()
    assert _listed_titles(client, q="zorblatt keita") == ["Sans nom"]
    events = AuditEvent.objects.filter(object_type="name_search")
    assert events.count() == before + 1
    assert "zorblatt" not in json.dumps(events.first().details).lower()
    assert _listed_titles(client, q="Zorbl") == []  # never by substring
    assert client.get(reverse("incidents:list"), {"q": "Zorblatt Keïta"}).context["total"] == 1


def test_an_analyst_can_never_match_a_name(monitor, analyst):
    make_incident(monitor, title="Sans nom", victim_name=("Zorblatt", "Kéïta"))
    before = AuditEvent.objects.filter(object_type="name_search").count()
    assert _listed_titles(client_for(analyst), q="Zorblatt Kéïta") == []
    assert AuditEvent.objects.filter(object_type="name_search").count() == before


def test_a_monitor_of_another_organisation_cannot_match_a_name(monitor, cndh_monitor):
    make_incident(monitor, title="Sans nom", victim_name=("Zorblatt", "Kéïta"))
    assert _listed_titles(client_for(cndh_monitor), q="Zorblatt Kéïta") == []
