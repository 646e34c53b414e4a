"""The API signs in with the application's session: the same user, the same roles, the same access helpers.

Anonymous calls get a 401 (never a redirect to the login page); writes from a logged-in session need the
CSRF token, as Django's pages do (header `X-CSRFToken`).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import APIKeyCookie
from ninja.utils import check_csrf


class SessionAuth(APIKeyCookie):
    """ninja's `django_auth`, but anonymous calls get a 401 before any CSRF check, and errors speak French."""

    param_name: str = settings.SESSION_COOKIE_NAME

    def __call__(self, request: HttpRequest) -> Any:
        user = request.user
        if not user.is_authenticated:
            return None
        if self.csrf and not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise HttpError(
                403, _("Jeton CSRF absent ou invalide : envoyez l'en-tête X-CSRFToken de la session.")
            )
        return user

    def authenticate(
        self, request: HttpRequest, key: str | None
    ) -> Any:  # pragma: no cover - __call__ decides
        return request.user if request.user.is_authenticated else None


session_auth = SessionAuth()


def login_required_json(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For the OpenAPI schema view: the same 401 as the operations, not the login page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return JsonResponse(
                {"detail": _("Connectez-vous d'abord : l'API utilise la session de l'application.")},
                status=401,
            )
        return view(request, *args, **kwargs)

    return login_not_required(wrapper)
