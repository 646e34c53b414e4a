"""Who may make, read and publish estimates.

An estimate is computed from what its requester may see (`access.visible_incidents`) and keeps counts
only. Users of the organisation that made it may read it, so a coordinator can publish an analyst's work;
administrators read every estimate. Anyone may read a published one (the public page).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from kurukan.accounts.models import Role

from .models import EstimateRun

ESTIMATE_ROLES = {Role.ANALYST, Role.COORDINATOR, Role.ADMINISTRATOR}
PUBLISH_ROLES = {Role.ANALYST, Role.COORDINATOR}


def can_estimate(user) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return user.role in ESTIMATE_ROLES


def require_estimator(user) -> None:
    if not can_estimate(user):
        raise PermissionDenied


def can_publish(user) -> bool:
    return can_estimate(user) and user.role in PUBLISH_ROLES


def visible_runs(user) -> QuerySet[EstimateRun]:
    if not can_estimate(user):
        return EstimateRun.objects.none()
    if user.role == Role.ADMINISTRATOR:
        return EstimateRun.objects.all()
    if user.organisation_id is None:
        return EstimateRun.objects.filter(requested_by=user)
    return EstimateRun.objects.filter(requested_by__organisation_id=user.organisation_id)


def get_run_for_view(user, run_id: int) -> EstimateRun:
    require_estimator(user)
    run = visible_runs(user).select_related("requested_by").filter(pk=run_id).first()
    if run is None:
        raise Http404
    return run


def get_run_for_publication(user, run_id: int) -> EstimateRun:
    run = get_run_for_view(user, run_id)
    if not can_publish(user):
        raise PermissionDenied
    return run
