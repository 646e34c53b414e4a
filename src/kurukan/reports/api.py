"""Reports over the API: ask for one (a background job), follow it, download its file; the pages' rules
(`access.can_request_reports`, `access.get_report_for_user`), the same audit events."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from kurukan.accounts import access
from kurukan.api.errors import InvalidInput, field_error, form_errors, responses

from . import actions, tasks
from .forms import ReportForm
from .models import Report
from .views import CONTENT_TYPES

router = Router(tags=["reports"])


class ReportIn(Schema):
    kind: str
    date_from: dt.date
    date_to: dt.date
    language: str = "fr"
    file_format: str = "pdf"
    verified: bool = False
    regions: list[str] = []  # P-codes; none: all of Mali
    organisations: list[str] = []  # codes, administrators only; none: every organisation
    region: str = ""  # one region, as before `regions`
    organisation: str = ""  # one organisation, as before `organisations`


class ReportOut(Schema):
    id: int
    kind: str
    status: str
    progress: int
    stage: str
    parameters: dict
    fingerprint: str
    sha256: str
    size: int
    published: bool
    data_changed: bool | None
    created_at: dt.datetime
    finished_at: dt.datetime | None


def _payload(report: Report, check_data: bool = False) -> dict:
    return {
        "id": report.pk,
        "kind": report.kind,
        "status": "interrupted" if report.is_interrupted else report.status,
        "progress": report.progress,
        "stage": report.stage,
        "parameters": report.parameters(),
        "fingerprint": report.fingerprint,
        "sha256": report.sha256,
        "size": report.size,
        "published": report.published,
        "data_changed": actions.data_changed(report) if check_data and report.status == "done" else None,
        "created_at": report.created_at,
        "finished_at": report.finished_at,
    }


@router.post("", response={202: ReportOut, **responses(401, 403, 422)}, summary="Demander un rapport")
def report_create(request: HttpRequest, payload: ReportIn) -> Status:
    if not access.can_request_reports(request.user):
        raise PermissionDenied
    data = payload.dict()
    # The single `region` and `organisation` of the API's first version join the lists.
    for single, several in (("region", "regions"), ("organisation", "organisations")):
        if value := data.pop(single):
            data[several] = [*data[several], value]
    if data["organisations"] and "organisations" not in ReportForm(user=request.user).fields:
        # Choosing organisations is an administrator's: said, not silently ignored.
        message = _("Seul un administrateur choisit les organisations : retirez le champ organisations.")
        raise InvalidInput([field_error("organisations", message)])
    form = ReportForm(data, user=request.user)
    if not form.is_valid():
        raise InvalidInput(form_errors(form))
    clean = form.cleaned_data
    report = actions.start_report(
        user=request.user,
        kind=clean["kind"],
        date_from=clean["date_from"],
        date_to=clean["date_to"],
        file_format=clean["file_format"],
        language=clean["language"],
        verified=clean["verified"],
        regions=clean["regions"],
        organisations=clean.get("organisations") or (),
    )
    tasks.enqueue(report)
    return Status(202, _payload(report))


@router.get("", response={200: list[ReportOut], **responses(401)}, summary="Rapports que je peux lire")
def report_list(request: HttpRequest) -> list[dict]:
    return [_payload(r) for r in access.visible_reports(request.user)]


@router.get(
    "/{int:report_id}",
    response={200: ReportOut, **responses(401, 404)},
    summary="Un rapport : progression, empreinte, données changées depuis",
)
def report_detail(request: HttpRequest, report_id: int) -> dict:
    return _payload(access.get_report_for_user(request.user, report_id), check_data=True)


@router.get(
    "/{int:report_id}/file", response={200: None, **responses(401, 404)}, summary="Télécharger le fichier"
)
def report_file(request: HttpRequest, report_id: int) -> FileResponse:
    report = access.get_report_for_user(request.user, report_id)
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


class PublishIn(Schema):
    override_reason: str = Field(
        "",
        max_length=500,
        description="Coordinateur : motif pour publier malgré une alerte de nom ou de numéro (journal d'audit).",
    )


@router.post(
    "/{int:report_id}/publish",
    response={200: ReportOut, **responses(401, 403, 404, 422)},
    summary="Publier un bulletin (refusé, avec l'endroit, s'il cite un nom ou un numéro)",
)
def report_publish(request: HttpRequest, report_id: int, payload: PublishIn) -> dict:
    report = access.get_report_for_user(request.user, report_id)
    if not access.may_publish_report(request.user, report):
        raise PermissionDenied
    try:
        actions.publish(report, request.user, payload.override_reason)
    except ValidationError as exc:  # a name or a number in the bulletin's text: where, and the fix
        raise InvalidInput([field_error("override_reason", message) for message in exc.messages]) from exc
    return _payload(report)
