"""KoboToolbox exports of Kurukan's XLSForm (`kurukan xlsform`), imported without any mapping.

Accepted layouts, as KoboToolbox writes them:
- CSV, comma or semicolon, with or without the HXL row under the header, with or without group names in
  the columns (`incident/start_date` or `start_date`), XML names or French / English labels; repeats
  flattened as `violation[1]/violation_type`, `violation[1]/victim[2]/age` (the legacy CSV layout);
- XLSX with one sheet per repeat group (`violation`, `victim`, `perpetrator`, linked by `_index` and
  `_parent_index`): the repeats are read first and joined to their submission, so each submission is one
  row of the main sheet, flattened as above (the repeat sheets are held in memory: they are small beside
  the photos a Kobo project holds).

A submission is one incident; its `_uuid` is the external id, so re-importing an export (or a later one
with edited submissions) updates instead of duplicating.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from django.utils.translation import gettext_lazy

from kurukan.fieldforms import xlsform
from kurukan.text import fold

from ..places import PlaceProblem
from ..reading import Sheet, check_zip, open_table, parse_date, refused
from ..records import GroupRecord, PerpetratorRecord, Record, VictimRecord, ViolationRecord
from . import Context, RowError, number, vocabulary_code
from .template import _place_error, _sex

NAME = "kobo"
LABEL = gettext_lazy("KoboToolbox (formulaire Kurukan)")
SOURCE = "kobo"

REPEATS = ("violation", "victim", "perpetrator")
INDEXED = re.compile(r"^(\w+)\[(\d+)\]$")
GROUP_COLUMNS = ("women", "men", "girls", "boys", "unknown")
MAX_AGE = 120


def _labels() -> dict[str, str]:
    """Folded French and English labels of the form's questions and repeats → their XML names."""
    names: dict[str, str] = {}
    for row in xlsform.survey():
        for key in (f"label::{xlsform.FR}", f"label::{xlsform.EN}"):
            if row.get(key):
                names.setdefault(fold(row[key]), row["name"])
        names.setdefault(fold(row["name"]), row["name"])
    return names


LABELS = _labels()


def _segment(raw: str) -> str:
    """One part of a column path as an XML name: `victim[2]` stays indexed, a label becomes its name."""
    found = INDEXED.match(raw.strip())
    if found:
        return f"{LABELS.get(fold(found.group(1)), found.group(1))}[{found.group(2)}]"
    return LABELS.get(fold(raw), raw.strip().lower())


def _key(column: str) -> str:
    """`incident/start_date` → `start_date`; `violation[1]/group/women` → `violation[1]/women`: groups that
    do not repeat only prefix the names, which are unique within their repeat."""
    parts = [_segment(p) for p in column.split("/") if p.strip()]
    kept = [p for p in parts[:-1] if INDEXED.match(p)]
    return "/".join([*kept, parts[-1]]) if parts else ""


def detect(header: list[str]) -> bool:
    keys = {_key(h) for h in header}
    return "_uuid" in keys and "start_date" in keys


def read(path: Path) -> Sheet:
    with path.open("rb") as handle:
        start = handle.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
    if start.startswith((b"[", b"{")):
        return _read_json(path)
    sheet = _read_workbook(path) if start.startswith(b"PK") else open_table(path)
    return Sheet(sheet.header, _without_hxl(sheet.rows, len(sheet.header)), sheet.header_row)


def _read_json(path: Path) -> Sheet:
    """The submissions as the KoboToolbox API serves them (a list, or a page with `results`), repeats as
    nested lists, flattened to the CSV layout. Read whole: a page of the API holds at most 1,000."""
    import json

    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise refused(
            "Le fichier JSON est incomplet ou mal formé : téléchargez de nouveau les soumissions depuis "
            "KoboToolbox."
        ) from exc
    submissions = data.get("results", []) if isinstance(data, dict) else data
    flattened = [_flatten_json(s, "") for s in submissions if isinstance(s, dict)]
    header = list(dict.fromkeys(key for row in flattened for key in row))
    return Sheet(header, ((n + 1, [row.get(k, "") for k in header]) for n, row in enumerate(flattened)), 0)


