"""The violation fact table: one flat row per violation, written by the database, read by `counting.table`.

How it stays right (docs/statistics.md, "Aggregates"):
- `ViolationFact` holds, per violation, what a figure filters or groups on: its incident, the level flags
  of the counting rules (reported, documented, verified), the incident's dates and the period codes the
  rules allow for its date precision, its region, cercle and commune, the violation's type, MRM counting,
  verification status, and the incident's organisation and confidentiality (the public scope).
- Unlike the victims aggregate, a fact row is never "waiting": triggers (SQLite and PostgreSQL, installed by
  the migration) rewrite it in the same statement's transaction from the live tables, whatever the write
  path — a violation added, changed or deleted; its incident's dates, places, status, merge, organisation or
  confidentiality changed; a source added, moved or removed. One indexed INSERT … SELECT per changed row.
- The level flags repeat, in SQL, `ViolationQuerySet.counted/documented/verified` (incidents/models.py);
  `differences()` recounts every row from the live tables, and the tests compare `counting.counted_facts`
  with `counting.counted_violations` (the querysets) on every write path.
- `kurukan statistics rebuild` rewrites every row, `check` reports any difference.
"""

from __future__ import annotations

from django.db import connections, transaction
from django.db.models import Case, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce

from kurukan.accounts.models import Confidentiality, Organisation
from kurukan.incidents.models import (
    DatePrecision,
    IncidentStatus,
    Perpetrator,
    VerificationStatus,
    period_parts,
    place_condition,
)
from kurukan.vocabularies.models import Term

TABLE = "statistics_violationfact"
COLUMNS = (
    "violation_id",
    "incident_id",
    "reported",
    "documented",
    "verified",
    "start_date",
    "end_date",
    "year",
    "quarter",
    "month",
    "region_id",
    "cercle_id",
    "commune_id",
    "type_id",
    "counted_by",
    "verification_status",
    "organisation_id",
    "confidentiality",
)
PUBLIC_CONFIDENTIALITY = (Confidentiality.PUBLIC, Confidentiality.INTERNAL)


def _quoted(values) -> str:
    return ", ".join("'" + str(v).replace("'", "''") + "'" for v in values)


def _select(vendor: str, where: str) -> str:
    """The fact rows of the violations matching `where` (on `v`, the violation), from the live tables."""
    if vendor == "sqlite":
        year = "CAST(substr(i.start_date, 1, 4) AS integer)"
        month = "CAST(substr(i.start_date, 6, 2) AS integer)"
        quarter = f"(({month} + 2) / 3)"
    else:
        year = "CAST(EXTRACT(YEAR FROM i.start_date) AS integer)"
        month = "CAST(EXTRACT(MONTH FROM i.start_date) AS integer)"
        quarter = "CAST(EXTRACT(QUARTER FROM i.start_date) AS integer)"
    to_month = _quoted((DatePrecision.DAY, DatePrecision.WEEK, DatePrecision.MONTH))
    to_year = _quoted((DatePrecision.DAY, DatePrecision.WEEK, DatePrecision.MONTH, DatePrecision.YEAR))
    # ViolationQuerySet.counted(): incident not merged, not a draft; verification did not find it did not occur.
    reported = (
        f"(i.merged_into_id IS NULL AND i.status <> '{IncidentStatus.DRAFT}' "
        f"AND v.verification_status <> '{VerificationStatus.DID_NOT_OCCUR}')"
    )
    # documented(): counted, and the incident has a source; verified(): counted, and status "verified".
    documented = (
        f"({reported} AND EXISTS (SELECT 1 FROM incidents_source s WHERE s.incident_id = v.incident_id))"  # noqa: S608 (constants)
    )
    verified = f"({reported} AND v.verification_status = '{VerificationStatus.VERIFIED}')"
    return f"""SELECT v.id, v.incident_id, {reported}, {documented}, {verified}, i.start_date, i.end_date,
  CASE WHEN i.date_precision IN ({to_year}) THEN {year} END,
  CASE WHEN i.date_precision IN ({to_month}) THEN {year} * 10 + {quarter} END,
  CASE WHEN i.date_precision IN ({to_month}) THEN {year} * 100 + {month} END,
  i.region_id, i.cercle_id, i.commune_id, v.type_id, v.counted_by, v.verification_status, i.organisation_id,
  i.confidentiality
FROM incidents_violation v JOIN incidents_incident i ON i.id = v.incident_id
WHERE {where}"""  # noqa: S608 (constants)


