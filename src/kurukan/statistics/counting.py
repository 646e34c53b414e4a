"""The one function every figure comes from: `table(measure, by, filters, scope)`.

The rules it applies are in `rules.py` (and docs/statistics.md). Counts are computed by the database: one
grouped query per measure, over the violation fact rows (`facts.py`: `counted_violations` on one flat row);
victims are summed from the aggregate rows kept by `aggregates.py` joined to them (the violations changed
since are recounted live). `live=True` counts everything from the records, as the querysets say.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from kurukan.accounts import access
from kurukan.accounts.models import Organisation
from kurukan.incidents.merges import roots_of
from kurukan.incidents.models import (
    CountedBy,
    DatePrecision,
    GroupVictims,
    Incident,
    Perpetrator,
    Victim,
    Violation,
    ViolationQuerySet,
    period_parts,
    place_condition,
)
from kurukan.people.models import Person
from kurukan.places.models import AdminUnit
from kurukan.vocabularies.models import Term

from . import facts
from .dates import ExtractMonth, ExtractQuarter, ExtractYear

MEASURES = ("incidents", "violations", "victims", "mrm")
LEVELS = ("reported", "documented", "verified")

# Fields read from the violation and its incident; fields read from the victim.
VIOLATION_FIELDS = (
    "region",
    "cercle",
    "commune",
    "violation_type",
    "violation_category",
    "perpetrator_category",
    "violation_or_abuse",
    "actor",
    "verification",
    "organisation",
    "month",
    "quarter",
    "year",
    "grave_violation",
)
VICTIM_FIELDS = ("sex", "age_group", "child", "victim_category")
FIELDS = VIOLATION_FIELDS + VICTIM_FIELDS
# A violation has several perpetrators, a person several categories: these rows can repeat a record.
MULTI_VALUED = {"perpetrator_category", "violation_or_abuse", "actor", "victim_category"}
CHILD_AGE = 18
OLDER_AGE = 60


class CountingError(ValueError):
    """A request the rules cannot answer (an unknown field, a victim field on incidents…): said plainly."""


@dataclass(frozen=True)
class Filters:
    """The incident list's filters, plus the verification level the figure counts."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    place: AdminUnit | None = None
    violation_type: Term | None = None
    perpetrator_category: Term | None = None
    organisation: Organisation | None = None
    level: str = "documented"
    children_only: bool = False  # victims: children only (rules.py)
    grave_only: bool = False  # the six grave violations against children (MRM) only
    # Several places or organisations at once ("Mopti and Ségou"): a record counts if it is in any of them.
    places: tuple[AdminUnit, ...] = ()
    organisations: tuple[Organisation, ...] = ()

    def __post_init__(self) -> None:
        if self.level not in LEVELS:
            raise CountingError(
                _("niveau inconnu « %(level)s » : choisissez parmi %(choices)s")
                % {"level": self.level, "choices": ", ".join(LEVELS)}
            )


@dataclass(frozen=True)
class Scope:
    """Which incidents the figure may read: a user's view, everything (administrators, the CLI), or the
    public's (records an organisation lets into public figures; the `public` pages add disclosure control)."""

    kind: str
    user: Any = None

    @classmethod
    def for_user(cls, user) -> Scope:
        return cls("user", user)

    @classmethod
    def everything(cls) -> Scope:
        return cls("everything")

    @classmethod
    def public(cls) -> Scope:
        return cls("public")

    def incidents(self) -> QuerySet[Incident] | None:
        """The incidents in scope, or None for all of them (no condition to add)."""
        if self.kind == "everything":
            return None
        if self.kind == "public":
            return access.public_incidents()
        return access.visible_incidents(self.user)


@dataclass
class Table:
    measure: str
    by: list[str]
    rows: list[dict] = field(default_factory=list)
    total: int = 0

    def as_dict(self) -> dict:
        return {"measure": self.measure, "by": self.by, "rows": self.rows, "total": self.total}

    def value(self, **codes) -> int:
        """The value of the row with these codes (0 when there is none): tests and sentences read this."""
        for row in self.rows:
            if all(row.get(k) == v for k, v in codes.items()):
                return row["value"]
        return 0


EVERYTHING = Scope.everything()
NO_FILTERS = Filters()


