"""An edited row in a later export: the incident takes what the source now says, through the ORM.

Rare next to new rows, so the ORM's per-object work is affordable here, and it is what keeps the
previous version: django-simple-history records the incident's old state and every violation, victim
and perpetrator it replaces. The violations are replaced as a whole — the source describes the incident
again, and the history keeps the old ones.
"""

from __future__ import annotations

from kurukan.incidents.actions import refresh_counts
from kurukan.incidents.models import GroupVictims, Incident, Perpetrator, Source, Victim, Violation
from kurukan.people.models import Person

from .models import ExternalId
from .records import Record
from .writer import Lookups


def update_incident(external: ExternalId, record: Record, lookups: Lookups, user) -> Incident:
    """Called inside the import batch's transaction."""
    incident = Incident.objects.get(pk=external.incident_id)
    units = lookups.units_ids
    incident.title = record.title[:250]
    incident.narrative = record.narrative
    incident.public_summary = record.public_summary
    incident.start_date = record.start_date
    incident.end_date = record.end_date
    incident.date_precision = record.date_precision
    incident.date_estimated = record.date_estimated
    incident.region_id = units.get(record.admin1_pcode)
    incident.cercle_id = units.get(record.admin2_pcode)
    incident.commune_id = units.get(record.admin3_pcode)
    incident.settlement_id = lookups.settlements.get(record.settlement_pcode or "")
    incident.latitude, incident.longitude = record.latitude, record.longitude
    incident.geo_precision = record.geo_precision
    incident.external_ids = {**incident.external_ids, **record.external_ids}
    incident._change_reason = "import"  # type: ignore[attr-defined]
    incident.save()
    for violation in incident.violations.all():
        violation.delete()  # each deletion is a history row
    term = lookups.term_id
    for v in record.violations:
        type_id, counted_by = lookups.violation_type(v.type_code)
        violation = Violation.objects.create(
            incident=incident,
            type_id=type_id,
            counted_by=counted_by,
            verification_status=v.verification_status,
            standard_of_proof_id=term("standard_of_proof", v.standard_of_proof),
        )
        for victim in v.victims:
            person = Person.objects.create(
                given_name=victim.given_name,
                family_name=victim.family_name,
                sex=victim.sex,
                birth_year=victim.birth_year,
                organisation=incident.organisation,
                confidentiality=incident.confidentiality,
                created_by=user,
            )
            Victim.objects.create(
                violation=violation,
                person=person,
                age_at_time=victim.age,
                age_estimated=victim.age_estimated,
                status_after_id=term("victim_status", victim.status_after),
            )
        for g in v.groups:
            GroupVictims.objects.create(
                violation=violation,
                description=g.description[:200],
                women=g.women,
                men=g.men,
                girls=g.girls,
                boys=g.boys,
                unknown=g.unknown,
                status_after_id=term("victim_status", g.status_after),
            )
        for p in v.perpetrators:
            actor = lookups.actor_named(p.actor_name)
            category_id = term("perpetrator_category", p.category_code) or (
                actor.category_id if actor else None
            )
            if category_id is not None:
                Perpetrator.objects.create(
                    violation=violation, actor=actor, category_id=category_id, involvement_id=None
                )
    if record.sources:
        incident.sources.all().delete()
        for s in record.sources:
            Source.objects.create(
                incident=incident,
                kind_id=term("source_kind", s.kind),
                language=s.language,
                reported_on=s.reported_on,
                description=s.name,
            )
    refresh_counts(incident)
    ExternalId.objects.filter(pk=external.pk).update(digest=record.digest)
    return incident
