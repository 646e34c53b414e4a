"""French first: the page language is the one the user chose, else French — never the browser's guess.

Browsers in Bamako often announce English; Django's LocaleMiddleware would follow them. Dropping the
Accept-Language header before it leaves the choice to the language switch (cookie) and to LANGUAGE_CODE.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class FrenchFirstMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
