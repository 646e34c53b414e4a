"""The public page: national figures, breakdowns and the map, no login, under disclosure control."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from kurukan.places.models import Level

from . import presenters
from .figures import public_figures


@login_not_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    level = "documented" if request.GET.get("level") == "documented" else "verified"
    map_level = Level.CERCLE if request.GET.get("map") == "cercle" else Level.REGION
    figures = public_figures(level)
    rows = presenters.rows_by_area(figures, map_level)

    def url_for(pcode: str) -> str:
        # The public has no incident list: an area leads to its row in the table beside the map.
        return f"?{urlencode({'level': level, 'map': 'cercle' if map_level == Level.CERCLE else 'region'})}#{pcode}"

    context = {
        "level": level,
        "map_level": "cercle" if map_level == Level.CERCLE else "region",
        "total": presenters.cell(figures.get("total")),
        "map": presenters.the_map(figures, map_level, rows, url_for),
        "rows": rows,
        "has_rates": any(r["rate"] is not None for r in rows),
        "crosstab": presenters.crosstab(figures),
        "children": presenters.children(figures),
        "thresholds": presenters.thresholds(),
    }
    return render(request, "public/index.html", context)
