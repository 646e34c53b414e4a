"""Schemathesis against the OpenAPI schema: every operation, anonymous and signed in, no 500, no schema lie.

Bounded (a few dozen examples per operation, derandomised) so the suite stays within minutes; the examples
include invalid input (negative testing), which must be refused with a documented 4xx. Requests go to the
WSGI application in-process, inside each test's database transaction.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from kurukan.api.urls import api

APP = WSGIHandler()
EXAMPLES = hypothesis_settings(
    max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True
)
SIGNED_IN: dict[str, str] = {}  # the current test's session and CSRF token, read by the auth provider

anonymous = schemathesis.openapi.from_dict(api.get_openapi_schema())
anonymous.app = APP
signed_in = schemathesis.openapi.from_dict(api.get_openapi_schema())
signed_in.app = APP


@signed_in.auth(refresh_interval=None)
class MonitorSession:
    """The session cookie of a signed-in monitor and, for writes, the CSRF token in cookie and header."""

    def get(self, case, ctx):
        return dict(SIGNED_IN)

    def set(self, case, data, ctx):
        if not data:  # schemathesis looks the provider over at collection, before any test signs in
            return
        case.cookies = {**(case.cookies or {}), **data}
        case.headers = {**(case.headers or {}), "X-CSRFToken": data[settings.CSRF_COOKIE_NAME]}


@pytest.fixture(autouse=True)
def keep_the_test_transaction():
    """Django closes old connections at each request's start and end; inside a test that would close the
    connection holding the test's transaction (PostgreSQL). Django's test client does the same as this."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def monitor_session(monitor):
    client = Client()
    client.force_login(monitor)
    SIGNED_IN.clear()
    SIGNED_IN[settings.SESSION_COOKIE_NAME] = client.cookies[settings.SESSION_COOKIE_NAME].value
    SIGNED_IN[settings.CSRF_COOKIE_NAME] = _get_new_csrf_string()
    yield
    SIGNED_IN.clear()


@pytest.mark.slow
@anonymous.parametrize()
@EXAMPLES
def test_every_operation_answers_anonymous_callers_as_documented(case, db):
    case.call_and_validate()


@pytest.mark.slow
@signed_in.parametrize()
@EXAMPLES
def test_every_operation_answers_a_signed_in_monitor_as_documented(case, monitor_session):
    case.call_and_validate()
