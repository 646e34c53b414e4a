"""The overdue interventions' reminder: one email per organisation to its coordinators, listing what is past
its deadline with no answer. Ids, addressees and dates only: an email leaves the system, names do not."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation

from kurukan.accounts.models import Organisation, Role, User

from .models import Intervention


@dataclass
class ReminderResult:
    overdue: int = 0
    emails: int = 0


def send_reminders(today: dt.date) -> ReminderResult:
    result = ReminderResult()
    overdue = Intervention.objects.overdue(today).select_related("institution").order_by("deadline", "pk")
    by_org: dict[int, list[Intervention]] = {}
    for intervention in overdue:
        by_org.setdefault(intervention.organisation_id, []).append(intervention)
        result.overdue += 1
    for org_id, items in by_org.items():
        recipients = list(
            User.objects.filter(organisation_id=org_id, role=Role.COORDINATOR, is_active=True)
            .exclude(email="")
            .values_list("email", flat=True)
        )
        if not recipients:
            continue
        organisation = Organisation.objects.get(pk=org_id)
        with translation.override("fr"):
            lines = [
                f"- {i.public_id} · {i.get_kind_display()} · {i.institution.name} · "
                f"délai {i.deadline:%d/%m/%Y} ({i.days_late(today)} j de retard)"
                for i in items
            ]
        body = (
            f"{len(items)} intervention(s) de {organisation} sans réponse après leur délai / "
            f"{len(items)} intervention(s) overdue with no answer:\n\n" + "\n".join(lines) + "\n"
        )
        send_mail(
            f"Kurukan : {len(items)} intervention(s) en retard / overdue",
            body,
            settings.DEFAULT_FROM_EMAIL,
            recipients,
        )
        result.emails += 1
    return result
