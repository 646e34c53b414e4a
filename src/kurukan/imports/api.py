"""Imports over the API: upload a file to a new job, follow its progress, read its quarantine.

The same rules as the pages (`access.can_import`, `access.get_import_job_for_user`); a quarantined row's
values are the row as written, names included, so only those who may import for the organisation read them.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import cast

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from kurukan.accounts import access
from kurukan.accounts.models import Confidentiality, Organisation, Role, User
from kurukan.api.errors import InvalidInput, field_error, responses

from . import actions, presenters, tasks
from .formats import registry
from .models import ImportJob
from .reading import FileRefused

router = Router(tags=["imports"])
# Optional in the schema so that access is checked before the body: a missing file is then our own 422.
OPTIONAL_FILE = File(None)


class ImportOut(Schema):
    id: int
    status: str
    progress: int
    stage: str
    interrupted: bool
    format: str
    filename: str
    organisation: str
    confidentiality: str
    rows_read: int
    created: int
    updated: int
    unchanged: int
    quarantined: int
    skipped: int
    skipped_reasons: dict[str, int]
    created_at: dt.datetime
    finished_at: dt.datetime | None


class QuarantinedOut(Schema):
    row: int
    field: str
    value: str
    message: str
    values: dict[str, str]
    candidates: list[dict[str, str]]


def _job_payload(job: ImportJob) -> dict:
    return {
        "id": job.pk,
        "status": "interrupted" if job.is_interrupted else job.status,
        "progress": job.progress,
        "stage": job.stage,
        "interrupted": job.is_interrupted,
        "format": job.format,
        "filename": job.filename,
        "organisation": job.organisation.code if job.organisation else "",
        "confidentiality": job.confidentiality,
        "rows_read": job.rows_read,
        **job.summary(),
        "skipped_reasons": job.skipped_reasons,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
    }


@router.post(
    "",
    response={202: ImportOut, **responses(401, 403, 422)},
    summary="Importer un fichier (tâche en arrière-plan)",
)
def import_create(
    request: HttpRequest,
    file: UploadedFile | None = OPTIONAL_FILE,
    format: Form[str] = "",
    organisation: Form[str] = "",
    confidentiality: Form[str] = Confidentiality.RESTRICTED,
) -> Status:
    user = cast(User, request.user)
    if not access.can_import(user):
        raise PermissionDenied
    errors = []
    if file is None:
        errors.append(field_error("file", _("Joignez le fichier à importer (champ « file », CSV ou XLSX).")))
    if format and format not in registry():
        errors.append(
            field_error(
                "format", _("Format inconnu : choisissez %(formats)s.") % {"formats": ", ".join(registry())}
            )
        )
    if confidentiality not in Confidentiality.values:
        errors.append(
            field_error(
                "confidentiality",
                _("Niveau inconnu : choisissez %(levels)s.") % {"levels": ", ".join(Confidentiality.values)},
            )
        )
    owner = user.organisation
    if user.role == Role.ADMINISTRATOR and organisation:
        owner = Organisation.objects.filter(code=organisation).first()
        if owner is None:
            errors.append(field_error("organisation", _("Aucune organisation n'a ce code.")))
    elif owner is None:
        errors.append(field_error("organisation", _("Donnez le code de l'organisation propriétaire.")))
    if errors or file is None or owner is None:
        raise InvalidInput(errors)
    try:
        job = actions.start_import(
            user=user,
            organisation=owner,
            path=actions.store_upload(file, file.name or "import"),
            filename=file.name or "import",
            format=format or None,
            confidentiality=confidentiality,
        )
    except FileRefused as refused:
        raise InvalidInput([field_error("file", str(refused))]) from None
    tasks.enqueue(job)
    return Status(202, _job_payload(job))


@router.get(
    "/{int:job_id}", response={200: ImportOut, **responses(401, 403, 404)}, summary="Progression d'un import"
)
def import_detail(request: HttpRequest, job_id: int) -> dict:
    return _job_payload(access.get_import_job_for_user(request.user, job_id))


@router.get(
    "/{int:job_id}/quarantine",
    response={200: list[QuarantinedOut], **responses(401, 403, 404)},
    summary="Lignes en quarantaine d'un import",
)
def import_quarantine(request: HttpRequest, job_id: int) -> list[dict]:
    job = access.get_import_job_for_user(request.user, job_id)
    rows = job.quarantine.filter(resolved_at__isnull=True).order_by("row_number")
    return [
        {
            "row": row.row_number,
            "field": row.field,
            "value": row.value,
            "message": presenters.message(row),
            "values": json.loads(row.values),
            "candidates": row.candidates,
        }
        for row in rows
    ]
