"""Bad input gets a clear message on the right field, in the page's language, and never a stack trace.

Each case runs in French (the default) and in English (the `django_language` cookie the language switch sets;
the browser's Accept-Language is deliberately ignored, see kurukan.middleware). English messages await the
translation catalogue: until src/kurukan/locale/en/LC_MESSAGES/django.mo exists, the English runs check that
the page is served in English with the error on the right field; once it exists they also check that the
French text is gone (see `_assert_message`, marked AWAITS TRANSLATIONS).
"""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from conftest import (
    ENGLISH_CATALOGUE,
    assert_no_stack_trace,
    client_for,
    english_client_for,
    field_errors,
    incident_form_data,
    make_incident,
    page_errors,
    term,
    unit,
)
from kurukan.incidents.models import Incident, IncidentStatus, VerificationStatus

HTMX = {"HTTP_HX_REQUEST": "true"}
LANGUAGES = ["fr", "en"]


def _client(user, language: str):
    return client_for(user) if language == "fr" else english_client_for(user)


def _assert_message(messages: list[str], french: str, language: str) -> None:
    assert messages, "no error message where one was expected"
    if language == "fr":
        assert any(french in m for m in messages), f"{french!r} not in {messages}"
    elif ENGLISH_CATALOGUE.exists():
        # AWAITS TRANSLATIONS: active as soon as the English catalogue is compiled.
        assert not any(french in m for m in messages), (
            f"untranslated French message on an English page: {messages}"
        )


def _assert_field_error(response, field: str, french: str, language: str) -> None:
    assert response.status_code in {200, 422}
    assert_no_stack_trace(response)
    _assert_message(field_errors(response.content, field), french, language)


def _assert_full_page_language(response, language: str) -> None:
    assert f'<html lang="{language}">' in response.content.decode()


def _future() -> str:
    return (timezone.localdate() + dt.timedelta(days=3)).isoformat()


def test_the_site_runs_with_debug_off():
    assert settings.DEBUG is False


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    ("overrides", "field", "french"),
    [
        (
            {"start_date": "2022-03-14", "end_date": "2022-03-01"},
            "end_date",
            "La date de fin précède la date de début",
        ),
        ({"start_date": "__future__"}, "start_date", "La date de début est dans le futur"),
        ({"end_date": "__future__"}, "end_date", "La date de fin est dans le futur"),
        ({"start_date": "2022-13-45"}, "start_date", "Saisissez une date valide"),
        ({"start_date": ""}, "start_date", "Ce champ est obligatoire"),
        ({"latitude": "95"}, "latitude", "La latitude doit être comprise entre -90 et 90"),
        ({"region_choice": "", "place": ""}, "place_q", "Choisissez au moins la région"),
    ],
    ids=[
        "end-before-start",
        "start-in-future",
        "end-in-future",
        "impossible-date",
        "no-date",
        "latitude",
        "no-place",
    ],
)
def test_incident_form_rejects_bad_dates_and_places(monitor, language, overrides, field, french):
    data = incident_form_data(**{k: (_future() if v == "__future__" else v) for k, v in overrides.items()})
    response = _client(monitor, language).post(reverse("incidents:create"), data)
    _assert_field_error(response, field, french, language)
    _assert_full_page_language(response, language)
    assert not Incident.objects.exists()


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_commune_outside_the_chosen_region_is_refused_on_the_place_field(monitor, language):
    segou = unit("ML04")
    data = incident_form_data(region_choice=str(segou.pk), place=f"unit:{unit('ML050301').pk}")
    response = _client(monitor, language).post(reverse("incidents:create"), data)
    _assert_field_error(response, "place_q", "Bankass n'est pas dans la région Ségou", language)
    assert not Incident.objects.exists()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_header_form_with_htmx_answers_422_with_the_error_on_the_field(monitor, draft, language):
    data = incident_form_data(start_date="2022-03-14", end_date="2021-01-01")
    response = _client(monitor, language).post(
        reverse("incidents:edit", args=[draft.public_id]), data, **HTMX
    )
    assert response.status_code == 422
    _assert_field_error(response, "end_date", "La date de fin précède la date de début", language)
    draft.refresh_from_db()
    assert draft.end_date is None


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    ("victim", "field", "french"),
    [
        ({"age_at_time": "130"}, "age_at_time", "L'âge doit être compris entre 0 et 120 ans"),
        ({"age_at_time": "-1"}, "age_at_time", "L'âge doit être compris entre 0 et 120 ans"),
        ({"age_at_time": "vingt"}, "age_at_time", "Saisissez un nombre entier"),
        ({"birth_year": "1850"}, "birth_year", "L'année de naissance doit être entre"),
        (
            {"age_at_time": "30", "birth_year": "1970"},
            "birth_year",
            "Né en 1970, la victime aurait eu 52 ans en 2022",
        ),
        ({"birth_year": "2023"}, "birth_year", "L'année de naissance est postérieure aux faits"),
    ],
    ids=[
        "age-too-high",
        "age-negative",
        "age-not-a-number",
        "birth-year-too-old",
        "age-vs-year",
        "born-after",
    ],
)
def test_victim_form_rejects_ages_out_of_range_and_inconsistent_birth_years(
    monitor, draft, language, victim, field, french
):
    violation = draft.violations.get()
    data = {"given_name": "Aïssata", "family_name": "Cissé", "sex": "female", **victim}
    response = _client(monitor, language).post(
        reverse("incidents:victim_add", args=[draft.public_id, violation.pk]), data, **HTMX
    )
    assert response.status_code == 422
    _assert_field_error(response, field, french, language)
    assert not violation.victims.exists()


