"""The hidden truth: true events, their real victims and perpetrators, before anyone reports them."""

from __future__ import annotations

import datetime
import math
import random
from dataclasses import dataclass, field

from .config import YEAR_WEIGHTS, SyntheticConfig
from .model import (
    IncidentReport,
)
from .names import Weighted, _w, draw_name
from .places import Gazetteer, Settlement
from .scenarios import SCENARIO_PICKERS, ZONES, Act, Scenario, actor_name


@dataclass(slots=True)
class TruePerson:
    person_id: str
    given_name: str
    family_name: str
    sex: str
    age: int
    birth_year: int
    group: str
    occupation: str | None
    categories: tuple[str, ...]  # besides child / woman / older_person, which follow from sex and age
    phone: str | None
    id_number: str | None


@dataclass(slots=True)
class TrueAct:
    act: Act
    methods: tuple[str, ...]
    victims: list[tuple[TruePerson, str]]  # (person, status after the act)
    group: tuple[int, int, int, int, int]  # women, men, girls, boys, unknown — not individually known
    perpetrators: tuple[tuple[str, str | None, str], ...]  # (category, actor name, involvement)


@dataclass(slots=True)
class TrueEvent:
    """The hidden truth about one event, for linkage and estimation tests (`events()`)."""

    index: int
    event_id: str
    scenario: Scenario
    date: datetime.date
    duration_days: int
    settlement: Settlement
    group: str  # main language group of the place
    acts: list[TrueAct]
    capture_probabilities: dict[str, float] = field(default_factory=dict)
    reports: list[IncidentReport] = field(default_factory=list)

    @property
    def persons(self) -> list[TruePerson]:
        seen: dict[str, TruePerson] = {}
        for act in self.acts:
            for person, _ in act.victims:
                seen.setdefault(person.person_id, person)
        return list(seen.values())


_GROUP_MIX: dict[str, Weighted] = {
    code: Weighted(_w(spec))
    for code, spec in {
        "ML01": "bambara:35, soninke:40, fulani:20, arab:5",
        "ML02": "bambara:72, soninke:8, fulani:16, arab:2, songhai:2",
        "ML03": "bambara:86, fulani:12, dogon:2",
        "ML04": "bambara:55, fulani:27, songhai:6, soninke:6, dogon:6",
        "ML05": "fulani:42, dogon:22, bambara:10, songhai:18, tamasheq:8",
        "ML06": "songhai:45, tamasheq:25, arab:20, fulani:10",
        "ML07": "songhai:55, tamasheq:25, fulani:10, arab:10",
        "ML08": "tamasheq:80, arab:15, songhai:5",
        "ML09": "bambara:60, fulani:12, soninke:10, songhai:8, dogon:5, tamasheq:3, arab:2",
        "ML0502": "dogon:62, fulani:30, bambara:4, songhai:4",
        "ML0503": "dogon:60, fulani:34, bambara:6",
        "ML0507": "dogon:60, fulani:34, bambara:6",
        "ML0506": "fulani:45, dogon:22, songhai:18, tamasheq:15",
        "ML0704": "tamasheq:55, songhai:18, fulani:17, arab:10",
    }.items()
}

# Named victims per violation, as (counts, weights); "attack" mixes few, many and mass-casualty events.
_COUNTS: dict[str, Weighted] = {
    "one": Weighted([(1, 62), (2, 22), (3, 10), (4, 6)]),
    "one_or_few": Weighted([(1, 36), (2, 24), (3, 15), (4, 10), (5, 7), (6, 4), (8, 4)]),
    "few": Weighted([(1, 30), (2, 22), (3, 16), (4, 11), (5, 8), (6, 5), (8, 5), (12, 3)]),
}


def _named_and_group(rng: random.Random, profile: str) -> tuple[int, int]:
    """(individually known victims, victims known only as a number) for one violation."""
    if profile in _COUNTS:
        return _COUNTS[profile].pick(rng), 0
    if profile == "none":
        return 0, 0
    if profile == "displaced":
        return (0 if rng.random() < 0.6 else _COUNTS["one"].pick(rng)), int(20 * math.exp(rng.random() * 3.5))
    # "attack": mostly a few victims, sometimes many, rarely a mass killing (Ogossagou, Moura, Sobane Da)
    r = rng.random()
    if r < 0.80:
        return _COUNTS["few"].pick(rng), 0
    if r < 0.97:
        return 3 + int(rng.random() * 8), int(rng.random() * 15)
    return 4 + int(rng.random() * 18), 15 + int(math.exp(rng.random() * 5.3))


