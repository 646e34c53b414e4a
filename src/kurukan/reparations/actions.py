"""Claim workflows: register, decide, pay. Each in a transaction, each writing its audit event (references
and codes only — never a name, never the harm described).

The single-compensation principle of Act No. 2022-041: one victim is not compensated twice for the same
violation. "The same victim" follows merged duplicates of people (`merged_family` of the root person), "the
same violation" follows merged duplicates of incidents: two violations are one act when their incidents
resolve to the same root and they have the same type. A claim holds its violations while its status
counts (`ClaimStatus.counting`: every status but "not eligible").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kurukan.audit import log as audit
from kurukan.audit.models import Action
from kurukan.incidents.merges import merged_family, root_of, roots_of
from kurukan.incidents.models import Incident, Violation
from kurukan.people.models import Person

from .models import Claim, ClaimStatus, Payment, Relationship, StatusChange

CONFIDENTIALITY_ORDER = ("public", "internal", "restricted", "strictly_confidential")


@dataclass(frozen=True)
class EarlierClaim:
    claim: Claim
    violation: Violation  # the violation of the new claim that the earlier one already holds


def _acts(violations: Iterable[Violation]) -> dict[tuple[int, int], Violation]:
    """Each violation as (root incident, type): the act it records, whichever duplicate report holds it."""
    violations = list(violations)
    roots = roots_of(Incident, {v.incident_id for v in violations})
    return {(roots[v.incident_id], v.type_id): v for v in violations}


def earlier_claim(person: Person, violations: Iterable[Violation], exclude: Claim | None = None):
    """The first counting claim that already holds one of these violations for this victim, or None."""
    wanted = _acts(violations)
    if not wanted:
        return None
    family = merged_family(Person, root_of(Person, person.pk))
    candidates = (
        Claim.objects.counting()
        .filter(person_id__in=family, violations__type_id__in={t for _i, t in wanted})
        .distinct()
        .order_by("created_at", "pk")
    )
    if exclude is not None:
        candidates = candidates.exclude(pk=exclude.pk)
    for claim in candidates:
        for act in _acts(claim.violations.all()):
            if act in wanted:
                return EarlierClaim(claim=claim, violation=wanted[act])
    return None


def refusal(earlier: EarlierClaim) -> str:
    """The sentence the form, the API and the tests show: it names the earlier claim by its reference."""
    return _(
        "Demande refusée : la demande %(reference)s (statut « %(status)s », victime %(person)s) couvre déjà "
        "la violation « %(violation)s » de l'incident %(incident)s. Une victime n'est pas indemnisée deux "
        "fois pour la même violation (loi n° 2022-041), même enregistrée sous une fiche en double."
    ) % {
        "reference": earlier.claim.reference,
        "status": earlier.claim.get_status_display(),
        "person": earlier.claim.person.public_id,
        "violation": earlier.violation.type,
        "incident": earlier.violation.incident.public_id,
    }


def _check_single_compensation(person: Person, violations: Iterable[Violation], exclude=None) -> None:
    # Lock the victim's root record: two claims for the same person are checked one after the other
    # (PostgreSQL; SQLite already serialises writing transactions).
    list(Person.objects.select_for_update().filter(pk=root_of(Person, person.pk)))
    found = earlier_claim(person, violations, exclude=exclude)
    if found is not None:
        raise ValidationError({"violations": [refusal(found)]}, code="double_compensation")


def _most_restricted(violations: list[Violation]) -> str:
    levels = {v.incident.confidentiality for v in violations}
    return max(levels, key=CONFIDENTIALITY_ORDER.index) if levels else "internal"


@transaction.atomic
def register_claim(claim: Claim, violations: list[Violation], user: Any) -> Claim:
    """File a claim for `claim.person`; refused (ValidationError on `violations`) if it would pay twice."""
    victims_of = set(
        Violation.objects.filter(
            pk__in=[v.pk for v in violations],
            victims__person_id__in=merged_family(Person, root_of(Person, claim.person_id)),
        ).values_list("pk", flat=True)
    )
    strangers = [v for v in violations if v.pk not in victims_of]
    if not violations or strangers:
        raise ValidationError(
            {"violations": [_("Choisissez au moins une violation dont cette personne est victime.")]}
        )
    _check_single_compensation(claim.person, violations)
    claim.organisation_id = claim.organisation_id or user.organisation_id or claim.person.organisation_id
    claim.confidentiality = _most_restricted(violations)
    claim.created_by = user if getattr(user, "is_authenticated", False) else None
    claim.status = ClaimStatus.REGISTERED
    claim.save()
    claim.violations.set(violations)
    StatusChange.objects.create(
        claim=claim, status=ClaimStatus.REGISTERED, changed_on=claim.filed_on, changed_by=claim.created_by
    )
    audit.record(
        Action.CREATE, user=user, obj=claim, person=claim.person.public_id,
        violations=sorted(v.pk for v in violations), relationship=claim.relationship,
    )  # fmt: skip
    return claim


@transaction.atomic
def change_status(
    claim: Claim,
    user: Any,
    *,
    status: str,
    changed_on: dt.date,
    note: str = "",
    deciding_body: str = "",
    decided_on: dt.date | None = None,
    amount_granted: int | None = None,
    measures_granted: list[str] | None = None,
) -> Claim:
    """Move a claim to `status` on `changed_on`, keeping the dated step; decisions need their body and date."""
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    errors: dict[str, list[str]] = {}
    if status in {ClaimStatus.GRANTED, ClaimStatus.NOT_ELIGIBLE}:
        if not (deciding_body or claim.deciding_body):
            errors["deciding_body"] = [_("Indiquez l'organe qui a pris la décision.")]
        if not (decided_on or claim.decided_on):
            errors["decided_on"] = [_("Indiquez la date de la décision (AAAA-MM-JJ).")]
    if status == ClaimStatus.PAID and claim.paid_total == 0:
        errors["status"] = [_("Enregistrez d'abord un paiement : une demande sans paiement n'est pas payée.")]
    refused = transition_refused(claim, status)
    if refused:
        errors["status"] = [refused]
    if errors:
        raise ValidationError(errors)
    if claim.status == ClaimStatus.NOT_ELIGIBLE and status in ClaimStatus.counting():
        # Reopened: meanwhile another claim may have taken the violation.
        _check_single_compensation(claim.person, list(claim.violations.all()), exclude=claim)
    previous = claim.status
    claim.status = status
    claim.deciding_body = deciding_body or claim.deciding_body
    claim.decided_on = decided_on or claim.decided_on
    if amount_granted is not None:
        claim.amount_granted = amount_granted
    if measures_granted:
        claim.measures_granted = measures_granted
    claim.save()
    StatusChange.objects.create(
        claim=claim, status=status, changed_on=changed_on, note=note,
        changed_by=user if getattr(user, "is_authenticated", False) else None,
    )  # fmt: skip
    audit.record(Action.CHANGE, user=user, obj=claim, event="status", previous=previous, status=status)
    return claim


def transition_refused(claim: Claim, status: str) -> str:
    """Why the claim may not move to `status` now ("" when it may): a claim is registered once, a paid claim
    is closed, and a claim with payments is not taken back (record the decision's correction instead)."""
    if status == ClaimStatus.REGISTERED and claim.status != ClaimStatus.REGISTERED:
        return _(
            "Une demande n'est enregistrée qu'une fois : choisissez « En cours d'examen » pour la réexaminer."
        )
    if claim.status == ClaimStatus.PAID and status != ClaimStatus.PAID:
        return _("Cette demande est payée : son statut ne change plus.")
    if status not in {ClaimStatus.GRANTED, ClaimStatus.PAID} and claim.paid_total:
        return _(
            "Des paiements sont enregistrés pour cette demande : elle ne peut plus revenir au statut « %(status)s »."
        ) % {"status": ClaimStatus(status).label}
    return ""


EDITABLE = ("relationship", "claimant_name", "harm", "measures_requested", "amount_requested", "filed_on")
DECISION = ("measures_granted", "deciding_body", "decided_on", "amount_granted")


@transaction.atomic
def update_claim(claim: Claim, user: Any, changes: dict[str, Any]) -> Claim:
    """Correct a claim's details (and, for those who decide, its decision) keeping the previous values in its
    history. The audit event names the fields changed, never their values (a harm, an heir's name)."""
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    errors: dict[str, list[str]] = {}
    granted = changes.get("amount_granted", claim.amount_granted)
    if granted is not None and granted < claim.paid_total:
        errors["amount_granted"] = [
            _("Le montant accordé ne peut pas être inférieur au total déjà payé (%(paid)s FCFA).")
            % {"paid": claim.paid_total}
        ]
    relationship = changes.get("relationship", claim.relationship)
    claimant = (changes.get("claimant_name", claim.claimant_name) or "").strip()
    if relationship != Relationship.SELF and not claimant:
        errors["claimant_name"] = [_("Indiquez le nom de l'ayant droit qui dépose la demande.")]
    if relationship == Relationship.SELF and claimant:
        errors["relationship"] = [
            _("Choisissez le lien de l'ayant droit avec la victime, ou effacez son nom.")
        ]
    if errors:
        raise ValidationError(errors)
    changed = sorted(f for f, value in changes.items() if getattr(claim, f) != value)
    if not changed:
        return claim
    for field_name in changed:
        setattr(claim, field_name, changes[field_name])
    claim.save()
    audit.record(Action.CHANGE, user=user, obj=claim, event="details", fields=changed)
    return claim


@transaction.atomic
def record_payment(claim: Claim, user: Any, payment: Payment) -> Payment:
    """Pay a granted claim; never beyond the amount granted. Fully paid, the claim becomes "paid"."""
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    if claim.status not in {ClaimStatus.GRANTED, ClaimStatus.PAID}:
        raise ValidationError(
            {"amount": [_("Seule une demande dont la réparation est accordée peut être payée.")]}
        )
    already = claim.paid_total
    if claim.amount_granted is not None and already + payment.amount > claim.amount_granted:
        raise ValidationError(
            {
                "amount": [
                    _("Ce paiement dépasse le montant accordé : il reste %(left)s FCFA à payer.")
                    % {"left": claim.amount_granted - already}
                ]
            }
        )
    payment.claim = claim
    payment.recorded_by = user if getattr(user, "is_authenticated", False) else None
    payment.save()
    audit.record(
        Action.CHANGE, user=user, obj=claim, event="payment", payment=payment.pk, amount=payment.amount,
        paid_on=payment.paid_on.isoformat(),
    )  # fmt: skip
    fully_paid = claim.amount_granted is None or already + payment.amount >= claim.amount_granted
    if fully_paid and claim.status != ClaimStatus.PAID:
        change_status(claim, user, status=ClaimStatus.PAID, changed_on=payment.paid_on)
    return payment
