"""The victims aggregate: written by `refresh`, kept honest by database triggers, read by `counting.table`.

How it stays right (docs/statistics.md, "Aggregates"):
- `VictimCount` holds each violation's victims already counted by the rules (people once per violation, at
  the root of their merges; group members by their numbers) by sex, age group and child/adult, and again by
  victim category. It reads nothing about the violation itself: level, verification, type, place, date,
  perpetrators, organisation and the reader's scope are applied live, on the violations, as before — the
  aggregate cannot widen what a reader sees.
- Triggers in the database (installed by the migration, SQLite and PostgreSQL) fire on every write that can
  change a violation's rows — a victim or group added, changed or removed; a person's sex, birth year,
  merges or categories; the incident's start date (ages); a violation moved; a category's code — whatever
  the path: forms, verification, merges and their undo, imports, the synthetic loader, the admin, raw SQL.
  In the same transaction they delete the violation's rows and put it in `LiveCount`.
- Violations in `LiveCount` are counted live (`counting._people` and `_groups`), the others from their rows:
  a figure is never stale, only slower while changes wait. `refresh()` writes the rows of waiting
  violations again; the write paths call it at the end of their transaction (imports and the synthetic
  loader per batch, the incident and people forms, verification, merges), `kurukan statistics rebuild`
  recomputes everything.
- A violation where the same person (at the root of merges) has two different ages or sexes cannot be held
  by additive rows: it stays in `LiveCount` (not pending) and is always counted live.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.db import connection, connections, transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Sum

from kurukan.incidents.models import GroupVictims, Victim, Violation

from .models import LiveCount, VictimCount

CHUNK = 2000
VICTIM_KEYS = ("sex", "age_group", "child")
# How many waiting violations are named in the query as a list rather than read by a subquery.
LIST_LIMIT = 5000

# --- triggers ----------------------------------------------------------------------------------------------

_DESCENDANTS = """SELECT {ref}.id UNION SELECT p1.id FROM people_person p1 WHERE p1.merged_into_id = {ref}.id
UNION SELECT p2.id FROM people_person p2 JOIN people_person p1 ON p2.merged_into_id = p1.id
  WHERE p1.merged_into_id = {ref}.id
UNION SELECT p3.id FROM people_person p3 JOIN people_person p2 ON p3.merged_into_id = p2.id
  JOIN people_person p1 ON p2.merged_into_id = p1.id WHERE p1.merged_into_id = {ref}.id"""

# name, table, event, columns whose change matters (UPDATE OF … WHEN changed), SELECT of violation ids
TRIGGERS: list[tuple[str, str, str, tuple[str, ...], str]] = []
for _short, _table in (("victim", "incidents_victim"), ("group", "incidents_groupvictims")):
    TRIGGERS += [
        (f"{_short}_insert", _table, "INSERT", (), "SELECT NEW.violation_id"),
        (f"{_short}_delete", _table, "DELETE", (), "SELECT OLD.violation_id"),
        (f"{_short}_update", _table, "UPDATE", (), "SELECT OLD.violation_id UNION SELECT NEW.violation_id"),
    ]
TRIGGERS += [
    (
        "person_update",
        "people_person",
        "UPDATE",
        ("sex", "birth_year", "merged_into_id"),
        "SELECT violation_id FROM incidents_victim WHERE person_id IN ("  # noqa: S608 (constants)
        + _DESCENDANTS.format(ref="NEW")
        + ")",
    ),
    (
        "category_insert",
        "people_person_categories",
        "INSERT",
        (),
        "SELECT violation_id FROM incidents_victim WHERE person_id = NEW.person_id",
    ),
    (
        "category_delete",
        "people_person_categories",
        "DELETE",
        (),
        "SELECT violation_id FROM incidents_victim WHERE person_id = OLD.person_id",
    ),
    (
        "category_update",
        "people_person_categories",
        "UPDATE",
        (),
        "SELECT violation_id FROM incidents_victim WHERE person_id IN (OLD.person_id, NEW.person_id)",
    ),
    (
        "incident_update",
        "incidents_incident",
        "UPDATE",
        ("start_date",),
        "SELECT id FROM incidents_violation WHERE incident_id = NEW.id",
    ),
    ("violation_update", "incidents_violation", "UPDATE", ("incident_id",), "SELECT NEW.id"),
    (
        "term_update",
        "vocabularies_term",
        "UPDATE",
        ("code",),
        "SELECT violation_id FROM incidents_victim WHERE person_id IN "
        "(SELECT person_id FROM people_person_categories WHERE term_id = NEW.id)",
    ),
]


def _sqlite_triggers() -> list[str]:
    out = []
    for name, table, event, columns, select in TRIGGERS:
        on = f"UPDATE OF {', '.join(columns)}" if columns else event
        when = (" WHEN " + " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in columns)) if columns else ""
        out.append(
            f"""CREATE TRIGGER IF NOT EXISTS statistics_{name} AFTER {on} ON {table}{when} BEGIN
  INSERT INTO statistics_livecount (violation_id, pending) SELECT s.*, true FROM ({select}) s WHERE true
    ON CONFLICT (violation_id) DO UPDATE SET pending = true;
  DELETE FROM statistics_victimcount WHERE violation_id IN ({select});
