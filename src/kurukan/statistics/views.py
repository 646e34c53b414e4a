"""Statistics pages for signed-in users, over what each may see: the dashboard, the children and armed
conflict view, the period comparison, and each table as CSV or XLSX."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import compare, downloads, presenters
from .counting import Scope
from .forms import CompareForm, StatisticsForm

DASHBOARD_FIELDS = (
    "date_from",
    "date_to",
    "region",
    "violation_type",
    "perpetrator_category",
    "organisation",
    "level",
    "grain",
)
CHILDREN_FIELDS = ("date_from", "date_to", "region", "perpetrator_category", "organisation")
COMPARE_FIELDS = (
    "a_from",
    "a_to",
    "b_from",
    "b_to",
    "measure",
    "region",
    "violation_type",
    "perpetrator_category",
    "organisation",
    "level",
)


def _filters(request: HttpRequest) -> tuple[StatisticsForm, str]:
    form = StatisticsForm(request.GET or None)
    query = request.GET.copy()
    return form, query.urlencode()


def _chosen_place(form) -> object | None:
    """The cercle or commune picked, shown checked in the picker (a region is in its own field)."""
    place = form.cleaned_data.get("place") if form.is_valid() else None
    return place if place is not None and place.level > 1 else None


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    form, query = _filters(request)
    filters, scope = form.filters(), Scope.for_user(request.user)
    breakdowns = [presenters.present(presenters.trend_breakdown(form.chosen_grain()), filters, scope, query)]
    breakdowns += [presenters.present(b, filters, scope, query) for b in presenters.BREAKDOWNS.values()]
    context = {
        "form": form,
        "level": presenters.labels.level_title(filters.level),
        "headline": presenters.headline(filters, scope),
        "breakdowns": breakdowns,
        "query": query,
        "filter_fields": DASHBOARD_FIELDS,
        "chosen_place": _chosen_place(form),
    }
    return render(request, "statistics/dashboard.html", context)


@require_GET
def children(request: HttpRequest) -> HttpResponse:
    form, query = _filters(request)
    context = {
        "form": form,
        "filter_fields": CHILDREN_FIELDS,
        "chosen_place": _chosen_place(form),
        **presenters.children_view(form.filters(), Scope.for_user(request.user), query),
    }
    return render(request, "statistics/children.html", context)


@require_GET
def comparison(request: HttpRequest) -> HttpResponse:
    form = CompareForm(request.GET or None)
    result = compare.compare_periods(form, Scope.for_user(request.user)) if form.is_valid() else None
    return render(
        request,
        "statistics/compare.html",
        {
            "form": form,
            "result": result,
            "filter_fields": COMPARE_FIELDS,
            "chosen_place": _chosen_place(form),
        },
    )


@require_GET
def download(request: HttpRequest, breakdown_id: str, file_format: str) -> HttpResponse:
    form, _query = _filters(request)
    breakdown = (
        presenters.trend_breakdown(form.chosen_grain())
        if breakdown_id == "trend"
        else presenters.BREAKDOWNS.get(breakdown_id) or presenters.CHILDREN_BREAKDOWNS.get(breakdown_id)
    )
    if breakdown is None or file_format not in downloads.FORMATS:
        raise Http404
    return downloads.respond(breakdown, form.filters(), Scope.for_user(request.user), file_format)
