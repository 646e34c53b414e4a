"""Export downloads over the API: the list endpoint's filters (codes), the pages' rules and audit events."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, StreamingHttpResponse
from ninja import Field, Query, Router

from kurukan.accounts import access
from kurukan.api.errors import InvalidInput, field_error, responses
from kurukan.incidents.api import IncidentFilterQuery, filter_form
from kurukan.incidents.queries import IncidentFilters

from . import actions
from .formats import Format
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
