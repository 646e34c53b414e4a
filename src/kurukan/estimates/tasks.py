"""The background task (Django's tasks API; a worker runs with `kurukan db_worker`).

The job module (pandas, DuckDB, Splink, SciPy…) is imported when the task runs, in the worker: the web
processes that only enqueue stay small, which keeps their garbage-collection pauses short.
"""

from __future__ import annotations

from django.tasks import task

from kurukan import jobs

from .models import EstimateRun


@task()
def estimate_victims(run_id: int) -> str:
    """Run one `EstimateRun`; returns its final status."""
    from .jobs import run_estimate

    run = EstimateRun.objects.select_related("requested_by").get(pk=run_id)
    return run_estimate(run).status


def enqueue(run: EstimateRun) -> EstimateRun:
    return jobs.enqueue(estimate_victims, run)
