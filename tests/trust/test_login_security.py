"""Login hardening: account lockout, two-factor enforcement, security headers, deployment checks."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD, client_for
from kurukan.audit.models import Action, AuditEvent


def _login(client: Client, username: str, password: str):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_ten_failed_logins_lock_the_account_even_with_the_right_password(monitor):
    client = Client()
    for _ in range(10):
        response = _login(client, monitor.username, "wrong-password")
    assert response.status_code in {200, 429}
    response = _login(client, monitor.username, PASSWORD)
    assert response.status_code == 429
    assert "bloqué" in response.content.decode()
    assert "_auth_user_id" not in client.session
    failures = AuditEvent.objects.filter(action=Action.LOGIN_FAILED).count()
    assert failures >= 10
    assert not AuditEvent.objects.filter(details__icontains="wrong-password").exists()


def test_nine_failures_then_the_right_password_still_logs_in(monitor):
    client = Client()
    for _ in range(9):
        _login(client, monitor.username, "wrong-password")
    response = _login(client, monitor.username, PASSWORD)
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action=Action.LOGIN, user=monitor).exists()


@pytest.mark.parametrize("role_fixture", ["monitor", "coordinator", "administrator"])
def test_roles_that_see_identities_must_enrol_a_second_factor(request, settings, role_fixture):
    settings.REQUIRE_2FA = True
    user = request.getfixturevalue(role_fixture)
    client = client_for(user)
    response = client.get(reverse("incidents:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:2fa_setup"))


def test_a_user_with_a_device_is_asked_for_the_code_not_for_enrolment(settings, coordinator):
    settings.REQUIRE_2FA = True
    TOTPDevice.objects.create(user=coordinator, name="phone", confirmed=True)
    response = client_for(coordinator).get(reverse("incidents:list"))
    assert response["Location"].startswith(reverse("accounts:2fa_verify"))


def test_analysts_work_without_a_second_factor(settings, analyst):
    settings.REQUIRE_2FA = True
    assert client_for(analyst).get(reverse("incidents:list")).status_code == 200


def test_enrolment_through_the_pages(settings, coordinator):
    settings.REQUIRE_2FA = True
    client = client_for(coordinator)
    page = client.get(reverse("accounts:2fa_setup"))
    assert page.status_code == 200 and b"data:image/svg+xml;base64," in page.content
    device = TOTPDevice.objects.get(user=coordinator, confirmed=False)
    from django_otp.oath import totp

    code = f"{totp(device.bin_key):06d}"
    page = client.post(reverse("accounts:2fa_setup"), {"token": code})
    assert page.status_code == 200
    assert page.content.decode().count("<li><code>") == 10
    assert client.get(reverse("incidents:list")).status_code == 200


def test_every_page_sends_strict_security_headers(monitor):
    response = client_for(monitor).get(reverse("incidents:list"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "object-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert "'unsafe-inline'" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_the_session_cookie_is_http_only_and_expires(monitor, settings):
    client = Client()
    _login(client, monitor.username, PASSWORD)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"]
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE and settings.SESSION_COOKIE_AGE <= 8 * 3600


def test_production_settings_pass_the_deployment_check(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("KURUKAN_", "DJANGO_"))},
        "DJANGO_SETTINGS_MODULE": "kurukan.settings",
        "KURUKAN_DATA_DIR": str(tmp_path / "data"),
        # Kept apart from the data directory, owner-only: kurukan.E004 and E005 refuse anything else.
        "KURUKAN_ENCRYPTION_KEY_FILE": str(tmp_path / "secrets" / "kurukan-keys.json"),
        "KURUKAN_HTTPS": "1",
        "KURUKAN_SECRET_KEY": "x" * 20 + "a-long-random-production-secret-key-0123456789",
        "KURUKAN_ALLOWED_HOSTS": "kurukan.example.org",
        # Alerts and reminders go by email: production sends them through SMTP, not to the console.
        "KURUKAN_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    }
    result = subprocess.run(
        [sys.executable, "-m", "kurukan", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
