"""Issue #15's "done when" for retention, on the demo data through the command line: `kurukan retention run
--dry-run` lists what it would erase; the real run erases it; the statistics are unchanged; the history rows
hold no trace of the erased values; `kurukan audit verify` still passes."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow

CHECK_HISTORY = """
import sys
from kurukan.people.models import Person
ids = sys.argv[1:]
for person in Person.objects.filter(public_id__in=ids):
    rows = list(person.history.all())
    assert rows, person.public_id
    assert all(not (h.given_name or h.family_name or h.phone or h.id_number) for h in rows), person.public_id
    assert not (person.given_name or person.family_name) and person.identity_erased_on is not None
print("history clean", len(ids))
"""


def test_retention_on_the_demo_data(tmp_path):
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("KURUKAN_") and k != "DJANGO_SETTINGS_MODULE"
    }
    env["KURUKAN_DATA_DIR"] = str(tmp_path)

    def kurukan(*args: str) -> str:
        done = subprocess.run(  # noqa: S603 (our own command)
            [sys.executable, "-m", "kurukan", *args], env=env, capture_output=True, text=True, timeout=1200
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    kurukan("demo", "--no-serve", "--events", "150")
    statistics = kurukan("statistics", "--measure", "victims", "--by", "region,year", "--format", "json")

    listed = kurukan("retention", "run", "--dry-run")
    ids = re.findall(r"^  (P-\S+)$", listed, re.MULTILINE)
    assert ids, listed
    assert "rien n'a changé" in listed
    assert (
        kurukan("statistics", "--measure", "victims", "--by", "region,year", "--format", "json") == statistics
    )

    done = kurukan("retention", "run")
    assert f"{len(ids)} identité(s) effacée(s)" in done
    assert (
        kurukan("statistics", "--measure", "victims", "--by", "region,year", "--format", "json") == statistics
    )
    assert "history clean" in kurukan("shell", "-c", CHECK_HISTORY.replace("sys.argv[1:]", repr(ids)))
    kurukan("audit", "verify")
    assert not re.findall(r"^  (P-\S+)$", kurukan("retention", "run", "--dry-run"), re.MULTILINE)