def _upsert(vendor: str, where: str) -> str:
    updates = ", ".join(f"{c} = excluded.{c}" for c in COLUMNS[1:])
    return (
        f"INSERT INTO {TABLE} ({', '.join(COLUMNS)}) {_select(vendor, where)}\n"
        f"ON CONFLICT (violation_id) DO UPDATE SET {updates}"
    )


_INCIDENT_COLUMNS = (
    "start_date",
    "end_date",
    "date_precision",
    "region_id",
    "cercle_id",
    "commune_id",
    "organisation_id",
    "status",
    "merged_into_id",
    "confidentiality",
)
_OF_INCIDENT = "SELECT id FROM incidents_violation WHERE incident_id = {ref}.incident_id"
# name, table, event, columns whose change matters (UPDATE OF … WHEN changed), SELECT of violation ids
# (None: the violation is deleted, its row goes).
TRIGGERS: list[tuple[str, str, str, tuple[str, ...], str | None]] = [
    ("violation_insert", "incidents_violation", "INSERT", (), "SELECT NEW.id"),
    (
        "violation_update",
        "incidents_violation",
        "UPDATE",
        ("incident_id", "type_id", "counted_by", "verification_status"),
        "SELECT NEW.id",
    ),
    ("violation_delete", "incidents_violation", "DELETE", (), None),
    (
        "incident_update",
        "incidents_incident",
        "UPDATE",
        _INCIDENT_COLUMNS,
        "SELECT id FROM incidents_violation WHERE incident_id = NEW.id",
    ),
    ("source_insert", "incidents_source", "INSERT", (), _OF_INCIDENT.format(ref="NEW")),
    ("source_delete", "incidents_source", "DELETE", (), _OF_INCIDENT.format(ref="OLD")),
    (
        "source_update",
        "incidents_source",
        "UPDATE",
        ("incident_id",),
        "SELECT id FROM incidents_violation WHERE incident_id IN (OLD.incident_id, NEW.incident_id)",
    ),
]
PREFIX = "violationfact_"


def _sqlite_triggers() -> list[str]:
    out = []
    for name, table, event, columns, select in TRIGGERS:
        on = f"UPDATE OF {', '.join(columns)}" if columns else event
        when = (" WHEN " + " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in columns)) if columns else ""
        body = (
            f"DELETE FROM {TABLE} WHERE violation_id = OLD.id"  # noqa: S608 (constants)
            if select is None
            else _upsert("sqlite", f"v.id IN ({select})")
        )
        out.append(
            f"CREATE TRIGGER IF NOT EXISTS {PREFIX}{name} AFTER {on} ON {table}{when} BEGIN\n{body};\nEND"
        )
    return out


def _postgresql_triggers() -> list[str]:
    out = [
        f"""CREATE OR REPLACE FUNCTION {PREFIX}upsert(ids bigint[]) RETURNS void LANGUAGE sql AS $$
{_upsert("postgresql", "v.id = ANY(ids)")};
$$"""
    ]
    for name, table, event, columns, select in TRIGGERS:
        on = f"UPDATE OF {', '.join(columns)}" if columns else event
        when = (
            " WHEN (" + " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in columns) + ")"
            if columns
            else ""
        )
        body = (
            f"DELETE FROM {TABLE} WHERE violation_id = OLD.id;"  # noqa: S608 (constants)
            if select is None
            else f"PERFORM {PREFIX}upsert(ARRAY({select}));"
        )
        out.append(
            f"""CREATE OR REPLACE FUNCTION {PREFIX}{name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  {body}
  RETURN NULL;
END $$"""
        )
        out.append(
            f"CREATE OR REPLACE TRIGGER {PREFIX}{name} AFTER {on} ON {table} FOR EACH ROW{when} "
            f"EXECUTE FUNCTION {PREFIX}{name}()"
        )
    return out


def _statements(vendor: str) -> list[str]:
    make = {"sqlite": _sqlite_triggers, "postgresql": _postgresql_triggers}.get(vendor)
    return make() if make else []


def _fill(vendor: str) -> list[str]:
    """Every row written again from the live tables (PostgreSQL: and the planner told their shape)."""
    analyze = [f"ANALYZE {TABLE}"] if vendor == "postgresql" else []
    return [f"DELETE FROM {TABLE}", _upsert(vendor, "true"), *analyze]  # noqa: S608 (constants)


def install_triggers(schema_editor) -> None:
    """Create the triggers (migration) and write every row."""
    vendor = schema_editor.connection.vendor
    for sql in [*_statements(vendor), *(_fill(vendor) if _statements(vendor) else [])]:
        schema_editor.execute(sql, params=None)


