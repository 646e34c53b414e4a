"""The one shape of background runs (`kurukan.jobs`), seen through the pages of de-duplication and estimates."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest
from django.utils import timezone

from conftest import client_for
from kurukan import jobs
from kurukan.duplicates.models import Kind, LinkageRun
from kurukan.estimates.models import EstimateRun
from kurukan.jobs import JobStatus

pytestmark = pytest.mark.django_db


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_queued_run_nobody_picks_says_no_worker_is_running_and_how_to_start_one(coordinator):
    run = LinkageRun.objects.create(kind=Kind.PEOPLE, requested_by=coordinator)
    assert not run.is_unpicked  # just queued: a worker may take it any second

    LinkageRun.objects.filter(pk=run.pk).update(created_at=timezone.now() - dt.timedelta(seconds=30))
    page = client_for(coordinator).get("/duplicates/").content.decode()
    assert "Aucun worker n'a encore pris cette tâche" in page
    assert "kurukan db_worker" in page


def test_a_run_whose_process_died_is_shown_interrupted(analyst):
    import socket

    run = EstimateRun.objects.create(
        parameters={},
        requested_by=analyst,
        status=JobStatus.RUNNING,
        progress=40,
        started_at=timezone.now(),
        heartbeat_at=timezone.now(),
        worker=f"{socket.gethostname()}:{_dead_pid()}",
    )
    assert run.is_interrupted
    page = client_for(analyst).get(f"/estimates/{run.pk}/").content.decode()
    assert "Interrompu" in page and "s'est arrêté avant la fin" in page
    assert 'hx-trigger="every 2s"' not in page  # nothing more will come: the page stops polling

    assert EstimateRun.objects.mark_interrupted() == 1
    run.refresh_from_db()
    assert run.status == JobStatus.INTERRUPTED


def test_a_live_run_that_stops_reporting_is_interrupted_after_the_stale_delay(analyst):
    import os
    import socket

    run = EstimateRun.objects.create(
        parameters={},
        requested_by=analyst,
        status=JobStatus.RUNNING,
        started_at=timezone.now(),
        heartbeat_at=timezone.now(),
        worker=f"{socket.gethostname()}:{os.getpid()}",
    )
    assert not run.is_interrupted
    run.heartbeat_at = timezone.now() - jobs.STALE_AFTER - dt.timedelta(seconds=1)
    assert run.is_interrupted


def test_a_failure_keeps_the_type_name_only_and_our_refusals_say_why(coordinator):
    run = LinkageRun.objects.create(kind=Kind.PEOPLE, requested_by=coordinator)

    def broken(run):
        raise ValueError("Amadou Maïga")  # a message that quotes a record

    jobs.run_guarded(run, broken, failure="échec (%(error)s)")
    run.refresh_from_db()
    assert (run.status, run.error, run.stage) == ("failed", "ValueError", "échec (ValueError)")

    def refused(run):
        raise jobs.Refused("le compte n'existe plus.")

    jobs.run_guarded(run, refused, failure="échec (%(error)s)")
    run.refresh_from_db()
    assert (run.status, run.error, run.stage) == ("failed", "Refused", "le compte n'existe plus.")


def test_the_guarded_run_moves_the_command_line_bar_and_ends_done_with_its_fields(coordinator):
    run = LinkageRun.objects.create(kind=Kind.PEOPLE, requested_by=coordinator)
    seen: list[int] = []

    def work(run):
        run.set_progress(50, "à moitié")
        return {"n_pairs": 3}

    jobs.run_guarded(run, work, failure="%(error)s", progress=seen.append)
    run.refresh_from_db()
    assert seen == [1, 50, 100]
    assert (run.status, run.progress, run.n_pairs, run.error) == ("done", 100, 3, "")
    assert run.finished_at is not None and run.worker