# --- the records that count --------------------------------------------------------------------------------


def counted_violations(filters: Filters = NO_FILTERS, scope: Scope = EVERYTHING) -> ViolationQuerySet:
    """The violations a figure counts: the level, the filters and the scope applied (rules.py)."""
    qs: ViolationQuerySet = getattr(Violation.objects, filters.level)()
    period = Q()
    for part in period_parts(filters.date_from, filters.date_to):
        period |= part
    if period:
        qs = qs.filter(facts.prefixed(period, "incident__"))
    if filters.place is not None:
        qs = qs.filter(place_condition(filters.place, "incident__"))
    if filters.places:
        anywhere = Q()
        for place in filters.places:
            anywhere |= place_condition(place, "incident__")
        qs = qs.filter(anywhere)
    if filters.violation_type is not None:
        qs = qs.of_type(filters.violation_type)
    if filters.perpetrator_category is not None:
        categories = Term.objects.below(filters.perpetrator_category)
        qs = qs.filter(
            Exists(Perpetrator.objects.filter(violation=OuterRef("pk"), category_id__in=categories))
        )
    if filters.organisation is not None:
        qs = qs.filter(incident__organisation=filters.organisation)
    if filters.organisations:
        qs = qs.filter(incident__organisation__in=filters.organisations)
    if filters.grave_only:
        qs = qs.filter(type_id__in=[pk for ids in grave_violation_types().values() for pk in ids])
    visible = scope.incidents()
    if visible is not None:
        qs = qs.filter(incident__in=visible.values("pk"))
    return qs


# --- fields: each one an expression read from a violation (prefix "") or from a victim ("violation__") -------


def _state_category_ids() -> list[int]:
    return [
        t.pk
        for t in Term.objects.filter(vocabulary="perpetrator_category")
        if t.attributes.get("state_actor") == "yes"
    ]


# The six grave violations against children (MRM), from each type's `mrm_if_child` attribute.
GRAVE_VIOLATIONS = {
    "killing": "killing_maiming",
    "maiming": "killing_maiming",
    "recruitment_use": "recruitment_use",
    "attack_on_school": "attacks_schools_hospitals",
    "attack_on_hospital": "attacks_schools_hospitals",
    "sexual_violence": "sexual_violence",
    "abduction": "abduction",
    "denial_of_humanitarian_access": "denial_of_humanitarian_access",
}
SIX_GRAVE = tuple(dict.fromkeys(GRAVE_VIOLATIONS.values()))


def grave_violation_types() -> dict[str, list[int]]:
    """Each of the six grave violations → the ids of the violation types that are it when a child suffers."""
    out: dict[str, list[int]] = defaultdict(list)
    for term in Term.objects.filter(vocabulary="violation_type"):
        grave = GRAVE_VIOLATIONS.get(term.attributes.get("mrm_if_child", ""))
        if grave:
            out[grave].append(term.pk)
    return out


def _dated(p: str, precise: Iterable[str], expression) -> Case:
    return Case(When(**{f"{p}incident__date_precision__in": list(precise)}, then=expression), default=None)


def _violation_field(name: str, p: str):
    incident = f"{p}incident__"
    start = F(f"{incident}start_date")
    to_month = (DatePrecision.DAY, DatePrecision.WEEK, DatePrecision.MONTH)
    if name in {"region", "cercle", "commune"}:
        return F(f"{incident}{name}__pcode")
    if name == "violation_type":
        return F(f"{p}type__code")
    if name == "violation_category":
        return Coalesce(f"{p}type__parent__parent__code", f"{p}type__parent__code", f"{p}type__code")
    if name == "perpetrator_category":
        return F(f"{p}perpetrators__category__code")
    if name == "violation_or_abuse":
        return Case(
            When(**{f"{p}perpetrators__category_id__in": _state_category_ids()}, then=Value("violation")),
            When(**{f"{p}perpetrators__category__isnull": False}, then=Value("abuse")),
            default=None,
        )
    if name == "actor":
        return F(f"{p}perpetrators__actor__code")
    if name == "verification":
        return F(f"{p}verification_status")
    if name == "organisation":
        return F(f"{incident}organisation__code")
    if name == "grave_violation":
        return Case(
            *(
                When(**{f"{p}type_id__in": ids}, then=Value(code))
                for code, ids in grave_violation_types().items()
            ),
            default=None,
        )
    if name == "year":
        return _dated(p, (*to_month, DatePrecision.YEAR), ExtractYear(start))
    if name == "quarter":
        return _dated(p, to_month, ExtractYear(start) * 10 + ExtractQuarter(start))
    if name == "month":
        return _dated(p, to_month, ExtractYear(start) * 100 + ExtractMonth(start))
    raise CountingError(name)


