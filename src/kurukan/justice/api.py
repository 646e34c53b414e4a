"""Judicial cases, interventions and the impunity indicators over JSON, with the pages' rules: reads through
`access.visible` / `access.get_for_view`, a stage through the page's form and action (same checks, same
messages, same audit event)."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import io
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from kurukan.accounts import access
from kurukan.accounts.models import Confidentiality
from kurukan.actors.models import Actor
from kurukan.api.errors import Conflict, InvalidInput, field_error, form_errors, responses
from kurukan.api.types import Offset, PlainText, Text
from kurukan.evidence import storage
from kurukan.evidence.forms import MEDIA_TYPE_RE
from kurukan.recommendations.models import Institution
from kurukan.statistics.counting import Scope
from kurukan.statistics.impunity import impunity
from kurukan.vocabularies.models import Term

from . import actions, documents, presenters, queries
from .consent import named_on
from .document_views import streamed
from .forms import AnswerForm, CaseForm, CivilPartyForm, DefendantForm, InterventionForm, StageForm
from .models import (
    CaseDocument,
    DefendantRole,
    DocumentKind,
    FollowUpStatus,
    Intervention,
    InterventionKind,
    JudicialCase,
)

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


class DocumentOut(Schema):
    id: int
    kind: Text
    kind_code: Text
    dated: dt.date | None
    size: int
    sha256: Text
    media_type: Text
    name: Text = Field(description="Vide pour qui ne voit pas les identités des dossiers visés.")


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
    documents: list[DocumentOut]


class PageQuery(Schema):
    limit: int = Field(20, ge=1, le=MAX_LIMIT)
    offset: Offset = 0


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
        "documents": [{**d, "kind": str(d["kind"])} for d in context["documents"]],
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


# --- writes: the pages' forms and actions (same checks, same messages, same audit events) --------------------


class CaseIn(Schema):
    model_config = ConfigDict(extra="forbid")
    title: PlainText = Field(min_length=1, max_length=250)
    jurisdiction: PlainText = Field(max_length=60, description="Code du vocabulaire « jurisdiction ».")
    court: PlainText = Field("", max_length=250)
    reference: PlainText = Field("", max_length=120)
    confidentiality: Confidentiality = Confidentiality.INTERNAL
    violations: list[int] = Field(description="Identifiants des violations visées (que l'on peut voir).")


class DefendantIn(Schema):
    model_config = ConfigDict(extra="forbid")
    actor: PlainText = Field("", max_length=60, description="Code de l'acteur mis en cause…")
    person: PlainText = Field("", max_length=40, description="… ou identifiant P-… d'un auteur présumé.")
    role: DefendantRole


class CivilPartyIn(Schema):
    model_config = ConfigDict(extra="forbid")
    person: PlainText = Field(
        max_length=40, description="Identifiant P-… d'une victime des violations visées."
    )
    joined_on: dt.date


class InterventionIn(Schema):
    model_config = ConfigDict(extra="forbid")
    kind: InterventionKind
    institution: PlainText = Field(max_length=60, description="Code de l'institution destinataire.")
    sent_on: dt.date
    request: PlainText = Field(min_length=1, max_length=5000)
    deadline: dt.date | None = None
    confidentiality: Confidentiality = Confidentiality.INTERNAL
    violations: list[int] = []
    victims: list[PlainText] = Field([], description="Identifiants P-… de victimes des violations citées.")


class AnswerIn(Schema):
    model_config = ConfigDict(extra="forbid")
    answer: PlainText = Field("", max_length=5000)
    answered_on: dt.date | None = None
    status: FollowUpStatus


class InterventionOut(InterventionRow):
    request: Text
    answer: Text
    confidentiality: Text


def _refused(exc: ValidationError) -> InvalidInput:
    return InvalidInput([field_error(f, m) for f, messages in exc.message_dict.items() for m in messages])


def _pk_of(rows, field: str, code: str, message: str) -> str:
    """A code of the body as the form's choice (a primary key); an unknown code is the field's error."""
    if not code:
        return ""
    row = rows.filter(code=code).first()
    if row is None:
        raise InvalidInput([field_error(field, message % {"code": code})])
    return str(row.pk)


def _intervention_out(intervention: Intervention) -> dict:
    row = presenters.intervention_rows([intervention])[0]
    return {
        **row,
        "kind": str(row["kind"]),
        "status": str(row["status"]),
        "request": intervention.request,
        "answer": intervention.answer,
        "confidentiality": intervention.confidentiality,
    }


@router.post(
    "/cases",
    response={201: CaseOut, **responses(401, 403, 422)},
    url_name="case_create",
    summary="Ouvrir une procédure sur des violations (niveau hérité du dossier le plus restreint)",
)
def case_create(request: HttpRequest, payload: CaseIn) -> Status:
    if not access.may_record(request.user):
        raise PermissionDenied
    data = payload.dict()
    data["jurisdiction"] = _pk_of(
        Term.objects.of("jurisdiction"),
        "jurisdiction",
        payload.jurisdiction,
        _("« %(code)s » : juridiction inconnue (vocabulaire jurisdiction)."),
    )
    data["confidentiality"] = str(payload.confidentiality)
    form = CaseForm(data, user=request.user)
    if not form.is_valid():
        raise InvalidInput(form_errors(form))
    case = actions.open_case(form.save(commit=False), list(form.cleaned_data["violations"]), request.user)
    return Status(201, _case_out(request.user, case))


@router.post(
    "/cases/{case_id}/defendants",
    response={201: CaseOut, **responses(401, 403, 404, 422)},
    url_name="case_defendant_add",
    summary="Ajouter un mis en cause (un acteur, ou un auteur présumé des violations visées)",
)
def case_defendant_add(request: HttpRequest, case_id: str, payload: DefendantIn) -> Status:
    case = access.get_for_edit(request.user, JudicialCase, public_id=case_id)
    data = payload.dict()
    data["actor"] = _pk_of(Actor.objects.all(), "actor", payload.actor, _("« %(code)s » : acteur inconnu."))
    data["role"] = str(payload.role)
    form = DefendantForm(data, perpetrators=presenters.perpetrators_of(request.user, case))
    if not form.is_valid():
        raise InvalidInput(form_errors(form))
    try:
        actions.add_defendant(case, form.save(commit=False), request.user)
    except ValidationError as exc:
        raise _refused(exc) from exc
    return Status(201, _case_out(request.user, case))


@router.post(
    "/cases/{case_id}/civil-parties",
    response={201: CaseOut, **responses(401, 403, 404, 422)},
    url_name="case_civil_party_add",
    summary="Constituer une victime partie civile (seulement avec son consentement à la procédure)",
)
def case_civil_party_add(request: HttpRequest, case_id: str, payload: CivilPartyIn) -> Status:
    case = access.get_for_edit(request.user, JudicialCase, public_id=case_id)
    form = CivilPartyForm(payload.dict(), victims=presenters.victims_of(request.user, case))
    if not form.is_valid():
        raise InvalidInput(form_errors(form))
    try:
        actions.add_civil_party(case, form.save(commit=False), request.user)
    except ValidationError as exc:
        raise _refused(exc) from exc
    return Status(201, _case_out(request.user, case))


@router.post(
    "/interventions",
    response={201: InterventionOut, **responses(401, 403, 422)},
    url_name="intervention_create",
    summary="Enregistrer une intervention (lettre, demande, saisine, appel urgent)",
)
def intervention_create(request: HttpRequest, payload: InterventionIn) -> Status:
    if not access.may_record(request.user):
        raise PermissionDenied
    data = {k: ("" if v is None else v) for k, v in payload.dict().items()}
    data["institution"] = _pk_of(
        Institution.objects.all(),
        "institution",
        payload.institution,
        _("« %(code)s » : institution inconnue."),
    )
    data["kind"], data["confidentiality"] = str(payload.kind), str(payload.confidentiality)
    data["victim_ids"] = ", ".join(data.pop("victims"))
    form = InterventionForm(data, user=request.user)
    if not form.is_valid():
        raise InvalidInput(form_errors(form, rename={"victim_ids": "victims"}))
    intervention = actions.record_intervention(
        form.save(commit=False),
        list(form.cleaned_data["violations"]),
        form.cleaned_data["victims"],
        request.user,
    )
    return Status(201, _intervention_out(intervention))


@router.post(
    "/interventions/{intervention_id}/answer",
    response={200: InterventionOut, **responses(401, 403, 404, 422)},
    url_name="intervention_answer",
    summary="Enregistrer la réponse reçue, sa date et le suivi",
)
def intervention_answer(request: HttpRequest, intervention_id: str, payload: AnswerIn) -> dict:
    intervention = access.get_for_edit(request.user, Intervention, public_id=intervention_id)
    data = {k: ("" if v is None else v) for k, v in payload.dict().items()}
    data["status"] = str(payload.status)
    form = AnswerForm(data, instance=intervention)
    if not form.is_valid():
        raise InvalidInput(form_errors(form))
    try:
        intervention = actions.record_answer(form.save(commit=False), request.user)
    except ValidationError as exc:
        raise _refused(exc) from exc
    return _intervention_out(intervention)


MAX_API_DOCUMENT = 20 * 1024 * 1024  # bytes: larger files go through the page, which streams them


class DocumentIn(Schema):
    model_config = ConfigDict(extra="forbid")
    kind: DocumentKind
    name: PlainText = Field(min_length=1, max_length=255, description="Nom du fichier (chiffré au repos).")
    media_type: PlainText = Field("application/octet-stream", max_length=127)
    content_base64: PlainText = Field(
        min_length=1,
        max_length=(MAX_API_DOCUMENT * 4) // 3 + 4,
        description="Le fichier encodé en base64 (20 Mo au plus ; au-delà, la page).",
    )
    dated: dt.date | None = None
    description: PlainText = Field("", max_length=2000)


@router.post(
    "/cases/{case_id}/documents",
    response={201: DocumentOut, **responses(401, 403, 404, 422)},
    url_name="case_document_add",
    summary="Joindre une pièce à la procédure (chiffrée au repos, empreinte SHA-256, inscrite à l'audit)",
)
def case_document_add(request: HttpRequest, case_id: str, payload: DocumentIn) -> Status:
    case = access.get_for_view(request.user, JudicialCase, public_id=case_id)
    if not documents.may_add_documents(request.user, case):
        raise PermissionDenied
    try:
        content = base64.b64decode(payload.content_base64, validate=True)
    except (binascii.Error, ValueError):
        content = b""
    if not content:
        raise InvalidInput(
            [field_error("content_base64", _("Contenu illisible : encodez le fichier en base64 (RFC 4648)."))]
        )
    if payload.dated and payload.dated > timezone.localdate():
        raise InvalidInput(
            [field_error("dated", _("Cette date est dans le futur : indiquez la date portée sur la pièce."))]
        )
    media_type = payload.media_type.strip().lower()
    document, _created = documents.receive_document(
        case,
        request.user,
        storage.spool_from(io.BytesIO(content)),
        kind=str(payload.kind),
        original_name=payload.name,
        media_type=media_type if MEDIA_TYPE_RE.match(media_type) else "application/octet-stream",
        dated=payload.dated,
        description=payload.description,
    )
    row = next(d for d in documents.document_rows(request.user, case) if d["id"] == document.pk)
    return Status(201, {**row, "kind": str(row["kind"])})


@router.get(
    "/cases/{case_id}/documents/{document_id}",
    response={200: None, **responses(401, 403, 404, 409, 422)},
    url_name="case_document_download",
    summary="Télécharger une pièce (intégrité vérifiée avant l'envoi ; inscrit à l'audit)",
)
def case_document_download(request: HttpRequest, case_id: str, document_id: int):
    case = access.get_for_view(request.user, JudicialCase, public_id=case_id)
    if not documents.sees_documents(request.user, case):
        raise PermissionDenied
    document = CaseDocument.objects.filter(pk=document_id, case=case).first()
    if document is None:
        raise Http404
    if documents.check_before_sending(document, request.user, via="api") is not None:
        raise Conflict(_("Pièce altérée ou manquante : elle n'est pas envoyée. Prévenez l'administrateur."))
    return streamed(document)
