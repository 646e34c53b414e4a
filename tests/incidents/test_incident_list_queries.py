"""The list and detail pages run a fixed number of queries, however many rows they show: no N+1."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import client_for, make_incident, term, unit
from kurukan.actors.models import Actor
from kurukan.incidents.models import GroupVictims, Perpetrator, Source, Victim, Violation
from kurukan.people.models import Person

# 20 before the choice lists were kept per process and the user read with their organisation (14 measured
# with every filter, 7 with none); 30 on the detail page before it read each check once (18 measured for a
# coordinator). docs/benchmarks.md, "Cheaper pages".
LIST_QUERY_BUDGET = 15
DETAIL_QUERY_BUDGET = 18


def _every_filter() -> dict:
    return {
        "q": "Ogossagou",
        "date_from": "2020-01-01",
        "date_to": "2022-12-31",
        "region": unit("ML05").pk,
        "place": f"unit:{unit('ML0503').pk}",
        "violation_type": term("violation_type", "life").pk,
        "perpetrator_category": term("perpetrator_category", "nonstate").pk,
        "verification_status": "reported",
        "status": "submitted",
    }


def _add_incidents(user, n: int, offset: int) -> None:
    for i in range(n):
        incident = make_incident(
            user, start_date=dt.date(2020, 1, 1) + dt.timedelta(days=offset + i), group_size=i % 3
        )
        if i % 2:
            Violation.objects.create(incident=incident, type=term("violation_type", "life.killing_civilians"))


def _count(client, url: str, query: dict | None = None) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, query or {})
    assert response.status_code == 200
    return len(captured), response


def test_list_page_queries_do_not_grow_with_rows_or_filters(monitor, django_assert_max_num_queries):
    client = client_for(monitor)
    url = reverse("incidents:list")
    _add_incidents(monitor, 5, 0)
    client.get(url)  # warm-up: session and caches
    counts = {}
    for query_name, query in (("none", {}), ("every filter", _every_filter())):
        counts[(5, query_name)], response = _count(client, url, query)
        assert len(response.context["rows"]) == 5
    _add_incidents(monitor, 35, 100)
    for query_name, query in (("none", {}), ("every filter", _every_filter())):
        with django_assert_max_num_queries(LIST_QUERY_BUDGET):
            counts[(40, query_name)], response = _count(client, url, query)
        assert len(response.context["rows"]) == 25
        assert response.context["total"] == 40
    # Never more with more rows (fewer is allowed: the plan probe is remembered between requests).
    assert counts[(40, "none")] <= counts[(5, "none")], counts
    assert counts[(40, "every filter")] <= counts[(5, "every filter")], counts


def test_second_page_costs_the_same_as_the_first(monitor):
    client = client_for(monitor)
    _add_incidents(monitor, 40, 0)
    url = reverse("incidents:list")
    client.get(url)
    first, _ = _count(client, url, _every_filter())
    second, response = _count(client, url, {**_every_filter(), "page": 2})
    assert len(response.context["rows"]) == 15
    assert second <= first


def _enrich(incident, user, violations: int) -> None:
    fama = Actor.objects.get(code="fama")
    for n in range(violations):
        violation = Violation.objects.create(
            incident=incident, type=term("violation_type", "integrity.torture")
        )
        violation.methods.set([t for t in violation.type.__class__.objects.of("method")[:2]])
        for k in range(3):
            person = Person.objects.create(
                given_name=f"Prénom{n}{k}",
                family_name="Nom",
                sex="female",
                organisation=user.organisation,
                created_by=user,
            )
            person.categories.set([term("victim_category", "child")])
            Victim.objects.create(
                violation=violation,
                person=person,
                age_at_time=12,
                status_after=term("victim_status", "injured"),
            )
        GroupVictims.objects.create(violation=violation, women=2, boys=1)
        Perpetrator.objects.create(violation=violation, actor=fama, category=fama.category, involvement=None)
        Source.objects.create(incident=incident, kind=term("source_kind", "witness"), description="Témoin.")


def test_detail_page_queries_do_not_grow_with_violations_and_victims(
    monitor, coordinator, django_assert_max_num_queries
):
    # Both records have every kind of part (a part kind absent altogether saves its prefetch query).
    small = make_incident(monitor)
    _enrich(small, monitor, violations=1)
    large = make_incident(monitor)
    _enrich(large, monitor, violations=5)
    for user in (monitor, coordinator):
        client = client_for(user)
        client.get(reverse("incidents:detail", args=[small.public_id]))
        small_count, _ = _count(client, reverse("incidents:detail", args=[small.public_id]))
        with django_assert_max_num_queries(DETAIL_QUERY_BUDGET):
            large_count, response = _count(client, reverse("incidents:detail", args=[large.public_id]))
        assert len(response.context["violations"]) == 6
        assert small_count == large_count, (user.role, small_count, large_count)


def test_edit_page_queries_do_not_grow_with_violations(monitor):
    from kurukan.incidents.models import IncidentStatus

    small = make_incident(monitor, status=IncidentStatus.DRAFT)
    _enrich(small, monitor, violations=1)
    large = make_incident(monitor, status=IncidentStatus.DRAFT)
    _enrich(large, monitor, violations=4)
    client = client_for(monitor)
    client.get(reverse("incidents:edit", args=[small.public_id]))
    small_count, _ = _count(client, reverse("incidents:edit", args=[small.public_id]))
    large_count, _ = _count(client, reverse("incidents:edit", args=[large.public_id]))
    assert small_count == large_count