def _format(name: str, value):
    """Codes as they leave the module: `2022-03`, `2022-Q1`, `2022`; None for "unknown"."""
    if value is None:
        return None
    if name in {"month", "quarter", "year"}:
        value = int(value)  # PostgreSQL's EXTRACT answers a numeric (Decimal), SQLite an integer
    if name == "month":
        return f"{value // 100}-{value % 100:02d}"
    if name == "quarter":
        return f"{value // 10}-Q{value % 10}"
    return value


def _child_category_id() -> int | None:
    return (
        Term.objects.filter(vocabulary="victim_category", code="child").values_list("pk", flat=True).first()
    )


def _victim_annotations(by: Sequence[str]) -> tuple[dict, dict]:
    """Aliases (computed, not selected) and the selected victim fields, for a Victim queryset."""
    aliases: dict[str, Any] = {}
    if {"age_group", "child"} & set(by):
        aliases["_age"] = ExpressionWrapper(
            Coalesce(
                "age_at_time",
                ExtractYear("violation__incident__start_date") - F("person__birth_year"),
            ),
            output_field=IntegerField(),
        )
        # "Is this person in the child category?" as `person_id IN (people of that category)`: PostgreSQL
        # hashes that list once, where a correlated EXISTS ran once per victim without an age (3.4 s of a
        # 3.6 s age-group count at 20 k incidents).
        child_people = Person.categories.through.objects.filter(term_id=_child_category_id()).values(
            "person_id"
        )
        aliases["_child_category"] = ExpressionWrapper(
            Q(person_id__in=child_people), output_field=BooleanField()
        )
    selected: dict[str, Any] = {}
    for name in by:
        if name == "sex":
            selected["f_sex"] = F("person__sex")
        elif name == "victim_category":
            selected["f_victim_category"] = F("person__categories__code")
        elif name == "child":
            selected["f_child"] = Case(
                When(_age__lt=CHILD_AGE, then=Value("child")),
                When(_age__gte=CHILD_AGE, then=Value("adult")),
                When(_child_category=True, then=Value("child")),
                default=Value("unknown"),
            )
        elif name == "age_group":
            selected["f_age_group"] = Case(
                When(_age__lt=CHILD_AGE, then=Value("child")),
                When(_age__lt=OLDER_AGE, then=Value("adult")),
                When(_age__gte=OLDER_AGE, then=Value("older")),
                When(_child_category=True, then=Value("child")),
                default=Value("unknown"),
            )
    return aliases, selected


# What each column of a group of victims is, in the victim fields.
GROUP_COLUMNS = {
    "women": {"sex": "female", "age_group": "adult", "child": "adult", "victim_category": None},
    "men": {"sex": "male", "age_group": "adult", "child": "adult", "victim_category": None},
    "girls": {"sex": "female", "age_group": "child", "child": "child", "victim_category": "child"},
    "boys": {"sex": "male", "age_group": "child", "child": "child", "victim_category": "child"},
    "unknown": {"sex": "unknown", "age_group": "unknown", "child": "unknown", "victim_category": None},
}


# --- counting ----------------------------------------------------------------------------------------------


def _check(measure: str, by: Sequence[str]) -> None:
    if measure not in MEASURES:
        raise CountingError(
            _("mesure inconnue « %(measure)s » : choisissez parmi %(choices)s")
            % {"measure": measure, "choices": ", ".join(MEASURES)}
        )
    unknown = [name for name in by if name not in FIELDS]
    if unknown:
        raise CountingError(
            _("champ inconnu « %(field)s » : choisissez parmi %(choices)s")
            % {"field": unknown[0], "choices": ", ".join(FIELDS)}
        )
    if len(set(by)) != len(by):
        raise CountingError(_("un champ est répété dans la ventilation"))
    victim_fields = [name for name in by if name in VICTIM_FIELDS]
    if victim_fields and measure in {"incidents", "violations"}:
        raise CountingError(
            _("« %(field)s » décrit les victimes : comptez les victimes pour ventiler par ce champ")
            % {"field": victim_fields[0]}
        )