# Victim profiles: share of women, age sampler, extra categories, occupations.
_OCC_MEN = Weighted(
    _w("cultivateur:30, éleveur:18, commerçant:12, berger:5, chauffeur:4, orpailleur:3,"
       " pêcheur:3, tailleur:2,"
       " marabout:2, maçon:2, mécanicien:2")
)  # fmt: skip
_OCC_WOMEN = Weighted(_w("ménagère:40, commerçante:18, cultivatrice:15, vendeuse:10, couturière:3, élève:2"))
_OCC_CHILD = Weighted(_w("élève:45, berger:15, talibé:10, apprenti:5"))
_VICTIM_PROFILES: dict[str, tuple[float, float, tuple[tuple[str, str, float], ...]]] = {
    # name: (P(female), P(child), ((category, occupation, probability), …))
    "civilian": (0.25, 0.16, ()),
    "adult_men": (0.03, 0.04, ()),
    "adult_mostly_men": (0.15, 0.08, (("local_official", "conseiller communal", 0.05),)),
    "travellers": (0.3, 0.12, (("idp", "", 0.05),)),
    "detainees": (
        0.05,
        0.03,
        (("hrd", "défenseur des droits humains", 0.06), ("journalist", "journaliste", 0.05)),
    ),
    "women_girls": (0.97, 0.35, (("idp", "", 0.25),)),
    "teachers": (0.3, 0.0, (("teacher", "enseignant", 0.9),)),
    "notables": (
        0.08,
        0.0,
        (("local_official", "chef de village", 0.35), ("traditional_religious_leader", "imam", 0.35)),
    ),
    "slavery": (0.35, 0.15, (("descent_slavery", "", 1.0),)),
    "boys": (0.08, 1.0, ()),
    "aid_workers": (0.2, 0.0, (("humanitarian_worker", "agent humanitaire", 1.0),)),
    "health": (0.4, 0.0, (("health_worker", "infirmier", 1.0),)),
    "protesters": (0.15, 0.08, (("student", "étudiant", 0.3),)),
}

_STATUS_AFTER: dict[str, Weighted] = {
    code: Weighted(_w(spec))
    for code, spec in {
        "life.summary_execution": "killed",
        "life.killing_civilians": "killed",
        "life.indiscriminate_attack": "killed",
        "life.death_in_custody": "killed",
        "life.attempted_killing": "injured:70, unharmed:30",
        "integrity.maiming": "injured",
        "integrity.torture": "injured:50, detained:30, released:20",
        "integrity.threats": "unharmed:60, displaced:40",
        "sexual.rape": "injured:65, unharmed:20, displaced:10, abducted:5",
        "sexual.other": "injured:50, unharmed:50",
        "sexual.slavery_forced_marriage": "abducted:60, released:40",
        "liberty.arbitrary_detention": "detained:55, released:45",
        "liberty.enforced_disappearance": "missing:85, released:10, killed:5",
        "liberty.abduction": "abducted:50, released:40, killed:5, missing:5",
        "liberty.descent_slavery": "injured:40, displaced:30, unharmed:30",
        "children.recruitment_use": "abducted:40, released:40, missing:15, killed:5",
        "humanitarian.attack_personnel": "injured:40, abducted:20, killed:20, unharmed:20",
        "movement.forced_displacement": "displaced",
    }.items()
}
_STATUS_DEFAULT = Weighted([("unharmed", 1.0)])
_MOBILE_PREFIXES = ("65", "66", "67", "69", "70", "71", "73", "74", "75", "76", "77", "78", "79", "82", "83",
                    "90",
                    "91", "92", "93", "94", "95", "96", "97", "98", "99")  # fmt: skip
_YEAR_PICKER_CACHE: dict[tuple[int, int], Weighted] = {}


def _year_picker(start: int, end: int) -> Weighted:
    key = (start, end)
    if key not in _YEAR_PICKER_CACHE:
        _YEAR_PICKER_CACHE[key] = Weighted([(y, YEAR_WEIGHTS.get(y, 7.0)) for y in range(start, end + 1)])
    return _YEAR_PICKER_CACHE[key]


_METHOD_PICKERS: dict[int, Weighted] = {}


def _methods_picker(act: Act) -> Weighted:
    picker = _METHOD_PICKERS.get(id(act))
    if picker is None:
        picker = _METHOD_PICKERS[id(act)] = Weighted(act.methods)
    return picker


def _make_person(
    rng: random.Random, person_id: str, profile: str, group: str, year: int, sex: str | None = None
) -> TruePerson:
    p_female, p_child, extras = _VICTIM_PROFILES[profile]
    r = rng.random
    if sex is None:
        sex = "female" if r() < p_female else "male"
    if r() < p_child:
        age = 12 + int(r() * 6) if profile in ("boys", "women_girls") else int(r() * 18)
    elif profile in ("teachers", "aid_workers", "health", "detainees"):
        age = 22 + int(r() * 36)
    else:
        age = int(rng.triangular(18, 85, 28))
    given, family = draw_name(rng, group, sex)
    categories: tuple[str, ...] = ()
    occupation = None
    for category, occ, probability in extras:
        if r() < probability and (age >= 18 or category in ("descent_slavery", "idp")):
            categories = (category,)
            occupation = occ or None
            break
    if occupation is None and r() < 0.7:
        if age < 15:
            occupation = _OCC_CHILD.pick(rng) if age >= 6 else None
        elif sex == "female":
            occupation = _OCC_WOMEN.pick(rng)
        else:
            occupation = "éleveur" if group in ("fulani", "tamasheq") and r() < 0.5 else _OCC_MEN.pick(rng)
    phone = None
    if age >= 16 and r() < 0.45:
        n = int(r() * 1_000_000)
        prefix = _MOBILE_PREFIXES[int(r() * len(_MOBILE_PREFIXES))]
        phone = f"+223 {prefix} {n // 10000:02d} {n // 100 % 100:02d} {n % 100:02d}"
    id_number = None
    if age >= 18 and r() < 0.3:  # NINA-like: sex digit, birth year and month, then a serial and a letter
        born = f"{1 if sex == 'male' else 2}{(year - age) % 100:02d}{1 + int(r() * 12):02d}"
        id_number = f"{born}{int(r() * 1e9):09d}{chr(65 + int(r() * 26))}"
    return TruePerson(
        person_id, given, family, sex, age, year - age, group, occupation, categories, phone, id_number
    )


