"""Issue 12 in a real browser, in French: a judgment attached to a case (a wrong date refused on screen),
listed with its fingerprint and downloaded intact; a paid claim corrected from its page, with a decision
below what was paid and a status move back refused on screen; the lists offer their exports."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.slow]
JUDGMENT = b"%PDF-1.4\n% Jugement du Tribunal de grande instance de la Commune III\n" + os.urandom(70_000)


def test_a_judgment_is_attached_to_a_case_and_downloaded_intact(demo_server, page, tmp_path):
    login(page, demo_server, "admin")
    page.goto(f"{demo_server}/justice/cases/")
    expect(page.locator("#export-cases")).to_be_attached()  # the list's export buttons
    # The first case whose documents the administrator may open: a case linking a sensitive record the
    # administrator is not named on shows its documents' kind and hash only (need-to-know).
    for row in range(page.locator("#cases tbody tr a").count()):
        page.goto(f"{demo_server}/justice/cases/")
        page.locator("#cases tbody tr a").nth(row).click()
        if page.locator("#documents summary:has-text('Joindre une pièce')").count():
            break
    case_id = page.locator("h1 .muted").inner_text()

    page.click("#documents summary:has-text('Joindre une pièce')")
    upload = {"name": "jugement.pdf", "mimeType": "application/pdf", "buffer": JUDGMENT}
    page.set_input_files("#document-form input[name=file]", upload)
    page.select_option("#document-form select[name=kind]", label="Jugement ou arrêt")
    page.fill("#document-form input[name=dated]", "2999-01-01")
    page.click("#document-form button.primary")
    error = page.locator("#document-form .field.has-error .error")
    expect(error).to_contain_text("Cette date est dans le futur")

    page.set_input_files("#document-form input[name=file]", upload)
    page.fill("#document-form input[name=dated]", "2024-11-20")
    page.click("#document-form button.primary")
    expect(page.locator("#case-body")).to_contain_text("Pièce jointe à la procédure")
    row = page.locator("#documents table.documents tbody tr", has_text="jugement.pdf")
    expect(row).to_contain_text("Jugement ou arrêt")
    expect(row).to_contain_text(hashlib.sha256(JUDGMENT).hexdigest()[:16])

    with page.expect_download() as download:
        row.locator("a").click()
    saved = tmp_path / "downloaded.pdf"
    download.value.save_as(saved)
    assert Path(saved).read_bytes() == JUDGMENT
    assert case_id.startswith("J-")


def test_a_paid_claim_is_corrected_and_wrong_moves_are_refused_on_screen(demo_server, page):
    login(page, demo_server, "admin")  # decides claims, and reads every demo claim
    page.goto(f"{demo_server}/reparations/?status=paid")
    expect(page.locator("#export-claims")).to_be_attached()
    page.locator("table.claims tbody tr a").first.click()
    reference = page.locator("#claim-reference").inner_text()

    page.click("text=Changer le statut")
    page.select_option("#status-form select[name=status]", value="under_review")
    page.click("#status-form button.primary")
    expect(page.locator("#status-form .field.has-error .error")).to_have_text(
        "Cette demande est payée : son statut ne change plus."
    )
    expect(page.locator("#claim-status")).to_have_text("Payée")

    page.goto(f"{demo_server}/reparations/{reference}/edit/")
    page.fill("#claim-edit-form input[name=amount_granted]", "1")
    page.click("#claim-edit-form button.primary")
    expect(page.locator("#claim-edit-form .field.has-error .error")).to_contain_text(
        "ne peut pas être inférieur au total déjà payé"
    )
    page.fill("#claim-edit-form input[name=amount_granted]", "2000000")
    page.fill("#claim-edit-form textarea[name=harm]", "Maison détruite, bétail emporté.")
    page.click("#claim-edit-form button.primary")
    expect(page.locator(".messages")).to_contain_text(f"Demande {reference} corrigée.")
    expect(page.locator("#amount-granted")).to_have_text("2\u202f000\u202f000\u00a0F\u202fCFA")
    expect(page.locator("section.card").first).to_contain_text("Maison détruite, bétail emporté.")
