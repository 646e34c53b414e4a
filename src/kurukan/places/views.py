"""The place picker: communes and villages found as you type, whatever the accents or the case."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from django.utils.translation import gettext as _

from kurukan.text import fold

from .models import AdminUnit, Level, Settlement

LIMIT = 15


@require_GET
def place_search(request: HttpRequest) -> HttpResponse:
    raw = request.GET.get("q") or request.GET.get("place_q") or ""
    text = fold(raw)
    units_only = request.GET.get("units") == "1"
    region_id = request.GET.get("region_choice") or request.GET.get("region") or ""
    units: list[AdminUnit] = []
    settlements: list[Settlement] = []
    if len(text) >= 2:
        unit_qs = AdminUnit.objects.current().filter(level__gte=Level.CERCLE).select_related("parent", "region")
        settlement_qs = Settlement.objects.filter(commune__boundary_set__is_current=True).select_related(
            "commune__parent__parent"
        )
        if region_id.isdigit():
            unit_qs = unit_qs.filter(region_id=int(region_id))
            settlement_qs = settlement_qs.filter(commune__region_id=int(region_id))
        # Names that start with the text come first, then names that merely contain it.
        units = list(unit_qs.filter(name_search__startswith=text).order_by("level", "name")[:LIMIT])
        if len(units) < LIMIT:
            units += list(
                unit_qs.filter(name_search__contains=text).exclude(name_search__startswith=text)
                .order_by("level", "name")[: LIMIT - len(units)]
            )
        if units_only:
            settlement_qs = settlement_qs.none()
        settlements = list(settlement_qs.filter(name_search__startswith=text).order_by("name")[:LIMIT])
        if len(settlements) < LIMIT:
            settlements += list(
                settlement_qs.filter(name_search__contains=text).exclude(name_search__startswith=text)
                .order_by("name")[: LIMIT - len(settlements)]
            )
    results = [
        {"value": f"unit:{u.pk}", "name": u.name, "kind": u.get_level_display(),
         "context": ", ".join(dict.fromkeys(p.name for p in (u.parent, u.region) if p is not None and p.pk != u.pk and p.level > 0))}
        for u in units
    ] + [
        {"value": f"settlement:{s.pk}", "name": s.name, "kind": _("localité"),
         "context": f"{s.commune.name}, {s.commune.parent.name}, {s.commune.parent.parent.name}"}
        for s in settlements
    ]
    return render(
        request,
        "places/_results.html",
        {"results": results, "query": raw, "field": request.GET.get("field", "place")},
    )
