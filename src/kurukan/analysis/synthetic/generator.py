"""A seeded generator of Malian human-rights incident reports, with the hidden truth kept alongside.

Model, in two stages:

1. **Truth.** Event *i* draws everything from its own `random.Random((seed << 32) | i)`, so any slice of
   events is reproducible on its own (chunks, parallel workers) and the output does not depend on how
   much of the stream is consumed. An event has a place (gazetteer, weighted toward the centre and north),
   a date (2012–2025, peaking 2019–2024), a scenario (`scenarios.py`) giving its violations, real persons
   (name by language group of the area, sex, age) and anonymous group victims.
2. **Reporting.** Each organisation in `SOURCE_ORGS` captures the event independently with probability
   `sigmoid(a_s + b_s·severity + c_s·remoteness + region, period and type effects + u)`, where `u` is a
   latent visibility shared by all organisations (positive dependence between lists) and the coefficients
   differ by organisation (heterogeneous catchability). This is the setting where multiple-systems
   estimation needs log-linear models with interactions or latent classes (Bird & King 2018; Chan,
   Silverman & Vincent 2021), not the independent two-list Lincoln–Petersen estimate. By default an event
   no organisation captured is still reported once (zero-truncated); `unreported_events=True` drops it.
   Each report perturbs the date, place precision, victim list (persons left out, or only counted), name
   spellings (`names.spell`), ages and perpetrator attribution.
"""

from __future__ import annotations

import datetime
import math
import random
from collections.abc import Iterator
from functools import lru_cache

from .config import SyntheticConfig
from .model import (
    SOURCE_ORGS,
    GroupVictims,
    IncidentReport,
    PerpetratorReport,
    SourceReport,
    VictimReport,
    ViolationReport,
)
from .names import GROUP_LANGUAGE, Weighted, _w, draw_name, spell
from .places import Gazetteer, Settlement, gazetteer
from .scenarios import ZONES
from .text import describe
from .truth import (
    TrueEvent,
    TruePerson,
    _true_event,
)

# ---------------------------------------------------------------------------------------- reporting

# Capture model coefficients per organisation: (intercept, severity, remoteness, zone effects, CRSV,
# State perpetrator, descent-based slavery).
_CAPTURE: dict[str, tuple[float, float, float, dict[str, float], float, float, float]] = {
    "ohchr": (
        -0.4,
        1.6,
        -1.2,
        dict(centre=0.4, north=0.4, south=-0.8, kayes=-1.0, bamako=0.3),
        0.3,
        0.5,
        -0.5,
    ),
    "cndh": (-1.3, 0.8, -1.3, dict(centre=0.0, north=-1.0, south=0.8, kayes=0.5, bamako=1.2), 0.0, -0.5, 0.8),
    "amdh": (-1.6, 0.6, -0.8, dict(centre=0.2, north=-0.3, south=0.3, kayes=0.2, bamako=1.0), 0.2, 0.9, 0.3),
    "ngo_local": (
        -1.5,
        0.3,
        0.3,
        dict(centre=0.6, north=0.2, south=0.0, kayes=0.6, bamako=-0.5),
        0.8,
        -0.3,
        1.4,
    ),
    "press": (
        -1.2,
        2.6,
        -1.6,
        dict(centre=0.0, north=0.0, south=0.2, kayes=-0.3, bamako=1.5),
        -1.3,
        -0.3,
        -0.6,
    ),
}


def _period_effect(org: str, year: int) -> float:
    if org == "ohchr":  # MINUSMA's human-rights division 2013–2023, OHCHR alone afterwards
        return -1.0 if year == 2012 else -0.9 if year >= 2024 else 0.3
    if org == "cndh":  # reformed by law 2016-036
        return 0.3 if year >= 2017 else -0.4
    if org == "press":  # suspensions of international broadcasters from 2022
        return -0.4 if year >= 2022 else 0.0
    return 0.0


