"""Request types shared by the views."""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """A request that went through django-htmx's HtmxMiddleware, which sets `request.htmx`."""

    htmx: HtmxDetails
