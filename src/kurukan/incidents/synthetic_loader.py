"""Load reports from kurukan.analysis.synthetic into the database, through the one bulk writer.

Used by `kurukan demo` (about 5,000 incidents) and the benchmarks (1,000,000). The writing itself —
batches in transactions, history rows, facet bits, the free-text index, the audit event per batch — is
`kurukan.imports.writer`: the synthetic reports already have the canonical record's attributes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils import timezone

from kurukan.accounts.models import Organisation, User
from kurukan.analysis.synthetic import IncidentReport, SyntheticConfig, generate
from kurukan.imports.writer import write_records

from . import facets

ORGANISATIONS = {
    "ohchr": ("Division des droits de l'homme et de la protection (ONU)", "DDHP"),
    "cndh": ("Commission nationale des droits de l'homme", "CNDH"),
    "amdh": ("Association malienne des droits de l'homme", "AMDH"),
    "ngo_local": ("ONG locale partenaire", "ONG locale"),
    "press": ("Veille des médias", "Presse"),
}


@dataclass
class LoadStats:
    incidents: int = 0
    violations: int = 0
    victims: int = 0
    people: int = 0


def load_reports(
    reports: Iterable[IncidentReport],
    *,
    batch_size: int = 1000,
    created_by: User | None = None,
    progress: Callable[[int], None] | None = None,
    with_history: bool = True,
) -> LoadStats:
    """Write the reports batch by batch, with a first version-history row for every row written."""
    for code, (name, short) in ORGANISATIONS.items():
        Organisation.objects.get_or_create(code=code, defaults={"name": name, "short_name": short})
    written = write_records(
        reports,
        batch_size=batch_size,
        progress=progress,
        user=created_by,
        source="synthetic",
        with_history=with_history,
        history_reason="import synthétique",
        external_ids=lambda report: {"synthetic": report.report_id},
    )
    if written.incidents:
        facets.backfill()  # incidents loaded before the writer wrote the bits
    return LoadStats(written.incidents, written.violations, written.victims, written.people)


def load_synthetic(n_events: int, seed: int = 42, **kwargs) -> LoadStats:
    return load_reports(generate(SyntheticConfig(n_events=n_events, seed=seed)), **kwargs)


def demo_period() -> tuple[dt.date, dt.date]:
    return dt.date(2012, 1, 1), timezone.localdate()
