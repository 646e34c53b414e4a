"""The English catalogue: complete, faithful to its placeholders, compiled, and used by the pages.

French is the source language of every string; English comes from src/kurukan/locale/en/LC_MESSAGES/django.po,
compiled to django.mo (both committed: the run-time needs no gettext tools). These tests read the .po with a
small parser of their own, so they need nothing beyond the standard library and Django. See
docs/translations.md for how to update the catalogue.
"""

from __future__ import annotations

import gettext as gnu_gettext
import io
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

import kurukan
from conftest import client_for, english_client_for, field_errors, incident_form_data, make_incident, term

LOCALE = Path(kurukan.__file__).parent / "locale" / "en" / "LC_MESSAGES"
PO = LOCALE / "django.po"
MO = LOCALE / "django.mo"


# --- Reading the .po ----------------------------------------------------------------------------------------


def _unquote(literal: str) -> str:
    body = literal.strip()
    assert body.startswith('"') and body.endswith('"'), f"not a PO string: {literal!r}"
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), "\\" + m.group(1)), body[1:-1])


def read_po(path: Path = PO) -> list[dict]:
    """Each entry: flags, msgctxt, msgid, msgid_plural, msgstr (str) or msgstr_n (dict), line; header skipped."""
    entries: list[dict] = []
    entry: dict = {}
    key = None

    def close() -> None:
        nonlocal entry, key
        if "msgid" in entry and not entry.get("obsolete"):
            entries.append(entry)
        entry, key = {}, None

    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            close()
            continue
        entry.setdefault("line", number)
        entry.setdefault("flags", set())
        if line.startswith("#~"):
            entry["obsolete"] = True
        elif line.startswith("#,"):
            entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            if isinstance(key, tuple):
                entry["msgstr_n"][key[1]] += _unquote(line)
            else:
                entry[key] += _unquote(line)
        else:
            keyword, _, literal = line.partition(" ")
            plural_form = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
            if plural_form:
                key = ("msgstr_n", int(plural_form.group(1)))
                entry.setdefault("msgstr_n", {})[key[1]] = _unquote(literal)
            else:
                assert keyword in {"msgctxt", "msgid", "msgid_plural", "msgstr"}, f"line {number}: {line!r}"
                key = keyword
                entry[key] = _unquote(literal)
    close()
    return [e for e in entries if e["msgid"]]  # the header has an empty msgid


ENTRIES = read_po() if PO.exists() else []
# %(name)s, %s, %d, %% (python-format) and {name} (brace formats, kept as they are).
PLACEHOLDER = re.compile(r"%\([^)]+\)[sdifr]|%[sdifr]|%%|\{[a-z_][a-z0-9_]*\}")


def _placeholders(text: str) -> Counter:
    return Counter(PLACEHOLDER.findall(text))


def _translations(entry: dict) -> list[tuple[str, str]]:
    """(source, translation) pairs: plural forms compare with the singular, then the plural, source."""
    if "msgid_plural" in entry:
        forms = entry.get("msgstr_n", {})
        return [(entry["msgid"], forms.get(0, "")), (entry["msgid_plural"], forms.get(1, ""))]
    return [(entry["msgid"], entry.get("msgstr", ""))]


def _label(entry: dict) -> str:
    return f"django.po:{entry['line']} {entry['msgid'][:60]!r}"


# --- (a) Complete, no fuzzy entries --------------------------------------------------------------------------


def test_the_catalogue_exists_and_is_compiled():
    assert PO.exists(), "run makemessages -l en (see docs/translations.md)"
    assert MO.exists(), "run compilemessages: the .mo is committed, the run-time has no gettext tools"
    assert len(ENTRIES) > 500  # every app's strings, not a stub


def test_no_entry_is_empty():
    empty = [_label(e) for e in ENTRIES if any(not t.strip() for _, t in _translations(e))]
    assert not empty, f"untranslated: {empty}"


def test_no_entry_is_fuzzy():
    fuzzy = [_label(e) for e in ENTRIES if "fuzzy" in e["flags"]]
    assert not fuzzy, f"fuzzy (check the translation, then remove the flag): {fuzzy}"


