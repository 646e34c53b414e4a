"""Requests nobody should send still get a 4xx with a message: never a 500, never a stack trace."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client

from conftest import assert_no_stack_trace, client_for
from kurukan.api.urls import api


@pytest.fixture
def signed_in(monitor) -> Client:
    return client_for(monitor)


def detail(response) -> str:
    assert_no_stack_trace(response)
    return response.json()["detail"]


def test_a_multipart_body_without_boundary_is_a_400_with_a_message(monitor):
    """The CSRF check reads the form body first: Django's MultiPartParserError was a 500 there."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(monitor)
    token = _get_new_csrf_string()
    client.cookies[settings.CSRF_COOKIE_NAME] = token
    response = client.generic(
        "POST", "/api/incidents", b"--x\r\n", content_type="multipart/form-data", HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 400
    assert "multipart" in detail(response) and "application/json" in detail(response)


def test_a_multipart_body_with_a_broken_boundary_is_a_400(signed_in):
    response = signed_in.generic(
        "POST", "/api/incidents", b"garbage", content_type="multipart/form-data; boundary="
    )
    assert response.status_code == 400


def test_a_body_that_is_not_utf8_is_a_400(signed_in):
    response = signed_in.generic("POST", "/api/incidents", b"\xff\xfe{\x00", content_type="application/json")
    assert response.status_code == 400
    assert "JSON" in detail(response)


def test_a_body_in_another_content_type_is_a_4xx_with_a_message(signed_in):
    response = signed_in.generic("POST", "/api/incidents", b"title=x", content_type="text/plain")
    assert 400 <= response.status_code < 500
    assert detail(response)


def test_too_many_query_parameters_are_a_400(signed_in):
    query = "&".join(f"p{n}=1" for n in range(2000))
    response = signed_in.get(f"/api/incidents?{query}")
    assert response.status_code == 400
    assert "trop de champs" in detail(response)


def test_a_query_parameter_over_its_length_is_a_422_naming_it(signed_in):
    response = signed_in.get("/api/incidents", {"q": "x" * 5000})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "q"


def test_a_query_string_that_is_not_utf8_is_answered(signed_in):
    response = signed_in.get("/api/incidents?q=%ff%fe")
    assert response.status_code == 200


@pytest.mark.parametrize("value", ["0", "1700000000", "2023-1-5", "05/01/2023"])
def test_a_date_is_written_year_month_day(signed_in, value):
    response = signed_in.get("/api/incidents", {"date_to": value})
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == "date_to" and "AAAA-MM-JJ" in error["message"]


def test_a_body_date_given_as_a_number_is_refused(signed_in):
    response = signed_in.post(
        "/api/incidents", {"title": "Attaque", "start_date": 0}, content_type="application/json"
    )
    assert response.status_code == 422
    assert "start_date" in {error["field"] for error in response.json()["errors"]}


def test_the_schema_documents_the_400_and_asks_for_no_cookie_parameter():
    schema = api.get_openapi_schema()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert "400" in {str(code) for code in operation["responses"]}, (method, path)
            cookies = [p for p in operation.get("parameters", []) if p["in"] == "cookie"]
            assert cookies == [], (method, path)


def test_a_page_form_with_a_broken_multipart_body_shows_a_message(signed_in):
    response = signed_in.generic("POST", "/incidents/new/", b"--x\r\n", content_type="multipart/form-data")
    assert response.status_code == 400
    assert "Requête invalide" in response.content.decode()


def test_a_page_with_too_many_parameters_shows_a_message(signed_in):
    query = "&".join(f"p{n}=1" for n in range(2000))
    response = signed_in.get(f"/incidents/?{query}")
    assert response.status_code == 400
    assert "Requête invalide" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        {"q": "x" * 20_000},
        {"date_from": "99999-01-01"},
        {"date_to": "0"},
        {"region": "abc"},
        {"region": "99999999999999999999"},
        {"place": "unit:99999999999999999999"},
        {"place": "unit:-1"},
        {"page": "99999999999999999999"},
        {"violation_type": "\x00"},
        {"q": "\x00é\ud800".encode("utf-8", "surrogatepass").decode("latin-1")},
    ],
)
def test_the_list_page_answers_odd_parameters_without_a_server_error(signed_in, query):
    response = signed_in.get("/incidents/", query)
    assert response.status_code < 500
    assert_no_stack_trace(response)


@pytest.mark.parametrize(
    "query",
    [
        {"region": "99999999999999999999"},
        {"place": "unit:99999999999999999999"},
        {"offset": "99999999999999999999"},
        {"limit": "99999999999999999999"},
        {"q": "\x00"},
    ],
)
def test_the_api_list_answers_odd_parameters_without_a_server_error(signed_in, query):
    response = signed_in.get("/api/incidents", query)
    assert response.status_code < 500, response.content[:300]
