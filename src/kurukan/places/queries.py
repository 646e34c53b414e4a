"""Place search shared by the picker on the pages and the API: same matches, same order."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from kurukan.text import fold

from .models import AdminUnit, Level, Settlement

LIMIT = 15
MIN_LENGTH = 2


@dataclass(frozen=True)
class PlaceMatch:
    value: str  # what the forms and the incident filters take: "unit:<pk>" or "settlement:<pk>"
    pcode: str
    name: str
    level: str  # "cercle", "commune" or "settlement"
    kind: str  # the level in the user's language
    context: str  # the units above it, for telling namesakes apart


def _starting_then_containing(qs: QuerySet, text: str, order: tuple[str, ...], limit: int) -> list:
    """Names that start with the text come first, then names that merely contain it."""
    found = list(qs.filter(name_search__startswith=text).order_by(*order)[:limit])
    if len(found) < limit:
        found += list(
            qs.filter(name_search__contains=text)
            .exclude(name_search__startswith=text)
            .order_by(*order)[: limit - len(found)]
        )
    return found


def search_places(
    raw: str, *, region_id: int | None = None, units_only: bool = False, limit: int = LIMIT
) -> list[PlaceMatch]:
    """Current cercles and communes, then settlements, whose names match `raw`, whatever accents or case."""
    text = fold(raw)
    if len(text) < MIN_LENGTH:
        return []
    unit_qs = AdminUnit.objects.current().filter(level__gte=Level.CERCLE).select_related("parent", "region")
    settlement_qs = Settlement.objects.filter(commune__boundary_set__is_current=True).select_related(
        "commune__parent__parent"
    )
    if region_id is not None:
        unit_qs = unit_qs.filter(region_id=region_id)
        settlement_qs = settlement_qs.filter(commune__region_id=region_id)
    units = _starting_then_containing(unit_qs, text, ("level", "name"), limit)
    settlements = [] if units_only else _starting_then_containing(settlement_qs, text, ("name",), limit)
    return [_unit_match(u) for u in units] + [_settlement_match(s) for s in settlements]


def _unit_match(unit: AdminUnit) -> PlaceMatch:
    above = (p.name for p in (unit.parent, unit.region) if p is not None and p.pk != unit.pk and p.level > 0)
    return PlaceMatch(
        value=f"unit:{unit.pk}",
        pcode=unit.pcode,
        name=unit.name,
        level=Level(unit.level).name.lower(),
        kind=unit.get_level_display(),
        context=", ".join(dict.fromkeys(above)),
    )


def _settlement_match(settlement: Settlement) -> PlaceMatch:
    commune = settlement.commune
    cercle = commune.parent
    region = cercle.parent if cercle is not None else None
    return PlaceMatch(
        value=f"settlement:{settlement.pk}",
        pcode=settlement.pcode,
        name=settlement.name,
        level="settlement",
        kind=_("localité"),
        context=", ".join(unit.name for unit in (commune, cercle, region) if unit is not None),
    )
