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
from types import SimpleNamespace
from typing import Any

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kurukan.accounts import access
from kurukan.accounts.models import Organisation
from kurukan.incidents import queries
from kurukan.incidents.models import Incident, Perpetrator, Victim, Violation
from kurukan.incidents.presenters import neutral_title
from kurukan.people.models import Person
from kurukan.places.models import AdminUnit, Settlement
from kurukan.statistics.counting import children_per_violation, victims_per_violation
from kurukan.vocabularies.models import Term

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


# Rows are read as plain values, never as model instances: an instance would decrypt the narrative and the
# verification note (not exported) and decode each place's boundary (megabytes of GeoJSON) for every row.
# Places, terms and organisations are few: read once into dictionaries instead of joined on every row.
INCIDENT_FIELDS = (
    "id",
    "public_id",
    "external_ids",
    "title",
    "start_date",
    "end_date",
    "date_precision",
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
    "public_summary",
)
VIOLATION_FIELDS = (
    "id",
    "incident_id",
    "type_id",
    "counted_by",
    "verification_status",
    "standard_of_proof_id",
    "verified_at",
)


class _Reference:
    def __init__(self) -> None:
        self.units = {
            u["id"]: u for u in AdminUnit.objects.values("id", "pcode", "name", "latitude", "longitude")
        }
        self.terms = {
            t["id"]: t for t in Term.objects.values("id", "code", "parent_id", "label_fr", "label_en")
        }
        self.organisations = dict(Organisation.objects.values_list("id", "code"))

    def code(self, term_id: int | None) -> str:
        return self.terms[term_id]["code"] if term_id else ""

    def parent_code(self, term_id: int) -> str:
        return self.code(self.terms[term_id]["parent_id"])

    def label(self, term_id: int) -> str:
        """The term's label in the reader's language, as `Term.label` gives it on the pages."""
        term = self.terms[term_id]
        return term["label_en"] if (get_language() or "fr").startswith("en") else term["label_fr"]


class _Incident:
    """What IdentityRule reads of an incident, over a row of values."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.values = values
        self.pk = values["id"]
        self.organisation_id = values["organisation_id"]
        self.confidentiality = values["confidentiality"]


def _codes(values: Iterable[str]) -> list[str]:
    return sorted(set(values))


def _incident_part(
    incident: _Incident, rule: access.IdentityRule, ref: _Reference, settlements: dict[int, dict]
) -> dict[str, Any]:
    values = incident.values
    exact = rule.shows_exact_place(incident)
    settlement = settlements.get(values["settlement_id"]) if exact else None
    region, cercle, commune = (ref.units.get(values[f"{n}_id"]) for n in ("region", "cercle", "commune"))
    unit = commune or cercle or region
    point = (values["longitude"], values["latitude"]) if exact and values["latitude"] is not None else None
    if point is None and unit is not None and unit["latitude"] is not None:
        point = (
            unit["longitude"],
            unit["latitude"],
        )  # the admin unit's centre: a map shows no more than the row
    return {
        "public_id": values["public_id"],
        "external_ids": values["external_ids"] or {},
        "title": values["title"] if exact else _neutral_title(values, region, cercle, commune, ref),
        "start_date": values["start_date"],
        "end_date": values["end_date"],
        "date_precision": values["date_precision"],
        "region_pcode": region["pcode"] if region else "",
        "region": region["name"] if region else "",
        "cercle_pcode": cercle["pcode"] if cercle else "",
        "cercle": cercle["name"] if cercle else "",
        "commune_pcode": commune["pcode"] if commune else "",
        "commune": commune["name"] if commune else "",
        "settlement_pcode": settlement["pcode"] if settlement else "",
        "settlement": settlement["name"] if settlement else "",
        "latitude": values["latitude"] if exact else None,
        "longitude": values["longitude"] if exact else None,
        "geo_precision": values["geo_precision"],
        "status": values["status"],
        "confidentiality": values["confidentiality"],
        "organisation": ref.organisations.get(values["organisation_id"], ""),
        "_point": point,
    }


def _neutral_title(values: dict, region, cercle, commune, ref: _Reference) -> str:
    """The pages' neutral title (incidents.presenters.neutral_title: types, commune, month) for a reader who
    may not see the exact place: a free title names villages and people, and must not leave in a file."""

    class _Unit:
        def __init__(self, unit: dict | None) -> None:
            self.name = unit["name"] if unit else ""

    incident = SimpleNamespace(
        region=_Unit(region) if region else None,
        cercle=_Unit(cercle) if cercle else None,
        commune=_Unit(commune) if commune else None,
        start_date=values["start_date"],
        date_precision=values["date_precision"],
    )
    return neutral_title(incident, sorted({ref.label(t) for t in values["_type_ids"]}))  # type: ignore[arg-type]


def _incident_chunks(user, filters: queries.IncidentFilters) -> Iterator[list[_Incident]]:
    """The list's incidents in list order, CHUNK at a time: ids stream from one cursor, each chunk's values
    come in one query."""
    ids = queries.filtered_incidents(user, filters).values_list("pk", flat=True).iterator(chunk_size=2000)
    chunk: list[int] = []
    for pk in ids:
        chunk.append(pk)
        if len(chunk) == CHUNK:
            yield _incidents(chunk)
            chunk = []
    if chunk:
        yield _incidents(chunk)


def _incidents(ids: list[int]) -> list[_Incident]:
    found = {v["id"]: v for v in Incident.objects.filter(pk__in=ids).order_by().values(*INCIDENT_FIELDS)}
    for values in found.values():
        values["_type_ids"] = set()
    # every violation's type, matching the filters or not: the neutral title names them all, as the list does
    for incident_id, type_id in Violation.objects.filter(incident_id__in=ids).values_list(
        "incident_id", "type_id"
    ):
        found[incident_id]["_type_ids"].add(type_id)
    return [_Incident(found[pk]) for pk in ids if pk in found]


def _settlements(incidents: list[_Incident]) -> dict[int, Any]:
    ids = {i.values["settlement_id"] for i in incidents} - {None}
    return (
        {s["id"]: s for s in Settlement.objects.filter(pk__in=ids).values("id", "pcode", "name")}
        if ids
        else {}
    )


@dataclass
class _Violations:
    """One chunk's violations with what their columns need, read in a fixed number of queries."""

    by_incident: dict[int, list[dict[str, Any]]]
    victims: dict[int, int]  # counted by the statistics app's rules: one definition of each figure
    children: dict[int, int]
    categories: dict[int, list[str]]
    actors: dict[int, list[str]]
    methods: dict[int, list[str]]


