"""Column mappings saved per form: a partner's spreadsheet is mapped once to the template's columns.

A file that no format recognises is offered for mapping in the page: each of its columns is matched to a
template column (or left out). The mapping is saved for the organisation under the file's header signature,
and the next file with the same columns is imported through it without asking. The file is then read as a
template file whose header has been renamed: the same validation, quarantine and external ids.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from kurukan.text import fold

from . import formats
from .formats import template
from .models import ColumnMapping


def header_of(path: Path) -> list[str]:
    """The file's column names as written (CSV or XLSX), blank ones left out."""
    header, _sample = formats._sample(path)
    return [h for h in header if h.strip()]


def signature(header: list[str]) -> str:
    """The same columns in any order, any case or accents → the same signature."""
    names = sorted({fold(h) for h in header if h.strip()})
    return hashlib.sha256("\n".join(names).encode()).hexdigest()


def saved_for(organisation, header: list[str]) -> ColumnMapping | None:
    return ColumnMapping.objects.filter(organisation=organisation, signature=signature(header)).first()


def save(organisation, header: list[str], columns: dict[str, str], name: str, user) -> ColumnMapping:
    """Save (or replace) the organisation's mapping for this header; `columns`: column as written → target."""
    folded = {fold(source): target for source, target in columns.items()}
    mapping, _created = ColumnMapping.objects.update_or_create(
        organisation=organisation,
        signature=signature(header),
        defaults={"name": name[:120], "columns": json.dumps(folded, ensure_ascii=False), "created_by": user},
    )
    return mapping


def renamed(header: list[str], mapping: ColumnMapping) -> list[str]:
    """The header as the template reads it: mapped columns renamed, the others kept (they are not read)."""
    columns = mapping.as_dict()
    out = []
    for i, name in enumerate(header):
        target = columns.get(fold(name), "")
        out.append(target if target else f"(ignored {i + 1}) {name.strip().lower()}")
    return out


TARGETS = [name for name, _required, _help in template.COLUMNS]
REQUIRED = template.REQUIRED
