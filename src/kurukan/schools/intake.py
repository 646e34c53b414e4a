"""Education-cluster lists of schools (CSV or XLSX, one row per school with its status and date).

A register of the intake machinery (`kurukan.imports.registers`): the list is an `ImportJob` with its
progress, rows are written in atomic batches, and a row that breaks a rule goes to the job's quarantine with
its column and fix, in French and English, to be corrected in the quarantine page (`/imports/<job>/`). The
template, with every column explained, is `schools/data/schools_template.csv` and docs/schools.md.

A re-import appends to each school's history or says "unchanged"; it never creates a school twice (the
national school code is the key). A row whose status contradicts the school's history is refused whole:
neither the school's details nor the status of that row are written until it is corrected.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kurukan.accounts.models import Organisation
from kurukan.imports import registers
from kurukan.imports.actions import copy_file
from kurukan.imports.formats import RowError
from kurukan.imports.models import ImportJob
from kurukan.imports.reading import Sheet, open_table, refused
from kurukan.text import fold
from kurukan.vocabularies.models import Term

from . import actions, history
from .forms import find_commune, find_settlement
from .models import School, StatusChange

NAME = "schools"
LABEL = gettext_lazy("liste d'écoles (cluster Éducation)")
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
# A corrected cell comes back under the canonical name when the file had no such column.
COLUMNS.update({name: name for name in set(COLUMNS.values())})
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


# --- detect and parse (pure) ---------------------------------------------------------------------------------


def _column(name: Any) -> str:
    return fold(str(name or "")).strip().replace(" ", "_").replace("-", "_")


def detect(header: list[str]) -> bool:
    """A schools list names a school code and a school status column (either language)."""
    names = {COLUMNS.get(_column(h)) for h in header}
    return {"code", "name"} <= names and "status" in names


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


def _record(row: dict[str, str], vocabularies: Vocabularies) -> tuple[dict[str, Any], list[tuple[str, str]]]:
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


# --- the register: read, start, map, write (kurukan.imports.registers) ------------------------------------------


def open(path: Path) -> Sheet:  # noqa: A001 — the register's interface names it so
    return open_table(path)


@dataclass
class State:
    organisation: Organisation
    user: Any
    vocabularies: Vocabularies
    header_of: dict[str, str]  # canonical column → the file's own header (for the quarantine's "field")
    schools_created: int = 0
    schools_updated: int = 0
    statuses_added: int = 0
    unchanged: int = 0


def start(job: ImportJob, header: list[str]) -> State:
    if job.organisation is None:
        raise refused("Dites à quelle organisation appartiennent ces états : --organisation CODE.")
    header_of: dict[str, str] = {}
    for name in header:
        canonical = COLUMNS.get(_column(name))
        if canonical:
            header_of.setdefault(canonical, name)
    missing = [c for c in REQUIRED if c not in header_of]
    if missing:
        raise refused(
            "Colonnes manquantes : %(cols)s. Partez du modèle schools_template.csv (voir docs/schools.md).",
            cols=", ".join(missing),
        )
    return State(job.organisation, job.requested_by, Vocabularies(), header_of)


def _canonical(row: dict[str, str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for name, cell in row.items():
        canonical = COLUMNS.get(_column(name))
        if canonical and (cell.strip() or canonical not in values):
            values[canonical] = cell.strip()
    return values


def _line(number: int, column: str, message: str) -> str:
    return _("Ligne %(row)s, colonne « %(field)s » : %(message)s") % {
        "row": number,
        "field": column,
        "message": message,
    }


def _in_both_languages(number: int, row: dict[str, str], state: State) -> tuple[str, str, str]:
    """(column, French message, English message) of a row's problems: the rules run once per language."""
    messages = {}
    column = ""
    for language in ("fr", "en"):
        with translation.override(language):
            _unused, errors = _record(row, state.vocabularies)
            column = errors[0][0]
            messages[language] = " ".join(_line(number, state.header_of.get(c, c), m) for c, m in errors)
    return column, messages["fr"], messages["en"]


