"""What an export holds: the incidents of the list (same access helper, same filters, same order), read a
chunk at a time so memory stays flat whatever the size, as one row per incident, violation or victim.

Column names are stable snake_case and documented in docs/exports.md; each has its HXL hashtag. What a user
may not see is blank, never absent, so every file of a level has the same columns: the exact place and
coordinates unless `shows_exact_place`, names unless `sees_identities`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from kurukan.accounts import access
from kurukan.incidents import queries
from kurukan.incidents.models import Incident, Perpetrator, Victim, Violation

from .counts import victims_and_children

CHUNK = 500  # incidents read per round of queries: a few hundred keeps memory flat and round trips few


class Level(models.TextChoices):
    INCIDENTS = "incidents", _("incidents")
    VIOLATIONS = "violations", _("violations et atteintes")
    VICTIMS = "victims", _("victimes")


@dataclass(frozen=True)
class Column:
    name: str
    hxl: str


PLACE = [
    Column("start_date", "#date+start"),
    Column("end_date", "#date+end"),
    Column("date_precision", "#date+precision"),
    Column("region_pcode", "#adm1+code"),
    Column("region", "#adm1+name"),
    Column("cercle_pcode", "#adm2+code"),
    Column("cercle", "#adm2+name"),
    Column("commune_pcode", "#adm3+code"),
    Column("commune", "#adm3+name"),
    Column("settlement_pcode", "#loc+code"),
    Column("settlement", "#loc+name"),
    Column("latitude", "#geo+lat"),
    Column("longitude", "#geo+lon"),
    Column("geo_precision", "#geo+precision"),
]
INCIDENT = [
    Column("public_id", "#event+id"),
    Column("external_ids", "#meta+external_ids"),
    Column("title", "#event+name"),
    *PLACE,
]
RECORD = [
    Column("status", "#status+record"),
    Column("confidentiality", "#meta+confidentiality"),
    Column("organisation", "#org+owner"),
]

COLUMNS: dict[str, list[Column]] = {
    Level.INCIDENTS: [
        *INCIDENT,
        Column("violation_types", "#event+type+code"),
        Column("verification_statuses", "#status+verification"),
        Column("violations", "#indicator+violations+num"),
        Column("victims", "#affected+num"),
        Column("children", "#affected+children+num"),
        Column("perpetrator_categories", "#org+perpetrator+type+code"),
        Column("public_summary", "#description+public"),
        *RECORD,
    ],
    Level.VIOLATIONS: [
        *INCIDENT,
        Column("violation_id", "#event+violation+id"),
        Column("violation_type", "#event+type+code"),
        Column("violation_category", "#event+category+code"),
        Column("counted_by", "#meta+counted_by"),
        Column("verification_status", "#status+verification"),
        Column("standard_of_proof", "#status+proof+code"),
        Column("verified_at", "#date+verified"),
        Column("victims", "#affected+num"),
        Column("children", "#affected+children+num"),
        Column("perpetrator_categories", "#org+perpetrator+type+code"),
        Column("perpetrator_actors", "#org+perpetrator+code"),
        Column("methods", "#event+method+code"),
        *RECORD,
    ],
    Level.VICTIMS: [
        *INCIDENT,
        Column("violation_id", "#event+violation+id"),
        Column("violation_type", "#event+type+code"),
        Column("verification_status", "#status+verification"),
        Column("victim_id", "#affected+id"),
        Column("person_id", "#affected+person+id"),
        Column("given_name", "#affected+name+given"),
        Column("family_name", "#affected+name+family"),
        Column("other_names", "#affected+name+other"),
        Column("sex", "#affected+sex"),
        Column("age_at_time", "#affected+age"),
        Column("age_estimated", "#affected+age+estimated"),
        Column("child", "#affected+children"),
        Column("status_after", "#affected+status+code"),
        Column("categories", "#affected+type+code"),
        *RECORD,
    ],
}


def _codes(values: Iterable[str]) -> list[str]:
    return sorted(set(values))


def _incident_part(incident: Incident, rule: access.IdentityRule) -> dict[str, Any]:
    exact = rule.shows_exact_place(incident)
    settlement = incident.settlement if exact else None
    unit = incident.commune or incident.cercle or incident.region
    point = (incident.longitude, incident.latitude) if exact and incident.latitude is not None else None
    if point is None and unit is not None and unit.latitude is not None:
        point = (unit.longitude, unit.latitude)  # the admin unit's centre: a map shows no more than the row
    return {
        "public_id": incident.public_id,
        "external_ids": incident.external_ids or {},
        "title": incident.title,
        "start_date": incident.start_date,
        "end_date": incident.end_date,
        "date_precision": incident.date_precision,
        "region_pcode": incident.region.pcode if incident.region else "",
        "region": incident.region.name if incident.region else "",
        "cercle_pcode": incident.cercle.pcode if incident.cercle else "",
        "cercle": incident.cercle.name if incident.cercle else "",
        "commune_pcode": incident.commune.pcode if incident.commune else "",
        "commune": incident.commune.name if incident.commune else "",
        "settlement_pcode": settlement.pcode if settlement else "",
        "settlement": settlement.name if settlement else "",
        "latitude": incident.latitude if exact else None,
        "longitude": incident.longitude if exact else None,
        "geo_precision": incident.geo_precision,
        "status": incident.status,
        "confidentiality": incident.confidentiality,
        "organisation": incident.organisation.code,
        "_point": point,
    }


def _incident_chunks(user, filters: queries.IncidentFilters) -> Iterator[list[Incident]]:
    """The list's incidents in list order, CHUNK at a time: ids stream from one cursor, each chunk's rows and
    places come in one query."""
    ids = queries.filtered_incidents(user, filters).values_list("pk", flat=True).iterator(chunk_size=2000)
    chunk: list[int] = []
    for pk in ids:
        chunk.append(pk)
        if len(chunk) == CHUNK:
            yield _incidents(chunk)
            chunk = []
    if chunk:
        yield _incidents(chunk)


def _incidents(ids: list[int]) -> list[Incident]:
    found = Incident.objects.select_related(
        "region", "cercle", "commune", "settlement", "organisation"
    ).in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


@dataclass
class _Violations:
    """One chunk's violations with what their columns need, read in a fixed number of queries."""

    by_incident: dict[int, list[Violation]]
    counts: dict[int, tuple[int, int]]
    categories: dict[int, list[str]]
    actors: dict[int, list[str]]
    methods: dict[int, list[str]]


