"""Need-to-know binds administrators too: on a sexual-violence record they are not named on, an administrator
sees the survivor de-identified (page, API, list, export, person's file), yet still manages who is named on
the record; once named, they see the survivor like anyone named."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from conftest import client_for, make_incident

NAME = "Awa Traoré"


@pytest.fixture
def rape(monitor):
    return make_incident(
        monitor,
        violation_type="sexual.rape",
        victim_name=("Awa", "Traoré"),
        title="Viol au puits de Sogou",
        narrative="Récit de la survivante.",
    )


def _page(user, incident) -> str:
    return client_for(user).get(reverse("incidents:detail", args=[incident.public_id])).content.decode()


def _api(user, incident) -> str:
    return client_for(user).get(reverse("api:incident_detail", args=[incident.public_id])).content.decode()


def _export(user) -> str:
    response = client_for(user).post(
        reverse("exports:victims"), {"format": "csv", "reason": "Contrôle de la liste des victimes"}
    )
    return b"".join(response.streaming_content).decode()


def test_an_administrator_not_named_sees_the_record_de_identified(rape, administrator):
    page = _page(administrator, rape)
    assert rape.public_id in page
    assert "Traoré" not in page and "Récit de la survivante" not in page and "Sogou" not in page
    assert "Dossier sensible" in page
    api = _api(administrator, rape)
    assert "Traor" not in api and '"identities":false' in api.replace(" ", "")
    listing = client_for(administrator).get(reverse("incidents:list")).content.decode()
    assert rape.public_id in listing and "Sogou" not in listing
    export = _export(administrator)
    assert rape.public_id in export and "Traoré" not in export
    person = rape.violations.get().victims.get().person
    file_page = client_for(administrator).get(reverse("people:detail", args=[person.public_id]))
    assert "Traoré" not in file_page.content.decode()


def test_an_administrator_still_names_users_on_the_record_and_then_sees_it(
    rape, administrator, other_monitor
):
    response = client_for(administrator).post(
        reverse("people:need_to_know", args=[rape.public_id]), {"add": other_monitor.pk}
    )
    assert response.status_code == 302
    assert NAME in _page(other_monitor, rape)
    assert "Traoré" not in _page(administrator, rape)  # naming others does not name oneself
    client_for(administrator).post(
        reverse("people:need_to_know", args=[rape.public_id]), {"add": administrator.pk}
    )
    assert NAME in _page(administrator, rape)
    assert "Traor" in _api(administrator, rape)


def test_the_console_export_without_a_user_leaves_the_survivor_out(rape, tmp_path):
    target = tmp_path / "victims.csv"
    call_command(
        "export",
        "victims",
        "--output",
        str(target),
        "--reason",
        "Archive du bureau de Mopti",
        stderr=io.StringIO(),
    )
    text = target.read_text(encoding="utf-8")
    assert rape.public_id in text and "Traoré" not in text
