"""The history page shows the versions of every part of an incident, masked as the record is (#16 item 10)."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
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


def test_the_history_page_finds_every_version_through_an_index(monitor):
    """History tables are indexed only for the reads made on them (kurukan.versions): the page's reads of
    the incident's versions and of its parts' must each use one, never a scan of a whole history table."""
    incident = make_incident(monitor, group_size=3)
    with CaptureQueriesContext(connection) as queries:
        response = client_for(monitor).get(reverse("incidents:history", args=[incident.public_id]))
    assert response.status_code == 200
    reads = [q["sql"] for q in queries.captured_queries if "_historical" in q["sql"]]
    tables = {table for sql in reads for table in HISTORY_TABLES if f'"{table}"' in sql}
    assert tables == set(HISTORY_TABLES), tables  # the page read every part's history
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET enable_seqscan = off")  # tiny tables: a scan is cheaper; is an index there?
        for sql in reads:
            prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
            cursor.execute(prefix + sql)
            plan = " ".join(str(cell) for row in cursor.fetchall() for cell in row)
            scanned = [t for t in HISTORY_TABLES if f"SCAN {t}" in plan or f"Seq Scan on {t}" in plan]
            assert not scanned, (sql, plan)
        if connection.vendor == "postgresql":
            cursor.execute("RESET enable_seqscan")


HISTORY_TABLES = [
    f"incidents_historical{name}"
    for name in ("incident", "violation", "victim", "groupvictims", "perpetrator", "source")
]
