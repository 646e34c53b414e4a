"""Reading incidents over the API: the list page's filters, paging and counts, and the detail."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from conftest import client_for, make_incident, term, unit
from kurukan.incidents import facets, queries
from kurukan.incidents.models import IncidentStatus, Perpetrator, VerificationStatus

MAX_LIST_QUERIES = (
    15  # the first request includes the plan probe (incidents/plans.py: two queries, remembered)
)


@pytest.fixture
def three_incidents(monitor):
    """An execution in Bankass (Mopti, 2022), an abduction by the FDSM in Barouéli (Ségou) (2023), a draft in Gao."""
    execution = make_incident(monitor, title="Exécution à Bankass")
    abduction = make_incident(
        monitor,
        title="Enlèvement à Barouéli",
        commune="ML040101",
        start_date=dt.date(2023, 6, 2),
        violation_type="liberty.abduction",
        actor_category="state.fdsm",
    )
    abduction.violations.update(verification_status=VerificationStatus.VERIFIED)
    facets.refresh([abduction.pk])  # as verification does: a raw update leaves the list's bits behind
    draft = make_incident(
        monitor,
        title="Brouillon à Gao",
        commune="ML070101",
        start_date=dt.date(2024, 1, 9),
        status=IncidentStatus.DRAFT,
    )
    return execution, abduction, draft


def titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["title"] for row in response.json()["items"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["Brouillon à Gao", "Enlèvement à Barouéli", "Exécution à Bankass"]),
        ({"q": "barouéli"}, ["Enlèvement à Barouéli"]),
        ({"date_from": "2023-01-01"}, ["Brouillon à Gao", "Enlèvement à Barouéli"]),
        ({"date_to": "2022-12-31"}, ["Exécution à Bankass"]),
        ({"region": "ML05"}, ["Exécution à Bankass"]),
        ({"place": "ML040101"}, ["Enlèvement à Barouéli"]),
        ({"violation_type": "liberty.abduction"}, ["Enlèvement à Barouéli"]),
        # A category covers its types.
        ({"violation_type": "life"}, ["Brouillon à Gao", "Exécution à Bankass"]),
        ({"perpetrator_category": "state"}, ["Enlèvement à Barouéli"]),
        ({"verification_status": "verified"}, ["Enlèvement à Barouéli"]),
        ({"status": "draft"}, ["Brouillon à Gao"]),
        (
            {"status": "", "q": "", "date_from": ""},
            ["Brouillon à Gao", "Enlèvement à Barouéli", "Exécution à Bankass"],
        ),
    ],
)
def test_the_list_filters_like_the_page(monitor, three_incidents, query, expected):
    assert titles(client_for(monitor).get("/api/incidents", query)) == expected


def test_the_list_takes_the_pages_own_query_string_and_returns_the_same_incidents(monitor, three_incidents):
    client = client_for(monitor)
    query = {
        "region": unit("ML04").pk,
        "violation_type": term("violation_type", "liberty.abduction").pk,
        "perpetrator_category": term("perpetrator_category", "state").pk,
        "date_from": "2023-01-01",
        "status": "",
    }
    page = client.get(reverse("incidents:list"), query).content.decode()
    api = client.get("/api/incidents", query).json()
    on_page = re.findall(r"ML-[0-9A-Z]{4}-[0-9A-Z]{4}", page)
    assert [row["public_id"] for row in api["items"]] == list(dict.fromkeys(on_page))
    assert api["count"] == 1


def test_a_place_chosen_in_the_picker_filters_the_list(monitor, three_incidents):
    client = client_for(monitor)
    choice = next(
        p for p in client.get("/api/places/search", {"q": "bankass"}).json() if p["level"] == "cercle"
    )
    assert titles(client.get("/api/incidents", {"place": choice["value"]})) == ["Exécution à Bankass"]


def test_list_rows_carry_what_the_page_shows(monitor, three_incidents):
    row = client_for(monitor).get("/api/incidents", {"q": "Barouéli"}).json()["items"][0]
    assert row == {
        "public_id": three_incidents[1].public_id,
        "title": "Enlèvement à Barouéli",
        "date": "2 juin 2023",
        "start_date": "2023-06-02",
        "date_precision": "day",
        "place": "Barouéli, Barouéli, Ségou",
        "types": ["Enlèvement et prise d'otage"],
        "victims": 1,
        "violations": 1,
        "verified": 1,
        "status": "Soumis",
        "status_code": "submitted",
        "organisation": "DDHP",
    }


def test_the_list_pages_with_limit_and_offset(monitor, three_incidents):
    client = client_for(monitor)
    first = client.get("/api/incidents", {"limit": 2}).json()
    assert (first["count"], first["limit"], first["offset"], first["next_offset"]) == (3, 2, 0, 2)
    second = client.get("/api/incidents", {"limit": 2, "offset": first["next_offset"]}).json()
    assert [r["title"] for r in second["items"]] == ["Exécution à Bankass"]
    assert second["next_offset"] is None


def test_the_count_is_capped_like_the_page(monitor, three_incidents, monkeypatch):
    monkeypatch.setattr(queries, "COUNT_CAP", 2)
    body = client_for(monitor).get("/api/incidents").json()
    assert (body["count"], body["count_is_capped"], len(body["items"])) == (2, True, 3)


def test_the_list_costs_the_same_few_queries_for_one_row_or_forty(monitor, django_assert_max_num_queries):
    """No N+1: session, user, the filters' lookups, the count and one page with its violations."""
    client = client_for(monitor)
    query = {"limit": 100, "violation_type": "life", "region": "ML05", "date_from": "2020-01-01"}
    make_incident(monitor)
    with django_assert_max_num_queries(MAX_LIST_QUERIES) as one_row:
        assert len(client.get("/api/incidents", query).json()["items"]) == 1
    for _ in range(39):
        incident = make_incident(monitor, group_size=3)
        Perpetrator.objects.create(
            violation=incident.violations.get(), category=term("perpetrator_category", "state.fdsm")
        )
    with django_assert_max_num_queries(MAX_LIST_QUERIES) as forty_rows:
        assert len(client.get("/api/incidents", query).json()["items"]) == 40
    # Never more for more rows (fewer is allowed: the plan probe is remembered between requests).
    assert len(forty_rows.captured_queries) <= len(one_row.captured_queries)


def test_the_detail_reads_like_the_page_with_codes_beside_labels(monitor):
    incident = make_incident(monitor, group_size=4)
    body = client_for(monitor).get(f"/api/incidents/{incident.public_id}").json()

    assert body["public_id"] == incident.public_id
    assert body["status_code"] == "submitted"
    assert body["confidentiality"] == "internal"
    assert body["date_label"] == "14 mars 2022"
    assert body["commune"] == {"pcode": "ML050301", "name": "Bankass"}
    assert body["region"] == {"pcode": "ML05", "name": "Mopti"}
    violation = body["violations"][0]
    assert violation["type_code"] == "life.summary_execution"
    assert violation["type"] == "Exécution sommaire ou extrajudiciaire"
    assert violation["verification_code"] == "reported"
    assert violation["victim_total"] == 5
    assert violation["groups"][0]["men"] == 4
    assert violation["perpetrators"][0]["category"] == "Hommes armés non identifiés"
    assert violation["kind"] == "atteinte"


def test_an_unknown_incident_is_a_404_in_french(monitor):
    response = client_for(monitor).get("/api/incidents/ML-0000-0000")
    assert response.status_code == 404
    assert response.json() == {"detail": "Introuvable : cet élément n'existe pas ou n'est pas accessible."}