def remove_triggers(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    for name, table, *_rest in TRIGGERS:
        if vendor == "sqlite":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {PREFIX}{name}", params=None)
        elif vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {PREFIX}{name} ON {table}", params=None)
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {PREFIX}{name}()", params=None)
    if vendor == "postgresql":
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {PREFIX}upsert(bigint[])", params=None)


def installed_triggers(using: str = "default") -> int:
    db = connections[using]
    with db.cursor() as cursor:
        if db.vendor == "sqlite":
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s", [PREFIX + "%"]
            )
        elif db.vendor == "postgresql":
            cursor.execute("SELECT count(*) FROM pg_trigger WHERE tgname LIKE %s", [PREFIX + "%"])
        else:
            return 0
        return cursor.fetchone()[0]


def enabled(using: str = "default") -> bool:
    return connections[using].vendor in {"sqlite", "postgresql"}


def ensure_triggers(using: str = "default", **_kwargs) -> None:
    """After every `migrate`: SQLite drops a table's triggers when a later migration rebuilds the table. Any
    missing trigger is created again and every row rewritten, as a change may have been missed meanwhile."""
    db = connections[using]
    if not enabled(using) or TABLE not in db.introspection.table_names():
        return
    if installed_triggers(using) >= len(TRIGGERS):
        return
    with transaction.atomic(using=using), db.cursor() as cursor:
        for sql in [*_statements(db.vendor), *_fill(db.vendor)]:
            cursor.execute(sql)


def rebuild(using: str = "default") -> int:
    """Rewrite every row from the live tables (`kurukan statistics rebuild`); returns the number of rows."""
    db = connections[using]
    if not enabled(using):
        return 0
    with transaction.atomic(using=using), db.cursor() as cursor:
        for sql in _fill(db.vendor):
            cursor.execute(sql)
        cursor.execute(f"SELECT count(*) FROM {TABLE}")  # noqa: S608 (constant)
        return cursor.fetchone()[0]


def differences(using: str = "default", limit: int = 50) -> list[str]:
    """Every row against the same row computed from the live tables now: empty when the table is right."""
    db = connections[using]
    if not enabled(using):
        return []
    columns = ", ".join(COLUMNS)
    expected = _select(db.vendor, "true")
    out = []
    with db.cursor() as cursor:
        for label, query in (
            ("missing or stale", f"{expected} EXCEPT SELECT {columns} FROM {TABLE}"),  # noqa: S608 (constants)
            ("extra or stale", f"SELECT {columns} FROM {TABLE} EXCEPT {expected}"),  # noqa: S608 (constants)
        ):
            cursor.execute(f"SELECT * FROM ({query}) d LIMIT {int(limit)}")  # noqa: S608 (constants)
            out += [f"fact row {label}: {row}" for row in cursor.fetchall()]
    return out


# --- reading: the counted violations and their fields, on the fact rows ----------------------------------------


def condition(filters, scope, prefix: str = "") -> Q:
    """`counting.counted_violations` (the level, the filters, the scope) as a condition on the fact rows,
    read through `prefix` (`""` on ViolationFact, `"fact__"` on the victims aggregate's rows). The two
    answer the same violations: the tests compare them after every write path."""
    from .counting import grave_violation_types

    p = prefix
    where = Q(**{p + filters.level: True})
    period = Q()
    for part in period_parts(filters.date_from, filters.date_to):
        period |= part
    if period:
        where &= prefixed(period, p)
    if filters.place is not None:
        where &= place_condition(filters.place, p)
    if filters.places:
        anywhere = Q()
        for place in filters.places:
            anywhere |= place_condition(place, p)
        where &= anywhere
    if filters.violation_type is not None:
        where &= Q(**{p + "type_id__in": Term.objects.below(filters.violation_type)})
    if filters.perpetrator_category is not None:
        categories = Term.objects.below(filters.perpetrator_category)
        # Both the fact row and the victims aggregate's row hold the violation's id as `violation_id`.
        where &= Q(
            Exists(Perpetrator.objects.filter(violation=OuterRef("violation_id"), category_id__in=categories))
        )
    if filters.organisation is not None:
        where &= Q(**{p + "organisation": filters.organisation})
    if filters.organisations:
        where &= Q(**{p + "organisation__in": filters.organisations})
    if filters.grave_only:
        where &= Q(**{p + "type_id__in": [pk for ids in grave_violation_types().values() for pk in ids]})
    if scope.kind == "public":
        # access.public_incidents(), on the row: one scan, no subquery.
        including = list(
            Organisation.objects.filter(public_figures_include_confidential=True).values_list("pk", flat=True)
        )
        where &= Q(**{p + "confidentiality__in": PUBLIC_CONFIDENTIALITY}) | Q(
            **{p + "organisation_id__in": including}
        )
    elif scope.kind != "everything":
        visible = scope.incidents()
        if (
            visible.query.where or visible.query.is_empty()
        ):  # an administrator sees every record: no condition
            where &= Q(**{p + "incident_id__in": visible.values("pk")})
    return where


