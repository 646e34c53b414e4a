"""Registers through the intake machinery: schools lists and recommendation tables are imported as jobs.

A register is not a set of incidents (the bulk `Writer` and `ExternalId` are for incidents), but it is
imported the same way: an `ImportJob` with its progress and counters, rows read in atomic batches with the
resume point moving in the same transaction, every rejected row kept in `QuarantinedRow` with its error in
French and English, and corrected one cell at a time in the quarantine page (`/imports/<job>/`), which
tries the row again through the register's own mapping and writing.

A register module (`schools.intake`, `recommendations.intake`) has:

- `NAME` (the job's `format`) and `LABEL`;
- `open(path) -> reading.Sheet`: the header and the rows (raises `FileRefused` for a file that cannot be
  read at all);
- `start(job, header) -> state`: what every row needs (vocabularies, caches); raises `FileRefused` when the
  header lacks a required column;
- `map_row(state, number, row: dict[str, str]) -> item`: raises `formats.RowError` naming the column and the fix;
- `write(state, items: list[tuple[int, item]]) -> list[tuple[int, str | RowError]]`: writes a batch inside
  the caller's transaction; each row ends as "created", "updated", "unchanged" or a `RowError` (a rule the
  register checks against what is already written, e.g. a school's history);
- `summary(state, job) -> str` (optional): the sentence the job ends with.

created + updated + unchanged + quarantined = rows read, as for every import.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from kurukan import jobs
from kurukan.audit import log as audit
from kurukan.audit.models import Action

from .formats import RowError, unquote
from .models import ImportJob, QuarantinedRow
from .reading import FileRefused, refused

BATCH = 500


def registry() -> dict[str, ModuleType]:
    from kurukan.recommendations import intake as recommendations
    from kurukan.schools import intake as schools

    return {module.NAME: module for module in (schools, recommendations)}


def is_register(job: ImportJob) -> bool:
    return job.format in registry()


def start(*, module: ModuleType, user, organisation, path: Path, filename: str) -> ImportJob:
    """Record the job for a file already copied under the data directory; the caller runs or enqueues it."""
    with transaction.atomic():
        job = ImportJob.objects.create(
            requested_by=user if getattr(user, "is_authenticated", False) else None,
            organisation=organisation,
            format=module.NAME,
            filename=Path(filename).name[:255],
            path=str(path),
        )
        audit.record(Action.IMPORT, user=user, obj=job, event="import_requested", format=module.NAME)
    return job


def run(job: ImportJob, progress: Callable[[int], None] | None = None) -> ImportJob:
    """Run (or resume) a register's import. Never raises: a failure is recorded on the job."""
    return jobs.run_guarded(
        job,
        _import,
        failure=_("l'import a échoué (%(error)s) ; le détail est dans le journal du serveur."),
        progress=progress,
        safe=(FileRefused,),
    )


def _import(job: ImportJob) -> dict:
    module = registry()[job.format]
    path = Path(job.path)
    if not path.exists():
        raise refused("Le fichier de cet import n'est plus sur le serveur : importez-le de nouveau.")
    sheet = module.open(path)
    header = [name.strip() for name in sheet.header]
    state = module.start(job, header)
    job.set_progress(max(job.progress, 2), _("Lecture du fichier"))
    done = job.rows_done
    seen = 0
    batch: list[tuple[int, dict[str, str]]] = []
    any_row = done > 0
    for number, cells in sheet.rows:
        if not any(str(cell).strip() for cell in cells):
            continue
        seen += 1
        any_row = True
        if seen <= done:
            continue
        batch.append((number, _row(header, cells)))
        if len(batch) >= BATCH:
            _flush(job, module, state, batch)
            batch = []
    _flush(job, module, state, batch)
    if not any_row:
        raise refused(
            "Le fichier ne contient que la ligne d'en-tête : aucune ligne à importer. Ajoutez des lignes sous "
            "l'en-tête."
        )
    job.refresh_from_db()
    audit.record(Action.IMPORT, user=job.requested_by, obj=job, event="import_done", counts=job.summary())
    path.unlink(missing_ok=True)
    summary = getattr(module, "summary", None)
    return {"stage": summary(state, job) if summary else job.summary_line, "path": ""}


