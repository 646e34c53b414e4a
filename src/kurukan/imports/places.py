"""Place names and P-codes in imported rows → the gazetteer's current admin units.

Names are compared folded (`kurukan.text.fold`: no accents, no case, hyphens as spaces), against each
unit's name and the name its source spelled ("Djenne", "Koulikouro"). Regions created after the current
boundary set (Ménaka and Taoudénit, 2016) are found through the `Crosswalk`: "Ménaka" leads to the 2015
unit it was carved from, and the cercle or commune name is then looked for there. P-codes win over names.
A name that matches several places, or none, is an error that lists the candidates (`places.queries`)
for the user to pick one in the quarantine page.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from kurukan.places.models import AdminUnit, Crosswalk, Level, Settlement
from kurukan.places.queries import search_places
from kurukan.text import fold


@dataclass
class Placement:
    region: str = ""
    cercle: str = ""
    commune: str = ""
    settlement: str = ""

    @property
    def lowest(self) -> str:
        return self.settlement or self.commune or self.cercle or self.region


class PlaceProblem(Exception):
    def __init__(self, field: str, value: str, ambiguous: bool, candidates: list[dict] | None = None) -> None:
        super().__init__(field)
        self.field, self.value, self.ambiguous, self.candidates = field, value, ambiguous, candidates or []


class Places:
    """Current units and settlements, indexed by folded name once per import."""

    def __init__(self) -> None:
        self.units: dict[str, AdminUnit] = {}
        self.by_name: dict[tuple[int, str], list[AdminUnit]] = defaultdict(list)
        for unit in AdminUnit.objects.current().filter(level__gte=Level.REGION):
            self.units[unit.pcode] = unit
            for name in {fold(unit.name), fold(unit.source_name)} - {""}:
                self.by_name[(unit.level, name)].append(unit)
        for link in Crosswalk.objects.select_related("from_unit").filter(from_unit__level=Level.REGION):
            key = (Level.REGION, fold(link.to_name))
            if link.from_unit not in self.by_name[key]:
                self.by_name[key].append(link.from_unit)
        self.settlements: dict[tuple[int, str], list[tuple[str, int]]] = defaultdict(list)
        for pcode, name, commune_id in Settlement.objects.values_list("pcode", "name", "commune_id"):
            self.settlements[(commune_id, fold(name))].append((pcode, commune_id))
        self._by_id = {unit.pk: unit for unit in self.units.values()}
        self._communes: dict[int, dict[str, AdminUnit]] = {}
        self._memo: dict[tuple, Placement | PlaceProblem] = {}

    def resolve(
        self,
        *,
        pcodes: tuple[str, ...] = (),
        region: str = "",
        cercle: str = "",
        commune: str = "",
        location: str = "",
        fields: tuple[str, str, str, str] = ("region", "cercle", "commune", "location"),
    ) -> Placement:
        """The lowest unit the row names, checked top-down; raises PlaceProblem naming the faulty field.

        Remembered per distinct question: a file names the same few hundred places again and again."""
        key = (pcodes, region, cercle, commune, location, fields)
        if key not in self._memo:
            try:
                self._memo[key] = self._resolve(pcodes, region, cercle, commune, location, fields)
            except PlaceProblem as problem:
                self._memo[key] = problem
        found = self._memo[key]
        if isinstance(found, PlaceProblem):
            raise found
        return Placement(found.region, found.cercle, found.commune, found.settlement)

    def _resolve(self, pcodes, region, cercle, commune, location, fields) -> Placement:
        for pcode in pcodes:
            if pcode and pcode.strip().upper() in self.units:
                return self._placement(self.units[pcode.strip().upper()])
        found: AdminUnit | None = None
        missing: tuple[str, str] | None = None
        for level, name, name_field in (
            (Level.REGION, region, fields[0]),
            (Level.CERCLE, cercle, fields[1]),
            (Level.COMMUNE, commune, fields[2]),
        ):
            if not name.strip():
                continue
            matches = self._within(self.by_name.get((level, fold(name)), []), found)
            if len(matches) > 1:
                raise PlaceProblem(name_field, name, True, [self._candidate(u) for u in matches])
            if matches:
                found = matches[0]
                continue
            if level == Level.REGION:
                raise PlaceProblem(name_field, name, False, self._suggestions(name))
            missing = (name_field, name)  # a later-reform or misspelt name: the location may still place it
            break
        if found is not None:
            for name in (location, commune if missing else ""):
                if name.strip():
                    placed = self._settlement(name, found)
                    if placed is not None:
                        return placed
        if found is None:
            if location.strip():
                raise PlaceProblem(fields[3], location, False, self._suggestions(location))
            raise PlaceProblem(fields[0], "", False, [])
        if missing is not None and found.level < Level.CERCLE:
            raise PlaceProblem(missing[0], missing[1], False, self._suggestions(missing[1]))
        return self._placement(found)

    def _within(self, units: list[AdminUnit], parent: AdminUnit | None) -> list[AdminUnit]:
        if parent is None:
            return units
        return [u for u in units if u.pk == parent.pk or self._is_below(u, parent)]

    def _is_below(self, unit: AdminUnit, parent: AdminUnit) -> bool:
        while unit.parent_id is not None and unit.parent_id in self._by_id:
            unit = self._by_id[unit.parent_id]
            if unit.pk == parent.pk:
                return True
        return False

    def _settlement(self, location: str, unit: AdminUnit) -> Placement | None:
        name = fold(location)
        communes = self._communes_below(unit)
        if name in communes:
            return self._placement(communes[name])
        hits = [hit for commune in communes.values() for hit in self.settlements.get((commune.pk, name), [])]
        if len(hits) == 1:
            placement = self._placement(self._by_id[hits[0][1]])
            placement.settlement = hits[0][0]
            return placement
        return None

    def _communes_below(self, unit: AdminUnit) -> dict[str, AdminUnit]:
        """The communes in a unit by folded name (computed once per unit: every row of a file asks)."""
        if unit.pk not in self._communes:
            below = (
                [unit]
                if unit.level == Level.COMMUNE
                else [u for u in self.units.values() if u.level == Level.COMMUNE and self._is_below(u, unit)]
            )
            self._communes[unit.pk] = {fold(u.name): u for u in below}
        return self._communes[unit.pk]

    def _placement(self, unit: AdminUnit) -> Placement:
        placement = Placement()
        current: AdminUnit | None = unit
        while current is not None:
            setattr(placement, {1: "region", 2: "cercle", 3: "commune"}[current.level], current.pcode)
            above = current.parent_id if current.level > Level.REGION else None
            current = self._by_id.get(above) if above is not None else None
        return placement

    def _candidate(self, unit: AdminUnit) -> dict:
        above = [p.name for p in self._ancestors(unit)]
        label = f"{unit.name} ({', '.join(above)})" if above else unit.name
        return {"pcode": unit.pcode, "name": label}

    def _ancestors(self, unit: AdminUnit) -> list[AdminUnit]:
        out = []
        while unit.level > Level.REGION and unit.parent_id in self._by_id:
            unit = self._by_id[unit.parent_id]
            out.append(unit)
        return out

    def _suggestions(self, name: str) -> list[dict]:
        """Places whose names contain the text, for the picker; a few letters at least."""
        matches = search_places(name, units_only=True, limit=8)
        return [
            {"pcode": m.pcode, "name": f"{m.name} ({m.context})" if m.context else m.name} for m in matches
        ]


# --- Coordinates against the named unit (branch intake) -----------------------------------------------------
# The gazetteer's boundaries are simplified (a few hundred points a commune): a point may fall just outside
# the drawn line while inside the real one. Within TOLERANCE degrees (about 2 km) of the line it is accepted.
TOLERANCE = 0.02


def _rings(geometry: dict) -> list[list[tuple[float, float]]]:
    kind, coordinates = geometry.get("type"), geometry.get("coordinates") or []
    polygons = [coordinates] if kind == "Polygon" else coordinates if kind == "MultiPolygon" else []
    return [[(float(x), float(y)) for x, y, *_z in ring] for polygon in polygons for ring in polygon]


def _inside(rings: list[list[tuple[float, float]]], x: float, y: float) -> bool:
    """Even-odd rule over every ring (holes included): the point is inside an odd number of rings."""
    inside = False
    for ring in rings:
        j = len(ring) - 1
        for i in range(len(ring)):
            (xi, yi), (xj, yj) = ring[i], ring[j]
            if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
                inside = not inside
            j = i
    return inside


def _near(rings: list[list[tuple[float, float]]], x: float, y: float, tolerance: float) -> bool:
    limit = tolerance * tolerance
    for ring in rings:
        for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
            dx, dy = x2 - x1, y2 - y1
            length = dx * dx + dy * dy
            t = 0.0 if length == 0 else max(0.0, min(1.0, ((x - x1) * dx + (y - y1) * dy) / length))
            px, py = x1 + t * dx - x, y1 + t * dy - y
            if px * px + py * py <= limit:
                return True
    return False


class Outside(Exception):
    """A point outside the unit the row names; carries the unit's name for the message."""

    def __init__(self, unit_name: str) -> None:
        super().__init__(unit_name)
        self.unit_name = unit_name


def check_point(
    places: Places, placement: Placement, latitude: float | None, longitude: float | None
) -> None:
    """Raise Outside when the coordinates fall outside the lowest admin unit the row was placed in.

    No coordinates, or no boundary for the unit (a gazetteer without geometry): nothing to check. The
    boundary's rings are read once per unit."""
    if latitude is None or longitude is None:
        return
    pcode = placement.commune or placement.cercle or placement.region
    unit = places.units.get(pcode)
    if unit is None:
        return
    cache = places.__dict__.setdefault("_rings", {})
    if pcode not in cache:
        cache[pcode] = _rings(unit.geometry) if isinstance(unit.geometry, dict) else []
    rings = cache[pcode]
    if not rings:
        return
    # Not remembered: about 9 µs a point (31 vertices a commune on average), and a million distinct points
    # would hold a million answers in memory.
    if not (_inside(rings, longitude, latitude) or _near(rings, longitude, latitude, TOLERANCE)):
        raise Outside(unit.name)