def _violations(
    incidents: list[_Incident], only_matching: queries.IncidentFilters | None, ref: _Reference
) -> _Violations:
    source = queries.matching_violations(only_matching) if only_matching else Violation.objects.all()
    # The chunk's violations as a subquery in each read: a list of their ids would cost Django more to
    # prepare, id by id, than the database takes to answer.
    chosen = source.filter(incident_id__in=[i.pk for i in incidents])
    violations = list(chosen.order_by("incident_id", "id").values(*VIOLATION_FIELDS))
    chosen_ids = chosen.order_by().values("id")
    by_incident: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for violation in violations:
        by_incident[violation["incident_id"]].append(violation)
    categories: dict[int, list[str]] = defaultdict(list)
    actors: dict[int, list[str]] = defaultdict(list)
    for violation_id, category_id, actor in Perpetrator.objects.filter(
        violation_id__in=chosen_ids
    ).values_list("violation_id", "category_id", "actor__code"):
        categories[violation_id].append(ref.code(category_id))
        if actor:
            actors[violation_id].append(actor)
    methods: dict[int, list[str]] = defaultdict(list)
    for violation_id, term_id in Violation.methods.through.objects.filter(
        violation_id__in=chosen_ids
    ).values_list("violation_id", "term_id"):
        methods[violation_id].append(ref.code(term_id))
    ids = [v["id"] for v in violations]
    return _Violations(
        by_incident, victims_per_violation(ids), children_per_violation(ids), categories, actors, methods
    )


def _incident_rows(incidents: list[_Incident], rule: access.IdentityRule, ref: _Reference) -> Iterator[dict]:
    found = _violations(incidents, None, ref)
    settlements = _settlements(incidents)
    for incident in incidents:
        violations = found.by_incident.get(incident.pk, [])
        yield {
            **_incident_part(incident, rule, ref, settlements),
            "violation_types": _codes(ref.code(v["type_id"]) for v in violations),
            "verification_statuses": _codes(v["verification_status"] for v in violations),
            "violations": len(violations),
            "victims": sum(found.victims[v["id"]] for v in violations),
            "children": sum(found.children[v["id"]] for v in violations),
            "perpetrator_categories": _codes(c for v in violations for c in found.categories[v["id"]]),
            "public_summary": incident.values["public_summary"],
        }


