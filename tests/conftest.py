"""Shared test set-up: Mali's places loaded once per test database, named personas, record builders."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.test import Client
from hypothesis import settings

from kurukan.accounts.models import Confidentiality, Organisation, Role, User
from kurukan.incidents.models import GroupVictims, Incident, IncidentStatus, Perpetrator, Victim, Violation
from kurukan.people.models import Person
from kurukan.places.models import AdminUnit
from kurukan.vocabularies.models import Term

PASSWORD = "correct-horse-battery"

# Property tests draw the same examples on every run, so a red CI run means a change broke something, not
# that the dice found an old bug that day. `HYPOTHESIS_PROFILE=explore` draws new examples to hunt for bugs.
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.register_profile("explore", max_examples=500, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(autouse=True)
def fresh_choice_lists(monkeypatch):
    """Choice lists kept per process (vocabularies/choices.py) start empty in every test: a rolled-back test
    leaves no term behind in them. Their version is never read on a timer here, so a query count does not
    depend on how long a test took or on which test ran first (tests/vocabularies/test_choices.py tests it)."""
    from kurukan.vocabularies import choices

    choices.forget()
    monkeypatch.setattr(choices, "CHECK_SECONDS", float("inf"))
    monkeypatch.setitem(choices._seen, "at", 0.0)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from kurukan.places.loader import load_ocha2015

    with django_db_blocker.unblock():
        load_ocha2015()


@pytest.fixture
def ohchr(db) -> Organisation:
    return Organisation.objects.get_or_create(code="ohchr", defaults={"name": "DDHP", "short_name": "DDHP"})[
        0
    ]


@pytest.fixture
def cndh(db) -> Organisation:
    return Organisation.objects.get_or_create(code="cndh", defaults={"name": "CNDH", "short_name": "CNDH"})[0]


def make_user(username: str, role: str, organisation: Organisation | None) -> User:
    user = User.objects.create_user(
        username=username, password=PASSWORD, role=role, organisation=organisation
    )
    if role == Role.ADMINISTRATOR:
        user.is_staff = user.is_superuser = True
        user.save()
    return user


@pytest.fixture
def monitor(ohchr) -> User:
    return make_user("awa.monitor", Role.MONITOR, ohchr)


@pytest.fixture
def other_monitor(ohchr) -> User:
    return make_user("oumar.monitor", Role.MONITOR, ohchr)


@pytest.fixture
def cndh_monitor(cndh) -> User:
    return make_user("fatou.cndh", Role.MONITOR, cndh)


@pytest.fixture
def coordinator(ohchr) -> User:
    return make_user("seydou.verif", Role.COORDINATOR, ohchr)


@pytest.fixture
def analyst(ohchr) -> User:
    return make_user("mariam.analyst", Role.ANALYST, ohchr)


@pytest.fixture
def focal_point(ohchr) -> User:
    return make_user("boubacar.focal", Role.FOCAL_POINT, ohchr)


@pytest.fixture
def administrator(ohchr) -> User:
    return make_user("admin", Role.ADMINISTRATOR, ohchr)


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def term(vocabulary: str, code: str) -> Term:
    return Term.objects.get(vocabulary=vocabulary, code=code)


def unit(pcode: str) -> AdminUnit:
    return AdminUnit.objects.current().get(pcode=pcode)


def make_incident(
    user: User,
    *,
    title: str = "Exécution de civils à Ogossagou",
    commune: str = "ML050301",  # the commune of Bankass (cercle of Bankass, Mopti region)
    start_date: dt.date = dt.date(2022, 3, 14),
    status: str = IncidentStatus.SUBMITTED,
    confidentiality: str = Confidentiality.INTERNAL,
    violation_type: str = "life.summary_execution",
    victim_name: tuple[str, str] | None = ("Amadou", "Maïga"),
    group_size: int = 0,
    actor_category: str = "nonstate.unidentified",
    narrative: str = "Récit protégé.",
) -> Incident:
    place = unit(commune)
    incident = Incident.objects.create(
        title=title,
        narrative=narrative,
        public_summary="Résumé public.",
        start_date=start_date,
        commune=place,
        cercle=place.parent,
        region=place.region,
        status=status,
        confidentiality=confidentiality,
        organisation=user.organisation,
        created_by=user,
    )
    violation = Violation.objects.create(incident=incident, type=term("violation_type", violation_type))
    if victim_name:
        person = Person.objects.create(
            given_name=victim_name[0],
            family_name=victim_name[1],
            sex="male",
            organisation=user.organisation,
            confidentiality=confidentiality,
            created_by=user,
        )
        Victim.objects.create(violation=violation, person=person, age_at_time=34)
    if group_size:
        GroupVictims.objects.create(violation=violation, men=group_size)
    Perpetrator.objects.create(violation=violation, category=term("perpetrator_category", actor_category))
    from kurukan.incidents.actions import refresh_counts

    refresh_counts(incident)
    incident.refresh_from_db()
    return incident


# --- Reading pages the way a user does: which message sits on which field. ---------------------------------

import re  # noqa: E402
from html.parser import HTMLParser  # noqa: E402
from pathlib import Path  # noqa: E402

import kurukan  # noqa: E402

VOID_TAGS = {"input", "br", "meta", "link", "img", "hr", "col", "area", "base", "embed", "source", "wbr"}
# English messages exist once the catalogue is compiled; until then English pages show the French text.
ENGLISH_CATALOGUE = Path(kurukan.__file__).parent / "locale" / "en" / "LC_MESSAGES" / "django.mo"
STACK_TRACE_MARKERS = ("Traceback (most recent", 'File "/', "django.core.exceptions", "Exception Value")


class _FieldBlocks(HTMLParser):
    """Collects each `<div class="field">`: the names of the inputs inside it and its error messages."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[dict] = []
        self.blocks: list[dict] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        if tag in {"input", "select", "textarea"} and attributes.get("name"):
            for frame in self.stack:
                if frame["field"]:
                    frame["names"].add(attributes["name"])
        if tag in VOID_TAGS:
            return
        self.stack.append(
            {
                "tag": tag,
                "field": tag == "div" and "field" in classes,
                "error": tag == "p" and "error" in classes,
                "names": set(),
                "errors": [],
                "text": [],
            }
        )

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            frame = self.stack.pop()
            if frame["error"]:
                text = " ".join("".join(frame["text"]).split())
                for outer in self.stack:
                    if outer["field"]:
                        outer["errors"].append(text)
            if frame["field"]:
                self.blocks.append(frame)
            if frame["tag"] == tag:
                break

    def handle_data(self, data: str) -> None:
        for frame in self.stack:
            if frame["error"]:
                frame["text"].append(data)


