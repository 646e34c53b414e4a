"""Claim pages: the list, registering a claim (find the victim, then the form), a claim's page with its
decision and payment forms (htmx, and plain forms without JavaScript), and the figures."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kurukan.accounts import access
from kurukan.http import HtmxHttpRequest
from kurukan.incidents.merges import root_of
from kurukan.people.models import Person
from kurukan.statistics import charts
from kurukan.statistics.labels import labels_for
from kurukan.statistics.reparations import claim_table_for

from . import actions, presenters, queries
from .forms import ClaimEditForm, ClaimForm, FilterForm, PaymentForm, PersonSearchForm, StatusForm
from .models import Claim


def _require_handler(user) -> None:
    if not access.may_handle_claims(user):
        raise PermissionDenied


@require_GET
def claim_list(request: HttpRequest) -> HttpResponse:
    _require_handler(request.user)
    form = FilterForm(request.GET or None)
    filters = queries.ClaimFilters()
    if form.is_valid():
        filters = queries.ClaimFilters(
            status=form.cleaned_data["status"],
            region=form.cleaned_data["region"],
            reference=form.cleaned_data["reference"],
        )
    page = Paginator(queries.claims(request.user, filters), settings.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "rows": [presenters.claim_row(c) for c in page.object_list],
        "page": page,
        "query": query.urlencode(),
    }
    return render(
        request,
        "reparations/list.html",
        context,
        status=422 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def claim_create(request: HttpRequest) -> HttpResponse:
    """Step 1 (no `person`): find the victim by name. Step 2: the claim form for that person's record."""
    _require_handler(request.user)
    public_id = request.GET.get("person") or request.POST.get("person")
    if not public_id:
        search = PersonSearchForm(request.GET if "name" in request.GET else None)
        people = (
            queries.people_named(request.user, search.cleaned_data["name"]) if search.is_valid() else None
        )
        status = 422 if request.method == "POST" or search.errors else 200
        context: dict[str, object] = {
            "search": search,
            "people": _people_rows(request.user, people) if people is not None else None,
        }
        return render(request, "reparations/find_person.html", context, status=status)
    person = access.get_person_for_claim(request.user, public_id)
    violations = queries.violations_of(request.user, person)
    form = ClaimForm(request.POST or None, violations=violations)
    if request.method == "POST" and form.is_valid():
        claim = form.save(commit=False)
        claim.person = person
        try:
            claim = actions.register_claim(claim, list(form.cleaned_data["violations"]), request.user)
        except ValidationError as exc:
            for field, problems in exc.message_dict.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            messages.success(
                request, _("Demande %(reference)s enregistrée.") % {"reference": claim.reference}
            )
            return redirect("reparations:detail", reference=claim.reference)
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "person": person, "root": _root_public_id(person)}
    return render(request, "reparations/create.html", context, status=status)


def _root_public_id(person: Person) -> str:
    root = root_of(Person, person.pk)
    return "" if root == person.pk else Person.objects.get(pk=root).public_id


def _people_rows(user, people: list[Person]) -> list[dict]:
    """Each record found, with the violations of it the user may cite (never one of a hidden record)."""
    citable = access.claimable_violations(user)
    return [
        {
            "public_id": p.public_id,
            "name": p.full_name,
            "sex": p.get_sex_display(),
            "merged_into": _root_public_id(p),
            "violations": [
                f"{v.incident.public_id} · {v.type.label}"
                for v in citable.filter(victims__person=p).select_related("incident", "type")
            ],
        }
        for p in people
    ]


def _detail_context(request: HttpRequest, claim, status_form=None, payment_form=None) -> dict:
    context = presenters.claim_context(claim)
    context["can_decide"] = access.can_decide_claim(request.user, claim)
    context["status_form"] = status_form or StatusForm()
    context["payment_form"] = payment_form or PaymentForm()
    return context


