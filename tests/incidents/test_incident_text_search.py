"""Free text finds incidents through an index on both databases, and the index follows every change."""

from __future__ import annotations

from django.db import connection
from django.urls import reverse

from conftest import client_for, make_incident
from kurukan.incidents import queries, search
from kurukan.incidents.models import Incident


def _found(user, text: str) -> set[str]:
    qs = queries.filtered_incidents(user, queries.IncidentFilters(q=text))
    return set(qs.values_list("title", flat=True))


def test_words_accents_and_case_do_not_matter(monitor):
    make_incident(monitor, title="Attaque contre l'école de Boni")
    make_incident(monitor, title="Enlèvement d'un enseignant à Niono")
    make_incident(monitor, title="Sœurs enlevées à Ségou")
    for text in ("ECOLE", "école", "ÉCOLE", "Ecole"):
        assert _found(monitor, text) == {"Attaque contre l'école de Boni"}, text
    for text in ("enlevement niono", "ENLÈVEMENT Niono", "enlèvement"):
        assert _found(monitor, text) == {"Enlèvement d'un enseignant à Niono"}, text
    assert _found(monitor, "SEGOU") == _found(monitor, "ségou") == {"Sœurs enlevées à Ségou"}
    assert _found(monitor, "enseign") == {"Enlèvement d'un enseignant à Niono"}  # a word's beginning
    assert _found(monitor, "Boni Niono") == set()  # every word must be there


def test_the_index_follows_edits_and_deletions(monitor):
    incident = make_incident(monitor, title="Pillage du marché de Dioura")
    assert _found(monitor, "Dioura")
    Incident.objects.filter(pk=incident.pk).update(title="Pillage du marché de Sofara")
    assert not _found(monitor, "Dioura") and _found(monitor, "Sofara")
    Incident.objects.filter(pk=incident.pk).update(public_summary="Des commerçants ont fui vers Djenné.")
    assert _found(monitor, "commerçants") == _found(monitor, "COMMERCANTS") == {"Pillage du marché de Sofara"}
    incident.violations.all().delete()
    Incident.objects.filter(pk=incident.pk).delete()
    assert not _found(monitor, "Sofara")


def test_the_list_page_and_the_identifier_search(monitor):
    incident = make_incident(monitor, title="Exécution sommaire à Ogossagou")
    client = client_for(monitor)
    for text in ("ogossagou", incident.public_id):
        body = client.get(reverse("incidents:list"), {"q": text}).content.decode()
        assert incident.public_id in body


def test_an_index_serves_the_search(db):
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE name LIKE 'incidents_incident_fts%'")
            names = {row[0] for row in cursor.fetchall()}
            assert {
                "incidents_incident_fts",
                "incidents_incident_fts_ai",
                "incidents_incident_fts_au",
            } <= names
        else:
            cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'incidents_incident'")
            names = {row[0] for row in cursor.fetchall()}
            assert search.FOLD_INDEX in names
            assert not {"incident_title_trgm", "incident_public_summary_trgm"} & names  # the unfolded ones go
            # The folded column is indexed and the planner can use the index (a tiny table: scans forbidden).
            sql, params = (
                Incident.objects.filter(search.text_condition("École", "postgresql"))
                .order_by()
                .query.sql_with_params()
            )
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_indexscan = off")  # left: bitmap scans of the matching indexes
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert search.FOLD_INDEX in plan, plan


def test_common_words_give_the_same_answer_through_the_subquery(monitor, monkeypatch):
    make_incident(monitor, title="Enlèvement à Tenenkou")
    make_incident(monitor, title="Enlèvement à Léré")
    make_incident(monitor, title="Meurtre à Léré")
    expected = _found(monitor, "enlèvement")
    monkeypatch.setattr(search, "FEW", 0)  # as if the word were everywhere
    assert _found(monitor, "enlèvement") == expected == {"Enlèvement à Tenenkou", "Enlèvement à Léré"}


def test_a_bulk_load_is_searchable_at_once(monitor, administrator):
    """The loader stages incidents so the free-text index takes a batch in one go: nothing may be left out."""
    from kurukan.incidents.synthetic_loader import load_synthetic

    before = Incident.objects.count()
    stats = load_synthetic(40, seed=11, batch_size=7)
    loaded = Incident.objects.order_by("id")[before:]
    assert stats.incidents == len(loaded) > 40
    for incident in loaded[:: max(1, len(loaded) // 8)]:
        # An administrator searches a sensitive record's title only when named on it (need-to-know).
        incident.need_to_know.add(administrator)
        word = max(incident.title.split(), key=len)
        assert incident.title in _found(administrator, word), (word, incident.title)


def test_capitals_of_malian_letters_and_a_search_inside_a_subquery(monitor, monkeypatch):
    from kurukan.incidents.models import Violation

    make_incident(monitor, title="ƝƐNƐ : maisons brûlées à Ŋaala")
    make_incident(monitor, title="Enlèvement à Ségou")
    assert _found(monitor, "ɲɛnɛ") == _found(monitor, "ƝƐNƐ") == {"ƝƐNƐ : maisons brûlées à Ŋaala"}
    for few in (search.FEW, 0):  # a rare word (ids), then as if frequent (the match list, SQLite)
        monkeypatch.setattr(search, "FEW", few)
        inner = queries.filtered_incidents(monitor, queries.IncidentFilters(q="segou"))
        # The list's condition still names the right table when Django aliases it inside a subquery.
        types = Violation.objects.filter(incident__in=inner.values("pk")).values_list(
            "incident__title", flat=True
        )
        assert set(types) == {"Enlèvement à Ségou"}


def test_later_migrations_may_still_alter_the_searched_columns(db):
    """The PostgreSQL trigger names no column, so a migration can change the title's type."""
    if connection.vendor != "postgresql":
        return  # SQLite's FTS triggers are recreated after every migrate (ensure_index)
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE incidents_incident ALTER COLUMN title TYPE varchar(300)")
        cursor.execute("ALTER TABLE incidents_incident ALTER COLUMN title TYPE varchar(250)")


def test_migrate_fills_the_folded_text_of_rows_written_before(monitor):
    """Rows from before the upgrade (no folded text yet) are filled by the next migrate, then found."""
    if connection.vendor != "postgresql":
        return  # SQLite's index is FTS5, rebuilt whole when missing
    make_incident(monitor, title="Attaque du camp de Diafarabé")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")  # as if written before the trigger
        cursor.execute(f"UPDATE incidents_incident SET {search.FOLDED_COLUMN} = NULL")  # noqa: S608 - a module constant
        cursor.execute("SET LOCAL session_replication_role = origin")
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending checks: ensure_index alters the table
    assert _found(monitor, "diafarabe") == set()
    search.ensure_index()
    assert _found(monitor, "diafarabe") == {"Attaque du camp de Diafarabé"}
