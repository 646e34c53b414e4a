"""Synthetic, seeded Malian human-rights incident data with the hidden truth kept (no Django).

    from kurukan.analysis.synthetic import SyntheticConfig, generate, people_records
    for report in generate(SyntheticConfig(n_events=5000, seed=42)):
        ...

`generate` streams `IncidentReport`s in constant memory; `event_id` (the real event) and each victim's
`person_id` (the real person) are the truth that record linkage and multiple-systems estimation try to
recover. `events()` also yields the true events, including victims that no report named.
"""

from .config import SyntheticConfig
from .generator import events, generate
from .model import (
    METHODS,
    SOURCE_ORGS,
    VICTIM_STATUSES,
    GroupVictims,
    IncidentReport,
    PerpetratorReport,
    SourceReport,
    VictimReport,
    ViolationReport,
)
from .names import NAME_VARIANTS
from .records import (
    INCIDENT_FIELDS,
    INCIDENT_LINKAGE_COLUMNS,
    PEOPLE_FIELDS,
    PEOPLE_LINKAGE_COLUMNS,
    incident_records,
    people_records,
    write_incidents_csv,
    write_people_csv,
)
from .truth import TrueEvent, TruePerson

__all__ = [
    "INCIDENT_FIELDS",
    "INCIDENT_LINKAGE_COLUMNS",
    "METHODS",
    "NAME_VARIANTS",
    "PEOPLE_FIELDS",
    "PEOPLE_LINKAGE_COLUMNS",
    "SOURCE_ORGS",
    "VICTIM_STATUSES",
    "GroupVictims",
    "IncidentReport",
    "PerpetratorReport",
    "SourceReport",
    "SyntheticConfig",
    "TrueEvent",
    "TruePerson",
    "VictimReport",
    "ViolationReport",
    "events",
    "generate",
    "incident_records",
    "people_records",
    "write_incidents_csv",
    "write_people_csv",
]
