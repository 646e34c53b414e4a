"""Requesting, publishing and withdrawing an estimate; each writes its audit event in the same transaction.

Audit details carry codes and counts only (violation type code, organisation codes, method), never a name.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kurukan.audit import log as audit
from kurukan.audit.models import Action
from kurukan.people.public_text import clear_for_publication

from .captures import Scope, counted_persons
from .models import EstimateRun
from .presenters import public_parts


@transaction.atomic
def request_estimate(user, parameters: dict) -> EstimateRun:
    """Record the run and audit it; the caller enqueues the task once this transaction is committed."""
    run = EstimateRun.objects.create(parameters=parameters, requested_by=user)
    audit.record(
        Action.CREATE,
        user=user,
        obj=run,
        event="estimate_requested",
        violation_type=parameters["violation_type"],
        lists=parameters.get("source_kinds") or parameters["organisations"],
        method=parameters["method"],
        strata=parameters["strata"],
    )
    return run


@transaction.atomic
def publish_estimate(run: EstimateRun, user, override_reason: str = "") -> EstimateRun:
    """Publish a finished estimate, once its public text names none of the persons it counts and holds no
    phone or identity number (a coordinator may publish anyway with `override_reason`, audited)."""
    run = EstimateRun.objects.select_for_update().get(pk=run.pk)
    if not run.is_publishable:
        raise ValidationError(_("Seule une estimation terminée, avec un total estimé, peut être publiée."))
    if run.published:
        return run
    clear_for_publication(
        public_parts(run),
        counted_persons(run.requested_by or user, Scope.from_parameters(run.parameters)),
        user=user,
        obj=run,
        reason=override_reason,
    )
    run.published, run.published_by, run.published_at = True, user, timezone.now()
    run.save(update_fields=["published", "published_by", "published_at"])
    audit.record(Action.CHANGE, user=user, obj=run, event="estimate_published")
    return run


@transaction.atomic
def withdraw_estimate(run: EstimateRun, user) -> EstimateRun:
    run = EstimateRun.objects.select_for_update().get(pk=run.pk)
    if not run.published:
        return run
    run.published, run.published_by, run.published_at = False, None, None
    run.save(update_fields=["published", "published_by", "published_at"])
    audit.record(Action.CHANGE, user=user, obj=run, event="estimate_withdrawn")
    return run
