"""What the import pages show: prepared rows, never querysets to walk."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .models import ImportJob, QuarantinedRow

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
SHOWN = 50


def message(row: QuarantinedRow) -> str:
    return row.message_en if (get_language() or "fr").startswith("en") else row.message_fr


def quarantine(job: ImportJob) -> list[dict]:
    """The rows still waiting, first ones first (the page shows at most `SHOWN`; the file has them all)."""
    rows = job.quarantine.filter(resolved_at__isnull=True).order_by("row_number")[:SHOWN]
    return [quarantine_item(row) for row in rows]


def quarantine_item(row: QuarantinedRow) -> dict:
    return {
        "row": row,
        "message": message(row),
        # a ragged row (or one whose error names no column) is fixed in the file, not one cell
        "editable": bool(row.field) and not row.field.startswith("("),
        "candidates": row.candidates,
    }


def summary(job: ImportJob) -> list[tuple[str, int]]:
    return [
        (_("créées"), job.created),
        (_("mises à jour"), job.updated),
        (_("inchangées"), job.unchanged),
        (_("en quarantaine"), job.quarantined),
        (_("écartées"), job.skipped),
    ]


def neutralised(value: str) -> str:
    """A cell a spreadsheet would run as a formula is written as text (the import strips the quote again)."""
    return "'" + value if value.startswith(FORMULA_START) else value


def rejected_csv(job: ImportJob) -> Iterator[str]:
    """The rows still in quarantine as a CSV, with the row number and the error, to fix and upload again."""
    rows = list(job.quarantine.filter(resolved_at__isnull=True).order_by("row_number"))
    columns: list[str] = []
    for row in rows:
        for name in json.loads(row.values):
            if name not in columns:
                columns.append(name)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([*columns, "kurukan_row", "kurukan_error"])
    yield "\ufeff" + buffer.getvalue()  # a BOM, so Excel opens the accents right
    for row in rows:
        values = json.loads(row.values)
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(
            [neutralised(values.get(c, "")) for c in columns] + [row.row_number, neutralised(message(row))]
        )
        yield buffer.getvalue()
