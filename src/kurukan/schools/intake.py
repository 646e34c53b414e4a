"""Education-cluster lists of schools (CSV or XLSX, one row per school with its status and date).

Shaped as an import format (detect → parse rows → map a row to the canonical record → write in batches →
a result), so that it moves to `imports/formats/schools.py` when the intake machinery lands. The template,
with every column explained, is `schools/data/schools_template.csv` and docs/schools.md.

A re-import appends to each school's history or says "unchanged"; it never creates a school twice (the
national school code is the key). A row that breaks a rule is kept aside with its row number, field and fix,
and the rest of the file is written.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kurukan.accounts.models import Organisation
from kurukan.audit import log as audit
from kurukan.audit.models import Action
from kurukan.text import fold
from kurukan.vocabularies.models import Term

from . import actions, history
from .forms import find_commune, find_settlement
from .models import School, StatusChange

BATCH = 500
TEMPLATE = Path(__file__).parent / "data" / "schools_template.csv"

# Column name in the file (folded, either language) → canonical name.
COLUMNS = {
    "code_ecole": "code",
    "school_code": "code",
    "code": "code",
    "nom_ecole": "name",
    "school_name": "name",
    "nom": "name",
    "niveau": "level",
    "level": "level",
    "statut_ecole": "management",
    "management": "management",
    "region": "region",
    "cercle": "cercle",
    "commune": "commune",
    "commune_pcode": "commune_pcode",
    "pcode_commune": "commune_pcode",
    "localite": "settlement",
    "settlement": "settlement",
    "latitude": "latitude",
    "longitude": "longitude",
    "eleves_filles": "pupils_girls",
    "pupils_girls": "pupils_girls",
    "eleves_garcons": "pupils_boys",
    "pupils_boys": "pupils_boys",
    "enseignantes": "teachers_women",
    "teachers_women": "teachers_women",
    "enseignants": "teachers_men",
    "teachers_men": "teachers_men",
    "etat": "status",
    "status": "status",
    "date_etat": "starts_on",
    "status_date": "starts_on",
    "precision_date": "date_precision",
    "date_precision": "date_precision",
    "motif": "reason",
    "reason": "reason",
    "eleves_affectes": "pupils_affected",
    "pupils_affected": "pupils_affected",
    "enseignants_affectes": "teachers_affected",
    "teachers_affected": "teachers_affected",
    "source": "source",
}
REQUIRED = ("code", "name", "level")
NUMBERS = (
    "pupils_girls",
    "pupils_boys",
    "teachers_women",
    "teachers_men",
    "pupils_affected",
    "teachers_affected",
)
SCHOOL_FIELDS = ("name", "level", "management", "settlement", "latitude", "longitude", *NUMBERS[:4])


@dataclass
class Problem:
    row: int
    field: str
    message: str

    def __str__(self) -> str:
        return _("Ligne %(row)s, colonne « %(field)s » : %(message)s") % {
            "row": self.row,
            "field": self.field,
            "message": self.message,
        }


@dataclass
class ImportResult:
    rows: int = 0
    schools_created: int = 0
    schools_updated: int = 0
    statuses_added: int = 0
    unchanged: int = 0
    quarantine: list[Problem] = field(default_factory=list)

    @property
    def quarantined(self) -> int:
        return len({p.row for p in self.quarantine})

    @property
    def problems(self) -> list[str]:
        return [str(p) for p in self.quarantine]

    def summary(self) -> str:
        return _(
            "%(rows)s lignes lues : %(created)s écoles ajoutées, %(updated)s mises à jour, %(added)s états "
            "ajoutés, %(unchanged)s inchangées, %(quarantined)s en quarantaine."
        ) % {
            "rows": self.rows,
            "created": self.schools_created,
            "updated": self.schools_updated,
            "added": self.statuses_added,
            "unchanged": self.unchanged,
            "quarantined": self.quarantined,
        }


# --- detect and parse (pure) ---------------------------------------------------------------------------------


def _column(name: Any) -> str:
    return fold(str(name or "")).strip().replace(" ", "_").replace("-", "_")


def detect(header: list[str]) -> bool:
    """A schools list names a school code and a school status column (either language)."""
    names = {COLUMNS.get(_column(h)) for h in header}
    return {"code", "name"} <= names and "status" in names


def read_table(name: str, content: bytes) -> Iterator[list[Any]]:
    """Rows of a CSV (UTF-8, comma or semicolon) or XLSX file, header first."""
    if name.lower().endswith((".xlsx", ".xlsm")):
        from python_calamine import CalamineWorkbook

        book = CalamineWorkbook.from_filelike(io.BytesIO(content))
        yield from book.get_sheet_by_index(0).to_python(skip_empty_area=False)
        return
    text = content.decode("utf-8-sig")
    # The header decides the delimiter: Kobo and French spreadsheet programs write semicolons.
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    yield from csv.reader(io.StringIO(text), delimiter=delimiter)


def parse_rows(name: str, content: bytes) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number as a spreadsheet shows it, {canonical column: text}) for every non-empty row."""
    table = read_table(name, content)
    header = next(table, None)
    if header is None:
        return
    columns = [COLUMNS.get(_column(h)) for h in header]
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise ValueError(
            _("Colonnes manquantes : %(cols)s. Partez du modèle schools_template.csv (voir docs/schools.md).")
            % {"cols": ", ".join(missing)}
        )
    for number, cells in enumerate(table, start=2):
        values = {}
        for column, cell in zip(columns, cells, strict=False):
            if column is None:
                continue
            if isinstance(cell, float) and cell.is_integer() and column in NUMBERS:
                cell = int(cell)
            values[column] = cell.isoformat()[:10] if isinstance(cell, dt.date) else str(cell or "").strip()
        if any(values.values()):
            yield number, values


