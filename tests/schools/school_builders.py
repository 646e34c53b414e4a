"""Builders for school tests: keyword defaults, real vocabulary terms, real communes."""

from __future__ import annotations

import datetime as dt

from conftest import term, unit
from kurukan.schools import actions
from kurukan.schools.models import School, StatusChange


def make_school(
    code: str = "ML-EC-0001",
    *,
    name: str = "École fondamentale de Bankass",
    commune: str = "ML050301",  # Bankass, cercle of Bankass, Mopti
    level: str = "first_cycle",
    girls: int = 120,
    boys: int = 140,
    women: int = 2,
    men: int = 4,
) -> School:
    place = unit(commune)
    return actions.add_school(
        School(
            code=code,
            name=name,
            commune=place,
            level=term("school_level", level),
            pupils_girls=girls,
            pupils_boys=boys,
            teachers_women=women,
            teachers_men=men,
            latitude=place.latitude,
            longitude=place.longitude,
        ),
        None,
    )


def add_status(
    school: School,
    user,
    status: str,
    on: dt.date,
    *,
    reason: str | None = "insecurity",
    pupils: int | None = None,
    source: str = "Liste du cluster Éducation",
) -> StatusChange:
    closes = status in {"closed", "occupied", "destroyed"}
    return actions.record_status_change(
        StatusChange(
            school=school,
            status=term("school_status", status),
            reason=term("closure_reason", reason) if (reason and closes) else None,
            starts_on=on,
            pupils_affected=pupils,
            source=source,
            organisation=user.organisation,
            occupier_category=term("perpetrator_category", "nonstate.unidentified")
            if status == "occupied"
            else None,
        ),
        user,
    )
