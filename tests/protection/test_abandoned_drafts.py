"""Retention of abandoned drafts: a draft nobody changed for the rule's years is listed by `kurukan retention
run --dry-run`, deleted by the real run with its history rows, its only persons' identities erased, an
audit event without identities; a legal hold, attached evidence or a recent change keeps it."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from conftest import make_incident, term
from kurukan.audit.log import verify_chain
from kurukan.audit.models import AuditEvent
from kurukan.incidents.models import GroupVictims, Incident, Perpetrator, Source, Victim, Violation
from kurukan.people.models import RetentionKind, RetentionRule


def _run(*args) -> str:
    out = io.StringIO()
    call_command("retention", *args, stdout=out)
    return out.getvalue()


def _age(incident: Incident, days: int) -> None:
    """Make every trace of the draft `days` old, as if nobody had touched it since."""
    when = timezone.now() - dt.timedelta(days=days)
    violations = list(incident.violations.values_list("pk", flat=True))
    Incident.objects.filter(pk=incident.pk).update(created_at=when)
    Incident.history.filter(id=incident.pk).update(history_date=when)
    Violation.history.filter(incident_id=incident.pk).update(history_date=when)
    for model in (Victim, Perpetrator, GroupVictims):
        model.history.filter(violation_id__in=violations).update(history_date=when)
    Source.history.filter(incident_id=incident.pk).update(history_date=when)


@pytest.fixture
def rule(ohchr):
    return RetentionRule.objects.create(organisation=ohchr, kind=RetentionKind.ABANDONED_DRAFTS, years=1)


@pytest.fixture
def abandoned(monitor, rule):
    draft = make_incident(
        monitor, status="draft", title="Brouillon sur Awa Coulibaly", victim_name=("Awa", "Coulibaly")
    )
    _age(draft, 400)
    return draft


def _raw(table: str, column: str, pk: int) -> list:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchall()


def test_dry_run_lists_the_abandoned_draft_and_the_run_deletes_it(abandoned, monitor):
    recent = make_incident(monitor, status="draft", title="Brouillon récent")
    submitted = make_incident(monitor, status="submitted")
    _age(submitted, 800)
    person = abandoned.violations.get().victims.get().person

    listed = _run("run", "--dry-run")
    assert abandoned.public_id in listed and recent.public_id not in listed
    assert submitted.public_id not in listed
    assert "1 brouillon(s) abandonné(s) supprimé(s) ; rien n'a changé" in listed
    assert Incident.objects.filter(pk=abandoned.pk).exists()

    done = _run("run")
    assert "1 brouillon(s) abandonné(s) supprimé(s)" in done
    assert not Incident.objects.filter(pk=abandoned.pk).exists()
    assert Incident.objects.filter(pk__in=[recent.pk, submitted.pk]).count() == 2
    # No history row of the draft is left to hold its title or narrative.
    assert _raw(Incident.history.model._meta.db_table, "title", abandoned.pk) == []
    # Its victim appeared nowhere else: the identity is erased, live and in history.
    person.refresh_from_db()
    assert (person.given_name, person.family_name) == ("", "")
    assert all(h.family_name == "" for h in person.history.all())
    event = AuditEvent.objects.filter(object_id=abandoned.public_id).latest("sequence")
    assert event.action == "delete" and "Coulibaly" not in str(event.details)
    assert "Brouillon" not in str(event.details)
    assert list(verify_chain()) == []
    assert abandoned.public_id not in _run("run", "--dry-run")


def test_a_person_also_in_another_record_keeps_their_identity(abandoned, monitor):
    person = abandoned.violations.get().victims.get().person
    other = make_incident(monitor, status="submitted", victim_name=None)
    Victim.objects.create(violation=other.violations.get(), person=person)
    _run("run")
    person.refresh_from_db()
    assert person.family_name == "Coulibaly"


def test_a_draft_changed_within_the_year_is_kept(abandoned, monitor):
    violation = abandoned.violations.get()
    violation.save()  # a change today: a new history row
    assert abandoned.public_id not in _run("run", "--dry-run")


def test_a_legal_hold_keeps_the_draft(abandoned, monitor):
    from kurukan.justice import actions as justice_actions
    from kurukan.justice.models import JudicialCase

    case = JudicialCase(title="Affaire", jurisdiction=term("jurisdiction", "ordinary"))
    justice_actions.open_case(case, [abandoned.violations.get()], monitor)
    listed = _run("run", "--dry-run")
    assert abandoned.public_id not in listed and "1 gardé(s) (procédure judiciaire en cours)" in listed
    _run("run")
    assert Incident.objects.filter(pk=abandoned.pk).exists()


def test_another_organisations_rule_does_not_touch_the_draft(monitor, cndh):
    RetentionRule.objects.create(organisation=cndh, kind=RetentionKind.ABANDONED_DRAFTS, years=1)
    draft = make_incident(monitor, status="draft")
    _age(draft, 400)
    _run("run")
    assert Incident.objects.filter(pk=draft.pk).exists()
    assert draft.violations.get().victims.get().person.family_name == "Maïga"
