"""Evidence workflows: receive a file, log each custody step. Every custody event also enters the audit
chain, with the item id and the SHA-256 only (never a file name, a description or a person)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from kurukan.audit import log as audit
from kurukan.incidents.models import Incident

from . import storage
from .models import CustodyAction, CustodyEvent, EvidenceItem


def record_custody(
    item: EvidenceItem,
    action: str,
    user: Any = None,
    *,
    counterparty: str = "",
    note: str = "",
    integrity_ok: bool | None = None,
    **audit_details: Any,
) -> CustodyEvent:
    with transaction.atomic():
        event = CustodyEvent.objects.create(
            item=item,
            action=action,
            by=user if getattr(user, "is_authenticated", False) else None,
            counterparty=counterparty,
            note=note,
            integrity_ok=integrity_ok,
        )
        details: dict[str, Any] = {
            "custody": action,
            "sha256": item.sha256,
            "item": item.pk,
            "incident": item.incident.public_id,
        }
        if integrity_ok is not None:
            details["integrity_ok"] = integrity_ok
        audit.record(CustodyAction(action).audit_action, user=user, obj=item, **details, **audit_details)
    return event


def receive_evidence(
    incident: Incident,
    user: Any,
    spool: storage.Spool,
    *,
    original_name: str,
    media_type: str,
    description: str = "",
    received_from: str = "",
    received_at: Any = None,
) -> tuple[EvidenceItem, bool]:
    """Store the file and record its receipt. The same content received again for the same incident adds a
    custody event to the existing item. Returns (item, created)."""
    stored = storage.commit(spool)
    with transaction.atomic():
        item = (
            EvidenceItem.objects.select_for_update().filter(incident=incident, sha256=stored.sha256).first()
        )
        created = item is None
        if item is None:
            item = EvidenceItem.objects.create(
                incident=incident,
                organisation=incident.organisation,
                confidentiality=incident.confidentiality,
                created_by=user,
                sha256=stored.sha256,
                size=stored.size,
                original_name=original_name,
                media_type=media_type,
                description=description,
                received_from=received_from,
                received_by=user,
                **({"received_at": received_at} if received_at else {}),
            )
        note = "" if created else description
        record_custody(
            item,
            CustodyAction.RECEIVED,
            user,
            counterparty=received_from,
            note=note,
            integrity_ok=True,
            duplicate=not created,
            file_reused=stored.reused,
        )
    return item, created


def check_integrity(item: EvidenceItem, user: Any = None) -> storage.EvidenceIntegrityError | None:
    """Re-hash the stored file, log the result as a custody event, return the problem if any."""
    try:
        storage.verify(item.sha256)
        problem = None
    except storage.EvidenceIntegrityError as exc:
        problem = exc
    record_custody(
        item,
        CustodyAction.VERIFIED,
        user,
        integrity_ok=problem is None,
        note=problem.problem if problem else "",
    )
    return problem
