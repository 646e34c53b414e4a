"""Alerts with their evidence, for coordinators (their organisation's records) and administrators (all)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kurukan.accounts.models import Role

from . import actions
from .models import Alert, AlertSubscription

READERS = {Role.COORDINATOR, Role.ADMINISTRATOR}
PAGE = 100


def _require_reader(user) -> None:
    if user.role not in READERS:
        raise PermissionDenied


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    _require_reader(request.user)
    alerts = Alert.objects.for_user(request.user).select_related("area__parent", "organisation")[:PAGE]
    context = {
        "alerts": alerts,
        "subscribed": AlertSubscription.objects.filter(user=request.user).exists(),
        "has_email": bool(request.user.email),
    }
    return render(request, "alerts/index.html", context)


@require_POST
def subscription(request: HttpRequest) -> HttpResponse:
    _require_reader(request.user)
    if request.POST.get("subscribe") == "1":
        if not request.user.email:
            messages.error(
                request,
                _("Votre compte n'a pas d'adresse électronique : demandez à un administrateur de l'ajouter."),
            )
            return redirect("alerts:index")
        actions.subscribe(request.user)
        messages.success(request, _("Vous recevrez les alertes de chaque semaine par courriel."))
    else:
        actions.unsubscribe(request.user)
        messages.success(request, _("Vous ne recevrez plus les alertes par courriel."))
    return redirect("alerts:index")
