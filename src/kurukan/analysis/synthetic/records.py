"""Flat records (one dict per victim or per report) and their CSV files, for linkage and benchmarks."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from .config import SyntheticConfig
from .generator import generate

PEOPLE_FIELDS: tuple[str, ...] = (
    "record_id", "person_id", "report_id", "event_id", "source_org", "given_name", "family_name", "sex",
    "age",
    "age_estimated", "birth_year", "incident_date", "date_precision", "admin1_pcode", "admin2_pcode",
    "admin3_pcode", "settlement_pcode", "latitude", "longitude", "violation_type", "status_after",
)  # fmt: skip
INCIDENT_FIELDS: tuple[str, ...] = (
    "report_id", "event_id", "source_org", "start_date", "end_date", "date_precision", "admin1_pcode",
    "admin2_pcode", "admin3_pcode", "settlement_pcode", "latitude", "longitude", "violation_types",
    "perpetrator_categories", "n_victims", "title",
)  # fmt: skip

# Role (``kurukan.analysis.linkage.PERSON_ROLES``, ``INCIDENT_ROLES``) -> column of these records, for
# ``LinkageConfig(columns=PEOPLE_LINKAGE_COLUMNS, id_column="record_id")`` (incidents: "report_id").
# The truth (``person_id``, ``event_id``) is never mapped; neither are a person record's
# ``source_org`` and ``status_after``.
_REPORT_PLACE_COLUMNS: dict[str, str] = {  # both kinds copy these from the report
    "date_precision": "date_precision",
    "admin1": "admin1_pcode",
    "admin2": "admin2_pcode",
    "admin3": "admin3_pcode",
    "settlement": "settlement_pcode",
    "latitude": "latitude",
    "longitude": "longitude",
}
PEOPLE_LINKAGE_COLUMNS: dict[str, str] = {
    "given_name": "given_name",
    "family_name": "family_name",
    "sex": "sex",
    "age": "age",
    "age_estimated": "age_estimated",
    "birth_year": "birth_year",
    "date": "incident_date",
    **_REPORT_PLACE_COLUMNS,
    "violation_type": "violation_type",
    "report": "report_id",
}
INCIDENT_LINKAGE_COLUMNS: dict[str, str] = {
    "start_date": "start_date",
    "end_date": "end_date",
    **_REPORT_PLACE_COLUMNS,
    "violation_types": "violation_types",
    "perpetrator_categories": "perpetrator_categories",
    "n_victims": "n_victims",
    "title": "title",
    "organisation": "source_org",
}


def people_records(config: SyntheticConfig, start: int = 0, stop: int | None = None) -> Iterator[dict]:
    """One flat dict per victim record (keys `PEOPLE_FIELDS`) for record linkage; `person_id` is the truth."""
    for report in generate(config, start, stop):
        date = report.start_date.isoformat()
        for violation in report.violations:
            for v in violation.victims:
                yield {
                    "record_id": v.record_id,
                    "person_id": v.person_id,
                    "report_id": report.report_id,
                    "event_id": report.event_id,
                    "source_org": report.source_org,
                    "given_name": v.given_name,
                    "family_name": v.family_name,
                    "sex": v.sex,
                    "age": v.age,
                    "age_estimated": v.age_estimated,
                    "birth_year": v.birth_year,
                    "incident_date": date,
                    "date_precision": report.date_precision,
                    "admin1_pcode": report.admin1_pcode,
                    "admin2_pcode": report.admin2_pcode,
                    "admin3_pcode": report.admin3_pcode,
                    "settlement_pcode": report.settlement_pcode,
                    "latitude": report.latitude,
                    "longitude": report.longitude,
                    "violation_type": violation.type_code,
                    "status_after": v.status_after,
                }


def incident_records(config: SyntheticConfig, start: int = 0, stop: int | None = None) -> Iterator[dict]:
    """One flat dict per incident report (keys `INCIDENT_FIELDS`); `event_id` is the truth."""
    for report in generate(config, start, stop):
        types = dict.fromkeys(v.type_code for v in report.violations)
        perps = dict.fromkeys(p.category_code for v in report.violations for p in v.perpetrators)
        yield {
            "report_id": report.report_id,
            "event_id": report.event_id,
            "source_org": report.source_org,
            "start_date": report.start_date.isoformat(),
            "end_date": report.end_date.isoformat() if report.end_date else None,
            "date_precision": report.date_precision,
            "admin1_pcode": report.admin1_pcode,
            "admin2_pcode": report.admin2_pcode,
            "admin3_pcode": report.admin3_pcode,
            "settlement_pcode": report.settlement_pcode,
            "latitude": report.latitude,
            "longitude": report.longitude,
            "violation_types": "|".join(types),
            "perpetrator_categories": "|".join(perps),
            "n_victims": report.n_victims,
            "title": report.title,
        }


def _write_csv(path: str | Path, fields: tuple[str, ...], rows: Iterator[dict]) -> int:
    n = 0
    with Path(path).open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields)
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
            n += 1
    return n


def write_people_csv(path: str | Path, config: SyntheticConfig) -> int:
    """Write `people_records` to a UTF-8 CSV; returns the number of rows."""
    return _write_csv(path, PEOPLE_FIELDS, people_records(config))


def write_incidents_csv(path: str | Path, config: SyntheticConfig) -> int:
    """Write `incident_records` to a UTF-8 CSV; returns the number of rows."""
    return _write_csv(path, INCIDENT_FIELDS, incident_records(config))
