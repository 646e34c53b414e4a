"""Need-to-know: a sexual-violence record, or one with a child victim, shows its survivors only to its
author, the users its coordinator names on it and the GBV / child-protection specialists; the other
monitors and coordinators of the organisation see it de-identified, on the page, in the API, the list
and the exports."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conftest import client_for, make_incident, make_user
from kurukan.accounts.models import Role

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


@pytest.fixture
def specialist(ohchr):
    return make_user("kadi.vbg", Role.PROTECTION_SPECIALIST, ohchr)


def _page(user, incident) -> str:
    return client_for(user).get(reverse("incidents:detail", args=[incident.public_id])).content.decode()


def _api(user, incident) -> str:
    return client_for(user).get(reverse("api:incident_detail", args=[incident.public_id])).content.decode()


def test_a_monitor_not_named_on_a_sexual_violence_record_sees_it_de_identified(
    rape, other_monitor, coordinator
):
    for user in (other_monitor, coordinator):
        page = _page(user, rape)
        assert "Traoré" not in page and "Récit de la survivante" not in page and "Sogou" not in page
        assert "Dossier sensible" in page
        api = _api(user, rape)
        assert "Traor" not in api and '"identities":false' in api.replace(" ", "")
        listing = client_for(user).get(reverse("incidents:list")).content.decode()
        assert rape.public_id in listing and "Sogou" not in listing  # listed, with a neutral title


def test_the_author_and_the_specialist_see_the_survivor(rape, monitor, specialist):
    for user in (monitor, specialist):
        assert NAME in _page(user, rape)
        assert "Traor" in _api(user, rape)


def test_a_user_the_coordinator_names_on_the_record_sees_the_survivor(rape, coordinator, other_monitor):
    assert "Traoré" not in _page(other_monitor, rape)
    response = client_for(coordinator).post(
        reverse("people:need_to_know", args=[rape.public_id]), {"add": other_monitor.pk}
    )
    assert response.status_code == 302
    assert NAME in _page(other_monitor, rape)
    from kurukan.audit.models import AuditEvent

    event = AuditEvent.objects.filter(object_id=rape.public_id).latest("sequence")
    assert event.details == {"need_to_know_added": other_monitor.username}
    client_for(coordinator).post(
        reverse("people:need_to_know", args=[rape.public_id]), {"remove": other_monitor.pk}
    )
    assert "Traoré" not in _page(other_monitor, rape)


def test_a_monitor_cannot_name_users(rape, monitor, other_monitor):
    response = client_for(monitor).post(
        reverse("people:need_to_know", args=[rape.public_id]), {"add": other_monitor.pk}
    )
    assert response.status_code == 403


def test_a_child_victim_makes_the_record_sensitive(monitor, other_monitor):
    from kurukan.incidents.models import Victim

    incident = make_incident(monitor, victim_name=("Fanta", "Keïta"))
    assert "Keïta" in _page(other_monitor, incident)
    Victim.objects.filter(violation__incident=incident).update(age_at_time=12)
    assert "Keïta" not in _page(other_monitor, incident)


def test_the_victims_export_leaves_out_the_survivor_for_those_not_cleared(rape, other_monitor, specialist):
    def export(user) -> str:
        response = client_for(user).post(
            reverse("exports:victims"), {"format": "csv", "reason": "Liste pour le suivi médical"}
        )
        return b"".join(response.streaming_content).decode()

    assert rape.public_id in export(other_monitor) and "Traoré" not in export(other_monitor)
    assert "Traoré" in export(specialist)


def test_the_statistics_count_the_record_for_everyone(rape, other_monitor, monitor):
    """De-identified is not uncounted: the figures are the same for a cleared and an uncleared monitor."""
    url = reverse("api:statistics_table")
    assert client_for(other_monitor).get(url).json() == client_for(monitor).get(url).json()
