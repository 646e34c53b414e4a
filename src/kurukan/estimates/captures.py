"""Capture histories from linked victim records: who was seen by which organisation's list.

Each organisation that documents victims keeps, in effect, a list. A victim (a person entity, once the
records of one real person are linked) is "captured" by every organisation whose incidents name them; the
set of those organisations is the victim's capture pattern, and the count of victims per pattern is the
table multiple systems estimation reads.

Records read: victims of violations of the chosen type (a parent type covers its sub-types) in incidents
the requester may see (`access.visible_incidents`), not drafts, in the
period, owned by one of the chosen organisations; "documented" leaves out violations whose verification
found they did not occur, "verified" keeps verified ones only.

An incident merged into another organisation's report of the same event still counts: the merge says the
two reports are one event, not that the first organisation did not record its victims — their list
membership is exactly what the estimate needs. Its victims are linked to the survivor's through person
merges like any others.

People are linked by confirmed merges (`Person.merged_into`, followed to the root) and, optionally, by the
unreviewed pairs of the latest people linkage run at or above a probability (connected components).
Victims known only as a count (group victims) cannot be linked and are left out, but counted, so the
result can say how many.

Lists can instead be kinds of sources (direct testimony, media, medical records…), so that one team can
estimate from its own records: a victim is then on every chosen kind's list that the sources of their
incident include; the records read are every incident the requester may see with a source of a chosen kind.

A person whose records fall in several strata (two regions, two years) is counted once, in the stratum
most of their records are in (ties: the earliest record's).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import cast

from django.db.models import QuerySet

from kurukan.accounts import access
from kurukan.accounts.models import Organisation
from kurukan.analysis.estimation import CaptureTable
from kurukan.duplicates.models import CandidatePair, Decision, Kind
from kurukan.incidents.merges import roots_of
from kurukan.incidents.models import (
    GroupVictims,
    Incident,
    IncidentQuerySet,
    Source,
    VerificationStatus,
    Victim,
)
from kurukan.people.models import Person
from kurukan.places.models import AdminUnit
from kurukan.vocabularies.models import Term

CHUNK = 5000
MAX_DEPTH = 50  # term trees are shallow; this stops a corrupted (cyclic) tree from looping forever
UNREVIEWED = (Decision.PENDING, Decision.DEFERRED)
LISTS_BY_ORGANISATION = "organisations"
LISTS_BY_SOURCE_KIND = "source_kinds"


class Strata:
    NONE = "none"
    REGION = "region"
    YEAR = "year"
    REGION_YEAR = "region_year"


@dataclass(frozen=True)
class Scope:
    """What to count: the parameters of an estimate, as the job reads them."""

    violation_type_id: int
    organisation_ids: tuple[int, ...]
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    strata: str = Strata.NONE
    verified_only: bool = False
    linkage_run_id: int | None = None  # None: confirmed merges only
    min_probability: float | None = None
    source_kind_ids: tuple[int, ...] = ()  # lists are these kinds of sources, not organisations

    @property
    def by_source_kind(self) -> bool:
        return bool(self.source_kind_ids)

    @classmethod
    def from_parameters(cls, parameters: dict) -> Scope:
        def day(value: str | None) -> dt.date | None:
            return dt.date.fromisoformat(value) if value else None

        pairs = parameters.get("matching") == "pairs"
        by_kind = parameters.get("lists_by") == LISTS_BY_SOURCE_KIND
        return cls(
            violation_type_id=parameters["violation_type_id"],
            organisation_ids=() if by_kind else tuple(parameters["organisation_ids"]),
            source_kind_ids=tuple(parameters["source_kind_ids"]) if by_kind else (),
            date_from=day(parameters.get("date_from")),
            date_to=day(parameters.get("date_to")),
            strata=parameters.get("strata", Strata.NONE),
            verified_only=parameters.get("verification") == "verified",
            linkage_run_id=parameters.get("linkage_run_id") if pairs else None,
            min_probability=parameters.get("min_probability") if pairs else None,
        )


@dataclass
class Stratum:
    key: str
    region: str | None = None  # P-code
    region_name: str | None = None
    year: int | None = None


@dataclass
class Captures:
    lists: tuple[str, ...]  # organisation codes, one per list, in table order
    strata: list[Stratum]
    memberships: dict[str, list[frozenset[str]]]  # stratum key → one set of lists per victim
    group_victims: dict[str, int] = field(default_factory=dict)  # stratum key → victims counted as a group
    victim_records: int = 0
    merged_incident_records: int = 0
    pairs_used: int = 0
    stratum_conflicts: int = 0

    def tables(self) -> dict[str, CaptureTable]:
        return {
            s.key: CaptureTable.from_memberships(self.memberships[s.key], lists=self.lists)
            for s in self.strata
        }

    @property
    def people(self) -> int:
        return sum(len(m) for m in self.memberships.values())

    @property
    def group_victims_total(self) -> int:
        return sum(self.group_victims.values())


def scoped_incidents(user, scope: Scope, merged: bool = False) -> QuerySet[Incident]:
    """The incidents read; with merged=True only those merged into another (counted, and reported)."""
    visible = cast(IncidentQuerySet, access.visible_incidents(user))
    if merged:
        visible = visible.filter(merged_into__isnull=False)
    if scope.by_source_kind:
        listed = visible.filter(
            pk__in=Source.objects.filter(kind_id__in=scope.source_kind_ids).values("incident_id")
        )
    else:
        listed = visible.filter(organisation_id__in=scope.organisation_ids)
    return listed.reported().in_period(scope.date_from, scope.date_to)


def _violation_filter(scope: Scope) -> dict:
    lookups: dict = {"violation__type_id__in": Term.objects.below(scope.violation_type_id)}
    if scope.verified_only:
        lookups["violation__verification_status"] = VerificationStatus.VERIFIED
    return lookups


def _in_scope(model, user, scope: Scope, merged: bool = False) -> QuerySet:
    qs = model.objects.filter(
        violation__incident__in=scoped_incidents(user, scope, merged), **_violation_filter(scope)
    )
    if not scope.verified_only:
        qs = qs.exclude(violation__verification_status=VerificationStatus.DID_NOT_OCCUR)
    return qs


def counted_persons(user, scope: Scope) -> QuerySet:
    """The persons whose victim records the estimate counts: its public text must name none of them."""
    return Person.objects.filter(victimisations__in=_in_scope(Victim, user, scope)).distinct()


def _stratum_key(scope: Scope, region: str | None, year: int) -> str:
    region = region or "?"
    if scope.strata == Strata.REGION:
        return region
    if scope.strata == Strata.YEAR:
        return str(year)
    if scope.strata == Strata.REGION_YEAR:
        return f"{region}:{year}"
    return "all"


def build_captures(user, scope: Scope) -> Captures:
    """Read the victim records in scope and turn them into capture patterns, stratum by stratum."""
    lists, lists_of = _lists(user, scope)
    regions = dict(AdminUnit.objects.filter(level=1).values_list("pk", "pcode"))
    region_names = dict(AdminUnit.objects.filter(level=1).values_list("pcode", "name"))
    region_names.update(AdminUnit.objects.current().filter(level=1).values_list("pcode", "name"))

    # person id → [(stratum key, start date, list codes)], one per victim record
    records: dict[int, list[tuple[str, dt.date, tuple[str, ...]]]] = defaultdict(list)
    rows = _in_scope(Victim, user, scope).values_list(
        "person_id",
        "violation__incident_id",
        "violation__incident__organisation_id",
        "violation__incident__region_id",
        "violation__incident__start_date",
    )
    n_records = 0
    for person_id, incident_id, org_id, region_id, start in rows.iterator(chunk_size=CHUNK):
        records[person_id].append(
            (_stratum_key(scope, regions.get(region_id), start.year), start, lists_of(incident_id, org_id))
        )
        n_records += 1

    entity = _link(user, scope, records.keys())
    pattern: dict[int, set[str]] = defaultdict(set)
    places: dict[int, list[tuple[str, dt.date]]] = defaultdict(list)
    for person_id, seen in records.items():
        root = entity[person_id]
        for key, start, codes in seen:
            pattern[root].update(codes)
            places[root].append((key, start))

    memberships: dict[str, list[frozenset[str]]] = defaultdict(list)
    conflicts = 0
    for root, lists_seen in pattern.items():
        key, conflicted = _majority_stratum(places[root])
        conflicts += conflicted
        memberships[key].append(frozenset(lists_seen))

    groups: Counter[str] = Counter()
    group_rows = _in_scope(GroupVictims, user, scope).values_list(
        "women",
        "men",
        "girls",
        "boys",
        "unknown",
        "violation__incident__region_id",
        "violation__incident__start_date",
    )
    for women, men, girls, boys, unknown, region_id, start in group_rows.iterator(chunk_size=CHUNK):
        groups[_stratum_key(scope, regions.get(region_id), start.year)] += (
            women + men + girls + boys + unknown
        )

    keys = set(memberships) | set(groups)
    strata = sorted((_stratum(k, scope, region_names) for k in keys), key=_order)
    return Captures(
        lists=lists,
        strata=strata,
        memberships={s.key: memberships.get(s.key, []) for s in strata},
        group_victims={s.key: groups.get(s.key, 0) for s in strata},
        victim_records=n_records,
        merged_incident_records=_in_scope(Victim, user, scope, merged=True).count(),
        pairs_used=entity.pairs_used,
        stratum_conflicts=conflicts,
    )


def _lists(user, scope: Scope):
    """The lists, in table order, and a function giving the lists a record is on (incident, organisation)."""
    if not scope.by_source_kind:
        codes = dict(Organisation.objects.filter(pk__in=scope.organisation_ids).values_list("pk", "code"))
        return tuple(sorted(codes.values())), lambda _incident_id, org_id: (codes[org_id],)
    kinds = dict(Term.objects.filter(pk__in=scope.source_kind_ids).values_list("pk", "code"))
    on: dict[int, set[str]] = defaultdict(set)
    for incident_id, kind_id in Source.objects.filter(
        incident__in=scoped_incidents(user, scope), kind_id__in=scope.source_kind_ids
    ).values_list("incident_id", "kind_id"):
        on[incident_id].add(kinds[kind_id])
    frozen = {incident_id: tuple(sorted(codes)) for incident_id, codes in on.items()}
    return tuple(sorted(kinds.values())), lambda incident_id, _org_id: frozen.get(incident_id, ())


def _majority_stratum(seen: list[tuple[str, dt.date]]) -> tuple[str, bool]:
    counts = Counter(key for key, _start in seen)
    if len(counts) == 1:
        return seen[0][0], False
    best = max(counts.values())
    tied = {key for key, n in counts.items() if n == best}
    return min((start, key) for key, start in seen if key in tied)[1], True


def _stratum(key: str, scope: Scope, region_names: dict[str, str]) -> Stratum:
    if scope.strata == Strata.REGION:
        return Stratum(key, region=None if key == "?" else key, region_name=region_names.get(key))
    if scope.strata == Strata.YEAR:
        return Stratum(key, year=int(key))
    if scope.strata == Strata.REGION_YEAR:
        region, _sep, year = key.partition(":")
        region_code = None if region == "?" else region
        return Stratum(key, region=region_code, region_name=region_names.get(region), year=int(year))
    return Stratum(key)


def _order(stratum: Stratum) -> tuple:
    return (stratum.key.startswith("?"), stratum.region_name or "", stratum.year or 0)


class _Entities(dict):
    pairs_used = 0


def _link(user, scope: Scope, person_ids: Iterable[int]) -> _Entities:
    """Each person id → the id that stands for the person entity (merge root, then pair component)."""
    person_ids = set(person_ids)
    pairs: list[tuple[int, int]] = []
    if scope.linkage_run_id is not None and scope.min_probability is not None:
        visible_people = Victim.objects.filter(violation__incident__in=access.visible_incidents(user)).values(
            "person_id"
        )
        pairs = list(
            CandidatePair.objects.filter(
                run_id=scope.linkage_run_id,
                kind=Kind.PEOPLE,
                decision__in=UNREVIEWED,
                probability__gte=scope.min_probability,
                left_id__in=visible_people,
                right_id__in=visible_people,
            ).values_list("left_id", "right_id")
        )
    root = roots_of(Person, person_ids | {i for pair in pairs for i in pair})
    parent: dict[int, int] = {}

    def find(node: int) -> int:
        path = []
        while parent.get(node, node) != node:
            path.append(node)
            node = parent[node]
        for step in path:
            parent[step] = node
        return node

    used = 0
    for left, right in pairs:
        a, b = find(root[left]), find(root[right])
        if a != b:
            parent[max(a, b)] = min(a, b)
            used += 1
    out = _Entities({pid: find(root[pid]) for pid in person_ids})
    out.pairs_used = used
    return out
