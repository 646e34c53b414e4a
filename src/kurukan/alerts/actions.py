"""The weekly early-warning run, and subscriptions; each writes its audit event."""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from kurukan.accounts.models import Organisation, Role, User
from kurukan.analysis.early_warning import ModelConfig, model_signal
from kurukan.audit import log as audit
from kurukan.audit.models import Action
from kurukan.places.models import AdminUnit
from kurukan.statistics.counting import Filters, Scope, table

from .models import Alert, AlertSubscription

logger = logging.getLogger(__name__)
HISTORY_WEEKS = 156 + 3  # the model's three years, and the four weeks under test


@dataclass
class RunResult:
    week: dt.date
    areas: int = 0
    alerts: int = 0
    emails: int = 0


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def weekly_series(organisation: Organisation | None, last_week: dt.date) -> dict[str, np.ndarray]:
    """Incidents per week in every cercle and commune (P-code → counts, oldest first), from the counting
    rules: reported incidents, as information received, for warning cannot wait for verification."""
    weeks = [last_week - dt.timedelta(weeks=HISTORY_WEEKS - 1 - i) for i in range(HISTORY_WEEKS)]
    series: dict[str, np.ndarray] = defaultdict(lambda: np.zeros(HISTORY_WEEKS, dtype=int))
    for i, start in enumerate(weeks):
        counted = table(
            "incidents",
            by=["cercle", "commune"],
            filters=Filters(
                date_from=start,
                date_to=start + dt.timedelta(days=6),
                organisation=organisation,
                level="reported",
            ),
            scope=Scope.everything(),
        )
        for row in counted.rows:
            for level in ("cercle", "commune"):
                if row[level]:
                    series[row[level]][i] += row["value"]
    return dict(series)


def run_early_warning(week: dt.date, config: ModelConfig | None = None) -> RunResult:
    """Test the week starting on `week`'s Monday in every area with a history, for each organisation and for
    all records; store the alerts (again: idempotent) and email the subscribers of each new one."""
    result, new = _store_alerts(monday(week), config)
    # Emails leave after the alerts are stored: a mail server that is down loses no alert.
    for organisation_id, alerts in new.items():
        result.emails += _email(organisation_id, alerts)
    audit.record(
        Action.SYSTEM,
        object_type="alerts.run",
        object_id=result.week.isoformat(),
        areas=result.areas,
        alerts=result.alerts,
        emails=result.emails,
    )
    return result


@transaction.atomic
def _store_alerts(
    week: dt.date, config: ModelConfig | None
) -> tuple[RunResult, dict[int | None, list[Alert]]]:
    result = RunResult(week=week)
    units = {u.pcode: u for u in AdminUnit.objects.current().filter(level__in=[2, 3])}
    new: dict[int | None, list[Alert]] = defaultdict(list)
    for organisation in [None, *Organisation.objects.all()]:
        for pcode, counts in weekly_series(organisation, week).items():
            if pcode not in units:
                continue
            result.areas += 1
            signal = model_signal(counts, HISTORY_WEEKS - 1, config)
            if signal is None or not signal.alert:
                continue
            alert, created = Alert.objects.update_or_create(
                organisation=organisation,
                area=units[pcode],
                week=week,
                rule=Alert.Rule.MODEL,
                window_weeks=signal.window_weeks,
                defaults={"observed": signal.observed, "expected": signal.expected, "upper": signal.upper},
            )
            result.alerts += 1
            if created:
                new[organisation.pk if organisation else None].append(alert)
    return result, new


def _subscribers(organisation_id: int | None) -> list[User]:
    subscribed = User.objects.filter(
        pk__in=AlertSubscription.objects.values("user_id"), is_active=True
    ).exclude(email="")
    if organisation_id is None:
        return list(subscribed.filter(role=Role.ADMINISTRATOR))
    return list(subscribed.filter(role=Role.COORDINATOR, organisation_id=organisation_id))


def _email(organisation_id: int | None, alerts: list[Alert]) -> int:
    """One email per subscriber, in French (the working language) then English; areas and counts only."""
    sent = 0
    for user in _subscribers(organisation_id):
        bodies = []
        for language in ("fr", "en"):
            with translation.override(language):
                bodies.append(
                    render_to_string("alerts/email.txt", {"alerts": alerts, "site": settings.SITE_URL})
                )
        with translation.override("fr"):
            subject = render_to_string("alerts/email_subject.txt", {"count": len(alerts)}).strip()
        try:
            sent += send_mail(subject, "\n\n".join(bodies), None, [user.email])
        except (OSError, smtplib.SMTPException) as exc:
            # The address stays out of the log; the alerts are on the page whatever happens to the email.
            logger.warning("alert email to user %s not sent: %s", user.pk, type(exc).__name__)
    return sent


@transaction.atomic
def subscribe(user: User) -> None:
    AlertSubscription.objects.get_or_create(user=user)
    audit.record(Action.CHANGE, user=user, object_type="alerts.subscription", object_id=str(user.pk), on=True)


@transaction.atomic
def unsubscribe(user: User) -> None:
    AlertSubscription.objects.filter(user=user).delete()
    audit.record(
        Action.CHANGE, user=user, object_type="alerts.subscription", object_id=str(user.pk), on=False
    )
