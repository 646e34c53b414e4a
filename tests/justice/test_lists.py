"""The case and intervention lists: their filters, and a number of queries that does not grow with rows."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from justice_builders import make_case, make_intervention, verified_violation

from conftest import client_for

D = dt.date


def _queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params or {}).status_code == 200
    return len(captured)


def test_the_case_list_filters_by_jurisdiction_stage_and_text(monitor):
    judged = make_case(
        monitor,
        [verified_violation(monitor)],
        ("complaint", D(2022, 4, 1)),
        ("judgment", D(2023, 1, 1), "acquittal"),
        title="Affaire de Sofara",
        jurisdiction="military",
    )
    pending = make_case(monitor, [verified_violation(monitor)], ("complaint", D(2022, 4, 1)))
    client = client_for(monitor)
    url = reverse("justice:case_list")

    def listed(**params) -> set[str]:
        page = client.get(url, params).content.decode()
        return {c.public_id for c in (judged, pending) if c.public_id in page}

    assert listed() == {judged.public_id, pending.public_id}
    assert listed(jurisdiction="military") == {judged.public_id}
    assert listed(stage="complaint") == {pending.public_id}
    assert listed(q="sofara") == {judged.public_id}
    partial = client.get(url, {"stage": "judgment"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results")
    assert "<html" not in partial.content.decode() and judged.public_id in partial.content.decode()


def test_list_pages_queries_do_not_grow_with_rows(monitor):
    client = client_for(monitor)
    make_case(monitor, [verified_violation(monitor)], ("complaint", D(2022, 4, 1)))
    make_intervention(monitor, [verified_violation(monitor)], deadline=D(2024, 3, 1))
    cases_one = _queries(client, reverse("justice:case_list"))
    interventions_one = _queries(client, reverse("justice:intervention_list"))
    for _ in range(4):
        make_case(
            monitor, [verified_violation(monitor)], ("complaint", D(2022, 4, 1)), ("trial", D(2023, 1, 1))
        )
        make_intervention(monitor, [verified_violation(monitor)], deadline=D(2024, 3, 1))
    assert _queries(client, reverse("justice:case_list")) == cases_one
    assert _queries(client, reverse("justice:intervention_list")) == interventions_one
