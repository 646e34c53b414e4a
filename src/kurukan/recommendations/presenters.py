"""Prepared data for the recommendation pages (templates get rows, not querysets to walk)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kurukan.accounts import access

from . import actions, figures
from .forms import (
    AssessmentForm,
    AssignForm,
    ClassifyForm,
    FilterForm,
    IndicatorForm,
    IndicatorValueForm,
    MeasureForm,
)
from .models import Progress, Recommendation, SimilarPair

STATUS_LABELS = {figures.NONE: _("Jamais évaluée"), **dict(Progress.choices)}


def filtered(qs: QuerySet[Recommendation], form: FilterForm) -> QuerySet[Recommendation]:
    if not form.is_bound or not form.is_valid():
        return qs
    data = form.cleaned_data
    if data["q"]:
        qs = qs.filter(
            Q(text_en__icontains=data["q"])
            | Q(text_fr__icontains=data["q"])
            | Q(recommending__icontains=data["q"])
            | Q(document__symbol__icontains=data["q"])
        )
    if data["mechanism"]:
        qs = qs.filter(document__mechanism=data["mechanism"])
    if data["response"]:
        qs = qs.filter(response=data["response"])
    if data["institution"]:
        qs = qs.filter(institutions=data["institution"])
    tags = [data[name] for name in ("theme", "affected_group", "sdg") if data.get(name)]
    for tag in tags:
        qs = qs.filter(pk__in=Recommendation.objects.filter(themes=tag).values("pk"))
    if data["status"]:
        qs = figures.filter_status(qs, data["status"])
    return qs.distinct() if data["institution"] else qs


def status_label(code: str | None) -> str:
    return str(STATUS_LABELS.get(code or figures.NONE, code))


def dashboard(qs: QuerySet[Recommendation], public: bool = False) -> dict:
    statuses = [(code, status_label(code)) for code in figures.STATUSES]
    groups = ("mechanism", "theme", "sdg") if public else ("mechanism", "institution", "theme", "sdg")
    tables = {by: figures.status_by(qs, by) for by in groups}
    for rows in tables.values():
        for row in rows:
            row["cells"] = [row[code] for code in figures.STATUSES]
    overdue = [] if public else list(actions.overdue_measures().filter(recommendation__in=qs)[:50])
    changes = [] if public else figures.changes_since_previous(qs)[:20]
    by_id = {
        r.pk: r
        for r in Recommendation.objects.filter(pk__in=[c["recommendation"] for c in changes]).select_related(
            "document"
        )
    }
    for change in changes:
        change["item"] = by_id.get(change["recommendation"])
        change["from_label"] = status_label(change["from"])
        change["to_label"] = status_label(change["to"])
    return {
        "statuses": statuses,
        "tables": [(by, _TITLES[by], tables[by]) for by in tables if tables[by]],
        "overdue": overdue,
        "changes": changes,
    }


_TITLES = {
    "mechanism": _("Par mécanisme"),
    "theme": _("Par thème"),
    "sdg": _("Par cible des ODD"),
    "institution": _("Par institution"),
}


def detail(user, recommendation: Recommendation, **forms) -> dict:
    can_follow = access.can_follow_up(user, recommendation)
    manages = access.manages_recommendations(user)
    measures = list(recommendation.measures.select_related("institution"))
    indicators = []
    for indicator in recommendation.indicators.select_related("computed_type"):
        series = figures.indicator_series(indicator, user)
        peak = max((v for _p, v in series if v is not None), default=0) or 1
        points = []
        for i, (period, value) in enumerate(series):
            # None: fewer than the public threshold (a focal point's view): no bar, "< N" in the table
            height = round(50 * (value or 0) / peak, 1)
            # SVG coordinates as plain strings: the template's number formatting would write "5,0" in French.
            coordinates = {"x": str(i * 10 + 1), "height": f"{height:.1f}", "top": f"{55 - height:.1f}"}
            points.append({"period": period, "value": value, **coordinates})
        indicators.append(
            {
                "indicator": indicator,
                "series": points,
                "width": 10 * len(points) + 2,
                "threshold": figures._threshold(indicator) if indicator.is_computed else None,
                "protected": indicator.is_computed and figures.indicator_scope(user)[1],
            }
        )
    pairs = (
        SimilarPair.objects.filter(Q(left=recommendation) | Q(right=recommendation))
        .exclude(decision=SimilarPair.Decision.REJECTED)
        .select_related("left__document", "right__document")
    )
    return {
        "rec": recommendation,
        "status": status_label(
            recommendation.latest_assessment().status if recommendation.latest_assessment() else None
        ),
        "measures": measures,
        "today": timezone.localdate(),
        "assessments": list(
            recommendation.assessments.select_related("measure", "assessed_by").prefetch_related("files")
        ),
        "indicators": indicators,
        "similar": [
            {"pair": p, "other": p.right if p.left_id == recommendation.pk else p.left} for p in pairs
        ],
        "can_follow_up": can_follow,
        "manages": manages,
        "measure_form": forms.get("measure_form")
        or MeasureForm(institutions=access.follow_up_institutions(user, recommendation)),
        "assessment_form": forms.get("assessment_form") or AssessmentForm(measures=measures),
        "assign_form": forms.get("assign_form") or AssignForm(),
        "classify_form": forms.get("classify_form") or ClassifyForm.of(recommendation),
        "indicator_form": forms.get("indicator_form") or IndicatorForm(),
        "value_form": forms.get("value_form") or IndicatorValueForm(),
        "value_indicator": forms.get("value_indicator"),
    }


def run_import(kind: str, upload, user) -> dict:
    """Run an uploaded file through the same import as the command line; the file is spooled to a
    temporary file so that large tables stream."""
    suffix = Path(upload.name).suffix.lower() or ".csv"
    with tempfile.NamedTemporaryFile(suffix=suffix) as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
        handle.flush()
        if kind == "resolution":
            text = Path(handle.name).read_bytes().decode("utf-8", errors="replace")
            outcome = actions.import_resolution(text, user)
            return {"kind": kind, "document": outcome.document, "paragraphs": outcome.paragraphs,
                    "created": outcome.created, "updated": outcome.updated, "unchanged": outcome.unchanged}  # fmt: skip
        result = actions.import_recommendations(Path(handle.name), user)
        return {"kind": kind, "created": result.created, "updated": result.updated, "unchanged": result.unchanged,
                "quarantined": result.quarantined, "problems": result.problems, "job": result.job}  # fmt: skip
