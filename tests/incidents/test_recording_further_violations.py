"""The one-flow recording page takes further violations inline (issue #16, item 2): a killing and a child
abduction, each with its victim and perpetrator, saved once — or nothing saved, everything kept."""

from __future__ import annotations

import re

from django.urls import reverse

from conftest import client_for, field_errors, incident_form_data, term
from kurukan.incidents.models import Incident


def _two_violations(**extra) -> dict:
    return incident_form_data(
        **{
            "violation-type": term("violation_type", "life.summary_execution").pk,
            "victim-given_name": "Zorblatt",
            "victim-sex": "male",
            "victim-age_at_time": "34",
            "perpetrator-category": term("perpetrator_category", "nonstate.unidentified").pk,
            "violation2-type": term("violation_type", "liberty.abduction").pk,
            "victim2-given_name": "Fanta",
            "victim2-sex": "female",
            "victim2-age_at_time": "12",
            "group2-boys": "2",
            "perpetrator2-category": term("perpetrator_category", "nonstate.unidentified").pk,
            "source-description": "Témoin direct",
            **extra,
        }
    )


def test_a_killing_and_a_child_abduction_are_recorded_on_one_page(monitor):
    response = client_for(monitor).post(reverse("incidents:create"), _two_violations())
    assert response.status_code == 302, response.content.decode()[:3000]
    incident = Incident.objects.get()
    killing, abduction = incident.violations.order_by("pk")
    assert killing.type.code == "life.summary_execution"
    assert [v.person.given_name for v in killing.victims.all()] == ["Zorblatt"]
    assert abduction.type.code == "liberty.abduction"
    assert [v.person.given_name for v in abduction.victims.all()] == ["Fanta"]
    assert abduction.groups.get().boys == 2
    assert killing.perpetrators.count() == 1 and abduction.perpetrators.count() == 1
    assert incident.victim_count == 1 + 1 + 2
    page = client_for(monitor).get(response.url).content.decode()
    assert "six violations graves contre les enfants" in page


def test_a_mistake_in_the_second_violation_saves_nothing_and_opens_it(monitor):
    response = client_for(monitor).post(
        reverse("incidents:create"), _two_violations(**{"victim2-age_at_time": "300"})
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert any("entre 0 et 120" in e for e in field_errors(html, "victim2-age_at_time"))
    assert not field_errors(html, "victim-age_at_time")
    assert re.search(r'<details class="card further-violation" id="further-violation-2" open>', html)
    assert 'id="further-violation-3" open' not in html  # nothing typed there: still folded
    assert 'value="Fanta"' in html and 'value="Zorblatt"' in html
    assert not Incident.objects.exists()


def test_victims_of_a_further_violation_need_its_type(monitor):
    response = client_for(monitor).post(
        reverse("incidents:create"), incident_form_data(**{"victim3-given_name": "Awa"})
    )
    assert response.status_code == 422
    assert any("type de violation" in e for e in field_errors(response.content, "violation3-type"))


def test_every_element_id_on_the_page_is_unique(monitor):
    html = client_for(monitor).get(reverse("incidents:create")).content.decode()
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    for target in re.findall(r'<label for="([^"]+)"', html):
        assert target in ids, target
