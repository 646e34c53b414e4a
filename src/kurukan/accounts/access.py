"""Who may see and change what. Every page, API route, export and statistic reads through these helpers.

One condition per line; each branch is tested in accounts/tests. Never fetch a protected record with
`Model.objects.get(pk=…)` in a view: use `get_incident_for_view` / `get_incident_for_edit`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from kurukan.audit import log as audit
from kurukan.audit.models import Action

from .models import Confidentiality, CountShare, IncidentShare, Organisation, Role

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


def public_incidents() -> QuerySet[Incident]:
    """Incidents that may enter public figures (always counted, never shown one by one): public and internal
    records, and restricted or strictly confidential ones of organisations that chose to let them in."""
    from kurukan.incidents.models import Incident

    return Incident.objects.filter(
        Q(confidentiality__in=[Confidentiality.PUBLIC, Confidentiality.INTERNAL])
        | Q(organisation__public_figures_include_confidential=True)
    )


def organisations_sharing_counts_with(user) -> QuerySet[Organisation]:
    """Organisations whose counts (never records) the user's organisation may read, small cells suppressed."""
    if not user.is_authenticated or user.organisation_id is None:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        pk__in=CountShare.objects.filter(shared_with_id=user.organisation_id, revoked_at__isnull=True).values(
            "organisation_id"
        )
    ).exclude(pk=user.organisation_id)


def can_share_counts(user) -> bool:
    """Coordinators decide for their organisation; administrators for the organisation they belong to."""
    return user.organisation_id is not None and user.role in {Role.COORDINATOR, Role.ADMINISTRATOR}


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


class OwnedRow(Protocol):
    """What IdentityRule reads of an incident: an Incident, or an export's row of values."""

    pk: int
    organisation_id: int
    confidentiality: str


class IdentityRule:
    """`sees_identities` and `shows_exact_place` for many incidents at once (exports): the shares that carry
    identities to the user's organisation are read once, not once per incident."""

    def __init__(self, user) -> None:
        self.everything = user.role == Role.ADMINISTRATOR
        self.nothing = not self.everything and user.role not in RECORD_ROLES
        self.organisation_id = user.organisation_id
        self.shared: set[int] = set()
        if not self.everything and not self.nothing:
            self.shared = set(
                IncidentShare.objects.filter(
                    organisation_id=user.organisation_id, revoked_at__isnull=True, include_identities=True
                ).values_list("incident_id", flat=True)
            )

    def sees_identities(self, incident: OwnedRow) -> bool:
        if self.everything:
            return True
        if self.nothing:
            return False
        return incident.organisation_id == self.organisation_id or incident.pk in self.shared

    def shows_exact_place(self, incident: OwnedRow) -> bool:
        if self.sees_identities(incident):
            return True
        return incident.confidentiality in {Confidentiality.PUBLIC, Confidentiality.INTERNAL}


def can_export_identities(user) -> bool:
    """Lists of victims' names are for the roles that record them; even they must give a reason."""
    return user.is_authenticated and user.role in RECORD_ROLES | {Role.ADMINISTRATOR}


# --- Imports (kurukan.imports) ------------------------------------------------------------------------------
# An import writes many records at once into one organisation, and its quarantine shows rows as they were
# written (names included): coordinators of that organisation and administrators only.


def can_import(user) -> bool:
    if not user.is_authenticated:
        return False
    if user.role == Role.ADMINISTRATOR:
        return True
    return user.role == Role.COORDINATOR and user.organisation_id is not None


def visible_import_jobs(user):
    from kurukan.imports.models import ImportJob

    if not can_import(user):
        return ImportJob.objects.none()
    if user.role == Role.ADMINISTRATOR:
        return ImportJob.objects.all()
    return ImportJob.objects.filter(organisation_id=user.organisation_id)


def get_import_job_for_user(user, job_id: int):
    """The job, its progress and its quarantine; 404 for a job of another organisation."""
    if not can_import(user):
        raise PermissionDenied
    job = visible_import_jobs(user).select_related("organisation", "requested_by").filter(pk=job_id).first()
    if job is None:
        raise Http404
    return job


# --- recommendations follow-up -------------------------------------------------------------------------
# Recommendations are public documents: every signed-in user reads them, except follow-up focal points,
# who work only on what is assigned to their institution (and never see an incident, above).
FOLLOW_UP_MANAGERS = {Role.ADMINISTRATOR, Role.COORDINATOR}


def visible_recommendations(user):
    from kurukan.recommendations.models import Recommendation

    qs = Recommendation.objects.all()
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.role == Role.FOCAL_POINT:
        return qs.filter(pk__in=Recommendation.objects.filter(institutions__focal_points=user).values("pk"))
    return qs


def manages_recommendations(user) -> bool:
    """Import documents, assign institutions, define indicators, confirm similar pairs."""
    return user.is_authenticated and user.role in FOLLOW_UP_MANAGERS


def can_follow_up(user, recommendation) -> bool:
    """Record measures and assessments: managers, and the focal points of an assigned institution."""
    if manages_recommendations(user):
        return True
    if user.role != Role.FOCAL_POINT:
        return False
    return recommendation.institutions.filter(focal_points=user).exists()


def follow_up_institutions(user, recommendation):
    """The institutions a user may record a measure for on this recommendation."""
    from kurukan.recommendations.models import Institution

    if manages_recommendations(user):
        return Institution.objects.all()
    return recommendation.institutions.filter(focal_points=user)


def get_recommendation_for_view(user, pk: int):
    try:
        return visible_recommendations(user).select_related("document").get(pk=pk)
    except visible_recommendations(user).model.DoesNotExist as exc:
        raise Http404 from exc


def get_recommendation_for_follow_up(user, pk: int):
    recommendation = get_recommendation_for_view(user, pk)
    if not can_follow_up(user, recommendation):
        raise PermissionDenied
    return recommendation


def require_recommendation_manager(user) -> None:
    if not manages_recommendations(user):
        raise PermissionDenied


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


# --- form-server connections (imports; branch intake) ---------------------------------------------------
def visible_server_connections(user):
    """Saved KoboToolbox / ODK Central connections: an importer's own organisation's, all for administrators."""
    from kurukan.imports.models import ServerConnection

    if not can_import(user):
        return ServerConnection.objects.none()
    if user.role == Role.ADMINISTRATOR:
        return ServerConnection.objects.all()
    return ServerConnection.objects.filter(organisation_id=user.organisation_id)


def get_server_connection_for_user(user, connection_id: int):
    """The connection (its credentials open the organisation's submissions); 404 for another organisation's."""
    if not can_import(user):
        raise PermissionDenied
    found = (
        visible_server_connections(user)
        .select_related("organisation", "last_job")
        .filter(pk=connection_id)
        .first()
    )
    if found is None:
        raise Http404
    return found


def visible_column_mappings(user):
    """Column mappings saved per form: an importer's own organisation's, all for administrators."""
    from kurukan.imports.models import ColumnMapping

    if not can_import(user):
        return ColumnMapping.objects.none()
    if user.role == Role.ADMINISTRATOR:
        return ColumnMapping.objects.all()
    return ColumnMapping.objects.filter(organisation_id=user.organisation_id)