def _grouped(
    qs: QuerySet, by: Sequence[str], prefix: str, value, on_facts: bool = False, summed: bool = False
) -> dict[tuple, int]:
    """{codes tuple: value} for a Violation-, group- or fact-based queryset, one grouped query (`summed`: the
    value adds up over violations, see `facts.field`)."""
    if not by:
        return {(): qs.order_by().aggregate(n=value)["n"] or 0}
    if on_facts:
        annotations = {f"f_{name}": facts.field(name, prefix, summed) for name in by}
    else:
        annotations = {f"f_{name}": _violation_field(name, prefix) for name in by}
    rows = qs.order_by().annotate(**annotations).values(*annotations).annotate(n=value)
    counts = {tuple(row[f"f_{name}"] for name in by): row["n"] or 0 for row in rows}
    return facts.decode(counts, by, summed) if on_facts else counts


def person_root():
    """The person a victim record stands for: the root of its merges (three deep), or itself.

    With no merged person at all (one indexed look-up), the three joins that follow merges are left out:
    they cost a third of a victims count on a large registry."""
    if not Person.objects.filter(merged_into__isnull=False).exists():
        return F("person_id")
    return Coalesce(
        "person__merged_into__merged_into__merged_into_id",
        "person__merged_into__merged_into_id",
        "person__merged_into_id",
        "person_id",
    )


def _duplicate_victims(
    violations: QuerySet, scope: Scope, organisation: Organisation | tuple[Organisation, ...] | None = None
) -> list[tuple[int, int, int]]:
    """Victims named only in a merged duplicate, as victims of the survivor: (survivor's violation, victim
    record, person at the root of its merges), one per person and violation.

    An incident merged into another is the same event, so what it says about victims is said of the
    survivor: a person it names in a violation of type T suffered the survivor's violation of type T (the
    first one, when the survivor has two of that type). A person the survivor already names there is not
    counted twice; a type the survivor does not record is left out, as the survivor's violations decide
    what counts; groups of a duplicate are the survivor's groups reported again (incidents.actions).
    Duplicates are few (a partial index finds them), so this reads a handful of rows whatever the size."""
    # No ordering: the list's default order would make SQLite walk the date index (a full scan) instead of
    # the partial index of merged incidents.
    duplicates = Incident.objects.filter(merged_into__isnull=False).order_by()
    if organisation is not None:  # one organisation's counts (or a few's): their own reports only
        owners = organisation if isinstance(organisation, tuple) else (organisation,)
        duplicates = duplicates.filter(organisation__in=owners)
    visible = scope.incidents()
    if visible is not None:
        duplicates = duplicates.filter(pk__in=visible.values("pk"))
    duplicate_ids = list(duplicates.values_list("pk", flat=True))
    if not duplicate_ids:
        return []
    survivor_of = roots_of(Incident, duplicate_ids)
    named = list(
        Victim.objects.filter(violation__incident_id__in=duplicate_ids).values_list(
            "pk", "person_id", "violation__type_id", "violation__incident_id"
        )
    )
    if not named:
        return []
    survivor_violation: dict[tuple[int, int], int] = {}
    for pk, incident_id, type_id in (
        violations.filter(incident_id__in=set(survivor_of.values()))
        .order_by("pk")
        .values_list("pk", "incident_id", "type_id")
    ):
        survivor_violation.setdefault((incident_id, type_id), pk)
    if not survivor_violation:
        return []
    already = list(
        Victim.objects.filter(violation_id__in=set(survivor_violation.values())).values_list(
            "violation_id", "person_id"
        )
    )
    person_roots = roots_of(Person, {p for _v, p in already} | {row[1] for row in named})
    seen = {(violation_id, person_roots[person]) for violation_id, person in already}
    out = []
    for victim_id, person_id, type_id, incident_id in sorted(named):
        violation_id = survivor_violation.get((survivor_of[incident_id], type_id))
        key = (violation_id, person_roots[person_id])
        if violation_id is None or key in seen:
            continue
        seen.add(key)
        out.append((violation_id, victim_id, key[1]))
    return out


