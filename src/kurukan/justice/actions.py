"""Changes to cases and interventions: each a transaction that writes its audit event (ids and codes only,
never a name)."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kurukan.audit import log as audit
from kurukan.audit.models import Action

from .consent import may_take_part, not_referable, referral_refusal
from .models import (
    CivilParty,
    Defendant,
    Intervention,
    InterventionKind,
    JudicialCase,
    Stage,
    StageKind,
    most_restricted,
)


def _inherited_level(record, violations: Iterable) -> str:
    """The chosen level, raised to that of the most restricted incident linked."""
    return most_restricted(record.confidentiality, *(v.incident.confidentiality for v in violations))


@transaction.atomic
def open_case(case: JudicialCase, violations: list, user) -> JudicialCase:
    case.organisation_id = user.organisation_id or case.organisation_id
    case.created_by = user
    case.confidentiality = _inherited_level(case, violations)
    case.save()
    case.violations.set(violations)
    audit.record(
        Action.CREATE,
        user=user,
        obj=case,
        jurisdiction=case.jurisdiction.code,
        violations=[v.pk for v in violations],
        confidentiality=case.confidentiality,
    )
    return case


@transaction.atomic
def add_stage(case: JudicialCase, stage: Stage, user) -> Stage:
    """A new step; a judgment says its outcome. Written to the audit log with the step it moved to."""
    if stage.kind == StageKind.JUDGMENT and not stage.outcome:
        raise ValidationError(
            {"outcome": _("Un jugement dit s'il condamne ou acquitte : choisissez la décision.")}
        )
    if stage.kind != StageKind.JUDGMENT and (stage.outcome or stage.sentence):
        raise ValidationError({"outcome": _("Seul un jugement porte une décision et une peine.")})
    stage.case = case
    stage.recorded_by = user
    stage.save()
    case.save(update_fields=["updated_at"])
    audit.record(
        Action.CHANGE,
        user=user,
        obj=case,
        stage=stage.kind,
        on=stage.on.isoformat(),
        outcome=stage.outcome,
        confidentiality=case.confidentiality,
    )
    return stage


@transaction.atomic
def add_defendant(case: JudicialCase, defendant: Defendant, user) -> Defendant:
    if defendant.actor_id is None and defendant.person_id is None:
        raise ValidationError({"actor": _("Choisissez l'acteur ou la personne mis en cause.")})
    defendant.case = case
    defendant.save()
    audit.record(Action.CHANGE, user=user, obj=case, defendant=defendant.pk, role=defendant.role)
    return defendant


@transaction.atomic
def add_civil_party(case: JudicialCase, party: CivilParty, user) -> CivilParty:
    """Only a victim who consented to take part in proceedings; the refusal says what to record first."""
    if not may_take_part(party.person):
        raise ValidationError(
            {
                "person": _(
                    "La personne %(id)s n'a pas donné son consentement à participer à une procédure "
                    "(ou l'a révoqué) : enregistrez d'abord ce consentement dans sa fiche."
                )
                % {"id": party.person.public_id}
            }
        )
    if CivilParty.objects.filter(case=case, person=party.person).exists():
        raise ValidationError({"person": _("Cette personne est déjà partie civile dans cette procédure.")})
    party.case = case
    party.save()
    audit.record(Action.CHANGE, user=user, obj=case, civil_party=party.person.public_id)
    return party


@transaction.atomic
def record_intervention(intervention: Intervention, violations: list, victims: list, user) -> Intervention:
    """A referral names only victims who consented to be referred to services (issue #15)."""
    if intervention.kind == InterventionKind.REFERRAL:
        refused = not_referable(victims)
        if refused:
            raise ValidationError({"victim_ids": referral_refusal(refused)})
    intervention.organisation_id = user.organisation_id or intervention.organisation_id
    intervention.created_by = user
    intervention.confidentiality = _inherited_level(intervention, violations)
    intervention.save()
    intervention.violations.set(violations)
    intervention.victims.set(victims)
    audit.record(
        Action.CREATE,
        user=user,
        obj=intervention,
        kind=intervention.kind,
        institution=intervention.institution.code,
        violations=[v.pk for v in violations],
    )
    return intervention


@transaction.atomic
def record_answer(intervention: Intervention, user) -> Intervention:
    """The answer, its date and the follow-up status, as the form changed them on `intervention`."""
    if intervention.answer and intervention.answered_on is None:
        raise ValidationError({"answered_on": _("Indiquez la date à laquelle la réponse a été reçue.")})
    intervention.save()
    audit.record(
        Action.CHANGE,
        user=user,
        obj=intervention,
        status=intervention.status,
        answered_on=intervention.answered_on.isoformat() if intervention.answered_on else "",
    )
    return intervention
