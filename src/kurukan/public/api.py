"""Public figures for API clients: anonymous, and through the same disclosure control as the page."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from kurukan.api.errors import responses
from kurukan.places.models import Level

from . import presenters
from .figures import public_figures

router = Router(tags=["public"])


class PublicQuery(Schema):
    level: str = Field("verified", pattern="^(verified|documented)$", description="verified ou documented")


class Cell(Schema):
    value: int | None = Field(description="null quand le chiffre est masqué (secret statistique)")
    text: str = Field(description="ce que la page affiche : le nombre, « < N » ou « • »")


class AreaCell(Cell):
    pcode: str
    name: str
    rate: float | None = Field(description="pour 100 000 habitants, si une population est chargée")


class CategoryCell(Cell):
    code: str


class RegionCategoryCell(Cell):
    region: str
    category: str


class PublicFiguresOut(Schema):
    measure: str
    level: str
    thresholds: dict
    total: Cell
    by_region: list[AreaCell]
    by_cercle: list[AreaCell]
    by_category: list[CategoryCell]
    region_by_category: list[RegionCategoryCell]
    children: list[CategoryCell]


@router.get(
    "/figures",
    auth=None,
    response={200: PublicFiguresOut, **responses(422)},
    summary="Chiffres publics (victimes), sous secret statistique",
)
def public_figures_api(request: HttpRequest, query: Query[PublicQuery]) -> dict:
    figures = public_figures(query.level)
    table = presenters.crosstab(figures)
    return {
        "measure": "victims",
        "level": figures.level,
        "thresholds": presenters.thresholds(),
        "total": table["total"],
        "by_region": presenters.rows_by_area(figures, Level.REGION),
        "by_cercle": presenters.rows_by_area(figures, Level.CERCLE),
        "by_category": [
            {"code": c["code"], **t} for c, t in zip(table["columns"], table["totals"], strict=True)
        ],
        "region_by_category": [
            {"region": row["code"], "category": column["code"], **c}
            for row in table["rows"]
            for column, c in zip(table["columns"], row["cells"], strict=True)
        ],
        "children": presenters.children(figures),
    }