def _violation_rows(
    incidents: list[_Incident], rule: access.IdentityRule, ref: _Reference, filters: queries.IncidentFilters
) -> Iterator[dict]:
    found = _violations(incidents, filters, ref)
    settlements = _settlements(incidents)
    for incident in incidents:
        shared = _incident_part(incident, rule, ref, settlements)
        for violation in found.by_incident.get(incident.pk, []):
            pk, type_id = violation["id"], violation["type_id"]
            yield {
                **shared,
                "violation_id": pk,
                "violation_type": ref.code(type_id),
                "violation_category": ref.parent_code(type_id),
                "counted_by": violation["counted_by"],
                "verification_status": violation["verification_status"],
                "standard_of_proof": ref.code(violation["standard_of_proof_id"]),
                "verified_at": violation["verified_at"].date() if violation["verified_at"] else None,
                "victims": found.victims[pk],
                "children": found.children[pk],
                "perpetrator_categories": _codes(found.categories[pk]),
                "perpetrator_actors": _codes(found.actors[pk]),
                "methods": _codes(found.methods[pk]),
            }


def _victim_rows(
    incidents: list[_Incident], rule: access.IdentityRule, ref: _Reference, filters: queries.IncidentFilters
) -> Iterator[dict]:
    by_id = {i.pk: i for i in incidents}
    violations = {
        v["id"]: v
        for v in queries.matching_violations(filters)
        .filter(incident_id__in=list(by_id))
        .values("id", "incident_id", "type_id", "verification_status")
    }
    victims = list(
        Victim.objects.filter(violation_id__in=list(violations))
        .order_by("violation_id", "id")
        .values("id", "violation_id", "person_id", "age_at_time", "age_estimated", "status_after_id")
    )
    # Names are decrypted only for the victims of incidents whose identities this user sees.
    # Through a share, only those who consented to sharing with the receiving organisation are named.
    persons_by_incident: dict[int, set[int]] = defaultdict(set)
    for v in victims:
        persons_by_incident[violations[v["violation_id"]]["incident_id"]].add(v["person_id"])
    named_people: set[int] = set()
    for incident_id, person_ids in persons_by_incident.items():
        named_people |= rule.persons_named(by_id[incident_id], person_ids)
    people = {
        p.pk: p
        for p in Person.objects.filter(pk__in=named_people).only(
            "id", "public_id", "given_name", "family_name", "other_names"
        )
    }
    sexes = dict(Person.objects.filter(pk__in={v["person_id"] for v in victims}).values_list("id", "sex"))
    categories: dict[int, list[str]] = defaultdict(list)
    for person_id, term_id in Person.categories.through.objects.filter(person_id__in=list(sexes)).values_list(
        "person_id", "term_id"
    ):
        categories[person_id].append(ref.code(term_id))
    by_incident: dict[int, list[Any]] = defaultdict(list)
    for victim in victims:
        by_incident[violations[victim["violation_id"]]["incident_id"]].append(victim)
    settlements = _settlements(incidents)
    for incident in incidents:
        shared = _incident_part(incident, rule, ref, settlements)
        for victim in by_incident.get(incident.pk, []):
            violation, person = violations[victim["violation_id"]], people.get(victim["person_id"])
            age = victim["age_at_time"]
            yield {
                **shared,
                "violation_id": violation["id"],
                "violation_type": ref.code(violation["type_id"]),
                "verification_status": violation["verification_status"],
                "victim_id": victim["id"],
                "person_id": person.public_id if person else "",
                "given_name": person.given_name if person else "",
                "family_name": person.family_name if person else "",
                "other_names": person.other_names if person else "",
                "sex": sexes[victim["person_id"]],
                "age_at_time": age,
                "age_estimated": victim["age_estimated"],
                "child": age is not None and age < 18,
                "status_after": ref.code(victim["status_after_id"]),
                "categories": _codes(categories[victim["person_id"]]),
            }


def rows(user, level: str, filters: queries.IncidentFilters) -> Iterator[dict[str, Any]]:
    """Every row of the export, in list order. The caller has checked the user may export this level."""
    rule = access.IdentityRule(user)
    ref = _Reference()
    for incidents in _incident_chunks(user, filters):
        rule.prepare([i.pk for i in incidents])  # need-to-know: the chunk's sensitive records in one query
        if level == Level.INCIDENTS:
            yield from _incident_rows(incidents, rule, ref)
        elif level == Level.VIOLATIONS:
            yield from _violation_rows(incidents, rule, ref, filters)
        else:
            yield from _victim_rows(incidents, rule, ref, filters)
