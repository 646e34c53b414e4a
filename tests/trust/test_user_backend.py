"""The signed-in user is read with their organisation; sessions from before the change stay signed in."""

from __future__ import annotations

from unittest import mock

from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth.hashers import check_password
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import PASSWORD
from kurukan.accounts.backends import EARLIER_BACKEND, UserBackend


def _page(client: Client) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("incidents:list"))
    assert response.status_code == 200
    return response.content.decode(), [q["sql"] for q in captured.captured_queries]


def test_signing_in_uses_the_backend_that_reads_the_organisation_with_the_user(monitor):
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": monitor.username, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session[BACKEND_SESSION_KEY] == "kurukan.accounts.backends.UserBackend"
    page, sql = _page(client)
    assert monitor.organisation.name in page  # the header names it
    assert not any('FROM "accounts_organisation"' in statement for statement in sql), sql


def test_a_session_signed_in_before_the_change_stays_signed_in(monitor):
    client = Client()
    client.force_login(monitor, backend=EARLIER_BACKEND)
    page, sql = _page(client)
    assert monitor.username in page
    assert any('FROM "accounts_organisation"' in statement for statement in sql)  # read apart, as before


def test_a_wrong_password_is_checked_once_and_still_counted_by_the_lockout(monitor):
    client = Client()
    with mock.patch("django.contrib.auth.base_user.check_password", wraps=check_password) as checked:
        response = client.post(reverse("accounts:login"), {"username": monitor.username, "password": "nope"})
    assert response.status_code == 200
    assert checked.call_count == 1  # not once more by the earlier backend listed after it
    assert "_auth_user_id" not in client.session
    from axes.models import AccessAttempt

    assert AccessAttempt.objects.get(username=monitor.username).failures_since_start == 1


def test_an_inactive_user_is_not_read_back(monitor):
    monitor.is_active = False
    monitor.save()
    assert UserBackend().get_user(monitor.pk) is None
