"""The administrators' audit page: who did what and when, filtered; and a check of the chain on demand."""

from __future__ import annotations

from typing import cast

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from kurukan.accounts.models import Role, User

from . import log
from .models import Action, AuditEvent


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("Action"), choices=[("", "—"), *Action.choices], required=False)
    username = forms.CharField(label=_("Utilisateur"), required=False)
    object_id = forms.CharField(label=_("Objet (identifiant)"), required=False)
    date_from = forms.DateField(label=_("Du"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Au"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


def _require_administrator(request: HttpRequest) -> None:
    user = cast(User, request.user)  # LoginRequiredMiddleware: only signed-in users get here
    if user.role != Role.ADMINISTRATOR:
        raise PermissionDenied


@require_GET
def audit_list(request: HttpRequest) -> HttpResponse:
    _require_administrator(request)
    form = AuditFilterForm(request.GET or None)
    events = AuditEvent.objects.order_by("-sequence")
    if form.is_valid():
        data = form.cleaned_data
        if data["action"]:
            events = events.filter(action=data["action"])
        if data["username"]:
            events = events.filter(username__iexact=data["username"].strip())
        if data["object_id"]:
            events = events.filter(object_id=data["object_id"].strip())
        if data["date_from"]:
            events = events.filter(at__date__gte=data["date_from"])
        if data["date_to"]:
            events = events.filter(at__date__lte=data["date_to"])
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "audit/list.html", {"form": form, "page": page, "query": query.urlencode()})


@require_POST
def audit_verify(request: HttpRequest) -> HttpResponse:
    _require_administrator(request)
    problems = list(log.verify_chain())
    log.record(
        Action.SYSTEM, user=request.user, object_type="audit.chain", check="verify", problems=len(problems)
    )
    return render(request, "audit/_verify.html", {"problems": problems, "total": AuditEvent.objects.count()})
