"""Free-text search over incident titles and public summaries, with an index on both databases.

`icontains` reads every row: 2.6 s (SQLite) and 3.7 s (PostgreSQL) for a rare word among a million
incidents. SQLite gets an FTS5 index (words, accents and case folded: "ecole" finds "École") kept in step by
triggers; PostgreSQL gets a column holding the folded text of title and summary (FOLD_FUNCTION below), kept by
a trigger, with a trigram index, so accents and case do not matter there either. Both are created after every `migrate` (idempotent), because
SQLite drops triggers when a migration rebuilds the table.
Narratives are encrypted and never searched: only what may be shown to every reader of the list is.
"""

from __future__ import annotations

import logging
import re

from django.db import DatabaseError, connections, transaction
from django.db.models import BooleanField, Q, TextField
from django.db.models.expressions import Expression
from django.db.models.lookups import Contains

from kurukan.text import fold

logger = logging.getLogger(__name__)
FTS = "incidents_incident_fts"
FEW = 2000  # matches below which the ids themselves are passed on
TABLE = "incidents_incident"

# PostgreSQL: `unaccent` is an extension whose function is not immutable, so it cannot sit in an index
# expression without a wrapper and a superuser to install it. Accents are folded instead by `translate`, from a
# table built here from the same Python folding the search words go through, so both sides always agree. The
# version is in the name: a changed table is a new function and a new index, never a silently stale one.
# The folded text is stored, not an index expression: `translate` over a 245-letter table costs about 40 µs a
# row, and a frequent word, which must be rechecked row by row, took 1.2 s to count. A trigger keeps it rather
# than a generated column, and names no column (UPDATE OF …): either would forbid later migrations from
# altering the title or summary columns. Renaming them means a new version here.
VERSION = 2
FOLD_FUNCTION = f"kurukan_incident_text_v{VERSION}"
FOLDED_COLUMN = f"search_folded_v{VERSION}"
FOLD_TRIGGER = f"incident_search_folded_v{VERSION}"
FOLD_INDEX = f"incident_search_folded_v{VERSION}_trgm"
OLD_INDEXES = ("incident_title_trgm", "incident_public_summary_trgm", "incident_text_folded_trgm")
_LATIN = [chr(c) for c in range(0xC0, 0x250) if chr(c).isalpha()]


def _one_letter(letter: str) -> str | None:
    """What a letter folds to inside the table: its bare ASCII letter, else its lower case. Case is folded by
    the table too, not by `lower()` alone: a database created with the C locale lowers ASCII only, and Ɲ, Ɛ,
    Ŋ (Bambara, Fula) would then stay capitals in the index while Python lowered the searched word."""
    folded, lower = fold(letter), letter.lower()
    if len(folded) == 1 and folded.isascii():
        return folded
    return lower if len(lower) == 1 and lower != letter else None


_SINGLE = {c: t for c in _LATIN if (t := _one_letter(c)) is not None and t != c}
_TABLE = str.maketrans("".join(_SINGLE), "".join(_SINGLE.values()))
_DOUBLE = {"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"}  # ligatures French writes ("sœur")
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
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger') AND name LIKE %s",
                [f"{FTS}%"],
            )
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
            _ensure_postgresql_index(cursor, using)


def fold_sql(expression: str) -> str:
    """SQL folding `expression` as `_fold_word` folds a word: letters with accents lose them, then lower case."""
    source, target = "".join(_SINGLE), "".join(_SINGLE.values())
    sql = f"translate({expression}, '{source}', '{target}')"
    for letter, letters in _DOUBLE.items():
        sql = f"replace({sql}, '{letter}', '{letters}')"
    return f"lower({sql})"


def _fold_word(word: str) -> str:
    for letter, letters in _DOUBLE.items():
        word = word.replace(letter, letters)
    return word.translate(_TABLE).lower()