def _capture_logits(event: TrueEvent, orgs: tuple[str, ...], u: float) -> list[float]:
    killed = sum(
        len(a.victims) + sum(a.group) for a in event.acts if a.act.type_code.startswith("life.")
    ) + 0.3 * sum(
        len(a.victims) + sum(a.group) for a in event.acts if not a.act.type_code.startswith("life.")
    )
    severity = min(1.0, math.log1p(killed) / math.log(50.0))
    remote = min(1.0, event.settlement.remoteness / 250.0)
    zone = ZONES[event.settlement.admin1]
    key = event.scenario.key
    crsv = key == "crsv"
    state = event.acts[0].perpetrators[0][0].startswith("state")
    slavery = key == "descent_slavery"
    year = event.date.year
    out = []
    for org in orgs:
        a, b, c, zones, e_crsv, e_state, e_slavery = _CAPTURE[org]
        out.append(
            a + b * severity + c * remote + zones[zone]
            + e_crsv * crsv + e_state * state + e_slavery * slavery
            + _period_effect(org, year) + u
        )  # fmt: skip
    return out


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


@lru_cache(maxsize=32)
def _capture_offset(orgs: tuple[str, ...], target: float, start: int, end: int, unreported: bool) -> float:
    """The shift of every organisation's intercept that gives `target` reports per event on average.

    Calibrated on a fixed sample of 1,500 events (seed independent of the user's seed) by bisection on
    the expected number of captures, E[N | N ≥ 1] for the zero-truncated default.
    """
    config = SyntheticConfig(n_events=1500, seed=987654321, start_year=start, end_year=end, sources=orgs)
    gaz = gazetteer()
    samples = []
    for i in range(1500):
        event, rng = _true_event(i, config, gaz)
        samples.append(_capture_logits(event, orgs, rng.gauss(0.0, 0.8)))
    lo, hi = -8.0, 8.0
    for _ in range(40):
        mid = (lo + hi) / 2
        total = 0.0
        for logits in samples:
            ps = [_sigmoid(x + mid) for x in logits]
            expected = sum(ps)
            if unreported:
                total += expected
            else:
                miss = math.prod(1 - p for p in ps)
                # zero-truncated: a missed event is still reported once, by its likeliest organisation
                total += expected + miss
        if total / len(samples) < target:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


_ORG_PRECISION: dict[str, Weighted] = {
    "ohchr": Weighted(_w("day:86, week:4, month:8, year:2")),
    "cndh": Weighted(_w("day:70, week:5, month:20, year:5")),
    "amdh": Weighted(_w("day:75, week:3, month:18, year:4")),
    "ngo_local": Weighted(_w("day:60, week:15, month:20, year:5")),
    "press": Weighted(_w("day:95, month:5")),
}
_ORG_GEO: dict[str, Weighted] = {
    "ohchr": Weighted([(1, 75), (2, 20), (3, 5)]),
    "cndh": Weighted([(1, 60), (2, 30), (3, 10)]),
    "amdh": Weighted([(1, 60), (2, 28), (3, 12)]),
    "ngo_local": Weighted([(1, 80), (2, 15), (3, 5)]),
    "press": Weighted([(1, 55), (2, 25), (3, 20)]),
}
# (P(person named in the report), P(a person left out is still counted), P(report gives numbers only))
_ORG_COVERAGE: dict[str, tuple[float, float, float]] = {
    "ohchr": (0.92, 0.6, 0.03),
    "cndh": (0.82, 0.5, 0.08),
    "amdh": (0.85, 0.5, 0.08),
    "ngo_local": (0.88, 0.4, 0.05),
    "press": (0.6, 0.8, 0.35),
}
_ORG_VERIFICATION: dict[str, Weighted] = {
    "ohchr": Weighted(_w("verified:50, pending:20, reported:18, not_verified:10, did_not_occur:2")),
    "cndh": Weighted(_w("verified:30, pending:25, reported:35, not_verified:8, did_not_occur:2")),
    "amdh": Weighted(_w("verified:25, pending:20, reported:45, not_verified:9, did_not_occur:1")),
    "ngo_local": Weighted(_w("verified:20, pending:25, reported:48, not_verified:6, did_not_occur:1")),
    "press": Weighted(_w("reported:80, pending:12, not_verified:8")),
}
_STANDARD = Weighted(_w("reasonable_grounds:88, balance_of_probabilities:8, clear_and_convincing:4"))
_STATUS_OLD = Weighted(_w("draft:3, submitted:12, under_verification:25, closed:60"))
_STATUS_RECENT = Weighted(_w("draft:10, submitted:30, under_verification:40, closed:20"))
_ORG_SOURCE_KINDS: dict[str, Weighted] = {
    "ohchr": Weighted(_w(
        "victim:25, witness:30, relative:20, community_leader:12,"
        " medical:5, local_authority:5, ngo:3")),
    "cndh": Weighted(_w(
        "victim:25, relative:25, witness:20, local_authority:15,"
        " community_leader:10, ngo:5")),
    "amdh": Weighted(_w("victim:25, relative:30, witness:25, community_leader:10, media:5, ngo:5")),
    "ngo_local": Weighted(_w("victim:30, witness:30, relative:20, community_leader:15, ngo:5")),
    "press": Weighted(_w("media:70, local_authority:15, witness:10, community_leader:5")),
}  # fmt: skip
_KIND_RELIABILITY: dict[str, Weighted] = {
    "victim": Weighted(_w("highly_reliable:35, likely_reliable:45, unsure:15, unknown:5")),
    "witness": Weighted(_w(
        "highly_reliable:25, likely_reliable:45, unsure:20,"
        " likely_unreliable:5, unknown:5")),
    "relative": Weighted(_w(
        "highly_reliable:15, likely_reliable:45, unsure:30,"
        " likely_unreliable:5, unknown:5")),
    "community_leader": Weighted(_w(
        "highly_reliable:20, likely_reliable:50, unsure:20,"
        " likely_unreliable:10")),
    "media": Weighted(_w(
        "likely_reliable:40, unsure:35, likely_unreliable:15,"
        " highly_unreliable:5, unknown:5")),
    "ngo": Weighted(_w("highly_reliable:30, likely_reliable:50, unsure:15, unknown:5")),
    "local_authority": Weighted(_w(
        "highly_reliable:15, likely_reliable:45, unsure:30,"
        " likely_unreliable:10")),
    "medical": Weighted(_w("highly_reliable:60, likely_reliable:35, unsure:5")),
}  # fmt: skip
_MEDIA = (
    "Studio Tamani",
    "RFI",
    "Jeune Afrique",
    "Le Républicain",
    "L'Essor",
    "Maliweb",
    "AFP",
    "Radio Kledu",
)
_NGOS = ("AMDH", "Temedt", "Kisal", "WILDAF Mali", "Tabital Pulaaku", "Association des juristes maliennes")
_INVOLVEMENT_UNKNOWN = 0.05


