"""The `kurukan` command: help, audit verification, idempotent loading, the demo."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from kurukan import cli
from kurukan.audit import log as audit
from kurukan.audit.models import Action, AuditEvent
from kurukan.places.models import AdminUnit, Settlement


def test_help_lists_the_commands(capsys):
    assert cli.main(["--help"]) == 0
    out = capsys.readouterr().out
    for command in ("demo", "serve", "places load", "vocabularies load", "keys init", "audit verify"):
        assert command in out
    for django_command in ("[audit]", "keys", "places", "vocabularies", "migrate"):
        assert django_command in out


@pytest.mark.django_db
def test_audit_verify_passes_on_an_intact_chain_and_fails_after_an_edit(capsys):
    for n in range(3):
        audit.record(Action.SYSTEM, object_type="test", object_id=str(n))
    call_command("audit", "verify")
    assert "intact" in capsys.readouterr().out

    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {AuditEvent._meta.db_table} SET object_id = %s WHERE sequence = %s",  # noqa: S608
            ["tampered", 2],
        )
    with pytest.raises(CommandError, match="BROKEN"):
        call_command("audit", "verify")
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["audit", "verify"])
    assert exit_info.value.code != 0
    assert "entry 2" in capsys.readouterr().err


@pytest.mark.django_db
def test_places_load_is_idempotent(capsys):
    before = (
        AdminUnit.objects.count(),
        Settlement.objects.count(),
        set(AdminUnit.objects.values_list("pk", "name")),
    )
    call_command("places", "load", verbosity=0)
    after = (
        AdminUnit.objects.count(),
        Settlement.objects.count(),
        set(AdminUnit.objects.values_list("pk", "name")),
    )
    assert before == after
    assert "0 créées" in capsys.readouterr().out


CHECK_DEMO_LOGINS = """
from django.contrib.auth import authenticate
from django.test import RequestFactory
from kurukan.accounts.demo import DEMO_PASSWORD, DEMO_USERS
for username, *_ in DEMO_USERS:
    request = RequestFactory().post("/accounts/login/")
    print(username, "ok" if authenticate(request, username=username, password=DEMO_PASSWORD) else "REFUSED")
"""


@pytest.mark.slow
def test_demo_sets_up_a_fresh_install_whose_logins_work(tmp_path):
    """`kurukan demo` as a newcomer runs it: a fresh data directory (SQLite), keys, data, logins."""
    from kurukan.accounts.demo import DEMO_USERS

    env = {
        k: v for k, v in os.environ.items() if not k.startswith("KURUKAN_") and k != "DJANGO_SETTINGS_MODULE"
    }
    env["KURUKAN_DATA_DIR"] = str(tmp_path)
    kurukan = [sys.executable, "-m", "kurukan"]
    demo = subprocess.run(  # noqa: S603 (our own command)
        [*kurukan, "demo", "--no-serve", "--events", "30"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert demo.returncode == 0, demo.stderr[-3000:]
    assert (tmp_path / "keys" / "kurukan-keys.json").exists()
    for username, *_ in DEMO_USERS:
        assert username in demo.stdout
    logins = subprocess.run(  # noqa: S603
        [*kurukan, "shell", "-c", CHECK_DEMO_LOGINS], env=env, capture_output=True, text=True, timeout=60
    )
    assert logins.returncode == 0, logins.stderr[-3000:]
    results = dict(line.split() for line in logins.stdout.splitlines() if line.endswith((" ok", " REFUSED")))
    assert results == {username: "ok" for username, *_ in DEMO_USERS}
