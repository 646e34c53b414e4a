"""The background task (Django's tasks API; a worker runs with `kurukan db_worker`)."""

from __future__ import annotations

from django.tasks import task

from kurukan import jobs

from .models import ImportJob


@task()
def import_file(job_id: int) -> str:
    """Run (or resume) one `ImportJob`; returns its final status."""
    from . import registers
    from .jobs import run_import

    job = ImportJob.objects.select_related("organisation", "requested_by").get(pk=job_id)
    if registers.is_register(job):  # schools lists, recommendation tables
        return registers.run(job).status
    return run_import(job).status


def enqueue(job: ImportJob) -> ImportJob:
    return jobs.enqueue(import_file, job)


def resume(job: ImportJob) -> ImportJob:
    return jobs.resume(import_file, job)
