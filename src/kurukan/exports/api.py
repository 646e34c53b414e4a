"""Export downloads over the API: the list endpoint's filters (codes), the pages' rules and audit events."""

from __future__ import annotations

from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, StreamingHttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from kurukan.accounts import access
from kurukan.api.errors import InvalidInput, field_error, responses
from kurukan.api.types import PlainText
from kurukan.incidents.api import IncidentFilterQuery, filter_form
from kurukan.incidents.queries import IncidentFilters
from kurukan.justice.models import FollowUpStatus, StageKind
from kurukan.places.models import AdminUnit
from kurukan.reparations.models import ClaimStatus

from . import actions
from .formats import Format
from .registers import RegisterLevel, RegisterQuery
from .rows import Level
from .views import streamed

router = Router(tags=["exports"])


class ExportQuery(IncidentFilterQuery):
    format: Format = Format.CSV


class IdentitiesExportQuery(ExportQuery):
    reason: str = Field(
        "", max_length=500, description="Pourquoi les noms sont nécessaires ; inscrit à l'audit."
    )


def _download(
    request: HttpRequest, level: str, query: ExportQuery, reason: str = ""
) -> StreamingHttpResponse:
    export = actions.Export(
        user=request.user,
        level=level,
        fmt=query.format,
        filters=IncidentFilters.from_form(filter_form(query)),
        reason=reason,
        via="api",
    )
    try:
        return streamed(export)
    except ValidationError as exc:
        raise InvalidInput([field_error("reason", exc.messages[0])]) from exc


DESCRIPTION = (
    "Le fichier entier, envoyé au fil de l'écriture (sans limite de taille), des incidents que la liste "
    "montre avec les mêmes filtres ; colonnes décrites dans docs/exports.md. Chaque export est inscrit à l'audit."
)


@router.get(
    "/incidents",
    response={200: None, **responses(401, 422)},
    summary="Exporter les incidents (un par ligne)",
    description=DESCRIPTION,
)
def export_incidents(request: HttpRequest, filters: Query[ExportQuery]) -> StreamingHttpResponse:
    return _download(request, Level.INCIDENTS, filters)


@router.get(
    "/violations",
    response={200: None, **responses(401, 422)},
    summary="Exporter les violations et atteintes (une par ligne)",
    description=DESCRIPTION,
)
def export_violations(request: HttpRequest, filters: Query[ExportQuery]) -> StreamingHttpResponse:
    return _download(request, Level.VIOLATIONS, filters)


@router.get(
    "/victims",
    response={200: None, **responses(401, 403, 422)},
    summary="Exporter les victimes avec leurs noms (rôles qui enregistrent ; motif obligatoire)",
    description=DESCRIPTION,
)
def export_victims(request: HttpRequest, filters: Query[IdentitiesExportQuery]) -> StreamingHttpResponse:
    if not access.can_export_identities(request.user):
        raise PermissionDenied
    return _download(request, Level.VICTIMS, filters, filters.reason)


# --- the registers: judicial cases, interventions, reparation claims ---------------------------------------

RegisterFormat = Literal["csv", "xlsx", "hxl", "json"]


class CaseExportQuery(Schema):
    format: RegisterFormat = "csv"
    jurisdiction: PlainText = Field("", max_length=60, description="Code du vocabulaire jurisdiction.")
    stage: Literal[tuple(StageKind.values) + ("",)] = ""  # type: ignore[valid-type]
    q: PlainText = Field("", max_length=200, description="Identifiant, numéro ou intitulé.")


class InterventionExportQuery(Schema):
    format: RegisterFormat = "csv"
    status: Literal[tuple(FollowUpStatus.values) + ("",)] = ""  # type: ignore[valid-type]
    overdue: bool = False


class ClaimExportQuery(Schema):
    format: RegisterFormat = "csv"
    status: Literal[tuple(ClaimStatus.values) + ("",)] = ""  # type: ignore[valid-type]
    reference: PlainText = Field("", max_length=40)
    region: PlainText = Field("", max_length=20, description="P-code de la région (ML05).")
    reason: PlainText = Field(
        "", max_length=500, description="Pourquoi les noms sont nécessaires ; inscrit à l'audit."
    )


def _register_download(request: HttpRequest, level: str, fmt: str, query: RegisterQuery, reason: str = ""):
    export = actions.Export(user=request.user, level=level, fmt=fmt, query=query, reason=reason, via="api")
    try:
        return streamed(export)
    except ValidationError as exc:
        raise InvalidInput([field_error("reason", exc.messages[0])]) from exc


REGISTER_DESCRIPTION = (
    "Le fichier entier, envoyé au fil de l'écriture, des lignes que la liste montre avec les mêmes filtres ; "
    "colonnes décrites dans docs/exports.md. Chaque export est inscrit à l'audit."
)


@router.get(
    "/cases",
    response={200: None, **responses(401, 422)},
    summary="Exporter les procédures judiciaires (une par ligne)",
    description=REGISTER_DESCRIPTION,
)
def export_cases(request: HttpRequest, filters: Query[CaseExportQuery]) -> StreamingHttpResponse:
    query = RegisterQuery(jurisdiction=filters.jurisdiction, stage=filters.stage, q=filters.q.strip())
    return _register_download(request, RegisterLevel.CASES, filters.format, query)


@router.get(
    "/interventions",
    response={200: None, **responses(401, 422)},
    summary="Exporter les interventions (une par ligne)",
    description=REGISTER_DESCRIPTION,
)
def export_interventions(
    request: HttpRequest, filters: Query[InterventionExportQuery]
) -> StreamingHttpResponse:
    query = RegisterQuery(status=filters.status, overdue=filters.overdue)
    return _register_download(request, RegisterLevel.INTERVENTIONS, filters.format, query)


@router.get(
    "/claims",
    response={200: None, **responses(401, 403, 422)},
    summary="Exporter les demandes de réparation avec les noms (rôles qui les traitent ; motif obligatoire)",
    description=REGISTER_DESCRIPTION,
)
def export_claims(request: HttpRequest, filters: Query[ClaimExportQuery]) -> StreamingHttpResponse:
    if not access.may_handle_claims(request.user):
        raise PermissionDenied
    region = filters.region.strip().upper()
    if region and not AdminUnit.objects.current().regions().filter(pcode=region).exists():
        raise InvalidInput(
            [field_error("region", _("P-code de région inconnu : une région s'écrit comme ML05."))]
        )
    query = RegisterQuery(status=filters.status, reference=filters.reference.strip(), region=region)
    return _register_download(request, RegisterLevel.CLAIMS, filters.format, query, filters.reason)
