"""The history page shows the versions of every part of an incident, masked as the record is (#16 item 10)."""

from __future__ import annotations

from django.urls import reverse

from conftest import client_for, make_incident
from kurukan.accounts.models import Confidentiality
from kurukan.incidents.models import GroupVictims, Source, Victim


def test_parts_changed_and_removed_appear_with_who_and_what(monitor, coordinator, analyst):
    incident = make_incident(monitor, confidentiality=Confidentiality.RESTRICTED, group_size=3)
    victim = Victim.objects.get(violation__incident=incident)
    victim.age_at_time = 35
    victim._history_user = monitor
    victim.save()
    group = GroupVictims.objects.get(violation__incident=incident)
    group.description = "Bergers du hameau de Tiolel"
    group._history_user = monitor
    group.save()
    source = Source.objects.create(incident=incident, description="Témoin Hamadoun Dicko", language="fr")
    source._history_user = coordinator
    source.delete()
    url = reverse("incidents:history", args=[incident.public_id])

    own = client_for(monitor).get(url).content.decode()
    assert "Victime 1" in own and "âge au moment des faits : 35" in own
    assert "Groupe de victimes 1" in own and "Bergers du hameau de Tiolel" in own
    assert (
        "Source 1" in own
        and "suppression" in own
        and "coordinateur" in own.lower()
        or coordinator.username in own
    )
    assert victim.person.public_id in own  # the person record behind the victim, for those who see names
    assert "Violation 1" in own and "Auteur 1" in own

    theirs = client_for(analyst).get(url)
    assert theirs.status_code == 200
    body = theirs.content.decode()
    assert "âge au moment des faits : 35" in body  # an age names no one
    assert victim.person.public_id not in body
    assert "Tiolel" not in body and "Hamadoun" not in body
    assert "(masqué)" in body


def test_a_user_who_may_not_see_the_incident_does_not_see_its_history(monitor, cndh_monitor):
    incident = make_incident(monitor)
    response = client_for(cndh_monitor).get(reverse("incidents:history", args=[incident.public_id]))
    assert response.status_code == 404
