"""The demo's accountability: judicial cases on a share of the verified violations (few reach judgment, as
in reality), and interventions to institutions, some answered, some past their deadline. Idempotent."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from kurukan.accounts.models import User
from kurukan.actors.models import Actor
from kurukan.incidents.models import Violation
from kurukan.recommendations.models import Institution
from kurukan.vocabularies.models import Term

from . import actions
from .models import Defendant, DefendantRole, FollowUpStatus, Intervention, JudicialCase, Stage, StageKind

# Each case goes as far as the first step it fails to pass: (step, chance of reaching it, days after the last).
PATH = [
    (StageKind.COMPLAINT, 1.0, 30),
    (StageKind.INVESTIGATION, 0.7, 60),
    (StageKind.INDICTMENT, 0.6, 240),
    (StageKind.TRIAL, 0.7, 180),
    (StageKind.JUDGMENT, 0.8, 90),
]
JURISDICTIONS = ["ordinary", "ordinary", "specialised_pole", "military", "ordinary", "icc"]
INSTITUTIONS = [
    (
        "procureur-pole",
        "Procureur du Pôle judiciaire spécialisé",
        "Prosecutor of the specialised judicial pole",
    ),
    ("justice", "Ministère de la Justice et des Droits de l'homme", "Ministry of Justice and Human Rights"),
    ("defense", "Ministère de la Défense et des Anciens combattants", "Ministry of Defence and Veterans"),
]


def _date_after(day: dt.date, days: int, rng: random.Random) -> dt.date:
    return min(day + dt.timedelta(days=int(days * rng.uniform(0.5, 1.5))), timezone.localdate())


@transaction.atomic
def load_demo(seed: int = 52) -> tuple[int, int]:
    """Cases and interventions for the demo organisation's verified violations; (cases, interventions)."""
    if JudicialCase.objects.exists():
        return 0, 0
    author = User.objects.filter(username="monitor").first()
    if author is None or author.organisation_id is None:
        return 0, 0
    rng = random.Random(seed)
    violations = list(
        Violation.objects.verified()
        .filter(incident__organisation_id=author.organisation_id)
        .select_related("incident")
        .order_by("pk")
    )
    jurisdictions = {t.code: t for t in Term.objects.filter(vocabulary="jurisdiction")}
    actors = list(Actor.objects.order_by("pk")[:20])
    cases = 0
    for violation in violations:
        if rng.random() > 0.35:
            continue
        case = actions.open_case(
            JudicialCase(
                title=f"Affaire {violation.incident.public_id}",
                jurisdiction=jurisdictions[rng.choice(JURISDICTIONS)],
                court="Tribunal de grande instance de la Commune III",
                reference=f"RP {rng.randint(100, 999)}/{violation.incident.start_date.year}",
            ),
            [violation],
            author,
        )
        if actors:
            Defendant.objects.create(case=case, actor=rng.choice(actors), role=DefendantRole.PERPETRATOR)
        day = violation.incident.start_date
        for kind, chance, days in PATH:
            if rng.random() > chance:
                break
            day = _date_after(day, days, rng)
            outcome = (
                rng.choice(["conviction", "conviction", "acquittal"]) if kind == StageKind.JUDGMENT else ""
            )
            actions.add_stage(case, Stage(kind=kind, on=day, outcome=outcome), author)
        cases += 1
    institutions = [
        Institution.objects.get_or_create(code=code, defaults={"name_fr": fr, "name_en": en})[0]
        for code, fr, en in INSTITUTIONS
    ]
    today = timezone.localdate()
    interventions = 0
    for i, violation in enumerate(violations[:10]):
        sent = today - dt.timedelta(days=rng.randint(20, 200))
        intervention = Intervention(
            kind=rng.choice(["letter", "request", "referral", "urgent_appeal"]),
            institution=institutions[i % len(institutions)],
            sent_on=sent,
            request="Ouvrir une enquête et informer les familles des victimes.",
            deadline=sent + dt.timedelta(days=30),
        )
        if i % 2 == 0:  # half answered
            intervention.answered_on = sent + dt.timedelta(days=rng.randint(10, 60))
            intervention.answer = "Une enquête a été confiée à la brigade de gendarmerie."
            intervention.status = rng.choice([FollowUpStatus.ANSWERED, FollowUpStatus.FOLLOW_UP])
        actions.record_intervention(intervention, [violation], [], author)
        interventions += 1
    return cases, interventions
