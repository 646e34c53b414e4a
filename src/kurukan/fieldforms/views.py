"""The XLSForm as a download, for whoever sets up the KoboToolbox or ODK Central project (the importers)."""

from __future__ import annotations

import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponseBase
from django.shortcuts import redirect
from django.views.decorators.http import require_GET

from kurukan.accounts import access

from . import xlsform


@require_GET
def download(request: HttpRequest) -> HttpResponseBase:
    if not access.can_import(request.user):
        raise PermissionDenied
    buffer = io.BytesIO()
    try:
        xlsform.write(buffer)
    except xlsform.NotReady as exc:
        messages.error(request, str(exc))
        return redirect("imports:index")
    buffer.seek(0)
    return FileResponse(buffer, as_attachment=True, filename="kurukan-incident.xlsx")
