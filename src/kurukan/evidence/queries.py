"""What the evidence pages show, prepared once: protected fields only for users who see identities."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from kurukan.accounts import access
from kurukan.incidents.models import Incident

from . import storage
from .models import CustodyAction, CustodyEvent, EvidenceItem


@dataclass
class CustodyRow:
    action: str
    label: str
    by: str
    at: datetime
    counterparty: str
    note: str
    integrity_ok: bool | None


@dataclass
class ItemRow:
    id: int
    sha256: str
    size: int
    media_type: str
    received_at: datetime
    received_by: str
    integrity: str  # "ok" | "failed" | "missing"
    integrity_checked_at: datetime | None
    original_name: str = ""
    description: str = ""
    received_from: str = ""
    trail: list[CustodyRow] = field(default_factory=list)


def items_of(incident: Incident):
    events = CustodyEvent.objects.select_related("by").order_by("at", "id")
    return (
        EvidenceItem.objects.filter(incident=incident)
        .select_related("received_by")
        .prefetch_related(Prefetch("custody_events", queryset=events))
        .order_by("received_at", "id")
    )


def _integrity(item: EvidenceItem, trail: list[CustodyEvent]) -> tuple[str, datetime | None]:
    """Cheap state for the badge: the file is there, and the last full check (or the intake hash) passed."""
    checks = [e for e in trail if e.integrity_ok is not None]
    last = checks[-1] if checks else None
    if not storage.path_for(item.sha256).exists():
        return "missing", last.at if last else None
    if last is not None and last.integrity_ok is False:
        return "failed", last.at
    return "ok", last.at if last else None


def item_rows(user, incident: Incident) -> list[ItemRow]:
    identities = access.sees_every_identity(user, incident)
    rows = []
    for item in items_of(incident):
        trail = list(item.custody_events.all())
        state, checked_at = _integrity(item, trail)
        row = ItemRow(
            id=item.pk,
            sha256=item.sha256,
            size=item.size,
            media_type=item.media_type,
            received_at=item.received_at,
            received_by=item.received_by.username if item.received_by else "",
            integrity=state,
            integrity_checked_at=checked_at,
        )
        if identities:
            row.original_name = item.original_name
            row.description = item.description
            row.received_from = item.received_from
        row.trail = [
            CustodyRow(
                action=e.action,
                label=str(CustodyAction(e.action).label),
                by=e.by.username if e.by else _("système"),
                at=e.at,
                counterparty=e.counterparty if identities else "",
                note=e.note if identities else "",
                integrity_ok=e.integrity_ok,
            )
            for e in trail
        ]
        rows.append(row)
    return rows
