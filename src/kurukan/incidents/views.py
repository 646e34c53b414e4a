"""Incident pages: list, detail, recording on one page with htmx, submission and verification."""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kurukan.accounts import access
from kurukan.http import HtmxHttpRequest
from kurukan.paging import page_number
from kurukan.people.public_text import log_public_text_override
from kurukan.places.models import Level

from . import actions, history, queries
from .forms import (
    GroupVictimsForm,
    IncidentForm,
    PerpetratorForm,
    ReopenForm,
    ShareForm,
    SourceForm,
    VerificationForm,
    VictimForm,
    ViolationForm,
    for_card,
    with_fixed_choices,
)
from .models import GroupVictims, Incident, Perpetrator, Source, Victim, Violation
from .presenters import incident_detail_context, list_rows
from .recording import FirstRecord


@require_GET
def incident_list(request: HtmxHttpRequest) -> HttpResponse:
    form = queries.IncidentFilterForm(request.GET or None)
    filters = queries.IncidentFilters.from_form(form) if request.GET else queries.IncidentFilters()
    listing = queries.incident_listing(request.user, filters)
    page = page_number(request.GET.get("page"), settings.PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("count", None)
    if request.GET.get("count") == "exact":
        total, more = queries.capped_count(listing)
        return render(
            request,
            "incidents/_count.html",
            {"total": total, "total_is_capped": more, "query": query.urlencode()},
        )
    size = settings.PAGE_SIZE
    rows, total, more = queries.read_page(listing, (page - 1) * size, size + 1, queries.PAGE_COUNT_CAP)
    context = {
        "form": form,
        "rows": list_rows(request.user, rows[:size]),
        "page": page,
        "has_next": len(rows) > size,
        "has_previous": page > 1,
        "total": total,
        "total_is_capped": more,
        "query": query.urlencode(),
        "can_create": access.can_create(request.user),
        "chosen_place": filters.place if filters.place is not None and filters.place.level > 1 else None,
        "active_filters": sum(1 for name in form.fields if name != "q" and request.GET.get(name)),
    }
    template = (
        "incidents/_results.html"
        if request.htmx and request.htmx.target == "results"
        else "incidents/list.html"
    )
    return render(request, template, context)


@require_GET
def incident_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    incident = access.get_incident_for_view(request.user, public_id)
    return render(request, "incidents/detail.html", incident_detail_context(request.user, incident))


@require_http_methods(["GET", "POST"])
def incident_create(request: HttpRequest) -> HttpResponse:
    if not access.can_create(request.user):
        raise PermissionDenied
    record = FirstRecord(request.POST or None)
    record.incident.user = request.user
    if request.method == "POST":
        if record.is_valid():
            incident = record.save(request.user)
            messages.success(
                request,
                _("Incident %(id)s enregistré. Complétez-le ici, puis soumettez-le pour vérification.")
                % {"id": incident.public_id},
            )
            return redirect("incidents:edit", public_id=incident.public_id)
        return render(
            request, "incidents/create.html", {"record": record, "form": record.incident}, status=422
        )
    return render(request, "incidents/create.html", {"record": record, "form": record.incident})


@require_GET
def incident_similar(request: HtmxHttpRequest) -> HttpResponse:
    """While a new incident is being filled in: the records it may duplicate (same commune, a few days)."""
    if not access.can_create(request.user):
        raise PermissionDenied
    form = IncidentForm(request.GET)
    form.is_valid()  # only the place and the date are read; the rest is checked when the form is saved
    unit, settlement = form.chosen_place()
    commune = settlement.commune if settlement else (unit if unit and unit.level == Level.COMMUNE else None)
    found = queries.likely_duplicates(request.user, commune, form.cleaned_data.get("start_date"))
    return render(request, "incidents/_similar.html", {"similar": list_rows(request.user, found)})


@require_http_methods(["GET", "POST"])
def incident_edit(request: HtmxHttpRequest, public_id: str) -> HttpResponse:
    incident = access.get_incident_for_edit(request.user, public_id)
    form = IncidentForm(request.POST or None, instance=incident)
    form.user = request.user
    if request.method == "POST":
        if form.is_valid():
            actions.save_incident(form.save(commit=False), request.user, created=False)
            log_public_text_override(form, request.user, incident)
            if request.htmx:
                return render(
                    request,
                    "incidents/_header_form.html",
                    {"form": IncidentForm(instance=incident), "incident": incident, "saved": True},
                )
            return redirect("incidents:edit", public_id=incident.public_id)
        if request.htmx:
            return render(
                request, "incidents/_header_form.html", {"form": form, "incident": incident}, status=422
            )
    return render(request, "incidents/edit.html", _editor_context(request, incident, header_form=form))


def _editor_context(request: HttpRequest, incident: Incident, **extra) -> dict:
    context = incident_detail_context(request.user, incident)
    context.update(
        {
            "violation_form": ViolationForm(incident=incident),
            "source_form": SourceForm(),
            "editing": True,
        }
    )
    context.update(extra)
    similar = queries.likely_duplicates(
        request.user,
        incident.commune,
        incident.start_date,
        type_ids=incident.violations.values_list("type_id", flat=True),
        exclude_pk=incident.pk,
    )
    context["similar"] = list_rows(request.user, similar)
    # Each violation card draws its own forms with its own ids (a label must never point into another
    # card); a form sent back with its errors belongs to one violation, every other card gets an empty one.
    templates = {
        "victim": with_fixed_choices(VictimForm(incident=incident)),
        "group": GroupVictimsForm(),
        "perpetrator": with_fixed_choices(PerpetratorForm()),
    }
    for row in context["violations"]:
        auto_id = f"id_v{row['id']}_%s"
        forms = {
            "victim": VictimForm(incident=incident, auto_id=auto_id + "_victim"),
            "group": GroupVictimsForm(auto_id=auto_id + "_group"),
            "perpetrator": PerpetratorForm(auto_id=auto_id + "_perpetrator"),
        }
        if extra.get("form_violation") == row["id"]:
            for kind in forms:
                bound = extra.get(f"{kind}_form")
                if bound is not None:
                    bound.auto_id = auto_id + f"_{kind}"
                    forms[kind] = bound
        row["forms"] = {kind: for_card(form, templates[kind]) for kind, form in forms.items()}
    return context


def _section(
    request: HtmxHttpRequest, incident: Incident, template: str, status: int = 200, **forms
) -> HttpResponse:
    """htmx swaps the section; without JavaScript the whole editor comes back (or a redirect to it)."""
    incident.refresh_from_db()
    if request.htmx:
        return render(request, template, _editor_context(request, incident, **forms), status=status)
    if status < 400:
        return redirect("incidents:edit", public_id=incident.public_id)
    context = _editor_context(request, incident, header_form=IncidentForm(instance=incident), **forms)
    return render(request, "incidents/edit.html", context, status=status)


def _violations_section(
    request: HtmxHttpRequest, incident: Incident, status: int = 200, **forms
) -> HttpResponse:
    return _section(request, incident, "incidents/_violations.html", status, **forms)


def _violation_of(incident: Incident, violation_id: int) -> Violation:
    return get_object_or_404(
        Violation.objects.select_related("type", "incident"), pk=violation_id, incident=incident
    )


@require_POST
def violation_add(request: HtmxHttpRequest, public_id: str) -> HttpResponse:
    incident = access.get_incident_for_edit(request.user, public_id)
    form = ViolationForm(request.POST, incident=incident)
    if not form.is_valid():
        return _violations_section(request, incident, status=422, violation_form=form)
    actions.add_violation(incident, request.user, form.save(commit=False), form.cleaned_data["methods"])
    return _violations_section(request, incident)


@require_POST
def violation_remove(request: HtmxHttpRequest, public_id: str, violation_id: int) -> HttpResponse:
    incident = access.get_incident_for_edit(request.user, public_id)
    actions.remove_violation(_violation_of(incident, violation_id), request.user)
    return _violations_section(request, incident)


@require_POST
def victim_add(request: HtmxHttpRequest, public_id: str, violation_id: int) -> HttpResponse:
    incident = access.get_incident_for_edit(request.user, public_id)
    violation = _violation_of(incident, violation_id)
    form = VictimForm(request.POST, incident=incident)
    if not form.is_valid():
        return _violations_section(
            request, incident, status=422, victim_form=form, form_violation=violation.pk
        )
    person, victim, categories = form.build()
    actions.add_victim(violation, request.user, person, victim, categories)
    return _violations_section(request, incident)


@require_POST
def group_add(request: HtmxHttpRequest, public_id: str, violation_id: int) -> HttpResponse:
    incident = access.get_incident_for_edit(request.user, public_id)
    violation = _violation_of(incident, violation_id)
    form = GroupVictimsForm(request.POST)
    if not form.is_valid():
        return _violations_section(
            request, incident, status=422, group_form=form, form_violation=violation.pk
        )
    actions.add_group(violation, request.user, form.save(commit=False))
    return _violations_section(request, incident)


@require_POST
def perpetrator_add(request: HtmxHttpRequest, public_id: str, violation_id: int) -> HttpResponse:
    incident = access.get_incident_for_edit(request.user, public_id)
    violation = _violation_of(incident, violation_id)
    form = PerpetratorForm(request.POST)
    if not form.is_valid():
        return _violations_section(
            request, incident, status=422, perpetrator_form=form, form_violation=violation.pk
        )
    actions.add_perpetrator(violation, request.user, form.save(commit=False))
    return _violations_section(request, incident)


PARTS: dict[str, type[Victim | GroupVictims | Perpetrator]] = {
    "victim": Victim,
    "group": GroupVictims,
    "perpetrator": Perpetrator,
}


@require_POST
def part_remove(request: HtmxHttpRequest, public_id: str, kind: str, part_id: int) -> HttpResponse:
    incident = access.get_incident_for_edit(request.user, public_id)
    if kind == "source":
        actions.remove_part(get_object_or_404(Source, pk=part_id, incident=incident), request.user)
        return _sources_section(request, incident)
    model = PARTS.get(kind)
    if model is None:
        raise PermissionDenied
    # mypy solves get_object_or_404's type variable from type[Victim | GroupVictims | Perpetrator] as Model.
    part = get_object_or_404(model, pk=part_id, violation__incident=incident)
    actions.remove_part(cast(Victim | GroupVictims | Perpetrator, part), request.user)
    return _violations_section(request, incident)


def _sources_section(
    request: HtmxHttpRequest, incident: Incident, status: int = 200, **forms
) -> HttpResponse:
    return _section(request, incident, "incidents/_sources.html", status, **forms)


@require_POST
def source_add(request: HtmxHttpRequest, public_id: str) -> HttpResponse:
    incident = access.get_incident_for_edit(request.user, public_id)
    form = SourceForm(request.POST)
    if not form.is_valid():
        return _sources_section(request, incident, status=422, source_form=form)
    actions.add_source(incident, request.user, form.save(commit=False))
    return _sources_section(request, incident)


@require_POST
def incident_submit(request: HttpRequest, public_id: str) -> HttpResponse:
    incident = access.get_incident_for_edit(request.user, public_id)
    warnings = [] if actions.submission_problems(incident) else actions.submission_warnings(incident)
    if warnings and request.POST.get("confirm") != "1":
        # What is missing is listed above a second button: submitting anyway is a knowing choice.
        context = _editor_context(request, incident, header_form=IncidentForm(instance=incident))
        context["submit_warnings"] = warnings
        return render(request, "incidents/edit.html", context)  # a question, not an error
    try:
        actions.submit_incident(incident, request.user)
    except ValidationError as exc:
        for problem in exc.messages:
            messages.error(request, problem)
        return redirect("incidents:edit", public_id=incident.public_id)
    messages.success(request, _("Incident soumis pour vérification."))
    return redirect("incidents:detail", public_id=incident.public_id)


@require_POST
def violation_verify(request: HtmxHttpRequest, public_id: str, violation_id: int) -> HttpResponse:
    incident = access.get_incident_for_view(request.user, public_id)
    if not access.can_verify(request.user, incident):
        raise PermissionDenied
    violation = _violation_of(incident, violation_id)
    form = VerificationForm(request.POST)
    status = 200
    if form.is_valid():
        try:
            actions.verify_violation(
                violation,
                request.user,
                form.cleaned_data["verification_status"],
                form.cleaned_data["standard_of_proof"],
                form.cleaned_data["note"],
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages[0])
            status = 422
    else:
        status = 422
    context = incident_detail_context(request.user, Incident.objects.get(pk=incident.pk))
    context["verify_forms"] = {violation.pk: form} if status == 422 else {}
    for row in context["violations"]:
        if status == 422 and row["id"] == violation.pk:
            row["verify_form"] = form
    if request.htmx:
        return render(request, "incidents/_verification.html", context, status=status)
    if status == 422:  # without JavaScript the whole page comes back, with the error on its field
        return render(request, "incidents/detail.html", context, status=status)
    messages.success(request, _("Vérification enregistrée."))
    return redirect("incidents:detail", public_id=incident.public_id)


@require_POST
def share_add(request: HttpRequest, public_id: str) -> HttpResponse:
    incident = access.get_incident_for_view(request.user, public_id)
    if not access.can_share(request.user, incident):
        raise PermissionDenied
    form = ShareForm(request.POST, incident=incident)
    if form.is_valid():
        actions.share_incident(
            incident, request.user, form.cleaned_data["organisation"], form.cleaned_data["include_identities"]
        )
        messages.success(request, _("Incident partagé."))
        if form.cleaned_data["include_identities"]:
            from kurukan.people.consent import persons_allowing_share

            persons = set(
                Victim.objects.filter(violation__incident=incident).values_list("person_id", flat=True)
            )
            left_out = len(persons - persons_allowing_share(persons, form.cleaned_data["organisation"]))
            if left_out:
                messages.warning(
                    request,
                    ngettext(
                        "%(n)s personne ne sera pas nommée : elle n'a pas consenti au partage avec cette organisation.",
                        "%(n)s personnes ne seront pas nommées : elles n'ont pas consenti au partage avec cette organisation.",
                        left_out,
                    )
                    % {"n": left_out},
                )
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))  # an ErrorList yields message strings
    return redirect("incidents:detail", public_id=incident.public_id)


