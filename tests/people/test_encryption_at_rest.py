"""Names typed into the pages never reach the database in clear; tampering shows, rotation re-encrypts."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from conftest import client_for
from kurukan import crypto
from kurukan.accounts.keys import encrypted_columns, key_ids_in_use
from kurukan.incidents.models import IncidentStatus
from kurukan.people.models import Person

HTMX = {"HTTP_HX_REQUEST": "true"}
SECRETS = ("aminata", "traoré", "traore", "76 12 34 56")


def _record_victim(monitor, draft) -> Person:
    response = client_for(monitor).post(
        reverse("incidents:victim_add", args=[draft.public_id, draft.violations.get().pk]),
        {
            "given_name": "Aminata",
            "family_name": "Traoré",
            "sex": "female",
            "age_at_time": "27",
            "phone": "76 12 34 56",
        },
        **HTMX,
    )
    assert response.status_code == 200
    assert "Aminata Traoré" in response.content.decode()
    return Person.objects.get(victimisations__violation__incident=draft)


def _raw_rows(table: str) -> list[tuple]:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608 (table names come from the database)
        return cursor.fetchall()


def test_names_are_nowhere_in_clear_in_the_database(monitor, draft):
    _record_victim(monitor, draft)
    # Every table but the (large, name-free) gazetteer: people, their history, incidents, the audit log...
    tables = [t for t in connection.introspection.table_names() if not t.startswith("places_")]
    assert "people_person" in tables and "people_historicalperson" in tables and "audit_auditevent" in tables
    for table in tables:
        text = repr(_raw_rows(table)).casefold()
        for secret in SECRETS:
            assert secret not in text, f"{secret!r} stored in clear in {table}"


def test_encrypted_columns_hold_ciphertext_under_the_active_key(monitor, draft):
    person = _record_victim(monitor, draft)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {quote('given_name')}, {quote('family_name')}, {quote('phone')} FROM people_person WHERE id = %s",  # noqa: S608
            [person.pk],
        )
        stored = cursor.fetchone()
    active = crypto.get_keyring().active
    assert all(value.startswith(f"{active}$") for value in stored)


def test_the_blind_index_finds_a_person_by_exact_normalised_name(monitor, draft):
    person = _record_victim(monitor, draft)
    for spelling in ("aminata traore", "AMINATA TRAORÉ", "Aminata  Traoré"):
        assert list(Person.objects.filter(name_index=Person.index_for(spelling))) == [person]
    assert not Person.objects.filter(name_index=Person.index_for("aminata traoreh")).exists()
    assert person.name_index != crypto.normalise_for_index("Aminata Traoré")


def test_a_tampered_value_shows_a_placeholder_not_a_crash(monitor, draft):
    person = _record_victim(monitor, draft)
    with connection.cursor() as cursor:
        cursor.execute("SELECT family_name FROM people_person WHERE id = %s", [person.pk])
        (stored,) = cursor.fetchone()
        tampered = stored[:-6] + ("AAAA==" if not stored.endswith("AAAA==") else "BBBB==")
        cursor.execute("UPDATE people_person SET family_name = %s WHERE id = %s", [tampered, person.pk])
    for page in ("incidents:detail", "incidents:edit"):
        response = client_for(monitor).get(reverse(page, args=[draft.public_id]))
        body = response.content.decode()
        assert response.status_code == 200
        assert "[illisible" in body
        assert "Aminata" in body  # the untouched given name still reads
        assert tampered not in body


def test_a_value_moved_to_another_column_fails_its_check(monitor, draft):
    person = _record_victim(monitor, draft)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE people_person SET family_name = given_name WHERE id = %s", [person.pk])
    assert str(Person.objects.get(pk=person.pk).family_name).startswith("[illisible")


@pytest.fixture
def key_file(settings, tmp_path):
    """Keys in a file, as in production, so `kurukan keys rotate` may rewrite them."""
    path = tmp_path / "keys.json"
    crypto.write_keyring(crypto.get_keyring(), path)
    settings.ENCRYPTION_KEYS = ""
    settings.ENCRYPTION_KEY_FILE = path
    crypto.reset_keyring_cache()
    yield path
    crypto.reset_keyring_cache()


def test_rotation_with_retire_reencrypts_everything_under_the_new_key(monitor, draft, key_file, capsys):
    client = client_for(monitor)
    person = _record_victim(monitor, draft)
    old = crypto.get_keyring().active
    call_command("keys", "rotate", "--retire", verbosity=0)
    ring = crypto.Keyring.from_json(key_file.read_text())
    assert ring.active != old
    assert set(ring.keys) == {ring.active}  # the old key is retired
    assert key_ids_in_use() == {ring.active}
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table, _pk, column, _field in encrypted_columns():
            cursor.execute(f"SELECT {quote(column)} FROM {quote(table)} WHERE {quote(column)} <> ''")  # noqa: S608
            for (value,) in cursor.fetchall():
                assert value.startswith(f"{ring.active}$"), (table, column)
    assert Person.objects.get(pk=person.pk).full_name == "Aminata Traoré"
    assert list(Person.objects.filter(name_index=Person.index_for("aminata traore"))) == [person]
    assert (
        "Aminata Traoré" in client.get(reverse("incidents:detail", args=[draft.public_id])).content.decode()
    )
    assert "retired" in capsys.readouterr().out


def test_rotation_refuses_keys_given_in_the_environment(settings):
    from django.core.management.base import CommandError

    settings.ENCRYPTION_KEYS = crypto.get_keyring().to_json()
    with pytest.raises(CommandError):
        call_command("keys", "rotate", verbosity=0)


def test_key_status_names_the_keys_in_use(monitor, draft, capsys):
    _record_victim(monitor, draft)
    call_command("keys", "status")
    out = capsys.readouterr().out
    assert f"keys in use: {crypto.get_keyring().active}" in out


def test_submitted_people_stay_encrypted_in_history(monitor, draft):
    person = _record_victim(monitor, draft)
    person.family_name = "Traoré-Keita"
    person.save()
    assert person.history.count() == 2
    assert {h.family_name for h in person.history.all()} == {"Traoré", "Traoré-Keita"}
    assert draft.status == IncidentStatus.DRAFT
