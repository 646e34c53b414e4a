"""An offline SVG point map of closed schools over the region outlines (no tiles, no script, CSP-clean).

Presentation attributes (fill, stroke) are SVG attributes, not inline styles, so the strict CSP allows them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from kurukan.places.models import AdminUnit, Level

# Mali's extent with a margin; an equirectangular projection is faithful enough at this latitude and scale.
WEST, EAST, SOUTH, NORTH = -12.5, 4.5, 10.0, 25.5
WIDTH = 600
SCALE = WIDTH / (EAST - WEST)
HEIGHT = round((NORTH - SOUTH) * SCALE)


def project(longitude: float, latitude: float) -> tuple[float, float]:
    return round((longitude - WEST) * SCALE, 1), round((NORTH - latitude) * SCALE, 1)


def _rings(geometry: dict) -> list[list]:
    if geometry.get("type") == "Polygon":
        return list(geometry["coordinates"])
    if geometry.get("type") == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    return []


@lru_cache(maxsize=4)
def _outlines(boundary_set_id: int) -> tuple[tuple[str, str, str], ...]:
    outlines = []
    regions = AdminUnit.objects.filter(boundary_set_id=boundary_set_id, level=Level.REGION)
    for pcode, name, geometry in regions.values_list("pcode", "name", "geometry"):
        parts = []
        for ring in _rings(geometry or {}):
            points = [project(lon, lat) for lon, lat, *_rest in ring]
            parts.append("M" + "L".join(f"{x},{y}" for x, y in points) + "Z")
        outlines.append((pcode, name, "".join(parts)))
    return tuple(outlines)


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    title: str


def region_outlines() -> tuple[tuple[str, str, str], ...]:
    unit = AdminUnit.objects.current().regions().only("boundary_set_id").first()
    return _outlines(unit.boundary_set_id) if unit else ()


def points(rows: list[dict]) -> list[Point]:
    """Rows with `latitude`, `longitude` and `name`; rows without coordinates are left off the map."""
    return [
        Point(*project(r["longitude"], r["latitude"]), title=r["name"])
        for r in rows
        if r.get("latitude") is not None and r.get("longitude") is not None
    ]


def map_context(rows: list[dict]) -> dict:
    shown = points(rows)
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "regions": region_outlines(),
        "points": shown,
        "unplaced": len(rows) - len(shown),
    }
