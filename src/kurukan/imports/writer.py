"""The one write path for records in bulk: the synthetic loader and every importer write through it.

Rows go straight to the database (sqlite3 `executemany`, PostgreSQL `COPY`): the ORM's per-object work
(signals, defaults, `get_prep_value` per field) was 90 % of the time. Row ids are allocated by the writer
(PostgreSQL: from the table's sequence; SQLite: after the current maximum, inside the batch's write
transaction), so parents, children and history rows are written in one pass. Each batch is one
transaction with its first version-history rows, the list's facet bits, the free-text index (SQLite's
triggers, PostgreSQL's expression index), the external ids and one audit event with counts only.

What it writes is Kurukan's canonical record (`imports.records.Record`, or anything with the same
attributes, such as the synthetic generator's `IncidentReport`): codes of vocabularies, actors and
P-codes, resolved through `api.lookups.Lookup`; identities sealed with `crypto.Sealer`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from kurukan import crypto
from kurukan.accounts.models import Organisation, User
from kurukan.api.lookups import Lookup
from kurukan.audit import log as audit
from kurukan.audit.models import Action
from kurukan.ids import new_public_ids
from kurukan.incidents import facets, search
from kurukan.incidents.models import (
    GroupVictims,
    Incident,
    Perpetrator,
    Source,
    VerificationStatus,
    Victim,
    Violation,
)
from kurukan.people.models import Person
from kurukan.places.models import AdminUnit, Settlement
from kurukan.statistics import aggregates

from .models import ExternalId


@dataclass
class WriteStats:
    incidents: int = 0
    violations: int = 0
    victims: int = 0
    people: int = 0
    # the new incidents' ids by external key, for the importer's bookkeeping
    ids: dict[tuple[str, str], int] = field(default_factory=dict)


class Lookups(Lookup):
    """Codes → row ids, read once per load, so a million records do not ask the database for each."""

    def __init__(self) -> None:
        super().__init__()
        self.units_ids = dict(AdminUnit.objects.current().values_list("pcode", "pk"))
        self.settlements = dict(Settlement.objects.values_list("pcode", "pk"))
        self.orgs: dict[str, int] = dict(Organisation.objects.values_list("code", "pk"))
        self._term_ids: dict[tuple[str, str | None], int | None] = {}
        self._violation_types: dict[str, tuple[int, str]] = {}

    def term_id(self, vocabulary: str, code: str | None) -> int | None:
        key = (vocabulary, code)
        try:
            return self._term_ids[key]
        except KeyError:
            found = self.find_term(vocabulary, code)
            self._term_ids[key] = found.pk if found is not None else None
            return self._term_ids[key]

    def violation_type(self, code: str) -> tuple[int, str]:
        """(term id, counted_by): a violation needs a known type (importers check it before writing)."""
        if code not in self._violation_types:
            vtype = self.find_term("violation_type", code)
            if vtype is None:
                raise ValueError(f"bulk writer: unknown violation type {code!r}")
            self._violation_types[code] = (vtype.pk, vtype.attributes.get("counted_by", "victim"))
        return self._violation_types[code]


class Writer:
    """Writes canonical records in batches; use as `with Writer(...) as writer: writer.write(batch)`."""

    def __init__(
        self,
        *,
        user: User | None = None,
        source: str,
        with_history: bool = True,
        history_reason: str = "import",
        external_ids: Callable[[object], dict[str, str]] | None = None,
        digests: Callable[[object], str] | None = None,
    ) -> None:
        facets.reset_cache()  # terms added since the bits were last read get theirs
        self.lookups = Lookups()
        self.backend = _Backend.for_connection()
        self.user = user
        self.source = source
        self.with_history = with_history
        self.history_reason = history_reason
        self.external_ids = external_ids or (lambda r: getattr(r, "external_ids", {}) or {})
        self.digests = digests or (lambda r: getattr(r, "digest", ""))
        self.stats = WriteStats()
        self._tuning: Any = None

    def __enter__(self) -> Writer:
        self._tuning = self.backend.tuned()
        self._tuning.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        assert self._tuning is not None
        try:
            # Under the load's settings: after them, SQLite's memory map read the whole file for ANALYZE
            # (625 MB resident at the end of a million-row load, 510 MB before it).
            if exc[0] is None and self.stats.incidents:
                self.backend.analyse([t.name for t in _tables().values()])
        finally:
            self._tuning.__exit__(*exc)

    def write(self, records: list) -> WriteStats:
        """Write one batch in one transaction (with its audit event); returns this batch's counts."""
        batch = WriteStats()
        _write_batch_retrying(records, self, batch)
        for name in ("incidents", "violations", "victims", "people"):
            setattr(self.stats, name, getattr(self.stats, name) + getattr(batch, name))
        return batch