def _flatten_json(submission: dict, prefix: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in submission.items():
        name = key.split("/")[-1]
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            for i, child in enumerate(value, start=1):
                out.update(_flatten_json(child, f"{prefix}{name}[{i}]/"))
        elif not isinstance(value, list | dict):
            out[prefix + (name if prefix else key)] = "" if value is None else str(value)
    return out


def _without_hxl(rows: Iterator[tuple[int, list[str]]], width: int) -> Iterator[tuple[int, list[str]]]:
    """The HXL row KoboToolbox can write under the header is tags, not a submission."""
    for number_, cells in rows:
        filled = [c.strip() for c in cells if c.strip()]
        if filled and all(c.startswith("#") for c in filled):
            continue
        yield number_, cells + [""] * (width - len(cells))


def _sheet_rows(sheet) -> tuple[list[str], list[list[str]]]:
    from ..reading import _cell_text

    rows = [[_cell_text(v) for v in values] for values in sheet.iter_rows(values_only=True)]
    header = [h.strip() for h in rows[0]] if rows else []
    return header, [r + [""] * (len(header) - len(r)) for r in rows[1:] if any(c.strip() for c in r)]


def _read_workbook(path: Path) -> Sheet:
    import openpyxl

    check_zip(path)
    try:
        book = openpyxl.load_workbook(path, read_only=True)
    except Exception as exc:  # noqa: BLE001 — openpyxl raises many types for a broken part
        raise refused(
            "Le classeur XLSX est incomplet ou endommagé (téléchargement interrompu ?). Ouvrez-le dans Excel "
            "ou LibreOffice, enregistrez-le de nouveau, puis importez-le."
        ) from exc
    try:
        main_header, main_rows = _sheet_rows(book.worksheets[0])
        children: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
        for sheet in book.worksheets[1:]:
            header, rows = _sheet_rows(sheet)
            repeat = _segment(sheet.title)
            if repeat not in REPEATS or "_parent_index" not in header:
                continue
            for cells in rows:
                row = dict(zip(header, cells, strict=True))
                parent = _segment(row.get("_parent_table_name", "")) or "main"
                if parent not in REPEATS:
                    parent = "main"
                children[(parent, row["_parent_index"])].append({"_repeat": repeat, **row})
    finally:
        book.close()
    flattened: list[dict[str, str]] = []
    for cells in main_rows:
        row = dict(zip(main_header, cells, strict=True))
        extra: dict[str, str] = {}
        _flatten(children, "main", row.get("_index", ""), "", extra)
        flattened.append(extra)
    columns = list(dict.fromkeys(c for extra in flattened for c in extra))
    header = main_header + columns
    rows_out = (
        (n + 2, cells + [extra.get(c, "") for c in columns])
        for n, (cells, extra) in enumerate(zip(main_rows, flattened, strict=True))
    )
    return Sheet(header, rows_out, 1)


def _flatten(children, table: str, index: str, prefix: str, out: dict[str, str]) -> None:
    counters: dict[str, int] = defaultdict(int)
    for child in children.get((table, index), []):
        repeat = child["_repeat"]
        counters[repeat] += 1
        path = f"{prefix}{repeat}[{counters[repeat]}]/"
        for column, value in child.items():
            if not column.startswith("_") and value.strip():
                out[path + column.split("/")[-1]] = value
        _flatten(children, repeat, child.get("_index", ""), path, out)


# --- one submission → one Record -----------------------------------------------------------------------------


class _Row:
    """The submission's cells by XML name, remembering each one's column as written for the messages."""

    def __init__(self, row: dict[str, str]) -> None:
        self.values: dict[str, str] = {}
        self.columns: dict[str, str] = {}
        for column, value in row.items():
            key = _key(column)
            if value.strip() or key not in self.values:
                self.values[key], self.columns[key] = value.strip(), column

    def get(self, key: str) -> str:
        return self.values.get(key, "")

    def column(self, key: str) -> str:
        return self.columns.get(key, key)

    def instances(self, prefix: str, repeat: str) -> list[str]:
        """`violation[1]/`, `violation[2]/`… in order, for the instances that hold any value."""
        pattern = re.compile(re.escape(prefix) + repeat + r"\[(\d+)\]/[^\[]*$")
        found = {int(m.group(1)) for k, v in self.values.items() if v and (m := pattern.match(k))}
        return [f"{prefix}{repeat}[{i}]/" for i in sorted(found)]


def _date(row: _Row, key: str, required: bool):
    raw = row.get(key)
    if not raw:
        if required:
            raise RowError(row.column(key), "", "Colonne « %(field)s » : la date des faits manque.")
        return None
    value = parse_date(raw[:10] if "T" in raw else raw)
    if value is None:
        raise RowError(
            row.column(key),
            raw,
            "Colonne « %(field)s » : « %(value)s » n'est pas une date (ex. : 2023-02-16).",
        )
    return value


def _victim(row: _Row, prefix: str, context: Context) -> VictimRecord:
    age_raw = row.get(prefix + "age")
    age = number(age_raw, row.column(prefix + "age")) if age_raw else None
    if age is not None and age > MAX_AGE:
        raise RowError(
            row.column(prefix + "age"),
            age_raw,
            "Colonne « %(field)s » : « %(value)s » n'est pas un âge possible ; écrivez un âge de 0 à 120 ans, "
            "ou laissez la cellule vide.",
        )
    lookup = context.lookup
    categories = [
        vocabulary_code(lookup, "victim_category", c, row.column(prefix + "categories"))
        for c in row.get(prefix + "categories").split()
    ]
    return VictimRecord(
        given_name=row.get(prefix + "given_name"),
        family_name=row.get(prefix + "family_name"),
        sex=_sex(row.get(prefix + "sex")),
        age=age,
        age_estimated=fold(row.get(prefix + "age_estimated")) in {"yes", "oui"},
        categories=tuple(categories),
        status_after=vocabulary_code(
            lookup, "victim_status", row.get(prefix + "status_after"), row.column(prefix + "status_after")
        ),
    )


def _violation(row: _Row, prefix: str, context: Context) -> ViolationRecord:
    lookup = context.lookup
    key = prefix + "violation_type"
    code = vocabulary_code(lookup, "violation_type", row.get(key), row.column(key), leaves_only=True)
    if not code:
        raise RowError(
            row.column(key),
            "",
            "Colonne « %(field)s » : le type de violation manque ; choisissez-le dans la liste.",
        )
    violation = ViolationRecord(
        type_code=code,
        method_codes=tuple(
            vocabulary_code(lookup, "method", m, row.column(prefix + "methods"))
            for m in row.get(prefix + "methods").split()
        ),
    )
    violation.victims = [_victim(row, p, context) for p in row.instances(prefix, "victim")]
    women, men, girls, boys, unknown = (
        number(row.get(prefix + c), row.column(prefix + c)) for c in GROUP_COLUMNS
    )
    if women + men + girls + boys + unknown:
        violation.groups.append(GroupRecord(women=women, men=men, girls=girls, boys=boys, unknown=unknown))
    for p in row.instances(prefix, "perpetrator"):
        category = vocabulary_code(
            lookup,
            "perpetrator_category",
            row.get(p + "perpetrator_category"),
            row.column(p + "perpetrator_category"),
        )
        actor = lookup.actor_named(row.get(p + "actor")) if row.get(p + "actor") else None
        violation.perpetrators.append(
            PerpetratorRecord(category_code=category, actor_name=actor.code if actor else "")
        )
    return violation


def _location(row: _Row) -> tuple[float | None, float | None]:
    parts = row.get("location").split()
    try:
        return (float(parts[0]), float(parts[1])) if len(parts) >= 2 else (None, None)
    except ValueError:
        return None, None


def map_row(row: dict[str, str], context: Context) -> Record:
    submission = _Row(row)
    return submission_record(submission, context, SOURCE, submission_key=submission.get("_uuid"))


def submission_record(submission: _Row, context: Context, source: str, submission_key: str) -> Record:
    """One submission of Kurukan's form as a record: shared by the KoboToolbox and ODK Central formats."""
    start = _date(submission, "start_date", True)
    end = _date(submission, "end_date", False)
    if end is not None and end < start:
        raise RowError(
            submission.column("end_date"),
            submission.get("end_date"),
            "Colonne « %(field)s » : la date de fin précède la date de début ; corrigez l'une des deux.",
        )
    names = [submission.get(k) for k in ("region", "cercle", "commune")]
    try:
        place = context.places.resolve(
            pcodes=tuple(reversed(names)),
            region=names[0],
            cercle=names[1],
            commune=names[2],
            location=submission.get("settlement"),
            fields=tuple(submission.column(k) for k in ("region", "cercle", "commune", "settlement")),  # type: ignore[arg-type]
        )
    except PlaceProblem as problem:
        raise _place_error(problem) from None
    violations = [_violation(submission, p, context) for p in submission.instances("", "violation")]
    if not violations:
        raise RowError(
            "violation[1]/violation_type",
            "",
            "La soumission ne contient aucune violation : ajoutez-en au moins une (colonne « %(field)s »).",
        )
    latitude, longitude = _location(submission)
    precision = submission.get("date_precision") or "day"
    return Record(
        title=submission.get("title")[:250] or violations[0].type_code,
        start_date=start,
        end_date=end,
        date_precision=precision,
        source_org=context.organisation,
        confidentiality=context.confidentiality,
        external_ids={source: submission_key} if submission_key else {},
        admin1_pcode=place.region,
        admin2_pcode=place.cercle,
        admin3_pcode=place.commune,
        settlement_pcode=place.settlement,
        latitude=latitude,
        longitude=longitude,
        geo_precision=1 if latitude is not None else 2,
        narrative=submission.get("narrative"),
        public_summary=submission.get("public_summary"),
        violations=violations,
    )
