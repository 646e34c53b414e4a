"""No name in public text, in a real browser in French: the verification officer asks for the public bulletin
for 2023 and publishes it; one of its records' victims bears the name of a region the bulletin lists, so the
publication is refused and the page shows where the name is; the bulletin stays private."""

from __future__ import annotations

import subprocess
import sys

import pytest
from playwright.sync_api import expect

from .conftest import ENVIRONMENTS, login

pytestmark = [pytest.mark.browser, pytest.mark.slow]

RENAME = """
import datetime as dt
from kurukan.accounts.access import public_incidents
from kurukan.people.models import Person
incidents = public_incidents().in_period(dt.date(2023, 1, 1), dt.date(2023, 12, 31)).values("pk")
person = Person.objects.filter(victimisations__violation__incident__in=incidents).order_by("pk").first()
print(person.pk)
print(person.family_name)
person.family_name = "Ségou"
person.save()
"""
RESTORE = """
import sys
from kurukan.people.models import Person
person = Person.objects.get(pk=int(sys.argv[-2]))
person.family_name = sys.argv[-1]
person.save()
"""


def _shell(server: str, script: str, *args: str) -> str:
    return subprocess.run(
        [sys.executable, "-c", "import django, os, sys; os.environ.setdefault('DJANGO_SETTINGS_MODULE', "
         "'kurukan.settings'); django.setup(); exec(sys.argv[1])", script, *args],
        env=ENVIRONMENTS[server], capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip


@pytest.fixture
def worker(demo_server):
    process = subprocess.Popen(
        [sys.executable, "-m", "kurukan", "db_worker", "--interval", "0.5"],
        env=ENVIRONMENTS[demo_server],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    yield process
    process.terminate()
    process.wait(timeout=30)


@pytest.fixture
def homonym(demo_server):
    """A victim of a 2023 record renamed after a region (restored afterwards: the demo is shared)."""
    pk, original = _shell(demo_server, RENAME).split("\n")[:2]
    yield
    _shell(demo_server, RESTORE, pk, original)


def test_a_bulletin_naming_a_victim_is_refused_and_the_page_says_where(demo_server, page, worker, homonym):
    login(page, demo_server, "verificateur")
    page.click("header nav >> text=Rapports")
    page.select_option("#id_kind", "bulletin")
    page.fill("#id_date_from", "2023-01-01")
    page.fill("#id_date_to", "2023-12-31")
    page.select_option("#id_language", "fr")
    page.select_option("#id_file_format", "pdf")
    page.click("form button.primary")
    page.wait_for_url("**/reports/*/")
    expect(page.get_by_text("Terminé")).to_be_visible(timeout=90_000)
    page.get_by_role("button", name="Publier ce bulletin").click()
    message = page.locator(".messages li.error").first
    expect(message).to_be_visible()
    expect(message).to_contain_text("Victimes par région")
    expect(message).to_contain_text("« Ségou » est le nom d'une personne")
    expect(page.get_by_role("button", name="Publier ce bulletin")).to_be_visible()  # not published
    assert page.console_errors == []
