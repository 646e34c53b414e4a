"""Who may see and change what. Every page, API route, export and statistic reads through these helpers.

One condition per line; each branch is tested in accounts/tests. Never fetch a protected record with
`Model.objects.get(pk=…)` in a view: use `get_incident_for_view` / `get_incident_for_edit`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from kurukan.audit import log as audit
from kurukan.audit.models import Action

from .models import Confidentiality, CountShare, IncidentShare, Organisation, Role

if TYPE_CHECKING:
    from kurukan.incidents.models import Incident

READ_LOGGED = {Confidentiality.RESTRICTED, Confidentiality.STRICTLY_CONFIDENTIAL}
RECORD_ROLES = {Role.MONITOR, Role.COORDINATOR, Role.PROTECTION_SPECIALIST}
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


# --- Need-to-know (branch protection, issue #15) --------------------------------------------------------------
# A record with a sexual-violence violation or a named child victim is sensitive: its victims' identities,
# its narrative and its exact place are for its author, the users its coordinator names on it
# (Incident.need_to_know) and the GBV / child-protection specialists (Role.PROTECTION_SPECIALIST). Every other
# reader, monitors, coordinators and administrators included, sees it de-identified, in lists and statistics
# too: an administrator manages the record (its named users, its sharing) without knowing who the survivor
# is, unless a coordinator names them on it. Sensitivity is read from the record, never stored.
CLEARED_ROLES = {Role.PROTECTION_SPECIALIST}
SENSITIVE_TYPE_GROUP = "sexual"  # the violation-type vocabulary's group for conflict-related sexual violence
CHILD_AGE = 18


def sensitive_violations() -> Q:
    """The condition, on violations, that makes their incident sensitive."""
    return (
        Q(type__code=SENSITIVE_TYPE_GROUP)
        | Q(type__parent__code=SENSITIVE_TYPE_GROUP)
        | Q(victims__age_at_time__lt=CHILD_AGE)
    )


def sensitive_incident_ids(among: list[int] | None = None):
    """The ids of sensitive incidents, as a subquery; `among` a page of ids, the subquery reads their
    violations only (unbounded, SQLite read every violation with its victims: 1.5–3 s a page at 100 k)."""
    from kurukan.incidents.models import Violation

    violations = Violation.objects.filter(sensitive_violations())
    if among is not None:
        violations = violations.filter(incident_id__in=among)
    return violations.values("incident_id")


class RowByRowExists(Exists):
    """EXISTS, asked of each row the outer query reads, never answered by building the whole set first.

    PostgreSQL may turn a correlated EXISTS into a hashed `id IN (…)` set, and chooses so from the rows it
    expects the outer scan to read, blind to the LIMIT that stops a list page or a capped count after a few
    hundred: the free-text search for a frequent word hashed every violation with its victims (364 k rows,
    230 ms at 100 k incidents) to answer for the 650 rows a page read. `OFFSET 0` keeps the subquery as it is
    written (the planner only flattens an EXISTS without one); SQLite already asks row by row."""

    def as_postgresql(self, compiler, connection, template=None, **extra_context):
        return self.as_sql(compiler, connection, template="EXISTS(%(subquery)s OFFSET 0)", **extra_context)


def _is_sensitive_row() -> Exists:
    """The sensitive-incident condition on the incident of the outer query (a correlated EXISTS)."""
    from kurukan.incidents.models import Violation

    return RowByRowExists(Violation.objects.filter(sensitive_violations(), incident_id=OuterRef("pk")))


def is_sensitive(incident: OwnedRow) -> bool:
    """Read once per incident object (a page asks several times)."""
    from kurukan.incidents.models import Violation

    cached = getattr(incident, "_kurukan_sensitive", None)
    if cached is None:
        cached = Violation.objects.filter(sensitive_violations(), incident_id=incident.pk).exists()
        try:
            incident._kurukan_sensitive = cached  # type: ignore[attr-defined]
        except AttributeError:
            pass
    return cached


def note_sensitivity(incident: Incident, violations: list) -> None:
    """Record `is_sensitive` from violations already read with their types and victims (saves a query)."""
    incident._kurukan_sensitive = any(  # type: ignore[attr-defined]
        v.type.code == SENSITIVE_TYPE_GROUP
        or (v.type.parent is not None and v.type.parent.code == SENSITIVE_TYPE_GROUP)
        or any(
            victim.age_at_time is not None and victim.age_at_time < CHILD_AGE for victim in v.victims.all()
        )
        for v in violations
    )


def cleared_for(user, incident: OwnedRow) -> bool:
    """Whether the user is among those who may know who the victims of a sensitive record are."""
    if user.role in CLEARED_ROLES:
        return True
    if user.pk is None:  # the console's operator (`kurukan export` without --user) is named on nothing
        return False
    if getattr(incident, "created_by_id", None) == user.pk:
        return True
    from kurukan.incidents.models import Incident

    return _memo(
        incident,
        "_kurukan_cleared",
        user.pk,
        lambda: Incident.need_to_know.through.objects.filter(
            incident_id=incident.pk, user_id=user.pk
        ).exists(),
    )


def _memo(row: OwnedRow, attribute: str, key: int | None, compute: Callable[[], bool]) -> bool:
    """Remember on the incident object, per user, a check a page makes several times (one query, not five).
    Like `is_sensitive`, it lives as long as the object: one request, or a fresh read after a change."""
    memo = getattr(row, attribute, None)
    if memo is None:
        memo = {}
        try:
            setattr(row, attribute, memo)
        except AttributeError:
            return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def cleared_condition(user) -> Q:
    """`cleared_for` as a condition on incidents, on the row itself: its author's column, or its id among the
    few the user is named on. Used as `pk IN (incidents cleared for the user)`, PostgreSQL read every incident
    to build that set (its author OR a need-to-know row: no index serves the OR across the join), 92 ms at
    300 k incidents for a search that then checked 12 rows."""
    from kurukan.incidents.models import Incident

    if user.role in CLEARED_ROLES:
        return Q(pk__isnull=False)
    if user.pk is None:  # `created_by_id=None` would match every record without an author
        return Q(pk__in=[])
    named = Incident.need_to_know.through.objects.filter(user_id=user.pk).values("incident_id")
    return Q(created_by_id=user.pk) | Q(pk__in=named)


def need_to_know_allows(user, incident: OwnedRow) -> bool:
    """True unless the record is sensitive and the user is not cleared for it."""
    return not is_sensitive(incident) or cleared_for(user, incident)


def can_name_on_record(user, incident: Incident) -> bool:
    """The coordinator of the owning organisation (or an administrator) names who may see a sensitive record."""
    return can_verify(user, incident)


def sees_identities(user, incident: Incident) -> bool:
    """Names, phone numbers and exact villages of restricted records are for recording roles only; on a
    sensitive record, only for those cleared for it (need-to-know, above)."""
    return sees_identities_by_role(user, incident) and need_to_know_allows(user, incident)


def sees_identities_by_role(user, incident: Incident) -> bool:
    """`sees_identities` before need-to-know: the role, the organisation and the shares only."""
    if user.role == Role.ADMINISTRATOR:
        return True
    if user.role not in RECORD_ROLES:
        return False
    if incident.organisation_id == user.organisation_id:
        return True
    return _memo(
        incident,
        "_kurukan_shared_identities",
        user.organisation_id,
        lambda: IncidentShare.objects.filter(
            incident=incident,
            organisation_id=user.organisation_id,
            revoked_at__isnull=True,
            include_identities=True,
        ).exists(),
    )


def receives_through_share(user, incident: OwnedRow) -> bool:
    """The user sees this record's identities only because a share with identities carries them to their
    organisation (not as its owner, not as an administrator): each person's consent then decides."""
    if user.role == Role.ADMINISTRATOR or user.role not in RECORD_ROLES:
        return False
    return incident.organisation_id != user.organisation_id


