"""Who may see and change what. Every page, API route, export and statistic reads through these helpers.

One condition per line; each branch is tested in accounts/tests. Never fetch a protected record with
`Model.objects.get(pk=…)` in a view: use `get_incident_for_view` / `get_incident_for_edit`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from kurukan.audit import log as audit
from kurukan.audit.models import Action

from .models import Confidentiality, IncidentShare, Role

if TYPE_CHECKING:
    from kurukan.incidents.models import Incident

READ_LOGGED = {Confidentiality.RESTRICTED, Confidentiality.STRICTLY_CONFIDENTIAL}
RECORD_ROLES = {Role.MONITOR, Role.COORDINATOR}
NO_RECORD_ROLES = {Role.FOCAL_POINT}


def visible_incidents(user) -> QuerySet[Incident]:
    from kurukan.incidents.models import Incident, IncidentStatus

    qs = Incident.objects.all()
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.role == Role.ADMINISTRATOR:
        return qs
    if user.role in NO_RECORD_ROLES or user.organisation_id is None:
        return qs.none()
    shared_ids = list(
        IncidentShare.objects.filter(
            organisation_id=user.organisation_id, revoked_at__isnull=True
        ).values_list("incident_id", flat=True)
    )
    # Shares are few: a literal id list keeps the common case (no share) a plain indexed filter.
    if shared_ids:
        qs = qs.filter(Q(organisation_id=user.organisation_id) | Q(pk__in=shared_ids))
    else:
        qs = qs.filter(organisation_id=user.organisation_id)
    # Drafts belong to their author until submitted; coordinators see them to help.
    if user.role != Role.COORDINATOR:
        qs = qs.exclude(Q(status=IncidentStatus.DRAFT) & ~Q(created_by=user))
    # Strictly confidential records: their author and the organisation's coordinators only.
    if user.role != Role.COORDINATOR:
        qs = qs.exclude(Q(confidentiality=Confidentiality.STRICTLY_CONFIDENTIAL) & ~Q(created_by=user))
    return qs


def sees_identities(user, incident: Incident) -> bool:
    """Names, phone numbers and exact villages of restricted records are for recording roles only."""
    if user.role == Role.ADMINISTRATOR:
        return True
    if user.role not in RECORD_ROLES:
        return False
    if incident.organisation_id == user.organisation_id:
        return True
    return IncidentShare.objects.filter(
        incident=incident,
        organisation_id=user.organisation_id,
        revoked_at__isnull=True,
        include_identities=True,
    ).exists()


def can_share(user, incident: Incident) -> bool:
    """Coordinators share their organisation's submitted records; a draft is nobody's to share yet."""
    from kurukan.incidents.models import IncidentStatus

    if incident.status == IncidentStatus.DRAFT:
        return False
    if user.role == Role.ADMINISTRATOR:
        return True
    return user.role == Role.COORDINATOR and incident.organisation_id == user.organisation_id


def shows_exact_place(user, incident: Incident) -> bool:
    if sees_identities(user, incident):
        return True
    return incident.confidentiality in {Confidentiality.PUBLIC, Confidentiality.INTERNAL}


def get_incident_for_view(user, public_id: str) -> Incident:
    try:
        incident = (
            visible_incidents(user)
            .select_related("region", "cercle", "commune", "settlement", "organisation", "created_by")
            .get(public_id=public_id)
        )
    except visible_incidents(user).model.DoesNotExist as exc:
        raise Http404 from exc
    if incident.confidentiality in READ_LOGGED:
        audit.record(Action.VIEW, user=user, obj=incident, confidentiality=incident.confidentiality)
    return incident


def can_edit(user, incident: Incident) -> bool:
    from kurukan.incidents.models import IncidentStatus

    if user.role == Role.ADMINISTRATOR:
        return True
    if user.role not in RECORD_ROLES or incident.organisation_id != user.organisation_id:
        return False
    if user.role == Role.COORDINATOR:
        return True
    return incident.created_by_id == user.pk and incident.status in {
        IncidentStatus.DRAFT,
        IncidentStatus.SUBMITTED,
    }


def get_incident_for_edit(user, public_id: str) -> Incident:
    incident = get_incident_for_view(user, public_id)
    if not can_edit(user, incident):
        raise PermissionDenied
    return incident


def can_verify(user, incident: Incident) -> bool:
    if user.role == Role.ADMINISTRATOR:
        return True
    return user.role == Role.COORDINATOR and incident.organisation_id == user.organisation_id


def can_create(user) -> bool:
    return (
        user.is_authenticated
        and user.organisation_id is not None
        and user.role in RECORD_ROLES | {Role.ADMINISTRATOR}
    )


# --- Schools: shared reference data; their history entries belong to the organisation that recorded them.


def visible_schools(user) -> QuerySet:
    """Schools are not confidential: every signed-in, active user reads the register."""
    from kurukan.schools.models import School

    if not user.is_authenticated or not user.is_active:
        return School.objects.none()
    return School.objects.all()


def get_school_for_view(user, code: str):
    school = (
        visible_schools(user)
        .select_related("region", "cercle", "commune", "settlement", "level", "management")
        .filter(code=code)
        .first()
    )
    if school is None:
        raise Http404
    return school


def can_record_schools(user) -> bool:
    """Adding a school or a status change is recording: an entry needs an organisation to belong to."""
    return can_create(user)


def sees_status_source(user, change) -> bool:
    """Where a status change came from is the recording organisation's working note, not reference data."""
    if user.role == Role.ADMINISTRATOR:
        return True
    return user.organisation_id is not None and change.organisation_id == user.organisation_id


def school_violations(user, school) -> QuerySet:
    """The violations linked to a school, as far as the reader may see their incidents."""
    from kurukan.incidents.models import Violation

    return Violation.objects.filter(school=school, incident__in=visible_incidents(user))
