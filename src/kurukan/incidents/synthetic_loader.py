"""Load reports from kurukan.analysis.synthetic into the database, in bulk and with version history.

Used by `kurukan demo` (about 5,000 incidents) and the benchmarks (1,000,000). Each batch is one
transaction: a crash leaves whole batches or nothing of a batch.
"""

from __future__ import annotations

import datetime as dt
import json
from base64 import b64encode as _b64encode
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from operator import itemgetter
from os import urandom as _urandom

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from kurukan import crypto
from kurukan.accounts.models import Organisation, User
from kurukan.actors.models import Actor
from kurukan.analysis.synthetic import IncidentReport, SyntheticConfig, generate
from kurukan.ids import ALPHABET
from kurukan.people.models import Person
from kurukan.places.models import AdminUnit, Settlement
from kurukan.vocabularies.models import Term

from . import facets, search
from .models import GroupVictims, Incident, Perpetrator, Source, Victim, Violation

ORGANISATIONS = {
    "ohchr": ("Division des droits de l'homme et de la protection (ONU)", "DDHP"),
    "cndh": ("Commission nationale des droits de l'homme", "CNDH"),
    "amdh": ("Association malienne des droits de l'homme", "AMDH"),
    "ngo_local": ("ONG locale partenaire", "ONG locale"),
    "press": ("Veille des médias", "Presse"),
}


@dataclass
class LoadStats:
    incidents: int = 0
    violations: int = 0
    victims: int = 0
    people: int = 0


class _Lookups:
    """Codes → row ids, read once, so loading a million reports does not ask the database for each."""

    def __init__(self) -> None:
        self.terms: dict[tuple[str, str], Term] = {(t.vocabulary, t.code): t for t in Term.objects.all()}
        self.units = {u.pcode: u for u in AdminUnit.objects.current()}
        self.units_ids = {pcode: u.pk for pcode, u in self.units.items()}
        self._term_ids: dict[tuple[str, str | None], int | None] = {}
        self._violation_types: dict[str, tuple[int, str]] = {}
        self.settlements = dict(Settlement.objects.values_list("pcode", "pk"))
        self.actors = {a.name: a for a in Actor.objects.all()}
        for actor in list(self.actors.values()):
            self.actors.setdefault(actor.short_name, actor)
            for alias in filter(None, actor.aliases.split("|")):
                self.actors.setdefault(alias.strip(), actor)
        self.orgs = {}
        for code, (name, short) in ORGANISATIONS.items():
            self.orgs[code], _ = Organisation.objects.get_or_create(
                code=code, defaults={"name": name, "short_name": short}
            )

    def term(self, vocabulary: str, code: str | None) -> Term | None:
        if not code:
            return None
        found = self.terms.get((vocabulary, code))
        if (
            found is None
        ):  # methods are namespaced in our vocabulary ("weapons.firearm"); the generator is not
            found = next(
                (t for (v, c), t in self.terms.items() if v == vocabulary and c.endswith(f".{code}")), None
            )
            self.terms[(vocabulary, code)] = found  # type: ignore[assignment]
        return found

    def term_id(self, vocabulary: str, code: str | None) -> int | None:
        key = (vocabulary, code)
        try:
            return self._term_ids[key]
        except KeyError:
            found = self.term(vocabulary, code)
            self._term_ids[key] = found.pk if found is not None else None
            return self._term_ids[key]

    def violation_type(self, code: str) -> tuple[int, str]:
        """(term id, counted_by): a violation needs a known type, as before (unknown codes fail loudly)."""
        if code not in self._violation_types:
            vtype = self.term("violation_type", code)
            if vtype is None:
                raise ValueError(f"synthetic_loader: unknown violation type {code!r}")
            self._violation_types[code] = (vtype.pk, vtype.attributes.get("counted_by", "victim"))
        return self._violation_types[code]

    def actor(self, name: str | None) -> Actor | None:
        if not name:
            return None
        if name not in self.actors:
            short = name.split("(")[-1].rstrip(")") if "(" in name else name
            self.actors[name] = self.actors.get(short) or self.actors.get(name.split(" / ")[0])  # type: ignore[assignment]
        return self.actors[name]


def load_reports(
    reports: Iterable[IncidentReport],
    *,
    batch_size: int = 1000,
    created_by: User | None = None,
    progress: Callable[[int], None] | None = None,
    with_history: bool = True,
) -> LoadStats:
    """Write the reports batch by batch, with a first version-history row for every row written.

    Rows go straight to the database (sqlite3 `executemany`, PostgreSQL `COPY`): the ORM's per-object
    work (signals, defaults, `get_prep_value` per field) was 90 % of the time. Row ids are allocated by
    the loader (PostgreSQL: from the table's sequence; SQLite: after the current maximum, inside the
    batch's write transaction), so parents, children and history rows are written in one pass.
    """
    facets.reset_cache()  # terms added since the bits were last read get theirs
    lookups = _Lookups()
    writer = _Writer.for_connection()
    stats = LoadStats()
    batch: list[IncidentReport] = []
    with writer.tuned():
        for report in reports:
            batch.append(report)
            if len(batch) >= batch_size:
                _load_batch_retrying(batch, lookups, stats, created_by, with_history, writer)
                if progress:
                    progress(len(batch))
                batch = []
        if batch:
            _load_batch_retrying(batch, lookups, stats, created_by, with_history, writer)
            if progress:
                progress(len(batch))
    if stats.incidents:
        facets.backfill()  # incidents loaded before the loader wrote the bits
        writer.analyse([t.name for t in _tables().values()])
    return stats


