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


@task()
def pull_server(connection_id: int, user_id: int | None = None) -> str:
    """Pull one saved KoboToolbox / ODK Central connection now ("pull now" in the page)."""
    from kurukan.accounts.models import User

    from .models import ServerConnection
    from .pull import pull
    from .reading import FileRefused

    connection = ServerConnection.objects.select_related("organisation").get(pk=connection_id)
    user = User.objects.filter(pk=user_id).first() if user_id else None
    try:
        job = pull(connection, user=user)
    except FileRefused:
        return "refused"  # the message is on the connection, for its page
    return job.status if job is not None else "nothing new"
