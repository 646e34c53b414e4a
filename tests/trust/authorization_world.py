"""Who tries and what is tried in the authorization matrix (tests/trust/test_authorization_matrix.py): the
personas, the records of every confidentiality level (one organisation's, another's, a shared one, a
sensitive one) and the registers built on them (reports, claims, judicial cases, follow-up), as the fixture
`world`."""

import io
from dataclasses import dataclass

import pytest
from django.utils import timezone

from conftest import make_incident, make_user, term, unit
from kurukan.accounts.models import Confidentiality, IncidentShare, Organisation, Role, User
from kurukan.duplicates.models import CandidatePair, Kind, LinkageRun, Merge
from kurukan.estimates.models import EstimateRun
from kurukan.evidence import actions as evidence_actions
from kurukan.evidence import storage
from kurukan.imports.models import ColumnMapping, ImportJob, QuarantinedRow, ServerConnection
from kurukan.incidents.models import GroupVictims, IncidentStatus, Source
from kurukan.schools.models import School, StatusChange


@dataclass(frozen=True)
class Persona:
    key: str
    role: str | None  # None: not logged in
    org: str = "A"
    author: bool = False
    named: bool = False  # named on the sensitive record by its coordinator (need-to-know)


PERSONAS = [
    Persona("anonymous", None),
    Persona("administrator", Role.ADMINISTRATOR),
    Persona("coordinator", Role.COORDINATOR),
    Persona("author_monitor", Role.MONITOR, author=True),
    Persona("other_monitor", Role.MONITOR),
    Persona("analyst", Role.ANALYST),
    Persona("viewer", Role.VIEWER),
    Persona("focal_point", Role.FOCAL_POINT),
    Persona("monitor_of_b", Role.MONITOR, org="B"),
    Persona("coordinator_of_b", Role.COORDINATOR, org="B"),
    # branch protection: need-to-know on sexual-violence and child-victim records
    Persona("protection_specialist", Role.PROTECTION_SPECIALIST),
    Persona("named_monitor", Role.MONITOR, named=True),
    Persona("named_administrator", Role.ADMINISTRATOR, named=True),  # protection2: named, so cleared
]

RECORDS = {
    "public": (Confidentiality.PUBLIC, IncidentStatus.SUBMITTED),
    "internal": (Confidentiality.INTERNAL, IncidentStatus.SUBMITTED),
    "restricted": (Confidentiality.RESTRICTED, IncidentStatus.SUBMITTED),
    "strict": (Confidentiality.STRICTLY_CONFIDENTIAL, IncidentStatus.SUBMITTED),
    "draft": (Confidentiality.INTERNAL, IncidentStatus.DRAFT),
    # branch protection: a rape, internal — its identities, narrative and exact place are need-to-know
    "sensitive": (Confidentiality.INTERNAL, IncidentStatus.SUBMITTED),
}
SENSITIVE_RECORDS = {"sensitive"}


# ------------------------------------------------------------------------------------------- the world


@pytest.fixture(name="world")
def world_fixture(db):
    orgs = {
        "A": Organisation.objects.create(code="org-a", name="Organisation A"),
        "B": Organisation.objects.create(code="org-b", name="Organisation B"),
        "C": Organisation.objects.create(code="org-c", name="Organisation C"),
    }
    users: dict[str, User | None] = {}
    for p in PERSONAS:
        users[p.key] = None if p.role is None else make_user(f"u-{p.key}", p.role, orgs[p.org])
    author = users["author_monitor"]
    follow_up = _follow_up_world(users["focal_point"])
    records = {}
    other = make_incident(
        author, title="Autre rapport du même événement", confidentiality=Confidentiality.PUBLIC
    )
    estimate = EstimateRun.objects.create(parameters={}, requested_by=users["analyst"])
    job = ImportJob.objects.create(
        organisation=orgs["A"], requested_by=users["coordinator"], format="template", filename="a.csv"
    )
    quarantined = QuarantinedRow.objects.create(
        job=job, row_number=2, field="violation_type", values='{"violation_type": "x"}', value="x",
        message_fr="Ligne 2", message_en="Row 2",
    )  # fmt: skip
    server = ServerConnection.objects.create(  # nothing listens on port 9: a test answers at once
        organisation=orgs["A"], name="Kobo", kind="kobo", url="http://127.0.0.1:9", form_id="a", secret="t"
    )
    column_mapping = ColumnMapping.objects.create(
        organisation=orgs["A"], name="m", signature="s", columns="{}"
    )
    run = LinkageRun.objects.create(kind=Kind.INCIDENTS, status="done", progress=100)
    # The `school` record kind: reference data shared by all; its page lists each record's attack on it
    # under the incident rules (test_a_school_page_lists_the_violations_each_role_may_see).
    school = School.objects.create(
        code="ML05-MATRIX",
        name="École de la matrice",
        level=term("school_level", "first_cycle"),
        commune=unit("ML050301"),
    )
    entry = StatusChange.objects.create(
        school=school, status=term("school_status", "closed"), reason=term("closure_reason", "insecurity"),
        starts_on="2024-01-01", organisation=orgs["A"], closed=True,
    )  # fmt: skip
    for key, (confidentiality, status) in RECORDS.items():
        incident = make_incident(
            author,
            confidentiality=confidentiality,
            status=status,
            title=f"Incident {key}",
            violation_type="sexual.rape" if key in SENSITIVE_RECORDS else "life.summary_execution",
        )
        if key in SENSITIVE_RECORDS:
            incident.need_to_know.add(users["named_monitor"], users["named_administrator"])
        violation = incident.violations.get()
        GroupVictims.objects.create(violation=violation, women=2)
        source = Source.objects.create(incident=incident, description="Témoin protégé")
        share = IncidentShare.objects.create(incident=incident, organisation=orgs["C"], granted_by=author)
        item, _ = evidence_actions.receive_evidence(
            incident,
            author,
            storage.spool_from(io.BytesIO(b"photo " * 100)),
            original_name="p.jpg",
            media_type="image/jpeg",
        )
        pair = CandidatePair.objects.create(
            run=run,
            kind=Kind.INCIDENTS,
            left_id=min(incident.pk, other.pk),
            right_id=max(incident.pk, other.pk),
            probability=0.99,
            evidence=[],
        )
        merge = Merge.objects.create(
            kind=Kind.INCIDENTS,
            pair=pair,
            survivor_id=other.pk,
            duplicate_id=incident.pk,
            merged_at=timezone.now(),
        )
        records[key] = {
            "public_id": incident.public_id,
            "violation_id": violation.pk,
            "kind": "source",
            "part_id": source.pk,
            "share_id": share.pk,
            "item_id": item.pk,
            "pair_id": pair.pk,
            "decision": "confirm",
            "merge_id": merge.pk,
            "run_id": estimate.pk,
            "job_id": job.pk,
            "row_id": quarantined.pk,
            "connection_id": server.pk,
            "mapping_id": column_mapping.pk,
            **follow_up,
            "code": school.code,
            "change_id": entry.pk,
            "person_id": violation.victims.get().person.public_id,
        }
        violation.school = school
        violation.save()
        records[key]["reference"] = _claim_on(violation, author)  # reparations branch
        records[key].update(_justice_world(author, violation))
    report_id = _report_world(users["coordinator"])
    for record in records.values():
        record["report_id"] = report_id
    return users, records


