"""Documents of a judicial case: a complaint, an indictment, a judgment. Stored as evidence is (encrypted at
rest, content-addressed by SHA-256, re-hashed before every download: kurukan.evidence.storage), and read by
the case's rule tightened as evidence is: a document may name anyone of the records the case links, so only
those who see every identity of every incident it links may open, download or add one.

Each receipt, download and failed integrity check is written to the audit chain with the document's hash
(never its name or description): that chain is the document's custody trail."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kurukan.accounts import access
from kurukan.audit import log as audit
from kurukan.audit.models import Action
from kurukan.evidence import storage
from kurukan.evidence.forms import MEDIA_TYPE_RE, max_upload_bytes, too_large_message
from kurukan.incidents.forms import DateInput
from kurukan.incidents.models import Incident

from .models import CaseDocument, DocumentKind, JudicialCase


def sees_documents(user, case: JudicialCase) -> bool:
    """The case is visible (checked by the caller) and the user sees every identity of every incident it
    links: the same rule as evidence files, for every record at once."""
    incidents = Incident.objects.filter(violations__judicial_cases=case).distinct()
    return all(access.sees_every_identity(user, incident) for incident in incidents)


def may_add_documents(user, case: JudicialCase) -> bool:
    return access.may_record(user) and sees_documents(user, case)


class DocumentForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier"), error_messages={"required": _("Choisissez le fichier à joindre.")}
    )
    kind = forms.ChoiceField(label=_("Nature de la pièce"), choices=DocumentKind.choices)
    dated = forms.DateField(label=_("Date de la pièce"), widget=DateInput(), required=False)
    description = forms.CharField(
        label=_("Description (protégée)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > max_upload_bytes():
            raise forms.ValidationError(too_large_message())
        if upload.size == 0:
            raise forms.ValidationError(_("Ce fichier est vide : choisissez le document lui-même."))
        return upload

    def clean_dated(self):
        value = self.cleaned_data.get("dated")
        if value and value > timezone.localdate():
            raise forms.ValidationError(
                _("Cette date est dans le futur : indiquez la date portée sur la pièce.")
            )
        return value

    def media_type(self) -> str:
        claimed = (self.cleaned_data["file"].content_type or "").strip().lower()
        return claimed if MEDIA_TYPE_RE.match(claimed) else "application/octet-stream"


def receive_document(
    case: JudicialCase,
    user: Any,
    spool: storage.Spool,
    *,
    kind: str,
    original_name: str,
    media_type: str,
    dated: dt.date | None = None,
    description: str = "",
) -> tuple[CaseDocument, bool]:
    """Store the file and attach it to the case; the same content again for the same case adds nothing but an
    audit event. Returns (document, created)."""
    stored = storage.commit(spool)
    with transaction.atomic():
        document = CaseDocument.objects.select_for_update().filter(case=case, sha256=stored.sha256).first()
        created = document is None
        if document is None:
            document = CaseDocument.objects.create(
                case=case,
                kind=kind,
                dated=dated,
                sha256=stored.sha256,
                size=stored.size,
                original_name=original_name,
                media_type=media_type,
                description=description,
                received_by=user if getattr(user, "is_authenticated", False) else None,
            )
        audit.record(
            Action.CHANGE,
            user=user,
            obj=case,
            event="document received",
            document=document.pk,
            kind=document.kind,
            sha256=document.sha256,
            size=document.size,
            duplicate=not created,
            confidentiality=case.confidentiality,
        )
    return document, created


def check_before_sending(
    document: CaseDocument, user: Any, via: str
) -> storage.EvidenceIntegrityError | None:
    """Re-hash the whole file, then log the download (or the failure): a download cut off half-way by an
    altered file would prove nothing."""
    try:
        storage.verify(document.sha256)
        problem = None
    except storage.EvidenceIntegrityError as exc:
        problem = exc
    audit.record(
        Action.EXPORT if problem is None else Action.VERIFY,
        user=user,
        obj=document.case,
        event="document downloaded" if problem is None else "document integrity failed",
        document=document.pk,
        sha256=document.sha256,
        integrity_ok=problem is None,
        via=via,
        confidentiality=document.case.confidentiality,
    )
    return problem


def document_rows(user, case: JudicialCase) -> list[dict]:
    """The case's documents for its page and the API; names and descriptions only for who may open them."""
    shown = sees_documents(user, case)
    return [
        {
            "id": d.pk,
            "kind": d.get_kind_display(),
            "kind_code": d.kind,
            "dated": d.dated,
            "size": d.size,
            "sha256": d.sha256,
            "media_type": d.media_type,
            "name": (d.original_name or f"document-{d.pk}") if shown else "",
            "description": d.description if shown else "",
            "received_at": d.received_at,
        }
        for d in case.documents.order_by("received_at", "pk")
    ]
