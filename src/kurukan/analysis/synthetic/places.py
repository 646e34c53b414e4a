"""Where synthetic events happen: the OCHA 2015 gazetteer, weighted toward the centre and the north.

The weights are a judgement from public reporting (MINUSMA/OHCHR notes, ACLED maps 2012–2025), not a fit
to data: most documented violations come from the regions of Mopti and Ségou (the centre) and from
Tombouctou, Gao (including Ménaka) and Kidal; Kayes, Koulikoro, Sikasso and Bamako report fewer.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .names import Weighted

DATA_DIR = Path(__file__).resolve().parents[2] / "places" / "data" / "ocha2015"
SETTLEMENTS_CSV = DATA_DIR / "mli_populated_places_ocha2015.csv"
ADMIN_UNITS_CSV = DATA_DIR / "mli_admin_units_ocha2015.csv"

#: Share of events per region (admin1, 2015 P-codes; ML09 is Bamako).
REGION_WEIGHTS: dict[str, float] = {
    "ML01": 5,  # Kayes (descent-based slavery, some JNIM in the west since 2022)
    "ML02": 6,  # Koulikoro (Nara, Banamba, Kolokani)
    "ML03": 4,  # Sikasso (Koutiala, Yorosso, the south-east border)
    "ML04": 16,  # Ségou (Niono, Macina: the Katiba Macina)
    "ML05": 31,  # Mopti (Bandiagara, Bankass, Koro, Douentza, Djenné)
    "ML06": 11,  # Tombouctou
    "ML07": 17,  # Gao, Ansongo, Ménaka
    "ML08": 5,  # Kidal
    "ML09": 5,  # Bamako (arrests, detention, disappearances)
}

#: Relative weight of each cercle inside its region (hot spots of the conflict).
CERCLE_WEIGHTS: dict[str, float] = {
    "ML0101": 12, "ML0102": 6, "ML0103": 18, "ML0104": 8, "ML0105": 14, "ML0106": 22, "ML0107": 16,
    "ML0201": 8, "ML0202": 16, "ML0203": 6, "ML0204": 3, "ML0205": 15, "ML0206": 14, "ML0207": 38,
    "ML0301": 12, "ML0302": 18, "ML0303": 6, "ML0304": 6, "ML0305": 24, "ML0306": 14, "ML0307": 20,
    "ML0401": 5, "ML0402": 10, "ML0403": 6, "ML0404": 10, "ML0405": 32, "ML0406": 9, "ML0407": 28,
    "ML0501": 8, "ML0502": 18, "ML0503": 20, "ML0504": 5, "ML0505": 9, "ML0506": 15, "ML0507": 18,
    "ML0508": 7,
    "ML0601": 22, "ML0602": 12, "ML0603": 20, "ML0604": 26, "ML0605": 20,
    "ML0701": 26, "ML0702": 26, "ML0703": 14, "ML0704": 34,
    "ML0801": 40, "ML0802": 18, "ML0803": 16, "ML0804": 26,
    "ML0901": 1,
}  # fmt: skip

#: Settlement class weights inside a cercle (1 = capital … 5 = village): towns report more events.
CLASS_WEIGHTS: dict[str, float] = {"1": 40.0, "2": 25.0, "3": 12.0, "4": 3.0, "5": 1.0}

#: The admin names in the 2015 files are ASCII; the generator's French text uses the usual spelling.
FRENCH_NAMES: dict[str, str] = {
    "Koulikouro": "Koulikoro", "Segou": "Ségou", "Kenieba": "Kéniéba", "Diema": "Diéma",
    "Yelimane": "Yélimané", "Bafoulabe": "Bafoulabé", "Dioila": "Dioïla", "Kolondieba": "Kolondiéba",
    "Baroueli": "Barouéli", "Djenne": "Djenné", "Tenenkou": "Ténenkou", "Dire": "Diré",
    "Niafunke": "Niafunké", "Menaka": "Ménaka", "Abeibara": "Abéïbara",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Settlement:
    pcode: str
    name: str
    admin1: str
    admin2: str
    admin3: str
    latitude: float
    longitude: float
    remoteness: float  # distance in km to the nearest regional capital or Bamako


@dataclass(frozen=True, slots=True)
class AdminUnit:
    level: int
    pcode: str
    name: str  # French spelling
    latitude: float
    longitude: float


class Gazetteer:
    """Settlements and admin units loaded once; `pick(rng)` draws an event's settlement."""

    def __init__(self) -> None:
        self.units: dict[str, AdminUnit] = {}
        with ADMIN_UNITS_CSV.open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                name = FRENCH_NAMES.get(row["name"], row["name"])
                self.units[row["pcode"]] = AdminUnit(
                    int(row["level"]), row["pcode"], name, float(row["lat"]), float(row["lon"])
                )
        rows = []
        with SETTLEMENTS_CSV.open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        capitals = [
            (float(r["latitude"]), float(r["longitude"])) for r in rows if r["popPlaceCl"] in ("1", "2")
        ]
        by_cercle: dict[str, list[tuple[Settlement, float]]] = {}
        self.settlements: dict[str, Settlement] = {}
        for r in rows:
            lat, lon = float(r["latitude"]), float(r["longitude"])
            s = Settlement(
                r["pcode"],
                r["featureNam"],
                r["admin1Pcod"],
                r["admin2Pcod"],
                r["admin3Pcod"],
                lat,
                lon,
                min(_km(lat, lon, clat, clon) for clat, clon in capitals),
            )
            self.settlements[s.pcode] = s
            by_cercle.setdefault(s.admin2, []).append((s, CLASS_WEIGHTS.get(r["popPlaceCl"], 1.0)))
        self.by_commune: dict[str, list[Settlement]] = {}
        for s in self.settlements.values():
            self.by_commune.setdefault(s.admin3, []).append(s)
        self.cercle_pickers = {code: Weighted(pairs) for code, pairs in by_cercle.items()}
        region_cercles: dict[str, list[tuple[str, float]]] = {}
        for code in by_cercle:
            region_cercles.setdefault(code[:4], []).append((code, CERCLE_WEIGHTS.get(code, 5.0)))
        self.region_cercle_pickers = {code: Weighted(pairs) for code, pairs in region_cercles.items()}
        self.region_picker = Weighted([(code, w) for code, w in REGION_WEIGHTS.items()])

    def pick(self, rng, regions: Weighted | None = None) -> Settlement:  # noqa: ANN001
        region = (regions or self.region_picker).pick(rng)
        cercle = self.region_cercle_pickers[region].pick(rng)
        return self.cercle_pickers[cercle].pick(rng)

    def name(self, pcode: str) -> str:
        unit = self.units.get(pcode)
        return unit.name if unit else pcode


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Equirectangular distance: accurate enough at Mali's latitudes for a remoteness score."""
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    y = math.radians(lat2 - lat1)
    return 6371.0 * math.hypot(x, y)


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    return Gazetteer()