@require_POST
def share_revoke(request: HttpRequest, public_id: str, share_id: int) -> HttpResponse:
    incident = access.get_incident_for_view(request.user, public_id)
    if not access.can_share(request.user, incident):
        raise PermissionDenied
    share = get_object_or_404(incident.shares.filter(revoked_at__isnull=True), pk=share_id)
    actions.revoke_share(share, request.user)
    messages.success(request, _("Partage révoqué."))
    return redirect("incidents:detail", public_id=incident.public_id)


def _verifiable(request: HttpRequest, public_id: str) -> Incident:
    incident = access.get_incident_for_view(request.user, public_id)
    if not access.can_verify(request.user, incident):
        raise PermissionDenied
    return incident


def _detail_with_error(request: HttpRequest, incident: Incident, **forms) -> HttpResponse:
    context = incident_detail_context(request.user, incident)
    context.update(forms)
    return render(request, "incidents/detail.html", context, status=422)


def _act_on(request: HttpRequest, incident: Incident, change: Callable[[], None], done: str) -> HttpResponse:
    """Run a workflow action; its refusal or its success is said on the record's page."""
    try:
        change()
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, done)
    return redirect("incidents:detail", public_id=incident.public_id)


@require_POST
def incident_close(request: HttpRequest, public_id: str) -> HttpResponse:
    incident = _verifiable(request, public_id)
    return _act_on(
        request, incident, lambda: actions.close_incident(incident, request.user), _("Incident clôturé.")
    )


