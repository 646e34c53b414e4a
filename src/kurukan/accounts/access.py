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


def exact_place_ids(user, incidents: list[Incident]) -> set[int]:
    """`shows_exact_place` for a page of incidents at once (one query for the shares, not one per row)."""
    open_levels = {Confidentiality.PUBLIC, Confidentiality.INTERNAL}
    exact = {i.pk for i in incidents if i.confidentiality in open_levels}
    guarded = [i for i in incidents if i.pk not in exact]
    if not guarded or user.role not in RECORD_ROLES | {Role.ADMINISTRATOR}:
        return exact
    if user.role == Role.ADMINISTRATOR:
        return exact | {i.pk for i in guarded}
    exact |= {i.pk for i in guarded if i.organisation_id == user.organisation_id}
    shared = IncidentShare.objects.filter(
        incident_id__in=[i.pk for i in guarded],
        organisation_id=user.organisation_id,
        revoked_at__isnull=True,
        include_identities=True,
    ).values_list("incident_id", flat=True)
    return exact | set(shared)


def identities_condition(user) -> Q:
    """The incidents whose identities (names, exact places, free titles) this user sees, as a condition
    for a query: the same rule as `sees_identities`, for searches that must not match what is hidden."""
    if user.role == Role.ADMINISTRATOR:
        return Q(pk__isnull=False)
    if user.role not in RECORD_ROLES:
        return Q(pk__in=[])
    shared = IncidentShare.objects.filter(
        organisation_id=user.organisation_id, revoked_at__isnull=True, include_identities=True
    ).values("incident_id")
    return Q(organisation_id=user.organisation_id) | Q(pk__in=shared)


def may_search_names(user) -> bool:
    """Only roles that see identities may look a person up by name (through the blind index)."""
    return user.is_authenticated and user.role in RECORD_ROLES | {Role.ADMINISTRATOR}


def may_follow_up(user, incident: Incident) -> bool:
    """New information on a submitted, verified or closed record: whoever records and sees its identities."""
    from kurukan.incidents.models import IncidentStatus

    if incident.status == IncidentStatus.DRAFT:
        return False
    if user.role not in RECORD_ROLES | {Role.ADMINISTRATOR}:
        return False
    return sees_identities(user, incident)


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
