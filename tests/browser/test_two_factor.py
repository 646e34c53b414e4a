"""Two-factor enrolment and login in a real browser, with the TOTP code computed as a phone app would."""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct
import time

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def totp(secret_b32: str, at: float | None = None) -> str:
    """RFC 6238 with the defaults every authenticator app uses (SHA-1, 30 s, 6 digits)."""
    key = base64.b32decode(secret_b32 + "=" * (-len(secret_b32) % 8))
    counter = int((at or time.time()) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{code % 1_000_000:06d}"


def sign_in(page, server: str, username: str) -> None:
    page.goto(f"{server}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "kurukan-demo-2026")
    page.click("button.primary")


def test_enrol_then_log_in_with_a_code_and_with_a_recovery_code(secure_server, page):
    sign_in(page, secure_server, "verificateur")
    page.wait_for_url("**/accounts/2fa/setup/**")
    expect(page.locator(".qr img")).to_be_visible()
    secret = page.locator("#totp-secret").inner_text().strip()
    page.fill("#id_token", "000000" if totp(secret) != "000000" else "111111")
    page.click("button.primary")
    expect(page.locator(".error")).to_be_visible()
    time.sleep(1.1)  # django-otp throttles: after a wrong code the next try waits 2^(failures-1) seconds
    page.fill("#id_token", totp(secret))
    page.click("button.primary")
    expect(page.locator("#recovery-codes code")).to_have_count(10)
    codes = page.locator("#recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    page.click("text=J'ai noté mes codes")
    page.wait_for_url("**/incidents/**")

    # A new session: password, then the code of the moment.
    page.context.clear_cookies()
    sign_in(page, secure_server, "verificateur")
    page.wait_for_url("**/accounts/2fa/verify/**")
    page.goto(f"{secure_server}/incidents/")
    page.wait_for_url("**/accounts/2fa/verify/**")  # nothing is reachable before the second factor
    page.fill("#id_token", totp(secret, time.time() + 30))  # the next code: the previous one is spent
    page.click("button.primary")
    page.wait_for_url("**/incidents/**")

    # Another session with a recovery code; the same code does not work twice.
    page.context.clear_cookies()
    sign_in(page, secure_server, "verificateur")
    page.fill("#id_token", codes[0])
    page.click("button.primary")
    page.wait_for_url("**/incidents/**")
    page.context.clear_cookies()
    sign_in(page, secure_server, "verificateur")
    page.fill("#id_token", codes[0])
    page.click("button.primary")
    expect(page.locator(".error")).to_be_visible()
    assert page.console_errors == []
