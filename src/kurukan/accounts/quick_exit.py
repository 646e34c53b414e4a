"""Quick exit: someone interrupted at a shared computer leaves Kurukan at once.

The "Quitter maintenant / Leave now" button ends the session and replaces the page with a neutral one. With
JavaScript (kurukan.js, loaded as a file: the CSP forbids inline script) the page is blanked and replaced
with `location.replace`, so the Back button does not return to it, while the sign-out is sent in the
background; without JavaScript the form posts here and the answer redirects to the neutral page. The
neutral page is on this server (the CSP's form-action allows no other) and names neither Kurukan nor anyone.
"""

from __future__ import annotations

from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

NEUTRAL_PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>Nouvel onglet</title></head>
<body></body></html>"""


@login_not_required
@require_POST
def quick_exit(request: HttpRequest) -> HttpResponse:
    logout(request)  # flushes the session: nothing of it is left on the server
    response = redirect("accounts:neutral")
    # Ask the browser to drop what this site left on the computer (cached pages, cookies, storage).
    response["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    return response


@login_not_required
@require_GET
@never_cache
def neutral(request: HttpRequest) -> HttpResponse:
    return HttpResponse(NEUTRAL_PAGE)
