"""The records the synthetic generator produces: what one source reported about one event.

Field names follow the Kurukan domain model (see shared/DESIGN.md): an incident report holds violations,
each with individual victims, group victims and alleged perpetrators, plus the sources of the report.
`event_id` and `person_id` are the hidden truth (the real event, the real person) that record linkage and
multiple-systems estimation try to recover; a real import never has them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

#: Organisations (lists) that report events. Each captures events with its own, region- and
#: period-dependent probability (see `generator.py`).
SOURCE_ORGS: tuple[str, ...] = ("ohchr", "cndh", "amdh", "ngo_local", "press")

METHODS: tuple[str, ...] = (
    "firearm",
    "explosive_device",
    "air_strike",
    "bladed_weapon",
    "arson",
    "beating",
    "strangulation",
    "sexual_violence",
    "detention_incommunicado",
    "other",
)

VICTIM_STATUSES: tuple[str, ...] = (
    "killed",
    "injured",
    "missing",
    "detained",
    "abducted",
    "displaced",
    "released",
    "unharmed",
)

SOURCE_KINDS: tuple[str, ...] = (
    "victim",
    "witness",
    "relative",
    "community_leader",
    "media",
    "ngo",
    "local_authority",
    "medical",
)

LANGUAGES: tuple[str, ...] = ("fr", "bm", "ff", "son", "tmh", "ar")
DATE_PRECISIONS: tuple[str, ...] = ("day", "week", "month", "year")
INCIDENT_STATUSES: tuple[str, ...] = ("draft", "submitted", "under_verification", "closed")
CONFIDENTIALITY_LEVELS: tuple[str, ...] = ("public", "internal", "restricted", "strictly_confidential")
INVOLVEMENTS: tuple[str, ...] = ("direct", "command", "complicity", "unknown")


@dataclass(frozen=True, slots=True)
class SourceReport:
    kind: str
    reliability: str
    language: str
    reported_on: datetime.date
    name: str | None  # protected data, like a victim's name


@dataclass(frozen=True, slots=True)
class PerpetratorReport:
    category_code: str
    actor_name: str | None
    involvement: str


@dataclass(frozen=True, slots=True)
class GroupVictims:
    women: int
    men: int
    girls: int
    boys: int
    unknown: int
    description: str

    @property
    def total(self) -> int:
        return self.women + self.men + self.girls + self.boys + self.unknown


@dataclass(frozen=True, slots=True)
class VictimReport:
    record_id: str
    person_id: str  # the truth: the same real person across reports
    given_name: str  # as this source spelled it; "" when unknown
    family_name: str
    sex: str  # "female" | "male" | "unknown"
    age: int | None  # age at the time, as reported
    age_estimated: bool
    birth_year: int | None
    categories: tuple[str, ...]  # "child" iff the reported age (or incident year - birth year) < 18
    status_after: str
    phone: str | None
    id_number: str | None
    occupation: str | None


@dataclass(frozen=True, slots=True)
class ViolationReport:
    type_code: str
    method_codes: tuple[str, ...]
    verification_status: str
    standard_of_proof: str | None
    victims: tuple[VictimReport, ...]
    groups: tuple[GroupVictims, ...]
    perpetrators: tuple[PerpetratorReport, ...]


@dataclass(frozen=True, slots=True)
class IncidentReport:
    report_id: str
    event_id: str  # the truth: shared by every report of the same real event
    source_org: str
    title: str
    narrative: str  # protected: may name victims
    public_summary: str  # de-identified
    start_date: datetime.date
    end_date: datetime.date | None
    date_precision: str
    date_estimated: bool
    admin1_pcode: str
    admin2_pcode: str
    admin3_pcode: str
    settlement_pcode: str | None
    latitude: float | None
    longitude: float | None
    geo_precision: int  # 1 settlement/point, 2 near/commune, 3 cercle/region (ACLED)
    status: str
    confidentiality: str
    violations: tuple[ViolationReport, ...]
    sources: tuple[SourceReport, ...]

    @property
    def n_victims(self) -> int:
        """Individual victims plus group victims, once per violation (Kurukan's counting rule)."""
        return sum(len(v.victims) + sum(g.total for g in v.groups) for v in self.violations)