@require_POST
def incident_reopen(request: HttpRequest, public_id: str) -> HttpResponse:
    incident = _verifiable(request, public_id)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        return _detail_with_error(request, incident, reopen_form=form)
    return _act_on(
        request,
        incident,
        lambda: actions.reopen_incident(incident, request.user, form.cleaned_data["reason"]),
        _("Incident rouvert : il revient en vérification."),
    )


@require_POST
def follow_up_add(request: HttpRequest, public_id: str) -> HttpResponse:
    incident = access.get_incident_for_view(request.user, public_id)
    if not access.may_follow_up(request.user, incident):
        raise PermissionDenied
    form = SourceForm(request.POST, prefix="follow_up")
    if not form.is_valid():
        return _detail_with_error(request, incident, follow_up_form=form)
    actions.add_follow_up(incident, request.user, form.save(commit=False))
    messages.success(request, _("Information complémentaire ajoutée ; les coordinateurs la verront."))
    return redirect("incidents:detail", public_id=incident.public_id)


@require_GET
def incident_history(request: HttpRequest, public_id: str) -> HttpResponse:
    incident = access.get_incident_for_view(request.user, public_id)
    context = incident_detail_context(request.user, incident)
    context["versions"] = history.all_versions(request.user, incident)
    return render(request, "incidents/history.html", context)
