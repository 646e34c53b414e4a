"""Kurukan's XLSForm: the incident form for KoboCollect and ODK Collect, built from the live vocabularies and
places, so that a team collects offline and imports the exports without any mapping.

The field names below are the contract with the `kobo` and `odk` import formats: a submission's columns
(`violation/violation_type`, `violation/victim/victim_age`…) are these names and their repeat groups.
Choice values are Kurukan's codes (vocabulary codes, P-codes), so nothing needs translating back. French
and English labels come from the vocabularies; constraints repeat the recording forms' checks (dates not in
the future, an end after the start, ages 0–120, coordinates in range, a group with at least one victim).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import IO

from django.utils.translation import gettext as _
from openpyxl import Workbook

from kurukan.actors.models import Actor
from kurukan.incidents.forms import MAX_AGE
from kurukan.incidents.models import DatePrecision
from kurukan.people.models import Sex
from kurukan.places.models import AdminUnit, Level
from kurukan.vocabularies.models import Term

FORM_ID = "kurukan_incident"
FR, EN = "Français (fr)", "English (en)"
SURVEY_COLUMNS = [
    "type",
    "name",
    f"label::{FR}",
    f"label::{EN}",
    f"hint::{FR}",
    f"hint::{EN}",
    "required",
    "relevant",
    "constraint",
    f"constraint_message::{FR}",
    f"constraint_message::{EN}",
    "choice_filter",
    "appearance",
    "default",
    "calculation",
]
CHOICE_COLUMNS = ["list_name", "name", f"label::{FR}", f"label::{EN}", "region", "cercle", "category"]


def _q(
    kind: str,
    name: str,
    fr: str = "",
    en: str = "",
    *,
    hint: tuple[str, str] = ("", ""),
    required: bool = False,
    constraint: str = "",
    message: tuple[str, str] = ("", ""),
    **extra: str,
) -> dict[str, str]:
    row = {
        "type": kind,
        "name": name,
        f"label::{FR}": fr,
        f"label::{EN}": en,
        f"hint::{FR}": hint[0],
        f"hint::{EN}": hint[1],
        "required": "yes" if required else "",
        "constraint": constraint,
        f"constraint_message::{FR}": message[0],
        f"constraint_message::{EN}": message[1],
    }
    row.update(extra)
    return row


def survey() -> list[dict[str, str]]:
    """The questions. Changing a name breaks the import of forms already in the field: add, never rename."""
    age = f". >= 0 and . <= {MAX_AGE}"
    count = ". >= 0"
    return [
        _q("start", "start"),
        _q("end", "end"),
        _q("today", "today"),
        _q("deviceid", "deviceid"),
        _q("begin_group", "incident", "Incident", "Incident", appearance="field-list"),
        _q(
            "text",
            "title",
            "Titre (sans nom de victime)",
            "Title (no victim's name)",
            required=True,
        ),
        _q(
            "date",
            "start_date",
            "Date des faits",
            "Date of the events",
            required=True,
            constraint=". <= today()",
            message=(
                "La date de début est dans le futur : indiquez la date des faits.",
                "The start date is in the future: give the date of the events.",
            ),
        ),
        _q(
            "select_one date_precision",
            "date_precision",
            "Précision de la date",
            "Date precision",
            default="day",
        ),
        _q(
            "date",
            "end_date",
            "Date de fin (si les faits ont duré)",
            "End date (if the events lasted)",
            constraint=". <= today() and . >= ${start_date}",
            message=(
                "La date de fin précède la date de début ou est dans le futur : corrigez-la.",
                "The end date is before the start date or in the future: correct it.",
            ),
        ),
        _q("select_one region", "region", "Région", "Region", required=True, appearance="minimal"),
        _q(
            "select_one cercle",
            "cercle",
            "Cercle",
            "Cercle",
            choice_filter="region=${region}",
            appearance="minimal",
        ),
        _q(
            "select_one commune",
            "commune",
            "Commune",
            "Commune",
            choice_filter="cercle=${cercle}",
            appearance="minimal",
            relevant="${cercle} != ''",
        ),
        _q("text", "settlement", "Village ou quartier", "Village or neighbourhood"),
        _q(
            "geopoint",
            "location",
            "Position",
            "Location",
            hint=(
                "Facultatif : seulement si vous êtes sur les lieux.",
                "Optional: only if you are at the place.",
            ),
        ),
        _q(
            "text",
            "public_summary",
            "Résumé public (sans nom ni détail identifiant)",
            "Public summary (no name or identifying detail)",
            appearance="multiline",
        ),
        _q(
            "text",
            "narrative",
            "Récit détaillé (protégé)",
            "Detailed narrative (protected)",
            appearance="multiline",
        ),
        _q("end_group", "incident"),
        _q("begin_repeat", "violation", "Violation ou atteinte", "Violation or abuse"),
        _q(
            "select_one violation_type",
            "violation_type",
            "Type de violation ou d'atteinte",
            "Type of violation or abuse",
            required=True,
        ),
        _q("select_multiple method", "methods", "Méthodes", "Methods"),
        _q("begin_repeat", "victim", "Victime nommée", "Named victim"),
        _q("text", "given_name", "Prénom(s)", "Given name(s)"),
        _q("text", "family_name", "Nom de famille", "Family name"),
        _q("select_one sex", "sex", "Sexe", "Sex", default="unknown"),
        _q(
            "integer",
            "age",
            "Âge au moment des faits",
            "Age at the time",
            constraint=age,
            message=(
                f"L'âge doit être compris entre 0 et {MAX_AGE} ans.",
                f"The age must be between 0 and {MAX_AGE}.",
            ),
        ),
        _q("select_one yes_no", "age_estimated", "Âge estimé ?", "Estimated age?", default="no"),
        _q(
            "select_one victim_status",
            "status_after",
            "Situation après les faits",
            "Situation after the events",
        ),
        _q("select_multiple victim_category", "categories", "Catégories", "Categories"),
        _q("end_repeat", "victim"),
        _q("begin_group", "group", "Victimes sans nom (nombres)", "Unnamed victims (numbers)"),
        *[
            _q(
                "integer",
                name,
                fr,
                en,
                constraint=count,
                message=("Un nombre positif ou nul.", "A number of zero or more."),
            )
            for name, fr, en in (
                ("women", "Femmes", "Women"),
                ("men", "Hommes", "Men"),
                ("girls", "Filles", "Girls"),
                ("boys", "Garçons", "Boys"),
                ("unknown", "Sexe ou âge inconnu", "Sex or age unknown"),
            )
        ],
        _q("end_group", "group"),
        _q("begin_repeat", "perpetrator", "Auteur présumé", "Alleged perpetrator"),
        _q(
            "select_one perpetrator_category",
            "perpetrator_category",
            "Catégorie d'auteur",
            "Perpetrator category",
            required=True,
        ),
        _q(
            "select_one actor",
            "actor",
            "Acteur (si connu)",
            "Actor (if known)",
            choice_filter="category=${perpetrator_category}",
        ),
        _q("end_repeat", "perpetrator"),
        _q("end_repeat", "violation"),
        _q(
            "text",
            "source",
            "Source de l'information (protégée)",
            "Source of the information (protected)",
            appearance="multiline",
        ),
    ]


def _terms(vocabulary: str, list_name: str, leaves_only: bool = False) -> Iterator[dict[str, str]]:
    terms = Term.objects.of(vocabulary).active().order_by("code")
    if leaves_only:
        terms = terms.leaves()
    for term in terms:
        yield {
            "list_name": list_name,
            "name": term.code,
            f"label::{FR}": term.label_fr,
            f"label::{EN}": term.label_en,
        }


def choices() -> list[dict[str, str]]:
    rows: list[dict[str, str]] = [
        {"list_name": "date_precision", "name": value, f"label::{FR}": str(label), f"label::{EN}": value}
        for value, label in DatePrecision.choices
    ]
    rows += [
        {"list_name": "sex", "name": value, f"label::{FR}": str(label), f"label::{EN}": value.capitalize()}
        for value, label in Sex.choices
    ]
    rows += [
        {"list_name": "yes_no", "name": "yes", f"label::{FR}": "Oui", f"label::{EN}": "Yes"},
        {"list_name": "yes_no", "name": "no", f"label::{FR}": "Non", f"label::{EN}": "No"},
    ]
    rows += _terms("violation_type", "violation_type", leaves_only=True)
    rows += _terms("method", "method")
    rows += _terms("victim_status", "victim_status")
    rows += _terms("victim_category", "victim_category")
    rows += _terms("perpetrator_category", "perpetrator_category", leaves_only=True)
    rows += [
        {
            "list_name": "actor",
            "name": actor.code,
            f"label::{FR}": actor.short_name or actor.name,
            f"label::{EN}": actor.short_name or actor.name,
            "category": actor.category.code,
        }
        for actor in Actor.objects.filter(active=True).select_related("category").order_by("code")
    ]
    units = AdminUnit.objects.current().select_related("parent").order_by("pcode")
    for unit in units.filter(level__in=[Level.REGION, Level.CERCLE, Level.COMMUNE]):
        row = {"list_name": Level(unit.level).name.lower(), "name": unit.pcode}
        row.update({f"label::{FR}": unit.name, f"label::{EN}": unit.name})
        if unit.level == Level.CERCLE:
            row["region"] = unit.parent.pcode if unit.parent else ""
        if unit.level == Level.COMMUNE:
            row["cercle"] = unit.parent.pcode if unit.parent else ""
        rows.append(row)
    return rows


def settings_row(public_key: str = "") -> dict[str, str]:
    row = {
        "form_title": "Kurukan — incident",
        "form_id": FORM_ID,
        # A new version for each generation: KoboToolbox and ODK Central refuse a changed form under an old one.
        "version": dt.datetime.now(dt.UTC).strftime("%Y%m%d%H%M"),
        "default_language": FR,
        "allow_choice_duplicates": "yes",  # a cercle and its main commune share a name, not a code
    }
    if public_key:
        row["public_key"] = public_key
    return row


class NotReady(ValueError):
    """The database lacks what the form lists: a form without regions would not even convert."""


def workbook(public_key: str = "") -> Workbook:
    if not AdminUnit.objects.current().filter(level=Level.REGION).exists():
        raise NotReady(_("Aucun lieu n'est chargé : lancez d'abord « kurukan places load »."))
    book = Workbook()
    sheets = [
        ("survey", SURVEY_COLUMNS, survey()),
        ("choices", CHOICE_COLUMNS, choices()),
        ("settings", list(settings_row(public_key)), [settings_row(public_key)]),
    ]
    book.remove(book.active)
    for title, columns, rows in sheets:
        sheet = book.create_sheet(title)
        sheet.append(columns)
        for row in rows:
            sheet.append([row.get(column, "") or None for column in columns])
    return book


def write(target: str | IO[bytes], public_key: str = "") -> None:
    workbook(public_key).save(target)