def _people_from_duplicates(
    violations: QuerySet,
    by: Sequence[str],
    children_only: bool,
    scope: Scope,
    organisation: Organisation | tuple[Organisation, ...] | None = None,
) -> dict[tuple, int]:
    """`_duplicate_victims` counted by the fields `by`: violation fields read from the survivor's
    violation, victim fields from the victim record (rows multiply for multi-valued fields, as in SQL)."""
    extra = _duplicate_victims(violations, scope, organisation)
    if not extra:
        return {}
    violation_by = [name for name in by if name in VIOLATION_FIELDS]
    victim_by = [name for name in by if name in VICTIM_FIELDS]
    violation_rows: dict[int, set[tuple]] = defaultdict(set)
    annotations = {f"f_{name}": _violation_field(name, "") for name in violation_by}
    for row in (
        Violation.objects.filter(pk__in={v for v, _victim, _p in extra})
        .order_by()
        .annotate(**annotations)
        .values("pk", *annotations)
    ):
        violation_rows[row["pk"]].add(tuple(row[f"f_{name}"] for name in violation_by))
    wanted = [*victim_by, "child"] if children_only and "child" not in victim_by else victim_by
    aliases, selected = _victim_annotations(wanted)
    victim_rows: dict[int, set[tuple]] = defaultdict(set)
    for row in (
        Victim.objects.filter(pk__in={victim for _v, victim, _p in extra})
        .order_by()
        .alias(**aliases)
        .annotate(**selected)
        .values("pk", *selected)
    ):
        if children_only and row["f_child"] != "child":
            continue
        victim_rows[row["pk"]].add(tuple(row[f"f_{name}"] for name in victim_by))
    counted: set[tuple] = set()
    for violation_id, victim_id, person in extra:
        for violation_codes in violation_rows[violation_id]:
            for victim_codes in victim_rows[victim_id]:
                codes = dict(zip(violation_by, violation_codes, strict=True))
                codes.update(zip(victim_by, victim_codes, strict=True))
                counted.add((violation_id, person, tuple(codes[name] for name in by)))
    out: dict[tuple, int] = defaultdict(int)
    for _violation, _person, key in counted:
        out[key] += 1
    return out


def _people(
    violations: QuerySet,
    by: Sequence[str],
    children_only: bool = False,
    scope: Scope | None = None,
    organisation: Organisation | tuple[Organisation, ...] | None = None,
) -> dict[tuple, int]:
    """Individual victims: distinct (violation, person at the root of its merges, fields), counted, and
    (with a scope) those named only in a merged duplicate of the incident (`_duplicate_victims`)."""
    if scope is not None:
        return _add(
            _people(violations, by, children_only),
            _people_from_duplicates(violations, by, children_only, scope, organisation),
        )
    aliases, victim_selected = _victim_annotations([*by, "child"] if children_only else by)
    selected: dict[str, Any] = {
        "k_violation": F("violation_id"),
        "k_person": person_root(),
    }
    for name in by:
        selected[f"f_{name}"] = (
            victim_selected[f"f_{name}"] if name in VICTIM_FIELDS else _violation_field(name, "violation__")
        )
    people = Victim.objects.filter(violation__in=violations.values("pk")).order_by().alias(**aliases)
    if children_only:
        people = people.alias(_is_child=victim_selected["f_child"]).filter(_is_child="child")
    inner = people.annotate(**selected).values(*selected).distinct()
    try:
        sql, params = inner.query.sql_with_params()
    except EmptyResultSet:  # nothing in scope (a user who may see no record): no query to run
        return {}
    connection = connections[inner.db]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f"f_{name}") for name in by)
    query = f"SELECT {columns + ', ' if columns else ''}COUNT(*) FROM ({sql}) counted"  # noqa: S608
    if columns:
        query += f" GROUP BY {columns}"
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return {tuple(row[:-1]): row[-1] for row in cursor.fetchall()}


