"""Real installations for the backup tests: each runs `python -m kurukan …` in its own data directory,
on the engine the suite runs on (a scratch PostgreSQL database, or an SQLite file: pytest-django's SQLite
test database lives in memory and cannot be backed up from another process)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

PASSPHRASE = "un long secret de sauvegarde 2026"
EVIDENCE_PHRASE = "Photo du corps de la victime, Ogossagou"
ON_POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


@dataclass
class Install:
    data_dir: Path
    database_url: str | None
    database_name: str | None = None

    def env(self, **extra: str) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith("KURUKAN_") and k != "DJANGO_SETTINGS_MODULE"
        }
        env["KURUKAN_DATA_DIR"] = str(self.data_dir)
        if self.database_url:
            env["KURUKAN_DATABASE_URL"] = self.database_url
        env.update(extra)
        return env

    def kurukan(self, *args: str, **extra_env: str) -> subprocess.CompletedProcess:
        return subprocess.run(  # noqa: S603
            [sys.executable, "-m", "kurukan", *args, "--verbosity", "0"],
            env=self.env(**extra_env),
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )

    def python(self, code: str):
        """Run Django code in the installation; the code sets `result`, returned as JSON."""
        script = (
            "import json, os, django\nos.environ['DJANGO_SETTINGS_MODULE'] = 'kurukan.settings'\ndjango.setup()\n"
            f"{code}\nprint(json.dumps(result))"
        )
        done = subprocess.run(  # noqa: S603
            [sys.executable, "-c", script],
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, done.stderr[-2000:]
        return json.loads(done.stdout.strip().splitlines()[-1])

    @property
    def key_file(self) -> Path:
        return self.data_dir / "keys" / "kurukan-keys.json"

    def drop(self) -> None:
        if self.database_name:
            _admin(f'DROP DATABASE IF EXISTS "{self.database_name}" WITH (FORCE)')
        shutil.rmtree(self.data_dir, ignore_errors=True)


def _admin(sql: str) -> None:
    import psycopg

    db = settings.DATABASES["default"]
    params = {
        "dbname": "postgres",
        "user": db.get("USER"),
        "password": db.get("PASSWORD"),
        "host": db.get("HOST"),
        "port": db.get("PORT"),
    }
    with psycopg.connect(**{k: v for k, v in params.items() if v}, autocommit=True) as conn:
        conn.execute(sql)


def new_install(base: Path, label: str) -> Install:
    data_dir = base / label
    data_dir.mkdir(parents=True)
    if not ON_POSTGRES:
        return Install(data_dir, None)
    name = f"kurukan_backup_{label}_{uuid.uuid4().hex[:8]}"
    _admin(f'CREATE DATABASE "{name}"')
    url = os.environ["KURUKAN_DATABASE_URL"].rsplit("/", 1)[0] + f"/{name}"
    return Install(data_dir, url, name)


def fingerprint(install: Install) -> dict:
    """What a restore must bring back, read through the application (names decrypted with the key file)."""
    return install.python(
        "from kurukan.people.models import Person\n"
        "from kurukan.incidents.models import Incident\n"
        "from kurukan.evidence.models import EvidenceItem\n"
        "from kurukan.accounts.models import Organisation\n"
        "from kurukan.evidence import storage\n"
        "people = Person.objects.order_by('pk')\n"
        "items = list(EvidenceItem.objects.order_by('pk'))\n"
        "result = {'incidents': Incident.objects.count(), 'people': people.count(),\n"
        "  'names': [p.given_name + ' ' + p.family_name for p in people[:5]],\n"
        "  'organisations': sorted(Organisation.objects.values_list('code', flat=True)),\n"
        "  'evidence': [(i.sha256, i.original_name, b''.join(storage.open_chunks(i.sha256)).decode()) for i in items]}"
    )