def persons_named(user, incident: OwnedRow, person_ids: set[int]) -> set[int]:
    """Of the persons of a record whose identities the user sees (`sees_identities`), those whose identity
    may reach this user: all of them for the owning organisation; through a share with identities, only
    those who consented to sharing with the receiving organisation — with the United Nations when it is a UN
    entity (kurukan.people.consent; legacy records without an answer follow KURUKAN_CONSENT_DEFAULT)."""
    if not receives_through_share(user, incident):
        return set(person_ids)
    from kurukan.people.consent import persons_allowing_share

    return persons_allowing_share(set(person_ids), user.organisation_id)


def sees_every_identity(user, incident: Incident) -> bool:
    """`sees_identities`, and through a share every person of the record consented to it: for what cannot
    be cut person by person (evidence files and their descriptions, which may show anyone of the record)."""
    if not sees_identities(user, incident):
        return False
    if not receives_through_share(user, incident):
        return True
    from kurukan.incidents.models import Source, Victim

    persons = set(Victim.objects.filter(violation__incident=incident).values_list("person_id", flat=True))
    persons |= set(
        Source.objects.filter(incident=incident, person__isnull=False).values_list("person_id", flat=True)
    )
    return persons_named(user, incident, persons) == persons


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
    if incident.confidentiality not in {Confidentiality.PUBLIC, Confidentiality.INTERNAL}:
        return False
    return need_to_know_allows(user, incident)  # a sensitive record's village can point at a survivor


