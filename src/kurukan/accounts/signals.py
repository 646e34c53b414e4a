"""Logins, logouts and failed logins go to the audit chain (the username tried, never the password)."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from kurukan.audit import log as audit
from kurukan.audit.models import Action


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs) -> None:
    audit.record(Action.LOGIN, user=user, object_type="accounts.user", object_id=str(user.pk))


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs) -> None:
    if user is not None:
        audit.record(Action.LOGOUT, user=user, object_type="accounts.user", object_id=str(user.pk))


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    audit.record(
        Action.LOGIN_FAILED,
        object_type="accounts.user",
        username_tried=str(credentials.get("username", ""))[:150],
    )
