"""Choice lists kept per process (vocabularies/choices.py): read once, read again after any change."""

from __future__ import annotations

from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import client_for, term, unit
from kurukan.places.models import AdminUnit
from kurukan.vocabularies import choices
from kurukan.vocabularies.models import ChoicesVersion, Term


def _list_page(client) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("incidents:list"))
    assert response.status_code == 200
    return response.content.decode(), [q["sql"] for q in captured.captured_queries]


def _reads(sql: list[str], table: str) -> int:
    return sum(1 for statement in sql if f'FROM "{table}"' in statement)


def test_the_list_page_reads_its_choice_lists_once_per_process(monitor):
    client = client_for(monitor)
    first, first_sql = _list_page(client)
    second, second_sql = _list_page(client)
    assert _reads(first_sql, "vocabularies_term") == 2  # violation types, perpetrator categories
    assert _reads(first_sql, "places_adminunit") == 1  # regions
    assert _reads(second_sql, "vocabularies_term") == 0
    assert _reads(second_sql, "places_adminunit") == 0
    assert term("violation_type", "life").label_fr in second
    assert first.count("<option") == second.count("<option")  # the same choices, from the kept lists


def test_a_term_saved_in_this_process_shows_at_the_next_page(monitor):
    client = client_for(monitor)
    _list_page(client)
    life = term("violation_type", "life")
    life.label_fr = "Atteintes au droit à la vie (renommé)"
    life.save()
    page, sql = _list_page(client)
    assert "Atteintes au droit à la vie (renommé)" in page
    assert _reads(sql, "vocabularies_term") == 2


def test_a_unit_saved_in_this_process_shows_at_the_next_page(monitor):
    client = client_for(monitor)
    _list_page(client)
    mopti = unit("ML05")
    mopti.name = "Mopti (renommée)"
    mopti.save()
    page, _sql = _list_page(client)
    assert "Mopti (renommée)" in page


def test_another_process_change_shows_once_the_version_is_read(monitor, monkeypatch):
    client = client_for(monitor)
    _list_page(client)
    # Another process renames a term and bumps the version: this process does not see the save itself.
    Term.objects.filter(vocabulary="violation_type", code="life").update(label_fr="Vie (autre processus)")
    ChoicesVersion.objects.update_or_create(pk=1, defaults={"number": 999})
    page, sql = _list_page(client)
    assert "Vie (autre processus)" not in page  # kept: the version is read at most every CHECK_SECONDS
    assert _reads(sql, "vocabularies_choicesversion") == 0
    monkeypatch.setattr(choices, "CHECK_SECONDS", 0.0)  # the time has come to read the version
    page, sql = _list_page(client)
    assert _reads(sql, "vocabularies_choicesversion") >= 1  # at each list with a zero delay
    assert "Vie (autre processus)" in page


def test_a_bump_moves_the_version_once_per_transaction(db, django_capture_on_commit_callbacks):
    before = ChoicesVersion.objects.filter(pk=1).values_list("number", flat=True).first() or 0
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        for code in ("life", "liberty"):
            item = term("violation_type", code)
            item.sort_order += 1
            item.save()
    assert len(callbacks) == 1
    assert ChoicesVersion.objects.get(pk=1).number == before + 1


def test_the_admins_deactivation_bumps_the_version(admin_user, rf, django_capture_on_commit_callbacks):
    from kurukan.vocabularies.admin import TermAdmin

    before = ChoicesVersion.objects.filter(pk=1).values_list("number", flat=True).first() or 0
    choices.kept("terms:violation_type", lambda: ["stale"])
    request = rf.post("/")
    request.user = admin_user
    with django_capture_on_commit_callbacks(execute=True):
        TermAdmin(Term, admin.site).deactivate(request, Term.objects.filter(code="life.abduction"))
    assert choices.kept("terms:violation_type", lambda: ["fresh"]) == ["fresh"]
    assert ChoicesVersion.objects.get(pk=1).number == before + 1


def test_a_narrowed_queryset_never_draws_on_the_kept_list(db):
    from kurukan.incidents.queries import IncidentFilterForm

    form = IncidentFilterForm()
    assert form.fields["region"].kept_as == "regions"  # copied with the form's fields
    form.fields["region"].queryset = AdminUnit.objects.filter(pcode="ML05")
    assert form.fields["region"].kept_as is None
    assert [label for value, label in form.fields["region"].choices if value] == [unit("ML05").name]


def test_a_term_below_another_is_found_in_the_kept_tree_and_after_a_change(db):
    life = term("violation_type", "life")
    below = set(Term.objects.below(life))
    assert term("violation_type", "life.killing_civilians").pk in below
    added = Term.objects.create(vocabulary="violation_type", code="life.local", parent=life, label_fr="x")
    assert added.pk in Term.objects.below(life.pk)
