"""Cheaper pages (issue #18): what a page reads once it does not read again, and what it remembers it still
shows as it is now — a renamed term, a newly named user, a share."""

from __future__ import annotations

import json

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import client_for, make_incident, term
from kurukan.accounts.models import IncidentShare, Organisation

NAME = "Awa Traoré"


def _get(client, url: str, query: dict | None = None):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, query or {})
    assert response.status_code == 200
    return response.content.decode(), [q["sql"] for q in captured.captured_queries]


def _sexual_violence(author):
    return make_incident(author, violation_type="sexual.rape", victim_name=("Awa", "Traoré"))


def test_a_sensitive_record_asks_need_to_know_once_per_page(monitor, other_monitor):
    incident = _sexual_violence(monitor)
    client = client_for(other_monitor)
    url = reverse("incidents:detail", args=[incident.public_id])
    client.get(url)
    page, sql = _get(client, url)
    assert NAME not in page  # not named on the record: de-identified
    assert sum("need_to_know" in q for q in sql) == 1, [q for q in sql if "need_to_know" in q]


def test_a_user_named_on_the_record_sees_the_names_at_the_next_request(monitor, other_monitor, coordinator):
    incident = _sexual_violence(monitor)
    client = client_for(other_monitor)
    url = reverse("incidents:detail", args=[incident.public_id])
    assert NAME not in _get(client, url)[0]
    incident.need_to_know.add(other_monitor)
    assert NAME in _get(client, url)[0]
    assert NAME in _get(client, reverse("api:incident_detail", args=[incident.public_id]))[0]


def test_a_share_with_identities_carries_them_from_the_next_request(monitor, coordinator, cndh_monitor):
    incident = make_incident(monitor, confidentiality="restricted")
    client = client_for(cndh_monitor)
    share = IncidentShare.objects.create(
        incident=incident,
        organisation=Organisation.objects.get(code="cndh"),
        include_identities=False,
        granted_by=coordinator,
    )
    url = reverse("api:incident_detail", args=[incident.public_id])
    assert json.loads(_get(client, url)[0])["identities"] is False
    share.include_identities = True
    share.save()
    assert json.loads(_get(client, url)[0])["identities"] is True


def test_the_filters_show_a_renamed_term_at_once(monitor):
    client = client_for(monitor)
    url = reverse("incidents:list")
    torture = term("violation_type", "integrity.torture")
    before = torture.label_fr
    assert before in _get(client, url)[0]
    torture.label_fr = "Torture (libellé révisé)"
    torture.save()
    page = _get(client, url)[0]
    assert "Torture (libellé révisé)" in page
    assert f">{before}</option>" not in page


def test_the_filters_keep_the_chosen_value(monitor):
    client = client_for(monitor)
    url = reverse("incidents:list")
    _get(client, url)  # the empty form drawn first
    page = _get(client, url, {"verification_status": "verified"})[0]
    assert '<option value="verified" selected>' in page
    assert '<option value="" selected>' in page  # the other lists still on "—"


def test_the_list_reads_its_choices_without_counting_them(monitor):
    client = client_for(monitor)
    url = reverse("incidents:list")
    client.get(url)
    sql = _get(client, url)[1]
    counted = [q for q in sql if "COUNT" in q and ("vocabularies_term" in q or "places_adminunit" in q)]
    assert not counted, counted
    assert not any('"geometry"' in q for q in sql)  # unit boundaries are for maps, never read by the list
