"""Export pages: the incident list's filters in the query string, the file streamed back as it is written."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, QueryDict, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from kurukan.accounts import access
from kurukan.incidents.queries import IncidentFilterForm, IncidentFilters

from . import actions, formats
from .forms import ExportForm, IdentitiesExportForm
from .rows import Level

OWN_FIELDS = {"format", "reason", "csrfmiddlewaretoken"}


def streamed(export: actions.Export) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        actions.export_records(export), content_type=formats.CONTENT_TYPES[export.fmt]
    )
    response["Content-Disposition"] = f'attachment; filename="{export.file_name}"'
    response["Cache-Control"] = "no-store"  # a file of protected records must not stay in a shared cache
    return response


def _filters(data: QueryDict) -> tuple[IncidentFilterForm, QueryDict]:
    kept = data.copy()
    for name in OWN_FIELDS:
        kept.pop(name, None)
    return IncidentFilterForm(kept), kept


@require_http_methods(["GET", "POST"])
def download(request: HttpRequest, level: str) -> HttpResponseBase:
    """Incidents and violations download at once (GET); victims ask for the reason first (a form, POST)."""
    identities = level == Level.VICTIMS
    if identities and not access.can_export_identities(request.user):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else request.GET
    form_class = IdentitiesExportForm if identities else ExportForm
    bound = request.method == "POST" or (not identities and "format" in data)
    form = form_class(data if bound else None, initial={"format": data.get("format", formats.Format.CSV)})
    filter_form, kept = _filters(data)
    if form.is_bound and form.is_valid() and filter_form.is_valid():
        export = actions.Export(
            user=request.user,
            level=level,
            fmt=form.cleaned_data["format"],
            filters=IncidentFilters.from_form(filter_form),
            reason=form.cleaned_data.get("reason", ""),
        )
        try:
            return streamed(export)
        except ValidationError as exc:
            form.add_error("reason", exc.messages[0])
    context = {
        "level": Level(level),
        "form": form,
        "filter_errors": [e for errors in filter_form.errors.values() for e in errors],
        "kept": list(kept.lists()),
        "query": kept.urlencode(),
    }
    # 200 with the messages on the page, as the other full-page forms answer: browsers log a 422 as an error.
    return render(request, "exports/export.html", context)