def write_records(records: Iterable, *, batch_size: int = 1000, progress=None, **options) -> WriteStats:
    """Write an iterable of canonical records batch by batch; `progress(n)` after each batch."""
    with Writer(**options) as writer:
        batch: list = []
        for record in records:
            batch.append(record)
            if len(batch) >= batch_size:
                writer.write(batch)
                if progress:
                    progress(len(batch))
                batch = []
        if batch:
            writer.write(batch)
            if progress:
                progress(len(batch))
    return writer.stats


def _field_context(model, name: str) -> str:
    return model._meta.get_field(name)._crypto_context


class _Table:
    """One table's column order, checked against the model.

    A column added since this list was written is filled with its field's default when it may be (nullable
    or a constant default, not unique); anything else fails loudly rather than being skipped silently.
    """

    def __init__(self, model, columns: list[str], history_excluded: tuple[str, ...] = ()) -> None:
        self.model = model
        self.name = model._meta.db_table
        self.base_columns = columns
        self.extra_columns, self.extra_values = _defaults_for(model, columns)
        self.columns = columns + self.extra_columns
        history_model = model.history.model
        self.history_name = history_model._meta.db_table
        own = [c for c in columns if c not in history_excluded]
        extra = ["history_id", "history_date", "history_change_reason", "history_type", "history_user_id"]
        self.history_base_columns = own + extra
        self.history_extra_columns, self.history_extra_values = _defaults_for(
            history_model, self.history_base_columns
        )
        self.history_columns = self.history_base_columns + self.history_extra_columns
        positions = [columns.index(c) for c in own]
        self.project = itemgetter(*positions)

    def rows(self, rows: list[tuple]) -> list[tuple]:
        return [row + self.extra_values for row in rows] if self.extra_values else rows

    def history_rows(self, rows: list[tuple]) -> list[tuple]:
        return [row + self.history_extra_values for row in rows] if self.history_extra_values else rows


def _defaults_for(model, columns: list[str]) -> tuple[list[str], tuple]:
    fields = {f.column: f for f in model._meta.concrete_fields}
    missing = set(columns) - set(fields)
    if missing:
        raise RuntimeError(f"bulk writer: {model._meta.db_table} has no column {sorted(missing)}")
    extra_columns, extra_values = [], []
    for column, f in fields.items():
        if column in columns:
            continue
        if (
            f.primary_key
            or f.unique
            or not (f.null or f.has_default())
            or (f.has_default() and callable(f.default))
        ):
            raise RuntimeError(f"bulk writer: new column {model._meta.db_table}.{column} needs a value")
        extra_columns.append(column)
        extra_values.append(f.get_db_prep_save(f.get_default() if f.has_default() else None, connection))
    return extra_columns, tuple(extra_values)


class _Backend:
    """Id allocation and bulk insert for one database backend."""

    vendor = ""

    def __init__(self) -> None:
        self.raw = connection.connection

    @staticmethod
    def for_connection() -> _Backend:
        connection.ensure_connection()
        if connection.vendor == "postgresql":
            return _PostgresBackend()
        if connection.vendor == "sqlite":
            return _SqliteBackend()
        return _OrmBackend()

    @contextmanager
    def tuned(self):
        yield

    def begin_batch(self) -> None:
        pass

    def analyse(self, tables: list[str]) -> None:
        """Fresh planner statistics: without them, after a bulk load, PostgreSQL sorted whole tables."""
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")

    def date(self, value):
        return value

    def datetime(self, value):
        return value

    def ids(self, table: str, column: str, n: int) -> range | list[int]:
        raise NotImplementedError

    def insert(self, table: str, columns: list[str], rows: list[tuple]) -> None:
        raise NotImplementedError


LOAD_CACHE_KB = 160 * 1024  # SQLite's page cache during a bulk load