def exact_place_ids(user, incidents: list[Incident]) -> set[int]:
    """`shows_exact_place` for a page of incidents at once (one query for the shares, not one per row)."""
    if user.role == Role.ADMINISTRATOR:
        return {i.pk for i in incidents} - _uncleared_sensitive(user, incidents)
    return _exact_place_ids(user, incidents) - _uncleared_sensitive(user, incidents)


def _uncleared_sensitive(user, incidents: list[Incident]) -> set[int]:
    """The sensitive incidents among these whose identities and exact place the user is not cleared for."""
    from kurukan.incidents.models import Incident as IncidentModel

    ids = [i.pk for i in incidents]
    if not ids or user.role in CLEARED_ROLES:
        return set()
    sensitive = IncidentModel.objects.filter(pk__in=ids).filter(pk__in=sensitive_incident_ids(ids))
    return set(sensitive.exclude(cleared_condition(user)).values_list("pk", flat=True))


def _exact_place_ids(user, incidents: list[Incident]) -> set[int]:
    open_levels = {Confidentiality.PUBLIC, Confidentiality.INTERNAL}
    exact = {i.pk for i in incidents if i.confidentiality in open_levels}
    guarded = [i for i in incidents if i.pk not in exact]
    if not guarded or user.role not in RECORD_ROLES:
        return exact
    exact |= {i.pk for i in guarded if i.organisation_id == user.organisation_id}
    others = [i.pk for i in guarded if i.pk not in exact]
    if not others:  # only the organisation's own records: no share to look up
        return exact
    shared = IncidentShare.objects.filter(
        incident_id__in=others,
        organisation_id=user.organisation_id,
        revoked_at__isnull=True,
        include_identities=True,
    ).values_list("incident_id", flat=True)
    return exact | set(shared)


def identities_condition(user) -> Q:
    """The incidents whose identities (names, exact places, free titles) this user sees, as a condition
    for a query: the same rule as `sees_identities`, for searches that must not match what is hidden."""
    # Correlated per candidate incident: an unbounded `pk IN (sensitive ids)` read every violation with its
    # victims (9.7 s for a free-text search at 100 k incidents on SQLite).
    uncleared = Q(_is_sensitive_row()) & ~cleared_condition(user)
    if user.role == Role.ADMINISTRATOR:
        return ~uncleared
    if user.role not in RECORD_ROLES:
        return Q(pk__in=[])
    shared = IncidentShare.objects.filter(
        organisation_id=user.organisation_id, revoked_at__isnull=True, include_identities=True
    ).values("incident_id")
    by_role = Q(organisation_id=user.organisation_id) | Q(pk__in=shared)
    if user.role in CLEARED_ROLES:
        return by_role
    return by_role & ~uncleared


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
            .defer("region__geometry", "cercle__geometry", "commune__geometry")  # boundaries are for maps
            .get(public_id=public_id)
        )
    except visible_incidents(user).model.DoesNotExist as exc:
        raise Http404 from exc
    if incident.confidentiality in READ_LOGGED:
        audit.record(Action.VIEW, user=user, obj=incident, confidentiality=incident.confidentiality)
    return incident


