"""What the case, intervention and indicator pages show, prepared from the queries (templates walk no
querysets). Civil parties and defendants appear by their identifier: names belong to the person's file."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from kurukan.accounts import access
from kurukan.people.models import Person
from kurukan.statistics import charts, labels
from kurukan.statistics.counting import Scope
from kurukan.statistics.impunity import BREAKDOWNS, ImpunityTable, impunity

from . import documents, queries
from .consent import named_on
from .forms import AnswerForm, CivilPartyForm, DefendantForm, StageForm
from .models import Intervention, JudicialCase


def case_rows(cases: list[JudicialCase]) -> list[dict]:
    rows = []
    for case in cases:
        stages = list(case.stages.all())
        last = stages[-1] if stages else None
        rows.append(
            {
                "public_id": case.public_id,
                "title": case.title,
                "jurisdiction": case.jurisdiction.label,
                "court": case.court,
                "reference": case.reference,
                "stage": last.get_kind_display() if last else _("Aucune étape"),
                "stage_on": last.on if last else None,
                "confidentiality": case.get_confidentiality_display(),
            }
        )
    return rows


def victims_of(user, case: JudicialCase):
    """People who may become civil parties: the victims of the case's violations the user sees."""
    return Person.objects.filter(victimisations__violation__in=queries.case_violations(user, case)).distinct()


def perpetrators_of(user, case: JudicialCase):
    """Individual alleged perpetrators of the case's violations the user sees: who may be named accused."""
    from kurukan.incidents.models import Perpetrator

    ids = Perpetrator.objects.filter(violation__in=queries.case_violations(user, case)).values("person_id")
    return Person.objects.filter(pk__in=ids)


def case_context(user, case: JudicialCase, **forms) -> dict:
    may_edit = access.may_record(user)
    violations = list(queries.case_violations(user, case))
    return {
        "case": case,
        "jurisdiction": case.jurisdiction.label,
        "stages": list(case.stages.select_related("recorded_by")),
        "defendants": [
            {
                "name": str(d.actor) if d.actor else (d.person.public_id if d.person else ""),
                "role": d.get_role_display(),
            }
            for d in case.defendants.select_related("actor", "person")
        ],
        "civil_parties": [
            {"person": p.person.public_id, "joined_on": p.joined_on}
            for p in case.civil_parties.select_related("person")
        ],
        "violations": [
            {
                "incident": v.incident.public_id,
                "type": v.type.label,
                "date": v.incident.start_date,
                "verification": v.get_verification_status_display(),
            }
            for v in violations
        ],
        "may_edit": may_edit,
        "documents": documents.document_rows(user, case),
        "sees_documents": documents.sees_documents(user, case),
        "may_add_documents": may_edit and documents.may_add_documents(user, case),
        "document_form": forms.get("document_form") or documents.DocumentForm(),
        "stage_form": forms.get("stage_form") or (StageForm() if may_edit else None),
        "defendant_form": forms.get("defendant_form") or (DefendantForm() if may_edit else None),
        "party_form": forms.get("party_form") or (CivilPartyForm() if may_edit else None),
        "saved": forms.get("saved", ""),
    }


def intervention_rows(interventions: list[Intervention], today: dt.date | None = None) -> list[dict]:
    today = today or timezone.localdate()
    return [
        {
            "public_id": i.public_id,
            "kind": i.get_kind_display(),
            "institution": i.institution.name,
            "sent_on": i.sent_on,
            "deadline": i.deadline,
            "answered_on": i.answered_on,
            "status": i.get_status_display(),
            "overdue": i.is_overdue(today),
            "days_late": i.days_late(today),
        }
        for i in interventions
    ]


def intervention_context(user, intervention: Intervention, answer_form=None, saved: bool = False) -> dict:
    today = timezone.localdate()
    named, withheld = named_on(intervention, list(intervention.victims.all()))
    violations = queries.selectable_violations(
        user, list(intervention.violations.values_list("pk", flat=True))
    )
    return {
        "intervention": intervention,
        "institution": intervention.institution.name,
        "overdue": intervention.is_overdue(today),
        "violations": [
            {"incident": v.incident.public_id, "type": v.type.label, "date": v.incident.start_date}
            for v in violations
        ],
        "victims": [p.public_id for p in named],
        "victims_withheld": withheld,
        "may_edit": access.may_record(user),
        "answer_form": answer_form or AnswerForm(instance=intervention),
        "saved": saved,
    }


def impunity_context(user, by: str) -> dict:
    scope = Scope.for_user(user)
    table: ImpunityTable = impunity(by, scope=scope)
    names = labels.labels_for(by, {r.code for r in table.rows})
    rows = [
        {"label": names.get(r.code, str(r.code)), "row": r, "no_case_share": r.share("no_case")}
        for r in table.rows
    ]
    bars = [
        charts.Bar(
            label=item["label"],
            value=round(item["row"].share("no_case")),
            note=f"{item['row'].share('no_case'):.0f} %",
        )
        for item in rows
    ]
    chart = charts.bar_chart(bars, _("Part des violations vérifiées sans aucune procédure (%)"), "impunity")
    return {
        "by": by,
        "breakdowns": [(name, labels.field_title(name)) for name in BREAKDOWNS],
        "rows": rows,
        "total": table.total,
        "chart": chart,
    }
