"""One shape for background job runs: de-duplication, estimates and imports.

A run is a row that says where a job stands (queued, running, done, failed, interrupted), how far it has
gone (0–100 and a short stage message the page shows), which task carries it, who asked for it, and —
when it failed — the exception's type name only: an exception message may quote a value of the data.

- `JobRun`: the abstract model each app's run model extends with its own parameters and results.
- `enqueue(task, run)`: hands the run to the task worker (`kurukan db_worker`) and records the task id.
- `run_guarded(run, work)`: runs `work` and ends the run with a status, never with a traceback.

A run left "running" by a crash (a killed worker or command line) is seen as interrupted: its process is
gone (same machine) or it has not reported for `STALE_AFTER`. The page offers to resume it; a job that
can be resumed (an import) picks up after its last committed batch.
"""

from __future__ import annotations

import logging
import os
import socket
import traceback
from collections.abc import Callable
from datetime import timedelta
from typing import Any, Protocol

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

# A running job writes its progress at least this often; longer silence means its process died.
STALE_AFTER = timedelta(minutes=15)
# A queued job nobody picked after this long means no worker is running: the page says how to start one.
UNPICKED_AFTER = timedelta(seconds=5)


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("En attente")
    RUNNING = "running", _("En cours")
    DONE = "done", _("Terminé")
    FAILED = "failed", _("Échec")
    INTERRUPTED = "interrupted", _("Interrompu")


ACTIVE = (JobStatus.QUEUED, JobStatus.RUNNING)


class Refused(Exception):
    """A failure whose message is ours, names no record, and is shown as it is."""


class JobRunQuerySet(models.QuerySet[Any]):
    def active(self):
        return self.filter(status__in=ACTIVE)

    def mark_interrupted(self) -> int:
        """Record as interrupted the runs whose process is gone; returns how many."""
        ids = [run.pk for run in self.filter(status=JobStatus.RUNNING) if run.process_gone()]
        if not ids:
            return 0
        return self.filter(pk__in=ids, status=JobStatus.RUNNING).update(
            status=JobStatus.INTERRUPTED,
            stage=gettext("Interrompu : le processus qui faisait ce travail s'est arrêté."),
        )


class JobRun(models.Model):
    """The fields and rules every background run shares."""

    status = models.CharField(_("statut"), max_length=12, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progression (%)"), default=0)
    stage = models.CharField(_("étape"), max_length=200, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    # The exception's type name only (e.g. "ValueError"): its message may quote a value of the data.
    error = models.CharField(_("erreur"), max_length=100, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # "host:pid" of the process running the job, to tell a live run from one a crash left behind.
    worker = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(_("demandé le"), auto_now_add=True)
    started_at = models.DateTimeField(_("commencé le"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)

    objects = JobRunQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]

    @property
    def is_active(self) -> bool:
        """Queued, or running in a live process: the page keeps polling."""
        return self.status in ACTIVE and not self.process_gone()

    @property
    def is_interrupted(self) -> bool:
        return self.status == JobStatus.INTERRUPTED or (
            self.status == JobStatus.RUNNING and self.process_gone()
        )

    @property
    def is_unpicked(self) -> bool:
        """Queued for a while and no worker took it: most likely no worker is running."""
        return self.status == JobStatus.QUEUED and timezone.now() - self.created_at > UNPICKED_AFTER

    def process_gone(self) -> bool:
        if self.status != JobStatus.RUNNING:
            return False
        host, _sep, pid = self.worker.rpartition(":")
        if host == socket.gethostname() and pid.isdigit() and not _alive(int(pid)):
            return True
        last = self.heartbeat_at or self.started_at or self.created_at
        return timezone.now() - last > STALE_AFTER

    def set_progress(self, percent: int, stage: str | None = None, **fields: Any) -> None:
        """Write progress (and any other fields) now, outside the job's transactions, so the page sees it."""
        fields["progress"] = max(0, min(100, int(percent)))
        fields["heartbeat_at"] = timezone.now()
        if stage is not None:
            fields["stage"] = str(stage)[:200]
        type(self).objects.filter(pk=self.pk).update(**fields)
        for name, value in fields.items():
            setattr(self, name, value)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class _Task(Protocol):
    def enqueue(self, *args: Any) -> Any: ...


def enqueue[R: JobRun](task: _Task, run: R) -> R:
    """Queue `task(run.pk)` for the worker and record the task id. Call once the run is committed."""
    result = task.enqueue(run.pk)
    type(run).objects.filter(pk=run.pk).update(task_id=str(result.id)[:64])
    run.refresh_from_db()
    return run


def resume[R: JobRun](task: _Task, run: R) -> R:
    """Queue an interrupted run again; the job starts over or, when it can (an import), where it stopped."""
    type(run).objects.filter(pk=run.pk).update(status=JobStatus.QUEUED, stage="", worker="", finished_at=None)
    run.refresh_from_db()
    return enqueue(task, run)


Progress = Callable[[int], None]


def run_guarded[R: JobRun](
    run: R,
    work: Callable[[R], dict | None],
    *,
    failure: str,
    progress: Progress | None = None,
    safe: tuple[type[BaseException], ...] = (),
) -> R:
    """Run `work(run)` and end the run as done (with the fields it returns) or failed. Never raises.

    `failure` is the stage message of an unexpected failure, with `%(error)s` for the type name; the
    messages of `Refused` and of the `safe` exception types are ours and are shown as they are.
    `progress`, when given (the command line's bar), is called with each percentage the run reaches.
    """
    if progress is not None:
        _follow(run, progress)
    run.set_progress(
        max(run.progress, 1),
        "",
        status=JobStatus.RUNNING,
        started_at=run.started_at or timezone.now(),
        worker=f"{socket.gethostname()}:{os.getpid()}",
        error="",
        finished_at=None,
    )
    try:
        fields = work(run) or {}
        run.set_progress(
            100, fields.pop("stage", ""), status=JobStatus.DONE, finished_at=timezone.now(), **fields
        )
    except Exception as exc:  # noqa: BLE001 — a job ends with a status, not a traceback in the worker log
        if isinstance(exc, (Refused, *safe)):
            message = str(exc)
        else:
            message = failure % {"error": type(exc).__name__}
        # The traceback's frames, not its message: a message may quote a value of the data.
        logger.error(
            "%s %s failed: %s\n%s",
            type(run).__name__,
            run.pk,
            type(exc).__name__,
            "".join(traceback.format_tb(exc.__traceback__)),
        )
        run.set_progress(
            run.progress,
            message,
            status=JobStatus.FAILED,
            error=type(exc).__name__[:100],
            finished_at=timezone.now(),
        )
    return run


def _follow(run: JobRun, progress: Progress) -> None:
    """Make the run's own `set_progress` also move the caller's bar."""
    own = run.set_progress

    def set_progress(percent: int, stage: str | None = None, **fields: Any) -> None:
        own(percent, stage, **fields)
        progress(run.progress)

    run.set_progress = set_progress  # type: ignore[method-assign]