class _SqliteBackend(_Backend):
    vendor = "sqlite"

    @contextmanager
    def tuned(self):
        cursor = self.raw.cursor()
        old_cache = cursor.execute("PRAGMA cache_size").fetchone()[0]
        old_mmap = cursor.execute("PRAGMA mmap_size").fetchone()
        # A 160 MB page cache while indexes grow, and no memory-mapped reads: settings.py's 256 MB map came
        # on top of the cache (peak 604 MB at a million rows, over the 500 MB target), and with the map gone
        # a 256 MB cache still peaked at 510 MB (docs/benchmarks.md, "Imports"). Pages the cache drops stay
        # in the operating system's file cache: reading one again is a copy, not a disk read.
        cursor.execute(f"PRAGMA cache_size=-{LOAD_CACHE_KB}")
        cursor.execute("PRAGMA mmap_size=0")
        if not self.raw.in_transaction:  # SQLite refuses the change inside one (a caller's atomic block)
            cursor.execute("PRAGMA temp_store=MEMORY")
        try:
            yield
        finally:
            cursor.execute(f"PRAGMA cache_size={int(old_cache)}")
            if old_mmap is not None:
                cursor.execute(f"PRAGMA mmap_size={int(old_mmap[0])}")

    def date(self, value):  # what Django's SQLite backend stores; avoids sqlite3's deprecated adapters
        return None if value is None else value.isoformat()

    def datetime(self, value):
        return connection.ops.adapt_datetimefield_value(value)

    def ids(self, table: str, column: str, n: int) -> range:
        # Inside the batch transaction: a concurrent writer makes this transaction fail, never duplicate ids.
        sql = (  # names come from model meta, never from input
            f'SELECT MAX(COALESCE((SELECT MAX("{column}") FROM "{table}"), 0),'  # noqa: S608
            " COALESCE((SELECT seq FROM sqlite_sequence WHERE name = ?), 0))"
        )
        row = self.raw.execute(sql, (table,)).fetchone()
        return range(row[0] + 1, row[0] + 1 + n)

    def insert(self, table: str, columns: list[str], rows: list[tuple]) -> None:
        if not rows:
            return
        names = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join("?" * len(columns))
        if table != search.TABLE:
            self.raw.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)  # noqa: S608
            return
        # The incident table feeds the FTS5 index through triggers, and FTS5 writes its pending terms out at
        # the end of every statement: row by row (executemany) that made a segment per incident, merged
        # again and again, and a million-row load crawled (3,000 incidents into a 385 k table: 6.4 s row by
        # row, 1.3 s staged). Staged in a temporary table, the batch enters in one statement, one flush.
        stage = f'temp."stage_{table}"'
        self.raw.execute(
            f'CREATE TEMP TABLE IF NOT EXISTS "stage_{table}" AS SELECT {names} FROM "{table}" WHERE 0'  # noqa: S608
        )
        self.raw.executemany(f"INSERT INTO {stage} ({names}) VALUES ({marks})", rows)  # noqa: S608
        self.raw.execute(f'INSERT INTO "{table}" ({names}) SELECT {names} FROM {stage}')  # noqa: S608
        self.raw.execute(f"DELETE FROM {stage}")  # noqa: S608


class _PostgresBackend(_Backend):
    vendor = "postgresql"

    def begin_batch(self) -> None:
        # Losing the last batches on a server crash is acceptable for a bulk load; corruption is not possible.
        with self.raw.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")

    def ids(self, table: str, column: str, n: int) -> list[int]:
        with self.raw.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                (table, column, n),
            )
            return [r[0] for r in cursor.fetchall()]

    def insert(self, table: str, columns: list[str], rows: list[tuple]) -> None:
        if not rows:
            return
        names = ", ".join(f'"{c}"' for c in columns)
        with self.raw.cursor() as cursor, cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
            write = copy.write_row
            for row in rows:
                write(row)


class _OrmBackend(_Backend):
    """Any other backend: plain parameterised executemany through Django, ids from MAX (single writer)."""

    def __init__(self) -> None:
        pass

    def ids(self, table: str, column: str, n: int) -> range:
        with connection.cursor() as cursor:
            quote = connection.ops.quote_name
            cursor.execute(f"SELECT COALESCE(MAX({quote(column)}), 0) FROM {quote(table)}")  # noqa: S608
            top = cursor.fetchone()[0]
        return range(top + 1, top + 1 + n)

    def insert(self, table: str, columns: list[str], rows: list[tuple]) -> None:
        if rows:
            names = ", ".join(connection.ops.quote_name(c) for c in columns)
            marks = ", ".join(["%s"] * len(columns))
            with connection.cursor() as cursor:
                sql = f"INSERT INTO {connection.ops.quote_name(table)} ({names}) VALUES ({marks})"  # noqa: S608
                cursor.executemany(sql, rows)


