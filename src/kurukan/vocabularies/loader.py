"""Load the committed vocabulary files into Term rows: add new terms, refresh labels, never delete.

Called by migration (so a fresh database has every term) and by `kurukan vocabularies load`.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).parent / "data"

# file name → vocabulary, or None when the file's own `vocabulary` column says which one.
FILES: dict[str, str | None] = {
    "violation_types.csv": "violation_type",
    "methods.csv": "method",
    "perpetrator_categories.csv": "perpetrator_category",
    "victim_categories.csv": "victim_category",
    "victim_statuses.csv": "victim_status",
    "involvement.csv": "involvement",
    "source_kinds.csv": "source_kind",
    "source_materials.csv": "source_material",
    "languages.csv": "language",
    "age_bands.csv": "age_band",
    "verification.csv": None,
    "school_levels.csv": "school_level",
    "school_managements.csv": "school_management",
    "school_statuses.csv": "school_status",
    "closure_reasons.csv": "closure_reason",
    "jurisdictions.csv": "jurisdiction",
}
SPLIT_VOCABULARIES = {
    "status": "verification_status",
    "standard": "standard_of_proof",
    "reliability": "reliability",
    "date_precision": "date_precision",
}
CORE_COLUMNS = {"vocabulary", "code", "parent", "label_fr", "label_en", "description_fr", "description_en"}


@dataclass
class VocabularyLoadResult:
    created: int = 0
    updated: int = 0


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_vocabularies(term_model: Any = None, data_dir: Path = DATA_DIR) -> VocabularyLoadResult:
    if term_model is None:
        from .models import Term

        term_model = Term
    result = VocabularyLoadResult()
    for file_name, vocabulary in FILES.items():
        path = data_dir / file_name
        if not path.exists():
            continue
        for order, row in enumerate(_rows(path)):
            vocab = vocabulary or SPLIT_VOCABULARIES[row["vocabulary"]]
            attributes = {k: v for k, v in row.items() if k not in CORE_COLUMNS and v not in (None, "")}
            parent = None
            if row.get("parent"):
                parent = term_model.objects.get(vocabulary=vocab, code=row["parent"])
            _, created = term_model.objects.update_or_create(
                vocabulary=vocab,
                code=row["code"],
                defaults={
                    "parent": parent,
                    "label_fr": row["label_fr"],
                    "label_en": row["label_en"],
                    "description_fr": row.get("description_fr") or "",
                    "description_en": row.get("description_en") or "",
                    "attributes": attributes,
                    "sort_order": order,
                    "is_local": False,
                },
            )
            if created:
                result.created += 1
            else:
                result.updated += 1
    return result
