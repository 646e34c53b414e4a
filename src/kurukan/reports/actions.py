"""Ask for a report, generate it (the background job), regenerate it, tell whether its data changed since.

Generating and downloading are audit-logged with the report's parameters and the file's SHA-256, never a
figure's subject: the parameters name a period, a region and a level, nobody.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import uuid
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from kurukan import jobs
from kurukan.audit import log as audit
from kurukan.audit.models import Action, AuditEvent
from kurukan.people.public_text import clear_for_publication
from kurukan.statistics.counting import CountingError, Scope

from . import content, documents
from .models import Report


def reports_dir() -> Path:
    path = settings.DATA_DIR / "reports"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def fingerprint(figures: dict) -> str:
    """SHA-256 of the figures printed, keys sorted: the same data gives the same hash on any machine."""
    return hashlib.sha256(json.dumps(figures, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def parameters_of(report: Report) -> content.Parameters:
    return content.Parameters(
        kind=report.kind,
        date_from=report.date_from,
        date_to=report.date_to,
        level=report.level,
        region=report.region,
        organisation=report.organisation,
        language=report.language,
    )


def scope_of(report: Report) -> Scope:
    """The requester's view of the records, as it is now; everything for a run of the command line."""
    if report.everything or report.requested_by is None:
        return Scope.everything()
    return Scope.for_user(report.requested_by)


@transaction.atomic
def start_report(
    *,
    user,
    kind: str,
    date_from: dt.date,
    date_to: dt.date,
    file_format: str = "pdf",
    language: str = "fr",
    verified: bool = False,
    region: str = "",
    organisation=None,
    everything: bool = False,
    regenerated_from: Report | None = None,
) -> Report:
    report = Report.objects.create(
        kind=kind,
        file_format=file_format,
        date_from=date_from,
        date_to=date_to,
        language=language,
        verified_only=verified,
        region=region,
        organisation=organisation,
        everything=everything,
        requested_by=user,
        regenerated_from=regenerated_from,
    )
    audit.record(Action.EXPORT, user=user, obj=report, event="report_requested", **report.parameters())
    return report


def regenerate(report: Report, user) -> Report:
    """The same report asked again, by `user`: the same parameters, so the same numbers if nothing changed."""
    return start_report(
        user=user,
        kind=report.kind,
        date_from=report.date_from,
        date_to=report.date_to,
        file_format=report.file_format,
        language=report.language,
        verified=report.verified_only,
        region=report.region,
        organisation=report.organisation,
        everything=report.everything,
        regenerated_from=report,
    )


def run_report(report: Report, progress: Callable[[int], None] | None = None) -> Report:
    """Generate the file (the job's work). Never raises: a failure is recorded on the report."""
    return jobs.run_guarded(
        report,
        _generate,
        failure=_(
            "le rapport n'a pas pu être produit (%(error)s) ; le détail est dans le journal du serveur."
        ),
        progress=progress,
        safe=(documents.MissingRenderer, CountingError),
    )


def _generate(report: Report) -> dict:
    with translation.override(report.language):
        report.set_progress(5, _("Comptage des chiffres"))
        built = content.build(parameters_of(report), scope_of(report), report.requested_by)
        report.set_progress(50, _("Mise en page du fichier"))
        data = documents.render(built, report.file_format, report.language)
        done = _("Rapport prêt.")
    path = reports_dir() / f"{report.pk}-{uuid.uuid4().hex}.{report.file_format}"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    sha256 = hashlib.sha256(data).hexdigest()
    head = AuditEvent.objects.order_by("-sequence").values_list("sequence", "hash").first()
    printed = fingerprint(built.figures)
    audit.record(
        Action.EXPORT,
        user=report.requested_by,
        obj=report,
        event="report_generated",
        sha256=sha256,
        fingerprint=printed,
        **report.parameters(),
    )
    return {
        "stage": done,
        "path": str(path),
        "sha256": sha256,
        "size": len(data),
        "figures": built.figures,
        "fingerprint": printed,
        "audit_head": f"{head[0]}:{head[1]}" if head else "",
    }


def data_changed(report: Report) -> bool:
    """Count the report's figures again now, with its parameters and scope: do they differ from the file's?"""
    with translation.override(report.language):
        now = content.figures_only(parameters_of(report), scope_of(report), report.requested_by)
    return fingerprint(now) != report.fingerprint


def record_download(report: Report, user) -> None:
    audit.record(Action.EXPORT, user=user, obj=report, event="report_downloaded", sha256=report.sha256)


def bulletin_parts(report: Report) -> list[tuple[str, str]]:
    """The bulletin's text as the public will read it (built again, in its language), part by part with
    where it shows: checked for names and numbers before it is published."""
    with translation.override(report.language):
        built = content.build(parameters_of(report), scope_of(report), report.requested_by)
        parts = [(_("Titre"), built.title)]
        parts += [(str(label), str(value)) for label, value in built.parameters]
        for section in built.sections:
            parts += [(section.title, paragraph) for paragraph in section.paragraphs]
            for grid in section.grids:
                where = f"{section.title} › {grid.title}"
                parts.append((where, " · ".join(str(cell) for cell in grid.header)))
                parts += [(where, " · ".join(str(cell) for cell in row)) for row in grid.rows]
            if section.map_caption:
                parts.append((section.title, section.map_caption))
    return parts


def bulletin_persons(report: Report):
    """The persons of the records a bulletin's figures come from (the public's records of its period)."""
    from kurukan.accounts.access import public_incidents
    from kurukan.incidents.models import Source
    from kurukan.people.models import Person

    incidents = public_incidents().in_period(report.date_from, report.date_to).values("pk")
    sources = Source.objects.filter(incident__in=incidents, person__isnull=False).values("person_id")
    return Person.objects.filter(
        Q(victimisations__violation__incident__in=incidents) | Q(pk__in=sources)
    ).distinct()


@transaction.atomic
def publish(report: Report, user, override_reason: str = "") -> None:
    """A bulletin goes public: anyone may then read it (it holds only disclosure-controlled figures). Its
    text must name none of the persons of its records and hold no phone or identity number; a coordinator
    may publish anyway with `override_reason` (kurukan.people.public_text, audited)."""
    clear_for_publication(
        bulletin_parts(report), bulletin_persons(report), user=user, obj=report, reason=override_reason
    )
    Report.objects.filter(pk=report.pk).update(published=True)
    report.published = True
    audit.record(Action.SHARE, user=user, obj=report, event="report_published")