def _groups(violations: QuerySet, by: Sequence[str], children_only: bool = False) -> dict[tuple, int]:
    """Group victims by their numbers: violation fields in SQL, each column spread over the victim fields."""
    violation_by = [name for name in by if name in VIOLATION_FIELDS]
    annotations = {f"f_{name}": _violation_field(name, "violation__") for name in violation_by}
    columns = [c for c in GROUP_COLUMNS if not children_only or GROUP_COLUMNS[c]["child"] == "child"]
    sums = {column: Sum(column) for column in columns}
    groups = GroupVictims.objects.filter(violation__in=violations.values("pk")).order_by()
    if MULTI_VALUED & set(violation_by):
        # Two perpetrators of one category: the group is in that category's row once (distinct rows first).
        from .aggregates import sum_distinct

        inner = groups.annotate(**annotations).values("pk", *columns, *annotations).distinct()
        rows = [
            {**dict(zip(annotations, key, strict=True)), column: n}
            for column in columns
            for key, n in sum_distinct(inner, list(annotations), [column]).items()
        ]
    elif annotations:
        rows = list(groups.annotate(**annotations).values(*annotations).annotate(**sums))
    else:
        rows = [groups.aggregate(**sums)]
    out: dict[tuple, int] = defaultdict(int)
    for row in rows:
        for column in columns:
            meaning = GROUP_COLUMNS[column]
            if not row.get(column):
                continue
            key = tuple(row[f"f_{name}"] if name in VIOLATION_FIELDS else meaning[name] for name in by)
            out[key] += row[column]
    return out


def _add(*parts: dict[tuple, int]) -> dict[tuple, int]:
    out: dict[tuple, int] = defaultdict(int)
    for part in parts:
        for key, n in part.items():
            out[key] += n
    return out


def _measure(
    measure: str,
    violations: QuerySet,
    by: Sequence[str],
    children_only: bool,
    scope: Scope = EVERYTHING,
    organisation: Organisation | tuple[Organisation, ...] | None = None,
    live: bool = False,
    where: Q | None = None,
) -> dict[tuple, int]:
    """`violations`: the counted violations (live: `counted_violations`), or their fact rows (`facts.counted`)
    with `where`, the same condition read from the victims aggregate's rows."""
    on_facts = where is not None
    repeats = bool(MULTI_VALUED & set(by))
    if measure == "incidents":
        return _grouped(violations, by, "", Count("incident_id", distinct=True), on_facts)
    if measure == "violations":
        return _grouped(
            violations, by, "", Count("pk", distinct=True) if repeats else Count("pk"), on_facts, True
        )
    if measure == "victims":
        return _victims(violations, by, children_only, scope, organisation, live, where)
    # The MRM: victims of the types it counts by victim, one per violation of those it counts by incident
    # (these have no sex or age: their victim fields are None, "not applicable").
    by_victim = violations.filter(counted_by=CountedBy.VICTIM)
    violation_by = [name for name in by if name in VIOLATION_FIELDS]
    per_incident = _grouped(
        violations.filter(counted_by=CountedBy.INCIDENT),
        violation_by,
        "",
        Count("pk", distinct=True) if repeats else Count("pk"),
        on_facts,
        True,
    )
    spread = {
        tuple(key[violation_by.index(name)] if name in VIOLATION_FIELDS else None for name in by): n
        for key, n in per_incident.items()
    }
    if on_facts:
        where = where & Q(fact__counted_by=CountedBy.VICTIM)
    return _add(_victims(by_victim, by, children_only, scope, organisation, live, where), spread)


def _victims(
    violations: QuerySet,
    by: Sequence[str],
    children_only: bool,
    scope: Scope,
    organisation: Organisation | tuple[Organisation, ...] | None,
    live: bool,
    where: Q | None = None,
) -> dict[tuple, int]:
    """Victims of these violations: from the aggregate rows (`aggregates.py`) joined to the fact rows (the
    condition `where`), less the violations waiting for theirs, which are counted live like everything when
    `live` is asked (tests, benchmarks): then `violations` are the live `counted_violations`."""
    from . import aggregates

    if where is None:
        return _add(
            _people(violations, by, children_only, scope, organisation),
            _groups(violations, by, children_only),
        )
    as_violations = Violation.objects.filter(pk__in=violations.values("violation_id"))
    waiting = aggregates.waiting(as_violations)
    return _add(
        aggregates.victims(where, by, children_only),
        _people(waiting, by, children_only) if waiting is not None else {},
        _groups(waiting, by, children_only) if waiting is not None else {},
        _people_from_duplicates(as_violations, by, children_only, scope, organisation),
    )


