"""Upload a file, watch its import, correct its quarantine (htmx, and plain forms without JavaScript)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.middleware import HtmxDetails

from kurukan.accounts.access import can_import, get_import_job_for_user, visible_import_jobs

from . import actions, presenters, tasks
from .formats import PICKED
from .forms import CorrectionForm, UploadForm
from .models import ImportJob
from .reading import FileRefused
from .records import Record
from .template_file import template_csv, template_xlsx

RECENT = 20


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def _require_importer(user) -> None:
    if not can_import(user):
        raise PermissionDenied


@require_http_methods(["GET", "POST"])
def index(request: HttpRequest) -> HttpResponse:
    _require_importer(request.user)
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = actions.start_import(
                user=request.user,
                organisation=form.owner(),
                path=actions.store_upload(upload, upload.name),
                filename=upload.name,
                format=form.cleaned_data["format"] or None,
                confidentiality=form.cleaned_data["confidentiality"],
            )
        except FileRefused as refused:
            form.add_error("file", str(refused))
        else:
            tasks.enqueue(job)  # start_import has committed: a worker can read the job
            return redirect("imports:detail", job_id=job.pk)
    jobs = list(visible_import_jobs(request.user).select_related("organisation")[:RECENT])
    status = 422 if request.method == "POST" else 200
    return render(request, "imports/index.html", {"form": form, "jobs": jobs}, status=status)


def _detail_context(request: HttpRequest, job: ImportJob) -> dict:
    return {
        "job": job,
        "summary": presenters.summary(job),
        "quarantine": presenters.quarantine(job),
        "more_rejected": job.quarantine.filter(resolved_at__isnull=True).count() > presenters.SHOWN,
        "poll_url": reverse("imports:progress", args=[job.pk]),
        "resume_url": reverse("imports:resume", args=[job.pk]),
    }


@require_GET
def detail(request: HttpRequest, job_id: int) -> HttpResponse:
    job = get_import_job_for_user(request.user, job_id)
    return render(request, "imports/detail.html", _detail_context(request, job))


@require_GET
def progress(request: HttpRequest, job_id: int) -> HttpResponse:
    """The progress panel, polled every 2 s while the job runs; reloads the page when it ends."""
    job = get_import_job_for_user(request.user, job_id)
    response = render(request, "imports/_status.html", _detail_context(request, job))
    if not job.is_active:
        response["HX-Refresh"] = "true"
    return response


@require_POST
def resume(request: HttpRequest, job_id: int) -> HttpResponse:
    job = get_import_job_for_user(request.user, job_id)
    if not job.is_interrupted:
        messages.error(request, _("Cet import n'est pas interrompu : il n'y a rien à reprendre."))
    else:
        tasks.resume(job)
        messages.success(request, _("Import repris : il continue après la dernière série enregistrée."))
    return redirect("imports:detail", job_id=job.pk)


@require_POST
def correct(request: HtmxHttpRequest, job_id: int, row_id: int) -> HttpResponse:
    job = get_import_job_for_user(request.user, job_id)
    row = job.quarantine.filter(pk=row_id, resolved_at__isnull=True).first()
    if row is None:
        raise Http404
    form = CorrectionForm(request.POST)
    form.is_valid()
    pcode = form.cleaned_data.get("pcode", "")
    corrections = {PICKED: pcode} if pcode else {row.field: form.cleaned_data.get("value", "")}
    result = actions.correct_row(row, corrections, request.user)
    went_in = isinstance(result, Record) or result.resolved_at is not None
    if request.htmx:
        context = {"item": presenters.quarantine_item(row), "job": job, "went_in": went_in}
        return render(request, "imports/_quarantine_row.html", context, status=200 if went_in else 422)
    if went_in:
        messages.success(
            request, _("Ligne %(row)s corrigée : elle est enregistrée.") % {"row": row.row_number}
        )
    else:
        messages.error(request, presenters.message(row))
    return redirect("imports:detail", job_id=job.pk)


@require_GET
def rejected(request: HttpRequest, job_id: int) -> StreamingHttpResponse:
    job = get_import_job_for_user(request.user, job_id)
    response = StreamingHttpResponse(presenters.rejected_csv(job), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="kurukan-import-{job.pk}-rejets.csv"'
    return response


@require_GET
def template_file(request: HttpRequest, extension: str) -> HttpResponse:
    _require_importer(request.user)
    if extension == "csv":
        response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
    elif extension == "xlsx":
        response = HttpResponse(
            template_xlsx(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="kurukan-modele-import.{extension}"'
    return response


# --- KoboToolbox / ODK Central connections -------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def connections(request: HttpRequest) -> HttpResponse:
    """The organisation's saved form-server connections, and the form to add one."""
    from kurukan.accounts.access import visible_server_connections
    from kurukan.audit import log as audit
    from kurukan.audit.models import Action

    from .forms import ConnectionForm

    _require_importer(request.user)
    form = ConnectionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        audit.record(Action.IMPORT, user=request.user, obj=saved, event="connection_added", kind=saved.kind)
        messages.success(request, _("Connexion enregistrée. Testez-la, puis relevez les soumissions."))
        return redirect("imports:connection", connection_id=saved.pk)
    listed = visible_server_connections(request.user).select_related("organisation", "last_job")
    status = 422 if request.method == "POST" else 200
    return render(request, "imports/connections.html", {"form": form, "connections": listed}, status=status)


@require_GET
def connection(request: HttpRequest, connection_id: int) -> HttpResponse:
    from kurukan.accounts.access import get_server_connection_for_user

    found = get_server_connection_for_user(request.user, connection_id)
    return render(request, "imports/connection.html", {"connection": found})


@require_POST
def connection_test(request: HttpRequest, connection_id: int) -> HttpResponse:
    """Ask the server for one submission: says how many it holds, or what to fix."""
    from kurukan.accounts.access import get_server_connection_for_user

    from . import pull

    found = get_server_connection_for_user(request.user, connection_id)
    try:
        count = pull.test(found)
    except FileRefused as problem:
        messages.error(request, str(problem) if _french() else problem.message_en)
    else:
        messages.success(
            request, _("Connexion réussie : %(count)s soumissions sur le serveur.") % {"count": count}
        )
    return redirect("imports:connection", connection_id=found.pk)


@require_POST
def connection_pull(request: HttpRequest, connection_id: int) -> HttpResponse:
    """Queue a pull now (the worker fetches the new submissions and imports them like a file)."""
    from kurukan.accounts.access import get_server_connection_for_user

    found = get_server_connection_for_user(request.user, connection_id)
    tasks.pull_server.enqueue(found.pk, request.user.pk)
    messages.success(
        request,
        _("Relevé demandé : les nouvelles soumissions seront importées en arrière-plan (kurukan db_worker)."),
    )
    return redirect("imports:connection", connection_id=found.pk)


def _french() -> bool:
    from django.utils.translation import get_language

    return not (get_language() or "fr").startswith("en")
