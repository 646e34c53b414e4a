"""Choose a report and its parameters, follow its job, download it, see earlier runs and whether their data
changed since (htmx polling, and plain forms without JavaScript)."""

from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kurukan.accounts import access

from . import actions, content, tasks
from .forms import ReportForm
from .models import FileFormat, Report

CONTENT_TYPES: dict[str, str] = {
    FileFormat.PDF: "application/pdf",
    FileFormat.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    FileFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@require_http_methods(["GET", "POST"])
def index(request: HttpRequest) -> HttpResponse:
    if not access.can_request_reports(request.user):
        raise PermissionDenied
    form = ReportForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        report = actions.start_report(
            user=request.user,
            kind=data["kind"],
            date_from=data["date_from"],
            date_to=data["date_to"],
            file_format=data["file_format"],
            language=data["language"],
            verified=data["verified"],
            regions=data["regions"],
            organisations=data.get("organisations") or (),
        )
        tasks.enqueue(report)  # start_report has committed: a worker can read the report
        return redirect("reports:detail", report_id=report.pk)
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "reports": access.visible_reports(request.user)}
    return render(request, "reports/index.html", context, status=status)


def _readable(request: HttpRequest, report_id: int) -> Report:
    """The report, or the login page for a visitor who might be allowed once signed in, or 404."""
    try:
        return access.get_report_for_user(request.user, report_id)
    except Http404:
        if not request.user.is_authenticated:
            raise _LoginFirst from None
        raise


class _LoginFirst(Exception):
    pass


def _guarded(view):
    """Open to visitors (a published bulletin is public); anything else sends them to the login page."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except _LoginFirst:
            return redirect_to_login(request.get_full_path())

    return login_not_required(wrapped)


def _context(request: HttpRequest, report: Report, *, check_data: bool = False) -> dict:
    changed = None
    if check_data and report.status == "done" and request.user.is_authenticated:
        changed = actions.data_changed(report)
    params = actions.parameters_of(report)
    return {
        "report": report,
        "where": content.where(params) if params.regions else "",
        "organisations": [str(o) for o in params.organisations],
        "poll_url": reverse("reports:progress", args=[report.pk]),
        "changed": changed,
        "may_publish": access.may_publish_report(request.user, report) and not report.published,
        "may_regenerate": access.can_request_reports(request.user),
    }


@_guarded
@require_GET
def detail(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _readable(request, report_id)
    return render(request, "reports/detail.html", _context(request, report, check_data=True))


@require_GET
def progress(request: HttpRequest, report_id: int) -> HttpResponse:
    """The progress panel, polled every 2 s while the job runs; reloads the page when it ends."""
    report = access.get_report_for_user(request.user, report_id)
    response = render(request, "reports/_status.html", _context(request, report))
    if not report.is_active:
        response["HX-Refresh"] = "true"
    return response


@_guarded
@require_GET
def download(request: HttpRequest, report_id: int) -> FileResponse:
    report = _readable(request, report_id)
    if report.status != "done" or not report.path:
        raise Http404
    try:
        handle = open(report.path, "rb")  # noqa: SIM115 — FileResponse closes it
    except FileNotFoundError:
        raise Http404 from None
    actions.record_download(report, request.user)
    return FileResponse(
        handle, as_attachment=True, filename=report.filename, content_type=CONTENT_TYPES[report.file_format]
    )


@require_POST
def regenerate(request: HttpRequest, report_id: int) -> HttpResponse:
    report = access.get_report_for_user(request.user, report_id)
    if not access.can_request_reports(request.user):
        raise PermissionDenied
    again = actions.regenerate(report, request.user)
    tasks.enqueue(again)
    messages.success(request, _("Rapport demandé de nouveau avec les mêmes paramètres."))
    return redirect("reports:detail", report_id=again.pk)


@require_POST
def publish(request: HttpRequest, report_id: int) -> HttpResponse:
    report = access.get_report_for_user(request.user, report_id)
    if not access.may_publish_report(request.user, report):
        raise PermissionDenied
    try:
        actions.publish(report, request.user, request.POST.get("override_reason", ""))
    except ValidationError as exc:  # a name or a number in the bulletin's text: where, and the fix
        for message in exc.messages:
            messages.error(request, message)
        return redirect("reports:detail", report_id=report.pk)
    messages.success(request, _("Bulletin publié : toute personne qui a le lien peut le lire."))
    return redirect("reports:detail", report_id=report.pk)
