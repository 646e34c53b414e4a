"""Access to the registers that hang on incidents and organisations: import jobs and their connections,
recommendations follow-up, schools, reports, reparation claims and the person's file.

Split from kurukan.accounts.access by concept; that module re-exports every name here, so callers keep
reading `access.<helper>`. The incident rules these build on live there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from kurukan.audit import log as audit
from kurukan.audit.models import Action

# Read through kurukan.accounts.access (which imports this module last), never imported first on its own.
from .access import (
    READ_LOGGED,
    RECORD_ROLES,
    can_create,
    identities_condition,
    persons_named,
    sees_identities,
    visible_incidents,
)
from .models import Role

if TYPE_CHECKING:
    from kurukan.incidents.models import Incident

# --- Imports (kurukan.imports) ------------------------------------------------------------------------------
# An import writes many records at once into one organisation, and its quarantine shows rows as they were
# written (names included): coordinators of that organisation and administrators only.


def can_import(user) -> bool:
    if not user.is_authenticated:
        return False
    if user.role == Role.ADMINISTRATOR:
        return True
    return user.role == Role.COORDINATOR and user.organisation_id is not None


# Registers (kurukan.imports.registers) go through the same jobs and quarantine. Their rows hold no person:
# a schools list belongs to the importer's organisation and is read by its recorders (who may import one);
# a recommendations table belongs to no organisation and is read by those who manage recommendations.
SCHOOLS_FORMAT, RECOMMENDATIONS_FORMAT = "schools", "recommendations"


def may_open_import_jobs(user) -> bool:
    """Anyone who may start some import: incident files, a schools list or a recommendations table."""
    return can_import(user) or can_record_schools(user) or manages_recommendations(user)


def visible_import_jobs(user):
    from kurukan.imports.models import ImportJob

    if not user.is_authenticated or not may_open_import_jobs(user):
        return ImportJob.objects.none()
    if user.role == Role.ADMINISTRATOR:
        return ImportJob.objects.all()
    condition = Q(pk__in=[])
    if can_import(user):
        condition |= Q(organisation_id=user.organisation_id)
    if can_record_schools(user) and user.organisation_id is not None:
        condition |= Q(format=SCHOOLS_FORMAT, organisation_id=user.organisation_id)
    if manages_recommendations(user):
        condition |= Q(format=RECOMMENDATIONS_FORMAT, organisation__isnull=True)
    return ImportJob.objects.filter(condition)


def get_import_job_for_user(user, job_id: int):
    """The job, its progress and its quarantine; 404 for a job of another organisation (403 for a user who
    may not import incidents: they cannot tell an incident job from a missing one either way)."""
    if not may_open_import_jobs(user):
        raise PermissionDenied
    job = visible_import_jobs(user).select_related("requested_by").filter(pk=job_id).first()
    if job is None:
        if not can_import(user):
            raise PermissionDenied
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


# --- reports -------------------------------------------------------------------------------------------
# A report is read by those who may see every record it counts: its figures are sums over those records, and
# a small one can point at a person. A published bulletin holds only disclosure-controlled figures: anyone.
REPORT_PUBLISHERS = {Role.ADMINISTRATOR, Role.COORDINATOR}


def can_request_reports(user) -> bool:
    """Every signed-in user: a report counts only the records its requester may see."""
    return user.is_authenticated and user.is_active


def may_read_report(user, report) -> bool:
    if report.kind == "bulletin" and report.published:
        return True
    if not user.is_authenticated or not user.is_active:
        return False
    if user.role == Role.ADMINISTRATOR:
        return True
    if report.kind == "bulletin" and (report.requested_by_id == user.pk or user.role in REPORT_PUBLISHERS):
        # A bulletin holds only the disclosure-controlled public figures (/public/ shows them to anyone): its
        # requester and those who publish it read it before it is published, though it counts records of
        # organisations they cannot see.
        return True
    return not _records_counted_by(report).exclude(incident__in=visible_incidents(user).values("pk")).exists()


def _records_counted_by(report):
    """Every violation the report may have counted, or more: each level, the period before the report's
    (the periodic report compares with it), its region and organisation, in the requester's scope then."""
    from dataclasses import replace

    from kurukan.reports.actions import parameters_of, scope_of
    from kurukan.reports.content import filters_of
    from kurukan.statistics.counting import Scope, counted_violations
    from kurukan.statistics.forms import previous_period

    scope = Scope.public() if report.kind == "bulletin" else scope_of(report)
    filters = filters_of(parameters_of(report))
    start = previous_period(report.date_from, report.date_to)[0]
    return counted_violations(replace(filters, date_from=start, level="reported"), scope)


