"""Reparation claims over JSON: the same access helpers, forms (same checks, same messages) and actions (same
single-compensation rule, same audit events) as the pages. References in, references out."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from kurukan.accounts import access
from kurukan.api.errors import InvalidInput, field_error, form_errors, responses
from kurukan.api.types import Offset, PlainText, Text
from kurukan.statistics.reparations import claim_table_for

from . import actions, presenters, queries
from .forms import ClaimForm, PaymentForm, StatusForm
from .models import ClaimStatus, Measure, Relationship

router = Router(tags=["reparations"])
MAX_LIMIT = 100
MAX_XOF = 10**12  # a thousand billion CFA francs: far above any award, well inside the database's integers


class Input(Schema):
    model_config = ConfigDict(extra="forbid")


class ListQuery(Schema):
    status: Literal[tuple(ClaimStatus.values) + ("",)] = ""  # type: ignore[valid-type]
    reference: str = Field("", max_length=40)
    limit: int = Field(settings.PAGE_SIZE, ge=1, le=MAX_LIMIT)
    offset: Offset = 0


class ClaimRow(Schema):
    reference: Text
    person: Text
    status: Text
    status_code: Text
    filed_on: dt.date
    amount_requested: Text
    amount_granted: Text
    paid: Text


class ClaimPage(Schema):
    count: int
    items: list[ClaimRow]


class ViolationOut(Schema):
    id: int
    incident: Text
    date: dt.date
    type: Text
    type_code: Text
    verification: Text


class StepOut(Schema):
    status: Text
    code: Text
    on: dt.date
    note: Text


class PaymentOut(Schema):
    paid_on: dt.date
    amount: Text
    reference: Text


class ClaimOut(ClaimRow):
    name: Text
    claimant: Text
    relationship: Text
    harm: Text
    measures_requested: list[Text]
    measures_granted: list[Text]
    deciding_body: Text
    decided_on: dt.date | None
    amount_granted_xof: int | None
    violations: list[ViolationOut]
    history: list[StepOut]
    payments: list[PaymentOut]


class ClaimIn(Input):
    person: str = Field(description="Identifiant de la fiche de la victime (P-…), ou d'une fiche en double.")
    violations: list[int] = Field(description="Identifiants des violations dont la personne est victime.")
    relationship: Relationship = Relationship.SELF
    claimant_name: str = Field(
        "", max_length=200, description="Nom de l'ayant droit, s'il dépose la demande."
    )
    harm: str = Field(max_length=5000)
    measures_requested: list[Measure]
    amount_requested: int | None = Field(None, ge=0, le=MAX_XOF, description="En francs CFA (XOF).")
    filed_on: dt.date


class StatusIn(Input):
    status: ClaimStatus
    changed_on: dt.date
    deciding_body: str = Field("", max_length=200)
    decided_on: dt.date | None = None
    amount_granted: int | None = Field(None, ge=0, le=MAX_XOF)
    measures_granted: list[Measure] = []
    note: str = Field("", max_length=300)


class PaymentIn(Input):
    paid_on: dt.date
    amount: int = Field(gt=0, le=MAX_XOF, description="En francs CFA (XOF).")
    reference: str = Field("", max_length=100)


class ClaimPatch(Input):
    """Only the fields sent change; the decision's fields are for those who decide."""

    relationship: Relationship | None = None
    claimant_name: PlainText | None = Field(None, max_length=200)
    harm: PlainText | None = Field(None, min_length=1, max_length=5000)
    measures_requested: list[Measure] | None = Field(None, min_length=1)
    amount_requested: int | None = Field(None, ge=0, le=MAX_XOF)
    filed_on: dt.date | None = None
    measures_granted: list[Measure] | None = None
    deciding_body: PlainText | None = Field(None, max_length=200)
    decided_on: dt.date | None = None
    amount_granted: int | None = Field(None, ge=0, le=MAX_XOF)


class FigureRow(Schema):
    region: Text | None = None
    violation_type: Text | None = None
    sex: Text | None = None
    registered: int
    eligible: int
    paid: int


class FiguresOut(Schema):
    by: list[Text]
    rows: list[FigureRow]
    total: dict[str, int]


def _claim_out(claim) -> dict:
    context = presenters.claim_context(claim)
    return {
        **context["row"],
        "claimant": context["claimant"],
        "relationship": claim.relationship,
        "harm": claim.harm,
        "measures_requested": claim.measures_requested,
        "measures_granted": claim.measures_granted,
        "deciding_body": claim.deciding_body,
        "decided_on": claim.decided_on,
        "amount_granted_xof": claim.amount_granted,
        "violations": context["violations"],
        "history": context["steps"],
        "payments": context["payments"],
    }


def _raise(exc: ValidationError) -> None:
    raise InvalidInput(
        [field_error(field, message) for field, messages in exc.message_dict.items() for message in messages]
    ) from exc


@router.get("/claims", response={200: ClaimPage, **responses(401, 403, 422)}, url_name="claim_list",
            summary="Demandes de réparation que l'on peut consulter")  # fmt: skip
