"""Retention and erasure: `kurukan retention run --dry-run` lists, the real run erases; the erased values
are gone from the live rows and every history row, the statistics do not change, the audit chain verifies,
and a legal hold keeps a record tied to an open judicial case."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from conftest import client_for, make_incident, term
from kurukan.audit.log import verify_chain
from kurukan.audit.models import AuditEvent
from kurukan.people import retention
from kurukan.people.models import Person, RetentionKind, RetentionRule


def _run(*args) -> str:
    out = io.StringIO()
    call_command("retention", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def old_closed(monitor, ohchr):
    incident = make_incident(monitor, status="closed", start_date=dt.date(2012, 5, 1))
    RetentionRule.objects.create(organisation=ohchr, kind=RetentionKind.VICTIM_IDENTITIES, years=10)
    return incident


def _person(incident) -> Person:
    return incident.violations.get().victims.get().person


def _raw_history_values(person: Person) -> list:
    table = Person.history.model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT given_name, family_name FROM {table} WHERE id = %s", [person.pk])  # noqa: S608
        return cursor.fetchall()


def test_dry_run_lists_then_the_run_erases_everywhere(old_closed, monitor):
    recent = make_incident(
        monitor, status="closed", start_date=dt.date(2023, 5, 1), victim_name=("Oumou", "Sidibé")
    )
    person = _person(old_closed)
    person.phone = "76 12 34 56"
    person.save()  # a second history row holding the values
    statistics = client_for(monitor).get(reverse("api:statistics_table")).json()

    listed = _run("run", "--dry-run")
    assert person.public_id in listed and _person(recent).public_id not in listed
    assert "1 identité(s) seraient effacées" in listed
    person.refresh_from_db()
    assert person.family_name == "Maïga"  # nothing changed

    assert "1 identité(s) effacée(s)" in _run("run")
    person.refresh_from_db()
    assert (person.given_name, person.family_name, person.phone) == ("", "", "")
    assert person.identity_erased_on is not None and person.sex == "male"
    assert all(values == ("", "") for values in _raw_history_values(person))
    assert all(h.phone == "" for h in person.history.all())
    assert _person(recent).family_name == "Sidibé"
    assert client_for(monitor).get(reverse("api:statistics_table")).json() == statistics
    event = AuditEvent.objects.filter(object_id=person.public_id).latest("sequence")
    assert event.action == "delete" and "Maïga" not in str(event.details)
    assert list(verify_chain()) == []
    assert "0 identité(s) seraient effacées" in _run("run", "--dry-run")  # done once


def test_a_person_in_a_still_open_incident_is_kept(old_closed, monitor):
    person = _person(old_closed)
    other = make_incident(monitor, status="submitted", start_date=dt.date(2011, 1, 1), victim_name=None)
    from kurukan.incidents.models import Victim

    Victim.objects.create(violation=other.violations.get(), person=person)
    assert person.public_id not in _run("run", "--dry-run")


def test_a_legal_hold_stops_the_rule(old_closed, monkeypatch):
    monkeypatch.setattr(retention, "incidents_on_hold", lambda ids: set(ids))
    listed = _run("run", "--dry-run")
    assert _person(old_closed).public_id not in listed and "1 gardée(s)" in listed


def test_an_open_judicial_case_holds_the_record_until_a_stage_ends_it(old_closed, monitor):
    """The justice app's hook, for real: a case with no stage or a judgment holds; a closing stage frees."""
    from kurukan.justice import actions as justice_actions
    from kurukan.justice.models import JudicialCase, Stage

    violation = old_closed.violations.get()
    case = JudicialCase(title="Affaire", jurisdiction=term("jurisdiction", "ordinary"))
    justice_actions.open_case(case, [violation], monitor)
    assert _person(old_closed).public_id not in _run("run", "--dry-run")
    justice_actions.add_stage(
        case, Stage(kind="judgment", on=dt.date(2014, 1, 2), outcome="conviction"), monitor
    )
    assert _person(old_closed).public_id not in _run("run", "--dry-run")
    justice_actions.add_stage(case, Stage(kind="closed", on=dt.date(2015, 1, 2)), monitor)
    assert _person(old_closed).public_id in _run("run", "--dry-run")


def test_erasure_on_request_from_the_command_line(old_closed):
    person = _person(old_closed)
    assert person.public_id in _run("erase", person.public_id)
    person.refresh_from_db()
    assert person.full_name == ""
    with pytest.raises(Exception, match="introuvable"):
        _run("erase", "P-NOPE")


def test_erasure_on_request_from_the_persons_file(old_closed, coordinator, monitor):
    person = _person(old_closed)
    url = reverse("people:erase", args=[person.public_id])
    assert client_for(monitor).post(url, {"confirm": "1"}).status_code == 403
    client = client_for(coordinator)
    client.post(url, {})  # no confirmation: nothing happens
    person.refresh_from_db()
    assert person.family_name == "Maïga"
    response = client.post(url, {"confirm": "1"}, follow=True)
    assert "Identité effacée, historique compris" in response.content.decode()
    person.refresh_from_db()
    assert person.full_name == "" and "Maïga" not in _detail_text(coordinator, old_closed)


def _detail_text(user, incident) -> str:
    return client_for(user).get(reverse("incidents:detail", args=[incident.public_id])).content.decode()
