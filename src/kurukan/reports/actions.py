"""Ask for a report, generate it (the background job), regenerate it, tell whether its data changed since.

Generating and downloading are audit-logged with the report's parameters and the file's SHA-256, never a
figure's subject: the parameters name a period, a region and a level, nobody.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import os
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import Model, Q
from django.utils import translation
from django.utils.translation import gettext as _

from kurukan import jobs
from kurukan.accounts.models import Organisation
from kurukan.audit import log as audit
from kurukan.audit.models import Action, AuditEvent
from kurukan.people.public_text import clear_for_publication
from kurukan.places.models import AdminUnit, BoundarySet
from kurukan.statistics.counting import CountingError, Scope
from kurukan.vocabularies.models import Term

from . import content, documents
from .models import Report


def reports_dir() -> Path:
    path = settings.DATA_DIR / "reports"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def fingerprint(figures: dict, report: Report | None = None) -> str:
    """SHA-256 of the figures printed, keys sorted, with the regions and organisations they were counted
    over: the same data gives the same hash on any machine, and Mopti's figures never pass for Ségou's."""
    payload: dict = {"figures": figures}
    if report is not None and (report.regions or report.organisation_codes()):
        payload["regions"] = sorted(report.regions)
        payload["organisations"] = report.organisation_codes()
    else:
        payload = figures  # a report over all of Mali keeps the hash of its figures alone
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def parameters_of(report: Report) -> content.Parameters:
    return content.Parameters(
        kind=report.kind,
        date_from=report.date_from,
        date_to=report.date_to,
        level=report.level,
        regions=tuple(report.regions),
        organisations=tuple(report.organisations.order_by("code")) if report.pk else (),
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
    regions: Sequence[str] = (),
    organisations: Sequence[Organisation] = (),
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
        regions=sorted(set(regions)),
        everything=everything,
        requested_by=user,
        regenerated_from=regenerated_from,
    )
    report.organisations.set(organisations)
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
        regions=report.regions,
        organisations=list(report.organisations.all()),
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
    version = data_version(report)  # before counting: a write while counting shows as a change later
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
    printed = fingerprint(built.figures, report)
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
        "data_version": version,
        "checked_version": version,
        "checked_changed": False,
    }


REPORT_EVENTS = "reports.report"  # generating, downloading, publishing: looks at a report, not data


@functools.cache
def _history_models() -> list[type[Model]]:
    """Every django-simple-history table: each write to a record the figures read adds a row to one."""
    return [
        model
        for model in apps.get_models()
        if model.__name__.startswith("Historical") and any(f.name == "history_id" for f in model._meta.fields)
    ]


def data_version(report: Report) -> str:
    """A cheap stamp of what the report's figures read, a few index lookups whatever the data's size.

    It moves with every audited event other than the reports' own (generating and downloading a report are
    audited, and must not look like new data), every version-history row (a record created, edited,
    verified, merged, erased…), the vocabularies and places (a type's MRM mapping, a new boundary set), and
    the requester's role and organisation (their view of the records). Equal stamps: the same figures,
    without counting them. A stamp that moved does not say the figures changed: `data_changed` counts."""
    parts = [
        AuditEvent.objects.exclude(object_type=REPORT_EVENTS)
        .order_by("-sequence")
        .values_list("sequence", flat=True)
        .first()
    ]
    for model in [*_history_models(), Term, AdminUnit, BoundarySet]:
        pk = "history_id" if model in _history_models() else "pk"
        parts.append(model.objects.order_by(f"-{pk}").values_list(pk, flat=True).first())
    parts.append(Term.objects.count())
    if report.requested_by_id is not None and not report.everything:
        requester = type(report.requested_by).objects.filter(pk=report.requested_by_id)
        parts.append(requester.values_list("role", "organisation_id", "is_active").first())
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def data_changed(report: Report) -> bool:
    """Do the report's figures, counted again now with its parameters and scope, differ from the file's?

    Counted only when the data's version moved since the report (or since the last answer): a view of the
    report page costs a few index lookups, not a recount, while nothing was written."""
    version = data_version(report)
    if version == report.data_version:
        return False
    if version == report.checked_version and report.checked_changed is not None:
        return report.checked_changed
    with translation.override(report.language):
        now = content.figures_only(parameters_of(report), scope_of(report), report.requested_by)
    changed = fingerprint(now, report) != report.fingerprint
    Report.objects.filter(pk=report.pk).update(checked_version=version, checked_changed=changed)
    report.checked_version, report.checked_changed = version, changed
    return changed


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