def test_plural_entries_have_both_english_forms():
    nplurals = re.search(r"nplurals=(\d+)", PO.read_text(encoding="utf-8"))
    assert nplurals and nplurals.group(1) == "2"
    broken = [_label(e) for e in ENTRIES if "msgid_plural" in e and sorted(e.get("msgstr_n", {})) != [0, 1]]
    assert not broken


# --- (b) Placeholders preserved ------------------------------------------------------------------------------


def test_placeholders_are_the_same_in_french_and_english():
    differing = [
        f"{_label(e)}: {dict(_placeholders(source))} ≠ {dict(_placeholders(translation))}"
        for e in ENTRIES
        for source, translation in _translations(e)
        if _placeholders(source) != _placeholders(translation)
    ]
    assert not differing, "placeholders differ:\n" + "\n".join(differing)


def test_no_french_colon_spacing_or_guillemets_in_english():
    """French typography (space before ":" ";" "?", « ») does not carry into English."""
    french = re.compile(r"\s[:;?!](\s|$)|[«»]")
    offending = [_label(e) for e in ENTRIES for _, t in _translations(e) if french.search(t)]
    assert not offending, offending


def test_the_compiled_catalogue_matches_the_po():
    """A stale .mo would show old or missing English: compile again after every edit of the .po."""
    with MO.open("rb") as handle:
        compiled = gnu_gettext.GNUTranslations(handle)
    stale = []
    for e in ENTRIES:
        context = e.get("msgctxt")
        if "msgid_plural" in e:
            for n, form in ((1, 0), (2, 1)):
                got = (
                    compiled.npgettext(context, e["msgid"], e["msgid_plural"], n)
                    if context
                    else compiled.ngettext(e["msgid"], e["msgid_plural"], n)
                )
                if got != e["msgstr_n"][form]:
                    stale.append(_label(e))
        else:
            got = compiled.pgettext(context, e["msgid"]) if context else compiled.gettext(e["msgid"])
            if got != e["msgstr"]:
                stale.append(_label(e))
    assert not stale, f"django.mo is older than django.po for: {stale[:10]}"


# --- Key terms (docs/translations.md, DESIGN.md "Words that matter") ------------------------------------------

GLOSSARY = {
    "violation ou atteinte": "violation or abuse",
    "violations et atteintes": "violations and abuses",
    "Violations et atteintes": "Violations and abuses",
    "atteinte": "abuse",
    "Signalée": "Reported",
    "Vérifiée": "Verified",
    "Victimes documentées": "Documented victims",
    "auteur présumé": "alleged perpetrator",
    "Critère de preuve": "Standard of proof",
    "chaîne de traçabilité": "chain of custody",
}


@pytest.mark.parametrize(("french", "english"), GLOSSARY.items())
def test_key_terms_use_the_glossary(french, english):
    found = {e["msgid"]: e.get("msgstr") for e in ENTRIES if "msgid_plural" not in e}
    assert found.get(french) == english


# --- (c) The pages in English --------------------------------------------------------------------------------


