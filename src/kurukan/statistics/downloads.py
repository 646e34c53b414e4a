"""A breakdown's table as a file: CSV (UTF-8 with a byte-order mark, so spreadsheet programs read the
accents) or XLSX. Long format, one row per cell: each field's code and its label, then the value."""

from __future__ import annotations

import csv
import io

from django.http import HttpResponse
from openpyxl import Workbook

from . import labels
from .counting import Filters, Scope, table
from .presenters import Breakdown

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def rows(breakdown: Breakdown, filters: Filters, scope: Scope) -> list[list]:
    result = table(breakdown.measure, by=breakdown.by, filters=breakdown.applied(filters), scope=scope)
    names = {n: labels.labels_for(n, {r[n] for r in result.rows}) for n in result.by}
    header = [part for n in result.by for part in (n, f"{n}_label")] + [breakdown.measure]
    body = [
        [part for n in result.by for part in ("" if r[n] is None else r[n], names[n][r[n]])] + [r["value"]]
        for r in result.rows
    ]
    total = [part for n in result.by for part in ("", "total" if n == result.by[0] else "")] + [result.total]
    return [header, *body, total]


def respond(breakdown: Breakdown, filters: Filters, scope: Scope, file_format: str) -> HttpResponse:
    lines = rows(breakdown, filters, scope)
    name = f"kurukan-{breakdown.id}-{breakdown.applied(filters).level}.{file_format}"
    if file_format == "csv":
        out = io.StringIO()
        csv.writer(out, lineterminator="\r\n").writerows(lines)
        body: bytes = ("\ufeff" + out.getvalue()).encode("utf-8")
    else:
        book = Workbook()
        sheet = book.active
        sheet.title = breakdown.id[:31]
        for line in lines:
            sheet.append(line)
        buffer = io.BytesIO()
        book.save(buffer)
        body = buffer.getvalue()
    response = HttpResponse(body, content_type=FORMATS[file_format])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
