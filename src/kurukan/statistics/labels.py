"""Words for the codes `counting.table` returns, in the reader's language: P-codes → place names, vocabulary
codes → labels, `2022-03` → "mars 2022". One query per field shown, whatever the number of rows."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kurukan.accounts.models import Organisation
from kurukan.actors.models import Actor
from kurukan.incidents.models import VerificationStatus
from kurukan.people.models import Sex
from kurukan.places.models import AdminUnit
from kurukan.vocabularies.models import Term

VOCABULARY = {
    "violation_type": "violation_type",
    "violation_category": "violation_type",
    "perpetrator_category": "perpetrator_category",
    "victim_category": "victim_category",
    "age_group": "age_band",
}
PLACES = {"region": 1, "cercle": 2, "commune": 3}


def _locale() -> str:
    return "en" if (get_language() or "fr").startswith("en") else "fr"


def field_title(name: str) -> str:
    return {
        "region": _("Région"),
        "cercle": _("Cercle"),
        "commune": _("Commune"),
        "violation_type": _("Type de violation"),
        "violation_category": _("Catégorie de violation"),
        "perpetrator_category": _("Catégorie d'auteur"),
        "violation_or_abuse": _("Violation ou atteinte"),
        "actor": _("Acteur"),
        "verification": _("Vérification"),
        "organisation": _("Organisation"),
        "month": _("Mois"),
        "quarter": _("Trimestre"),
        "year": _("Année"),
        "grave_violation": _("Violation grave"),
        "sex": _("Sexe"),
        "age_group": _("Tranche d'âge"),
        "child": _("Enfant ou adulte"),
        "victim_category": _("Catégorie de victime"),
    }.get(name, name)


def measure_title(measure: str) -> str:
    return {
        "incidents": _("Incidents"),
        "violations": _("Violations et atteintes"),
        "victims": _("Victimes"),
        "mrm": _("Violations graves (décompte MRM)"),
    }.get(measure, measure)


def level_title(level: str) -> str:
    return {
        "reported": _("signalées (vérifiées ou non)"),
        "documented": _("documentées (avec au moins une source)"),
        "verified": _("vérifiées"),
    }.get(level, level)


def grave_violation_labels() -> dict[str, str]:
    return {
        "killing_maiming": _("Meurtres et mutilations"),
        "recruitment_use": _("Recrutement et utilisation d'enfants"),
        "attacks_schools_hospitals": _("Attaques contre des écoles et des hôpitaux"),
        "sexual_violence": _("Viols et autres violences sexuelles"),
        "abduction": _("Enlèvements"),
        "denial_of_humanitarian_access": _("Déni d'accès humanitaire"),
    }


def period_label(name: str, code) -> str:
    if name == "month":
        year, month = str(code).split("-")
        return format_date(dt.date(int(year), int(month), 1), "MMMM y", locale=_locale())
    if name == "quarter":
        year, quarter = str(code).split("-Q")
        return _("T%(quarter)s %(year)s") % {"quarter": quarter, "year": year}
    return str(code)


def labels_for(name: str, codes: set) -> dict:
    """code → label for one field; None → the field's word for "unknown"."""
    out: dict = {None: _("Date imprécise") if name in {"month", "quarter", "year"} else _("Non précisé")}
    codes = {c for c in codes if c is not None}
    if name in VOCABULARY:
        for term in Term.objects.filter(vocabulary=VOCABULARY[name], code__in=codes):
            out[term.code] = term.label
    elif name in PLACES:
        out.update(AdminUnit.objects.filter(level=PLACES[name], pcode__in=codes).values_list("pcode", "name"))
    elif name == "sex":
        out.update(
            {Sex.FEMALE: _("Femmes et filles"), Sex.MALE: _("Hommes et garçons"), Sex.UNKNOWN: _("Inconnu")}
        )
    elif name == "child":
        out.update({"child": _("Enfants"), "adult": _("Adultes"), "unknown": _("Âge inconnu")})
    elif name == "violation_or_abuse":
        out.update(
            {
                "violation": _("Violations (acteurs étatiques)"),
                "abuse": _("Atteintes (acteurs non étatiques)"),
            }
        )
    elif name == "verification":
        out.update({value: str(label) for value, label in VerificationStatus.choices})
    elif name == "organisation":
        out.update({o.code: str(o) for o in Organisation.objects.filter(code__in=codes)})
    elif name == "actor":
        out.update({a.code: str(a) for a in Actor.objects.filter(code__in=codes)})
    elif name == "grave_violation":
        out.update(grave_violation_labels())
    elif name in {"month", "quarter", "year"}:
        out.update({code: period_label(name, code) for code in codes})
    for code in codes:
        out.setdefault(code, str(code))
    return out
