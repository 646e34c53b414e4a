"""Counts other organisations share with the reader's: their figures, never their records, under the public
figures' disclosure control; and the coordinator's form to share their own."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kurukan.accounts import access
from kurukan.accounts.models import CountShare, Organisation

from . import actions, presenters
from .figures import public_figures


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    level = "documented" if request.GET.get("level") == "documented" else "verified"
    shared = [
        {
            "organisation": organisation,
            "total": presenters.cell(figures.get("total")),
            "crosstab": presenters.crosstab(figures),
            "children": presenters.children(figures),
        }
        for organisation in access.organisations_sharing_counts_with(request.user)
        for figures in [public_figures(level, organisation)]
    ]
    mine = (
        CountShare.objects.filter(organisation_id=request.user.organisation_id, revoked_at__isnull=True)
        .select_related("shared_with")
        .order_by("shared_with__name")
        if access.can_share_counts(request.user)
        else []
    )
    others = Organisation.objects.exclude(pk=request.user.organisation_id).order_by("name")
    context = {
        "level": level,
        "shared": shared,
        "mine": mine,
        "others": others,
        "can_share": access.can_share_counts(request.user),
        "includes_confidential": bool(
            request.user.organisation and request.user.organisation.public_figures_include_confidential
        ),
        "thresholds": presenters.thresholds(),
    }
    return render(request, "public/shared.html", context)


@require_POST
def share(request: HttpRequest) -> HttpResponse:
    if not access.can_share_counts(request.user):
        raise PermissionDenied
    organisation = Organisation.objects.exclude(pk=request.user.organisation_id).filter(
        pk=request.POST.get("organisation") or None
    )
    if not organisation.exists():
        messages.error(request, _("Choisissez l'organisation avec qui partager vos chiffres."))
        return redirect("public:shared")
    actions.share_counts(request.user, organisation.get())
    messages.success(request, _("Vos chiffres sont partagés (jamais vos dossiers)."))
    return redirect("public:shared")


@require_POST
def revoke(request: HttpRequest) -> HttpResponse:
    if not access.can_share_counts(request.user):
        raise PermissionDenied
    found = CountShare.objects.filter(
        pk=request.POST.get("share") or None,
        organisation_id=request.user.organisation_id,
        revoked_at__isnull=True,
    ).first()
    if found is None:
        messages.error(request, _("Ce partage n'existe pas ou a déjà été retiré."))
        return redirect("public:shared")
    actions.revoke_count_share(request.user, found)
    messages.success(request, _("Partage retiré."))
    return redirect("public:shared")


@require_POST
def public_setting(request: HttpRequest) -> HttpResponse:
    if not access.can_share_counts(request.user):
        raise PermissionDenied
    include = request.POST.get("include_confidential") == "1"
    actions.set_public_figures_setting(request.user, include)
    if include:
        messages.success(
            request,
            _(
                "Vos dossiers restreints et strictement confidentiels comptent désormais dans les chiffres publics."
            ),
        )
    else:
        messages.success(
            request,
            _(
                "Vos dossiers restreints et strictement confidentiels ne comptent pas dans les chiffres publics."
            ),
        )
    return redirect("public:shared")
