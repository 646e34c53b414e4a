"""The records a linkage run compares, as the pandas frames the linkage library reads.

Names are decrypted here, into memory only: the frames live for the duration of one run and are never
written, logged or returned. Column names are the library's roles (`PERSON_ROLES`, `INCIDENT_ROLES`),
so `LinkageConfig.columns` can stay empty.
"""

from __future__ import annotations

from collections import defaultdict

import pandas as pd
from django.db.models import QuerySet

from kurukan.incidents.merges import roots_of
from kurukan.incidents.models import Incident, Perpetrator, Victim, Violation
from kurukan.people.models import Person

ID = "record_id"


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def people_frame(incidents: QuerySet[Incident]) -> pd.DataFrame:
    """One row per person (not yet merged) who is an individual victim in one of `incidents`.

    A person named in several violations is described by the first of them (lowest victim id): its
    incident's date and place, the violation type, the age then. `report` is the incident, so two
    records of one incident under one violation count as two people (see the library's model).
    """
    rows = (
        Victim.objects.filter(violation__incident__in=incidents, person__merged_into__isnull=True)
        .order_by("id")
        .values(
            "person_id",
            "person__given_name",
            "person__family_name",
            "person__sex",
            "person__birth_year",
            "person__birth_year_estimated",
            "person__phone",
            "person__id_number",
            "age_at_time",
            "age_estimated",
            "violation__type__code",
            "violation__incident_id",
            "violation__incident__start_date",
            "violation__incident__date_precision",
            "violation__incident__region__pcode",
            "violation__incident__cercle__pcode",
            "violation__incident__commune__pcode",
            "violation__incident__settlement__pcode",
            "violation__incident__latitude",
            "violation__incident__longitude",
        )
    )
    records: dict[int, dict] = {}
    for row in rows.iterator(chunk_size=5000):
        if row["person_id"] in records:
            continue
        records[row["person_id"]] = {
            ID: str(row["person_id"]),
            "given_name": row["person__given_name"] or None,
            "family_name": row["person__family_name"] or None,
            "sex": row["person__sex"] if row["person__sex"] != "unknown" else None,
            "birth_year": row["person__birth_year"],
            "age": row["age_at_time"],
            "age_estimated": "yes" if (row["age_estimated"] or row["person__birth_year_estimated"]) else "no",
            "date": _iso(row["violation__incident__start_date"]),
            "date_precision": row["violation__incident__date_precision"],
            "admin1": row["violation__incident__region__pcode"],
            "admin2": row["violation__incident__cercle__pcode"],
            "admin3": row["violation__incident__commune__pcode"],
            "settlement": row["violation__incident__settlement__pcode"],
            "latitude": row["violation__incident__latitude"],
            "longitude": row["violation__incident__longitude"],
            "violation_type": row["violation__type__code"],
            "report": str(row["violation__incident_id"]),
            "identifier": row["person__id_number"] or None,
            "phone": row["person__phone"] or None,
        }
    return _frame(list(records.values()), PEOPLE_COLUMNS)


PEOPLE_COLUMNS = [
    ID, "given_name", "family_name", "sex", "birth_year", "age", "age_estimated", "date", "date_precision",
    "admin1", "admin2", "admin3", "settlement", "latitude", "longitude", "violation_type", "report",
    "identifier", "phone",
]  # fmt: skip

INCIDENT_COLUMNS = [
    ID, "start_date", "end_date", "date_precision", "admin1", "admin2", "admin3", "settlement", "latitude",
    "longitude", "violation_types", "perpetrator_categories", "n_victims", "title",
]  # fmt: skip


def incidents_frame(incidents: QuerySet[Incident]) -> pd.DataFrame:
    """One row per incident not yet merged into another, with its violation and perpetrator codes."""
    roots = incidents.filter(merged_into__isnull=True)
    types: dict[int, set[str]] = defaultdict(set)
    for incident_id, code in Violation.objects.filter(incident__in=roots).values_list(
        "incident_id", "type__code"
    ):
        types[incident_id].add(code)
    perpetrators: dict[int, set[str]] = defaultdict(set)
    for incident_id, code in Perpetrator.objects.filter(violation__incident__in=roots).values_list(
        "violation__incident_id", "category__code"
    ):
        perpetrators[incident_id].add(code)
    rows = roots.order_by("id").values(
        "id", "start_date", "end_date", "date_precision", "region__pcode", "cercle__pcode", "commune__pcode",
        "settlement__pcode", "latitude", "longitude", "victim_count", "title",
    )  # fmt: skip
    records = [
        {
            ID: str(row["id"]),
            "start_date": _iso(row["start_date"]),
            "end_date": _iso(row["end_date"]),
            "date_precision": row["date_precision"],
            "admin1": row["region__pcode"],
            "admin2": row["cercle__pcode"],
            "admin3": row["commune__pcode"],
            "settlement": row["settlement__pcode"],
            "latitude": row["latitude"],
            "longitude": row["longitude"],
            "violation_types": "|".join(sorted(types[row["id"]])) or None,
            "perpetrator_categories": "|".join(sorted(perpetrators[row["id"]])) or None,
            "n_victims": row["victim_count"],
            "title": row["title"],
        }
        for row in rows.iterator(chunk_size=5000)
    ]
    return _frame(records, INCIDENT_COLUMNS)


def victims_by_incident(incidents: QuerySet[Incident]) -> dict[str, set[int]]:
    """Each incident id (a merged incident under its root) → the ids of the people it names as victims
    (a merged person as its root)."""
    rows = list(
        Victim.objects.filter(violation__incident__in=incidents)
        .values_list("violation__incident_id", "person_id")
        .distinct()
        .iterator(chunk_size=5000)
    )
    incident_root = roots_of(Incident, {incident for incident, _ in rows})
    person_root = roots_of(Person, {person for _, person in rows})
    out: dict[str, set[int]] = defaultdict(set)
    for incident, person in rows:
        out[str(incident_root[incident])].add(person_root[person])
    return out


def _frame(records: list[dict], columns: list[str]) -> pd.DataFrame:
    # Every value as text (the library parses numbers and dates itself, as from a CSV); empty is missing.
    frame = pd.DataFrame.from_records(records, columns=columns)
    return frame.astype(object).where(frame.notna(), None).map(lambda v: None if v is None else str(v))