def field_errors(html: str | bytes, name: str) -> list[str]:
    """Error messages shown in the form field that holds the input called `name`."""
    parser = _FieldBlocks()
    parser.feed(html.decode() if isinstance(html, bytes) else html)
    parser.close()
    return [error for block in parser.blocks if name in block["names"] for error in block["errors"]]


def page_errors(html: str | bytes) -> list[str]:
    """Every error message on the page, on a field or not (HTML-escaped as rendered)."""
    text = html.decode() if isinstance(html, bytes) else html
    return [" ".join(m.split()) for m in re.findall(r'<p class="error"[^>]*>(.*?)</p>', text, flags=re.S)]


def assert_no_stack_trace(response) -> None:
    body = response.content.decode(errors="replace")
    for marker in STACK_TRACE_MARKERS:
        assert marker not in body, f"the page shows a stack trace ({marker!r})"


def english_client_for(user: User) -> Client:
    """A client that chose English with the language switch (the browser's Accept-Language is ignored)."""
    from django.conf import settings

    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(user)
    return client


def incident_form_data(**overrides) -> dict:
    """What the "new incident" form posts when a monitor fills it in: Bankass commune, Mopti region."""
    commune = unit("ML050301")
    data = {
        "title": "Attaque du village",
        "start_date": "2022-03-14",
        "end_date": "",
        "date_precision": "day",
        "geo_precision": "2",
        "latitude": "",
        "longitude": "",
        "confidentiality": Confidentiality.INTERNAL,
        "public_summary": "Des hommes armés ont attaqué le village.",
        "narrative": "Récit détaillé.",
        "region_choice": str(commune.region_id),
        "place": f"unit:{commune.pk}",
    }
    data.update(overrides)
    return data


@pytest.fixture
def draft(monitor) -> Incident:
    """A draft incident of the monitor with one summary execution and no victim yet."""
    incident = make_incident(monitor, status=IncidentStatus.DRAFT, victim_name=None)
    return incident


@pytest.fixture(autouse=True)
def _fresh_plan_probes():
    """The list remembers its plan probes per process (incidents/plans.py); each test starts without them,
    so query counts do not depend on which tests ran before in the same worker."""
    from kurukan.incidents import plans

    plans._probes.clear()


@pytest.fixture(autouse=True)
def _french_first():
    """Each test starts in the site's language: a request made in English by an earlier test of the same
    worker leaves English active in the thread (LocaleMiddleware activates, nothing deactivates)."""
    from django.utils import translation

    translation.activate("fr")
    yield
    translation.deactivate()