def _true_event(index: int, config: SyntheticConfig, gaz: Gazetteer) -> tuple[TrueEvent, random.Random]:
    rng = random.Random((config.seed << 32) | index)
    settlement = gaz.pick(rng)
    zone = ZONES[settlement.admin1]
    scenario: Scenario = SCENARIO_PICKERS[zone].pick(rng)
    year = _year_picker(config.start_year, config.end_year).pick(rng)
    date = datetime.date(year, 1, 1) + datetime.timedelta(
        days=int(rng.random() * (366 if year % 4 == 0 else 365))
    )
    r = rng.random()
    duration = 0 if r < 0.85 else 1 + int(rng.random() * 3) if r < 0.95 else 4 + int(rng.random() * 60)
    group = (_GROUP_MIX.get(settlement.admin2) or _GROUP_MIX[settlement.admin1]).pick(rng)
    event_id = f"E{index + 1:07d}"
    # One perpetrator side per event, as in most UN reporting; some acts add a second actor.
    category, actor = actor_name(rng, scenario.perpetrators[zone].pick(rng), year, settlement.admin2)
    acts: list[TrueAct] = []
    n_person = 0
    for i, act in enumerate(scenario.acts):
        if i > 0 and rng.random() >= act.probability:
            continue
        if act.subset_of is not None:
            source = next((a for a in acts if a.act is scenario.acts[act.subset_of]), None)
            if source is None or not source.victims:
                continue
            k = max(1, int(len(source.victims) * rng.random() * 0.7 + 0.5))
            victims = [
                (p, _STATUS_AFTER.get(act.type_code, _STATUS_DEFAULT).pick(rng))
                for p, _ in source.victims[:k]
            ]
            group_counts = (0, 0, 0, 0, 0)
        else:
            named, anonymous = _named_and_group(rng, act.counts)
            victims = []
            # In the centre, military operations mostly target Fulani men (as UN reports document).
            vgroup = (
                "fulani"
                if scenario.key == "military_operation" and zone == "centre" and rng.random() < 0.7
                else group
            )
            for _ in range(named):
                n_person += 1
                person = _make_person(rng, f"P{index + 1:07d}{n_person:03d}", act.victims, vgroup, year)
                victims.append((person, _STATUS_AFTER.get(act.type_code, _STATUS_DEFAULT).pick(rng)))
            group_counts = _split_group(rng, anonymous, act.victims)
        methods = tuple(sorted({_methods_picker(act).pick(rng) for _ in range(1 + (rng.random() < 0.2))}))
        perps = [(category, actor, "direct" if rng.random() < 0.85 else "command")]
        if rng.random() < 0.08:
            second = scenario.perpetrators[zone].pick(rng)
            if second.startswith("state") == category.startswith("state") and second != category:
                c2, a2 = actor_name(rng, second, year, settlement.admin2)
                perps.append((c2, a2, "complicity" if rng.random() < 0.5 else "direct"))
        if (
            category == "state.fdsm"
            and year >= 2022
            and rng.random() < 0.25
            and scenario.key == "military_operation"
        ):
            perps.append(("state.foreign_military", "Groupe Wagner / Africa Corps", "direct"))
        acts.append(TrueAct(act, methods, victims, group_counts, tuple(perps)))
    return TrueEvent(index, event_id, scenario, date, duration, settlement, group, acts), rng


def _split_group(rng: random.Random, n: int, profile: str) -> tuple[int, int, int, int, int]:
    if n <= 0:
        return (0, 0, 0, 0, 0)
    p_female, p_child, _ = _VICTIM_PROFILES[profile]
    children = int(n * p_child * (0.5 + rng.random()))
    children = min(children, n)
    adults = n - children
    unknown = int(adults * 0.3 * rng.random())
    adults -= unknown
    women = int(adults * p_female + rng.random())
    women = min(women, adults)
    girls = int(children * p_female + rng.random())
    girls = min(girls, children)
    return (women, adults - women, girls, children - girls, unknown)
