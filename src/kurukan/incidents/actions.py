"""Workflows over incidents: each in a transaction, each writing its audit event (ids and codes only)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kurukan.accounts.models import IncidentShare
from kurukan.audit import log as audit
from kurukan.audit.models import Action
from kurukan.people.models import Person
from kurukan.statistics import aggregates

from . import facets
from .merges import merged_family, roots_of
from .models import (
    CountedBy,
    GroupVictims,
    Incident,
    IncidentStatus,
    Perpetrator,
    Source,
    VerificationStatus,
    Victim,
    Violation,
)


def recount_after_merge(incident: Incident) -> int:
    """Set and return the victim count of `incident` once duplicates are merged.

    The rule: the number of DISTINCT people among the individual victims of the incident and of every
    incident merged into it (directly or through a chain), each person taken as the root of its own
    merges — coalesce(person.merged_into, person), followed to the end of a chain — plus the group victims
    of the incident itself only. The groups of a merged duplicate are taken to be the same group reported
    by another source, so they are not added again.

    A person named in two violations of one incident counts once here, where `refresh_counts` (used when
    no merge is involved) counts victims per violation.
    """
    family = merged_family(Incident, incident.pk)
    person_ids = set(
        Victim.objects.filter(violation__incident_id__in=family).values_list("person_id", flat=True)
    )
    people = set(roots_of(Person, person_ids).values())
    grouped = GroupVictims.objects.filter(violation__incident_id=incident.pk).aggregate(
        n=Sum("women") + Sum("men") + Sum("girls") + Sum("boys") + Sum("unknown")
    )["n"]
    count = len(people) + (grouped or 0)
    Incident.objects.filter(pk=incident.pk).update(victim_count=count)
    incident.victim_count = count
    return count


def refresh_counts(incident: Incident) -> None:
    """Victims are counted once per violation; a survivor of merged duplicates counts distinct people.

    The list filters' bits (facets.py) are refreshed here too: every change to violations comes through;
    and the statistics' victims aggregate of its violations (the triggers marked what changed)."""
    facets.refresh([incident.pk])
    aggregates.refresh_incidents([incident.pk])
    if Incident.objects.filter(merged_into=incident).exists():
        recount_after_merge(incident)
        return
    violations = Violation.objects.filter(incident=incident)
    individual = Victim.objects.filter(violation__incident=incident).count()
    grouped = GroupVictims.objects.filter(violation__incident=incident).aggregate(
        n=Sum("women") + Sum("men") + Sum("girls") + Sum("boys") + Sum("unknown")
    )["n"]
    Incident.objects.filter(pk=incident.pk).update(
        violation_count=violations.count(), victim_count=individual + (grouped or 0)
    )


@transaction.atomic
def save_incident(incident: Incident, user: Any, *, created: bool) -> Incident:
    if created:
        incident.created_by = user
        incident.organisation = incident.organisation if incident.organisation_id else user.organisation
    incident.save()
    audit.record(Action.CREATE if created else Action.CHANGE, user=user, obj=incident)
    return incident


@transaction.atomic
def add_violation(incident: Incident, user: Any, violation: Violation, methods: list) -> Violation:
    violation.incident = incident
    violation.save()
    violation.methods.set(methods)
    refresh_counts(incident)
    audit.record(Action.CHANGE, user=user, obj=incident, added="violation", violation=violation.pk)
    return violation


@transaction.atomic
def remove_violation(violation: Violation, user: Any) -> None:
    incident = violation.incident
    pk = violation.pk
    violation.delete()
    refresh_counts(incident)
    audit.record(Action.CHANGE, user=user, obj=incident, removed="violation", violation=pk)


@transaction.atomic
def add_victim(violation: Violation, user: Any, person: Person, victim: Victim, categories: list) -> Victim:
    incident = violation.incident
    if person.pk is None:
        person.organisation = incident.organisation
        person.confidentiality = incident.confidentiality
        person.created_by = user
    person.save()
    person.categories.set(categories)
    victim.violation = violation
    victim.person = person
    victim.save()
    refresh_counts(incident)
    audit.record(Action.CHANGE, user=user, obj=incident, added="victim", person=person.public_id)
    return victim


@transaction.atomic
def add_group(violation: Violation, user: Any, group: GroupVictims) -> GroupVictims:
    group.violation = violation
    group.save()
    refresh_counts(violation.incident)
    audit.record(Action.CHANGE, user=user, obj=violation.incident, added="group", total=group.total)
    return group


@transaction.atomic
def add_perpetrator(violation: Violation, user: Any, perpetrator: Perpetrator) -> Perpetrator:
    perpetrator.violation = violation
    if perpetrator.category_id is None and perpetrator.actor_id:
        perpetrator.category = perpetrator.actor.category
    perpetrator.save()
    facets.refresh([violation.incident_id])
    audit.record(
        Action.CHANGE, user=user, obj=violation.incident, added="perpetrator", actor=perpetrator.actor_id
    )
    return perpetrator


@transaction.atomic
def add_source(incident: Incident, user: Any, source: Source) -> Source:
    source.incident = incident
    source.save()
    audit.record(Action.CHANGE, user=user, obj=incident, added="source", source=source.pk)
    return source


@transaction.atomic
def remove_part(part: Victim | GroupVictims | Perpetrator | Source, user: Any) -> None:
    incident = part.incident if isinstance(part, Source) else part.violation.incident
    kind = part._meta.model_name
    part.delete()
    refresh_counts(incident)
    audit.record(Action.CHANGE, user=user, obj=incident, removed=kind)


