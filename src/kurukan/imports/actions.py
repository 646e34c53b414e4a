"""Starting an import, resuming one, and taking a corrected quarantined row in."""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from kurukan.accounts.models import Confidentiality, Organisation
from kurukan.audit import log as audit
from kurukan.audit.models import Action

from . import formats
from .formats import Context, RowError, Skip
from .models import ImportJob, QuarantinedRow
from .places import Places
from .reading import refused
from .records import Record

CHUNK = 1 << 20


def upload_dir() -> Path:
    path = Path(settings.DATA_DIR) / "imports"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


class Readable(Protocol):
    def read(self, size: int = ..., /) -> bytes: ...


def store_upload(source: Readable, filename: str) -> Path:
    """Copy the upload to the data directory in chunks (never whole in memory), readable by the owner only."""
    suffix = Path(filename).suffix.lower()[:8]
    target = upload_dir() / f"{uuid.uuid4().hex}{suffix}"
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    written = 0
    with os.fdopen(fd, "wb") as out:
        while chunk := source.read(CHUNK):
            written += len(chunk)
            if written > settings.IMPORT_MAX_BYTES:
                out.close()
                target.unlink()
                raise refused(
                    "Le fichier dépasse la taille maximale d'un import (%(max)s Mo) : découpez-le en plusieurs "
                    "fichiers.",
                    max=settings.IMPORT_MAX_BYTES >> 20,
                )
            out.write(chunk)
    return target


def start_import(
    *,
    user,
    organisation: Organisation,
    path: Path,
    filename: str,
    format: str | None = None,
    confidentiality: str = Confidentiality.RESTRICTED,
    mapping=None,
) -> ImportJob:
    """Check the file's format (detected when not given) and record the job; the caller runs or enqueues it.

    A file of another format than announced, or of no known format, is refused here, before any job."""
    try:
        if mapping is not None:  # a saved mapping to the template's columns: checked row by row
            format = "template"
        elif format:
            formats.check(formats.registry()[format], path)
        else:
            format = formats.detect(path).NAME
    except Exception:
        path.unlink(missing_ok=True)
        raise
    with transaction.atomic():
        job = ImportJob.objects.create(
            requested_by=user if getattr(user, "is_authenticated", False) else None,
            organisation=organisation,
            confidentiality=confidentiality,
            format=format,
            filename=Path(filename).name[:255],
            path=str(path),
            mapping=mapping,
        )
        audit.record(Action.IMPORT, user=user, obj=job, event="import_requested", format=format)
    return job


def copy_file(source: Path) -> Path:
    """The command line's file, copied like an upload so the job owns (and later removes) its copy."""
    with source.open("rb") as handle:
        return store_upload(handle, source.name)


@transaction.atomic
def correct_row(row: QuarantinedRow, corrections: dict[str, str], user) -> Record | QuarantinedRow:
    """Apply the user's corrections to a quarantined row and try it again.

    In: the row is written (created or, if its id is known, counted as updated) and leaves the quarantine;
    the job's counters move from quarantined to created. Still wrong: the row stays, with the new error."""
    job = row.job
    from . import registers

    if registers.is_register(job):  # a schools list or a recommendations table: the register's own rules
        return registers.correct_row(row, corrections, user)
    values = json.loads(row.values)
    values.update(_coordinates(row.field, values, corrections))
    module = formats.registry()[job.format]
    context = Context(
        organisation=job.organisation.code if job.organisation else "",
        confidentiality=job.confidentiality,
        places=Places(),
    )
    try:
        item = formats.map_checked(module, values, context)
    except RowError as error:
        row.values = json.dumps(values, ensure_ascii=False)
        row.field, row.value, row.candidates = error.field[:100], error.value, error.candidates
        row.message_fr = f"Ligne {row.row_number} : {error.message_fr}"
        row.message_en = f"Row {row.row_number}: {error.message_en}"
        row.save()
        return row
    counter = "skipped" if isinstance(item, Skip) else "created"
    if isinstance(item, Record):
        item.rows = [row.row_number]
        if not item.external_ids:
            item.external_ids = {module.SOURCE: "sha256:" + item.digest[:40]}
        from .jobs import write_one

        counter = write_one(job, item, module.SOURCE, user)
    job.quarantined -= 1
    setattr(job, counter, getattr(job, counter) + 1)
    ImportJob.objects.filter(pk=job.pk).update(
        quarantined=job.quarantined, **{counter: getattr(job, counter)}
    )
    row.values = json.dumps(values, ensure_ascii=False)
    row.resolved_at, row.resolved_by = timezone.now(), user
    row.save()
    audit.record(Action.IMPORT, user=user, obj=job, event="quarantine_corrected", row=row.row_number)
    return item if isinstance(item, Record) else row


def _coordinates(field: str, values: dict[str, str], corrections: dict[str, str]) -> dict[str, str]:
    """A point outside its place is quarantined on the latitude column with the value "lat, lon": the
    correction is typed the same way and fills both columns (or, left empty, clears both)."""
    if field.lower() not in {"latitude", "lat"} or list(corrections) != [field]:
        return corrections
    other = next((k for k in values if k.lower() in {"longitude", "lon", "long"}), None)
    if other is None:
        return corrections
    parts = [p.strip() for p in corrections[field].replace(";", ",").split(",")]
    if len(parts) == 2:
        return {field: parts[0], other: parts[1]}
    if not corrections[field].strip():
        return {field: "", other: ""}
    return corrections
