"""School pages: the register, a school's page with its timeline, the add and status-change forms (htmx, and
plain forms without JavaScript), and the public list of closed schools with its downloads."""

from __future__ import annotations

import csv
import datetime as dt
import io

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kurukan.accounts import access
from kurukan.http import HtmxHttpRequest
from kurukan.incidents.forms import DateInput
from kurukan.statistics import charts
from kurukan.statistics import schools as figures

from . import actions, intake, maps, presenters, queries
from .forms import RegisterFilterForm, SchoolForm, StatusChangeForm, StatusCorrectionForm, communes
from .models import StatusChange


@require_GET
def register(request: HtmxHttpRequest) -> HttpResponse:
    form = RegisterFilterForm(request.GET or None)
    filters = queries.RegisterFilters.from_form(form) if request.GET else queries.RegisterFilters()
    page = Paginator(queries.register(request.user, filters), settings.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "rows": presenters.register_rows(list(page.object_list)),
        "page": page,
        "query": query.urlencode(),
        "on": filters.on,
        "by_region": figures.closed_on(filters.on, "region", filters.schools),
        "can_record": access.can_record_schools(request.user),
        "communes": communes().values_list("name", "pcode"),
    }
    if request.htmx and request.htmx.target == "results":
        return render(request, "schools/_results.html", context)
    return render(request, "schools/register.html", context)


@require_http_methods(["GET", "POST"])
def school_create(request: HttpRequest) -> HttpResponse:
    if not access.can_record_schools(request.user):
        raise PermissionDenied
    form = SchoolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        school = actions.add_school(form.save(commit=False), request.user)
        messages.success(request, _("École %(code)s ajoutée au registre.") % {"code": school.code})
        return redirect("schools:detail", code=school.code)
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "communes": communes().values_list("name", "pcode")}
    return render(request, "schools/create.html", context, status=status)


@require_GET
def school_detail(request: HttpRequest, code: str) -> HttpResponse:
    school = access.get_school_for_view(request.user, code)
    context = presenters.school_context(request.user, school)
    context["status_form"] = StatusChangeForm(school=school)
    return render(request, "schools/detail.html", context)


@require_POST
def status_add(request: HtmxHttpRequest, code: str) -> HttpResponse:
    school = access.get_school_for_view(request.user, code)
    if not access.can_record_schools(request.user):
        raise PermissionDenied
    form = StatusChangeForm(request.POST, school=school)
    status = 422
    if form.is_valid():
        try:
            actions.record_status_change(form.save(commit=False), request.user)
            status = 200
        except ValidationError as exc:
            for field, problems in exc.message_dict.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
    if status == 200 and not request.htmx:
        messages.success(request, _("Changement d'état enregistré."))
        return redirect("schools:detail", code=school.code)
    context = presenters.school_context(request.user, school)
    context["status_form"] = form if status == 422 else StatusChangeForm(school=school)
    context["saved"] = status == 200
    if request.htmx:
        # htmx swaps only 2xx answers: the refused form comes back as 200 so that its message shows.
        return render(request, "schools/_history.html", context)
    return render(request, "schools/detail.html", context, status=status)


