"""Judicial cases, interventions and the impunity indicators over JSON, with the pages' rules: reads through
`access.visible` / `access.get_for_view`, a stage through the page's form and action (same checks, same
messages, same audit event)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from kurukan.accounts import access
from kurukan.api.errors import InvalidInput, field_error, form_errors, responses
from kurukan.api.types import Text
from kurukan.statistics.counting import Scope
from kurukan.statistics.impunity import impunity

from . import actions, presenters, queries
from .consent import named_on
from .forms import StageForm
from .models import Intervention, JudicialCase

router = Router(tags=["justice"])
MAX_LIMIT = 100


class StageOut(Schema):
    kind: Text
    on: dt.date
    outcome: Text
    sentence: Text


class CaseRow(Schema):
    public_id: Text
    title: Text
    jurisdiction: Text
    court: Text
    reference: Text
    stage: Text
    stage_on: dt.date | None
    confidentiality: Text


class CasePage(Schema):
    count: int
    items: list[CaseRow]


class LinkedViolation(Schema):
    incident: Text
    type: Text
    date: dt.date


class CaseOut(Schema):
    public_id: Text
    title: Text
    jurisdiction: Text
    court: Text
    reference: Text
    confidentiality: Text
    stages: list[StageOut]
    violations: list[LinkedViolation]
    defendants: list[dict]
    civil_parties: list[Text]


class PageQuery(Schema):
    limit: int = Field(20, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0)


class StageIn(Schema):
    model_config = ConfigDict(extra="forbid")
    kind: Text
    on: dt.date
    outcome: Text = ""
    sentence: Text = ""
    note: Text = ""


class InterventionRow(Schema):
    public_id: Text
    kind: Text
    institution: Text
    sent_on: dt.date
    deadline: dt.date | None
    answered_on: dt.date | None
    status: Text
    overdue: bool


class InterventionDetail(InterventionRow):
    victims: list[Text] = Field(description="Identifiants P-… des victimes nommées (jamais leurs noms)")
    victims_withheld: int = Field(
        0,
        description="Victimes d'une saisine retirées : leur consentement à l'orientation n'est plus en vigueur",
    )


class InterventionPage(Schema):
    count: int
    items: list[InterventionRow]


class InterventionQuery(PageQuery):
    overdue: bool = False


class ImpunityQuery(Schema):
    by: Literal["violation_type", "region", "perpetrator_category"] = "violation_type"


@router.get(
    "/cases", response={200: CasePage, **responses(401, 422)}, url_name="case_list", summary="Procédures"
)
def case_list(request: HttpRequest, page: Query[PageQuery]) -> dict:
    cases = queries.cases(request.user)
    rows = presenters.case_rows(list(cases[page.offset : page.offset + page.limit]))
    return {"count": cases.count(), "items": [{**r, "stage": str(r["stage"])} for r in rows]}


def _case_out(user, case: JudicialCase) -> dict:
    context = presenters.case_context(user, case)
    return {
        "public_id": case.public_id,
        "title": case.title,
        "jurisdiction": context["jurisdiction"],
        "court": case.court,
        "reference": case.reference,
        "confidentiality": case.confidentiality,
        "stages": [
            {"kind": s.kind, "on": s.on, "outcome": s.outcome, "sentence": s.sentence}
            for s in context["stages"]
        ],
        "violations": context["violations"],
        "defendants": [{"name": d["name"], "role": str(d["role"])} for d in context["defendants"]],
        "civil_parties": [p["person"] for p in context["civil_parties"]],
    }


@router.get(
    "/cases/{case_id}",
    response={200: CaseOut, **responses(401, 404)},
    url_name="case_detail",
    summary="Une procédure, ses étapes et les violations visées que l'on peut voir",
)
def case_detail(request: HttpRequest, case_id: str) -> dict:
    return _case_out(request.user, access.get_for_view(request.user, JudicialCase, public_id=case_id))


@router.post(
    "/cases/{case_id}/stages",
    response={201: CaseOut, **responses(401, 403, 404, 422)},
    url_name="case_stage_add",
    summary="Enregistrer une étape (un jugement dit sa décision)",
)
def case_stage_add(request: HttpRequest, case_id: str, payload: StageIn) -> Status:
    case = access.get_for_edit(request.user, JudicialCase, public_id=case_id)
    form = StageForm(payload.dict())
    if not form.is_valid():
        raise InvalidInput(form_errors(form))
    try:
        actions.add_stage(case, form.save(commit=False), request.user)
    except ValidationError as exc:
        raise InvalidInput(
            [field_error(f, m) for f, messages in exc.message_dict.items() for m in messages]
        ) from exc
    return Status(201, _case_out(request.user, case))


@router.get(
    "/interventions",
    response={200: InterventionPage, **responses(401, 422)},
    url_name="intervention_list",
    summary="Interventions (overdue=true : délai dépassé sans réponse)",
)
def intervention_list(request: HttpRequest, filters: Query[InterventionQuery]) -> dict:
    today = timezone.localdate()
    qs = queries.interventions(request.user, overdue_on=today if filters.overdue else None)
    rows = presenters.intervention_rows(list(qs[filters.offset : filters.offset + filters.limit]), today)
    return {
        "count": qs.count(),
        "items": [{**r, "kind": str(r["kind"]), "status": str(r["status"])} for r in rows],
    }


@router.get(
    "/interventions/{intervention_id}",
    response={200: InterventionDetail, **responses(401, 404)},
    url_name="intervention_detail",
    summary="Une intervention et son suivi",
)
def intervention_detail(request: HttpRequest, intervention_id: str) -> dict:
    intervention = access.get_for_view(request.user, Intervention, public_id=intervention_id)
    row = presenters.intervention_rows([intervention])[0]
    named, withheld = named_on(intervention, list(intervention.victims.all()))
    return {
        **row,
        "kind": str(row["kind"]),
        "status": str(row["status"]),
        "victims": [p.public_id for p in named],
        "victims_withheld": withheld,
    }


@router.get(
    "/impunity",
    response={200: dict, **responses(401, 422)},
    url_name="impunity",
    summary="Indicateurs d'impunité sur les violations vérifiées que l'on peut voir",
)
def impunity_table(request: HttpRequest, filters: Query[ImpunityQuery]) -> dict:
    return impunity(filters.by, scope=Scope.for_user(request.user)).as_dict()