def claim_list(request: HttpRequest, filters: Query[ListQuery]) -> dict:
    if not access.may_handle_claims(request.user):
        raise PermissionDenied
    claims = queries.claims(
        request.user, queries.ClaimFilters(status=filters.status, reference=filters.reference)
    )
    rows = [presenters.claim_row(c) for c in claims[filters.offset : filters.offset + filters.limit]]
    return {"count": claims.count(), "items": rows}


@router.post("/claims", response={201: ClaimOut, **responses(401, 403, 404, 422)}, url_name="claim_create",
             summary="Enregistrer une demande (refusée si la victime a déjà une demande pour la violation)")  # fmt: skip
def claim_create(request: HttpRequest, payload: ClaimIn) -> Status:
    if not access.may_handle_claims(request.user):
        raise PermissionDenied
    try:
        person = access.get_person_for_claim(request.user, payload.person)
    except Http404:
        # A field of the body, not a path: named like any other bad field (and says nothing more).
        raise InvalidInput(
            [
                field_error(
                    "person",
                    _("« %(id)s » : aucune fiche de victime que vous puissiez voir sous cet identifiant.")
                    % {"id": payload.person},
                )
            ]
        ) from None
    data = payload.dict()
    data.pop("person")
    data["measures_requested"] = [str(m) for m in payload.measures_requested]
    data = {k: ("" if v is None else v) for k, v in data.items()}
    form = ClaimForm(data, violations=queries.violations_of(request.user, person))
    if not form.is_valid():
        raise InvalidInput(form_errors(form))
    claim = form.save(commit=False)
    claim.person = person
    try:
        claim = actions.register_claim(claim, list(form.cleaned_data["violations"]), request.user)
    except ValidationError as exc:
        _raise(exc)
    return Status(201, _claim_out(claim))


@router.get("/claims/{reference}", response={200: ClaimOut, **responses(401, 404)}, url_name="claim_detail",
            summary="Une demande, son historique et ses paiements")  # fmt: skip
def claim_detail(request: HttpRequest, reference: str) -> dict:
    return _claim_out(access.get_claim_for_view(request.user, reference))


@router.patch("/claims/{reference}", response={200: ClaimOut, **responses(401, 403, 404, 422)},
              url_name="claim_update", summary="Corriger une demande (l'historique garde les valeurs précédentes)")  # fmt: skip
def claim_update(request: HttpRequest, reference: str, payload: ClaimPatch) -> dict:
    claim = access.get_claim_for_view(request.user, reference)
    changes = payload.dict(exclude_unset=True)
    if set(changes) & set(actions.DECISION) and not access.can_decide_claim(request.user, claim):
        raise PermissionDenied
    for name in ("measures_requested", "measures_granted"):
        if changes.get(name) is not None:
            changes[name] = [str(m) for m in changes[name]]
    if changes.get("relationship") is not None:
        changes["relationship"] = str(changes["relationship"])
    nullable = {"amount_requested", "amount_granted", "decided_on"}
    missing = [f for f, v in changes.items() if v is None and f not in nullable]
    if missing:
        raise InvalidInput([field_error(f, _("Ce champ ne peut pas être vide.")) for f in missing])
    try:
        claim = actions.update_claim(claim, request.user, changes)
    except ValidationError as exc:
        _raise(exc)
    return _claim_out(claim)


@router.post("/claims/{reference}/status", response={200: ClaimOut, **responses(401, 403, 404, 422)},
             url_name="claim_status", summary="Changer le statut (décision : organe et date)")  # fmt: skip
def claim_status(request: HttpRequest, reference: str, payload: StatusIn) -> dict:
    claim = access.get_claim_for_decision(request.user, reference)
    data = payload.dict()
    data["measures_granted"] = [str(m) for m in payload.measures_granted]
    data = {k: ("" if v is None else v) for k, v in data.items()}
    form = StatusForm(data)
    if not form.is_valid():
        raise InvalidInput(form_errors(form))
    try:
        claim = actions.change_status(claim, request.user, **form.cleaned_data)
    except ValidationError as exc:
        _raise(exc)
    return _claim_out(claim)


@router.post("/claims/{reference}/payments", response={201: ClaimOut, **responses(401, 403, 404, 422)},
             url_name="claim_payment", summary="Enregistrer un paiement (jamais au-delà du montant accordé)")  # fmt: skip
def claim_payment(request: HttpRequest, reference: str, payload: PaymentIn) -> Status:
    claim = access.get_claim_for_decision(request.user, reference)
    form = PaymentForm(payload.dict())
    if not form.is_valid():
        raise InvalidInput(form_errors(form))
    try:
        actions.record_payment(claim, request.user, form.save(commit=False))
    except ValidationError as exc:
        _raise(exc)
    claim.refresh_from_db()
    return Status(201, _claim_out(claim))


@router.get("/figures", response={200: FiguresOut, **responses(401, 403, 422)}, url_name="claim_figures",
            summary="Victimes enregistrées, éligibles et payées, par région, type de violation ou sexe")  # fmt: skip
def claim_figures(request: HttpRequest, by: Literal["region", "violation_type", "sex", ""] = "") -> dict:
    if not access.may_read_claim_figures(request.user):
        raise PermissionDenied
    return claim_table_for(request.user, [by] if by else []).as_dict()