def can_edit(user, incident: Incident) -> bool:
    from kurukan.incidents.models import IncidentStatus

    # The edit page shows the narrative and the victims: on a sensitive record, only for those cleared.
    if not need_to_know_allows(user, incident):
        return False
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
        self.user = user
        self.everything = user.role == Role.ADMINISTRATOR
        self.nothing = not self.everything and user.role not in RECORD_ROLES
        self.organisation_id = user.organisation_id
        self.shared: set[int] = set()
        self.checked: set[int] = set()
        self.uncleared: set[int] = set()
        if not self.everything and not self.nothing:
            self.shared = set(
                IncidentShare.objects.filter(
                    organisation_id=user.organisation_id, revoked_at__isnull=True, include_identities=True
                ).values_list("incident_id", flat=True)
            )

    def prepare(self, incident_ids: list[int]) -> None:
        """Read at once which of these incidents are sensitive and not cleared for the user (need-to-know)."""
        if self.user.role in CLEARED_ROLES:
            return
        from kurukan.incidents.models import Incident

        self.checked |= set(incident_ids)
        sensitive = Incident.objects.filter(pk__in=incident_ids).filter(
            pk__in=sensitive_incident_ids(incident_ids)
        )
        self.uncleared |= set(sensitive.exclude(cleared_condition(self.user)).values_list("pk", flat=True))

    def _uncleared(self, incident: OwnedRow) -> bool:
        if self.nothing or self.user.role in CLEARED_ROLES:
            return False
        if incident.pk not in self.checked:
            self.prepare([incident.pk])
        return incident.pk in self.uncleared

    def sees_identities(self, incident: OwnedRow) -> bool:
        if self.everything:
            return not self._uncleared(incident)  # need-to-know binds administrators too
        if self.nothing:
            return False
        by_role = incident.organisation_id == self.organisation_id or incident.pk in self.shared
        return by_role and not self._uncleared(incident)

    def persons_named(self, incident: OwnedRow, person_ids: set[int]) -> set[int]:
        """`access.persons_named` for an export's row: consent decides for shared records."""
        if not self.sees_identities(incident):
            return set()
        return persons_named(self.user, incident, person_ids)

    def shows_exact_place(self, incident: OwnedRow) -> bool:
        if self.sees_identities(incident):
            return True
        if incident.confidentiality not in {Confidentiality.PUBLIC, Confidentiality.INTERNAL}:
            return False
        return not self._uncleared(incident)


def can_export_identities(user) -> bool:
    """Lists of victims' names are for the roles that record them; even they must give a reason."""
    return user.is_authenticated and user.role in RECORD_ROLES | {Role.ADMINISTRATOR}


# --- Any register: one function for every record kind -------------------------------------------------------
# Judicial cases, interventions, reparation claims… each new register reads through `visible(user, Model)`
# instead of copying `visible_incidents`. A model says which kind of record it is by what it declares:
#   - `Incident` itself: `visible_incidents`.
#   - derived from incidents: `incident_path = "incident"` (Violation), `"violation__incident"` (Victim)…;
#     a row is visible when its incident is.
#   - owned by an organisation (an `OwnedRecord`): the rule below; and when it links incidents
#     (`linked_incidents = "violations__incident"`), only when the reader may see EVERY incident it links:
#     a case about a strictly confidential killing must not show to someone kept from that record.
OPEN_LEVELS = {Confidentiality.PUBLIC, Confidentiality.INTERNAL}
# The incident apps' own records, named here so that their models need not know about access.
INCIDENT_PATHS = {
    "incidents.violation": "incident",
    "incidents.victim": "violation__incident",
    "incidents.groupvictims": "violation__incident",
    "incidents.perpetrator": "violation__incident",
    "incidents.source": "incident",
}


