"""The analyst's pages: who may use them, what the form refuses and how, the chart, the page language."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils.html import escape
from django.utils.translation import gettext, override
from estimate_builders import IMMEDIATE, PATTERNS, Lists, form_data, share_with

from conftest import (
    assert_no_stack_trace,
    client_for,
    english_client_for,
    field_errors,
    make_user,
)
from kurukan.accounts.models import Role
from kurukan.estimates.models import EstimateRun

pytestmark = pytest.mark.django_db


@pytest.fixture
def lists(analyst, monitor) -> Lists:
    built = Lists(monitor)
    built.populate(PATTERNS)
    for code in ("amdh", "cndh"):
        share_with(code, analyst.organisation, analyst)
    return built


@pytest.fixture
def finished(settings, lists, analyst) -> EstimateRun:
    settings.TASKS = IMMEDIATE
    client_for(analyst).post("/estimates/", form_data())
    return EstimateRun.objects.get()


@pytest.mark.parametrize("role", [Role.ANALYST, Role.COORDINATOR, Role.ADMINISTRATOR])
def test_analysts_coordinators_and_administrators_open_the_estimate_page(role, ohchr):
    user = make_user(f"user-{role}", role, ohchr)

    response = client_for(user).get("/estimates/")

    assert response.status_code == 200
    assert (
        "Lancer l&#x27;estimation" in response.content.decode()
        or "Lancer l'estimation" in response.content.decode()
    )


@pytest.mark.parametrize("role", [Role.MONITOR, Role.FOCAL_POINT, Role.VIEWER])
def test_other_roles_get_403(role, ohchr, finished):
    user = make_user(f"user-{role}", role, ohchr)
    client = client_for(user)

    assert client.get("/estimates/").status_code == 403
    assert client.post("/estimates/", form_data()).status_code == 403
    assert client.get(f"/estimates/{finished.pk}/").status_code == 403


def test_anonymous_visitors_are_sent_to_the_login_page():
    response = Client().get("/estimates/")

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_analyst_of_another_organisation_does_not_find_the_estimate(finished, cndh):
    outsider = make_user("awa.analyst.cndh", Role.ANALYST, cndh)

    assert client_for(outsider).get(f"/estimates/{finished.pk}/").status_code == 404


def test_a_coordinator_of_the_same_organisation_reads_the_analysts_estimate(finished, coordinator):
    assert client_for(coordinator).get(f"/estimates/{finished.pk}/").status_code == 200


def test_fewer_than_three_lists_is_refused_in_french(lists, analyst):
    data = form_data()
    data["organisations"] = data["organisations"][:2]

    response = client_for(analyst).post("/estimates/", data)

    assert response.status_code == 422
    assert_no_stack_trace(response)
    errors = field_errors(response.content, "organisations")
    assert errors and errors[0].startswith("Choisissez au moins trois listes")
    assert not EstimateRun.objects.exists()


def test_other_mistakes_are_named_on_their_fields(lists, analyst):
    response = client_for(analyst).post(
        "/estimates/",
        form_data(
            date_from="2023-01-01", date_to="2022-01-01", matching="pairs", min_probability="", seed="-1"
        ),
    )

    assert response.status_code == 422
    assert field_errors(response.content, "date_to") == ["La fin de la période précède son début."]
    assert field_errors(response.content, "min_probability") == [
        "Indiquez la probabilité minimale des paires à retenir."
    ]
    assert any("recherche de doublons" in e for e in field_errors(response.content, "matching"))
    assert field_errors(response.content, "seed")


def test_the_form_offers_only_organisations_whose_records_the_analyst_sees(lists, analyst):
    lists.victim("press")

    body = client_for(analyst).get("/estimates/").content.decode()

    assert "AMDH" in body and "CNDH" in body
    assert "PRESS" not in body


def test_the_result_has_a_table_and_an_inline_svg_chart(finished, analyst):
    body = client_for(analyst).get(f"/estimates/{finished.pk}/").content.decode()

    assert '<table class="incidents estimates">' in body
    assert "<svg" in body and 'role="img"' in body
    assert "<circle" in body and "<rect" in body  # the estimate's point and the documented bar
    assert "<script" not in body.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert "Ce n&#x27;est pas un décompte vérifié." in body or "Ce n'est pas un décompte vérifié." in body
    assert "Manrique-Vallier" in body and "Chan, L., Silverman" in body


def test_the_english_page_explains_in_english_once_translated(finished, analyst):
    """Without an English catalogue the source (French) text is shown: the test then checks that fallback."""
    source = "Ce n'est pas un décompte vérifié."
    with override("en"):
        expected = gettext(source)

    response = english_client_for(analyst).get(f"/estimates/{finished.pk}/")

    body = response.content.decode()
    assert '<html lang="en">' in body
    assert expected in body or escape(expected) in body