@require_GET
def claim_detail(request: HttpRequest, reference: str) -> HttpResponse:
    claim = access.get_claim_for_view(request.user, reference)
    return render(request, "reparations/detail.html", _detail_context(request, claim))


def _answer(request: HtmxHttpRequest, claim, saved: bool, message: str, **forms) -> HttpResponse:
    if saved and not request.htmx:
        messages.success(request, message)
        return redirect("reparations:detail", reference=claim.reference)
    claim.refresh_from_db()
    context = _detail_context(request, claim, **forms)
    context["saved"] = message if saved else ""
    if request.htmx:
        # htmx swaps only 2xx answers: a refused form comes back as 200 so that its message shows.
        return render(request, "reparations/_decision.html", context)
    return render(request, "reparations/detail.html", context, status=422)


@require_POST
def claim_status(request: HtmxHttpRequest, reference: str) -> HttpResponse:
    claim = access.get_claim_for_decision(request.user, reference)
    form = StatusForm(request.POST)
    saved = False
    if form.is_valid():
        try:
            actions.change_status(claim, request.user, **form.cleaned_data)
            saved = True
        except ValidationError as exc:
            for field, problems in exc.message_dict.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
    return _answer(request, claim, saved, _("Statut enregistré."), status_form=None if saved else form)


@require_POST
def claim_payment(request: HtmxHttpRequest, reference: str) -> HttpResponse:
    claim = access.get_claim_for_decision(request.user, reference)
    form = PaymentForm(request.POST)
    saved = False
    if form.is_valid():
        try:
            actions.record_payment(claim, request.user, form.save(commit=False))
            saved = True
        except ValidationError as exc:
            for field, problems in exc.message_dict.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
    return _answer(request, claim, saved, _("Paiement enregistré."), payment_form=None if saved else form)


@require_http_methods(["GET", "POST"])
def claim_edit(request: HttpRequest, reference: str) -> HttpResponse:
    """Correct the details of a claim (and its decision, for those who decide); the history keeps the old."""
    claim = access.get_claim_for_view(request.user, reference)
    decides = access.can_decide_claim(request.user, claim)
    form = ClaimEditForm(request.POST or None, instance=Claim.objects.get(pk=claim.pk), decides=decides)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_claim(claim, request.user, {name: form.cleaned_data[name] for name in form.fields})
        except ValidationError as exc:
            for field, problems in exc.message_dict.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            messages.success(request, _("Demande %(reference)s corrigée.") % {"reference": claim.reference})
            return redirect("reparations:detail", reference=claim.reference)
    status = 422 if request.method == "POST" else 200
    return render(request, "reparations/edit.html", {"form": form, "claim": claim}, status=status)


BREAKDOWNS = ("region", "violation_type", "sex")


@require_GET
def figures(request: HttpRequest) -> HttpResponse:
    if not access.may_read_claim_figures(request.user):
        raise PermissionDenied
    by = request.GET.get("by", "region")
    if by not in BREAKDOWNS:
        by = "region"
    table = claim_table_for(request.user, [by])
    names = labels_for(by, {row[by] for row in table.rows})
    rows = [{**row, "label": names.get(row[by], row[by]) or _("inconnu")} for row in table.rows]
    # Three layers that add up to the victims registered: paid, eligible not (yet) paid, the rest.
    chart = charts.stacked_chart(
        [str(row["label"]) for row in rows],
        [
            charts.Series(_("payées"), [row["paid"] for row in rows]),
            charts.Series(_("éligibles, non payées"), [row["eligible"] - row["paid"] for row in rows]),
            charts.Series(_("autres demandes"), [row["registered"] - row["eligible"] for row in rows]),
        ],
        _("Victimes enregistrées, éligibles et payées"),
        "claims-chart",
    )
    context = {"by": by, "breakdowns": BREAKDOWNS, "rows": rows, "total": table.total, "chart": chart}
    return render(request, "reparations/figures.html", context)
