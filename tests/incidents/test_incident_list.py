"""The incident list: each filter keeps exactly the incidents it should, and pages hold 25 rows."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from conftest import client_for, make_incident, term, unit
from kurukan.incidents import facets
from kurukan.incidents.models import IncidentStatus, VerificationStatus


def _listed(client, **query) -> set[str]:
    response = client.get(reverse("incidents:list"), query)
    assert response.status_code == 200
    return set(re.findall(r'href="/incidents/([A-Z]+-[^/"]+)/"', response.content.decode()))


@pytest.fixture
def incidents(monitor):
    """Five incidents that differ in one thing each from the first."""
    return {
        "bankass": make_incident(monitor, title="Exécutions à Ogossagou", commune="ML050301"),
        "baye": make_incident(
            monitor,
            title="Enlèvement de bergers",
            commune="ML050302",
            violation_type="liberty.abduction",
            start_date=dt.date(2023, 6, 1),
        ),
        "segou": make_incident(
            monitor,
            title="Torture au poste",
            commune="ML040201",
            violation_type="integrity.torture",
            actor_category="state.fdsm",
            start_date=dt.date(2021, 1, 10),
        ),
        "school": make_incident(
            monitor,
            title="École incendiée",
            commune="ML050301",
            violation_type="protected.attack_school",
            victim_name=None,
            start_date=dt.date(2022, 11, 5),
        ),
        "draft": make_incident(
            monitor, title="Brouillon en cours", status=IncidentStatus.DRAFT, commune="ML050302"
        ),
    }


def _ids(incidents, *names) -> set[str]:
    return {incidents[name].public_id for name in names}


def test_without_filters_the_list_shows_every_visible_incident(monitor, incidents):
    assert _listed(client_for(monitor)) == _ids(incidents, *incidents)


def test_period_filter(monitor, incidents):
    client = client_for(monitor)
    assert _listed(client, date_from="2023-01-01") == _ids(incidents, "baye")
    assert _listed(client, date_to="2021-12-31") == _ids(incidents, "segou")
    assert _listed(client, date_from="2022-01-01", date_to="2022-12-31") == _ids(
        incidents, "bankass", "school", "draft"
    )


def test_an_incident_that_spans_the_start_of_the_period_is_kept(monitor):
    spanning = make_incident(monitor, start_date=dt.date(2022, 12, 20))
    spanning.end_date = dt.date(2023, 1, 5)
    spanning.save()
    assert _listed(client_for(monitor), date_from="2023-01-01") == {spanning.public_id}


def test_region_filter(monitor, incidents):
    client = client_for(monitor)
    assert _listed(client, region=unit("ML04").pk) == _ids(incidents, "segou")
    assert _listed(client, region=unit("ML05").pk) == _ids(incidents, "bankass", "baye", "school", "draft")


def test_cercle_and_commune_filters_use_the_place_parameter(monitor, incidents):
    client = client_for(monitor)
    assert _listed(client, place=f"unit:{unit('ML0503').pk}") == _ids(
        incidents, "bankass", "baye", "school", "draft"
    )
    assert _listed(client, place=f"unit:{unit('ML050301').pk}") == _ids(incidents, "bankass", "school")
    assert _listed(client, place=f"unit:{unit('ML050302').pk}") == _ids(incidents, "baye", "draft")


def test_the_chosen_place_stays_selected_on_the_page(monitor, incidents):
    response = client_for(monitor).get(reverse("incidents:list"), {"place": f"unit:{unit('ML0503').pk}"})
    assert f'value="unit:{unit("ML0503").pk}" checked' in response.content.decode()


def test_violation_type_filter_matches_children_of_a_parent_term(monitor, incidents):
    client = client_for(monitor)
    assert _listed(client, violation_type=term("violation_type", "integrity").pk) == _ids(incidents, "segou")
    assert _listed(client, violation_type=term("violation_type", "integrity.torture").pk) == _ids(
        incidents, "segou"
    )
    assert _listed(client, violation_type=term("violation_type", "life").pk) == _ids(
        incidents, "bankass", "draft"
    )
    assert _listed(client, violation_type=term("violation_type", "liberty.abduction").pk) == _ids(
        incidents, "baye"
    )
    assert _listed(client, violation_type=term("violation_type", "children").pk) == set()


def test_perpetrator_category_filter(monitor, incidents):
    client = client_for(monitor)
    assert _listed(client, perpetrator_category=term("perpetrator_category", "state").pk) == _ids(
        incidents, "segou"
    )
    assert _listed(client, perpetrator_category=term("perpetrator_category", "state.fdsm").pk) == _ids(
        incidents, "segou"
    )
    nonstate = _listed(client, perpetrator_category=term("perpetrator_category", "nonstate.unidentified").pk)
    assert nonstate == _ids(incidents, "bankass", "baye", "school", "draft")


def test_verification_status_filter(monitor, incidents):
    violation = incidents["baye"].violations.get()
    violation.verification_status = VerificationStatus.VERIFIED
    violation.save()
    facets.refresh([violation.incident_id])  # as verification does: a bare save leaves the list's bits behind
    client = client_for(monitor)
    assert _listed(client, verification_status="verified") == _ids(incidents, "baye")
    assert _listed(client, verification_status="reported") == _ids(
        incidents, "bankass", "segou", "school", "draft"
    )


def test_status_filter(monitor, incidents):
    assert _listed(client_for(monitor), status="draft") == _ids(incidents, "draft")


def test_free_text_searches_titles_summaries_and_ids(monitor, incidents):
    client = client_for(monitor)
    assert _listed(client, q="ogossagou") == _ids(incidents, "bankass")
    assert _listed(client, q="ÉCOLE") == _ids(incidents, "school")
    assert _listed(client, q=incidents["segou"].public_id) == _ids(incidents, "segou")
    assert _listed(client, q="nothing like this") == set()


def test_free_text_never_searches_protected_fields(monitor):
    make_incident(monitor, narrative="Le témoin Boubacar a tout vu.", victim_name=("Amadou", "Maïga"))
    client = client_for(monitor)
    assert _listed(client, q="Boubacar") == set()
    assert _listed(client, q="Maïga") == set()


def test_filters_combine(monitor, incidents):
    client = client_for(monitor)
    query = {
        "region": unit("ML05").pk,
        "violation_type": term("violation_type", "life").pk,
        "date_from": "2022-01-01",
        "status": "submitted",
    }
    assert _listed(client, **query) == _ids(incidents, "bankass")


def test_htmx_filtering_returns_only_the_results(monitor, incidents):
    response = client_for(monitor).get(
        reverse("incidents:list"),
        {"region": unit("ML04").pk},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="results",
    )
    body = response.content.decode()
    assert "<html" not in body
    assert incidents["segou"].public_id in body and incidents["bankass"].public_id not in body


def test_pagination_25_per_page_newest_first(monitor):
    created = [
        make_incident(monitor, start_date=dt.date(2020, 1, 1) + dt.timedelta(days=i)) for i in range(30)
    ]
    client = client_for(monitor)
    first = client.get(reverse("incidents:list"))
    assert first.context["total"] == 30
    assert "30 incidents" in first.content.decode()
    assert len(first.context["rows"]) == 25
    assert first.context["rows"][0]["public_id"] == created[-1].public_id
    assert 'rel="next"' in first.content.decode() and 'rel="prev"' not in first.content.decode()

    second = client.get(reverse("incidents:list"), {"page": 2})
    assert [row["public_id"] for row in second.context["rows"]] == [
        i.public_id for i in reversed(created[:5])
    ]
    assert 'rel="prev"' in second.content.decode() and 'rel="next"' not in second.content.decode()

    seen = {row["public_id"] for row in first.context["rows"]} | {
        row["public_id"] for row in second.context["rows"]
    }
    assert seen == {i.public_id for i in created}
    assert client.get(reverse("incidents:list"), {"page": 9}).context["rows"] == []


def test_page_links_keep_the_filters(monitor):
    for i in range(26):
        make_incident(monitor, start_date=dt.date(2020, 1, 1) + dt.timedelta(days=i))
    response = client_for(monitor).get(reverse("incidents:list"), {"region": unit("ML05").pk})
    assert f"?region={unit('ML05').pk}&amp;page=2" in response.content.decode()