def map_row(state: State, number: int, row: dict[str, str]) -> dict[str, Any]:
    values = _canonical(row)
    record, errors = _record(values, state.vocabularies)
    if errors:
        column, french, english = _in_both_languages(number, values, state)
        if column == "commune" and values.get("commune_pcode"):
            column = "commune_pcode"  # the P-code is read first: that is the cell to correct
        raise registers.row_error(
            state.header_of.get(column, column), values.get(column, ""), french, english
        )
    return record


class _Refused(Exception):
    def __init__(self, error: RowError) -> None:
        self.error = error


def write(state: State, items: list[tuple[int, dict[str, Any]]]) -> list[tuple[int, str | RowError]]:
    outcomes: list[tuple[int, str | RowError]] = []
    for number, record in items:
        try:
            with transaction.atomic():  # a refused row leaves nothing behind, not even its school's details
                outcomes.append((number, _write_row(number, record, state)))
        except _Refused as refusal:
            outcomes.append((number, refusal.error))
    return outcomes


def _save_school(data: dict[str, Any], user: Any) -> tuple[School, str]:
    school = School.objects.filter(code=data["code"]).first()
    values = {k: v for k, v in data.items() if k != "code" and v is not None}
    if school is None:
        school = School(code=data["code"], **values)
        if school.latitude is None:
            place = school.settlement or school.commune
            school.latitude, school.longitude = place.latitude, place.longitude
        actions.add_school(school, user)
        return school, "created"
    changed = [k for k, v in values.items() if k in (*SCHOOL_FIELDS, "commune") and getattr(school, k) != v]
    if changed:
        for k in changed:
            setattr(school, k, values[k])
        actions.update_school(school, user, changed)  # simple_history keeps the previous version
        return school, "updated"
    return school, "unchanged"


def _write_row(number: int, record: dict[str, Any], state: State) -> str:
    school, school_outcome = _save_school(record["school"], state.user)
    added = False
    data = record["status"]
    if data is not None:
        change = StatusChange(school=school, organisation=state.organisation, **data)
        change.closed = actions.closed_flag(change.status)
        entries = actions.history_of(school)
        new = history.Entry(None, change.starts_on, change.status.code, change.closed, change.status.label)
        if not history.restates(entries, new):
            problem = {}
            column = state.header_of.get("starts_on", "starts_on")
            for language in ("fr", "en"):
                with translation.override(language):
                    found = history.problem_with(entries, new)
                    problem[language] = _line(number, column, found) if found else ""
            if problem["fr"]:
                raise _Refused(
                    registers.row_error(column, change.starts_on.isoformat(), problem["fr"], problem["en"])
                )
            actions.record_status_change(change, state.user)
            added = True
    state.schools_created += school_outcome == "created"
    state.schools_updated += school_outcome == "updated"
    state.statuses_added += added
    if school_outcome == "created":
        return "created"
    if school_outcome == "updated" or added:
        return "updated"
    state.unchanged += 1
    return "unchanged"


def summary(state: State, job: ImportJob) -> str:
    job.refresh_from_db()
    return _(
        "%(rows)s lignes lues : %(created)s écoles ajoutées, %(updated)s mises à jour, %(added)s états "
        "ajoutés, %(unchanged)s inchangées, %(quarantined)s en quarantaine."
    ) % {
        "rows": job.rows_read,
        "created": state.schools_created,
        "updated": state.schools_updated,
        "added": state.statuses_added,
        "unchanged": job.unchanged,
        "quarantined": job.quarantined,
    }


# --- starting an import (the command line and the page) ----------------------------------------------------------


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


def start_job(stored: Path, filename: str, organisation: Organisation | None, user: Any = None) -> ImportJob:
    """A job for a file already under the data directory (`imports.actions.store_upload` / `copy_file`)."""
    import sys

    return registers.start(
        module=sys.modules[__name__], user=user, organisation=organisation, path=stored, filename=filename
    )


def import_schools(
    path: str | Path, organisation_code: str | None = None, user: Any = None, progress=None
) -> ImportJob:
    """`kurukan schools import`: the job run in the foreground; returns the finished job."""
    path = Path(path)
    organisation = organisation_for(organisation_code, user)
    if not path.is_file():
        raise ValueError(_("Aucun fichier à %(path)s.") % {"path": path})
    job = start_job(copy_file(path), path.name, organisation, user)
    return registers.run(job, progress=progress)
