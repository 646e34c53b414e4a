"""`kurukan duplicates find` on the command line, and the progress of a search shown on the page."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from duplicate_builders import load_demo

from conftest import client_for, field_errors, make_incident
from kurukan.duplicates import records
from kurukan.duplicates.models import CandidatePair, Kind, LinkageRun
from kurukan.duplicates.tasks import find_duplicates
from kurukan.incidents.models import Incident

pytestmark = pytest.mark.django_db


def test_the_command_finds_incident_duplicates_and_reviewers_see_only_their_pairs(
    monkeypatch, coordinator, administrator
):
    load_demo(monkeypatch)
    out, err = io.StringIO(), io.StringIO()

    call_command("duplicates", "find", "--kind", "incidents", "--threshold", "0.6", stdout=out, stderr=err)

    run = LinkageRun.objects.get()
    assert (run.kind, run.status, run.progress, run.threshold) == ("incidents", "done", 100, 0.6)
    assert f"{run.n_pairs} pairs to review" in out.getvalue()
    assert "%" in err.getvalue()  # the progress bar
    pairs = CandidatePair.objects.filter(kind=Kind.INCIDENTS)
    assert pairs.count() == run.n_pairs > 0
    assert min(pairs.values_list("probability", flat=True)) >= 0.6

    # The administrator sees every pair; the coordinator of one organisation only pairs of its own records.
    assert client_for(administrator).get("/duplicates/?kind=incidents").context["pending"] == run.n_pairs
    own = client_for(coordinator).get("/duplicates/?kind=incidents")
    ids = {c["left"]["incident"] for c in own.context["cards"]} | {
        c["right"]["incident"] for c in own.context["cards"]
    }
    assert own.context["pending"] < run.n_pairs
    assert set(Incident.objects.filter(public_id__in=ids).values_list("organisation__code", flat=True)) <= {
        "ohchr"
    }

    # Running again proposes nothing twice.
    call_command(
        "duplicates",
        "find",
        "--kind",
        "incidents",
        "--threshold",
        "0.6",
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    assert CandidatePair.objects.count() == run.n_pairs


def test_the_command_explains_bad_options(db):
    with pytest.raises(CommandError, match="between 0.05 and 0.99"):
        call_command("duplicates", "find", "--threshold", "high")
    with pytest.raises(CommandError, match="no user called nobody"):
        call_command("duplicates", "find", "--as", "nobody")


def test_the_page_polls_a_running_search_and_reloads_the_queue_when_it_ends(coordinator):
    make_incident(coordinator)
    client = client_for(coordinator)

    # The database backend only queues the task: a worker (`kurukan db_worker`) would run it.
    response = client.post(
        "/duplicates/runs/", {"kind": "incidents", "threshold": "0.5"}, HTTP_HX_REQUEST="true"
    )
    run = LinkageRun.objects.get()
    assert run.status == "queued" and run.task_id
    assert 'hx-trigger="every 2s"' in response.content.decode()
    page = client.get("/duplicates/").content.decode()
    assert 'hx-trigger="every 2s"' in page and "En attente" in page
    polled = client.get("/duplicates/runs/status/?polling=1", HTTP_HX_REQUEST="true")
    assert "HX-Trigger" not in polled

    find_duplicates.call(run.pk)  # what the worker does

    polled = client.get("/duplicates/runs/status/?polling=1", HTTP_HX_REQUEST="true")
    assert polled["HX-Trigger"] == "duplicates-run-finished"
    body = polled.content.decode()
    assert "every 2s" not in body and "Terminé" in body and "1 fiches comparées" in body


def test_a_failed_search_says_so_without_quoting_the_data(coordinator, monkeypatch):
    make_incident(coordinator)

    def broken(incidents):
        raise ValueError("Amadou Maïga")  # a message that quotes a record

    monkeypatch.setattr(records, "people_frame", broken)
    client = client_for(coordinator)
    client.post("/duplicates/runs/", {"kind": "people", "threshold": "0.5"})
    find_duplicates.call(LinkageRun.objects.get().pk)

    run = LinkageRun.objects.get()
    assert run.status == "failed" and run.finished_at is not None
    assert "ValueError" in run.error and "Amadou" not in run.error
    page = client.get("/duplicates/").content.decode()
    assert "Échec" in page and "Amadou" not in page


def test_a_bad_threshold_is_shown_on_its_field(coordinator):
    response = client_for(coordinator).post("/duplicates/runs/", {"kind": "both", "threshold": "2"})
    assert response.status_code == 422
    assert field_errors(response.content, "threshold")
    assert not LinkageRun.objects.exists()