def load_synthetic(n_events: int, seed: int = 42, **kwargs) -> LoadStats:
    return load_reports(generate(SyntheticConfig(n_events=n_events, seed=seed)), **kwargs)


def _encrypt(value: str | None, context: str, ring: crypto.Keyring) -> str:
    return crypto.encrypt(value, context, ring) if value else ""


class _Sealer:
    """crypto.encrypt with the cipher, key prefix and associated data prepared once per field."""

    def __init__(self, ring: crypto.Keyring, context: str) -> None:
        self._encrypt = ring.cipher(ring.active).encrypt
        self._prefix = f"{ring.active}{crypto.SEPARATOR}"
        self._aad = context.encode("utf-8")

    def __call__(self, value: str | None) -> str:
        if not value:
            return ""
        nonce = _urandom(crypto.NONCE_BYTES)
        return self._prefix + _b64encode(
            nonce + self._encrypt(nonce, value.encode("utf-8"), self._aad)
        ).decode("ascii")


def _public_id(prefix: str) -> str:
    """kurukan.ids.new_public_id, from one 40-bit draw (8 symbols of 5 bits) instead of eight."""
    n = int.from_bytes(_urandom(5))
    chars = [ALPHABET[(n >> shift) & 31] for shift in (35, 30, 25, 20, 15, 10, 5, 0)]
    return f"{prefix}-{chars[0]}{chars[1]}{chars[2]}{chars[3]}-{chars[4]}{chars[5]}{chars[6]}{chars[7]}"


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
        raise RuntimeError(f"synthetic_loader: {model._meta.db_table} has no column {sorted(missing)}")
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
            raise RuntimeError(f"synthetic_loader: new column {model._meta.db_table}.{column} needs a value")
        extra_columns.append(column)
        extra_values.append(f.get_db_prep_save(f.get_default() if f.has_default() else None, connection))
    return extra_columns, tuple(extra_values)


class _Writer:
    """Id allocation and bulk insert for one database backend."""

    vendor = ""

    def __init__(self) -> None:
        self.raw = connection.connection

    @staticmethod
    def for_connection() -> _Writer:
        connection.ensure_connection()
        if connection.vendor == "postgresql":
            return _PostgresWriter()
        if connection.vendor == "sqlite":
            return _SqliteWriter()
        return _OrmWriter()

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


class _SqliteWriter(_Writer):
    vendor = "sqlite"

    @contextmanager
    def tuned(self):
        cursor = self.raw.cursor()
        old_cache = cursor.execute("PRAGMA cache_size").fetchone()[0]
        cursor.execute("PRAGMA cache_size=-262144")  # 256 MB page cache while indexes grow
        if not self.raw.in_transaction:  # SQLite refuses the change inside one (a caller's atomic block)
            cursor.execute("PRAGMA temp_store=MEMORY")
        try:
            yield
        finally:
            cursor.execute(f"PRAGMA cache_size={int(old_cache)}")

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


class _PostgresWriter(_Writer):
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


class _OrmWriter(_Writer):
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
                ["id", "violation_id", "description", "women", "men", "girls", "boys", "unknown"],
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


def _load_batch_retrying(
    batch: list[IncidentReport],
    lk: _Lookups,
    stats: LoadStats,
    user: User | None,
    with_history: bool,
    writer: _Writer,
) -> None:
    # Public ids are 40 random bits: across millions of rows a collision with an existing id is expected a
    # few times. The batch is then rolled back and written again with fresh ids.
    for attempt in range(5):
        try:
            _load_batch(batch, lk, stats, user, with_history, writer)
            return
        # Every backend's wrapper has `Database`, its DB-API module (raw inserts raise its errors);
        # django-stubs does not declare it on BaseDatabaseWrapper.
        except (IntegrityError, connection.Database.IntegrityError):  # type: ignore[attr-defined]
            if attempt == 4:
                raise


