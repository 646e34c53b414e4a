"""Free-text search over incident titles and public summaries, with an index on both databases.

`icontains` reads every row: 2.6 s (SQLite) and 3.7 s (PostgreSQL) for a rare word among a million
incidents. SQLite gets an FTS5 index (words, accents and case folded: "ecole" finds "École") kept in step by
triggers; PostgreSQL gets trigram indexes that serve the very `icontains` Django writes. Both are created
after every `migrate` (idempotent), because SQLite drops triggers when a migration rebuilds the table.
Narratives are encrypted and never searched: only what may be shown to every reader of the list is.
"""

from __future__ import annotations

import logging
import re

from django.db import DatabaseError, connections, transaction
from django.db.models import Q
from django.db.models.expressions import RawSQL

logger = logging.getLogger(__name__)
FTS = "incidents_incident_fts"
FEW = 2000  # matches below which the ids themselves are passed on
TABLE = "incidents_incident"
TRIGGERS = {
    f"{FTS}_ai": f"AFTER INSERT ON {TABLE} BEGIN INSERT INTO {FTS}(rowid, title, public_summary) "
    f"VALUES (new.id, new.title, new.public_summary); END",
    f"{FTS}_ad": f"AFTER DELETE ON {TABLE} BEGIN INSERT INTO {FTS}({FTS}, rowid, title, public_summary) "
    f"VALUES ('delete', old.id, old.title, old.public_summary); END",
    f"{FTS}_au": f"AFTER UPDATE OF title, public_summary ON {TABLE} BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, title, public_summary) VALUES ('delete', old.id, old.title, old.public_summary); "
    f"INSERT INTO {FTS}(rowid, title, public_summary) VALUES (new.id, new.title, new.public_summary); END",
}


def ensure_index(using: str = "default") -> None:
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger') AND name LIKE %s", [f"{FTS}%"])
            present = {row[0] for row in cursor.fetchall()}
            cursor.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS} USING fts5(title, public_summary, "
                f"content='{TABLE}', content_rowid='id', tokenize='unicode61 remove_diacritics 2')"
            )
            for name, body in TRIGGERS.items():
                cursor.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {body}")
            if not {FTS, *TRIGGERS} <= present:
                cursor.execute(f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')")
        elif connection.vendor == "postgresql":
            try:
                with transaction.atomic(using=using):  # a refusal must not abort the caller's transaction
                    cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            except DatabaseError:  # a role without the right: lists still work, only slower
                logger.warning("pg_trgm is not available: free-text search on incidents will scan the table")
                return
            for column in ("title", "public_summary"):
                cursor.execute(
                    f"CREATE INDEX IF NOT EXISTS incident_{column}_trgm ON {TABLE} "
                    f"USING gin (UPPER(({column})::text) gin_trgm_ops)"
                )


def text_condition(text: str, vendor: str) -> Q:
    """Incidents whose identifier is `text`, or whose title or public summary contains it."""
    text = text.strip()
    # Identifiers are upper case: an exact match on the upper-cased text uses the unique index, where
    # `iexact` would read every row.
    by_id = Q(public_id=text.upper())
    if vendor == "sqlite":
        words = re.findall(r"\w+", text)
        if not words:
            return by_id
        match = " ".join(f'"{word}"*' for word in words)  # every word, as a word or a word's beginning
        # A rare word: hand the planner the few ids, so it looks them up and sorts them, instead of walking
        # the date index through a million rows asking each whether it matched (measured 2–4 s).
        with connections["default"].cursor() as cursor:
            cursor.execute(f"SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s LIMIT {FEW + 1}", [match])  # noqa: S608
            ids = [row[0] for row in cursor.fetchall()]
        if len(ids) <= FEW:
            return by_id | Q(pk__in=ids)
        return by_id | Q(pk__in=RawSQL(f"SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s", [match]))  # noqa: S611
    # PostgreSQL: every word, anywhere in the title or the summary (trigram indexes serve each `icontains`).
    # Accents must match there: folding them needs `unaccent` in an immutable index expression (to do).
    words = text.split()
    if not words:
        return by_id
    every_word = Q()
    for word in words:
        every_word &= Q(title__icontains=word) | Q(public_summary__icontains=word)
    return by_id | every_word
