"""Choropleth maps of regions, cercles or communes, drawn on the server as SVG.

No JavaScript, no tile server, nothing for the strict CSP to block: each area is an SVG link (`<a>`, so it
takes keyboard focus) to the filtered incident list, with a `<title>` that browsers and screen readers give
on hover and focus; colours are CSS classes (`statistics/map.css`), never inline styles. The geometry is the
GeoJSON stored on each admin unit (places), projected once per boundary set and level and simplified with
Douglas–Peucker to a tolerance that suits the level.

The caller passes the figures already counted (and, on public pages, already through disclosure control):
this module only draws them. A figure that is hidden has no value and is drawn hatched, never coloured.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from django.utils.translation import gettext as _

from kurukan.places.models import AdminUnit, BoundarySet, Level

WIDTH = 640
# Degrees: communes are small, so they keep more detail than regions.
TOLERANCE = {Level.REGION: 0.02, Level.CERCLE: 0.012, Level.COMMUNE: 0.006}
CLASSES = 5


@dataclass(frozen=True)
class Area:
    pcode: str
    name: str
    path: str
    css: str  # "q0" … "q4", "none" (zero) or "hidden"
    title: str  # what hover and focus say: "Mopti : 54 victimes"
    url: str


@dataclass(frozen=True)
class Map:
    width: int
    height: int
    areas: list[Area]
    legend: list[tuple[str, str]]  # (css class, label)


# --- geometry -----------------------------------------------------------------------------------------------


def _simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas–Peucker, iterative (rings have thousands of points)."""
    if len(points) < 4:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        norm = math.hypot(dx, dy) or 1e-12
        worst, index = 0.0, None
        for i in range(first + 1, last):
            x, y = points[i]
            distance = abs(dy * (x - x1) - dx * (y - y1)) / norm if (dx or dy) else math.hypot(x - x1, y - y1)
            if distance > worst:
                worst, index = distance, i
        if index is not None and worst > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def _rings(geometry: dict) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return geometry["coordinates"]
    if geometry["type"] == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    return []


@lru_cache(maxsize=8)
def _projected(boundary_set_id: int, level: int) -> tuple[tuple[int, int], tuple[tuple[str, str, str], ...]]:
    """(width, height) and (pcode, name, SVG path) of every unit of a level, in P-code order."""
    units = list(
        AdminUnit.objects.filter(boundary_set_id=boundary_set_id, level=level, geometry__isnull=False)
        .order_by("pcode")
        .values_list("pcode", "name", "geometry")
    )
    points = [pt for _p, _n, g in units for ring in _rings(g) for pt in ring]
    if not points:
        return (WIDTH, 1), ()
    west, east = min(p[0] for p in points), max(p[0] for p in points)
    south, north = min(p[1] for p in points), max(p[1] for p in points)
    # Equirectangular, scaled by the cosine of the middle latitude: Mali spans 10°–25° N, where this keeps
    # shapes within a few per cent of a conformal projection.
    squeeze = math.cos(math.radians((north + south) / 2))
    scale = WIDTH / ((east - west) * squeeze)
    height = round((north - south) * scale)
    tolerance = TOLERANCE.get(Level(level), 0.01)
    out = []
    for pcode, name, geometry in units:
        parts = []
        for ring in _rings(geometry):
            simple = _simplify([(x, y) for x, y, *_rest in ring], tolerance)
            if len(simple) < 4:
                continue
            xy = [((x - west) * squeeze * scale, (north - y) * scale) for x, y in simple]
            parts.append("M" + "L".join(f"{x:.1f} {y:.1f}" for x, y in xy) + "Z")
        out.append((pcode, name, "".join(parts)))
    return (WIDTH, height), tuple(out)


def clear_cache() -> None:
    _projected.cache_clear()


# --- colours ------------------------------------------------------------------------------------------------


def breaks(values: list[float], classes: int = CLASSES) -> list[float]:
    """Upper bounds of the colour classes: quantiles of the positive values, rounded to 2 significant
    figures so the legend reads "10–19", not "9.73–19.2"."""
    positive = sorted(v for v in values if v > 0)
    if not positive:
        return []
    cuts = []
    for k in range(1, classes):
        value = positive[min(len(positive) - 1, math.ceil(k * len(positive) / classes) - 1)]
        cuts.append(_round(value))
    cuts.append(positive[-1])
    return sorted(set(cuts))


def _round(value: float) -> float:
    if value <= 0:
        return 0
    digits = 1 - int(math.floor(math.log10(value)))
    return round(value, digits) if digits > 0 else float(round(value, digits))


def _class(value: float, cuts: list[float]) -> str:
    if value <= 0:
        return "none"
    for i, cut in enumerate(cuts):
        if value <= cut:
            return f"q{i}"
    return f"q{len(cuts) - 1}"


def _legend(cuts: list[float], number) -> list[tuple[str, str]]:
    out, low = [], 0.0
    for i, cut in enumerate(cuts):
        out.append((f"q{i}", f"{number(low)} – {number(cut)}" if i else f"≤ {number(cut)}"))
        low = cut
    return out


# --- the map ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """One area's figure as the map shows it: value None when it is hidden; `text` what the page says."""

    value: float | None
    text: str


def choropleth(
    level: int,
    figures: dict[str, Figure],
    *,
    measure_label: str,
    url_for,
    number=str,
    boundary_set: BoundarySet | None = None,
) -> Map:
    """The map of every unit of `level`, coloured by `figures` (P-code → Figure; missing means zero)."""
    boundary_set = boundary_set or BoundarySet.objects.get(is_current=True)
    (width, height), units = _projected(boundary_set.pk, int(level))
    cuts = breaks([f.value for f in figures.values() if f.value is not None])
    areas = []
    for pcode, name, path in units:
        figure = figures.get(pcode, Figure(0, number(0)))
        css = "hidden" if figure.value is None else _class(figure.value, cuts)
        shown = f"{figure.text} {measure_label}" if figure.value is not None else figure.text
        title = _("%(name)s : %(figure)s") % {"name": name, "figure": shown}
        areas.append(Area(pcode, name, path, css, title, url_for(pcode)))
    legend = [("none", number(0)), *_legend(cuts, number)]
    if any(a.css == "hidden" for a in areas):
        legend.append(("hidden", _("masqué (trop peu de cas pour publier)")))
    return Map(width, height, areas, legend)