def visible_reports(user, limit: int = 30) -> list:
    """The latest reports the user may read, newest first."""
    from kurukan.reports.models import Report

    recent = Report.objects.select_related("requested_by")[: limit * 3]
    return [report for report in recent if may_read_report(user, report)][:limit]


def get_report_for_user(user, report_id: int):
    """The report, or 404 (not 403: whether a report exists over records one cannot see is not said)."""
    from kurukan.reports.models import Report

    report = Report.objects.select_related("requested_by").filter(pk=report_id).first()
    if report is None or not may_read_report(user, report):
        raise Http404
    return report


def may_publish_report(user, report) -> bool:
    return report.kind == "bulletin" and user.is_authenticated and user.role in REPORT_PUBLISHERS


# --- Reparation claims (kurukan.reparations) -----------------------------------------------------------------
# A claim names a victim, their heirs, the harm they suffered and the money paid to them: it is read only by
# the recording roles of the organisation that owns it, and only while they may see the identities of every
# record it cites. Analysts, viewers, focal points and other organisations never read one (their figures
# come from kurukan.statistics.reparations, counted, never listed).
CLAIM_DECIDERS = {Role.ADMINISTRATOR, Role.COORDINATOR}


def may_handle_claims(user) -> bool:
    """Register claims and read their list: the roles that see victims' identities."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.role in RECORD_ROLES | {Role.ADMINISTRATOR}


def visible_claims(user) -> QuerySet:
    from django.db.models import Exists, OuterRef

    from kurukan.reparations.models import Claim

    qs = Claim.objects.all()
    if not may_handle_claims(user):
        return qs.none()
    if user.role != Role.ADMINISTRATOR:
        if user.organisation_id is None:
            return qs.none()
        qs = qs.filter(organisation_id=user.organisation_id)
    # Every violation the claim cites must sit in an incident whose identities the user sees (a draft of
    # someone else, a strictly confidential record of another author, a sensitive record the reader — even an
    # administrator — is not named on, hide the claim with it).
    seen = visible_incidents(user).filter(identities_condition(user)).values("pk")
    cites_hidden = Claim.violations.through.objects.filter(claim_id=OuterRef("pk")).exclude(
        violation__incident_id__in=seen
    )
    return qs.exclude(Exists(cites_hidden))


def get_claim_for_view(user, reference: str):
    """The claim, or 404 for anyone who may not read it (its existence is not confirmed either)."""
    claim = visible_claims(user).select_related("person", "organisation").filter(reference=reference).first()
    if claim is None:
        raise Http404
    if claim.confidentiality in READ_LOGGED:
        audit.record(Action.VIEW, user=user, obj=claim, confidentiality=claim.confidentiality)
    return claim


def can_decide_claim(user, claim) -> bool:
    """Status decisions and payments: the owning organisation's coordinators (visibility checked first)."""
    if user.role == Role.ADMINISTRATOR:
        return True
    return user.role in CLAIM_DECIDERS and claim.organisation_id == user.organisation_id


def get_claim_for_decision(user, reference: str):
    claim = get_claim_for_view(user, reference)
    if not can_decide_claim(user, claim):
        raise PermissionDenied
    return claim


def claimable_violations(user) -> QuerySet:
    """Violations a claim may cite: reported (not drafts), not found not to have occurred, in incidents whose
    identities the user sees."""
    from kurukan.incidents.models import IncidentStatus, VerificationStatus, Violation

    if not may_handle_claims(user):
        return Violation.objects.none()
    seen = visible_incidents(user).filter(identities_condition(user)).values("pk")
    return (
        Violation.objects.filter(incident_id__in=seen)
        .exclude(incident__status=IncidentStatus.DRAFT)
        .exclude(verification_status=VerificationStatus.DID_NOT_OCCUR)
    )


