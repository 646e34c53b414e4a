"""Text helpers shared by search and lookups."""

from __future__ import annotations

import unicodedata


def fold(value: str) -> str:
    """Lower-case ASCII-folded text, so "Ségou", "segou" and "SEGOU" compare equal."""
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(kept.replace("-", " ").replace("'", " ").split())
