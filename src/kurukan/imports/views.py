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
            path = actions.store_upload(upload, upload.name)
            saved = None
            if not form.cleaned_data["format"]:
                saved, unknown = _layout(path, form.owner())
                if unknown:  # no format knows these columns, and none of the organisation's mappings
                    request.session[PENDING] = {
                        "path": str(path),
                        "filename": upload.name,
                        "organisation": form.owner().pk,
                        "confidentiality": form.cleaned_data["confidentiality"],
                    }
                    return redirect("imports:mapping")
            job = actions.start_import(
                user=request.user,
                organisation=form.owner(),
                path=path,
                filename=upload.name,
                format=form.cleaned_data["format"] or None,
                confidentiality=form.cleaned_data["confidentiality"],
                mapping=saved,
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


# --- Column mappings saved per form ---------------------------------------------------------------------
PENDING = "imports_pending_upload"


def _layout(path, organisation):
    """(the organisation's saved mapping for this file's columns, whether the columns are unknown).

    Known formats are detected as before; a readable table that no format knows is either read through a
    saved mapping or sent to the mapping page. Unreadable files keep their own error."""
    from . import formats
    from . import mapping as mappings

    try:
        formats.detect(path)
    except FileRefused:
        try:
            header = mappings.header_of(path)
        except FileRefused:
            raise
        except Exception:  # noqa: BLE001 - not a table at all: the detection's message says why
            header = []
        if len(header) < 2:
            raise
        saved = mappings.saved_for(organisation, header)
        return saved, saved is None
    return None, False


@require_http_methods(["GET", "POST"])
def mapping(request: HttpRequest) -> HttpResponse:
    """Map a partner's columns to the template's, once: saved for the organisation, then the import starts."""
    from pathlib import Path

    from kurukan.accounts.models import Organisation
    from kurukan.audit import log as audit
    from kurukan.audit.models import Action

    from . import mapping as mappings

    _require_importer(request.user)
    pending = request.session.get(PENDING)
    path = Path(pending["path"]) if pending else None
    if pending is None or path is None or not path.exists():
        messages.error(request, _("Aucun fichier en attente de correspondance : importez-le de nouveau."))
        return redirect("imports:index")
    organisation = Organisation.objects.get(pk=pending["organisation"])
    header = mappings.header_of(path)
    choices = [("", _("— ne pas importer —"))] + [(t, t) for t in mappings.TARGETS]
    errors: list[str] = []
    chosen = {f"col_{i}": request.POST.get(f"col_{i}", "") for i in range(len(header))}
    name = request.POST.get("name", "").strip() or Path(pending["filename"]).stem
    if request.method == "POST":
        targets = [t for t in chosen.values() if t]
        if any(t not in mappings.TARGETS for t in targets):
            errors.append(_("Choisissez pour chaque colonne une colonne du modèle, ou « ne pas importer »."))
        missing = sorted(mappings.REQUIRED - set(targets))
        if missing:
            errors.append(
                _("Faites correspondre une colonne à chacune des colonnes obligatoires : %(columns)s.")
                % {"columns": ", ".join(missing)}
            )
        twice = sorted({t for t in targets if targets.count(t) > 1})
        if twice:
            errors.append(
                _("Une colonne du modèle ne peut recevoir qu'une colonne du fichier : %(columns)s.")
                % {"columns": ", ".join(twice)}
            )
        if not errors:
            columns = {h: chosen[f"col_{i}"] for i, h in enumerate(header)}
            saved = mappings.save(organisation, header, columns, name, request.user)
            audit.record(Action.IMPORT, user=request.user, obj=saved, event="column_mapping_saved")
            del request.session[PENDING]
            job = actions.start_import(
                user=request.user,
                organisation=organisation,
                path=path,
                filename=pending["filename"],
                confidentiality=pending["confidentiality"],
                mapping=saved,
            )
            tasks.enqueue(job)
            return redirect("imports:detail", job_id=job.pk)
    rows = [
        {"field": f"col_{i}", "column": h, "chosen": chosen[f"col_{i}"] or _guess(h, mappings.TARGETS)}
        for i, h in enumerate(header)
    ]
    context = {
        "rows": rows,
        "choices": choices,
        "errors": errors,
        "name": name,
        "filename": pending["filename"],
    }
    return render(request, "imports/mapping.html", context, status=422 if errors else 200)


def _guess(column: str, targets: list[str]) -> str:
    """A template column whose name is the file's (folded, spaces as underscores); else nothing."""
    from kurukan.text import fold

    name = fold(column).replace(" ", "_")
    return name if name in targets else ""


@require_POST
def mapping_forget(request: HttpRequest, mapping_id: int) -> HttpResponse:
    """Forget a saved mapping: the next file with those columns asks for its mapping again."""
    from kurukan.accounts.access import visible_column_mappings
    from kurukan.audit import log as audit
    from kurukan.audit.models import Action

    _require_importer(request.user)
    found = visible_column_mappings(request.user).filter(pk=mapping_id).first()
    if found is None:
        raise Http404
    audit.record(Action.IMPORT, user=request.user, obj=found, event="column_mapping_forgotten")
    found.delete()
    messages.success(
        request,
        _(
            "Correspondance oubliée : le prochain fichier avec ces colonnes demandera une nouvelle correspondance."
        ),
    )
    return redirect("imports:index")