# --- map a row to the canonical record ------------------------------------------------------------------------


class Vocabularies:
    """Codes and labels (French or English, accents and case ignored) → terms, read once per import."""

    def __init__(self) -> None:
        self.terms: dict[tuple[str, str], Term] = {}
        for term in Term.objects.filter(
            vocabulary__in=["school_level", "school_management", "school_status", "closure_reason"],
            active=True,
        ):
            for key in (term.code, term.label_fr, term.label_en):
                self.terms.setdefault((term.vocabulary, fold(key)), term)

    def find(self, vocabulary: str, text: str) -> Term | None:
        return self.terms.get((vocabulary, fold(text)))

    def choices(self, vocabulary: str) -> str:
        return ", ".join(sorted({t.code for (v, _k), t in self.terms.items() if v == vocabulary}))


def _date(text: str) -> dt.date | None:
    day, month, year = (text[:10].split("/") + ["", ""])[:3]
    iso = text[:10] if "/" not in text else f"{year}-{month.zfill(2)}-{day.zfill(2)}"
    try:
        return dt.date.fromisoformat(iso)
    except ValueError:
        return None


def map_row(row: dict[str, str], vocabularies: Vocabularies) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The canonical record of one row ({"school": {...}, "status": {...} or None}) and its errors."""
    errors: list[tuple[str, str]] = []
    school: dict[str, Any] = {"code": row.get("code", "").upper(), "name": row.get("name", "")}
    for column in ("code", "name"):
        if not row.get(column):
            errors.append((column, _("valeur obligatoire : indiquez-la.")))
    for column, vocabulary in (("level", "school_level"), ("management", "school_management")):
        text = row.get(column, "")
        school[column] = vocabularies.find(vocabulary, text) if text else None
        if column == "level" and not text:
            errors.append((column, _("valeur obligatoire : indiquez-la.")))
        elif text and school[column] is None:
            errors.append(
                (column, _("« %(value)s » n'est pas reconnu ; valeurs possibles : %(codes)s.")
                 % {"value": text, "codes": vocabularies.choices(vocabulary)})
            )  # fmt: skip
    commune, problem = find_commune(row.get("commune_pcode") or row.get("commune", ""))
    if commune is not None and row.get("cercle") and fold(commune.parent.name) != fold(row["cercle"]):
        commune, problem = (
            None,
            _("la commune %(commune)s n'est pas dans le cercle %(cercle)s.")
            % {
                "commune": commune,
                "cercle": row["cercle"],
            },
        )
    if commune is None:
        errors.append(("commune", problem))
    school["commune"] = commune

    for column in NUMBERS:
        text = row.get(column, "")
        if text and not text.isdigit():
            errors.append((column, _("« %(value)s » n'est pas un nombre entier positif.") % {"value": text}))
        school[column] = int(text) if text.isdigit() else None
    for column, low, high in (("latitude", 10, 25.5), ("longitude", -12.5, 4.5)):
        text = row.get(column, "").replace(",", ".")
        try:
            school[column] = float(text) if text else None
        except ValueError:
            school[column] = None
            errors.append((column, _("« %(value)s » n'est pas un nombre décimal.") % {"value": text}))
        if school[column] is not None and not low <= school[column] <= high:
            errors.append(
                (column, _("hors du Mali : entre %(low)s et %(high)s.") % {"low": low, "high": high})
            )
    school["settlement"] = None
    if commune is not None and row.get("settlement"):
        near = (school["latitude"], school["longitude"]) if school["latitude"] is not None else None
        school["settlement"], problem = find_settlement(row["settlement"], commune, near)
        if problem:
            errors.append(("settlement", problem))
    status = None
    if row.get("status"):
        status = {
            "status": vocabularies.find("school_status", row["status"]),
            "reason": vocabularies.find("closure_reason", row.get("reason", ""))
            if row.get("reason")
            else None,
            "starts_on": _date(row.get("starts_on", "")),
            "date_precision": row.get("date_precision") or "day",
            "pupils_affected": school.pop("pupils_affected"),
            "teachers_affected": school.pop("teachers_affected"),
            "source": row.get("source", "")[:250],
        }
        if status["status"] is None:
            errors.append(("status", _("« %(value)s » n'est pas un état connu ; valeurs possibles : %(codes)s.")
                           % {"value": row["status"], "codes": vocabularies.choices("school_status")}))  # fmt: skip
        if status["starts_on"] is None:
            errors.append(
                ("starts_on", _("date absente ou illisible : écrivez-la AAAA-MM-JJ ou JJ/MM/AAAA."))
            )
        elif status["starts_on"] > timezone.localdate():
            errors.append(("starts_on", _("date dans le futur : indiquez le jour où l'état a changé.")))
        if row.get("reason") and status["reason"] is None:
            errors.append(("reason", _("« %(value)s » n'est pas un motif connu ; valeurs possibles : %(codes)s.")
                           % {"value": row["reason"], "codes": vocabularies.choices("closure_reason")}))  # fmt: skip
        closes = status["status"] is not None and actions.closed_flag(status["status"])
        if closes and status["reason"] is None and not row.get("reason"):
            errors.append(("reason", _("une fermeture a un motif : indiquez-le.")))
    else:
        school.pop("pupils_affected"), school.pop("teachers_affected")
    return {"school": school, "status": status}, errors


# --- write ------------------------------------------------------------------------------------------------------


def _save_school(data: dict[str, Any], user: Any, result: ImportResult) -> School:
    school = School.objects.filter(code=data["code"]).first()
    values = {k: v for k, v in data.items() if k != "code" and v is not None}
    if school is None:
        school = School(code=data["code"], **{k: v for k, v in values.items()})
        if school.latitude is None:
            place = school.settlement or school.commune
            school.latitude, school.longitude = place.latitude, place.longitude
        actions.add_school(school, user)
        result.schools_created += 1
        return school
    changed = [k for k, v in values.items() if k in (*SCHOOL_FIELDS, "commune") and getattr(school, k) != v]
    if changed:
        for k in changed:
            setattr(school, k, values[k])
        actions.update_school(school, user, changed)  # simple_history keeps the previous version
        result.schools_updated += 1
    return school


def _write_row(
    number: int, record: dict[str, Any], organisation: Organisation, user: Any, result: ImportResult
) -> None:
    school = _save_school(record["school"], user, result)
    data = record["status"]
    if data is None:
        return
    change = StatusChange(school=school, organisation=organisation, **data)
    change.closed = actions.closed_flag(change.status)
    entries = actions.history_of(school)
    new = history.Entry(None, change.starts_on, change.status.code, change.closed, change.status.label)
    if history.restates(entries, new):
        result.unchanged += 1
        return
    problem = history.problem_with(entries, new)
    if problem:
        result.quarantine.append(Problem(number, "date_etat", problem))
        return
    actions.record_status_change(change, user)
    result.statuses_added += 1


def import_rows(
    rows: Iterator[tuple[int, dict[str, str]]], organisation: Organisation, user: Any = None
) -> ImportResult:
    result = ImportResult()
    vocabularies = Vocabularies()
    batch: list[tuple[int, dict[str, Any]]] = []

    def flush() -> None:
        # One transaction per batch: a crash leaves whole batches, never half of one.
        with transaction.atomic():
            for number, record in batch:
                with transaction.atomic():  # a row refused by the database leaves the rest of the batch
                    _write_row(number, record, organisation, user, result)
        batch.clear()

    for number, row in rows:
        result.rows += 1
        record, errors = map_row(row, vocabularies)
        if errors:
            result.quarantine.extend(Problem(number, column, message) for column, message in errors)
            continue
        batch.append((number, record))
        if len(batch) >= BATCH:
            flush()
    flush()
    audit.record(
        Action.IMPORT,
        user=user,
        object_type="schools.school",
        object_id=organisation.code,
        rows=result.rows,
        created=result.schools_created,
        updated=result.schools_updated,
        statuses=result.statuses_added,
        unchanged=result.unchanged,
        quarantined=result.quarantined,
    )
    return result


def organisation_for(code: str | None, user: Any = None) -> Organisation:
    if code:
        found = Organisation.objects.filter(code=code).first()
        if found is None:
            known = ", ".join(Organisation.objects.values_list("code", flat=True)) or "—"
            raise ValueError(
                _("Aucune organisation n'a le code « %(code)s » (codes connus : %(known)s).")
                % {"code": code, "known": known}
            )
        return found
    if user is not None and getattr(user, "organisation_id", None):
        return user.organisation
    raise ValueError(_("Dites à quelle organisation appartiennent ces états : --organisation CODE."))


def import_schools(path: str | Path, organisation_code: str | None = None, user: Any = None) -> ImportResult:
    path = Path(path)
    organisation = organisation_for(organisation_code, user)
    return import_rows(parse_rows(path.name, path.read_bytes()), organisation, user)