_TABLES: dict[str, _Table] = {}


def _tables() -> dict[str, _Table]:
    if not _TABLES:
        _TABLES.update(
            incident=_Table(
                Incident,
                [
                    "id",
                    "public_id",
                    "title",
                    "narrative",
                    "public_summary",
                    "start_date",
                    "end_date",
                    "date_precision",
                    "date_estimated",
                    "region_id",
                    "cercle_id",
                    "commune_id",
                    "settlement_id",
                    "latitude",
                    "longitude",
                    "geo_precision",
                    "status",
                    "confidentiality",
                    "organisation_id",
                    "created_by_id",
                    "created_at",
                    "updated_at",
                    "external_ids",
                    "submitted_at",
                    "violation_count",
                    "victim_count",
                    "type_bits",
                    "perpetrator_bits",
                    "verification_bits",
                ],
                history_excluded=(
                    "violation_count",
                    "victim_count",
                    "type_bits",
                    "perpetrator_bits",
                    "verification_bits",
                ),
            ),
            violation=_Table(
                Violation,
                [
                    "id",
                    "incident_id",
                    "type_id",
                    "counted_by",
                    "verification_status",
                    "standard_of_proof_id",
                    "verified_by_id",
                    "verified_at",
                    "verification_note",
                ],
            ),
            person=_Table(
                Person,
                [
                    "id",
                    "public_id",
                    "organisation_id",
                    "confidentiality",
                    "created_by_id",
                    "created_at",
                    "updated_at",
                    "given_name",
                    "family_name",
                    "other_names",
                    "phone",
                    "id_number",
                    "address",
                    "name_index",
                    "sex",
                    "birth_year",
                    "birth_year_estimated",
                    "merged_into_id",
                ],
                history_excluded=("name_index",),
            ),
            victim=_Table(
                Victim, ["id", "violation_id", "person_id", "age_at_time", "age_estimated", "status_after_id"]
            ),
            group=_Table(
                GroupVictims,
                [
                    "id",
                    "violation_id",
                    "description",
                    "women",
                    "men",
                    "girls",
                    "boys",
                    "unknown",
                    "status_after_id",
                ],
            ),
            perpetrator=_Table(
                Perpetrator, ["id", "violation_id", "actor_id", "person_id", "category_id", "involvement_id"]
            ),
            source=_Table(
                Source,
                [
                    "id",
                    "incident_id",
                    "person_id",
                    "kind_id",
                    "reliability_id",
                    "language",
                    "reported_on",
                    "description",
                ],
            ),
        )
    return _TABLES


def _write_batch_retrying(records: list, writer: Writer, batch: WriteStats) -> None:
    # Public ids are 40 random bits: across millions of rows a collision with an existing id is expected a
    # few times. The batch is then rolled back and written again with fresh ids.
    for attempt in range(5):
        try:
            _write_batch(records, writer, batch)
            return
        # Every backend's wrapper has `Database`, its DB-API module (raw inserts raise its errors);
        # django-stubs does not declare it on BaseDatabaseWrapper.
        except (IntegrityError, connection.Database.IntegrityError):  # type: ignore[attr-defined]
            batch.__init__()  # type: ignore[misc]
            if attempt == 4:
                raise


