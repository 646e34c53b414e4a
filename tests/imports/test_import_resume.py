"""Atomic batches, kill -9 and resume: a crash leaves whole batches only, and resuming finishes without duplicates."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from import_builders import run_import, template_row, write_csv

from kurukan.imports import jobs as import_jobs
from kurukan.imports.models import ExternalId, ImportJob
from kurukan.incidents.models import Incident

pytestmark = pytest.mark.django_db


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_crash_mid_batch_leaves_whole_batches_and_resuming_finishes_without_duplicates(
    ohchr, tmp_path, monkeypatch
):
    rows = [template_row(f"R{i:02d}", cercle=["Djenné", "Bandiagara", "Mopti"][i % 3]) for i in range(10)]
    path = write_csv(tmp_path / "ten.csv", rows)
    monkeypatch.setattr(import_jobs, "BATCH", 3)
    real_record = import_jobs.audit.record
    batches = []

    def crash_on_third_batch(*args, **kwargs):
        if kwargs.get("event") == "import_batch":
            batches.append(kwargs)
            if len(batches) == 3:  # after the batch's records were written, before it commits
                raise KeyboardInterrupt  # a BaseException, as close to a kill as a test gets in-process
        return real_record(*args, **kwargs)

    monkeypatch.setattr(import_jobs.audit, "record", crash_on_third_batch)
    with pytest.raises(KeyboardInterrupt):
        run_import(path, "--organisation", "ohchr")
    monkeypatch.setattr(import_jobs.audit, "record", real_record)

    job = ImportJob.objects.get()
    assert job.status == "running" and job.rows_done == 6
    assert Incident.objects.count() == 6 == job.created  # the third batch left nothing behind
    ImportJob.objects.filter(pk=job.pk).update(worker=f"{os.uname().nodename}:{_dead_pid()}")
    job.refresh_from_db()
    assert job.is_interrupted

    out, summary = run_import("--resume", job.pk, "--json")

    assert summary == {
        "created": 10,
        "updated": 0,
        "unchanged": 0,
        "quarantined": 0,
        "skipped": 0,
        "job": job.pk,
    }
    assert Incident.objects.count() == 10
    assert ExternalId.objects.values("key").distinct().count() == 10


@pytest.mark.slow
def test_kill_9_mid_import_then_resume_on_a_real_database(tmp_path):
    """The real thing: a separate `kurukan import` process on its own SQLite database, killed with SIGKILL."""
    env = {
        **os.environ,
        "KURUKAN_DATA_DIR": str(tmp_path / "data"),
        "DJANGO_SETTINGS_MODULE": "kurukan.settings",
    }
    env.pop("KURUKAN_DATABASE_URL", None)
    kurukan = [sys.executable, "-m", "kurukan"]

    def run(*args: str) -> str:
        done = subprocess.run([*kurukan, *args], env=env, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr[-2000:]
        return done.stdout

    run("migrate", "-v0")
    run("places", "load")
    run("organisations", "add", "cndh", "--name", "CNDH")
    rows = [template_row(f"K{i:05d}", cercle=["Djenné", "Bandiagara", "Mopti"][i % 3]) for i in range(6000)]
    path = write_csv(tmp_path / "big.csv", rows)
    database = Path(env["KURUKAN_DATA_DIR"]) / "kurukan.sqlite3"
    process = subprocess.Popen([*kurukan, "import", str(path), "--organisation", "cndh"], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip

    def done_rows() -> int:
        try:
            with sqlite3.connect(database, timeout=30) as db:
                row = db.execute("SELECT rows_done FROM imports_importjob").fetchone()
        except sqlite3.OperationalError:
            return 0
        return row[0] if row else 0

    deadline = time.monotonic() + 300
    while done_rows() < 1000 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert process.poll() is None, "the import finished before it could be killed: make the file bigger"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()

    with sqlite3.connect(database) as db:
        job_id, rows_done, created, status = db.execute(
            "SELECT id, rows_done, created, status FROM imports_importjob"
        ).fetchone()
        incidents = db.execute("SELECT COUNT(*) FROM incidents_incident").fetchone()[0]
    assert status == "running" and 0 < rows_done < 6000
    assert incidents == created == rows_done  # whole batches only: what committed is exactly what is counted

    out = run("import", "--resume", str(job_id))

    assert out.strip().splitlines()[-1] == "created 6000, updated 0, unchanged 0, quarantined 0, skipped 0"
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT COUNT(*) FROM incidents_incident").fetchone()[0] == 6000
        assert db.execute("SELECT COUNT(DISTINCT key) FROM imports_externalid").fetchone()[0] == 6000