def visible(user, model) -> QuerySet:
    """The rows of `model` this user may read: the one read path for every register (see above)."""
    from kurukan.incidents.models import Incident

    from .models import OwnedRecord

    if model is Incident:
        return visible_incidents(user)
    incident_path = getattr(model, "incident_path", None) or INCIDENT_PATHS.get(model._meta.label_lower)
    if incident_path:
        return model.objects.filter(**{f"{incident_path}__in": visible_incidents(user).values("pk")})
    if not issubclass(model, OwnedRecord):
        raise TypeError(f"{model.__name__} is neither owned by an organisation nor derived from incidents")
    qs = _visible_owned(user, model.objects.all())
    linked = getattr(model, "linked_incidents", None)
    if linked and user.role != Role.ADMINISTRATOR:
        hidden = Incident.objects.exclude(pk__in=visible_incidents(user).values("pk")).values("pk")
        qs = qs.exclude(**{f"{linked}__in": hidden})
    return qs


def _visible_owned(user, qs: QuerySet) -> QuerySet:
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.role == Role.ADMINISTRATOR:
        return qs
    if user.role in NO_RECORD_ROLES or user.organisation_id is None:
        return qs.none()
    qs = qs.filter(organisation_id=user.organisation_id)
    # Restricted records name people: analysts and viewers, who work de-identified, never open them.
    if user.role not in RECORD_ROLES:
        qs = qs.filter(confidentiality__in=OPEN_LEVELS)
    # Strictly confidential: their author and the organisation's coordinators only (as incidents).
    if user.role != Role.COORDINATOR:
        qs = qs.exclude(Q(confidentiality=Confidentiality.STRICTLY_CONFIDENTIAL) & ~Q(created_by=user))
    return qs


def get_for_view(user, model, **lookup):
    """One row of any register, or 404 when the user may not see it; restricted reads go to the audit log."""
    row = visible(user, model).filter(**lookup).first()
    if row is None:
        raise Http404
    if getattr(row, "confidentiality", None) in READ_LOGGED:
        audit.record(Action.VIEW, user=user, obj=row, confidentiality=row.confidentiality)
    return row


def may_record(user) -> bool:
    """Open a register's record (a case, an intervention) for one's organisation: the recording roles."""
    return can_create(user)


def chases_up_interventions(user) -> bool:
    """The overdue interventions of the organisation are the coordinators' to chase up (and administrators')."""
    return user.is_authenticated and user.role in {Role.COORDINATOR, Role.ADMINISTRATOR}


def get_for_edit(user, model, **lookup):
    """A row the user may see and change: recording roles of its organisation (administrators: any)."""
    row = get_for_view(user, model, **lookup)
    if not may_record(user):
        raise PermissionDenied
    return row


# The registers' helpers (kurukan.accounts.register_access), read as `access.<helper>` like the rest.
from .register_access import (  # noqa: E402, F401 — re-exported
    CLAIM_DECIDERS,
    FOLLOW_UP_MANAGERS,
    REPORT_PUBLISHERS,
    _records_counted_by,
    can_decide_claim,
    can_erase_identity,
    can_follow_up,
    can_import,
    can_record_consent,
    can_record_schools,
    can_request_reports,
    claimable_violations,
    follow_up_institutions,
    get_claim_for_decision,
    get_claim_for_view,
    get_import_job_for_user,
    get_person_for_claim,
    get_person_for_view,
    get_recommendation_for_follow_up,
    get_recommendation_for_view,
    get_report_for_user,
    get_school_for_view,
    get_server_connection_for_user,
    manages_recommendations,
    may_handle_claims,
    may_open_import_jobs,
    may_publish_report,
    may_read_claim_figures,
    may_read_report,
    person_incidents,
    require_recommendation_manager,
    school_violations,
    sees_person_identity,
    sees_status_source,
    visible_claims,
    visible_column_mappings,
    visible_import_jobs,
    visible_recommendations,
    visible_reports,
    visible_schools,
    visible_server_connections,
)
