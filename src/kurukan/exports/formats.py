"""The file formats of an export, each a generator of bytes fed one row at a time: nothing holds the whole
export in memory (XLSX goes through openpyxl's write-only mode and a temporary file).

Spreadsheet cells that begin like a formula (`=`, `+`, `-`, `@`, tab, carriage return) get a leading
apostrophe in CSV, HXL and XLSX, so a victim's name or a narrative fragment can never run as a formula in
Excel or LibreOffice (OWASP "CSV injection"). JSON and GeoJSON keep values as they are: no spreadsheet reads
them as formulas.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import tempfile
from collections.abc import Iterable, Iterator
from typing import Any

from django.db import models
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from .rows import Column

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
FLUSH = 1 << 16  # bytes gathered before a piece is handed to the response


class Format(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "XLSX"
    GEOJSON = "geojson", "GeoJSON"
    HXL = "hxl", "HXL (CSV)"
    JSON = "json", "JSON"


CONTENT_TYPES: dict[str, str] = {
    Format.CSV: "text/csv; charset=utf-8",
    Format.HXL: "text/csv; charset=utf-8",
    Format.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    Format.GEOJSON: "application/geo+json",
    Format.JSON: "application/json",
}
EXTENSIONS: dict[str, str] = {
    Format.CSV: "csv",
    Format.HXL: "hxl.csv",
    Format.XLSX: "xlsx",
    Format.GEOJSON: "geojson",
    Format.JSON: "json",
}


def neutralise(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_START) else text


def _text(value: Any) -> str:
    """A value as spreadsheet text: codes joined by "; ", external ids as a JSON object, ISO dates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "; ".join(value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True) if value else ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _csv(columns: list[Column], rows: Iterable[dict], hxl: bool) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")  # Excel reads UTF-8 (accents) only with the byte-order mark
    writer.writerow([c.name for c in columns])
    if hxl:
        writer.writerow([c.hxl for c in columns])
    for row in rows:
        writer.writerow(
            [
                neutralise(_text(row[c.name])) if isinstance(row[c.name], str) else _text(row[c.name])
                for c in columns
            ]
        )
        if buffer.tell() > FLUSH:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


def _cell(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | dt.date):
        return value
    return neutralise(ILLEGAL_CHARACTERS_RE.sub("", _text(value)))


def _xlsx(columns: list[Column], rows: Iterable[dict], title: str) -> Iterator[bytes]:
    workbook = Workbook(write_only=True)  # rows go to a temporary file as they come: memory stays flat
    sheet = workbook.create_sheet(title)
    sheet.append([c.name for c in columns])
    for row in rows:
        sheet.append([_cell(row[c.name]) for c in columns])
    with tempfile.TemporaryFile() as spool:
        workbook.save(spool)
        spool.seek(0)
        while piece := spool.read(FLUSH):
            yield piece


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=_json_default)


def _json(columns: list[Column], rows: Iterable[dict]) -> Iterator[bytes]:
    pieces, size, separator = ["["], 1, "\n"
    for row in rows:
        text = separator + _dumps({c.name: row[c.name] for c in columns})
        pieces.append(text)
        size += len(text)
        separator = ",\n"
        if size > FLUSH:
            yield "".join(pieces).encode()
            pieces, size = [], 0
    pieces.append("\n]\n")
    yield "".join(pieces).encode()


def _geojson(columns: list[Column], rows: Iterable[dict]) -> Iterator[bytes]:
    """One Feature per row; its point is the exact place when the user may see it, else the centre of the
    lowest admin unit known (the row's `geo_precision` says which), and no geometry when neither is known."""
    pieces, size, separator = ['{"type": "FeatureCollection", "features": ['], 0, "\n"
    for row in rows:
        point = row["_point"]
        feature = {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": list(point)} if point else None,
            "properties": {c.name: row[c.name] for c in columns},
        }
        text = separator + _dumps(feature)
        pieces.append(text)
        size += len(text)
        separator = ",\n"
        if size > FLUSH:
            yield "".join(pieces).encode()
            pieces, size = [], 0
    pieces.append("\n]}\n")
    yield "".join(pieces).encode()


def write(fmt: str, columns: list[Column], rows: Iterable[dict], title: str) -> Iterator[bytes]:
    if fmt == Format.XLSX:
        return _xlsx(columns, rows, title)
    if fmt == Format.GEOJSON:
        return _geojson(columns, rows)
    if fmt == Format.JSON:
        return _json(columns, rows)
    return _csv(columns, rows, hxl=fmt == Format.HXL)