def _owners(filters: Filters) -> Organisation | tuple[Organisation, ...] | None:
    """The organisations whose merged duplicates may add victims: the one asked for, else the few, else all."""
    return filters.organisation or filters.organisations or None


def _sort_key(row: dict, by: Sequence[str]) -> tuple:
    return tuple((row[name] is None, str(row[name])) for name in by)


def table(
    measure: str,
    by: Sequence[str] = (),
    filters: Filters = NO_FILTERS,
    scope: Scope = EVERYTHING,
    live: bool = False,
) -> Table:
    """Count `measure` broken down by the fields `by`, as `rules.py` says, over the records in scope.

    Rows hold each field's code (a P-code, a vocabulary code, `2022-03`…; None for unknown) and "value";
    rows of zero are left out. The total is counted without the breakdown, so a victim with two categories
    is in two rows and once in the total. Victims are read from the aggregate (`aggregates.py`) unless
    `live` is asked: the same figures, recounted from every victim record.
    """
    by = list(by)
    _check(measure, by)
    from . import aggregates

    if live or not (facts.enabled() and aggregates.enabled()):
        violations, where, live = counted_violations(filters, scope), None, True
    else:  # the fact rows (`facts.py`): the same violations, one flat table
        violations, where = facts.counted(filters, scope), facts.condition(filters, scope, "fact__")
    counts = _measure(measure, violations, by, filters.children_only, scope, _owners(filters), live, where)
    rows = [
        {**{name: _format(name, code) for name, code in zip(by, key, strict=True)}, "value": n}
        for key, n in counts.items()
        if n
    ]
    rows.sort(key=lambda row: _sort_key(row, by))
    # Without a field that repeats a record, the rows add up to the total: no second query.
    total = (
        sum(counts.values())
        if not MULTI_VALUED & set(by) and measure != "incidents"
        else sum(
            _measure(
                measure, violations, [], filters.children_only, scope, _owners(filters), live, where
            ).values()
        )
    )
    return Table(measure=measure, by=by, rows=rows, total=total)


# --- per violation: the export's count columns -------------------------------------------------------------


def victims_per_violation(violation_ids: Iterable[int]) -> dict[int, int]:
    """Victims of each violation as the rules count them (people once, groups by their numbers)."""
    return _per_violation(violation_ids, children=False)


def children_per_violation(violation_ids: Iterable[int]) -> dict[int, int]:
    """Child victims of each violation: under 18 at the time, the child category, girls and boys in groups."""
    return _per_violation(violation_ids, children=True)


def _per_violation(violation_ids: Iterable[int], children: bool) -> dict[int, int]:
    ids = list(violation_ids)
    out = dict.fromkeys(ids, 0)
    violations = Violation.objects.filter(pk__in=ids)
    by = ["child"] if children else []
    aliases, selected = _victim_annotations(by)
    people = (
        Victim.objects.filter(violation__in=violations.values("pk"))
        .order_by()
        .alias(**aliases)
        .annotate(**selected)
    )
    if children:
        people = people.filter(f_child="child")
    counted = people.values("violation_id").annotate(
        n=Count(
            person_root(),
            distinct=True,
        )
    )
    for row in counted:
        out[row["violation_id"]] += row["n"]
    # People named only in a merged duplicate of the incident count here as in `table` (rules.py).
    extra = _duplicate_victims(violations, EVERYTHING)
    if extra and children:
        child_ids = set(
            Victim.objects.filter(pk__in={victim for _v, victim, _p in extra})
            .alias(**aliases)
            .annotate(**selected)
            .filter(f_child="child")
            .values_list("pk", flat=True)
        )
        extra = [row for row in extra if row[1] in child_ids]
    for violation_id, _victim, _person in extra:
        out[violation_id] += 1
    columns = ("girls", "boys") if children else tuple(GROUP_COLUMNS)
    grouped = (
        GroupVictims.objects.filter(violation_id__in=ids)
        .values("violation_id")
        .annotate(**{c: Sum(c) for c in columns})
    )
    for row in grouped:
        out[row["violation_id"]] += sum(row[c] or 0 for c in columns)
    return out