def _ensure_postgresql_index(cursor, using: str) -> None:
    try:
        with transaction.atomic(using=using):  # a refusal must not abort the caller's transaction
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError:  # a role without the right: lists still work, only slower
        logger.warning("pg_trgm is not available: free-text search on incidents will scan the table")
    body = fold_sql("$1 || ' ' || $2")
    cursor.execute(
        f"CREATE OR REPLACE FUNCTION {FOLD_FUNCTION}(text, text) RETURNS text "
        f"LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$ SELECT {body} $$"
    )
    # Unknown to the Django model on purpose: the trigger fills it on every insert and update, whoever
    # writes (pages, bulk COPY, `update()`), and SQLite has its FTS index instead. Filling it for rows
    # written before costs a pass over the table once (6 minutes for a million incidents, with its index).
    cursor.execute(f"ALTER TABLE {TABLE} ADD COLUMN IF NOT EXISTS {FOLDED_COLUMN} text")
    cursor.execute(
        f"CREATE OR REPLACE FUNCTION {FOLD_TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"NEW.{FOLDED_COLUMN} := {FOLD_FUNCTION}(NEW.title, NEW.public_summary); RETURN NEW; END $$"
    )
    cursor.execute(
        f"CREATE OR REPLACE TRIGGER {FOLD_TRIGGER} BEFORE INSERT OR UPDATE "
        f"ON {TABLE} FOR EACH ROW EXECUTE FUNCTION {FOLD_TRIGGER}()"
    )
    for old in range(1, VERSION):  # earlier versions: their trigger, column (and its index) and functions
        cursor.execute(f"DROP TRIGGER IF EXISTS incident_search_folded_v{old} ON {TABLE}")
        cursor.execute(f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS search_folded_v{old}")
        cursor.execute(f"DROP FUNCTION IF EXISTS incident_search_folded_v{old}()")
        cursor.execute(f"DROP FUNCTION IF EXISTS kurukan_incident_text_v{old}(text, text)")
    cursor.execute(
        f"UPDATE {TABLE} SET {FOLDED_COLUMN} = {FOLD_FUNCTION}(title, public_summary) "
        f"WHERE {FOLDED_COLUMN} IS NULL"
    )
    if cursor.rowcount > 10_000 and not connections[using].in_atomic_block:
        # Filling rewrote every row: the old versions doubled the table and slowed lists (Mopti 2022 + JNIM +
        # verified 122 → 210 ms) until autovacuum came round. Reclaim them now.
        cursor.execute(f"VACUUM (ANALYZE) {TABLE}")
    cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
    if cursor.fetchone():
        cursor.execute(
            f"CREATE INDEX IF NOT EXISTS {FOLD_INDEX} ON {TABLE} USING gin ({FOLDED_COLUMN} gin_trgm_ops)"
        )
        for name in OLD_INDEXES:  # indexes of earlier versions: dead weight on every write
            cursor.execute(f"DROP INDEX IF EXISTS {name}")


_FOLDED_COLUMN_SEEN: set[str] = set()


def _has_folded_column(using: str) -> bool:
    """Whether `migrate` has made the column. Only a yes is remembered: a process started before the upgrade
    finds the column as soon as it exists, without a restart."""
    if using not in _FOLDED_COLUMN_SEEN:
        with connections[using].cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM information_schema.columns WHERE table_name = %s AND column_name = %s",
                [TABLE, FOLDED_COLUMN],
            )
            if cursor.fetchone() is None:
                return False
        _FOLDED_COLUMN_SEEN.add(using)
    return True


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
            cursor.execute(f"SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s LIMIT {FEW + 1}", [match])
            ids = [row[0] for row in cursor.fetchall()]
        if len(ids) <= FEW:
            return by_id | Q(pk__in=ids)
        # A frequent word: walk the list's own index in date order and test each row against the match list,
        # which stops after a page. The unary `+` keeps SQLite from driving the query from the match list
        # instead: it then fetched and sorted every matching incident (86 k for "enlèvement": 90 ms → 25 ms).
        frequent = _OnIncidents(
            '+{table}."id" IN (SELECT rowid FROM ' + FTS + " WHERE " + FTS + " MATCH %s)",
            [match],
            BooleanField(),
        )
        return by_id | Q(frequent)
    # PostgreSQL: every word, anywhere in the title or the summary, accents and case folded on both sides
    # (the trigram index on the folded text serves each `LIKE '%word%'`).
    words = re.findall(r"\w+", text)
    if not words:
        return by_id
    every_word = Q()
    if _has_folded_column("default"):
        # Raw because the model does not declare the column (see _ensure_postgresql_index).
        folded = _OnIncidents("{table}." + FOLDED_COLUMN, [], TextField())
        for word in words:
            every_word &= Q(Contains(folded, _fold_word(word)))
    else:  # migrate has not run ensure_index yet: correct, only slower and accent-sensitive
        for word in words:
            every_word &= Q(title__icontains=word) | Q(public_summary__icontains=word)
    return by_id | every_word


class _OnIncidents(Expression):
    """SQL about the incident table that the model cannot express, written against whatever the table is
    called in the query being compiled: its name, or the alias Django gives it inside a subquery ("U0")."""

    def __init__(self, template: str, params: list, output_field) -> None:
        super().__init__(output_field=output_field)
        self.template, self.params = template, params

    def as_sql(self, compiler, connection):
        table = compiler.quote_name(compiler.query.base_table)
        return self.template.format(table=table), list(self.params)
