"""Load vocabularies/data/actors.csv: add actors, refresh their names, never delete."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

ACTORS_FILE = Path(__file__).resolve().parents[1] / "vocabularies" / "data" / "actors.csv"


def load_actors(actor_model: Any = None, term_model: Any = None, path: Path = ACTORS_FILE) -> int:
    if actor_model is None:
        from kurukan.actors.models import Actor
        from kurukan.vocabularies.models import Term

        actor_model, term_model = Actor, Term
    if not path.exists():
        return 0
    categories = {t.code: t for t in term_model.objects.filter(vocabulary="perpetrator_category")}
    count = 0
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            category = categories.get(row["category"])
            if category is None:
                continue
            actor_model.objects.update_or_create(
                code=row["code"],
                defaults={
                    "name": row["name"],
                    "short_name": row.get("short_name", ""),
                    "aliases": row.get("aliases", ""),
                    "category": category,
                    "notes": row.get("note", ""),
                },
            )
            count += 1
    return count
