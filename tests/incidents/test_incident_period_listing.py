"""A period filter finds every incident overlapping the period, and the list pages through them in date order.

The list reads a period in two parts (incidents begun within it, then those begun earlier and still going on:
models.period_parts) so each part can use an index range; these tests hold it to the single-query answer.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from conftest import client_for, make_incident
from kurukan.incidents import queries
from kurukan.incidents.models import Incident

D = dt.date


def _incident(user, title: str, start: dt.date, end: dt.date | None = None) -> Incident:
    incident = make_incident(user, title=title, start_date=start, victim_name=None)
    if end is not None:
        Incident.objects.filter(pk=incident.pk).update(end_date=end)
    return incident


@pytest.fixture
def spread(monitor) -> None:
    """Incidents around the year 2022: before it, straddling its start, inside, straddling its end, after."""
    _incident(monitor, "fini en 2021", D(2021, 3, 1), D(2021, 12, 31))
    _incident(monitor, "sans fin, 2021", D(2021, 6, 1))
    _incident(monitor, "détention 2019-2023", D(2019, 5, 1), D(2023, 2, 1))
    _incident(monitor, "enlèvement déc. 2021 - janv. 2022", D(2021, 12, 20), D(2022, 1, 3))
    _incident(monitor, "un jour, 1er janvier", D(2022, 1, 1))
    for month in range(1, 13):
        _incident(monitor, f"2022-{month:02}", D(2022, month, 10))
    _incident(monitor, "déc. 2022 - janv. 2023", D(2022, 12, 28), D(2023, 1, 5))
    _incident(monitor, "2023", D(2023, 1, 10))


def _titles(rows) -> list[str]:
    return [row.title for row in rows]


def test_the_period_finds_what_began_in_it_and_what_was_still_going_on(monitor, spread):
    filters = queries.IncidentFilters(date_from=D(2022, 1, 1), date_to=D(2022, 12, 31))
    titles = _titles(queries.filtered_incidents(monitor, filters))
    assert titles[0] == "déc. 2022 - janv. 2023"
    assert titles[-2:] == ["enlèvement déc. 2021 - janv. 2022", "détention 2019-2023"]
    assert len(titles) == 12 + 4
    assert not {"fini en 2021", "sans fin, 2021", "2023"} & set(titles)
    rows, total, more = queries.read_page(queries.incident_listing(monitor, filters), 0, 100, 1000)
    assert _titles(rows) == titles
    assert (total, more) == (16, False)


@pytest.mark.parametrize("size", [1, 3, 5, 7, 15, 16, 17])
def test_pages_of_any_size_cross_the_parts_without_losing_or_repeating(monitor, spread, size):
    filters = queries.IncidentFilters(date_from=D(2022, 1, 1), date_to=D(2022, 12, 31))
    expected = _titles(queries.filtered_incidents(monitor, filters))
    listing = queries.incident_listing(monitor, filters)
    assert len(listing.parts) == 2
    seen: list[str] = []
    for offset in range(0, 20, size):
        rows, total, _more = queries.read_page(listing, offset, size, 1000)
        assert total == 16
        seen += _titles(rows)
    assert seen == expected


@pytest.mark.parametrize("cap", [2, 14, 15, 16])
def test_a_count_stopped_at_its_cap_still_pages_correctly(monitor, spread, cap):
    filters = queries.IncidentFilters(date_from=D(2022, 1, 1))
    expected = _titles(queries.filtered_incidents(monitor, filters))
    listing = queries.incident_listing(monitor, filters)
    seen: list[str] = []
    for offset in range(0, 20, 4):
        rows, total, more = queries.read_page(listing, offset, 4, cap)
        assert (total, more) == (min(cap, len(expected)), len(expected) > cap)
        seen += _titles(rows)
    assert seen == expected


def test_only_an_end_or_no_period(monitor, spread):
    until = queries.IncidentFilters(date_to=D(2021, 12, 31))
    assert set(_titles(queries.filtered_incidents(monitor, until))) == {
        "fini en 2021",
        "sans fin, 2021",
        "détention 2019-2023",
        "enlèvement déc. 2021 - janv. 2022",
    }
    everything = queries.incident_listing(monitor, queries.IncidentFilters())
    rows, total, _more = queries.read_page(everything, 0, 100, 1000)
    assert total == Incident.objects.count() == len(rows)


def test_the_list_page_and_the_api_page_through_the_period(monitor, spread, settings):
    settings.PAGE_SIZE = 5
    client = client_for(monitor)
    period = {"date_from": "2022-01-01", "date_to": "2022-12-31"}
    seen: list[str] = []
    for page in (1, 2, 3, 4):
        response = client.get(reverse("incidents:list"), {**period, "page": page})
        assert response.status_code == 200
        seen += [row["title"] for row in response.context["rows"]]
        assert response.context["has_next"] is (page < 4)
    assert seen[-1] == "détention 2019-2023"
    assert len(seen) == len(set(seen)) == 16
    api = client.get("/api/incidents", {**period, "limit": 10, "offset": 10}).json()
    assert [item["title"] for item in api["items"]] == seen[10:]
    assert api["count"] == 16 and api["next_offset"] is None


def test_an_end_before_the_start_keeps_the_incident_out_as_before(monitor, spread):
    """Imports may carry an end date earlier than the start; the period rule stays the single OR's."""
    _incident(monitor, "fin avant début", D(2022, 5, 1), D(2022, 4, 1))
    filters = queries.IncidentFilters(date_from=D(2022, 4, 15), date_to=D(2022, 12, 31))
    assert "fin avant début" not in _titles(queries.filtered_incidents(monitor, filters))
    rows, _total, _more = queries.read_page(queries.incident_listing(monitor, filters), 0, 100, 1000)
    assert "fin avant début" not in _titles(rows)
    assert "2022-05" in _titles(rows)
