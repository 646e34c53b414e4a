"""Load a boundary set and its gazetteer from files committed in places/data/<set>/.

Idempotent: loading again updates names and geometry in place and adds what is new; nothing is deleted,
because incidents point at these units.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from kurukan.text import fold

from .models import AdminUnit, BoundarySet, Crosswalk, Level, Settlement

DATA_DIR = Path(__file__).parent / "data"
OCHA_2015 = "ocha2015"
OCHA_2015_ATTRIBUTION = (
    "OCHA / DNCT Mali, Common Operational Dataset – Administrative Boundaries and Populated Places, "
    "2015 edition (via HDX); CC BY-IGO. Accented names corrected by the Kurukan project."
)


@dataclass
class LoadResult:
    units_created: int = 0
    units_updated: int = 0
    settlements_created: int = 0
    settlements_updated: int = 0
    crosswalk_rows: int = 0


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _accented_names(directory: Path) -> dict[str, str]:
    path = directory / "names_fr.csv"
    if not path.exists():
        return {}
    return {row["pcode"]: row["name_fr"] for row in _read_csv(path) if row.get("name_fr")}


def _geometries(directory: Path) -> dict[str, dict]:
    geometries: dict[str, dict] = {}
    for level in (1, 2, 3):
        for path in directory.glob(f"*adm{level}*.geojson"):
            data = json.loads(path.read_text(encoding="utf-8"))
            for feature in data["features"]:
                geometries[feature["properties"][f"admin{level}Pcod"]] = feature["geometry"]
    return geometries


def _na(value: str | None) -> str:
    return "" if value in (None, "", "NA") else value


@transaction.atomic
def load_ocha2015(
    directory: Path = DATA_DIR / OCHA_2015, progress: Callable[[int], None] | None = None
) -> LoadResult:
    result = LoadResult()
    boundary_set, _ = BoundarySet.objects.update_or_create(
        code=OCHA_2015,
        defaults={
            "name": "OCHA COD-AB Mali 2015",
            "valid_from": dt.date(2015, 4, 8),
            "attribution": OCHA_2015_ATTRIBUTION,
        },
    )
    if not BoundarySet.objects.filter(is_current=True).exclude(pk=boundary_set.pk).exists():
        BoundarySet.objects.filter(pk=boundary_set.pk).update(is_current=True)
    accented = _accented_names(directory)
    geometries = _geometries(directory)
    existing = {u.pcode: u for u in AdminUnit.objects.filter(boundary_set=boundary_set)}
    rows = sorted(_read_csv(directory / "mli_admin_units_ocha2015.csv"), key=lambda r: int(r["level"]))
    country = existing.get("ML") or AdminUnit(boundary_set=boundary_set, pcode="ML", level=Level.COUNTRY)
    country.name = country.source_name = "Mali"
    country.iso_code = "ML"
    country.valid_from = boundary_set.valid_from
    country.save()
    existing["ML"] = country
    for row in rows:
        pcode = row["pcode"]
        unit = existing.get(pcode)
        if unit is None:
            unit = AdminUnit(boundary_set=boundary_set, pcode=pcode)
            result.units_created += 1
        else:
            result.units_updated += 1
        unit.level = int(row["level"])
        unit.source_name = row["name"]
        unit.name = accented.get(pcode, row["name"])
        unit.parent = existing[row["parent_pcode"] or "ML"]
        unit.region = existing.get(row["admin1_pcode"]) if unit.level > 1 else None
        unit.iso_code = _na(row.get("iso3166_2"))
        unit.valid_from = boundary_set.valid_from
        unit.latitude = float(row["lat"]) if _na(row["lat"]) else None
        unit.longitude = float(row["lon"]) if _na(row["lon"]) else None
        unit.area_km2 = float(row["area_km2"]) if _na(row["area_km2"]) else None
        unit.geometry = geometries.get(pcode)
        unit.save()
        existing[pcode] = unit
    for unit in existing.values():
        if unit.level == Level.REGION and unit.region_id != unit.pk:
            unit.region = unit
            unit.save(update_fields=["region"])
    result.settlements_created, result.settlements_updated = _load_settlements(directory, existing, progress)
    result.crosswalk_rows = _load_crosswalk(directory, existing)
    return result


def _load_settlements(
    directory: Path, units: dict[str, AdminUnit], progress: Callable[[int], None] | None
) -> tuple[int, int]:
    known = dict(Settlement.objects.values_list("pcode", "pk"))
    new: list[Settlement] = []
    changed: list[Settlement] = []
    for row in _read_csv(directory / "mli_populated_places_ocha2015.csv"):
        commune = units.get(row["admin3Pcod"])
        if commune is None:
            continue
        alternates = " / ".join(v for v in (_na(row["featureAlt"]), _na(row["featureA_1"])) if v)
        settlement = Settlement(
            pk=known.get(row["pcode"]),
            pcode=row["pcode"],
            name=row["featureNam"],
            alternate_names=alternates,
            name_search=fold(f"{row['featureNam']} {alternates}"),
            commune=commune,
            latitude=float(row["latitude"]) if _na(row["latitude"]) else None,
            longitude=float(row["longitude"]) if _na(row["longitude"]) else None,
        )
        (changed if settlement.pk else new).append(settlement)
        if progress and (len(new) + len(changed)) % 1000 == 0:
            progress(1000)
    Settlement.objects.bulk_create(new, batch_size=2000)
    fields = ["name", "alternate_names", "name_search", "commune", "latitude", "longitude"]
    Settlement.objects.bulk_update(changed, fields, batch_size=2000)
    return len(new), len(changed)


def _load_crosswalk(directory: Path, units: dict[str, AdminUnit]) -> int:
    path = DATA_DIR / "crosswalk_2016.csv"
    if not path.exists():
        return 0
    count = 0
    for row in _read_csv(path):
        unit = units.get(row["from_pcode"])
        if unit is None:
            continue
        Crosswalk.objects.update_or_create(
            from_unit=unit,
            to_code=row["to_region_iso"],
            defaults={"to_name": row["to_region_name_fr"], "relation": row["relation"], "note": row["note"]},
        )
        count += 1
    return count


class PopulationFileError(ValueError):
    """A population file that cannot be loaded: every bad row is named, nothing is written."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