def _report_world(coordinator: User) -> int:
    """A finished report of organisation A's coordinator over 2022, its file on disk (branch `reports`)."""
    import datetime as dt

    from kurukan.reports.actions import reports_dir
    from kurukan.reports.models import Report

    report = Report.objects.create(
        kind="periodic", file_format="xlsx", date_from=dt.date(2022, 1, 1), date_to=dt.date(2022, 12, 31),
        requested_by=coordinator, status="done", progress=100,
    )  # fmt: skip
    path = reports_dir() / f"matrix-{report.pk}.xlsx"
    path.write_bytes(b"PK matrix")
    Report.objects.filter(pk=report.pk).update(path=str(path), sha256="0" * 64)
    return report.pk


def _claim_on(violation, author: User) -> str:
    """A reparation claim of organisation A for the record's victim (reparations branch)."""
    from kurukan.reparations.models import Claim

    claim = Claim.objects.create(
        person=violation.victims.get().person, organisation=author.organisation, created_by=author,
        confidentiality=violation.incident.confidentiality, harm="Préjudice", filed_on="2024-01-05",
        measures_requested=["compensation"],
    )  # fmt: skip
    claim.violations.set([violation])
    return claim.reference


def _justice_world(author: User, violation) -> dict:
    """A case and an intervention on each record's violation (branch `justice`)."""
    from kurukan.justice import actions as justice_actions
    from kurukan.justice.models import Intervention, JudicialCase
    from kurukan.recommendations.models import Institution

    case = justice_actions.open_case(
        JudicialCase(title="Affaire", jurisdiction=term("jurisdiction", "ordinary")), [violation], author
    )
    institution = Institution.objects.get_or_create(code="procureur", defaults={"name_fr": "Procureur"})[0]
    intervention = justice_actions.record_intervention(
        Intervention(kind="letter", institution=institution, sent_on="2024-01-05", request="Enquêter"),
        [violation],
        [],
        author,
    )
    from kurukan.justice.documents import receive_document

    document, _created = receive_document(
        case, author, storage.spool_from(io.BytesIO(b"plainte " * 40)), kind="complaint",
        original_name="plainte.pdf", media_type="application/pdf",
    )  # fmt: skip
    return {
        "case_id": case.public_id,
        "intervention_id": intervention.public_id,
        "document_id": document.pk,
    }


def _follow_up_world(focal_point: User) -> dict:
    """A recommendation assigned to the focal point's institution, with a manual indicator, an assessment
    file and a similar pair: what the recommendation routes need to answer."""
    from kurukan.recommendations.models import (
        Assessment,
        AssessmentFile,
        Document,
        Indicator,
        Institution,
        Recommendation,
        SimilarPair,
    )

    document = Document.objects.create(mechanism="upr", symbol="A/HRC/23/6", cycle=2)
    rec = Recommendation.objects.create(
        document=document, paragraph="110.1", text_en="Abolish the death penalty"
    )
    twin = Recommendation.objects.create(
        document=document, paragraph="110.2", text_en="Abolish the death penalty"
    )
    justice = Institution.objects.create(code="justice", name_fr="Ministère de la Justice")
    justice.focal_points.add(focal_point)
    rec.institutions.add(justice)
    indicator = Indicator.objects.create(recommendation=rec, kind="process", name="Projets de loi déposés")
    assessment = Assessment.objects.create(recommendation=rec, assessed_on="2024-01-10", status="in_progress")
    stored = storage.commit(storage.spool_from(io.BytesIO(b"compte rendu " * 50)))
    file = AssessmentFile.objects.create(
        assessment=assessment,
        sha256=stored.sha256,
        size=stored.size,
        original_name="cr.pdf",
        media_type="application/pdf",
    )
    similar = SimilarPair.objects.create(left=rec, right=twin, score=0.95)
    return {
        "rec_id": rec.pk,
        "indicator_id": indicator.pk,
        "file_id": file.pk,
        "similar_id": similar.pk,
        "fmt": "csv",
    }
