"""The audit chain: any edit, deletion or reordering is detected; entries never carry names."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.urls import reverse

from conftest import client_for
from kurukan.audit import log as audit
from kurukan.audit.models import Action, AuditEvent

HTMX = {"HTTP_HX_REQUEST": "true"}
TABLE = AuditEvent._meta.db_table


@pytest.fixture
def chain(db) -> list[AuditEvent]:
    return [audit.record(Action.SYSTEM, object_type="test", object_id=str(n), step=n) for n in range(6)]


def _problems() -> list[str]:
    return [p.problem for p in audit.verify_chain()]


def _sql(statement: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_an_intact_chain_verifies(chain):
    assert _problems() == []


def test_an_edited_detail_is_detected(chain):
    _sql(f"UPDATE {TABLE} SET details = %s WHERE id = %s", [json.dumps({"step": 99}), chain[2].pk])  # noqa: S608
    assert any("altered" in p for p in _problems())


def test_an_edited_user_name_is_detected(chain):
    _sql(f"UPDATE {TABLE} SET username = %s WHERE id = %s", ["someone.else", chain[4].pk])  # noqa: S608
    assert _problems()


def test_a_deleted_entry_is_detected(chain):
    _sql(f"DELETE FROM {TABLE} WHERE id = %s", [chain[3].pk])  # noqa: S608
    problems = _problems()
    assert any("missing or reordered" in p for p in problems)
    assert any("link" in p for p in problems)


def test_reordered_entries_are_detected(chain):
    first, second = chain[1], chain[2]
    _sql(f"UPDATE {TABLE} SET sequence = %s WHERE id = %s", [-1, first.pk])  # noqa: S608
    _sql(f"UPDATE {TABLE} SET sequence = %s WHERE id = %s", [first.sequence, second.pk])  # noqa: S608
    _sql(f"UPDATE {TABLE} SET sequence = %s WHERE id = %s", [second.sequence, first.pk])  # noqa: S608
    assert _problems()


def test_a_rehashed_edit_still_breaks_the_next_link(chain):
    """Recomputing the edited entry's own hash is not enough: the next entry points at the old one."""
    victim = AuditEvent.objects.get(pk=chain[2].pk)
    victim.details = {"step": 42}
    new_hash = victim.compute_hash()
    statement = f"UPDATE {TABLE} SET details = %s, hash = %s WHERE id = %s"  # noqa: S608
    _sql(statement, [json.dumps(victim.details), new_hash, victim.pk])
    assert any("link" in p for p in _problems())


def test_identifying_keys_are_refused(db):
    for key in ("name", "family_name", "phone", "narrative"):
        with pytest.raises(ValueError):
            audit.record(Action.CHANGE, object_type="test", **{key: "Aminata Traoré"})


def test_recording_an_incident_through_the_pages_logs_no_names(monitor, coordinator, draft):
    client = client_for(monitor)
    violation = draft.violations.get()
    client.post(
        reverse("incidents:victim_add", args=[draft.public_id, violation.pk]),
        {"given_name": "Aminata", "family_name": "Traoré", "sex": "female", "phone": "76 12 34 56"},
        **HTMX,
    )
    client.post(
        reverse("incidents:source_add", args=[draft.public_id]), {"description": "Son frère Moussa"}, **HTMX
    )
    client.post(reverse("incidents:submit", args=[draft.public_id]))
    client_for(coordinator).get(reverse("incidents:detail", args=[draft.public_id]))
    client_for(monitor).post(
        reverse("incidents:edit", args=[draft.public_id]),
        {
            "title": draft.title,
            "start_date": "2022-03-14",
            "date_precision": "day",
            "geo_precision": "2",
            "confidentiality": "restricted",
            "narrative": "Récit d'Aminata Traoré",
            "region_choice": draft.region_id,
        },
    )
    client_for(coordinator).get(reverse("incidents:detail", args=[draft.public_id]))
    events = list(AuditEvent.objects.all().values("username", "object_type", "object_id", "details"))
    assert {"change", "submit", "view"} <= set(AuditEvent.objects.values_list("action", flat=True))
    logged = json.dumps(events, ensure_ascii=False).casefold()
    for secret in ("aminata", "traoré", "traore", "76 12 34 56", "moussa", "récit"):
        assert secret not in logged
    assert _problems() == []
