"""The demo's follow-up: Mali's institutions, the UPR recommendations of cycles 1 and 2, resolution 52/42,
a few measures and assessments over time, indicators (one computed from the synthetic records), and the
`point-focal` login assigned to the Ministry of Justice. Idempotent: a second demo run changes nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.db import transaction

from kurukan.places.models import AdminUnit
from kurukan.vocabularies.models import Term

from . import actions
from .models import Assessment, Indicator, Institution, Measure, Recommendation

DATA = Path(__file__).parent / "data"
INSTITUTIONS = [
    ("justice", "Ministère de la Justice et des Droits de l'homme", "Ministry of Justice and Human Rights"),
    ("cndh", "Commission nationale des droits de l'homme (CNDH)", "National Human Rights Commission (CNDH)"),
    ("defense", "Ministère de la Défense et des Anciens combattants", "Ministry of Defence and Veterans"),
    ("education", "Ministère de l'Éducation nationale", "Ministry of National Education"),
    ("femme", "Ministère de la Promotion de la femme, de l'enfant et de la famille",
     "Ministry for the Advancement of Women, Children and the Family"),
    ("mecanisme", "Mécanisme national de mise en œuvre, d'établissement des rapports et de suivi",
     "National mechanism for implementation, reporting and follow-up"),
]  # fmt: skip
FOCAL_POINT = "point-focal"

# (document, paragraph) → institution, measures (text, due date), assessments (date, status).
FOLLOW_UP = [
    ("A/HRC/23/6", "112.5.3", "justice", [("Déposer un projet de loi abolissant la peine de mort", "2024-06-30")],
     [("2023-03-01", "not_started"), ("2024-02-15", "in_progress")]),
    ("A/HRC/8/50", "56.2", "mecanisme", [("Soumettre les rapports en retard aux organes conventionnels", "2023-12-31")],
     [("2022-09-01", "in_progress"), ("2024-01-10", "partially_implemented")]),
    ("A/HRC/RES/52/42", "3", "education", [("Publier la liste des écoles fermées par l'insécurité", "2024-03-31")],
     [("2023-10-01", "in_progress")]),
    ("A/HRC/RES/52/42", "18", "justice", [("Achever les enquêtes judiciaires ouvertes sur les exécutions sommaires", "2023-12-31")],
     [("2023-06-01", "in_progress")]),
    ("A/HRC/RES/52/42", "19", "mecanisme", [("Créer le mécanisme national de suivi des recommandations de la Commission", "2023-09-30")],
     [("2023-11-20", "not_implemented")]),
]  # fmt: skip


@transaction.atomic
def load_demo() -> None:
    from kurukan.accounts.models import User

    for code, fr, en in INSTITUTIONS:
        Institution.objects.update_or_create(code=code, defaults={"name_fr": fr, "name_en": en})
    if not Recommendation.objects.exists():
        actions.import_recommendations(DATA / "mali_upr_recommendations_cycle1_2008_cycle2_2013.csv")
        actions.import_resolution((DATA / "A_HRC_RES_52_42_en.md").read_text(encoding="utf-8"))
        actions.propose_similar()
    focal = User.objects.filter(username=FOCAL_POINT).first()
    if focal is not None:
        Institution.objects.get(code="justice").focal_points.add(focal)
    if Measure.objects.exists():
        return
    coordinator = User.objects.filter(username="verificateur").first()
    for symbol, paragraph, institution_code, measures, assessments in FOLLOW_UP:
        rec = Recommendation.objects.filter(document__symbol=symbol, paragraph=paragraph).first()
        if rec is None:
            continue
        institution = Institution.objects.get(code=institution_code)
        for text, due in measures:
            actions.add_measure(
                rec,
                coordinator,
                institution=institution,
                description=text,
                due_date=dt.date.fromisoformat(due),
            )
        for on, status in assessments:
            Assessment.objects.create(
                recommendation=rec,
                assessed_on=dt.date.fromisoformat(on),
                status=status,
                assessed_by=coordinator,
            )
    executions = Recommendation.objects.filter(document__symbol="A/HRC/RES/52/42", paragraph="18").first()
    if executions is not None:
        executions.regions.set(AdminUnit.objects.current().filter(level=1, pcode__in=["ML05", "ML04"]))
        Indicator.objects.create(
            recommendation=executions, kind=Indicator.Kind.OUTCOME,
            name="Exécutions sommaires vérifiées par trimestre (Mopti, Ségou)",
            computed_type=Term.objects.filter(vocabulary="violation_type", code="life.summary_execution").first(),
        )  # fmt: skip