def get_person_for_claim(user, public_id: str):
    """A victim a claim may be filed for: a victim of a violation the user may cite, else 404."""
    from kurukan.people.models import Person

    person = (
        Person.objects.filter(public_id=public_id, victimisations__violation__in=claimable_violations(user))
        .distinct()
        .first()
    )
    if person is None:
        raise Http404
    return person


def may_read_claim_figures(user) -> bool:
    """Counts of claims (never claims): the recording roles and analysts, for their organisation's claims."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.role in RECORD_ROLES | {Role.ADMINISTRATOR, Role.ANALYST}


# --- People: the person's file (branch `protection`) ---------------------------------------------------------
# A person is visible to whoever may view one of the incidents they appear in (as a victim, a source or an
# alleged perpetrator); their identity only where that user sees it on one of those incidents and, through a
# share, only with the person's consent. Consent is recorded by the recording roles of the organisation that
# holds the person's record.


def person_incidents(user, person_ids: set[int]) -> QuerySet[Incident]:
    """The incidents, among those the user may view, in which one of these persons appears."""
    from kurukan.incidents.models import Source, Victim

    victim_of = Victim.objects.filter(person_id__in=person_ids).values("violation__incident_id")
    source_of = Source.objects.filter(person_id__in=person_ids).values("incident_id")
    from kurukan.incidents.models import Perpetrator

    perpetrator_of = Perpetrator.objects.filter(person_id__in=person_ids).values("violation__incident_id")
    return visible_incidents(user).filter(
        Q(pk__in=victim_of) | Q(pk__in=source_of) | Q(pk__in=perpetrator_of)
    )


def get_person_for_view(user, public_id: str):
    """The person (any member of a merged family may be asked for: the caller redirects to the survivor),
    or 404 when the user may view none of the incidents the person's family appears in."""
    from kurukan.incidents.merges import merged_family, root_of
    from kurukan.people.models import Person

    person = Person.objects.filter(public_id=public_id).first()
    if person is None or not user.is_authenticated:
        raise Http404
    family = merged_family(Person, root_of(Person, person.pk))
    if user.role == Role.ADMINISTRATOR:
        return person
    if not person_incidents(user, family).exists():
        raise Http404
    return person


def sees_person_identity(user, person, family: set[int]) -> bool:
    """The name is shown when, on at least one incident of the person's family that the user may view, the
    user sees identities and the person's consent lets it reach them (`persons_named`). Administrators too:
    on a sensitive record they are not named on, need-to-know hides the person from them as from anyone."""
    if user.role not in RECORD_ROLES | {Role.ADMINISTRATOR}:
        return False
    for incident in person_incidents(user, family):
        if sees_identities(user, incident) and persons_named(user, incident, {person.pk}):
            return True
    return False


def can_record_consent(user, person) -> bool:
    """Recording and revoking consent: the recording roles of the organisation that holds the record who see
    the person's identity (the caller has checked, with `get_person_for_view`, that they may view them);
    administrators of any organisation, when they see the identity too (need-to-know binds them)."""
    if user.role != Role.ADMINISTRATOR and (
        user.role not in RECORD_ROLES or person.organisation_id != user.organisation_id
    ):
        return False
    # Need-to-know: who may not know who the person is does not record their answers either.
    from kurukan.incidents.merges import merged_family, root_of
    from kurukan.people.models import Person

    return sees_person_identity(user, person, merged_family(Person, root_of(Person, person.pk)))


def can_erase_identity(user, person) -> bool:
    """Erasing a person's identity on their request: the coordinators of the organisation that holds the
    record (and administrators). The caller has checked with `get_person_for_view` that the user sees it."""
    if user.role == Role.ADMINISTRATOR:
        return True
    return user.role == Role.COORDINATOR and person.organisation_id == user.organisation_id


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
