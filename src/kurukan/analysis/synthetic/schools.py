"""Synthetic schools and their dated status histories, for the demo and the benchmarks (no Django).

Schools sit in the gazetteer's settlements of the communes asked for. Closures follow the synthetic
violence: the risk that a school closes in a school year is highest in the centre (Mopti, Ségou) and the
north-east (Tombouctou, Gao, Ménaka), as the education cluster's counts have shown since 2018 (715 closed
schools in February 2018, 1,113 at the end of 2019, 1,657 in January 2024: shared/STANDARDS.md §8.3). The
weights are a judgement from that public reporting, not a fit.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .names import Weighted
from .places import CERCLE_WEIGHTS, gazetteer

#: Yearly risk that a running school closes, by region (2015 P-codes); Ménaka (cercle ML0704) on its own.
CLOSURE_RISK: dict[str, float] = {
    "ML01": 0.01, "ML02": 0.02, "ML03": 0.01, "ML04": 0.07, "ML05": 0.12,
    "ML06": 0.09, "ML07": 0.09, "ML08": 0.06, "ML09": 0.0, "ML0704": 0.15,
}  # fmt: skip
REASONS = Weighted(
    [("insecurity", 40), ("direct_threat", 25), ("teachers_absent", 12), ("displacement", 10),
     ("attack", 8), ("occupation", 5)]
)  # fmt: skip
LEVELS = Weighted(
    [("first_cycle", 55), ("second_cycle", 15), ("community", 12), ("madrasa", 8), ("preschool", 5),
     ("secondary", 5)]
)  # fmt: skip
MANAGEMENTS = Weighted([("public", 70), ("community", 18), ("confessional", 8), ("private", 4)])
PREFIX = {
    "first_cycle": "École fondamentale",
    "second_cycle": "École fondamentale second cycle",
    "community": "École communautaire",
    "madrasa": "Médersa",
    "preschool": "Jardin d'enfants",
    "secondary": "Lycée",
}
OCCUPIERS = Weighted(
    [("nonstate.jnim", 45), ("nonstate.eigs", 25), ("state.fdsm", 20), ("nonstate.community_militia", 10)]
)


@dataclass(frozen=True, slots=True)
class SyntheticEntry:
    starts_on: dt.date
    status: str  # school_status code
    reason: str | None  # closure_reason code
    pupils_affected: int | None
    occupier_category: str | None


@dataclass(frozen=True, slots=True)
class SyntheticSchool:
    code: str
    name: str
    level: str
    management: str
    commune: str
    settlement: str
    latitude: float
    longitude: float
    pupils_girls: int
    pupils_boys: int
    teachers_women: int
    teachers_men: int
    entries: tuple[SyntheticEntry, ...]


def _risk(commune: str, factor: float) -> float:
    base = CLOSURE_RISK.get(commune[:6], CLOSURE_RISK.get(commune[:4], 0.02))
    # Hot cercles close more schools than quiet ones in the same region (same weights as the violence).
    return min(0.9, base * factor * CERCLE_WEIGHTS.get(commune[:6], 10.0) / 15.0)


def _history(
    rng: random.Random, commune: str, pupils: int, start: dt.date, end: dt.date, factor: float, per_year: int
):
    entries = [SyntheticEntry(start, "open", None, None, None)]
    closed = False
    step = 365 // per_year
    day = start
    while True:
        day = day + dt.timedelta(days=rng.randrange(step // 2, step + step // 2))
        if day > end:
            return tuple(entries)
        risk = _risk(commune, factor) / per_year
        if not closed and rng.random() < risk:
            reason = REASONS.pick(rng)
            destroyed = reason == "attack" and rng.random() < 0.2
            status = "occupied" if reason == "occupation" else ("destroyed" if destroyed else "closed")
            occupier = OCCUPIERS.pick(rng) if status == "occupied" else None
            entries.append(SyntheticEntry(day, status, reason, pupils, occupier))
            closed = True
        elif closed and rng.random() < 0.35 * min(factor, 2.5) / per_year:
            entries.append(SyntheticEntry(day, "reopened", None, None, None))
            closed = False
        elif closed and entries[-1].status == "closed" and rng.random() < 0.08 / per_year:
            entries.append(SyntheticEntry(day, "occupied", "occupation", pupils, OCCUPIERS.pick(rng)))
        elif rng.random() < 0.03 / per_year:
            entries.append(SyntheticEntry(day, "damaged", None, None, None))


def schools(
    communes: Iterable[str],
    *,
    per_commune: float = 2.0,
    seed: int = 11,
    start: dt.date = dt.date(2012, 10, 1),
    end: dt.date = dt.date(2025, 6, 30),
    churn: float = 1.0,
    checks_per_year: int = 1,
) -> Iterator[SyntheticSchool]:
    """Schools for each commune (P-codes), `per_commune` on average; `churn` scales how often they close
    and reopen, `checks_per_year` how often a change may happen (the benchmark raises both to get about
    ten entries per school)."""
    gaz = gazetteer()
    rng = random.Random(seed)
    number = 0
    for commune in sorted(set(communes)):
        places = gaz.by_commune.get(commune) or []
        if not places:
            continue
        count = (
            max(1, round(rng.expovariate(1 / per_commune)))
            if per_commune >= 1
            else int(rng.random() < per_commune)
        )
        for _ in range(count):
            number += 1
            place = rng.choice(places)
            level = LEVELS.pick(rng)
            girls, boys = rng.randint(30, 300), rng.randint(30, 330)
            yield SyntheticSchool(
                code=f"{commune}-{number:05d}",
                name=f"{PREFIX[level]} de {place.name}",
                level=level,
                management=MANAGEMENTS.pick(rng),
                commune=commune,
                settlement=place.pcode,
                latitude=round(place.latitude + rng.uniform(-0.01, 0.01), 5),
                longitude=round(place.longitude + rng.uniform(-0.01, 0.01), 5),
                pupils_girls=girls,
                pupils_boys=boys,
                teachers_women=rng.randint(0, 4),
                teachers_men=rng.randint(1, 7),
                entries=_history(rng, commune, girls + boys, start, end, churn, checks_per_year),
            )