@transaction.atomic
def _write_batch(records: list, writer: Writer, stats: WriteStats) -> None:
    backend = writer.backend
    lk = writer.lookups
    backend.begin_batch()
    t = _tables()
    ring = crypto.get_keyring()
    seal_narrative = crypto.Sealer(_field_context(Incident, "narrative"), ring)
    seal_given = crypto.Sealer(_field_context(Person, "given_name"), ring)
    seal_family = crypto.Sealer(_field_context(Person, "family_name"), ring)
    seal_phone = crypto.Sealer(_field_context(Person, "phone"), ring)
    seal_id_number = crypto.Sealer(_field_context(Person, "id_number"), ring)
    seal_source = crypto.Sealer(_field_context(Source, "description"), ring)
    blind_index = crypto.blind_index
    date = backend.date
    now_value = timezone.now()
    now = backend.datetime(now_value)
    user_id = writer.user.pk if writer.user is not None else None
    term = lk.term_id
    final = VerificationStatus.final()
    prefix = settings.PUBLIC_ID_PREFIX

    n_violations = sum(len(r.violations) for r in records)
    n_victims = sum(len(v.victims) for r in records for v in r.violations)
    n_groups = sum(len(v.groups) for r in records for v in r.violations)
    n_perps = sum(len(v.perpetrators) for r in records for v in r.violations)
    n_sources = sum(len(r.sources) for r in records)
    external = [writer.external_ids(r) for r in records]
    n_external = sum(len(e) for e in external)
    incident_ids = iter(backend.ids(t["incident"].name, "id", len(records)))
    violation_ids = iter(backend.ids(t["violation"].name, "id", n_violations))
    person_ids = iter(backend.ids(t["person"].name, "id", n_victims))
    victim_ids = iter(backend.ids(t["victim"].name, "id", n_victims))
    group_ids = iter(backend.ids(t["group"].name, "id", n_groups))
    perp_ids = iter(backend.ids(t["perpetrator"].name, "id", n_perps))
    source_ids = iter(backend.ids(t["source"].name, "id", n_sources))
    external_table = ExternalId._meta.db_table
    external_ids = iter(backend.ids(external_table, "id", n_external))
    incident_public_ids = iter(new_public_ids(prefix, len(records)))
    person_public_ids = iter(new_public_ids("P", n_victims))

    incidents: list[tuple] = []
    violations: list[tuple] = []
    people: list[tuple] = []
    victims: list[tuple] = []
    groups: list[tuple] = []
    perpetrators: list[tuple] = []
    sources: list[tuple] = []
    method_links: list[tuple] = []
    category_links: list[tuple] = []
    external_rows: list[tuple] = []
    group_total = 0
    units = lk.units_ids
    # The list's facet bits (facets.py), written with the row: a backfill afterwards would update every
    # incident once more (a million single-row updates on PostgreSQL).
    type_bit, perpetrator_bit = facets.positions("violation_type"), facets.positions("perpetrator_category")
    verification_bit = facets.VERIFICATION_BITS
    for r, keys in zip(records, external, strict=True):
        incident_id = next(incident_ids)
        org_id = lk.orgs[r.source_org]
        confidentiality = r.confidentiality
        victim_count = 0
        bits = [0, 0, 0]
        for v in r.violations:
            violation_id = next(violation_ids)
            vtype_id, counted_by = lk.violation_type(v.type_code)
            status = v.verification_status
            bits[0] |= type_bit.get(vtype_id, 0)
            bits[2] |= verification_bit.get(status, 0)
            violations.append(
                (
                    violation_id,
                    incident_id,
                    vtype_id,
                    counted_by,
                    status,
                    term("standard_of_proof", v.standard_of_proof),
                    None,
                    now if status in final else None,
                    "",
                )
            )
            for method_id in {term("method", code) for code in v.method_codes} - {None}:
                method_links.append((violation_id, method_id))
            victim_count += len(v.victims)
            for victim in v.victims:
                person_id = next(person_ids)
                full = f"{victim.given_name} {victim.family_name}".strip()
                people.append(
                    (
                        person_id,
                        next(person_public_ids),
                        org_id,
                        confidentiality,
                        user_id,
                        now,
                        now,
                        seal_given(victim.given_name),
                        seal_family(victim.family_name),
                        "",
                        seal_phone(victim.phone),
                        seal_id_number(victim.id_number),
                        "",
                        blind_index(full, ring) if full else "",
                        victim.sex,
                        victim.birth_year,
                        victim.age_estimated,
                        None,
                    )
                )
                victims.append(
                    (
                        next(victim_ids),
                        violation_id,
                        person_id,
                        victim.age,
                        victim.age_estimated,
                        term("victim_status", victim.status_after),
                    )
                )
                for category_id in {term("victim_category", code) for code in victim.categories} - {None}:
                    category_links.append((person_id, category_id))
            for g in v.groups:
                total = g.women + g.men + g.girls + g.boys + g.unknown
                victim_count += total
                group_total += total
                groups.append(
                    (
                        next(group_ids),
                        violation_id,
                        g.description[:200],
                        g.women,
                        g.men,
                        g.girls,
                        g.boys,
                        g.unknown,
                        term("victim_status", getattr(g, "status_after", None)),
                    )
                )
            for p in v.perpetrators:
                actor = lk.actor_named(p.actor_name)
                category_id = term("perpetrator_category", p.category_code) or (
                    actor.category_id if actor else None
                )
                if category_id is None:
                    continue
                bits[1] |= perpetrator_bit.get(category_id, 0)
                perpetrators.append(
                    (
                        next(perp_ids),
                        violation_id,
                        actor.pk if actor else None,
                        None,
                        category_id,
                        term("involvement", _involvement(p.involvement)),
                    )
                )
        for s in r.sources:
            sources.append(
                (
                    next(source_ids),
                    incident_id,
                    None,
                    term("source_kind", _source_kind(s.kind)),
                    term("reliability", s.reliability),
                    s.language,
                    date(s.reported_on),
                    seal_source(s.name or ""),
                )
            )
        digest = writer.digests(r)
        for source, key in keys.items():
            external_rows.append((next(external_ids), source, key, org_id, incident_id, digest, now, now))
            stats.ids[(source, key)] = incident_id
        incidents.append(
            (
                incident_id,
                next(incident_public_ids),
                r.title[:250],
                seal_narrative(r.narrative),
                r.public_summary,
                date(r.start_date),
                date(r.end_date),
                r.date_precision,
                r.date_estimated,
                units.get(r.admin1_pcode),
                units.get(r.admin2_pcode),
                units.get(r.admin3_pcode),
                lk.settlements.get(r.settlement_pcode or ""),
                r.latitude,
                r.longitude,
                r.geo_precision,
                r.status,
                confidentiality,
                org_id,
                user_id,
                now,
                now,
                json.dumps(keys),
                now if r.status != "draft" else None,
                len(r.violations),
                victim_count,
                *bits,
            )
        )

    insert = backend.insert
    insert(t["incident"].name, t["incident"].columns, t["incident"].rows(incidents))
    insert(t["violation"].name, t["violation"].columns, t["violation"].rows(violations))
    insert(Violation.methods.through._meta.db_table, ["violation_id", "term_id"], method_links)
    insert(t["person"].name, t["person"].columns, t["person"].rows(people))
    insert(t["victim"].name, t["victim"].columns, t["victim"].rows(victims))
    insert(Person.categories.through._meta.db_table, ["person_id", "term_id"], category_links)
    insert(t["group"].name, t["group"].columns, t["group"].rows(groups))
    insert(t["perpetrator"].name, t["perpetrator"].columns, t["perpetrator"].rows(perpetrators))
    insert(t["source"].name, t["source"].columns, t["source"].rows(sources))
    insert(external_table, _EXTERNAL_COLUMNS, external_rows)
    if writer.with_history:
        # The first version of every row, so the first edit keeps what was loaded. Encrypted columns carry
        # the same ciphertext as the row (same key, same field context), as the ORM would have re-encrypted.
        when = backend.datetime(timezone.now())
        for key, rows in (
            ("incident", incidents),
            ("violation", violations),
            ("person", people),
            ("victim", victims),
            ("group", groups),
            ("perpetrator", perpetrators),
            ("source", sources),
        ):
            if not rows:
                continue
            table = t[key]
            history_ids = backend.ids(table.history_name, "history_id", len(rows))
            project = table.project
            tail = (when, writer.history_reason, "+", user_id)
            insert(
                table.history_name,
                table.history_columns,
                table.history_rows(
                    [(*project(row), hid, *tail) for row, hid in zip(rows, history_ids, strict=True)]
                ),
            )
    # The statistics' victims aggregate of this batch, in its transaction (the triggers marked them).
    aggregates.refresh(row[0] for row in violations)
    stats.incidents += len(incidents)
    stats.violations += len(violations)
    stats.victims += len(victims) + group_total
    stats.people += len(people)
    # Counts only: never a name, a title or an external key (a partner's key may be a person's reference).
    audit.record(
        Action.IMPORT,
        user=writer.user,
        object_type="incidents.incident",
        event="bulk_write",
        source=writer.source,
        incidents=stats.incidents,
        violations=stats.violations,
        victims=stats.victims,
    )


_EXTERNAL_COLUMNS = [
    "id",
    "source",
    "key",
    "organisation_id",
    "incident_id",
    "digest",
    "created_at",
    "updated_at",
]


def _involvement(code: str) -> str:
    return {"command": "ordered", "complicity": "complicit"}.get(code, code)


def _source_kind(code: str) -> str:
    return {"medical": "medical_personnel"}.get(code, code)
