"""The duplicate search learns from the review queue's decisions and says so on the page."""

from __future__ import annotations

import pytest
from duplicate_builders import load_demo

from conftest import client_for, english_client_for, make_user
from kurukan.accounts.models import Organisation, Role
from kurukan.duplicates.jobs import reviews_for
from kurukan.duplicates.models import CandidatePair, Decision, Kind, LinkageRun
from kurukan.duplicates.tasks import find_duplicates

pytestmark = pytest.mark.django_db


def search(client) -> LinkageRun:
    client.post("/duplicates/runs/", {"kind": "people", "threshold": "0.1"})
    run = LinkageRun.objects.order_by("-id").first()
    find_duplicates.call(run.pk)  # what the worker does
    run.refresh_from_db()
    assert run.status == "done", run.error
    return run


def test_a_search_learns_from_the_decisions_of_the_requesters_organisation(monkeypatch, administrator):
    load_demo(monkeypatch)
    client = client_for(administrator)
    first = search(client)
    assert first.learned["n_confirmed"] == first.learned["n_rejected"] == 0
    assert 0.5 <= first.learned["threshold"] <= 0.99
    page = client.get("/duplicates/").content.decode()
    assert "Aucune décision encore" in page and "Seuil recommandé" in page

    # Reviewers of the administrator's organisation decide twelve pairs; another organisation one.
    pairs = list(CandidatePair.objects.filter(kind=Kind.PEOPLE).order_by("-probability"))
    assert len(pairs) >= 20
    for pair in pairs[:8]:
        CandidatePair.objects.filter(pk=pair.pk).update(decision=Decision.CONFIRMED, decided_by=administrator)
    for pair in pairs[-4:]:
        CandidatePair.objects.filter(pk=pair.pk).update(decision=Decision.REJECTED, decided_by=administrator)
    elsewhere = make_user(
        "autre.verif", Role.COORDINATOR, Organisation.objects.create(code="ngo2", name="ONG")
    )
    CandidatePair.objects.filter(pk=pairs[10].pk).update(decision=Decision.REJECTED, decided_by=elsewhere)

    second = search(client)
    reviews = reviews_for(second, {str(i) for p in pairs for i in (p.left_id, p.right_id)})
    assert (len(reviews.confirmed), len(reviews.rejected)) == (8, 4)  # not the other organisation's
    assert (second.learned["n_confirmed"], second.learned["n_rejected"]) == (8, 4)
    page = client.get("/duplicates/").content.decode()
    assert "Le modèle a appris de 8 paires confirmées et 4 rejetées par votre organisation." in page
    assert "Seuil recommandé" in page
    english = english_client_for(administrator).get("/duplicates/").content.decode()
    assert "The model learnt from 8 pairs confirmed and 4 rejected by your organisation." in english
