"""The place picker: communes and villages found as you type, whatever the accents or the case."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .queries import search_places


@require_GET
def place_search(request: HttpRequest) -> HttpResponse:
    raw = request.GET.get("q") or request.GET.get("place_q") or ""
    region_id = request.GET.get("region_choice") or request.GET.get("region") or ""
    results = search_places(
        raw,
        region_id=int(region_id) if region_id.isdigit() else None,
        units_only=request.GET.get("units") == "1",
    )
    return render(
        request,
        "places/_results.html",
        {"results": results, "query": raw, "field": request.GET.get("field", "place")},
    )