def prefixed(condition: Q, prefix: str) -> Q:
    """The same condition, read from a related model (`start_date` → `incident__start_date`)."""
    out = Q()
    out.connector, out.negated = condition.connector, condition.negated
    for child in condition.children:
        if isinstance(child, Q):
            out.children.append(prefixed(child, prefix))
        else:
            key, value = child
            if isinstance(value, F):
                value = F(prefix + value.name)
            out.children.append((prefix + key, value))
    return out


def counted(filters, scope) -> QuerySet:
    from .models import ViolationFact

    return ViolationFact.objects.filter(condition(filters, scope))


# Fields grouped on an id, turned into codes after the query (the id → code maps are small and one to one):
# no join per row to the places, terms or organisations.
DECODED = {
    "region": ("region_id", "places.AdminUnit", "pcode"),
    "cercle": ("cercle_id", "places.AdminUnit", "pcode"),
    "commune": ("commune_id", "places.AdminUnit", "pcode"),
    "violation_type": ("type_id", "vocabularies.Term", "code"),
    "organisation": ("organisation_id", "accounts.Organisation", "code"),
    "perpetrator_category": ("perpetrators__category_id", "vocabularies.Term", "code"),
    "actor": ("perpetrators__actor_id", "actors.Actor", "code"),
}


def field(name: str, prefix: str, summed: bool = False):
    """The expression of a violation field on the fact rows, read through `prefix` (see `condition`).
    Fields in `DECODED` answer ids: `decode` turns them into codes. When the counts are sums over
    violations (`summed`: victims, violations; not distinct incidents), the type category is grouped on the
    type id too, and `decode` adds up the types of one category (a violation has one type)."""
    from .counting import CountingError, _state_category_ids, grave_violation_types

    p = prefix
    if summed and name == "violation_category":
        return F(p + "type_id")
    if name in DECODED:
        return F(p + DECODED[name][0])
    if name == "violation_category":
        return Coalesce(f"{p}type__parent__parent__code", f"{p}type__parent__code", f"{p}type__code")
    if name == "violation_or_abuse":
        return Case(
            When(**{f"{p}perpetrators__category_id__in": _state_category_ids()}, then=Value("violation")),
            When(**{f"{p}perpetrators__category_id__isnull": False}, then=Value("abuse")),
            default=None,
        )
    if name == "verification":
        return F(p + "verification_status")
    if name == "grave_violation":
        return Case(
            *(
                When(**{f"{p}type_id__in": ids}, then=Value(code))
                for code, ids in grave_violation_types().items()
            ),
            default=None,
        )
    if name in {"year", "quarter", "month"}:
        return F(p + name)
    raise CountingError(name)


def decode(counts: dict[tuple, int], by, summed: bool = False) -> dict[tuple, int]:
    """The keys of `counts` with the ids of `DECODED` fields turned into their codes (None stays None), and
    when `summed`, type ids into their category's code, the counts of one category added up."""
    from django.apps import apps

    positions = [
        i for i, name in enumerate(by) if name in DECODED or (summed and name == "violation_category")
    ]
    if not positions or not counts:
        return counts
    codes = {}
    for i in positions:
        if by[i] == "violation_category":
            ids = {key[i] for key in counts if key[i] is not None}
            top = Coalesce("parent__parent__code", "parent__code", "code")
            codes[i] = dict(Term.objects.filter(pk__in=ids).annotate(top=top).values_list("pk", "top"))
            continue
        _path, model, code = DECODED[by[i]]
        ids = {key[i] for key in counts if key[i] is not None}
        codes[i] = (
            dict(apps.get_model(model).objects.filter(pk__in=ids).values_list("pk", code)) if ids else {}
        )
    out: dict[tuple, int] = {}
    for key, n in counts.items():
        decoded = tuple(codes[i].get(v) if i in codes and v is not None else v for i, v in enumerate(key))
        out[decoded] = out.get(decoded, 0) + n
    return out
