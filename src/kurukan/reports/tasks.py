"""The background task (Django's tasks API; a worker runs with `kurukan db_worker`)."""

from __future__ import annotations

from django.tasks import task

from kurukan import jobs

from .models import Report


@task()
def generate_report(report_id: int) -> str:
    """Generate one `Report`; returns its final status."""
    from .actions import run_report

    report = Report.objects.select_related("requested_by").get(pk=report_id)
    return run_report(report).status


def enqueue(report: Report) -> Report:
    return jobs.enqueue(generate_report, report)
