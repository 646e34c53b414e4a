"""A coordinator connects Kurukan to a KoboToolbox form in the browser (French), tests the connection, pulls
now, and reads the import's result on the connection's page. The KoboToolbox server is a real HTTP server in
the test process (tests/form_server.py); the Kurukan server and its worker are separate processes."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from form_server import TOKEN, FormServer, kobo_submission

from .conftest import login
from .test_import_walkthrough import worker  # noqa: F401 - the task worker fixture

pytestmark = pytest.mark.browser


def test_connect_a_kobo_form_test_it_and_pull_now(demo_server, page, request):
    server = FormServer()
    server.kobo = [kobo_submission(n, f"2024-01-1{n}T08:00:00") for n in (1, 2)]
    try:
        login(page, demo_server, "verificateur")
        page.goto(f"{demo_server}/imports/")
        page.get_by_role("link", name="Relever directement un serveur KoboToolbox ou ODK Central").click()
        page.fill("#id_name", "Collecte Mopti (navigateur)")
        page.select_option("#id_kind", "kobo")
        page.fill("#id_url", server.url)
        page.fill("#id_form_id", "aFormUid")
        page.fill("#id_secret", TOKEN)
        page.get_by_role("button", name="Enregistrer la connexion").click()
        expect(
            page.get_by_text("Connexion enregistrée. Testez-la, puis relevez les soumissions.")
        ).to_be_visible()
        assert TOKEN not in page.content()

        page.get_by_role("button", name="Tester la connexion").click()
        expect(page.get_by_text("Connexion réussie : 2 soumissions sur le serveur.")).to_be_visible()

        page.get_by_role("button", name="Relever maintenant").click()
        expect(page.get_by_text("Relevé demandé")).to_be_visible()
        request.getfixturevalue("worker")
        result = page.locator(".connection-result")
        for _ in range(60):  # the worker pulls and imports; the page shows the summary once it is done
            page.reload()
            if result.count() and "created" in result.inner_text():
                break
            page.wait_for_timeout(1000)
        expect(result).to_have_text("created 2, updated 0, unchanged 0, quarantined 0, skipped 0")
        page.get_by_role("link", name="voir l'import, son résumé et sa quarantaine").click()
        expect(page.locator("table.summary tr", has_text="créées")).to_contain_text("2")
        assert page.console_errors == []
    finally:
        server.close()
