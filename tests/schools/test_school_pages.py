"""The register and the add-school form, as a monitor and as a reader."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from school_builders import add_status, make_school

from conftest import assert_no_stack_trace, client_for, field_errors, term
from kurukan.audit.models import AuditEvent
from kurukan.schools.models import School


@pytest.fixture
def register(monitor):
    bankass = make_school("MO-1", name="École de Bankass")
    gao = make_school("GA-1", name="École de Gao", commune="ML070101", level="secondary")
    add_status(bankass, monitor, "closed", dt.date(2022, 1, 10))
    add_status(gao, monitor, "open", dt.date(2019, 10, 1), reason=None)
    return bankass, gao


def test_the_register_filters_by_state_on_a_date_region_and_level(monitor, register):
    client = client_for(monitor)
    url = reverse("schools:register")
    closed = client.get(url, {"state": "closed", "on": "2023-01-01"}).content.decode()
    assert "École de Bankass" in closed and "École de Gao" not in closed
    assert "Fermée" in closed and "Menace" not in closed  # the reason is the one recorded: insecurity
    assert "Insécurité dans la zone" in closed
    before = client.get(url, {"state": "closed", "on": "2021-12-31"}).content.decode()
    assert "École de Bankass" not in before
    gao_region = client.get(url, {"region": register[1].region_id}).content.decode()
    assert "École de Gao" in gao_region and "École de Bankass" not in gao_region
    secondary = client.get(url, {"level": term("school_level", "secondary").pk}).content.decode()
    assert "École de Gao" in secondary and "École de Bankass" not in secondary


def test_with_htmx_only_the_results_come_back(monitor, register):
    response = client_for(monitor).get(
        reverse("schools:register"), {"q": "bankass"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results"
    )
    body = response.content.decode()
    assert "<html" not in body and "École de Bankass" in body and "École de Gao" not in body


def test_the_register_reads_a_page_in_a_fixed_number_of_queries(
    monitor, register, django_assert_max_num_queries
):
    client = client_for(monitor)
    client.get(reverse("schools:register"))
    for i in range(30):
        make_school(f"MO-{100 + i}", name=f"École {i}")
    with django_assert_max_num_queries(14):
        client.get(reverse("schools:register"))


def test_a_monitor_adds_a_school_by_commune_name(monitor):
    client = client_for(monitor)
    data = {"code": "ml05-0200", "name": "École de Ségué", "level": term("school_level", "first_cycle").pk,
            "commune_name": "Soubala (ML050311)", "pupils_girls": 10, "pupils_boys": 12, "teachers_women": 0,
            "teachers_men": 1}  # fmt: skip
    response = client.post(reverse("schools:create"), data)
    assert response.status_code == 302
    school = School.objects.get(code="ML05-0200")
    assert school.cercle.pcode == "ML0503" and school.latitude is not None
    assert AuditEvent.objects.filter(action="create", object_id=str(school.pk)).exists()
    again = client.post(reverse("schools:create"), data)
    assert again.status_code == 422
    assert "déjà celui de l'école « École de Ségué »" in field_errors(again.content, "code")[0]


def test_an_unknown_commune_is_named_on_its_field(monitor):
    response = client_for(monitor).post(
        reverse("schools:create"),
        {"code": "X-1", "name": "École", "level": term("school_level", "first_cycle").pk, "commune_name": "Atlantis",
         "pupils_girls": 0, "pupils_boys": 0, "teachers_women": 0, "teachers_men": 0},
    )  # fmt: skip
    assert response.status_code == 422
    assert_no_stack_trace(response)
    assert "Aucune commune ne s'appelle « Atlantis »" in field_errors(response.content, "commune_name")[0]


def test_readers_see_the_register_but_not_the_recording_forms(analyst, register):
    client = client_for(analyst)
    page = client.get(reverse("schools:register")).content.decode()
    assert "École de Bankass" in page and reverse("schools:create") not in page
    detail = client.get(reverse("schools:detail", args=["MO-1"])).content.decode()
    assert "Enregistrer un changement d" not in detail
    assert client.get(reverse("schools:create")).status_code == 403