@require_http_methods(["GET", "POST"])
def status_edit(request: HttpRequest, code: str, change_id: int) -> HttpResponse:
    """Correct a wrong entry of the history: the previous version is kept with the reason, audit-logged; a
    correction that would make the history contradict itself is refused, naming the entry."""
    school = access.get_school_for_view(request.user, code)
    change = school.status_changes.filter(pk=change_id).first()
    if change is None:
        raise Http404
    if not actions.may_correct(request.user, change):
        raise PermissionDenied
    form = StatusCorrectionForm(request.POST or None, instance=change, school=school)
    if request.method == "POST" and form.is_valid():
        try:
            actions.correct_status_change(
                form.save(commit=False), request.user, form.cleaned_data["correction_reason"]
            )
        except ValidationError as exc:
            for field, problems in exc.message_dict.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            messages.success(
                request,
                _("Entrée n° %(id)s corrigée ; sa version précédente est gardée.") % {"id": change.pk},
            )
            return redirect("schools:detail", code=school.code)
    status = 422 if form.errors else 200
    context = {"school": school, "change": StatusChange.objects.get(pk=change.pk), "form": form}
    return render(request, "schools/status_edit.html", context, status=status)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Liste d'écoles (CSV ou XLSX)"),
        help_text=gettext_lazy(
            "Une ligne par école avec son état et sa date : partez du modèle à télécharger."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(
                gettext_lazy("Envoyez un fichier .csv ou .xlsx (le modèle est un CSV).")
            )
        return upload


@require_http_methods(["GET", "POST"])
def school_import(request: HttpRequest) -> HttpResponse:
    """The list becomes an import job of the intake machinery, run at once (a cluster list is a few thousand
    rows at most); its page shows the counts and the quarantine, where each rejected row is corrected."""
    if not access.can_record_schools(request.user):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        from kurukan.imports.actions import store_upload
        from kurukan.imports.reading import FileRefused

        upload = form.cleaned_data["file"]
        try:
            stored = store_upload(upload, upload.name)
            organisation = getattr(request.user, "organisation", None)
            job = intake.start_job(stored, upload.name, organisation, request.user)
        except FileRefused as refused:
            form.add_error("file", str(refused))
        else:
            from kurukan.imports import registers

            registers.run(job)
            return redirect("imports:detail", job_id=job.pk)
    status = 422 if form.errors else 200
    jobs = access.visible_import_jobs(request.user).filter(format=intake.NAME)[:10]
    return render(request, "schools/import.html", {"form": form, "jobs": jobs}, status=status)


@login_not_required
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(intake.TEMPLATE.read_bytes(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="schools_template.csv"'
    return response


# --- The public list ----------------------------------------------------------------------------------------


class PublicForm(forms.Form):
    on = forms.DateField(label=gettext_lazy("Écoles fermées le"), required=False, widget=DateInput())

    def clean_on(self) -> dt.date:
        day = self.cleaned_data.get("on") or timezone.localdate()
        if day > timezone.localdate():
            raise forms.ValidationError(
                gettext_lazy("Cette date est dans le futur : choisissez une date passée.")
            )
        return day


def _public_day(request: HttpRequest) -> tuple[PublicForm, dt.date]:
    form = PublicForm(request.GET or None)
    day = form.cleaned_data["on"] if form.is_valid() else timezone.localdate()
    return form, day


def _public_charts(months: list[dict]) -> list[dict]:
    """The monthly series as the statistics app draws its charts; a point opens the list at that month's end."""
    categories = [m["month"] for m in months]
    hrefs = [f"?on={m['on']:%Y-%m-%d}" for m in months]
    closed = charts.Series(_("Écoles fermées"), [m["value"] for m in months], hrefs=hrefs)
    moves = [
        charts.Series(_("Fermetures"), [m["closings"] for m in months], hrefs=hrefs),
        charts.Series(_("Réouvertures"), [m["openings"] for m in months], hrefs=hrefs),
    ]
    return [
        charts.line_chart(
            categories, [closed], _("Écoles fermées à la fin de chaque mois"), "schools-closed"
        ),
        charts.stacked_chart(categories, moves, _("Fermetures et réouvertures par mois"), "schools-moves"),
    ]


@login_not_required
@require_GET
def public(request: HttpRequest) -> HttpResponse:
    form, day = _public_day(request)
    rows = presenters.public_rows(day)
    year_ago = dt.date(day.year - 1, day.month, 1)
    months = [
        {**month, **movement}
        for month, movement in zip(
            figures.monthly_closed(year_ago, day), figures.openings_and_closings(year_ago, day), strict=True
        )
    ]
    context = {
        "form": form,
        "on": day,
        "rows": rows,
        "months": months,
        "charts": _public_charts(months),
        "by_region": figures.closed_on(day, "region"),
        "by_cercle": figures.closed_on(day, "cercle"),
        "map": maps.map_context(rows),
    }
    status = 422 if form.is_bound and not form.is_valid() else 200
    return render(request, "schools/public.html", context, status=status)


@login_not_required
@require_GET
def public_download(request: HttpRequest, fmt: str) -> HttpResponse:
    form, day = _public_day(request)
    if not form.is_valid() and form.is_bound:
        return render(request, "schools/public.html", {"form": form, "on": day, "rows": []}, status=422)
    rows = presenters.public_rows(day)
    header = [str(label) for _key, label in presenters.PUBLIC_COLUMNS]
    values = [[row[key] for key, _label in presenters.PUBLIC_COLUMNS] for row in rows]
    name = f"ecoles-fermees-{day:%Y-%m-%d}"
    if fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet(_("Écoles fermées"))
        sheet.append(header)
        for line in values:
            sheet.append(line)
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(header)
    writer.writerows([[v.isoformat() if isinstance(v, dt.date) else v for v in line] for line in values])
    # A byte-order mark so that spreadsheet programs read the accents as UTF-8.
    response = HttpResponse("\ufeff" + text.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response
