"""Estimates reach the public page only when an analyst or a coordinator publishes them, without identifiers."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from babel.numbers import format_decimal
from django.test import Client
from estimate_builders import IMMEDIATE, PATTERNS, Lists, form_data, share_with

from conftest import client_for
from kurukan.audit.models import AuditEvent
from kurukan.estimates.models import EstimateRun
from kurukan.incidents.models import Incident
from kurukan.people.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def lists(analyst, monitor) -> Lists:
    built = Lists(monitor)
    built.populate(PATTERNS)
    return built


def _estimate(settings, analyst, **overrides) -> EstimateRun:
    settings.TASKS = IMMEDIATE
    for code in ("amdh", "cndh"):
        share_with(code, analyst.organisation, analyst)
    client_for(analyst).post("/estimates/", form_data(**overrides))
    return EstimateRun.objects.latest("pk")


def _fr(value: float) -> str:
    return format_decimal(round(value), locale="fr")


def test_the_public_page_shows_nothing_until_an_analyst_publishes(settings, lists, analyst):
    run = _estimate(settings, analyst)
    estimate = _fr(run.result["total"]["estimate"])

    before = Client().get("/estimates/public/").content.decode()
    assert "Aucune estimation n&#x27;est publiée" in before or "Aucune estimation n'est publiée" in before
    # Look in the visible text only: a bare number like "70" can occur inside a random CSRF token.
    assert estimate not in re.sub(r"<[^>]*>", " ", before)

    response = client_for(analyst).post(f"/estimates/{run.pk}/publish/")

    assert response.status_code == 302
    run.refresh_from_db()
    assert run.published and run.published_by == analyst and run.published_at is not None
    after = Client().get("/estimates/public/")
    assert after.status_code == 200
    body = after.content.decode()
    interval = f"({_fr(run.result['total']['ci_low'])}–{_fr(run.result['total']['ci_high'])})"
    assert f"{estimate} {interval}" in body
    assert "Ce n&#x27;est pas un décompte vérifié." in body or "Ce n'est pas un décompte vérifié." in body


def test_the_public_page_names_no_record(settings, lists, analyst):
    run = _estimate(settings, analyst)
    client_for(analyst).post(f"/estimates/{run.pk}/publish/")

    body = Client().get("/estimates/public/").content.decode()

    for public_id in Incident.objects.values_list("public_id", flat=True):
        assert public_id not in body
    for public_id in Person.objects.values_list("public_id", flat=True):
        assert public_id not in body
    assert "Moussa" not in body and "Traoré" not in body
    assert "/incidents/" not in body and f"/estimates/{run.pk}/" not in body
    assert analyst.username not in body


def test_small_strata_are_hidden_as_the_public_figures_are(settings, lists, analyst):
    lists.populate({frozenset({"amdh", "cndh"}): 3, frozenset({"ohchr"}): 2}, commune="ML070101")
    lists.populate({frozenset({"amdh", "ohchr"}): 8, frozenset({"cndh"}): 6}, commune="ML010101")
    run = _estimate(settings, analyst, strata="region")
    client_for(analyst).post(f"/estimates/{run.pk}/publish/")

    body = Client().get("/estimates/public/").content.decode()

    observed = {s["region_name"]: s["observed"] for s in run.result["strata"]}
    assert observed == {"Gao": 5, "Kayes": 14, "Mopti": 45}
    # Gao (5, under 10) is hidden, and Kayes too, so that Gao cannot be read off the total.
    assert body.count('<td class="num">•</td>') == 2
    assert ">14<" not in body
    assert f">{_fr(45)}<" in body


def test_publishing_and_withdrawing_are_audited_without_names(settings, lists, analyst, coordinator):
    run = _estimate(settings, analyst)

    client_for(coordinator).post(f"/estimates/{run.pk}/publish/")
    client_for(analyst).post(f"/estimates/{run.pk}/withdraw/")

    events = list(AuditEvent.objects.filter(object_type="estimates.estimaterun").order_by("sequence"))
    assert [e.details.get("event") for e in events] == [
        "estimate_requested",
        "estimate_published",
        "estimate_withdrawn",
    ]
    assert [e.username for e in events] == [analyst.username, coordinator.username, analyst.username]
    details = json.dumps([e.details for e in events], ensure_ascii=False)
    assert "Moussa" not in details and "Traoré" not in details
    run.refresh_from_db()
    assert not run.published
    assert "Aucune estimation" in Client().get("/estimates/public/").content.decode()


def test_monitors_and_administrators_cannot_publish(settings, lists, analyst, monitor, administrator):
    run = _estimate(settings, analyst)

    assert client_for(monitor).post(f"/estimates/{run.pk}/publish/").status_code == 403
    assert client_for(administrator).post(f"/estimates/{run.pk}/publish/").status_code == 403
    run.refresh_from_db()
    assert not run.published


def test_an_estimate_without_a_total_cannot_be_published(settings, lists, analyst):
    run = _estimate(settings, analyst, date_from="2024-01-01", date_to="2024-12-31")  # no victim then
    assert run.result["total"]["estimate"] is None

    response = client_for(analyst).post(f"/estimates/{run.pk}/publish/", follow=True)

    run.refresh_from_db()
    assert not run.published
    assert "Seule une estimation terminée" in response.content.decode()


def test_only_done_published_runs_are_listed(settings, lists, analyst):
    run = _estimate(settings, analyst)
    EstimateRun.objects.filter(pk=run.pk).update(
        published=True, published_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    )
    EstimateRun.objects.create(
        parameters=run.parameters, status="failed", published=True, requested_by=analyst
    )

    body = Client().get("/estimates/public/").content.decode()

    assert body.count('class="card public-estimate"') == 1
