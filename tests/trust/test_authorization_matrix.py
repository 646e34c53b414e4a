"""Every route, tried as every role, against records of every confidentiality level and organisation.

The routes come from the URL configuration itself (the API's included): a route that no rule below covers
fails `test_every_route_has_a_rule`, so nobody can add a page or an endpoint without saying who may use it.
The expected answers are written here from the access policy (docs/security.md), independently of
kurukan.accounts.access, so a change to the helpers that loosens a rule fails this test.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from authorization_world import PERSONAS, SENSITIVE_RECORDS, Persona, world_fixture  # noqa: F401 — the fixture
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from kurukan.accounts.models import Role

# ---------------------------------------------------------------------------------------------- the policy

ALLOWED, DENIED, HIDDEN, LOGIN = "allowed", "denied (403)", "hidden (404)", "login required"


def may_view(p: Persona, record: str) -> bool:
    if p.role == Role.ADMINISTRATOR:
        return True
    if p.org != "A" or p.role == Role.FOCAL_POINT:
        return False
    if p.role == Role.COORDINATOR:
        return True
    if record in {"draft", "strict"}:
        return p.author
    return True


def may_edit(p: Persona, record: str) -> bool:
    if record in SENSITIVE_RECORDS and not cleared(p):  # the edit page shows the narrative and the victims
        return False
    if p.role == Role.ADMINISTRATOR:
        return True
    return may_view(p, record) and (p.role == Role.COORDINATOR or (p.role == Role.MONITOR and p.author))


def may_verify(p: Persona, record: str) -> bool:
    return may_view(p, record) and p.role in {Role.ADMINISTRATOR, Role.COORDINATOR}


def may_share(p: Persona, record: str) -> bool:
    return may_verify(p, record) and record != "draft"


def cleared(p: Persona) -> bool:
    """Need-to-know on the sensitive record: its author, those named on it, specialists (administrators too,
    only when named)."""
    return p.author or p.named or p.role == Role.PROTECTION_SPECIALIST


def sees_identities(p: Persona, record: str) -> bool:
    by_role = may_view(p, record) and p.role in {*RECORDERS}
    if record in SENSITIVE_RECORDS:
        return by_role and cleared(p)
    return by_role


def on_record(rule: Callable[[Persona, str], bool]) -> Callable[[Persona, str], str]:
    def expected(p: Persona, record: str) -> str:
        if p.role is None:
            return LOGIN
        if not may_view(p, record):
            return HIDDEN
        return ALLOWED if rule(p, record) else DENIED

    return expected


def for_roles(*roles: str) -> Callable[[Persona, str | None], str]:
    def expected(p: Persona, record: str | None) -> str:
        if p.role is None:
            return LOGIN
        return ALLOWED if p.role in roles else DENIED

    return expected


def any_user(p: Persona, record: str | None) -> str:
    return LOGIN if p.role is None else ALLOWED


def anyone(p: Persona, record: str | None) -> str:
    return ALLOWED


def signs_out(p: Persona, record: str | None) -> str:
    return LOGIN  # logging out lands everyone on the login page


def nothing_there(p: Persona, record: str | None) -> str:
    return HIDDEN  # a route that answers 404 to everybody


RECORDERS = (Role.ADMINISTRATOR, Role.COORDINATOR, Role.MONITOR, Role.PROTECTION_SPECIALIST)
REVIEWERS = (Role.ADMINISTRATOR, Role.COORDINATOR)
ESTIMATORS = (Role.ADMINISTRATOR, Role.COORDINATOR, Role.ANALYST)


def on_pair(p: Persona, record: str) -> str:
    """Duplicate review: reviewers only; a pair whose records the reviewer cannot both see is hidden."""
    if p.role is None:
        return LOGIN
    if p.role not in REVIEWERS:
        return DENIED
    return ALLOWED if may_view(p, record) else HIDDEN


def on_estimate(*roles: str) -> Callable[[Persona, str], str]:
    """Estimates belong to the organisation whose analyst ran them; administrators read them all."""

    def expected(p: Persona, record: str) -> str:
        if p.role is None:
            return LOGIN
        if p.role not in ESTIMATORS:
            return DENIED
        if p.role != Role.ADMINISTRATOR and p.org != "A":
            return HIDDEN
        return ALLOWED if p.role in roles else DENIED

    return expected


IMPORTERS = (Role.ADMINISTRATOR, Role.COORDINATOR)


def on_import(p: Persona, record: str) -> str:
    """An import job, its progress and its quarantine (rows as written, names included): coordinators of the
    importing organisation and administrators; a job of another organisation is hidden."""
    if p.role is None:
        return LOGIN
    if p.role not in IMPORTERS:
        return DENIED
    return ALLOWED if p.role == Role.ADMINISTRATOR or p.org == "A" else HIDDEN


def on_status_entry(p: Persona, record: str | None) -> str:
    """A school's status entry is corrected by the recorders of the organisation that recorded it (org A in
    this world) and administrators; the school itself is reference data that every user reads."""
    if p.role is None:
        return LOGIN
    if p.role == Role.ADMINISTRATOR or (p.role in RECORDERS and p.org == "A"):
        return ALLOWED
    return DENIED


ENTRY_OWNER = on_status_entry
PAIR = on_pair
IMPORT = on_import
ESTIMATE_READ, ESTIMATE_PUBLISH = on_estimate(*ESTIMATORS), on_estimate(Role.ANALYST, Role.COORDINATOR)
VIEW, EDIT, VERIFY, SHARE = (
    on_record(lambda p, r: True),
    on_record(may_edit),
    on_record(may_verify),
    on_record(may_share),
)
IDENTITIES = on_record(sees_identities)
FOLLOW_UP = on_record(lambda p, r: sees_identities(p, r) and r != "draft")  # a draft is edited instead


def may_view_justice(p: Persona, record: str) -> bool:
    """A case or an intervention linking a record: visible when the record is, and restricted or strictly
    confidential ones only to the roles that see identities (never to analysts or viewers)."""
    if not may_view(p, record):
        return False
    return record not in {"restricted", "strict"} or p.role in RECORDERS


def on_justice(rule: Callable[[Persona, str], bool]) -> Callable[[Persona, str], str]:
    def expected(p: Persona, record: str) -> str:
        if p.role is None:
            return LOGIN
        if not may_view_justice(p, record):
            return HIDDEN
        return ALLOWED if rule(p, record) else DENIED

    return expected


JUSTICE_VIEW = on_justice(lambda p, r: True)
JUSTICE_EDIT = on_justice(lambda p, r: p.role in RECORDERS)
# branch justice2: a case's documents may name anyone of the records it links: as evidence files, for those
# who see the identities of the record (the case visible first: hidden otherwise)
JUSTICE_DOCS = on_justice(sees_identities)

# route name → (methods to try, expected answer). A route may appear once only.
RULES: dict[str, tuple[tuple[str, ...], Callable]] = {
    "": (("GET",), any_user),
    "favicon.ico": (("GET",), anyone),
    "set_language": (("POST",), anyone),
    "accounts:login": (("GET",), anyone),
    "accounts:logout": (("POST",), signs_out),
    "accounts:2fa_setup": (("GET",), any_user),
    "accounts:2fa_verify": (("GET",), any_user),
    "place_search": (("GET",), any_user),
    "incidents:list": (("GET",), any_user),
    "incidents:create": (("GET", "POST"), for_roles(*RECORDERS)),
    "incidents:similar": (("GET",), for_roles(*RECORDERS)),
    "incidents:detail": (("GET",), VIEW),
    "incidents:edit": (("GET", "POST"), EDIT),
    "incidents:submit": (("POST",), EDIT),
    "incidents:violation_add": (("POST",), EDIT),
    "incidents:violation_remove": (("POST",), EDIT),
    "incidents:victim_add": (("POST",), EDIT),
    "incidents:group_add": (("POST",), EDIT),
    "incidents:perpetrator_add": (("POST",), EDIT),
    "incidents:source_add": (("POST",), EDIT),
    "incidents:part_remove": (("POST",), EDIT),
    "incidents:verify": (("POST",), VERIFY),
    "incidents:share_add": (("POST",), SHARE),
    "incidents:share_revoke": (("POST",), SHARE),
    "incidents:close": (("POST",), VERIFY),
    "incidents:reopen": (("POST",), VERIFY),
    "incidents:follow_up": (("POST",), FOLLOW_UP),
    "incidents:history": (("GET",), VIEW),
    "evidence:list": (("GET",), VIEW),
    "evidence:verify": (("POST",), VIEW),
    "evidence:upload": (("POST",), IDENTITIES),
    "evidence:download": (("GET",), IDENTITIES),
    "evidence:view": (("GET",), IDENTITIES),
    "evidence:custody": (("POST",), IDENTITIES),
    "duplicates:queue": (("GET",), for_roles(*REVIEWERS)),
    "duplicates:run_start": (("POST",), for_roles(*REVIEWERS)),
    "duplicates:run_status": (("GET",), for_roles(*REVIEWERS)),
    "duplicates:decide": (("POST",), PAIR),
    "duplicates:undo": (("POST",), PAIR),
    "estimates:index": (("GET", "POST"), for_roles(*ESTIMATORS)),
    "estimates:runs": (("GET",), for_roles(*ESTIMATORS)),
    "estimates:public": (("GET",), anyone),
    "public:index": (("GET",), anyone),
    "public:shared": (("GET",), any_user),
    "public:share_counts": (("POST",), for_roles(*REVIEWERS)),
    "public:revoke_counts": (("POST",), for_roles(*REVIEWERS)),
    "public:public_setting": (("POST",), for_roles(*REVIEWERS)),
    "estimates:detail": (("GET",), ESTIMATE_READ),
    "estimates:progress": (("GET",), ESTIMATE_READ),
    "estimates:publish": (("POST",), ESTIMATE_PUBLISH),
    "estimates:withdraw": (("POST",), ESTIMATE_PUBLISH),
    "exports:incidents": (("GET",), any_user),
    "exports:violations": (("GET",), any_user),
    "exports:victims": (("GET", "POST"), for_roles(*RECORDERS)),
    "fieldforms:xlsform": (("GET",), for_roles(*REVIEWERS)),  # those who may import (access.can_import)
    "alerts:index": (("GET",), for_roles(*REVIEWERS)),
    "alerts:subscription": (("POST",), for_roles(*REVIEWERS)),
    "schools:register": (("GET",), any_user),
    "schools:create": (("GET", "POST"), for_roles(*RECORDERS)),
    "schools:import": (("GET", "POST"), for_roles(*RECORDERS)),
    "schools:import_template": (("GET",), anyone),
    "schools:detail": (("GET",), any_user),
    "schools:status_add": (("POST",), for_roles(*RECORDERS)),
    "schools:public": (("GET",), anyone),
    "schools:public_csv": (("GET",), anyone),
    "schools:public_xlsx": (("GET",), anyone),
    "statistics:dashboard": (("GET",), any_user),  # figures over what each user may see
    "statistics:children": (("GET",), any_user),
    "statistics:compare": (("GET",), any_user),
    "statistics:download": (("GET",), any_user),
    "imports:index": (("GET", "POST"), for_roles(*IMPORTERS)),
    "imports:template": (("GET",), for_roles(*IMPORTERS)),
    "imports:detail": (("GET",), IMPORT),
    "imports:progress": (("GET",), IMPORT),
    "imports:resume": (("POST",), IMPORT),
    "imports:rejected": (("GET",), IMPORT),
    "imports:correct": (("POST",), IMPORT),
    "audit:list": (("GET",), for_roles(Role.ADMINISTRATOR)),
    "audit:verify": (("POST",), for_roles(Role.ADMINISTRATOR)),
    "api:api-root": (("GET",), nothing_there),
    "api:openapi-json": (("GET",), any_user),
    "api:openapi-view": (("GET",), any_user),
    "api:incident_list": (("GET",), any_user),
    "api:incident_create": (("POST",), for_roles(*RECORDERS)),
    "api:incident_detail": (("GET",), VIEW),
    "api:violation_add": (("POST",), EDIT),
    "api:incident_submit": (("POST",), EDIT),
    "api:violation_verify": (("POST",), VERIFY),
    "api:export_incidents": (("GET",), any_user),
    "api:export_violations": (("GET",), any_user),
    "api:export_victims": (("GET",), for_roles(*RECORDERS)),
    "api:vocabulary_list": (("GET",), any_user),
    "api:vocabulary_terms": (("GET",), any_user),
    "api:place_search": (("GET",), any_user),
    "api:import_create": (("POST",), for_roles(*IMPORTERS)),
    "api:import_detail": (("GET",), IMPORT),
    "api:import_quarantine": (("GET",), IMPORT),
    "api:public_figures_api": (("GET",), anyone),
    "api:school_list": (("GET",), any_user),
    "api:school_closed": (("GET",), anyone),
    "api:school_detail": (("GET",), any_user),
    "api:school_create": (("POST",), for_roles(*RECORDERS)),
    "api:school_status_add": (("POST",), for_roles(*RECORDERS)),
    "api:statistics_table": (("GET",), any_user),
    "api:statistics_compare": (("GET",), any_user),
    "recommendations:index": (("GET",), any_user),
    "recommendations:import": (("GET", "POST"), for_roles(*REVIEWERS)),
    "recommendations:similar": (("GET",), for_roles(*REVIEWERS)),
    "recommendations:similar_find": (("POST",), for_roles(*REVIEWERS)),
    "recommendations:similar_decide": (("POST",), for_roles(*REVIEWERS)),
    "recommendations:export": (("GET",), any_user),
    "recommendations:public": (("GET",), anyone),
    "recommendations:public_export": (("GET",), anyone),
    "recommendations:detail": (("GET",), any_user),  # the focal point's institution is assigned to it
    "recommendations:measure_add": (("POST",), for_roles(*REVIEWERS, Role.FOCAL_POINT)),
    "recommendations:assessment_add": (("POST",), for_roles(*REVIEWERS, Role.FOCAL_POINT)),
    "recommendations:indicator_value_add": (("POST",), for_roles(*REVIEWERS, Role.FOCAL_POINT)),
    "recommendations:assign": (("POST",), for_roles(*REVIEWERS)),
    "recommendations:indicator_add": (("POST",), for_roles(*REVIEWERS)),
    "recommendations:file_download": (("GET",), any_user),
    "api:recommendation_list": (("GET",), any_user),
    "api:recommendation_public": (("GET",), anyone),
    "api:recommendation_detail": (("GET",), any_user),
    # --- branch `reports` (issue #14): a report is read by those who may see every record it counts ---
    "reports:index": (("GET", "POST"), any_user),  # each report counts what its requester may see
    "reports:detail": (("GET",), lambda p, r: on_report(p, r)),
    "reports:progress": (("GET",), lambda p, r: on_report(p, r)),
    "reports:download": (("GET",), lambda p, r: on_report(p, r)),
    "reports:regenerate": (("POST",), lambda p, r: on_report(p, r)),
    "reports:publish": (("POST",), lambda p, r: on_report(p, r, publish=True)),
    "api:report_create": (("POST",), any_user),
    "api:report_list": (("GET",), any_user),
    "api:report_detail": (("GET",), lambda p, r: on_report(p, r)),
    "api:report_file": (("GET",), lambda p, r: on_report(p, r)),
    "api:report_publish": (("POST",), lambda p, r: on_report(p, r, publish=True)),  # protection2
    # registers branch: classify a recommendation; correct a school's status entry (page and API)
    "recommendations:classify": (("POST",), for_roles(*REVIEWERS)),
    "schools:status_edit": (("GET", "POST"), ENTRY_OWNER),
    "api:school_status_correct": (("PUT",), ENTRY_OWNER),
    # branch figures: closing and reopening through the API, as on the page
    "api:incident_close": (("POST",), VERIFY),
    "api:incident_reopen": (("POST",), VERIFY),
    # --- branch `justice`: judicial cases, interventions, impunity indicators (issue 12) ---
    "justice:case_list": (("GET",), any_user),  # lists only the cases each user may see
    "justice:case_create": (("GET", "POST"), for_roles(*RECORDERS)),
    "justice:case_detail": (("GET",), JUSTICE_VIEW),
    "justice:stage_add": (("POST",), JUSTICE_EDIT),
    "justice:defendant_add": (("POST",), JUSTICE_EDIT),
    "justice:civil_party_add": (("POST",), JUSTICE_EDIT),
    "justice:intervention_list": (("GET",), any_user),
    "justice:overdue": (("GET",), for_roles(*REVIEWERS)),
    "justice:intervention_create": (("GET", "POST"), for_roles(*RECORDERS)),
    "justice:intervention_detail": (("GET",), JUSTICE_VIEW),
    "justice:intervention_answer": (("POST",), JUSTICE_EDIT),
    "justice:impunity": (("GET",), any_user),  # figures over what each user may see
    "api:case_list": (("GET",), any_user),
    "api:case_detail": (("GET",), JUSTICE_VIEW),
    "api:case_stage_add": (("POST",), JUSTICE_EDIT),
    "api:intervention_list": (("GET",), any_user),
    "api:intervention_detail": (("GET",), JUSTICE_VIEW),
    "api:impunity": (("GET",), any_user),
    # branch protection: the person's file is seen by whoever may view a record the person appears in
    # (identity only with IDENTITIES and consent); consent is recorded by those who see identities.
    "people:detail": (("GET",), VIEW),
    "people:consent": (("POST",), IDENTITIES),
    "people:erase": (("POST",), VERIFY),  # the coordinators of the owning organisation erase on request
    "people:need_to_know": (("POST",), VERIFY),  # the coordinator names who may see a sensitive record
    "accounts:quick_exit": (("POST",), anyone),  # ends whatever session there is, lands on a blank page
    "accounts:neutral": (("GET",), anyone),
    # branch intake: KoboToolbox / ODK Central connections (their credentials open the organisation's
    # submissions: importers of the organisation and administrators; another organisation's is hidden)
    "imports:connections": (("GET", "POST"), for_roles(*IMPORTERS)),
    "imports:connection": (("GET",), IMPORT),
    "imports:connection_test": (("POST",), IMPORT),
    "imports:connection_pull": (("POST",), IMPORT),
    "imports:mapping": (("GET", "POST"), for_roles(*IMPORTERS)),
    "imports:mapping_forget": (("POST",), IMPORT),
}


def on_report(p: Persona, record: str | None, publish: bool = False) -> str:
    """The world's report: organisation A's coordinator's periodic report over 2022, counting every submitted
    record of A, the strictly confidential one included. Those who may see that record may read it: the
    administrator, A's coordinator and the record's author; to the others it does not exist. Only a
    bulletin is published, so publishing this one is refused even to its readers."""
    if p.role is None:
        return LOGIN
    reads = p.role == Role.ADMINISTRATOR or (p.org == "A" and (p.role == Role.COORDINATOR or p.author))
    if not reads:
        return HIDDEN
    return DENIED if publish else ALLOWED


# --- reparations branch: a claim is read by the owning organisation's recording roles while they see the
# identities of the records it cites (never by analysts, viewers, focal points or another organisation);
# decisions and payments by its coordinators. Figures (counts only) also by analysts.


def on_claim(rule: Callable[[Persona, str], bool]) -> Callable[[Persona, str], str]:
    def expected(p: Persona, record: str) -> str:
        if p.role is None:
            return LOGIN
        if not sees_identities(p, record):
            return HIDDEN
        return ALLOWED if rule(p, record) else DENIED

    return expected


CLAIM_READ = on_claim(lambda p, r: True)
CLAIM_DECIDE = on_claim(lambda p, r: p.role in REVIEWERS)
RULES.update(
    {
        "reparations:list": (("GET",), for_roles(*RECORDERS)),
        "reparations:create": (("GET", "POST"), for_roles(*RECORDERS)),
        "reparations:figures": (("GET",), for_roles(*RECORDERS, Role.ANALYST)),
        "reparations:detail": (("GET",), CLAIM_READ),
        "reparations:status": (("POST",), CLAIM_DECIDE),
        "reparations:payment": (("POST",), CLAIM_DECIDE),
        "api:claim_list": (("GET",), for_roles(*RECORDERS)),
        "api:claim_create": (("POST",), for_roles(*RECORDERS)),
        "api:claim_figures": (("GET",), for_roles(*RECORDERS, Role.ANALYST)),
        "api:claim_detail": (("GET",), CLAIM_READ),
        "api:claim_status": (("POST",), CLAIM_DECIDE),
        "api:claim_payment": (("POST",), CLAIM_DECIDE),
    }
)
# --- branch justice2: documents of cases, writes over the API, claim corrections, register exports ---
RULES.update(
    {
        "justice:document_add": (("POST",), JUSTICE_DOCS),
        "justice:document_download": (("GET",), JUSTICE_DOCS),
        "api:case_create": (("POST",), for_roles(*RECORDERS)),
        "api:case_defendant_add": (("POST",), JUSTICE_EDIT),
        "api:case_civil_party_add": (("POST",), JUSTICE_EDIT),
        "api:case_document_add": (("POST",), JUSTICE_DOCS),
        "api:case_document_download": (("GET",), JUSTICE_DOCS),
        "api:intervention_create": (("POST",), for_roles(*RECORDERS)),
        "api:intervention_answer": (("POST",), JUSTICE_EDIT),
        "reparations:edit": (("GET", "POST"), CLAIM_READ),
        "api:claim_update": (("PATCH",), CLAIM_READ),
        "exports:cases": (("GET",), any_user),  # the cases each user may see
        "exports:interventions": (("GET",), any_user),
        "exports:claims": (("GET", "POST"), for_roles(*RECORDERS)),  # names: the roles that handle claims
        "api:export_cases": (("GET",), any_user),
        "api:export_interventions": (("GET",), any_user),
        "api:export_claims": (("GET",), for_roles(*RECORDERS)),
    }
)

# ------------------------------------------------------------------------------------------- the routes


def _walk(patterns, prefix: str = "", namespace: str = ""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            yield namespace + (pattern.name or str(pattern.pattern)), prefix + str(pattern.pattern)


def all_routes() -> list[tuple[str, str]]:
    routes = {}
    for name, route in _walk(get_resolver().url_patterns):
        if name.startswith("admin:"):
            continue  # the Django admin is covered as a whole below
        routes.setdefault(name, route)
    return sorted(routes.items())


def test_every_route_has_a_rule():
    uncovered = [name for name, _route in all_routes() if name not in RULES]
    assert not uncovered, f"routes with no access rule in this test: {uncovered}"


def _kwargs(route: str, record: dict | None) -> dict:
    names = re.findall(r"<(?:\w+:)?(\w+)>", route)
    values = {
        "vocabulary": "violation_type",
        "extension": "csv",
        "breakdown_id": "type_region",
        "file_format": "csv",
        **(record or {}),
    }
    return {name: values[name] for name in names}


# Valid bodies, so that the API reaches its access check (it validates a body's shape first, which
# reveals nothing about records).
API_BODIES = {
    "api:incident_create": {"title": "Essai", "start_date": "2024-01-05", "commune": "ML050301"},
    "api:violation_add": {"type": "life.summary_execution", "groups": [{"men": 1}]},
    "api:violation_verify": {"status": "verified", "standard_of_proof": "reasonable_grounds"},
    "api:school_create": {"code": "ML05-NEW", "name": "École", "level": "first_cycle", "commune": "ML050301"},
    "api:school_status_add": {"status": "closed", "starts_on": "2024-01-05", "reason": "insecurity"},
    "api:school_status_correct": {
        "status": "closed",
        "starts_on": "2024-01-02",
        "reason": "insecurity",
        "correction_reason": "date",
    },  # fmt: skip
    "api:incident_reopen": {"reason": "Nouveau témoignage"},  # branch figures
    "api:claim_create": {
        "person": "P-0000-0000",
        "violations": [1],
        "harm": "Préjudice",
        "measures_requested": ["compensation"],
        "filed_on": "2024-01-05",
    },  # fmt: skip
    "api:claim_status": {"status": "under_review", "changed_on": "2024-01-05"},
    "api:claim_payment": {"paid_on": "2024-01-05", "amount": 1000},
    "api:case_stage_add": {"kind": "complaint", "on": "2024-01-05"},
    # branch justice2
    "api:case_create": {"title": "Affaire", "jurisdiction": "ordinary", "violations": [1]},
    "api:case_defendant_add": {"role": "perpetrator"},
    "api:case_civil_party_add": {"person": "P-0000-0000", "joined_on": "2024-01-05"},
    "api:case_document_add": {"kind": "complaint", "name": "plainte.pdf", "content_base64": "cGxhaW50ZQ=="},
    "api:intervention_create": {
        "kind": "letter",
        "institution": "procureur",
        "sent_on": "2024-01-05",
        "request": "Enquêter",
    },  # fmt: skip
    "api:intervention_answer": {"status": "answered", "answer": "Reçue", "answered_on": "2024-02-01"},
    "api:claim_update": {"harm": "Préjudice corrigé"},
}


def _request(client: Client, method: str, url: str, api: bool, name: str = ""):
    import json

    with transaction.atomic():
        if method == "GET":
            response = client.get(url)
        elif api:
            response = client.generic(
                method, url, data=json.dumps(API_BODIES.get(name, {})), content_type="application/json"
            )
        else:
            response = client.post(url, {})
        transaction.set_rollback(True)  # every try starts from the same world
    return response


def classify(response, api: bool) -> str:
    status = response.status_code
    if status == 401 or (status == 302 and "/accounts/login/" in response.get("Location", "")):
        return LOGIN
    if status == 403:
        return DENIED
    if status == 404:
        return HIDDEN
    if status in {200, 201, 204, 301, 302, 400, 409, 422}:
        return ALLOWED
    return f"unexpected {status}"


RECORD_SCOPED = sorted(
    name
    for name, (_m, rule) in RULES.items()
    if rule
    in {VIEW, EDIT, VERIFY, SHARE, IDENTITIES, FOLLOW_UP, PAIR, ESTIMATE_READ, ESTIMATE_PUBLISH, IMPORT}
    | {CLAIM_READ, CLAIM_DECIDE}  # reparations branch
    | {JUSTICE_VIEW, JUSTICE_EDIT, JUSTICE_DOCS}
)


def _route_of(name: str) -> str:
    return dict(all_routes())[name]


@pytest.mark.parametrize("name", RECORD_SCOPED)
def test_record_routes_answer_every_role_and_level_as_the_policy_says(world, name):
    users, records = world
    methods, rule = RULES[name]
    route = _route_of(name)
    api = name.startswith("api:")
    wrong = []
    for persona in PERSONAS:
        client = Client()
        if users[persona.key] is not None:
            client.force_login(users[persona.key])
        for record_key, record in records.items():
            url = reverse(name, kwargs=_kwargs(route, record))
            for method in methods:
                got = classify(_request(client, method, url, api, name), api)
                expected = rule(persona, record_key)
                if got != expected:
                    wrong.append(
                        f"{method} {name} as {persona.key} on {record_key}: got {got}, expected {expected}"
                    )
    assert not wrong, "\n".join(wrong)


GLOBAL = sorted(name for name in RULES if name not in RECORD_SCOPED)


@pytest.mark.parametrize("name", GLOBAL)
def test_other_routes_answer_every_role_as_the_policy_says(world, name):
    users, records = world
    methods, rule = RULES[name]
    route = _route_of(name) if name in dict(all_routes()) else ""
    api = name.startswith("api:")
    url = (
        reverse(name, kwargs=_kwargs(route, records["internal"]))
        if name not in {"", "favicon.ico"}
        else "/" + route
    )
    wrong = []
    for persona in PERSONAS:
        client = Client()
        if users[persona.key] is not None:
            client.force_login(users[persona.key])
        for method in methods:
            got = classify(_request(client, method, url, api, name), api)
            if got != rule(persona, None):
                wrong.append(f"{method} {name} as {persona.key}: got {got}, expected {rule(persona, None)}")
    assert not wrong, "\n".join(wrong)


def test_the_django_admin_is_for_staff_only(world):
    users, _records = world
    admin_urls = [reverse("admin:index")] + [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model in __import__("django.contrib.admin", fromlist=["site"]).site._registry
    ]
    for persona in PERSONAS:
        client = Client()
        if users[persona.key] is not None:
            client.force_login(users[persona.key])
        for url in admin_urls:
            response = client.get(url)
            if persona.role == Role.ADMINISTRATOR:
                assert response.status_code == 200, url
            else:
                assert response.status_code == 302 and "login" in response["Location"], (persona.key, url)


def test_no_identifying_field_reaches_a_role_that_may_not_see_it(world):
    """The pages and the API answer the same: names for those who may see them, for nobody else."""
    users, records = world
    for persona in PERSONAS[1:]:
        client = Client()
        client.force_login(users[persona.key])
        for record_key, record in records.items():
            if not may_view(persona, record_key):
                continue
            page = client.get(reverse("incidents:detail", args=[record["public_id"]])).content.decode()
            api = client.get(reverse("api:incident_detail", args=[record["public_id"]])).content.decode()
            for body in (page, api):
                shown = "Maïga" in body or "Ma\\u00efga" in body
                assert shown == sees_identities(persona, record_key), (persona.key, record_key)
                assert (
                    "Témoin protégé" in body or "T\\u00e9moin prot\\u00e9g\\u00e9" in body
                ) == sees_identities(persona, record_key)


def test_a_school_page_lists_the_violations_each_role_may_see(world):
    """The `school` record kind: every record's violation is linked to one school; its page and the API
    list a record's incident exactly when the reader may view that record."""
    users, records = world
    code = records["internal"]["code"]
    for persona in PERSONAS[1:]:
        client = Client()
        client.force_login(users[persona.key])
        page = client.get(reverse("schools:detail", args=[code])).content.decode()
        api = client.get(reverse("api:school_detail", args=[code])).content.decode()
        for record_key, record in records.items():
            for body in (page, api):
                assert (record["public_id"] in body) == may_view(persona, record_key), (
                    persona.key,
                    record_key,
                )


def test_no_claim_reaches_a_viewer_an_analyst_or_another_organisation(world):
    """Reparations branch: the claim lists (page and API) name a record's claim exactly when the reader sees
    that record's identities; viewers, analysts, focal points and organisation B never read one."""
    users, records = world
    for persona in PERSONAS[1:]:
        client = Client()
        client.force_login(users[persona.key])
        bodies = [
            client.get(reverse(name)).content.decode() for name in ("reparations:list", "api:claim_list")
        ]
        for record_key, record in records.items():
            for body in bodies:
                assert (record["reference"] in body) == sees_identities(persona, record_key), (
                    persona.key,
                    record_key,
                )
            if persona.role in {Role.VIEWER, Role.ANALYST, Role.FOCAL_POINT} or persona.org != "A":
                assert client.get(reverse("api:claim_detail", args=[record["reference"]])).status_code == 404