def _report_id(index: int, k: int) -> str:
    """A unique, chunk-independent id that does not reveal which reports share an event.

    index × 16 + k, plus a constant, goes through an invertible mixing of 40-bit integers
    (odd multiplier, xor-shift).
    """
    x = (index * 16 + k + 0x5DEECE66D) & 0xFFFFFFFFFF
    x = (x * 0x9E3779B97F) & 0xFFFFFFFFFF
    x ^= x >> 20
    x = (x * 0xBF58476D1D) & 0xFFFFFFFFFF
    x ^= x >> 17
    return f"R{x:013d}"


def _perturb_date(
    rng: random.Random, event: TrueEvent, org: str, lo: datetime.date, hi: datetime.date
) -> tuple[datetime.date, datetime.date | None, str, bool]:
    precision = _ORG_PRECISION[org].pick(rng)
    r = rng.random()
    shift = (
        0
        if r < 0.82
        else (1 if rng.random() < 0.5 else -1) * (1 + int(rng.random() * (2 if r < 0.95 else 10)))
    )
    d = event.date + datetime.timedelta(days=shift)
    d = min(max(d, lo), hi)
    estimated = (shift != 0 and rng.random() < 0.7) or rng.random() < 0.04
    end = None
    if precision == "day":
        if event.duration_days:
            end = min(d + datetime.timedelta(days=event.duration_days + int(rng.random() * 2)), hi)
    elif precision == "week":
        d = max(d - datetime.timedelta(days=d.weekday()), lo)
    elif precision == "month":
        d = d.replace(day=1)
    else:
        d = d.replace(month=1, day=1)
    return d, end, precision, estimated


