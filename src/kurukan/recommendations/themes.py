"""The shipped bilingual lists a recommendation is classified by: OHCHR Universal Human Rights Index (UHRI)
themes and affected persons, and the 17 Sustainable Development Goals (data/README.md says where each comes
from). Loaded by migration and again by the demo: adds and relabels, never deletes, so a theme an import
created (a label no list knows) stays.

`find(kind, label)` is how an import's cell (a code, a French or English label, "16", "Goal 16",
"16.3 Promote the rule of law…") finds its shipped theme."""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

from kurukan.text import fold

DATA = Path(__file__).parent / "data"
FILES = {"theme": "uhri_themes.csv", "affected_group": "uhri_affected_persons.csv", "sdg": "sdg_goals.csv"}
SDG_NUMBER = re.compile(r"^(?:sdg|odd|goal|objectif)?\s*(\d{1,2})(?:\.(\w+))?\b")


def rows(kind: str) -> list[dict[str, str]]:
    with (DATA / FILES[kind]).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_themes(theme_model: Any = None) -> int:
    """Add or relabel every shipped theme; returns how many were added."""
    if theme_model is None:
        from .models import Theme

        theme_model = Theme
    added = 0
    for kind in FILES:
        for row in rows(kind):
            _theme, created = theme_model.objects.update_or_create(
                kind=kind,
                code=row["code"],
                defaults={"label_fr": row["label_fr"], "label_en": row["label_en"]},
            )
            added += created
    return added


def sdg_goal(label: str) -> str | None:
    """The goal's code ("16") of a cell naming an SDG goal or target, or None."""
    match = SDG_NUMBER.match(fold(label).strip())
    if match and 1 <= int(match[1]) <= 17:
        return str(int(match[1]))
    return None