END"""  # noqa: S608 (constants)
        )
    return out


def _postgresql_triggers() -> list[str]:
    out = [
        """CREATE OR REPLACE FUNCTION statistics_mark(ids bigint[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO statistics_livecount (violation_id, pending)
    SELECT DISTINCT x, true FROM unnest(ids) x WHERE x IS NOT NULL
    ON CONFLICT (violation_id) DO UPDATE SET pending = true;
  DELETE FROM statistics_victimcount WHERE violation_id = ANY(ids);
$$"""
    ]
    for name, table, event, columns, select in TRIGGERS:
        on = f"UPDATE OF {', '.join(columns)}" if columns else event
        when = (
            " WHEN (" + " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in columns) + ")"
            if columns
            else ""
        )
        out.append(
            f"""CREATE OR REPLACE FUNCTION statistics_{name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM statistics_mark(ARRAY({select}));
  RETURN NULL;
END $$"""
        )
        out.append(
            f"CREATE OR REPLACE TRIGGER statistics_{name} AFTER {on} ON {table} FOR EACH ROW{when} "
            f"EXECUTE FUNCTION statistics_{name}()"
        )
    return out


_MARK_ALL = (
    "INSERT INTO statistics_livecount (violation_id, pending) SELECT violation_id, true FROM "
    "(SELECT violation_id FROM incidents_victim UNION SELECT violation_id FROM incidents_groupvictims) s "
    "WHERE true ON CONFLICT (violation_id) DO UPDATE SET pending = true"
)


def install_triggers(schema_editor) -> None:
    """Create the triggers (migration), and mark every violation with victims for a recount."""
    _install(schema_editor.connection.vendor, lambda sql: schema_editor.execute(sql, params=None))


def _install(vendor: str, execute) -> None:
    statements = {"sqlite": _sqlite_triggers, "postgresql": _postgresql_triggers}.get(vendor)
    if statements is None:
        return
    for sql in statements():
        execute(sql)
    execute(_MARK_ALL)


def installed_triggers(using: str = "default") -> int:
    db = connections[using]
    with db.cursor() as cursor:
        if db.vendor == "sqlite":
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'statistics_%'"
            )
        elif db.vendor == "postgresql":
            cursor.execute("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'statistics_%'")
        else:
            return 0
        return cursor.fetchone()[0]


def ensure_triggers(using: str = "default", **_kwargs) -> None:
    """After every `migrate`: SQLite drops a table's triggers when a later migration rebuilds the table
    (Django's way to alter a column there). Any missing trigger is created again and every violation
    counted live until refreshed, as its rows may have missed a change meanwhile."""
    db = connections[using]
    if not enabled(using) or "statistics_livecount" not in db.introspection.table_names():
        return
    if installed_triggers(using) >= len(TRIGGERS):
        return
    with transaction.atomic(using=using), db.cursor() as cursor:
        _install(db.vendor, cursor.execute)


def remove_triggers(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    for name, table, *_rest in TRIGGERS:
        if vendor == "sqlite":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS statistics_{name}", params=None)
        elif vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS statistics_{name} ON {table}", params=None)
            schema_editor.execute(f"DROP FUNCTION IF EXISTS statistics_{name}()", params=None)
    if vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS statistics_mark(bigint[])", params=None)


def enabled(using: str = "default") -> bool:
    """Whether the triggers keep the aggregate (SQLite and PostgreSQL); elsewhere every count is live."""
    return connections[using].vendor in {"sqlite", "postgresql"}


# --- writing the rows ----------------------------------------------------------------------------------------


def _rows_for(ids: Sequence[int]) -> tuple[list[VictimCount], set[int]]:
    """The aggregate rows of these violations, and those the rows cannot hold exactly (counted live)."""
    from .counting import GROUP_COLUMNS, _victim_annotations, person_root

    aliases, selected = _victim_annotations([*VICTIM_KEYS, "victim_category"])
    people = (
        Victim.objects.filter(violation_id__in=ids)
        .order_by()
        .alias(**aliases)
        .annotate(k_person=person_root(), **selected)
    )
    keys = [f"f_{name}" for name in VICTIM_KEYS]
    tuples: dict[tuple[int, int], set[tuple]] = defaultdict(set)
    by_category: set[tuple] = set()
    for violation_id, person, *fields in people.values_list(
        "violation_id", "k_person", *keys, "f_victim_category"
    ).distinct():
        tuples[violation_id, person].add(tuple(fields[:-1]))
        by_category.add((violation_id, person, *fields))
    ambiguous = {violation_id for (violation_id, _p), seen in tuples.items() if len(seen) > 1}
    base: dict[tuple, int] = defaultdict(int)
    for (violation_id, _person), seen in tuples.items():
        if violation_id not in ambiguous:
            base[(violation_id, *next(iter(seen)), None)] += 1
    categories: dict[tuple, int] = defaultdict(int)
    for violation_id, _person, *fields in by_category:
        if violation_id not in ambiguous:
            categories[(violation_id, *fields)] += 1
    columns = tuple(GROUP_COLUMNS)
    for violation_id, *numbers in GroupVictims.objects.filter(violation_id__in=ids).values_list(
        "violation_id", *columns
    ):
        if violation_id in ambiguous:
            continue
        for column, n in zip(columns, numbers, strict=True):
            if n:
                meaning = GROUP_COLUMNS[column]
                fields = tuple(meaning[name] for name in VICTIM_KEYS)
                base[(violation_id, *fields, None)] += n
                categories[(violation_id, *fields, meaning["victim_category"])] += n
    rows = [
        VictimCount(
            violation_id=key[0],
            per_category=per_category,
            sex=key[1],
            age_group=key[2],
            child=key[3],
            victim_category=key[4],
            value=n,
        )
        for per_category, counts in ((False, base), (True, categories))
        for key, n in counts.items()
    ]
    return rows, ambiguous


def refresh(violation_ids: Iterable[int] | None = None, limit: int | None = None) -> int:
    """Write the rows of the violations waiting in `LiveCount` (only those of `violation_ids` when given:
    a write path refreshes what it changed, not a backlog), `CHUNK` at a time, each chunk in one transaction
    (the caller's, when it has one). Returns how many violations were processed."""
    if not enabled():
        return 0
    wanted = None if violation_ids is None else sorted(set(violation_ids))
    # Violations deleted since they were marked (their victims' deletion marked them): nothing to write.
    LiveCount.objects.filter(pending=True).exclude(
        Exists(Violation.objects.filter(pk=OuterRef("violation_id")))
    ).delete()
    done = 0
    while limit is None or done < limit:
        with transaction.atomic():
            # Locked (PostgreSQL): a writer changing one of these violations meanwhile waits on its trigger's
            # upsert, then marks it pending again once the rows below are committed.
            waiting = LiveCount.objects.select_for_update().filter(pending=True).order_by("violation_id")
            if wanted is not None:
                if not wanted:
                    break
                waiting = waiting.filter(violation_id__in=wanted[:CHUNK])
                wanted = wanted[CHUNK:]
            ids = list(waiting.values_list("violation_id", flat=True)[:CHUNK])
            if not ids:
                if wanted:
                    continue
                break
            rows, ambiguous = _rows_for(ids)
            VictimCount.objects.filter(violation_id__in=ids).delete()
            _insert_counts(rows)
            LiveCount.objects.filter(violation_id__in=ids).exclude(violation_id__in=ambiguous).delete()
            if ambiguous:
                LiveCount.objects.filter(violation_id__in=ambiguous).update(pending=False)
            done += len(ids)
    return done


def _insert_counts(rows: list[VictimCount]) -> None:
    """The rows in one raw `executemany`: the ORM's `bulk_create` prepares each field of each row in Python
    (33,000 rows: 1.1 CPU-s with it, 0.16 s this way; docs/benchmarks.md, "Imports")."""
    if not rows:
        return
    quote = connection.ops.quote_name
    columns = ("violation_id", "per_category", "sex", "age_group", "child", "victim_category", "value")
    sql = (  # names from the model, never from input
        f"INSERT INTO {quote(VictimCount._meta.db_table)} ({', '.join(map(quote, columns))})"  # noqa: S608
        f" VALUES ({', '.join(['%s'] * len(columns))})"
    )
    with connection.cursor() as cursor:
        cursor.executemany(
            sql,
            [
                (r.violation_id, r.per_category, r.sex, r.age_group, r.child, r.victim_category, r.value)
                for r in rows
            ],
        )


def refresh_incidents(incident_ids: Iterable[int]) -> int:
    """`refresh` for the violations of these incidents (the incident forms and import updates)."""
    return refresh(Violation.objects.filter(incident_id__in=list(incident_ids)).values_list("pk", flat=True))


def refresh_people(person_ids: Iterable[int]) -> int:
    """`refresh` for the violations naming these people (person merges and their undo, person edits)."""
    return refresh(
        Victim.objects.filter(person_id__in=list(person_ids)).values_list("violation_id", flat=True)
    )


def rebuild() -> int:
    """Recompute every row (`kurukan statistics rebuild`): every violation with victims waits, then is
    written again. Figures stay right meanwhile (waiting violations are counted live). The violation fact
    rows (`facts.py`) are rewritten first."""
    from . import facts

    facts.rebuild()
    with transaction.atomic():
        VictimCount.objects.all().delete()
        LiveCount.objects.all().delete()
        with connection.cursor() as cursor:
            cursor.execute(_MARK_ALL)
    return refresh()


# --- reading ---------------------------------------------------------------------------------------------------


def waiting(violations: QuerySet) -> QuerySet | None:
    """Those of these violations counted live (changed since their rows were written), or None: few, named
    as a list; after a large write not yet refreshed, read by a subquery."""
    ids = list(LiveCount.objects.values_list("violation_id", flat=True)[: LIST_LIMIT + 1])
    if not ids:
        return None
    if len(ids) > LIST_LIMIT:
        return violations.filter(pk__in=LiveCount.objects.values("violation_id"))
    return violations.filter(pk__in=ids)


def victims(where: Q, by: Sequence[str], children_only: bool) -> dict[tuple, int]:
    """Victims of the violations whose fact rows meet `where` (`facts.condition` read through `fact__`), from
    the rows (people once per violation, group members), by `by`: violation fields read from the fact row,
    victim fields from the row. Violations counted live have no rows (the triggers delete them), so nothing
    is counted twice."""
    from . import facts
    from .counting import MULTI_VALUED, VICTIM_FIELDS

    rows = VictimCount.objects.filter(where, per_category="victim_category" in by).order_by()
    if children_only:
        rows = rows.filter(child="child")
    fields = {
        f"f_{name}": F(name) if name in VICTIM_FIELDS else facts.field(name, "fact__", summed=True)
        for name in by
    }
    if not by:
        return {(): rows.aggregate(n=Sum("value"))["n"] or 0}
    repeats = bool(MULTI_VALUED & set(by) - set(VICTIM_FIELDS))
    if not repeats:
        counts = {
            tuple(row[f"f_{name}"] for name in by): row["n"] or 0
            for row in rows.annotate(**fields).values(*fields).annotate(n=Sum("value"))
        }
    else:
        # A violation with two perpetrators of one category is one row of that category: distinct rows first.
        inner = rows.annotate(**fields).values("pk", "value", *fields).distinct()
        counts = sum_distinct(inner, [f"f_{name}" for name in by], ["value"])
    return facts.decode(counts, by, summed=True)


def sum_distinct(inner: QuerySet, columns: Iterable[str], sums: Sequence[str]) -> dict[tuple, int]:
    """SUM of `sums` over the distinct rows of `inner`, grouped by `columns` (one value per key: the first
    sum, or their total)."""
    from django.core.exceptions import EmptyResultSet

    try:
        sql, params = inner.query.sql_with_params()
    except EmptyResultSet:
        return {}
    db = connections[inner.db]
    quote = db.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    total = " + ".join(f"COALESCE(SUM({quote(s)}), 0)" for s in sums)
    query = f"SELECT {names}, {total} FROM ({sql}) distinct_rows GROUP BY {names}"  # noqa: S608
    with db.cursor() as cursor:
        cursor.execute(query, params)
        return {tuple(row[:-1]): row[-1] for row in cursor.fetchall()}


def recount_differences(violation_ids: Iterable[int] | None = None) -> list[str]:
    """The staleness check: every violation's rows against a recount from the victim tables now. Empty when
    the aggregate is right; otherwise one line per difference (tests, `kurukan statistics check`)."""
    waiting = set(LiveCount.objects.values_list("violation_id", flat=True))
    stored: dict[tuple, int] = defaultdict(int)
    rows = VictimCount.objects.all()
    if violation_ids is not None:
        rows = rows.filter(violation_id__in=list(violation_ids))
    for row in rows:
        stored[
            (row.violation_id, row.per_category, row.sex, row.age_group, row.child, row.victim_category)
        ] += row.value
    ids = sorted(
        set(violation_ids)
        if violation_ids is not None
        else set(Victim.objects.values_list("violation_id", flat=True))
        | set(GroupVictims.objects.values_list("violation_id", flat=True))
    )
    expected: dict[tuple, int] = defaultdict(int)
    live_expected: set[int] = set()
    for start in range(0, len(ids), CHUNK):
        recounted, ambiguous = _rows_for(ids[start : start + CHUNK])
        live_expected |= ambiguous
        for row in recounted:
            key = (row.violation_id, row.per_category, row.sex, row.age_group, row.child, row.victim_category)
            expected[key] += row.value
    out = []
    for key in sorted(set(stored) | set(expected), key=str):
        if key[0] in waiting:
            if stored.get(key):
                out.append(f"violation {key[0]} is counted live but still has rows: {key[1:]}")
            continue
        if stored.get(key, 0) != expected.get(key, 0):
            out.append(
                f"violation {key[0]} {key[1:]}: stored {stored.get(key, 0)}, recount {expected.get(key, 0)}"
            )
    for violation_id in sorted(live_expected - waiting):
        out.append(f"violation {violation_id} needs a live count but is not marked")
    if violation_ids is None:  # and the violation fact rows against the live tables (`facts.py`)
        from . import facts

        out += facts.differences()
    return out
