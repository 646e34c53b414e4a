"""`kurukan keys verify` reads every encrypted value offline and names each tampered one, never its content."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection
from test_encryption_at_rest import _record_victim

from kurukan import cli
from kurukan.people.models import Person


def change_one_character(stored: str) -> str:
    """One base64 character in the middle of the ciphertext, swapped for another valid one."""
    middle = len(stored) // 2
    replacement = "B" if stored[middle] != "B" else "C"
    return stored[:middle] + replacement + stored[middle + 1 :]


def tamper(table: str, pk_column: str, pk: int, column: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE {pk_column} = %s", [pk])  # noqa: S608
        (stored,) = cursor.fetchone()
        cursor.execute(
            f"UPDATE {table} SET {column} = %s WHERE {pk_column} = %s",  # noqa: S608
            [change_one_character(stored), pk],
        )
    return stored


def test_keys_verify_passes_when_every_value_opens(monitor, draft, capsys):
    _record_victim(monitor, draft)
    call_command("keys", "verify", verbosity=0)
    out = capsys.readouterr().out
    assert "toutes intactes" in out
    assert int(out.split()[0]) >= 3  # given name, family name and phone at least, history rows too


def test_keys_verify_names_the_table_column_and_record_of_a_changed_character(monitor, draft, capsys):
    person = _record_victim(monitor, draft)
    history_id = Person.history.filter(id=person.pk).latest("history_id").history_id
    tamper("people_person", "id", person.pk, "family_name")
    tamper("people_historicalperson", "history_id", history_id, "given_name")
    with connection.cursor() as cursor:
        cursor.execute("SELECT family_name, phone FROM people_person WHERE id = %s", [person.pk])
        stored_values = cursor.fetchone()

    # Last: like every command run from the command line, it closes the database connection when done.
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["keys", "verify", "--verbosity", "0"])
    assert exit_info.value.code != 0
    err = capsys.readouterr().err
    assert f"people_person.family_name id={person.pk}" in err
    assert f"people_historicalperson.given_name id={history_id}" in err
    assert "2 valeur(s)" in err
    for stored in stored_values:
        assert stored not in err  # neither the tampered ciphertext nor an intact one is printed
    for secret in ("Aminata", "Traoré", "76 12 34 56"):
        assert secret not in err
