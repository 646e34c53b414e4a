"""Load synthetic schools (kurukan.analysis.synthetic.schools) for the demo and the benchmarks, and link the
synthetic attacks on schools and military uses to a school of their incident's commune.

Written in bulk, with a version row per record (simple_history) and one audit event per load, like the
synthetic incidents. Histories from the generator are consistent by construction; `ends_on` and `closed` are
computed here exactly as actions.record_status_change keeps them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from kurukan.accounts.models import Organisation
from kurukan.analysis.synthetic.schools import SyntheticSchool, schools
from kurukan.audit import log as audit
from kurukan.audit.models import Action
from kurukan.incidents.models import Incident, Violation
from kurukan.places.models import AdminUnit, Level, Settlement
from kurukan.text import fold
from kurukan.vocabularies.models import Term

from . import actions
from .models import School, StatusChange

BATCH = 2000
SCHOOL_TYPES = ("protected.attack_school", "children.military_use")


@dataclass
class SchoolLoad:
    schools: int = 0
    entries: int = 0
    linked: int = 0


def demo_communes() -> list[str]:
    """The communes where the demo's incidents happened."""
    ids = Incident.objects.exclude(commune=None).values_list("commune_id", flat=True).distinct()
    return list(AdminUnit.objects.filter(pk__in=ids).values_list("pcode", flat=True))


def _terms() -> dict[tuple[str, str], Term]:
    return {(t.vocabulary, t.code): t for t in Term.objects.all()}


def _school_rows(
    batch: list[SyntheticSchool], units: dict[str, AdminUnit], terms, settlements
) -> list[School]:
    rows = []
    for s in batch:
        commune = units[s.commune]
        rows.append(
            School(
                code=s.code,
                name=s.name,
                name_search=fold(s.name),
                level=terms[("school_level", s.level)],
                management=terms[("school_management", s.management)],
                commune=commune,
                cercle_id=commune.parent_id,
                region_id=commune.region_id,
                settlement_id=settlements.get(s.settlement),
                latitude=s.latitude,
                longitude=s.longitude,
                pupils_girls=s.pupils_girls,
                pupils_boys=s.pupils_boys,
                teachers_women=s.teachers_women,
                teachers_men=s.teachers_men,
            )
        )
    return rows


def _entry_rows(batch: list[SyntheticSchool], ids: dict[str, int], terms, organisation) -> list[StatusChange]:
    rows = []
    for s in batch:
        changes = []
        for e in s.entries:
            status = terms[("school_status", e.status)]
            changes.append(
                StatusChange(
                    school_id=ids[s.code],
                    status=status,
                    reason=terms[("closure_reason", e.reason)] if e.reason else None,
                    starts_on=e.starts_on,
                    pupils_affected=e.pupils_affected,
                    occupier_category=terms[("perpetrator_category", e.occupier_category)]
                    if e.occupier_category
                    else None,
                    closed=actions.closed_flag(status),
                    organisation=organisation,
                    source="Données synthétiques de démonstration",
                )
            )
        decisive = [c for c in changes if c.closed is not None]
        for current, following in zip(decisive, decisive[1:], strict=False):
            current.ends_on = following.starts_on
        rows.extend(changes)
    return rows


def load_synthetic_schools(
    communes: Iterable[str], *, organisation_code: str = "ohchr", limit: int | None = None, **generator
) -> SchoolLoad:
    """Add synthetic schools for these communes (codes already present are skipped, so it re-runs)."""
    organisation, _ = Organisation.objects.get_or_create(
        code=organisation_code, defaults={"name": organisation_code.upper()}
    )
    terms = _terms()
    units = {u.pcode: u for u in AdminUnit.objects.current().filter(level=Level.COMMUNE)}
    settlements = dict(Settlement.objects.values_list("pcode", "pk"))
    existing = set(School.objects.values_list("code", flat=True))
    load = SchoolLoad()
    batch: list[SyntheticSchool] = []

    def flush() -> None:
        with transaction.atomic():
            bulk_create_with_history(_school_rows(batch, units, terms, settlements), School, batch_size=BATCH)
            ids = dict(School.objects.filter(code__in=[s.code for s in batch]).values_list("code", "pk"))
            entries = _entry_rows(batch, ids, terms, organisation)
            bulk_create_with_history(entries, StatusChange, batch_size=BATCH)
        load.schools += len(batch)
        load.entries += len(entries)
        batch.clear()

    for school in schools([c for c in communes if c in units], **generator):
        if limit is not None and load.schools + len(batch) >= limit:
            break
        if school.code in existing:
            continue
        batch.append(school)
        if len(batch) >= BATCH:
            flush()
    if batch:
        flush()
    load.linked = link_synthetic_attacks()
    audit.record(
        Action.IMPORT,
        object_type="schools.school",
        object_id="synthetic",
        schools=load.schools,
        entries=load.entries,
        linked=load.linked,
    )
    return load


@transaction.atomic
def link_synthetic_attacks() -> int:
    """Each attack on a school or military use without a school gets one of its commune's schools, picked
    by the violation's id so that a re-run picks the same."""
    by_commune: dict[int, list[int]] = {}
    for pk, commune_id in School.objects.order_by("pk").values_list("pk", "commune_id"):
        by_commune.setdefault(commune_id, []).append(pk)
    linked = 0
    unlinked = Violation.objects.filter(type__code__in=SCHOOL_TYPES, school=None).exclude(
        incident__commune=None
    )
    for violation_id, commune_id in unlinked.values_list("pk", "incident__commune_id"):
        candidates = by_commune.get(commune_id)
        if candidates:
            Violation.objects.filter(pk=violation_id).update(
                school_id=candidates[violation_id % len(candidates)]
            )
            linked += 1
    return linked
