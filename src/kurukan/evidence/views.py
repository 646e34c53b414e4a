"""Evidence pages on an incident: list with custody trail, upload, download, integrity check, custody steps."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from kurukan.accounts import access
from kurukan.incidents.models import Incident

from . import actions, storage
from .forms import CustodyForm, UploadForm, max_upload_bytes, too_large_message
from .models import CustodyAction, EvidenceItem
from .queries import item_rows
from .uploads import EncryptingUploadHandler, SpooledUpload

# Shown in the browser only for types that cannot run script; everything else is a download.
INLINE_TYPES = {
    "image/jpeg",
    "image/png",
    "image/gif",
    "image/webp",
    "application/pdf",
    "text/plain",
    "audio/mpeg",
    "audio/ogg",
    "audio/wav",
    "video/mp4",
    "video/webm",
}


def _incident_with_identities(request: HttpRequest, public_id: str) -> Incident:
    incident = access.get_incident_for_view(request.user, public_id)
    if not access.sees_every_identity(request.user, incident):
        raise PermissionDenied
    return incident


def _item_of(incident: Incident, item_id: int) -> EvidenceItem:
    return get_object_or_404(EvidenceItem.objects.select_related("incident"), pk=item_id, incident=incident)


def _list_context(request: HttpRequest, incident: Incident, form: UploadForm | None = None) -> dict:
    identities = access.sees_every_identity(request.user, incident)
    return {
        "incident": incident,
        "rows": item_rows(request.user, incident),
        "identities": identities,
        "form": form or (UploadForm() if identities else None),
        "custody_form": CustodyForm() if identities else None,
        "max_bytes": max_upload_bytes(),
    }


@require_GET
def evidence_list(request: HttpRequest, public_id: str) -> HttpResponse:
    incident = access.get_incident_for_view(request.user, public_id)
    return render(request, "evidence/list.html", _list_context(request, incident))


@csrf_exempt  # the upload handler must be in place before the CSRF check reads the body; checked below
@require_POST
def evidence_upload(request: HttpRequest, public_id: str) -> HttpResponse:
    incident = _incident_with_identities(request, public_id)
    handler = EncryptingUploadHandler(request, max_upload_bytes())
    request.upload_handlers = [handler]
    return _receive(request, incident, handler)


@csrf_protect
def _receive(request: HttpRequest, incident: Incident, handler: EncryptingUploadHandler) -> HttpResponse:
    form = UploadForm(request.POST, request.FILES)
    if handler.too_large:
        form.add_error("file", too_large_message())
    upload = request.FILES.get("file")
    try:
        if not form.is_valid():
            return render(request, "evidence/list.html", _list_context(request, incident, form), status=422)
        assert upload is not None  # the form requires the file
        spool = upload.spool if isinstance(upload, SpooledUpload) else storage.spool_from(upload.chunks())
        item, created = actions.receive_evidence(
            incident,
            request.user,
            spool,
            original_name=upload.name or "",
            media_type=form.media_type(),
            description=form.cleaned_data["description"],
            received_from=form.cleaned_data["received_from"],
            received_at=form.cleaned_data["received_at"],
        )
    finally:
        if upload is not None:
            upload.close()
    if created:
        messages.success(
            request,
            _("Élément %(id)s reçu ; empreinte SHA-256 %(sha)s.") % {"id": item.pk, "sha": item.sha256},
        )
    else:
        messages.info(
            request,
            _(
                "Ce contenu est déjà l'élément %(id)s de cet incident : la nouvelle réception est "
                "ajoutée à sa chaîne de traçabilité."
            )
            % {"id": item.pk},
        )
    return redirect("evidence:list", public_id=incident.public_id)


def _integrity_failure(
    request: HttpRequest, incident: Incident, item: EvidenceItem, problem: storage.EvidenceIntegrityError
) -> HttpResponse:
    context = {"incident": incident, "item": item, "problem": problem.problem}
    return render(request, "evidence/integrity_error.html", context, status=409)


def _send(request: HttpRequest, public_id: str, item_id: int, *, inline: bool) -> HttpResponseBase:
    incident = _incident_with_identities(request, public_id)
    item = _item_of(incident, item_id)
    if inline and item.media_type not in INLINE_TYPES:
        inline = False
    # Check the whole file first: a failure must give a clear page, not a download cut off half-way.
    problem = actions.check_integrity(item, request.user)
    if problem is not None:
        return _integrity_failure(request, incident, item, problem)
    actions.record_custody(item, CustodyAction.VIEWED if inline else CustodyAction.DOWNLOADED, request.user)
    response = StreamingHttpResponse(
        storage.open_chunks(item.sha256),
        content_type=item.media_type if inline else "application/octet-stream",
    )
    response["Content-Length"] = str(item.size)
    response["Content-Disposition"] = content_disposition_header(
        not inline, item.original_name or f"evidence-{item.pk}"
    ) or ("attachment" if not inline else "inline")
    response["Cache-Control"] = "no-store, private"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


@require_GET
def evidence_download(request: HttpRequest, public_id: str, item_id: int) -> HttpResponseBase:
    return _send(request, public_id, item_id, inline=False)


@require_GET
def evidence_view(request: HttpRequest, public_id: str, item_id: int) -> HttpResponseBase:
    return _send(request, public_id, item_id, inline=True)


@require_POST
def evidence_verify(request: HttpRequest, public_id: str, item_id: int) -> HttpResponse:
    incident = access.get_incident_for_view(request.user, public_id)
    item = _item_of(incident, item_id)
    problem = actions.check_integrity(item, request.user)
    if problem is not None:
        return _integrity_failure(request, incident, item, problem)
    messages.success(
        request,
        _("Élément %(id)s : intégrité confirmée (SHA-256 identique à la réception).") % {"id": item.pk},
    )
    return redirect("evidence:list", public_id=incident.public_id)


@require_POST
def evidence_custody(request: HttpRequest, public_id: str, item_id: int) -> HttpResponse:
    incident = _incident_with_identities(request, public_id)
    item = _item_of(incident, item_id)
    form = CustodyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Étape non enregistrée : indiquez à qui l'élément a été remis."))
        return redirect("evidence:list", public_id=incident.public_id)
    actions.record_custody(
        item,
        form.cleaned_data["action"],
        request.user,
        counterparty=form.cleaned_data["counterparty"],
        note=form.cleaned_data["note"],
    )
    messages.success(
        request, _("Étape enregistrée dans la chaîne de traçabilité de l'élément %(id)s.") % {"id": item.pk}
    )
    return redirect("evidence:list", public_id=incident.public_id)
