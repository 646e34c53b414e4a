"""Exports of the accountability registers: judicial cases, interventions and reparation claims, one row per
record, read through the same queries as their lists (`justice.queries`, `reparations.queries`, themselves
built on `access.visible` / `access.visible_claims`), in the lists' order, a chunk at a time.

Identifiers, codes and dates only: names of civil parties, defendants or addressees' contacts are not
exported, nor the free texts (what an intervention asked, its answer, the harm a claim describes). The
claims export names the victim and the heir who filed it: it is an identity export, for those who see the
identities of every record a claim cites (the only ones who may read a claim), and it asks for a reason.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .rows import Column

CHUNK = 500


class RegisterLevel(models.TextChoices):
    CASES = "cases", _("procédures judiciaires")
    INTERVENTIONS = "interventions", _("interventions")
    CLAIMS = "claims", _("demandes de réparation")


IDENTITY_LEVELS = {RegisterLevel.CLAIMS}

RECORD = [
    Column("confidentiality", "#meta+confidentiality"),
    Column("organisation", "#org+owner"),
    Column("created_at", "#date+created"),
]
LINKS = [
    Column("violation_ids", "#event+violation+id"),
    Column("violation_types", "#event+type+code"),
    Column("incident_ids", "#event+id"),
    Column("region_pcodes", "#adm1+code"),
]

COLUMNS: dict[str, list[Column]] = {
    RegisterLevel.CASES: [
        Column("case_id", "#case+id"),
        Column("title", "#case+name"),
        Column("jurisdiction", "#case+jurisdiction+code"),
        Column("court", "#case+court"),
        Column("reference", "#case+reference"),
        Column("current_stage", "#case+stage+code"),
        Column("current_stage_on", "#date+stage"),
        Column("first_act_on", "#date+first_act"),
        Column("judgment_on", "#date+judgment"),
        Column("outcome", "#case+outcome+code"),
        Column("stages", "#case+stages"),
        Column("defendant_actors", "#org+defendant+code"),
        Column("defendant_persons", "#affected+defendant+id"),
        Column("civil_parties", "#affected+civil_party+id"),
        Column("documents", "#meta+documents+num"),
        *LINKS,
        *RECORD,
    ],
    RegisterLevel.INTERVENTIONS: [
        Column("intervention_id", "#intervention+id"),
        Column("kind", "#intervention+type+code"),
        Column("institution", "#org+addressee+code"),
        Column("institution_name", "#org+addressee+name"),
        Column("sent_on", "#date+sent"),
        Column("deadline", "#date+deadline"),
        Column("answered_on", "#date+answered"),
        Column("status", "#status+follow_up"),
        Column("overdue", "#status+overdue"),
        Column("days_late", "#indicator+days_late+num"),
        Column("victims", "#affected+num"),
        *LINKS,
        *RECORD,
    ],
    RegisterLevel.CLAIMS: [
        Column("reference", "#claim+id"),
        Column("person_id", "#affected+person+id"),
        Column("given_name", "#affected+name+given"),
        Column("family_name", "#affected+name+family"),
        Column("sex", "#affected+sex"),
        Column("relationship", "#claim+claimant+relationship"),
        Column("claimant_name", "#claim+claimant+name"),
        Column("status", "#status+claim"),
        Column("filed_on", "#date+filed"),
        Column("measures_requested", "#claim+measures+requested"),
        Column("measures_granted", "#claim+measures+granted"),
        Column("amount_requested_xof", "#value+requested+xof"),
        Column("amount_granted_xof", "#value+granted+xof"),
        Column("amount_paid_xof", "#value+paid+xof"),
        Column("deciding_body", "#org+decision"),
        Column("decided_on", "#date+decided"),
        Column("last_payment_on", "#date+paid"),
        *LINKS,
        *RECORD,
    ],
}


@dataclass(frozen=True)
class RegisterQuery:
    """The list's filters, as the list page reads them (codes): what the export repeats and the audit logs
    (the free text only as `text_search: true`: it may be a name)."""

    jurisdiction: str = ""  # cases
    stage: str = ""  # cases: latest stage
    q: str = ""  # cases: id, reference or title
    status: str = ""  # interventions (follow-up) and claims
    overdue: bool = False  # interventions
    reference: str = ""  # claims
    region: str = ""  # claims: a region's P-code

    def described(self) -> dict[str, Any]:
        values = {
            "jurisdiction": self.jurisdiction,
            "stage": self.stage,
            "status": self.status,
            "overdue": self.overdue,
            "region": self.region,
            "text_search": bool(self.q or self.reference),
        }
        return {key: value for key, value in values.items() if value}


def _links(violations: list) -> dict[str, list[str]]:
    return {
        "violation_ids": [str(v.pk) for v in violations],
        "violation_types": sorted({v.type.code for v in violations}),
        "incident_ids": sorted({v.incident.public_id for v in violations}),
        "region_pcodes": sorted({v.incident.region.pcode for v in violations if v.incident.region_id}),
    }


def _record(row: Any) -> dict[str, Any]:
    return {
        "confidentiality": row.confidentiality,
        "organisation": row.organisation.code if row.organisation_id else "",
        "created_at": timezone.localtime(row.created_at).date() if row.created_at else None,
    }


def _violations_prefetch(path: str = "violations") -> Prefetch:
    from kurukan.incidents.models import Violation

    return Prefetch(
        path, queryset=Violation.objects.select_related("type", "incident", "incident__region").order_by("pk")
    )


def _chunks(qs) -> Iterator[list[int]]:
    """The list's primary keys in its order (one query), then CHUNK records at a time with what they link."""
    ids = list(qs.values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _case_rows(user, query: RegisterQuery) -> Iterator[dict[str, Any]]:
    from kurukan.justice import queries
    from kurukan.justice.models import JudicialCase, StageKind

    listed = queries.cases(
        user, queries.CaseFilters(jurisdiction=query.jurisdiction, stage=query.stage, q=query.q)
    )
    for part in _chunks(listed):
        cases = (
            JudicialCase.objects.filter(pk__in=part)
            .select_related("jurisdiction", "organisation")
            .prefetch_related(
                "stages",
                "defendants__actor",
                "defendants__person",
                "civil_parties__person",
                "documents",
                _violations_prefetch(),
            )  # fmt: skip
        )
        by_pk = {c.pk: c for c in cases}
        for pk in part:
            case = by_pk[pk]
            stages = sorted(case.stages.all(), key=lambda s: (s.on, s.pk))
            last = stages[-1] if stages else None
            acts = [s for s in stages if s.kind not in {StageKind.CLOSED, StageKind.AMNESTY}]
            judgments = [s for s in stages if s.kind == StageKind.JUDGMENT]
            defendants = list(case.defendants.all())
            yield {
                "case_id": case.public_id,
                "title": case.title,
                "jurisdiction": case.jurisdiction.code,
                "court": case.court,
                "reference": case.reference,
                "current_stage": last.kind if last else "",
                "current_stage_on": last.on if last else None,
                "first_act_on": acts[0].on if acts else None,
                "judgment_on": judgments[0].on if judgments else None,
                "outcome": judgments[-1].outcome if judgments else "",
                "stages": [f"{s.on.isoformat()} {s.kind}" for s in stages],
                "defendant_actors": [d.actor.code for d in defendants if d.actor_id],
                "defendant_persons": [d.person.public_id for d in defendants if d.person_id],
                "civil_parties": [p.person.public_id for p in case.civil_parties.all()],
                "documents": len(case.documents.all()),
                **_links(list(case.violations.all())),
                **_record(case),
            }


def _intervention_rows(user, query: RegisterQuery) -> Iterator[dict[str, Any]]:
    from kurukan.justice import queries
    from kurukan.justice.models import Intervention

    today = timezone.localdate()
    listed = queries.interventions(user, overdue_on=today if query.overdue else None, status=query.status)
    for part in _chunks(listed):
        found = (
            Intervention.objects.filter(pk__in=part)
            .select_related("institution", "organisation")
            .prefetch_related("victims", _violations_prefetch())
        )
        by_pk = {i.pk: i for i in found}
        for pk in part:
            item = by_pk[pk]
            yield {
                "intervention_id": item.public_id,
                "kind": item.kind,
                "institution": item.institution.code,
                "institution_name": item.institution.name,
                "sent_on": item.sent_on,
                "deadline": item.deadline,
                "answered_on": item.answered_on,
                "status": item.status,
                "overdue": item.is_overdue(today),
                "days_late": item.days_late(today),
                "victims": len(item.victims.all()),
                **_links(list(item.violations.all())),
                **_record(item),
            }


def _claim_rows(user, query: RegisterQuery) -> Iterator[dict[str, Any]]:
    from kurukan.places.models import AdminUnit
    from kurukan.reparations import queries
    from kurukan.reparations.models import Claim

    region = AdminUnit.objects.current().filter(pcode=query.region).first() if query.region else None
    filters = queries.ClaimFilters(status=query.status, reference=query.reference, region=region)
    listed = queries.claims(user, filters)
    for part in _chunks(listed):
        found = (
            Claim.objects.filter(pk__in=part)
            .select_related("person", "organisation")
            .prefetch_related("payments", _violations_prefetch())
        )
        by_pk = {c.pk: c for c in found}
        for pk in part:
            claim = by_pk[pk]
            payments = sorted(claim.payments.all(), key=lambda p: (p.paid_on, p.pk))
            yield {
                "reference": claim.reference,
                "person_id": claim.person.public_id,
                "given_name": claim.person.given_name,
                "family_name": claim.person.family_name,
                "sex": claim.person.sex,
                "relationship": claim.relationship,
                "claimant_name": claim.claimant_name,
                "status": claim.status,
                "filed_on": claim.filed_on,
                "measures_requested": list(claim.measures_requested),
                "measures_granted": list(claim.measures_granted),
                "amount_requested_xof": claim.amount_requested,
                "amount_granted_xof": claim.amount_granted,
                "amount_paid_xof": sum(p.amount for p in payments),
                "deciding_body": claim.deciding_body,
                "decided_on": claim.decided_on,
                "last_payment_on": payments[-1].paid_on if payments else None,
                **_links(list(claim.violations.all())),
                **_record(claim),
            }


ROWS = {
    RegisterLevel.CASES: _case_rows,
    RegisterLevel.INTERVENTIONS: _intervention_rows,
    RegisterLevel.CLAIMS: _claim_rows,
}


def rows(user, level: str, query: RegisterQuery) -> Iterator[dict[str, Any]]:
    """Every row of the register's export, in its list's order. The caller has checked the user may export."""
    yield from ROWS[RegisterLevel(level)](user, query)
