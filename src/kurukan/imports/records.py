"""Kurukan's canonical record: what every import format maps a row to, and what the bulk writer writes.

Codes, not ids: vocabulary codes, actor names or codes, P-codes (the writer resolves them once per load).
The synthetic generator's `IncidentReport` has the same attributes, so demo data goes the same way.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field


@dataclass(slots=True)
class SourceRecord:
    kind: str = "other"
    reliability: str = ""
    language: str = "fr"
    reported_on: dt.date | None = None
    name: str = ""  # protected, like a victim's name


@dataclass(slots=True)
class PerpetratorRecord:
    category_code: str = ""
    actor_name: str = ""
    involvement: str = "unknown"


@dataclass(slots=True)
class GroupRecord:
    women: int = 0
    men: int = 0
    girls: int = 0
    boys: int = 0
    unknown: int = 0
    description: str = ""
    status_after: str = ""


@dataclass(slots=True)
class VictimRecord:
    given_name: str = ""
    family_name: str = ""
    sex: str = "unknown"
    age: int | None = None
    age_estimated: bool = False
    birth_year: int | None = None
    categories: tuple[str, ...] = ()
    status_after: str = ""
    phone: str = ""
    id_number: str = ""


@dataclass(slots=True)
class ViolationRecord:
    type_code: str
    method_codes: tuple[str, ...] = ()
    verification_status: str = "reported"
    standard_of_proof: str = ""
    victims: list[VictimRecord] = field(default_factory=list)
    groups: list[GroupRecord] = field(default_factory=list)
    perpetrators: list[PerpetratorRecord] = field(default_factory=list)


@dataclass(slots=True)
class Record:
    """One incident, with its violations; `external_ids` ({"acled": "MLI-EXAMPLE-1"}) make re-imports idempotent."""

    title: str
    start_date: dt.date
    source_org: str  # the owning organisation's code
    external_ids: dict[str, str] = field(default_factory=dict)
    narrative: str = ""
    public_summary: str = ""
    end_date: dt.date | None = None
    date_precision: str = "day"
    date_estimated: bool = False
    admin1_pcode: str = ""
    admin2_pcode: str = ""
    admin3_pcode: str = ""
    settlement_pcode: str = ""
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int = 2  # ACLED: 1 the place itself, 2 near it or its commune, 3 its cercle or region
    status: str = "submitted"
    confidentiality: str = "restricted"
    violations: list[ViolationRecord] = field(default_factory=list)
    sources: list[SourceRecord] = field(default_factory=list)
    # the file's row numbers this record came from (several rows can make one incident)
    rows: list[int] = field(default_factory=list)

    @property
    def digest(self) -> str:
        """What the source said, hashed: the same digest on re-import means "unchanged"."""
        # repr of the dataclasses: every field, in declaration order, and far cheaper than asdict + JSON.
        # The row numbers are left out by blanking them for the repr (same text as a copy without them,
        # without the copy, which was a third of the digest's time).
        rows, self.rows = self.rows, []
        try:
            return hashlib.sha256(repr(self).encode()).hexdigest()
        finally:
            self.rows = rows

    def absorb(self, other: Record) -> None:
        """Another row of the same incident: its violation joins, or its victims join the same violation."""
        self.rows += other.rows
        for violation in other.violations:
            same = next((v for v in self.violations if v.type_code == violation.type_code), None)
            if same is None:
                self.violations.append(violation)
            else:
                same.victims += violation.victims
                same.groups += violation.groups
                same.perpetrators += [p for p in violation.perpetrators if p not in same.perpetrators]
        self.sources += [s for s in other.sources if s not in self.sources]
