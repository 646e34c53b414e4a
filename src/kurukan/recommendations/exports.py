"""Recommendation exports: CSV and XLSX tables, and the DOCX follow-up matrix that national mechanisms
circulate (recommendation, response, institution, measures, status). Streamed or written row by row; the
public variant carries no internal notes (no measures' text, no evidence)."""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterator

from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _

from .models import Recommendation, Response

FORMULA_LEAD = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 500


def neutralise(value: object) -> object:
    """A cell a spreadsheet would run as a formula is kept as text (a leading apostrophe)."""
    if isinstance(value, str) and value.startswith(FORMULA_LEAD):
        return "'" + value
    return value


COLUMNS = ["symbol", "mechanism", "paragraph", "recommending", "text_en", "text_fr", "response", "response_raw",
           "status", "status_since", "institutions"]  # fmt: skip
INTERNAL = ["measures"]


def _rows(qs: QuerySet[Recommendation], public: bool) -> Iterator[list]:
    for start in range(0, qs.count(), CHUNK):
        chunk = qs.select_related("document").prefetch_related("institutions", "measures__institution")[
            start : start + CHUNK
        ]
        for rec in chunk:
            row = [rec.document.symbol, rec.document.mechanism, rec.paragraph, rec.recommending, rec.text_en,
                   rec.text_fr, rec.response, rec.response_raw, getattr(rec, "current_status", None) or "",
                   rec.status_since.isoformat() if getattr(rec, "status_since", None) else "",
                   "; ".join(i.name for i in rec.institutions.all())]  # fmt: skip
            if not public:
                row.append(" | ".join(f"{m.institution.code}: {m.description}" for m in rec.measures.all()))
            yield [neutralise(v) for v in row]


def _csv(qs, public: bool) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS + ([] if public else INTERNAL))
    for row in _rows(qs, public):
        writer.writerow(row)
        if buffer.tell() > 64 * 1024:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _xlsx(qs, public: bool) -> tempfile.SpooledTemporaryFile:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Recommandations"))
    sheet.append(COLUMNS + ([] if public else INTERNAL))
    for row in _rows(qs, public):
        sheet.append(row)
    handle = tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024)
    book.save(handle)
    handle.seek(0)
    return handle


def _docx(qs, public: bool) -> tempfile.SpooledTemporaryFile:
    """The follow-up matrix: one table row per recommendation."""
    from docx import Document as Docx
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Pt

    from .presenters import status_label

    document = Docx()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    document.styles["Normal"].font.size = Pt(9)
    document.add_heading(_("Matrice de suivi des recommandations"), level=1)
    headers = [
        _("Recommandation"),
        _("Réponse de l'État"),
        _("Institutions"),
        _("Mesures"),
        _("État d'avancement"),
    ]
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = str(text)
    responses = dict(Response.choices)
    for rec in (
        qs.select_related("document")
        .prefetch_related("institutions", "measures__institution")
        .iterator(chunk_size=CHUNK)
    ):
        cells = table.add_row().cells
        cells[0].text = f"{rec.document.symbol} § {rec.paragraph} — {rec.text}"[:2000]
        cells[1].text = str(responses.get(rec.response, rec.response))
        cells[2].text = "; ".join(i.name for i in rec.institutions.all())
        cells[3].text = (
            "" if public else "\n".join(f"{m.institution.name}: {m.description}" for m in rec.measures.all())
        )
        cells[4].text = status_label(getattr(rec, "current_status", None))
    handle = tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024)
    document.save(handle)
    handle.seek(0)
    return handle


TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def response(fmt: str, qs: QuerySet[Recommendation], public: bool) -> HttpResponse:
    if fmt not in TYPES:
        raise Http404
    name = f"recommandations.{fmt}"
    if fmt == "csv":
        streamed = StreamingHttpResponse(_csv(qs, public), content_type=TYPES[fmt])
        streamed["Content-Disposition"] = f'attachment; filename="{name}"'
        return streamed
    handle = _xlsx(qs, public) if fmt == "xlsx" else _docx(qs, public)
    return FileResponse(handle, as_attachment=True, filename=name, content_type=TYPES[fmt])
