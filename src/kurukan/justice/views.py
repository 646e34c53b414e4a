"""Pages for judicial cases, interventions and the impunity indicators. Every read goes through
`access.visible` (via queries) or `access.get_for_view`; forms work with htmx and without JavaScript."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kurukan.accounts import access
from kurukan.http import HtmxHttpRequest
from kurukan.statistics.impunity import BREAKDOWNS

from . import actions, presenters, queries
from .forms import (
    AnswerForm,
    CaseFilterForm,
    CaseForm,
    CivilPartyForm,
    DefendantForm,
    InterventionForm,
    StageForm,
)
from .models import FollowUpStatus, Intervention, JudicialCase


def _errors_into(form, exc: ValidationError) -> None:
    for field, problems in exc.message_dict.items():
        for problem in problems:
            form.add_error(field if field in form.fields else None, problem)


# --- cases ---------------------------------------------------------------------------------------------------


@require_GET
def case_list(request: HtmxHttpRequest) -> HttpResponse:
    form = CaseFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    filters = queries.CaseFilters(
        jurisdiction=data.get("jurisdiction", ""), stage=data.get("stage", ""), q=data.get("q", "")
    )
    page = Paginator(queries.cases(request.user, filters), settings.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "form": form,
        "rows": presenters.case_rows(list(page.object_list)),
        "page": page,
        "may_record": access.may_record(request.user),
    }
    if request.htmx and request.htmx.target == "results":
        return render(request, "justice/_case_results.html", context)
    return render(request, "justice/case_list.html", context)


@require_http_methods(["GET", "POST"])
def case_create(request: HttpRequest) -> HttpResponse:
    if not access.may_record(request.user):
        raise PermissionDenied
    incident = request.GET.get("incident", "")
    form = CaseForm(request.POST or None, user=request.user, incident=incident)
    if request.method == "POST" and form.is_valid():
        case = actions.open_case(form.save(commit=False), list(form.cleaned_data["violations"]), request.user)
        messages.success(request, _("Procédure %(id)s ouverte.") % {"id": case.public_id})
        return redirect("justice:case_detail", case_id=case.public_id)
    status = 422 if request.method == "POST" else 200
    return render(request, "justice/case_form.html", {"form": form, "incident": incident}, status=status)


@require_GET
def case_detail(request: HttpRequest, case_id: str) -> HttpResponse:
    case = access.get_for_view(request.user, JudicialCase, public_id=case_id)
    return render(request, "justice/case_detail.html", presenters.case_context(request.user, case))


def _case_change(
    request: HtmxHttpRequest, case: JudicialCase, form_name: str, form, act, done: str
) -> HttpResponse:
    """The three forms of a case page: validate, act (which may refuse), then answer the page or htmx."""
    saved = ""
    if form.is_valid():
        try:
            act(case, form.save(commit=False), request.user)
            saved = done
        except ValidationError as exc:
            _errors_into(form, exc)
    if saved and not request.htmx:
        messages.success(request, saved)
        return redirect("justice:case_detail", case_id=case.public_id)
    context = presenters.case_context(request.user, case, **({} if saved else {form_name: form}), saved=saved)
    if request.htmx:
        # htmx swaps only 2xx answers: a refused form comes back as 200 so that its message shows.
        return render(request, "justice/_case_body.html", context)
    return render(request, "justice/case_detail.html", context, status=422)


@require_POST
def stage_add(request: HtmxHttpRequest, case_id: str) -> HttpResponse:
    case = access.get_for_edit(request.user, JudicialCase, public_id=case_id)
    return _case_change(
        request, case, "stage_form", StageForm(request.POST), actions.add_stage, _("Étape enregistrée.")
    )


@require_POST
def defendant_add(request: HtmxHttpRequest, case_id: str) -> HttpResponse:
    case = access.get_for_edit(request.user, JudicialCase, public_id=case_id)
    return _case_change(
        request,
        case,
        "defendant_form",
        DefendantForm(request.POST, perpetrators=presenters.perpetrators_of(request.user, case)),
        actions.add_defendant,
        _("Mis en cause ajouté."),
    )


@require_POST
def civil_party_add(request: HtmxHttpRequest, case_id: str) -> HttpResponse:
    case = access.get_for_edit(request.user, JudicialCase, public_id=case_id)
    form = CivilPartyForm(request.POST, victims=presenters.victims_of(request.user, case))
    return _case_change(
        request, case, "party_form", form, actions.add_civil_party, _("Partie civile ajoutée.")
    )


# --- interventions -------------------------------------------------------------------------------------------


@require_GET
def intervention_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    status = status if status in FollowUpStatus.values else ""
    overdue = request.GET.get("overdue") == "1"
    today = timezone.localdate()
    qs = queries.interventions(request.user, overdue_on=today if overdue else None, status=status)
    page = Paginator(qs, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "rows": presenters.intervention_rows(list(page.object_list), today),
        "page": page,
        "status": status,
        "statuses": FollowUpStatus.choices,
        "overdue": overdue,
        "may_record": access.may_record(request.user),
    }
    return render(request, "justice/intervention_list.html", context)


@require_GET
def overdue(request: HttpRequest) -> HttpResponse:
    """The coordinator's list: every intervention of the organisation past its deadline with no answer."""
    if not access.chases_up_interventions(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    rows = presenters.intervention_rows(list(queries.interventions(request.user, overdue_on=today)), today)
    return render(request, "justice/overdue.html", {"rows": rows, "today": today})


@require_http_methods(["GET", "POST"])
def intervention_create(request: HttpRequest) -> HttpResponse:
    if not access.may_record(request.user):
        raise PermissionDenied
    incident = request.GET.get("incident", "")
    form = InterventionForm(request.POST or None, user=request.user, incident=incident)
    if request.method == "POST" and form.is_valid():
        intervention = actions.record_intervention(
            form.save(commit=False),
            list(form.cleaned_data["violations"]),
            form.cleaned_data["victims"],
            request.user,
        )
        messages.success(request, _("Intervention %(id)s enregistrée.") % {"id": intervention.public_id})
        return redirect("justice:intervention_detail", intervention_id=intervention.public_id)
    status = 422 if request.method == "POST" else 200
    return render(
        request, "justice/intervention_form.html", {"form": form, "incident": incident}, status=status
    )


@require_GET
def intervention_detail(request: HttpRequest, intervention_id: str) -> HttpResponse:
    intervention = access.get_for_view(request.user, Intervention, public_id=intervention_id)
    context = presenters.intervention_context(request.user, intervention)
    return render(request, "justice/intervention_detail.html", context)


@require_POST
def intervention_answer(request: HtmxHttpRequest, intervention_id: str) -> HttpResponse:
    intervention = access.get_for_edit(request.user, Intervention, public_id=intervention_id)
    form = AnswerForm(request.POST, instance=intervention)
    saved = False
    if form.is_valid():
        try:
            actions.record_answer(form.save(commit=False), request.user)
            saved = True
        except ValidationError as exc:
            _errors_into(form, exc)
    if saved and not request.htmx:
        messages.success(request, _("Suivi enregistré."))
        return redirect("justice:intervention_detail", intervention_id=intervention.public_id)
    if not saved:
        intervention.refresh_from_db()
    context = presenters.intervention_context(request.user, intervention, None if saved else form, saved)
    if request.htmx:
        return render(request, "justice/_answer.html", context)
    return render(request, "justice/intervention_detail.html", context, status=422)


# --- indicators ----------------------------------------------------------------------------------------------


@require_GET
def impunity(request: HttpRequest) -> HttpResponse:
    by = request.GET.get("by", BREAKDOWNS[0])
    by = by if by in BREAKDOWNS else BREAKDOWNS[0]
    return render(request, "justice/impunity.html", presenters.impunity_context(request.user, by))
