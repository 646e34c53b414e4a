"""Exporting: who may export what, and the audit event every export writes with its filters and row count."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from kurukan.accounts import access
from kurukan.audit import log as audit
from kurukan.audit.models import Action
from kurukan.incidents.queries import IncidentFilters

from . import formats, registers, rows

MIN_REASON = 10  # characters: "export" or "test" is not a reason anyone can check afterwards


@dataclass
class Export:
    """One export as it is asked for. `via` says where from (page, api, command line) in the audit log."""

    user: Any
    level: str
    fmt: str
    filters: IncidentFilters = field(default_factory=IncidentFilters)
    reason: str = ""
    via: str = "page"
    rows_written: int = 0
    query: registers.RegisterQuery = field(default_factory=registers.RegisterQuery)  # the registers' levels

    @property
    def register(self) -> bool:
        return self.level in registers.COLUMNS

    @property
    def identities(self) -> bool:
        return self.level == rows.Level.VICTIMS or self.level in registers.IDENTITY_LEVELS

    @property
    def file_name(self) -> str:
        return f"kurukan-{self.level}-{timezone.localdate().isoformat()}.{formats.EXTENSIONS[self.fmt]}"


def describe(filters: IncidentFilters) -> dict[str, Any]:
    """The filters as codes, for the audit log. The free text is not copied: it may be a person's name."""
    described: dict[str, Any] = {
        "date_from": filters.date_from.isoformat() if filters.date_from else None,
        "date_to": filters.date_to.isoformat() if filters.date_to else None,
        "place": filters.place.pcode if filters.place else None,
        "violation_type": filters.violation_type.code if filters.violation_type else None,
        "perpetrator_category": filters.perpetrator_category.code if filters.perpetrator_category else None,
        "verification_status": filters.verification_status or None,
        "status": filters.status or None,
        "text_search": bool(filters.q),
    }
    return {key: value for key, value in described.items() if value}


def check_export(export: Export) -> None:
    """Raises before any row is read: PermissionDenied for a level the user may not export, ValidationError
    (French message naming the fix) for a missing reason."""
    if export.level in registers.IDENTITY_LEVELS:
        if not access.may_handle_claims(export.user):
            raise PermissionDenied
        if len(export.reason.strip()) < MIN_REASON:
            raise ValidationError(
                _(
                    "Cet export contient les noms des victimes et de leurs ayants droit : indiquez pourquoi "
                    "vous en avez besoin (au moins %(n)s caractères, par exemple « paiements à rapprocher »)."
                )
                % {"n": MIN_REASON},
                code="reason",
            )
    if export.level == rows.Level.VICTIMS:
        if not access.can_export_identities(export.user):
            raise PermissionDenied
        if len(export.reason.strip()) < MIN_REASON:
            raise ValidationError(
                _(
                    "Cet export contient les noms des victimes : indiquez pourquoi vous en avez besoin "
                    "(au moins %(n)s caractères, par exemple « dossier transmis au pôle judiciaire »)."
                )
                % {"n": MIN_REASON},
                code="reason",
            )


def export_records(export: Export) -> Iterator[bytes]:
    """The export's bytes, piece by piece, after the checks (which raise at once, before any response)."""
    check_export(export)
    return _stream(export)


def _stream(export: Export) -> Iterator[bytes]:
    """The audit event is written when the last piece has gone (or the reader gave up), with the rows
    actually sent: a download cut short is logged as incomplete."""
    columns = registers.COLUMNS[export.level] if export.register else rows.COLUMNS[export.level]
    complete = False
    source = (
        registers.rows(export.user, export.level, export.query)
        if export.register
        else rows.rows(export.user, export.level, export.filters)
    )

    def counted() -> Iterator[dict]:
        for row in source:
            export.rows_written += 1
            yield row

    try:
        yield from formats.write(export.fmt, columns, counted(), title=export.level)
        complete = True
    finally:
        details: dict[str, Any] = {
            "level": export.level,
            "format": export.fmt,
            "filters": export.query.described() if export.register else describe(export.filters),
            "rows": export.rows_written,
            "complete": complete,
            "via": export.via,
        }
        if export.identities:
            details["reason"] = export.reason.strip()
        audit.record(
            Action.EXPORT,
            # The command line's administrator is no account (pk None): the event says so through `via`.
            user=export.user if export.user.pk else None,
            object_type="exports.export",
            object_id=export.level,
            **details,
        )
