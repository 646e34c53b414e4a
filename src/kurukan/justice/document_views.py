"""A case's documents in the browser: attach one (a plain multipart form; with htmx the case body is
swapped), download one. The upload never touches the disk in clear (evidence's encrypting upload handler)."""

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
from kurukan.evidence import storage
from kurukan.evidence.forms import max_upload_bytes, too_large_message
from kurukan.evidence.uploads import EncryptingUploadHandler, SpooledUpload
from kurukan.http import HtmxHttpRequest

from . import documents, presenters
from .models import CaseDocument, JudicialCase


def _case_for_documents(request: HttpRequest, case_id: str, *, edit: bool) -> JudicialCase:
    case = access.get_for_view(request.user, JudicialCase, public_id=case_id)
    allowed = documents.may_add_documents if edit else documents.sees_documents
    if not allowed(request.user, case):
        raise PermissionDenied
    return case


@csrf_exempt  # the upload handler must be in place before the CSRF check reads the body; checked below
@require_POST
def document_add(request: HttpRequest, case_id: str) -> HttpResponse:
    case = _case_for_documents(request, case_id, edit=True)
    handler = EncryptingUploadHandler(request, max_upload_bytes())
    request.upload_handlers = [handler]
    return _receive(request, case, handler)


@csrf_protect
def _receive(request: HtmxHttpRequest, case: JudicialCase, handler: EncryptingUploadHandler) -> HttpResponse:
    form = documents.DocumentForm(request.POST, request.FILES)
    if handler.too_large:
        form.add_error("file", too_large_message())
    upload = request.FILES.get("file")
    try:
        if not form.is_valid():
            context = presenters.case_context(request.user, case, document_form=form)
            if request.htmx:
                return render(request, "justice/_case_body.html", context)
            return render(request, "justice/case_detail.html", context, status=422)
        assert upload is not None  # the form requires the file
        spool = upload.spool if isinstance(upload, SpooledUpload) else storage.spool_from(upload.chunks())
        document, created = documents.receive_document(
            case,
            request.user,
            spool,
            kind=form.cleaned_data["kind"],
            original_name=upload.name or "",
            media_type=form.media_type(),
            dated=form.cleaned_data["dated"],
            description=form.cleaned_data["description"],
        )
    finally:
        if upload is not None:
            upload.close()
    if created:
        saved = _("Pièce jointe à la procédure ; empreinte SHA-256 %(sha)s.") % {"sha": document.sha256}
    else:
        saved = _("Ce fichier est déjà une pièce de cette procédure : rien n'a été ajouté.")
    if request.htmx:
        context = presenters.case_context(request.user, case, saved=saved)
        return render(request, "justice/_case_body.html", context)
    messages.success(request, saved)
    return redirect("justice:case_detail", case_id=case.public_id)


@require_GET
def document_download(request: HttpRequest, case_id: str, document_id: int) -> HttpResponseBase:
    case = _case_for_documents(request, case_id, edit=False)
    document = get_object_or_404(CaseDocument, pk=document_id, case=case)
    problem = documents.check_before_sending(document, request.user, via="page")
    if problem is not None:
        context = {"case": case, "problem": problem.problem, "sha256": document.sha256}
        return render(request, "justice/document_integrity_error.html", context, status=409)
    return streamed(document)


def streamed(document: CaseDocument) -> StreamingHttpResponse:
    """Always an attachment: a document is never rendered in Kurukan's origin."""
    response = StreamingHttpResponse(
        storage.open_chunks(document.sha256), content_type="application/octet-stream"
    )
    response["Content-Length"] = str(document.size)
    response["Content-Disposition"] = (
        content_disposition_header(True, document.original_name or f"document-{document.pk}") or "attachment"
    )
    response["Cache-Control"] = "no-store, private"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["X-Content-Type-Options"] = "nosniff"
    return response