def _violations(incidents: list[Incident], only_matching: queries.IncidentFilters | None) -> _Violations:
    source = queries.matching_violations(only_matching) if only_matching else Violation.objects.all()
    violations = list(
        source.filter(incident_id__in=[i.pk for i in incidents])
        .select_related("type__parent", "standard_of_proof")
        .order_by("incident_id", "id")
    )
    ids = [v.pk for v in violations]
    by_incident: dict[int, list[Violation]] = defaultdict(list)
    for violation in violations:
        by_incident[violation.incident_id].append(violation)
    categories: dict[int, list[str]] = defaultdict(list)
    actors: dict[int, list[str]] = defaultdict(list)
    for violation_id, category, actor in Perpetrator.objects.filter(violation_id__in=ids).values_list(
        "violation_id", "category__code", "actor__code"
    ):
        categories[violation_id].append(category)
        if actor:
            actors[violation_id].append(actor)
    methods: dict[int, list[str]] = defaultdict(list)
    for violation_id, code in Violation.methods.through.objects.filter(violation_id__in=ids).values_list(
        "violation_id", "term__code"
    ):
        methods[violation_id].append(code)
    return _Violations(by_incident, victims_and_children(ids), categories, actors, methods)


def _incident_rows(incidents: list[Incident], rule: access.IdentityRule) -> Iterator[dict[str, Any]]:
    found = _violations(incidents, None)
    for incident in incidents:
        violations = found.by_incident.get(incident.pk, [])
        yield {
            **_incident_part(incident, rule),
            "violation_types": _codes(v.type.code for v in violations),
            "verification_statuses": _codes(v.verification_status for v in violations),
            "violations": len(violations),
            "victims": sum(found.counts[v.pk][0] for v in violations),
            "children": sum(found.counts[v.pk][1] for v in violations),
            "perpetrator_categories": _codes(c for v in violations for c in found.categories[v.pk]),
            "public_summary": incident.public_summary,
        }


def _violation_rows(
    incidents: list[Incident], rule: access.IdentityRule, filters: queries.IncidentFilters
) -> Iterator[dict[str, Any]]:
    found = _violations(incidents, filters)
    for incident in incidents:
        shared = _incident_part(incident, rule)
        for violation in found.by_incident.get(incident.pk, []):
            victims, children = found.counts[violation.pk]
            yield {
                **shared,
                "violation_id": violation.pk,
                "violation_type": violation.type.code,
                "violation_category": violation.type.parent.code if violation.type.parent else "",
                "counted_by": violation.counted_by,
                "verification_status": violation.verification_status,
                "standard_of_proof": violation.standard_of_proof.code if violation.standard_of_proof else "",
                "verified_at": violation.verified_at.date() if violation.verified_at else None,
                "victims": victims,
                "children": children,
                "perpetrator_categories": _codes(found.categories[violation.pk]),
                "perpetrator_actors": _codes(found.actors[violation.pk]),
                "methods": _codes(found.methods[violation.pk]),
            }


def _victim_rows(
    incidents: list[Incident], rule: access.IdentityRule, filters: queries.IncidentFilters
) -> Iterator[dict[str, Any]]:
    violations = {
        v.pk: v
        for v in queries.matching_violations(filters)
        .filter(incident_id__in=[i.pk for i in incidents])
        .select_related("type")
    }
    victims: dict[int, list[Victim]] = defaultdict(list)
    for victim in (
        Victim.objects.filter(violation_id__in=list(violations))
        .select_related("person", "status_after")
        .prefetch_related("person__categories")
        .order_by("violation_id", "id")
    ):
        victims[violations[victim.violation_id].incident_id].append(victim)
    for incident in incidents:
        shared = _incident_part(incident, rule)
        named = rule.sees_identities(incident)
        for victim in victims.get(incident.pk, []):
            violation, person = violations[victim.violation_id], victim.person
            yield {
                **shared,
                "violation_id": violation.pk,
                "violation_type": violation.type.code,
                "verification_status": violation.verification_status,
                "victim_id": victim.pk,
                "person_id": person.public_id if named else "",
                "given_name": person.given_name if named else "",
                "family_name": person.family_name if named else "",
                "other_names": person.other_names if named else "",
                "sex": person.sex,
                "age_at_time": victim.age_at_time,
                "age_estimated": victim.age_estimated,
                "child": victim.is_child,
                "status_after": victim.status_after.code if victim.status_after else "",
                "categories": _codes(c.code for c in person.categories.all()),
            }


def rows(user, level: str, filters: queries.IncidentFilters) -> Iterator[dict[str, Any]]:
    """Every row of the export, in list order. The caller has checked the user may export this level."""
    rule = access.IdentityRule(user)
    for incidents in _incident_chunks(user, filters):
        if level == Level.INCIDENTS:
            yield from _incident_rows(incidents, rule)
        elif level == Level.VIOLATIONS:
            yield from _violation_rows(incidents, rule, filters)
        else:
            yield from _victim_rows(incidents, rule, filters)
