"""A follow-up focal point reads no incident, yet sees the computed indicators of what is assigned to their
institution: counted over the records that may enter public figures, small quarters shown as "< N"."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import client_for, make_incident, make_user, term, unit
from kurukan.accounts.models import Confidentiality, Role
from kurukan.incidents.models import Violation
from kurukan.recommendations.figures import indicator_series
from kurukan.recommendations.models import Document, Indicator, Institution, Recommendation

pytestmark = pytest.mark.django_db


def _verified(user, day: dt.date, confidentiality=Confidentiality.INTERNAL) -> None:
    incident = make_incident(user, commune="ML050301", start_date=day, confidentiality=confidentiality)
    Violation.objects.filter(incident=incident).update(verification_status="verified")


@pytest.fixture
def world(ohchr, monitor, coordinator):
    justice = Institution.objects.create(code="justice", name_fr="Ministère de la Justice")
    focal = make_user("point-focal", Role.FOCAL_POINT, ohchr)
    justice.focal_points.add(focal)
    document = Document.objects.create(mechanism="upr", symbol="A/HRC/23/6")
    rec = Recommendation.objects.create(
        document=document, paragraph="112.5.3", text_en="End summary executions"
    )
    rec.institutions.add(justice)
    rec.regions.add(unit("ML05"))
    indicator = Indicator.objects.create(
        recommendation=rec, kind="outcome", name="Exécutions sommaires vérifiées",
        computed_type=term("violation_type", "life.summary_execution"),
    )  # fmt: skip
    for day in (1, 3, 5, 7, 9, 11):
        _verified(monitor, dt.date(2022, 2, day))
    _verified(monitor, dt.date(2022, 5, 2))
    # a restricted record is not in the public's scope: the coordinator counts it, the focal point does not
    _verified(monitor, dt.date(2022, 5, 3), Confidentiality.RESTRICTED)
    return focal, rec, indicator


def test_the_focal_point_sees_the_trend_with_small_quarters_protected(world, coordinator):
    focal, rec, indicator = world
    assert indicator_series(indicator, coordinator) == [("2022-Q1", 6), ("2022-Q2", 2)]
    assert indicator_series(indicator, focal) == [("2022-Q1", 6), ("2022-Q2", None)]
    page = client_for(focal).get(f"/recommendations/{rec.pk}/").content.decode()
    assert "<td>2022-Q1</td><td>6</td>" in page and "<td>2022-Q2</td><td>&lt; 5</td>" in page
    assert "Pas encore de valeur" not in page
    assert "chiffres publics" in page
