"""The import job: parse → map → validate → write, in atomic batches, every row counted once.

Each batch is one transaction holding its new records (the bulk writer), its updates (the ORM, so each
keeps its previous version in the history), its quarantined rows, its counters and the job's resume
point (`rows_done`). A job killed mid-batch (kill -9) leaves that batch unwritten; run again, it skips
the rows already done and writes the rest, so nothing is written twice.

created + updated + unchanged + quarantined + skipped = rows read, always.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from kurukan import jobs
from kurukan.audit import log as audit
from kurukan.audit.models import Action

from . import formats, updates
from .formats import Context, RowError, Skip
from .models import ExternalId, ImportJob, QuarantinedRow
from .places import Places
from .reading import FileRefused, refused
from .records import Record
from .writer import Writer

BATCH = 5000  # rows per transaction: fewer commits and id look-ups; one batch held in memory (a few MB)


def run_import(job: ImportJob, progress: Callable[[int], None] | None = None) -> ImportJob:
    """Run (or resume) the whole job. Never raises: a failure is recorded on the job."""
    return jobs.run_guarded(
        job,
        _import,
        failure=_("l'import a échoué (%(error)s) ; le détail est dans le journal du serveur."),
        progress=progress,
        safe=(FileRefused,),
    )


@dataclass
class _Batch:
    records: list[Record] = field(default_factory=list)
    quarantine: list[QuarantinedRow] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)
    rows: int = 0


def _import(job: ImportJob) -> dict:
    path = Path(job.path)
    if not path.exists():
        raise refused("Le fichier de cet import n'est plus sur le serveur : importez-le de nouveau.")
    module = formats.registry()[job.format]
    if job.mapping is None:
        formats.check(module, path)
    sheet = module.read(path)
    header = [name.strip().lower() for name in sheet.header]
    names = {}
    if job.mapping is not None:  # a partner's layout, mapped once to the template's columns
        from .mapping import renamed

        header = renamed(sheet.header, job.mapping)
        names = {target: written.strip() for target, written in zip(header, sheet.header, strict=True)}
    token = formats.COLUMN_NAMES.set(names)
    try:
        return _import_rows(job, path, module, sheet, header)
    finally:
        formats.COLUMN_NAMES.reset(token)


def _import_rows(job: ImportJob, path: Path, module, sheet, header: list[str]) -> dict:
    estimate = _estimated_rows(path)
    context = Context(
        organisation=job.organisation.code, confidentiality=job.confidentiality, places=Places()
    )
    job.set_progress(max(job.progress, 2), _("Lecture du fichier"))
    rows = _data_rows(sheet.rows, skip=job.rows_done)
    batch = _Batch()
    any_row = job.rows_done > 0
    with Writer(user=job.requested_by, source=f"import:{module.NAME}", history_reason="import") as writer:
        for number, cells in rows:
            any_row = True
            item = _map(number, header, cells, module, context, job)
            if isinstance(item, Record) and batch.rows >= BATCH and not _continues(batch, item):
                _flush(job, writer, module.SOURCE, batch)
                batch = _Batch()
                job.set_progress(min(98, 2 + 96 * job.rows_done // max(estimate, job.rows_done + 1)))
            batch.rows += 1
            if isinstance(item, Record):
                if _continues(batch, item):
                    batch.records[-1].absorb(item)
                else:
                    batch.records.append(item)
            elif isinstance(item, Skip):
                batch.skipped[item.reason] = batch.skipped.get(item.reason, 0) + 1
            else:
                batch.quarantine.append(item)
        _flush(job, writer, module.SOURCE, batch)
    if not any_row:
        raise refused(
            "Le fichier ne contient que la ligne d'en-tête : aucune ligne à importer. Ajoutez des lignes sous "
            "l'en-tête."
        )
    job.refresh_from_db()
    audit.record(Action.IMPORT, user=job.requested_by, obj=job, event="import_done", counts=job.summary())
    if job.rows_read != sum(job.summary().values()):  # the promise of the summary; never expected to fail
        raise RuntimeError("import counts do not add up")
    path.unlink(missing_ok=True)
    return {"stage": job.summary_line, "path": ""}


def _data_rows(rows: Iterator[tuple[int, list[str]]], skip: int) -> Iterator[tuple[int, list[str]]]:
    """Data rows, blank lines left out (they are not rows anyone wrote), after the first `skip` ones."""
    seen = 0
    for number, cells in rows:
        if not (cells and cells[0].strip()) and not any(cell.strip() for cell in cells):
            continue
        seen += 1
        if seen > skip:
            yield number, cells


def _continues(batch: _Batch, record: Record) -> bool:
    """The same incident as the previous row (several rows per incident are merged)."""
    if not batch.records or not record.external_ids:
        return False
    return batch.records[-1].external_ids == record.external_ids


def _map(number: int, header: list[str], cells: list[str], module, context: Context, job: ImportJob):
    if len(cells) != len(header):
        row = dict(zip(header, cells, strict=False))
        if len(cells) > len(header):
            row.update({f"({i + 1})": cell for i, cell in enumerate(cells) if i >= len(header)})
        error = RowError(
            _("(ligne)"),
            "",
            "La ligne a %(cells)s cellules mais l'en-tête %(columns)s colonnes : une cellule manque ou est en "
            "trop (séparateur dans une valeur ?). Corrigez la ligne pour qu'elle ait une cellule par colonne.",
            cells=len(cells),
            columns=len(header),
        )
        return _quarantined(job, number, row, error)
    unquote = formats.unquote  # a call per cell was a tenth of the mapping: only quoted cells need one
    row = dict(zip(header, [unquote(c) if c[:1] == "'" else c for c in cells], strict=True))
    try:
        item = formats.map_checked(module, row, context)
    except RowError as error:
        return _quarantined(job, number, row, error)
    if isinstance(item, Record):
        item.rows = [number]
        if not item.external_ids:  # no id column: the row's content is its identity
            item.external_ids = {module.SOURCE: "sha256:" + item.digest[:40]}
    return item


def _quarantined(job: ImportJob, number: int, row: dict, error: RowError) -> QuarantinedRow:
    return QuarantinedRow(
        job=job,
        row_number=number,
        field=error.field[:100],
        values=json.dumps(row, ensure_ascii=False),
        value=error.value,
        message_fr=_with_row(number, error.message_fr, "Ligne"),
        message_en=_with_row(number, error.message_en, "Row"),
        candidates=error.candidates,
    )


def _with_row(number: int, message: str, word: str) -> str:
    return f"{word} {number} : {message}" if word == "Ligne" else f"{word} {number}: {message}"


@transaction.atomic
def _flush(job: ImportJob, writer: Writer, source: str, batch: _Batch) -> None:
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    known = _known(job, source, batch.records)
    new: dict[str, Record] = {}
    for record in batch.records:
        key = record.external_ids[source]
        if key in new:  # the same id twice in the file: the later row is the newer version
            same = new[key].digest == record.digest
            counts["unchanged" if same else "updated"] += len(record.rows)
            if not same:
                new[key] = record
            continue
        existing = known.get(key)
        if existing is None:
            new[key] = record
        elif existing.digest == record.digest:
            counts["unchanged"] += len(record.rows)
        else:
            updates.update_incident(existing, record, writer.lookups, job.requested_by)
            counts["updated"] += len(record.rows)
    if new:
        writer.write(list(new.values()))
        counts["created"] += sum(len(r.rows) for r in new.values())
    QuarantinedRow.objects.bulk_create(batch.quarantine)
    skipped = sum(batch.skipped.values())
    reasons = dict(job.skipped_reasons)
    for reason, count in batch.skipped.items():
        reasons[reason] = reasons.get(reason, 0) + count
    ImportJob.objects.filter(pk=job.pk).update(
        rows_read=F("rows_read") + batch.rows,
        rows_done=F("rows_done") + batch.rows,
        created=F("created") + counts["created"],
        updated=F("updated") + counts["updated"],
        unchanged=F("unchanged") + counts["unchanged"],
        quarantined=F("quarantined") + len(batch.quarantine),
        skipped=F("skipped") + skipped,
        skipped_reasons=reasons,
    )
    job.skipped_reasons = reasons
    job.rows_done += batch.rows
    audit.record(
        Action.IMPORT,
        user=job.requested_by,
        obj=job,
        event="import_batch",
        rows=batch.rows,
        quarantined=len(batch.quarantine),
        skipped=skipped,
        counts=counts,
    )


def write_one(job: ImportJob, record: Record, source: str, user) -> str:
    """One corrected row, written like a batch of one; returns the counter it goes to."""
    known = _known(job, source, [record]).get(record.external_ids[source])
    if known is not None and known.digest == record.digest:
        return "unchanged"
    with Writer(user=user, source=f"import:{job.format}", history_reason="import") as writer:
        if known is not None:
            updates.update_incident(known, record, writer.lookups, user)
            return "updated"
        writer.write([record])
    return "created"


def _known(job: ImportJob, source: str, records: list[Record]) -> dict[str, ExternalId]:
    keys = {r.external_ids[source] for r in records}
    found = ExternalId.objects.filter(source=source, organisation=job.organisation, key__in=keys)
    return {e.key: e for e in found}


def _estimated_rows(path: Path) -> int:
    """Rows in the file, estimated from the first 64 KB (for the progress bar only)."""
    size = path.stat().st_size
    with path.open("rb") as handle:
        sample = handle.read(1 << 16)
    lines = max(1, sample.count(b"\n"))
    return max(1, size * lines // max(1, len(sample)))