def _row(header: list[str], cells: list[Any]) -> dict[str, str]:
    row = {
        name: unquote(str(cell if cell is not None else ""))
        for name, cell in zip(header, cells, strict=False)
    }
    for i, cell in enumerate(cells[len(header) :], start=len(header) + 1):
        if str(cell).strip():
            row[f"({i})"] = str(cell)
    return row


def _quarantined(job: ImportJob, number: int, row: dict, error: RowError) -> QuarantinedRow:
    return QuarantinedRow(
        job=job,
        row_number=number,
        field=error.field[:100],
        values=json.dumps(row, ensure_ascii=False),
        value=error.value,
        message_fr=_numbered(number, error.message_fr, "Ligne", " :"),
        message_en=_numbered(number, error.message_en, "Row", ":"),
        candidates=error.candidates,
    )


def _numbered(number: int, message: str, word: str, colon: str) -> str:
    """The message with its row number in front, unless the register's message already names it."""
    return message if message.startswith(f"{word} {number}") else f"{word} {number}{colon} {message}"


def _apply(module: ModuleType, state, batch: list[tuple[int, dict[str, str]]]):
    """Map and write one batch: ({counter: n}, [(number, row, RowError)])."""
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    rejected: list[tuple[int, dict, RowError]] = []
    items = []
    rows = dict(batch)
    for number, row in batch:
        try:
            items.append((number, module.map_row(state, number, row)))
        except RowError as error:
            rejected.append((number, row, error))
    for number, outcome in module.write(state, items):
        if isinstance(outcome, RowError):
            rejected.append((number, rows[number], outcome))
        else:
            counts[outcome] += 1
    return counts, rejected


@transaction.atomic
def _flush(job: ImportJob, module: ModuleType, state, batch: list[tuple[int, dict[str, str]]]) -> None:
    counts, rejected = _apply(module, state, batch)
    QuarantinedRow.objects.bulk_create(
        [_quarantined(job, number, row, error) for number, row, error in sorted(rejected, key=lambda r: r[0])]
    )
    ImportJob.objects.filter(pk=job.pk).update(
        rows_read=F("rows_read") + len(batch),
        rows_done=F("rows_done") + len(batch),
        created=F("created") + counts["created"],
        updated=F("updated") + counts["updated"],
        unchanged=F("unchanged") + counts["unchanged"],
        quarantined=F("quarantined") + len(rejected),
    )
    job.rows_done += len(batch)
    if batch:
        audit.record(
            Action.IMPORT,
            user=job.requested_by,
            obj=job,
            event="import_batch",
            rows=len(batch),
            quarantined=len(rejected),
            counts=counts,
        )


@transaction.atomic
def correct_row(row: QuarantinedRow, corrections: dict[str, str], user) -> QuarantinedRow:
    """A quarantined register row, corrected by a user, tried again through the register's own rules.

    In: written and counted (quarantined → created / updated / unchanged), resolved, audited. Still wrong:
    the row stays with its new error."""
    job = row.job
    module = registry()[job.format]
    values = json.loads(row.values)
    values.update(corrections)
    row.values = json.dumps(values, ensure_ascii=False)
    state = module.start(job, list(values))
    counts, rejected = _apply(module, state, [(row.row_number, values)])
    if rejected:
        _number, _values, error = rejected[0]
        row.field, row.value, row.candidates = error.field[:100], error.value, error.candidates
        row.message_fr = _numbered(row.row_number, error.message_fr, "Ligne", " :")
        row.message_en = _numbered(row.row_number, error.message_en, "Row", ":")
        row.save()
        return row
    counter = next(name for name, n in counts.items() if n)
    ImportJob.objects.filter(pk=job.pk).update(quarantined=F("quarantined") - 1, **{counter: F(counter) + 1})
    job.refresh_from_db()
    row.resolved_at, row.resolved_by = timezone.now(), user
    row.save()
    audit.record(Action.IMPORT, user=user, obj=job, event="quarantine_corrected", row=row.row_number)
    return row


def row_error(field: str, value: str, message_fr: str, message_en: str) -> RowError:
    """A RowError from messages already written in both languages (a register's rules compose them)."""
    error = RowError.__new__(RowError)
    Exception.__init__(error, message_fr)
    error.message_fr, error.message_en = message_fr, message_en
    error.field, error.value, error.candidates = field, value, []
    return error