POPULATION_COLUMNS = ("pcode", "year", "population")


@transaction.atomic
def load_population(path: Path) -> int:
    """Load a CSV of P-code, year, population (header row; the columns in that order or named so) into
    the current boundary set. All or nothing: a file with a bad row writes no row, and says which ones."""
    from django.utils.translation import gettext as _

    from .models import Population

    units = dict(AdminUnit.objects.current().values_list("pcode", "pk"))
    problems, rows = [], []
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            header = [h.strip().lower() for h in next(reader, [])]
            order = (
                [header.index(c) for c in POPULATION_COLUMNS]
                if set(POPULATION_COLUMNS) <= set(header)
                else None
            )
            if order is None:
                raise PopulationFileError(
                    [
                        _(
                            "Ligne 1 : l'en-tête doit nommer les colonnes pcode, year, population (trouvé : %s)."
                        )
                        % ", ".join(header)
                    ]
                )
            for number, raw in enumerate(reader, start=2):
                if not any(cell.strip() for cell in raw):
                    continue
                pcode, year, population = (raw[i].strip() if i < len(raw) else "" for i in order)
                if pcode not in units:
                    problems.append(
                        _(
                            "Ligne %(n)d, colonne pcode : « %(v)s » n'est pas un P-code du découpage en vigueur "
                            "(par exemple ML0503 pour le cercle de Bankass)."
                        )
                        % {"n": number, "v": pcode}
                    )
                    continue
                if not year.isdigit() or not 1900 <= int(year) <= 2100:
                    problems.append(
                        _(
                            "Ligne %(n)d, colonne year : « %(v)s » n'est pas une année (écrire par exemple 2022)."
                        )
                        % {"n": number, "v": year}
                    )
                    continue
                if not population.replace(" ", "").isdigit():
                    problems.append(
                        _(
                            "Ligne %(n)d, colonne population : « %(v)s » n'est pas un nombre entier d'habitants."
                        )
                        % {"n": number, "v": population}
                    )
                    continue
                rows.append((units[pcode], int(year), int(population.replace(" ", ""))))
    except UnicodeDecodeError as exc:
        raise PopulationFileError([_("Le fichier n'est pas en UTF-8 : l'enregistrer en CSV UTF-8.")]) from exc
    if problems:
        raise PopulationFileError(problems)
    for unit_id, year, population in rows:
        Population.objects.update_or_create(unit_id=unit_id, year=year, defaults={"population": population})
    return len(rows)