def submission_problems(incident: Incident) -> list[str]:
    """What stops an incident from being submitted, in words a monitor can act on."""
    problems = []
    violations = list(
        incident.violations.select_related("type").annotate(
            n_victims=Count("victims"), n_groups=Count("groups")
        )
    )
    if not violations:
        problems.append(_("L'incident n'a aucune violation : ajoutez au moins une violation ou atteinte."))
    for violation in violations:
        if violation.counted_by == CountedBy.VICTIM and not violation.n_victims and not violation.n_groups:
            problems.append(
                _("« %(type)s » n'a ni victime ni nombre de victimes : ajoutez une victime ou un groupe.")
                % {"type": violation.type.label}
            )
    return problems


def submission_warnings(incident: Incident) -> list[str]:
    """What is missing but does not forbid submitting: the monitor confirms knowingly."""
    warnings = []
    if not incident.sources.exists():
        warnings.append(_("Aucune source : d'où vient l'information ? Ajoutez au moins une source."))
    unnamed = sum(
        1
        for victim in Victim.objects.filter(violation__incident=incident).select_related("person")
        if not (victim.person.full_name or victim.person.other_names)
    )
    if unnamed:
        warnings.append(
            ngettext(
                "%(n)s victime sans nom ni signalement.",
                "%(n)s victimes sans nom ni signalement.",
                unnamed,
            )
            % {"n": unnamed}
        )
    return warnings


@transaction.atomic
def submit_incident(incident: Incident, user: Any) -> None:
    if incident.status != IncidentStatus.DRAFT:
        raise ValidationError(_("Seul un brouillon peut être soumis : cet incident l'a déjà été."))
    problems = submission_problems(incident)
    if problems:
        raise ValidationError(problems)
    incident.status = IncidentStatus.SUBMITTED
    incident.submitted_at = timezone.now()
    incident.save(update_fields=["status", "submitted_at", "updated_at"])
    audit.record(Action.SUBMIT, user=user, obj=incident)


@transaction.atomic
def verify_violation(violation: Violation, user: Any, status: str, standard: Any, note: str) -> Violation:
    if violation.incident.status == IncidentStatus.DRAFT:
        raise ValidationError(_("Un brouillon ne se vérifie pas : il doit d'abord être soumis."))
    if violation.incident.status == IncidentStatus.CLOSED:
        raise ValidationError(
            _("Cet incident est clôturé : rouvrez-le (avec un motif) pour changer une vérification.")
        )
    if status == VerificationStatus.VERIFIED and standard is None:
        raise ValidationError({"standard_of_proof": _("Indiquez le critère de preuve retenu pour vérifier.")})
    violation.verification_status = status
    violation.standard_of_proof = standard
    violation.verification_note = note
    violation.verified_by = user
    violation.verified_at = timezone.now()
    violation.save()
    incident = violation.incident
    facets.refresh([incident.pk])
    # Verifying the last violation does not close the incident: closing is its own, confirmed action
    # (close_incident), so that nobody closes a record by accident while new information may still come.
    incident.status = IncidentStatus.UNDER_VERIFICATION
    incident.save(update_fields=["status", "updated_at"])
    audit.record(
        Action.VERIFY,
        user=user,
        obj=incident,
        violation=violation.pk,
        status=status,
        standard=getattr(standard, "code", ""),
    )
    return violation


def ready_to_close(incident: Incident) -> bool:
    """Every violation has a final verification status (verified, not verified, did not occur)."""
    statuses = set(incident.violations.values_list("verification_status", flat=True))
    return bool(statuses) and statuses <= VerificationStatus.final()


@transaction.atomic
def close_incident(incident: Incident, user: Any) -> None:
    if incident.status == IncidentStatus.CLOSED:
        raise ValidationError(_("Cet incident est déjà clôturé."))
    if incident.status == IncidentStatus.DRAFT or not ready_to_close(incident):
        raise ValidationError(
            _(
                "Chaque violation doit d'abord avoir une vérification finale (vérifiée, non vérifiée ou non survenue)."
            )
        )
    incident.status = IncidentStatus.CLOSED
    incident.save(update_fields=["status", "updated_at"])
    audit.record(Action.CHANGE, user=user, obj=incident, status=IncidentStatus.CLOSED)


@transaction.atomic
def reopen_incident(incident: Incident, user: Any, reason: str) -> None:
    """A closed incident goes back to verification; the reason is kept in the audit log."""
    if incident.status != IncidentStatus.CLOSED:
        raise ValidationError(_("Seul un incident clôturé peut être rouvert."))
    incident.status = IncidentStatus.UNDER_VERIFICATION
    incident.save(update_fields=["status", "updated_at"])
    audit.record(
        Action.CHANGE, user=user, obj=incident, status=IncidentStatus.UNDER_VERIFICATION, reason=reason
    )


@transaction.atomic
def add_follow_up(incident: Incident, user: Any, source: Source) -> Source:
    """New information on a submitted or closed incident: kept as a source, flagged as a follow-up, and
    announced to the coordinators through the audit log, without reopening the record by itself."""
    source.incident = incident
    source.save()
    audit.record(Action.CHANGE, user=user, obj=incident, added="follow_up", source=source.pk)
    return source


@transaction.atomic
def share_incident(
    incident: Incident, user: Any, organisation: Any, include_identities: bool
) -> IncidentShare:
    share = IncidentShare.objects.create(
        incident=incident, organisation=organisation, include_identities=include_identities, granted_by=user
    )
    audit.record(
        Action.SHARE, user=user, obj=incident, organisation=organisation.code, identities=include_identities
    )
    return share


@transaction.atomic
def revoke_share(share: IncidentShare, user: Any) -> None:
    share.revoked_at = timezone.now()
    share.revoked_by = user
    share.save(update_fields=["revoked_at", "revoked_by"])
    audit.record(
        Action.SHARE, user=user, obj=share.incident, organisation=share.organisation.code, revoked=True
    )