def _report(
    event: TrueEvent,
    org: str,
    k: int,
    rng: random.Random,
    config: SyntheticConfig,
    gaz: Gazetteer,
    lo: datetime.date,
    hi: datetime.date,
) -> IncidentReport:
    r = rng.random
    report_id = _report_id(event.index, k)
    start, end, precision, estimated = _perturb_date(rng, event, org, lo, hi)
    year = event.date.year
    s = event.settlement
    geo = _ORG_GEO[org].pick(rng)
    settlement: Settlement | None = None
    lat: float | None
    lon: float | None
    if geo == 1:
        settlement = s
        if r() < 0.05:  # the report names a neighbouring village of the same commune
            neighbours = gaz.by_commune[s.admin3]
            settlement = neighbours[int(r() * len(neighbours))]
        lat, lon = round(settlement.latitude, 5), round(settlement.longitude, 5)
    else:
        unit = gaz.units.get(s.admin3 if geo == 2 else s.admin2)
        lat, lon = (unit.latitude, unit.longitude) if unit else (None, None)
    p_named, p_counted, p_numbers_only = _ORG_COVERAGE[org]
    numbers_only = r() < p_numbers_only
    noise = config.name_noise
    violations = []
    n_record = 0
    seen: dict[str, VictimReport] = {}
    for act in event.acts:
        if act is not event.acts[0] and r() < 0.08:  # a secondary act this source did not hear about
            continue
        victims = []
        w, m, g, b, u = act.group
        for person, status in act.victims:
            if numbers_only or r() >= p_named:
                if numbers_only or r() < p_counted:
                    if person.age < 18:
                        if person.sex == "female":
                            g += 1
                        else:
                            b += 1
                    elif person.sex == "female":
                        w += 1
                    else:
                        m += 1
                continue
            n_record += 1
            record_id = f"{report_id}-{n_record}"
            prev = seen.get(person.person_id)
            if prev is None:  # one report spells a person the same way in each violation
                seen[person.person_id] = prev = _victim_report(
                    rng, person, status, record_id, org, noise, year
                )
                victims.append(prev)
            else:
                categories = tuple(c for c in prev.categories if c != "detainee")
                victims.append(
                    VictimReport(
                        record_id, prev.person_id, prev.given_name, prev.family_name, prev.sex, prev.age,
                        prev.age_estimated, prev.birth_year,
                        categories + ("detainee",) if status == "detained" else categories,
                        status, prev.phone, prev.id_number, prev.occupation,
                    )
                )  # fmt: skip
        groups: tuple[GroupVictims, ...] = ()
        if w or m or g or b or u:
            if org != "ohchr" and r() < 0.5:  # another source's count differs by up to ±25 %
                f = 0.75 + r() * 0.5
                w, m, g, b, u = (int(x * f + 0.5) for x in (w, m, g, b, u))
            if r() < 0.2:  # sex and age not broken down
                w, m, g, b, u = 0, 0, 0, 0, w + m + g + b + u
            if w or m or g or b or u:
                groups = (GroupVictims(w, m, g, b, u, event.scenario.group_description),)
        perps = []
        for category, actor, involvement in act.perpetrators:
            if r() < 0.12 and not category.startswith("state"):  # attributed only to "armed men"
                category, actor = "nonstate.unidentified", "Hommes armés non identifiés"
            elif r() < 0.1:
                actor = None
            perps.append(
                PerpetratorReport(category, actor, "unknown" if r() < _INVOLVEMENT_UNKNOWN else involvement)
            )
        status = _ORG_VERIFICATION[org].pick(rng)
        violations.append(
            ViolationReport(
                act.act.type_code,
                act.methods,
                status,
                _STANDARD.pick(rng) if status == "verified" else None,
                tuple(victims),
                groups,
                tuple(perps),
            )
        )
    sources = []
    for _ in range(1 + (r() < 0.35) + (r() < 0.12)):
        kind = _ORG_SOURCE_KINDS[org].pick(rng)
        lag = int(math.exp(r() * (2.0 if org == "press" else 4.5)))
        reported_on = min(event.date + datetime.timedelta(days=lag), max(hi, event.date))
        if kind == "media":
            name, language = _MEDIA[int(r() * len(_MEDIA))], "fr"
        elif kind == "ngo":
            name, language = _NGOS[int(r() * len(_NGOS))], "fr"
        elif kind in ("local_authority", "medical"):
            name, language = None, "fr"
        else:
            sex = "female" if r() < 0.35 else "male"
            given, family = draw_name(rng, event.group, sex)
            name = f"{given} {family}" if r() < 0.8 else None
            language = GROUP_LANGUAGE[event.group] if r() < 0.7 else "fr"
        sources.append(SourceReport(kind, _KIND_RELIABILITY[kind].pick(rng), language, reported_on, name))
    recent = year >= hi.year - 1
    status = (_STATUS_RECENT if recent else _STATUS_OLD).pick(rng)
    confidentiality = event.scenario.confidentiality.pick(rng)
    title, narrative, summary = describe(
        rng, event, violations, sources, start, precision, settlement, geo, confidentiality, gaz
    )
    return IncidentReport(
        report_id=report_id,
        event_id=event.event_id,
        source_org=org,
        title=title,
        narrative=narrative,
        public_summary=summary,
        start_date=start,
        end_date=end,
        date_precision=precision,
        date_estimated=estimated,
        admin1_pcode=s.admin1,
        admin2_pcode=s.admin2,
        admin3_pcode=s.admin3,
        settlement_pcode=settlement.pcode if settlement else None,
        latitude=lat,
        longitude=lon,
        geo_precision=geo,
        status=status,
        confidentiality=confidentiality,
        violations=tuple(violations),
        sources=tuple(sources),
    )


