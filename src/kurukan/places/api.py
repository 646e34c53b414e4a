"""Place search for API clients: the picker's matches, with P-codes."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from kurukan.api.errors import responses

from .queries import LIMIT, search_places

router = Router(tags=["places"])


class PlaceSearch(Schema):
    q: str = Field(
        "", description="Au moins 2 caractères ; accents et majuscules indifférents.", max_length=120
    )
    region: int | None = Field(
        None, description="Limiter à une région (identifiant, comme le filtre de la liste)."
    )
    units_only: bool = Field(False, description="Cercles et communes seulement, sans les localités.")


class PlaceOut(Schema):
    value: str = Field(description="À passer tel quel au filtre `place` de /api/incidents (unit:<id>).")
    pcode: str
    name: str
    level: str = Field(description="cercle, commune ou settlement")
    kind: str
    context: str


@router.get(
    "/search",
    response={200: list[PlaceOut], **responses(401, 422)},
    summary="Chercher une commune ou une localité",
)
def place_search(request: HttpRequest, filters: Query[PlaceSearch]) -> list:
    return search_places(filters.q, region_id=filters.region, units_only=filters.units_only, limit=LIMIT)
