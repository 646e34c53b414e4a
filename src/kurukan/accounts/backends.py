"""Signing in and reading the signed-in user on every request."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

# Sessions signed in before this backend existed name Django's own; it stays listed after this one (settings)
# so they go on until they expire (KURUKAN_SESSION_SECONDS), never to sign anyone in.
EARLIER_BACKEND = "django.contrib.auth.backends.ModelBackend"


class UserBackend(ModelBackend):
    """Django's model backend, reading the user together with their organisation: every page names it in
    its header and most access rules read it, so this saves a query on every request."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            # Stop here: the earlier backend listed after this one would check the password a second time
            # (Argon2 again). The failure is still signalled, so the lockout counts it.
            raise PermissionDenied
        return user

    def get_user(self, user_id):
        model = get_user_model()
        try:
            user = model._default_manager.select_related("organisation").get(pk=user_id)
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
