"""An attack on a school recorded as a violation links to the school, whose page lists it under the
incident access rules."""

from __future__ import annotations

import pytest
from django.urls import reverse
from school_builders import make_school

from conftest import client_for, field_errors, make_incident, term
from kurukan.accounts.models import Confidentiality
from kurukan.incidents.models import IncidentStatus


@pytest.fixture
def schools(db):
    return make_school("MO-1", name="École de Bankass"), make_school(
        "GA-1", name="École de Gao", commune="ML070101"
    )


def test_the_violation_form_offers_the_schools_of_the_incidents_commune(monitor, schools):
    incident = make_incident(monitor, status=IncidentStatus.DRAFT, victim_name=None)
    page = client_for(monitor).get(reverse("incidents:edit", args=[incident.public_id])).content.decode()
    assert "École de Bankass" in page and "École de Gao" not in page


def test_an_attack_on_a_school_links_and_appears_on_the_school_page(monitor, schools):
    bankass, _gao = schools
    incident = make_incident(monitor, status=IncidentStatus.DRAFT, victim_name=None)
    client = client_for(monitor)
    response = client.post(
        reverse("incidents:violation_add", args=[incident.public_id]),
        {"type": term("violation_type", "protected.attack_school").pk, "school": bankass.pk},
    )
    assert response.status_code == 302
    violation = incident.violations.get(type__code="protected.attack_school")
    assert violation.school == bankass
    page = client.get(reverse("schools:detail", args=[bankass.code])).content.decode()
    assert incident.public_id in page and "Attaque contre une école" in page
    detail = client.get(reverse("incidents:detail", args=[incident.public_id])).content.decode()
    assert reverse("schools:detail", args=[bankass.code]) in detail


def test_a_school_from_another_commune_or_on_another_type_is_refused(monitor, schools):
    bankass, gao = schools
    incident = make_incident(monitor, status=IncidentStatus.DRAFT, victim_name=None)
    url = reverse("incidents:violation_add", args=[incident.public_id])
    client = client_for(monitor)
    response = client.post(
        url, {"type": term("violation_type", "protected.attack_school").pk, "school": gao.pk}
    )
    assert response.status_code == 422 and field_errors(response.content, "school")
    response = client.post(
        url, {"type": term("violation_type", "life.summary_execution").pk, "school": bankass.pk}
    )
    assert response.status_code == 422
    assert "changez le type ou laissez l'école vide" in field_errors(response.content, "school")[0].replace(
        "&#x27;", "'"
    )


def test_the_school_page_lists_only_violations_the_reader_may_see(monitor, cndh_monitor, analyst, schools):
    bankass, _gao = schools
    internal = make_incident(monitor, violation_type="protected.attack_school", title="Interne")
    strict = make_incident(
        monitor,
        violation_type="children.military_use",
        confidentiality=Confidentiality.STRICTLY_CONFIDENTIAL,
        title="Très confidentiel",
    )
    for incident in (internal, strict):
        incident.violations.update(school=bankass)
    url = reverse("schools:detail", args=[bankass.code])
    seen = {
        who: {
            i.public_id
            for i in (internal, strict)
            if i.public_id in client_for(user).get(url).content.decode()
        }
        for who, user in {"author": monitor, "other organisation": cndh_monitor, "analyst": analyst}.items()
    }
    assert seen == {
        "author": {internal.public_id, strict.public_id},
        "other organisation": set(),
        "analyst": {internal.public_id},
    }
    api = client_for(cndh_monitor).get(f"/api/schools/{bankass.code}").json()
    assert api["violations"] == []