class _VisibleText(HTMLParser):
    """What a reader sees or hears: text outside <script>/<style>, plus labels carried by attributes."""

    ATTRIBUTES = {"placeholder", "title", "aria-label", "alt", "data-label", "hx-confirm"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hidden = 0
        self.chunks: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in {"script", "style"}:
            self.hidden += 1
        self.chunks.extend(value for name, value in attrs if name in self.ATTRIBUTES and value)

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style"}:
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden and data.strip():
            self.chunks.append(" ".join(data.split()))


def visible_text(response) -> str:
    parser = _VisibleText()
    parser.feed(response.content.decode())
    parser.close()
    return "\n".join(parser.chunks)


def _french_sources() -> list[tuple[str, str]]:
    """For each catalogue string that changes in English: its longest literal run of French (≥ 14 chars)."""
    runs = []
    for e in ENTRIES:
        for source, translation in _translations(e):
            if source == translation:
                continue
            longest = max(PLACEHOLDER.split(source), key=len).strip()
            if len(longest) >= 14 and " " in longest:
                runs.append((longest, _label(e)))
    return runs


FRENCH_SOURCES = _french_sources()
# Chrome that must never show on an English page (beyond the catalogue check below).
FRENCH_CHROME = [
    "Se déconnecter",
    "Enregistrer",
    "Violations et atteintes",
    "Victimes",
    "Modifier",
    "Filtrer",
]


def assert_english(response, *english: str, french: tuple[str, ...] = ()) -> None:
    assert response.status_code in {200, 403, 404, 422}, response.status_code
    body = response.content.decode()
    assert '<html lang="en">' in body
    text = visible_text(response)
    for expected in english:
        assert expected in text, f"{expected!r} missing from the English page"
    for unexpected in (*FRENCH_CHROME, *french):
        assert unexpected not in text, f"French {unexpected!r} on the English page"
    leftovers = [f"{label}: {run!r}" for run, label in FRENCH_SOURCES if run in text]
    assert not leftovers, "catalogue strings shown in French on an English page:\n" + "\n".join(leftovers)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    return settings.MEDIA_ROOT


@pytest.fixture
def incident(monitor):
    return make_incident(monitor)


def test_french_stays_the_default(monitor, incident):
    text = visible_text(client_for(monitor).get(reverse("incidents:list")))
    assert "Incidents : violations et atteintes" in text
    assert "Se déconnecter" in text
    assert "Incidents: violations and abuses" not in text


def test_the_browser_language_does_not_switch_to_english(monitor, incident):
    client = client_for(monitor)
    response = client.get(reverse("incidents:list"), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert '<html lang="fr">' in response.content.decode()


def test_the_incident_list_in_english(monitor, incident):
    client = Client()
    client.cookies["django_language"] = "en"
    client.force_login(monitor)
    response = client.get(reverse("incidents:list"))
    assert_english(
        response,
        "Incidents: violations and abuses",
        "New incident",
        "Perpetrator category",
        "Clear the filters",
        "Log out",
        "Summary or extrajudicial execution",  # vocabulary labels follow the page language too
        french=("Incidents : violations et atteintes", "Nouvel incident", "Effacer les filtres"),
    )


def test_a_bad_list_filter_explains_itself_in_english(monitor, incident):
    response = english_client_for(monitor).get(
        reverse("incidents:list"), {"date_from": "2023-01-01", "date_to": "2022-01-01"}
    )
    assert field_errors(response.content, "date_to") == ["The end of the period is before its start."]
    assert_english(response)


def test_the_incident_detail_in_english(monitor, coordinator, incident):
    assert_english(
        english_client_for(monitor).get(reverse("incidents:detail", args=[incident.public_id])),
        "Violations and abuses",
        "Alleged perpetrators",
        "Public summary",
        "counted by victim",
        french=("Auteurs présumés", "Récit détaillé"),
    )
    assert_english(
        english_client_for(coordinator).get(reverse("incidents:detail", args=[incident.public_id])),
        "Standard of proof",
        "Reasonable grounds to believe",
        "Save the verification",
        "Verification pending",
        french=("Critère de preuve", "Enregistrer la vérification"),
    )


def test_the_incident_edit_page_in_english(monitor):
    from kurukan.incidents.models import IncidentStatus

    draft = make_incident(monitor, status=IncidentStatus.DRAFT)
    assert_english(
        english_client_for(monitor).get(reverse("incidents:edit", args=[draft.public_id])),
        "Add a violation or abuse",
        "Add a named victim",
        "Add an alleged perpetrator",
        "Submit for verification",
        "Optional if you choose a commune or a settlement below.",
        "Remove this victim?",
        french=("Ajouter une violation ou atteinte", "Soumettre pour vérification"),
    )


def test_form_errors_in_english_name_the_field_and_the_fix(monitor):
    data = incident_form_data(start_date="2022-03-14", end_date="2022-03-01")
    response = english_client_for(monitor).post(reverse("incidents:create"), data)
    assert field_errors(response.content, "end_date") == [
        "The end date is before the start date: correct one of the two."
    ]
    assert_english(response, "Save the incident", french=("La date de fin précède",))


def test_the_login_page_in_english(db):
    client = Client()
    client.cookies["django_language"] = "en"
    assert_english(client.get(reverse("accounts:login")), "Log in", "Username", "Password")
    wrong = client.post(reverse("accounts:login"), {"username": "nobody", "password": "wrong"})
    assert_english(wrong, "Please enter a correct username and password", french=("Saisissez un nom",))


def test_two_factor_pages_in_english(settings, coordinator, monitor):
    settings.REQUIRE_2FA = True
    client = english_client_for(coordinator)
    assert_english(
        client.get(reverse("accounts:2fa_setup")),
        "Turn on two-factor authentication",
        "6-digit code, or backup code",
        "Confirm",
        french=("Double authentification",),
    )
    refused = client.post(reverse("accounts:2fa_setup"), {"token": "000000"})
    assert_english(refused, "This code is not valid: check the time on your phone")

    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=monitor, name="phone", confirmed=True)
    enrolled = english_client_for(monitor)
    assert_english(enrolled.get(reverse("accounts:2fa_verify")), "Second factor", "Verify")
    assert_english(
        enrolled.post(reverse("accounts:2fa_verify"), {"token": "000000"}),
        "Incorrect or expired code. Try again with the code shown now.",
    )


def test_the_evidence_page_in_english(coordinator, monitor, incident):
    from kurukan.evidence import actions, storage

    actions.receive_evidence(
        incident, monitor, storage.spool_from(io.BytesIO(b"statement " * 100)),
        original_name="statement.txt", media_type="text/plain",
    )  # fmt: skip
    assert_english(
        english_client_for(coordinator).get(reverse("evidence:list", args=[incident.public_id])),
        "Evidence",
        "SHA-256 fingerprint",
        "Chain of custody (1 step)",
        "Verify integrity",
        "Add an item of evidence",
        "Receive the file",
        french=("Éléments de preuve", "Chaîne de traçabilité"),
    )


def test_the_duplicate_queue_in_english(coordinator):
    from kurukan.duplicates.models import CandidatePair, Kind, LinkageRun

    a, b = make_incident(coordinator), make_incident(coordinator)
    run = LinkageRun.objects.create(kind=Kind.INCIDENTS, status="done", progress=100)
    CandidatePair.objects.create(
        run=run, kind=Kind.INCIDENTS, left_id=min(a.pk, b.pk), right_id=max(a.pk, b.pk), probability=0.95,
        evidence=[
            {"field": "date", "level": "same day", "bf": 150.0},
            {"field": "n_victims", "level": "different", "bf": 0.2},
        ],
    )  # fmt: skip
    assert_english(
        english_client_for(coordinator).get("/duplicates/?kind=incidents"),
        "Duplicates to review",
        "1 pair to review",
        "What points to a duplicate",
        "decisive evidence",
        "same day",
        "Confirm: merge",
        "Reject: different",
        french=("Ce qui plaide", "preuve décisive", "même jour"),
    )


def test_the_estimate_form_and_its_errors_in_english(analyst):
    client = english_client_for(analyst)
    assert_english(
        client.get("/estimates/"),
        "Estimate undocumented victims",
        "Run the estimate",
        "multiple systems estimation",
        french=("Lancer l'estimation",),
    )
    response = client.post(
        "/estimates/",
        {
            "violation_type": str(term("violation_type", "life").pk),
            "date_from": "2023-01-01",
            "date_to": "2022-01-01",
            "strata": "none",
            "verification": "documented",
            "matching": "confirmed",
            "method": "loglinear",
            "criterion": "stepwise",
            "bootstrap": "100",
            "samples": "100",
            "seed": "7",
        },
    )
    assert response.status_code == 422
    assert field_errors(response.content, "date_to") == ["The end of the period is before its start."]
    assert_english(response)
    assert_english(client.get("/estimates/public/"), "Estimates of the number of victims")


def test_error_pages_in_english(monitor, analyst):
    assert_english(english_client_for(monitor).get("/incidents/ML-NOPE/"), "Page not found")
    assert_english(english_client_for(analyst).get(reverse("incidents:create")), "Access denied")
