"""The downloadable template: a sheet to fill, a sheet describing the fields, one of allowed values.

The allowed values come from the live vocabularies and the current places, so the file always matches
what the import accepts.
"""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from kurukan.places.models import AdminUnit, Level
from kurukan.vocabularies.models import Term

from .formats.template import COLUMNS

VOCABULARIES = (
    ("violation_type", "violation_type"),
    ("verification_status", "verification_status"),
    ("perpetrator_categories", "perpetrator_category"),
    ("victim_status", "victim_status"),
)


def template_csv() -> bytes:
    return ("\ufeff" + ",".join(name for name, _required, _help in COLUMNS) + "\n").encode("utf-8")


def template_xlsx() -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    fill = book.create_sheet("modele")
    fill.append([name for name, _required, _help in COLUMNS])
    fields = book.create_sheet("champs")
    fields.append([_("colonne"), _("obligatoire"), _("contenu")])
    for name, required, help_text in COLUMNS:
        fields.append([name, _("oui") if required else _("non"), str(help_text)])
    values = book.create_sheet("valeurs")
    values.append([_("colonne"), _("code"), _("libellé (français)"), _("libellé (anglais)")])
    for column, vocabulary in VOCABULARIES:
        for term in Term.objects.of(vocabulary).active().order_by("code"):
            values.append([column, term.code, term.label_fr, term.label_en])
    values.append(["victim_sex", "female", "Féminin", "Female"])
    values.append(["victim_sex", "male", "Masculin", "Male"])
    values.append(["victim_sex", "unknown", "Inconnu", "Unknown"])
    column_of: dict[int, str] = {Level.REGION: "region", Level.CERCLE: "cercle", Level.COMMUNE: "commune"}
    for unit in AdminUnit.objects.current().filter(level__gte=Level.REGION).order_by("pcode"):
        values.append([column_of[unit.level], unit.pcode, unit.name, unit.name])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