def test_a_victim_error_shows_on_the_violation_it_belongs_to_only(monitor, draft):
    """With two violations, the message sits in the form of the violation the monitor was filling in."""
    client = client_for(monitor)
    client.post(
        reverse("incidents:violation_add", args=[draft.public_id]),
        {"type": term("violation_type", "integrity.torture").pk},
    )
    first, second = draft.violations.order_by("id")
    response = client.post(
        reverse("incidents:victim_add", args=[draft.public_id, second.pk]),
        {"sex": "male", "age_at_time": "130"},
        **HTMX,
    )
    assert response.status_code == 422
    body = response.content.decode()
    first_article = body.split(f'id="violation-{first.pk}"')[1].split(f'id="violation-{second.pk}"')[0]
    second_article = body.split(f'id="violation-{second.pk}"')[1]
    assert field_errors(second_article, "age_at_time")
    assert not field_errors(first_article, "age_at_time")


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_group_with_no_one_in_it_is_refused(monitor, draft, language):
    violation = draft.violations.get()
    zeros = {"description": "villageois", "women": "0", "men": "0", "girls": "0", "boys": "0", "unknown": "0"}
    response = _client(monitor, language).post(
        reverse("incidents:group_add", args=[draft.public_id, violation.pk]), zeros, **HTMX
    )
    assert response.status_code == 422
    assert_no_stack_trace(response)
    assert response.context["group_form"].non_field_errors()
    _assert_message(
        [html.unescape(e) for e in page_errors(response.content)],
        "Le groupe ne compte aucune victime",
        language,
    )
    assert not violation.groups.exists()


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_negative_group_count_is_refused_on_its_field(monitor, draft, language):
    violation = draft.violations.get()
    data = {"women": "-2", "men": "1", "girls": "0", "boys": "0", "unknown": "0"}
    response = _client(monitor, language).post(
        reverse("incidents:group_add", args=[draft.public_id, violation.pk]), data, **HTMX
    )
    assert response.status_code == 422
    _assert_field_error(response, "women", "supérieure ou égale à 0", language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_perpetrator_needs_an_actor_or_a_category(monitor, draft, language):
    violation = draft.violations.get()
    assert violation.perpetrators.count() == 1
    response = _client(monitor, language).post(
        reverse("incidents:perpetrator_add", args=[draft.public_id, violation.pk]),
        {"actor": "", "category": "", "involvement": ""},
        **HTMX,
    )
    assert response.status_code == 422
    assert_no_stack_trace(response)
    assert response.context["perpetrator_form"].non_field_errors()
    _assert_message(
        [html.unescape(e) for e in page_errors(response.content)],
        "Choisissez l'acteur, ou au moins la catégorie",
        language,
    )
    assert violation.perpetrators.count() == 1  # the one the draft had


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_source_dated_in_the_future_is_refused(monitor, draft, language):
    response = _client(monitor, language).post(
        reverse("incidents:source_add", args=[draft.public_id]), {"reported_on": _future()}, **HTMX
    )
    assert response.status_code == 422
    _assert_field_error(response, "reported_on", "La date de l'information est dans le futur", language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_incident_without_violation_cannot_be_submitted(monitor, language):
    incident = make_incident(monitor, status=IncidentStatus.DRAFT, victim_name=None)
    incident.violations.all().delete()
    client = _client(monitor, language)
    response = client.post(reverse("incidents:submit", args=[incident.public_id]), follow=True)
    assert response.status_code == 200
    assert_no_stack_trace(response)
    _assert_full_page_language(response, language)
    messages = [str(m) for m in response.context["messages"]]
    _assert_message(messages, "L'incident n'a aucune violation", language)
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.DRAFT


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_violation_with_neither_victim_nor_count_cannot_be_submitted(monitor, draft, language):
    client = _client(monitor, language)
    response = client.post(reverse("incidents:submit", args=[draft.public_id]), follow=True)
    assert response.status_code == 200
    assert_no_stack_trace(response)
    messages = [str(m) for m in response.context["messages"]]
    _assert_message(messages, "n'a ni victime ni nombre de victimes", language)
    assert "victime" in response.content.decode() or language == "en"
    draft.refresh_from_db()
    assert draft.status == IncidentStatus.DRAFT


def test_an_incident_counted_by_incident_needs_no_victim_to_be_submitted(monitor):
    incident = make_incident(
        monitor, status=IncidentStatus.DRAFT, victim_name=None, violation_type="protected.attack_school"
    )
    url = reverse("incidents:submit", args=[incident.public_id])
    response = client_for(monitor).post(url, {"confirm": "1"})  # it has no source: confirmed knowingly
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.SUBMITTED


@pytest.mark.parametrize("language", LANGUAGES)
def test_verified_without_standard_of_proof_is_refused_with_htmx(coordinator, monitor, language):
    incident = make_incident(monitor)
    violation = incident.violations.get()
    response = _client(coordinator, language).post(
        reverse("incidents:verify", args=[incident.public_id, violation.pk]),
        {"verification_status": VerificationStatus.VERIFIED, "standard_of_proof": ""},
        **HTMX,
    )
    assert response.status_code == 422
    _assert_field_error(
        response, "standard_of_proof", "Une violation vérifiée doit indiquer le critère de preuve", language
    )
    violation.refresh_from_db()
    assert violation.verification_status == VerificationStatus.REPORTED


@pytest.mark.parametrize("language", LANGUAGES)
def test_verified_without_standard_of_proof_is_refused_without_javascript(coordinator, monitor, language):
    incident = make_incident(monitor)
    violation = incident.violations.get()
    response = _client(coordinator, language).post(
        reverse("incidents:verify", args=[incident.public_id, violation.pk]),
        {"verification_status": VerificationStatus.VERIFIED, "standard_of_proof": ""},
        follow=True,
    )
    _assert_field_error(
        response, "standard_of_proof", "Une violation vérifiée doit indiquer le critère de preuve", language
    )
    _assert_full_page_language(response, language)
    violation.refresh_from_db()
    assert violation.verification_status == VerificationStatus.REPORTED


@pytest.mark.parametrize(
    "query",
    [
        {"page": "abc"},
        {"page": "-3"},
        {"date_from": "2022-99-99"},
        {"place": "unit:abc"},
        {"place": "unit:999999999"},
        {"violation_type": "999999"},
        {"date_from": "2023-01-01", "date_to": "2022-01-01"},
    ],
)
def test_bad_list_filters_never_crash(monitor, query):
    make_incident(monitor)
    response = client_for(monitor).get(reverse("incidents:list"), query)
    assert response.status_code == 200
    assert_no_stack_trace(response)


def test_a_bad_place_filter_says_so_on_the_place_field(monitor):
    response = client_for(monitor).get(reverse("incidents:list"), {"place": "unit:999999999"})
    assert "Ce lieu est inconnu" in response.content.decode()


def test_a_reversed_period_says_so_on_the_end_field(monitor):
    response = client_for(monitor).get(
        reverse("incidents:list"), {"date_from": "2023-01-01", "date_to": "2022-01-01"}
    )
    assert any(
        "La fin de la période précède son début" in e for e in field_errors(response.content, "date_to")
    )


@pytest.mark.parametrize(
    "path",
    [
        "/incidents/ML-NOPE/",
        "/incidents/ML-NOPE/edit/",
        "/incidents/does/not/exist/",
        "/places/search/?q=%00",
    ],
)
def test_unknown_pages_answer_404_without_a_stack_trace(monitor, path):
    response = client_for(monitor).get(path)
    assert response.status_code in {200, 404}
    assert_no_stack_trace(response)


def test_an_unknown_part_kind_is_refused_without_a_stack_trace(monitor, draft):
    response = client_for(monitor).post(f"/incidents/{draft.public_id}/weapon/1/remove/", **HTMX)
    assert response.status_code in {403, 404}
    assert_no_stack_trace(response)


def test_a_refused_verification_keeps_the_other_violations_verifiable(coordinator, monitor):
    incident = make_incident(monitor)
    from kurukan.incidents.models import Violation

    second = Violation.objects.create(incident=incident, type=term("violation_type", "integrity.torture"))
    first = incident.violations.exclude(pk=second.pk).get()
    response = client_for(coordinator).post(
        reverse("incidents:verify", args=[incident.public_id, second.pk]),
        {"verification_status": VerificationStatus.VERIFIED},
        **HTMX,
    )
    assert response.status_code == 422
    body = response.content.decode()
    first_article = body.split(f'id="violation-{first.pk}"')[1].split(f'id="violation-{second.pk}"')[0]
    second_article = body.split(f'id="violation-{second.pk}"')[1]
    assert 'name="verification_status"' in first_article
    assert not field_errors(first_article, "standard_of_proof")
    assert field_errors(second_article, "standard_of_proof")
