"""Export pages of the registers (cases, interventions, claims): the list's filters in the query string, the
file streamed as it is written; the claims export (names) asks for the reason first (a form, POST)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from kurukan.accounts import access

from . import actions, formats
from .forms import IdentitiesExportForm
from .registers import IDENTITY_LEVELS, RegisterLevel, RegisterQuery
from .views import streamed

REGISTER_FORMATS = [(f, label) for f, label in formats.Format.choices if f != formats.Format.GEOJSON]
LISTS = {
    RegisterLevel.CASES: "justice:case_list",
    RegisterLevel.INTERVENTIONS: "justice:intervention_list",
    RegisterLevel.CLAIMS: "reparations:list",
}


class RegisterExportForm(forms.Form):
    format = forms.ChoiceField(label=_("Format"), choices=REGISTER_FORMATS, initial=formats.Format.CSV)


class RegisterIdentitiesForm(IdentitiesExportForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["format"].choices = REGISTER_FORMATS
        self.fields["reason"].label = _("Pourquoi avez-vous besoin des noms des victimes et ayants droit ?")


def query_from(level: str, data: QueryDict) -> tuple[RegisterQuery, list[str]]:
    """The list page's filters read by the list's own filter form; its messages when they are wrong."""
    if level == RegisterLevel.CASES:
        from kurukan.justice.forms import CaseFilterForm

        form = CaseFilterForm(data)
        if not form.is_valid():
            return RegisterQuery(), [m for ms in form.errors.values() for m in ms]
        d = form.cleaned_data
        return RegisterQuery(jurisdiction=d["jurisdiction"], stage=d["stage"], q=d["q"].strip()), []
    if level == RegisterLevel.INTERVENTIONS:
        from kurukan.justice.models import FollowUpStatus

        status = data.get("status", "")
        if status and status not in FollowUpStatus.values:
            return RegisterQuery(), [str(_("Statut de suivi inconnu : choisissez-en un dans la liste."))]
        return RegisterQuery(status=status, overdue=data.get("overdue") == "1"), []
    from kurukan.reparations.forms import FilterForm

    form = FilterForm(data)
    if not form.is_valid():
        return RegisterQuery(), [m for ms in form.errors.values() for m in ms]
    d = form.cleaned_data
    region = d["region"].pcode if d["region"] else ""
    return RegisterQuery(status=d["status"], reference=d["reference"].strip(), region=region), []


OWN_FIELDS = {"format", "reason", "csrfmiddlewaretoken"}


@require_http_methods(["GET", "POST"])
def download(request: HttpRequest, level: str) -> HttpResponseBase:
    identities = level in IDENTITY_LEVELS
    if identities and not access.may_handle_claims(request.user):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else request.GET
    kept = data.copy()
    for name in OWN_FIELDS:
        kept.pop(name, None)
    form_class = RegisterIdentitiesForm if identities else RegisterExportForm
    bound = request.method == "POST" or (not identities and "format" in data)
    form = form_class(data if bound else None, initial={"format": data.get("format", formats.Format.CSV)})
    query, filter_errors = query_from(level, kept)
    if form.is_bound and form.is_valid() and not filter_errors:
        export = actions.Export(
            user=request.user,
            level=level,
            fmt=form.cleaned_data["format"],
            query=query,
            reason=form.cleaned_data.get("reason", ""),
        )
        try:
            return streamed(export)
        except ValidationError as exc:
            form.add_error("reason", exc.messages[0])
    context = {
        "level": RegisterLevel(level),
        "identities": identities,
        "form": form,
        "filter_errors": filter_errors,
        "kept": list(kept.lists()),
        "query": kept.urlencode(),
        "list_url": LISTS[RegisterLevel(level)],
    }
    return render(request, "exports/register_export.html", context)