_COMPUTED_CATEGORIES = ("child", "woman", "older_person")


def _victim_report(
    rng: random.Random, person: TruePerson, status: str, record_id: str, org: str, noise: float, year: int
) -> VictimReport:
    r = rng.random
    given, family = spell(rng, person.given_name, person.family_name, person.sex, org, noise, person.age)
    sex = person.sex if r() > 0.03 else "unknown"
    x = r()
    age: int | None = person.age
    birth_year: int | None = None
    estimated = False
    if x < 0.15:
        age = None  # age unknown
    elif x < 0.25:
        age, birth_year = None, person.birth_year + (0 if r() < 0.7 else int(r() * 3) - 1)
    elif x < 0.5:
        # "about 30": reported ages drift by 1–3 years and heap on multiples of five
        age = max(0, person.age + (1 if r() < 0.5 else -1) * (1 + int(r() * 3)))
        if age >= 20 and r() < 0.5:
            age = 5 * round(age / 5)
        estimated = True
    elif x < 0.6:
        birth_year = person.birth_year
    effective = age if age is not None else (year - birth_year if birth_year is not None else None)
    categories = list(person.categories)
    if effective is not None:
        if effective < 18:
            categories.insert(0, "child")
        elif sex == "female":
            categories.insert(0, "woman")
        if effective >= 60:
            categories.append("older_person")
    elif sex == "female" and person.age >= 18:
        categories.insert(0, "woman")
    if status == "detained" and "detainee" not in categories:
        categories.append("detainee")
    return VictimReport(
        record_id=record_id,
        person_id=person.person_id,
        given_name=given,
        family_name=family,
        sex=sex,
        age=age,
        age_estimated=estimated,
        birth_year=birth_year,
        categories=tuple(categories),
        status_after=status,
        phone=person.phone if person.phone and r() < 0.5 else None,
        id_number=person.id_number if person.id_number and r() < 0.4 else None,
        occupation=person.occupation if r() < 0.75 else None,
    )


# ------------------------------------------------------------------------------------------ public API


def events(config: SyntheticConfig, start: int = 0, stop: int | None = None) -> Iterator[TrueEvent]:
    """True events `start..stop` with their reports (`event.reports`): the hidden truth plus what was seen."""
    gaz = gazetteer()
    orgs = tuple(o for o in SOURCE_ORGS if o in config.sources)
    offset = _capture_offset(
        orgs,
        max(1.0, config.mean_reports_per_event - config.duplicate_rate),
        config.start_year,
        config.end_year,
        config.unreported_events,
    )
    lo = datetime.date(config.start_year, 1, 1)
    hi = datetime.date(config.end_year, 12, 31)
    stop = config.n_events if stop is None else min(stop, config.n_events)
    for index in range(max(0, start), stop):
        event, rng = _true_event(index, config, gaz)
        logits = _capture_logits(event, orgs, rng.gauss(0.0, 0.8))
        probabilities = [_sigmoid(x + offset) for x in logits]
        event.capture_probabilities = dict(zip(orgs, probabilities, strict=True))
        captured = [org for org, p in zip(orgs, probabilities, strict=True) if rng.random() < p]
        if not captured and not config.unreported_events:
            captured = [orgs[max(range(len(orgs)), key=probabilities.__getitem__)]]
        k = 0
        for org in captured:
            for _ in range(1 + (rng.random() < config.duplicate_rate)):
                event.reports.append(_report(event, org, k, rng, config, gaz, lo, hi))
                k += 1
        yield event


def generate(config: SyntheticConfig, start: int = 0, stop: int | None = None) -> Iterator[IncidentReport]:
    """Incident reports of true events `start..stop` (default: all), streamed; deterministic per seed."""
    for event in events(config, start, stop):
        yield from event.reports
