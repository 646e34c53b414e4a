"""Reading a file into rows, streamed: CSV in any of the encodings and separators people send, and XLSX.

A file is never loaded whole: CSV is decoded as it is read, XLSX rows come from openpyxl's read-only
mode, and an XLSX whose parts would unpack to more than `MAX_UNPACKED` bytes, or unpack more than
`MAX_RATIO` times their packed size (a zip bomb), is refused before any part is opened. Cell values are
kept as text exactly as written: a cell starting with "=" is a string, never evaluated.

Every problem is a `FileRefused` with a message in French and English that says what to do.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.utils import translation
from django.utils.translation import gettext as _

from kurukan.jobs import Refused

SAMPLE_BYTES = 1 << 20
MAX_UNPACKED = 2 << 30  # 2 GB of XML for one workbook is far beyond any real export
MAX_RATIO = 200  # real XLSX compresses 5–20 times; a bomb, thousands
csv.field_size_limit(10 << 20)


class FileRefused(Refused):
    """The whole file cannot be read; the message (French, or English) says why and what to do."""

    def __init__(self, message_fr: str, message_en: str) -> None:
        super().__init__(message_fr)
        self.message_fr, self.message_en = message_fr, message_en


def refused(message: str, **values) -> FileRefused:
    """A FileRefused with the message in both languages (`message` is a French msgid)."""
    with translation.override("fr"):
        french = _(message) % values
    with translation.override("en"):
        english = _(message) % values
    return FileRefused(french, english)


@dataclass
class Sheet:
    """The rows of one table: the header (as written) and an iterator of (row number, cells)."""

    header: list[str]
    rows: Iterator[tuple[int, list[str]]]
    header_row: int = 1


def open_table(path: Path, *, header_rows: int = 1) -> Sheet:
    """The first table of a CSV or XLSX file; `header_rows` rows above the data are read as the header
    (the last of them is the one returned; HXL's hashtag row is found by the HXL format itself)."""
    if path.stat().st_size == 0:
        raise refused("Le fichier est vide : exportez-le de nouveau, avec au moins une ligne de données.")
    with path.open("rb") as handle:
        start = handle.read(4)
    if start.startswith(b"PK"):
        rows = _xlsx_rows(path)
    else:
        rows = _csv_rows(path)
    header: list[str] = []
    number = 0
    for _i in range(header_rows):
        first = next(rows, None)
        if first is None:
            break
        number, header = first
    if not any(cell.strip() for cell in header):
        raise refused("Le fichier n'a pas de ligne d'en-tête : la première ligne doit nommer les colonnes.")
    return Sheet([cell.strip() for cell in header], rows, number)


def sniff_csv(path: Path) -> tuple[str, str]:
    """(encoding, separator) from the first megabyte: UTF-8 (with or without BOM), else Windows-1252."""
    with path.open("rb") as handle:
        sample = handle.read(SAMPLE_BYTES)
    encoding = "utf-8-sig"
    try:
        text = sample.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.start < len(sample) - 4:  # not just a character cut at the end of the sample
            encoding = "cp1252"
        text = sample.decode(encoding, errors="replace")
    lines = [line for line in text.splitlines()[:20] if line.strip()]
    counts = {sep: min((line.count(sep) for line in lines), default=0) for sep in (";", ",", "\t")}
    separator = max(counts, key=lambda sep: (counts[sep], sep == ","))
    if counts[separator] == 0:
        separator = ","
    return encoding, separator


def _csv_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    encoding, separator = sniff_csv(path)
    number = 0
    try:
        with path.open(encoding=encoding, newline="", errors="strict") as handle:
            for number, cells in enumerate(csv.reader(handle, delimiter=separator), start=1):
                yield number, cells
    except UnicodeDecodeError as exc:
        raise refused(
            "Ligne %(row)s : caractères illisibles dans l'encodage %(encoding)s. Enregistrez le fichier en "
            "« CSV UTF-8 » et importez-le de nouveau.",
            row=number + 1,
            encoding=encoding,
        ) from exc
    except csv.Error as exc:
        raise refused(
            "Ligne %(row)s : le CSV est mal formé (guillemet non fermé ?). Corrigez la ligne et importez de "
            "nouveau.",
            row=number + 1,
        ) from exc


def check_zip(path: Path) -> None:
    """Refuse a damaged or truncated workbook, and a zip bomb, before opening any of its parts."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise refused(
            "Le classeur XLSX est incomplet ou endommagé (téléchargement interrompu ?). Ouvrez-le dans Excel "
            "ou LibreOffice, enregistrez-le de nouveau, puis importez-le."
        ) from exc
    unpacked = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos) or 1
    if unpacked > MAX_UNPACKED or unpacked / packed > MAX_RATIO:
        raise refused(
            "Ce classeur se décompresse en %(size)s Mo à partir de %(packed)s Ko : c'est la signature d'une "
            "« bombe zip », il est refusé. Exportez les données en CSV.",
            size=unpacked >> 20,
            packed=packed >> 10,
        )


def _xlsx_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    import openpyxl  # loaded only for workbooks

    check_zip(path)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # noqa: BLE001 — openpyxl raises many types for a broken part
        raise refused(
            "Le classeur XLSX est incomplet ou endommagé (téléchargement interrompu ?). Ouvrez-le dans Excel "
            "ou LibreOffice, enregistrez-le de nouveau, puis importez-le."
        ) from exc
    try:
        sheet = book.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_cell_text(value) for value in values]
            while cells and cells[-1] == "":
                cells.pop()
            yield number, cells
    finally:
        book.close()


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# --- Dates --------------------------------------------------------------------------------------------------

MONTHS = {
    "janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7, "aout": 8,
    "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12,
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12,
    "janv": 1, "fevr": 2, "fev": 2, "avr": 4, "juil": 7, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
}  # fmt: skip
EXCEL_EPOCH = dt.date(1899, 12, 30)
_NUMERIC = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$")
_WORDS = re.compile(r"^(\d{1,2})(?:er)?\s+([a-z]+)\.?\s+(\d{4})$")


def parse_date(raw: str) -> dt.date | None:
    """2023-02-16, 16/02/2023, 16-02-2023, 16 février 2023, 16 February 2023, 16-Feb-2023 or an Excel
    serial number (44973); None when it is none of them. Day first: Mali writes dates day first."""
    from kurukan.text import fold

    text = raw.strip()
    try:
        if m := _ISO.match(text):
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        if m := _NUMERIC.match(text):
            return dt.date(int(m[3]), int(m[2]), int(m[1]))
        words = fold(text.replace(",", " "))
        if (m := _WORDS.match(words)) and m[2] in MONTHS:
            return dt.date(int(m[3]), MONTHS[m[2]], int(m[1]))
        if text.replace(".", "", 1).isdigit() and 1 <= float(text) < 100000:
            return EXCEL_EPOCH + dt.timedelta(days=int(float(text)))
    except ValueError:
        return None
    return None
