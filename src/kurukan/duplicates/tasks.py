"""The background task (Django's tasks API; a worker runs with `kurukan db_worker`).

The job module (pandas, DuckDB, Splink, SciPy…) is imported when the task runs, in the worker: the web
processes that only enqueue stay small, which keeps their garbage-collection pauses short.
"""

from __future__ import annotations

from django.tasks import task

from kurukan import jobs

from .models import LinkageRun


@task()
def find_duplicates(run_id: int) -> int:
    """Run the linkage of one `LinkageRun`; returns the number of pairs it proposed."""
    from .jobs import run_linkage

    run = LinkageRun.objects.select_related("requested_by").get(pk=run_id)
    return run_linkage(run).n_pairs


def enqueue_run(run: LinkageRun) -> LinkageRun:
    return jobs.enqueue(find_duplicates, run)
