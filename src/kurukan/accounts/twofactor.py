"""Two-factor login (TOTP, RFC 6238) for every role that can see identifying data, with recovery codes.

Enrolment shows a QR code (rendered here as SVG: no image request leaves the server), confirms it with a
first code, then shows ten single-use recovery codes once. Until a user who needs it has passed the
second factor in this session, every page but these sends them here.
"""

from __future__ import annotations

import base64
from collections.abc import Callable

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from kurukan.audit import log as audit
from kurukan.audit.models import Action

from .models import Role, User

ROLES_NEEDING_2FA = {Role.ADMINISTRATOR, Role.COORDINATOR, Role.MONITOR, Role.PROTECTION_SPECIALIST}
RECOVERY_CODES = 10
OPEN_PATHS = ("/accounts/", "/i18n/", "/static/", "/favicon.ico")


def needs_two_factor(user) -> bool:
    return (
        bool(getattr(settings, "REQUIRE_2FA", True))
        and user.is_authenticated
        and (user.role in ROLES_NEEDING_2FA or user.is_superuser)
    )


def is_verified(user: User | AnonymousUser) -> bool:
    """Whether this session passed the second factor. OTPMiddleware adds `is_verified()` to request.user."""
    return user.is_verified()  # type: ignore[union-attr]  # added at runtime; django-otp ships no type stubs


class RequireTwoFactorMiddleware:
    """After login, users who need a second factor go to enrolment or verification before anything else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if needs_two_factor(user) and not is_verified(user) and not request.path.startswith(OPEN_PATHS):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": _("Validez d'abord la double authentification dans l'application.")},
                    status=401,
                )
            target = "accounts:2fa_verify" if user_has_device(user, confirmed=True) else "accounts:2fa_setup"
            return redirect(f"{reverse(target)}?next={request.get_full_path()}")
        return self.get_response(request)


class TokenForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Code à 6 chiffres, ou code de secours"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("incidents:list")


def _qr_data_uri(url: str) -> str:
    svg = segno.make(url, error="m").svg_inline(scale=5, dark="#1d2430")
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def setup(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user_has_device(user, confirmed=True) and not is_verified(user):
        return redirect("accounts:2fa_verify")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first() or TOTPDevice.objects.create(
        user=user, name="Kurukan", confirmed=False
    )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"].strip()):
            device.confirmed = True
            device.save()
            otp_login(request, device)
            codes = _new_recovery_codes(user)
            audit.record(
                Action.CHANGE,
                user=user,
                object_type="accounts.user",
                object_id=str(user.pk),
                two_factor="enrolled",
            )
            return render(request, "accounts/2fa_codes.html", {"codes": codes, "next": _next_url(request)})
        form.add_error(
            "token",
            _("Ce code n'est pas valable : vérifiez l'heure du téléphone et saisissez le code affiché."),
        )
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render(
        request,
        "accounts/2fa_setup.html",
        {"form": form, "qr": _qr_data_uri(device.config_url), "secret": secret, "next": _next_url(request)},
    )


def _new_recovery_codes(user) -> list[str]:
    device, _ = StaticDevice.objects.get_or_create(user=user, name="recovery", defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def verify(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"].replace(" ", "")
        devices = [
            *TOTPDevice.objects.filter(user=user, confirmed=True),
            *StaticDevice.objects.filter(user=user),
        ]
        for device in devices:
            if device.verify_token(token):
                otp_login(request, device)
                if isinstance(device, StaticDevice):
                    left = device.token_set.count()
                    messages.warning(
                        request, _("Code de secours utilisé ; il vous en reste %(n)s.") % {"n": left}
                    )
                return redirect(_next_url(request))
        audit.record(
            Action.LOGIN_FAILED,
            user=user,
            object_type="accounts.user",
            object_id=str(user.pk),
            two_factor="wrong_code",
        )
        form.add_error("token", _("Code incorrect ou expiré. Réessayez avec le code affiché maintenant."))
    return render(request, "accounts/2fa_verify.html", {"form": form, "next": _next_url(request)})