@transaction.atomic
def _load_batch(
    batch: list[IncidentReport],
    lk: _Lookups,
    stats: LoadStats,
    user: User | None,
    with_history: bool,
    writer: _Writer,
) -> None:
    writer.begin_batch()
    t = _tables()
    ring = crypto.get_keyring()
    seal_narrative = _Sealer(ring, _field_context(Incident, "narrative"))
    seal_given = _Sealer(ring, _field_context(Person, "given_name"))
    seal_family = _Sealer(ring, _field_context(Person, "family_name"))
    seal_phone = _Sealer(ring, _field_context(Person, "phone"))
    seal_id_number = _Sealer(ring, _field_context(Person, "id_number"))
    seal_source = _Sealer(ring, _field_context(Source, "description"))
    blind_index = crypto.blind_index
    date = writer.date
    now_value = timezone.now()
    now = writer.datetime(now_value)
    user_id = user.pk if user is not None else None
    term = lk.term_id
    final = _FINAL_STATUSES

    n_violations = sum(len(r.violations) for r in batch)
    n_victims = sum(len(v.victims) for r in batch for v in r.violations)
    n_groups = sum(len(v.groups) for r in batch for v in r.violations)
    n_perps = sum(len(v.perpetrators) for r in batch for v in r.violations)
    n_sources = sum(len(r.sources) for r in batch)
    incident_ids = iter(writer.ids(t["incident"].name, "id", len(batch)))
    violation_ids = iter(writer.ids(t["violation"].name, "id", n_violations))
    person_ids = iter(writer.ids(t["person"].name, "id", n_victims))
    victim_ids = iter(writer.ids(t["victim"].name, "id", n_victims))
    group_ids = iter(writer.ids(t["group"].name, "id", n_groups))
    perp_ids = iter(writer.ids(t["perpetrator"].name, "id", n_perps))
    source_ids = iter(writer.ids(t["source"].name, "id", n_sources))

    incidents: list[tuple] = []
    violations: list[tuple] = []
    people: list[tuple] = []
    victims: list[tuple] = []
    groups: list[tuple] = []
    perpetrators: list[tuple] = []
    sources: list[tuple] = []
    method_links: list[tuple] = []
    category_links: list[tuple] = []
    group_total = 0
    units = lk.units_ids
    # The list's facet bits (facets.py), written with the row: a backfill afterwards would update every
    # incident once more (a million single-row updates on PostgreSQL).
    type_bit, perpetrator_bit = facets.positions("violation_type"), facets.positions("perpetrator_category")
    verification_bit = facets.VERIFICATION_BITS
    for r in batch:
        incident_id = next(incident_ids)
        org_id = lk.orgs[r.source_org].pk
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
                        _public_id("P"),
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
                    )
                )
            for p in v.perpetrators:
                actor = lk.actor(p.actor_name)
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
        incidents.append(
            (
                incident_id,
                _public_id(settings.PUBLIC_ID_PREFIX),
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
                json.dumps({"synthetic": r.report_id}),
                now if r.status != "draft" else None,
                len(r.violations),
                victim_count,
                *bits,
            )
        )

    perpetrators_written = perpetrators
    writer.insert(t["incident"].name, t["incident"].columns, t["incident"].rows(incidents))
    writer.insert(t["violation"].name, t["violation"].columns, t["violation"].rows(violations))
    writer.insert(Violation.methods.through._meta.db_table, ["violation_id", "term_id"], method_links)
    writer.insert(t["person"].name, t["person"].columns, t["person"].rows(people))
    writer.insert(t["victim"].name, t["victim"].columns, t["victim"].rows(victims))
    writer.insert(Person.categories.through._meta.db_table, ["person_id", "term_id"], category_links)
    writer.insert(t["group"].name, t["group"].columns, t["group"].rows(groups))
    writer.insert(
        t["perpetrator"].name, t["perpetrator"].columns, t["perpetrator"].rows(perpetrators_written)
    )
    writer.insert(t["source"].name, t["source"].columns, t["source"].rows(sources))
    if with_history:
        # The first version of every row, so the first edit keeps what was loaded. Encrypted columns carry
        # the same ciphertext as the row (same key, same field context), as the ORM would have re-encrypted.
        when = writer.datetime(timezone.now())
        for key, rows in (
            ("incident", incidents),
            ("violation", violations),
            ("person", people),
            ("victim", victims),
            ("group", groups),
            ("perpetrator", perpetrators_written),
            ("source", sources),
        ):
            if not rows:
                continue
            table = t[key]
            history_ids = writer.ids(table.history_name, "history_id", len(rows))
            project = table.project
            tail = (when, "import synthétique", "+", user_id)
            writer.insert(
                table.history_name,
                table.history_columns,
                table.history_rows(
                    [(*project(row), hid, *tail) for row, hid in zip(rows, history_ids, strict=True)]
                ),
            )
    stats.incidents += len(incidents)
    stats.violations += len(violations)
    stats.victims += len(victims) + group_total
    stats.people += len(people)


_FINAL_STATUSES = frozenset({"verified", "not_verified", "did_not_occur"})


def _involvement(code: str) -> str:
    return {"command": "ordered", "complicity": "complicit"}.get(code, code)


def _source_kind(code: str) -> str:
    return {"medical": "medical_personnel"}.get(code, code)


def demo_period() -> tuple[dt.date, dt.date]:
    return dt.date(2012, 1, 1), timezone.localdate()
