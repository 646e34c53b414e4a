"""Impunity indicators: what became of verified violations before the courts (resolution 52/42, op. 4, 5,
15, 16, 18).

Over the violations `counted_violations` counts as verified (the one definition of that figure), broken down
by type, region or perpetrator category: the share with no judicial case, with at least an investigation,
at least a trial, a judgment; and the median number of days from the violation (its incident's start date)
to the first judicial act and to the first judgment. A violation counts once per row; one with two
perpetrator categories is in both of their rows and once in the total. Cases are those the scope may see.
"""

from __future__ import annotations

import dataclasses
import statistics as pystats
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When

from kurukan.accounts import access

from .counting import EVERYTHING, NO_FILTERS, Filters, Scope, _format, _violation_field, counted_violations

BREAKDOWNS = ("violation_type", "region", "perpetrator_category")
# Thresholds on `justice.models.PROGRESS`: at least an investigation, at least a trial, a judgment.
INVESTIGATION, TRIAL, JUDGMENT = 2, 4, 5


@dataclass
class ImpunityRow:
    code: str | None
    verified: int = 0
    with_case: int = 0
    investigation: int = 0
    trial: int = 0
    judgment: int = 0
    days_to_first_act: float | None = None
    days_to_judgment: float | None = None

    @property
    def no_case(self) -> int:
        return self.verified - self.with_case

    def share(self, name: str) -> float:
        """The share of verified violations in this row, 0–100."""
        return 100 * getattr(self, name) / self.verified if self.verified else 0.0

    def as_dict(self) -> dict:
        out = dataclasses.asdict(self)
        out["no_case"] = self.no_case
        for name in ("no_case", "with_case", "investigation", "trial", "judgment"):
            out[f"{name}_share"] = round(self.share(name), 1)
        return out


@dataclass
class ImpunityTable:
    by: str | None
    rows: list[ImpunityRow] = field(default_factory=list)
    total: ImpunityRow = field(default_factory=lambda: ImpunityRow(None))

    def row(self, code: str | None) -> ImpunityRow:
        return next((r for r in self.rows if r.code == code), ImpunityRow(code))

    def as_dict(self) -> dict:
        return {"by": self.by, "rows": [r.as_dict() for r in self.rows], "total": self.total.as_dict()}


def _cases(scope: Scope) -> QuerySet:
    from kurukan.justice.models import JudicialCase

    if scope.kind == "user":
        return access.visible(scope.user, JudicialCase)
    return JudicialCase.objects.all()


def _annotated(filters: Filters, scope: Scope) -> QuerySet:
    from kurukan.justice.models import PROGRESS, Stage, StageKind

    violations = counted_violations(dataclasses.replace(filters, level="verified"), scope)
    cases = _cases(scope).values("pk")
    stages = Stage.objects.filter(case__violations=OuterRef("pk"), case__in=cases)
    rank = Case(*(When(kind=k, then=Value(v)) for k, v in PROGRESS.items()), output_field=IntegerField())
    return violations.annotate(
        has_case=Exists(_cases(scope).filter(violations=OuterRef("pk"))),
        reached=Subquery(stages.annotate(rank=rank).order_by("-rank").values("rank")[:1]),
        first_act=Subquery(stages.order_by("on").values("on")[:1]),
        first_judgment=Subquery(stages.filter(kind=StageKind.JUDGMENT).order_by("on").values("on")[:1]),
    )


def _median(values: list[int]) -> float | None:
    return float(pystats.median(values)) if values else None


def impunity(
    by: str | None = None, filters: Filters = NO_FILTERS, scope: Scope = EVERYTHING
) -> ImpunityTable:
    """The indicators broken down by `by` (one of BREAKDOWNS, or None for the total only)."""
    if by is not None and by not in BREAKDOWNS:
        raise ValueError(by)
    qs = _annotated(filters, scope).order_by()
    counts = {
        "verified": Count("pk", distinct=True),
        "with_case": Count("pk", filter=Q(has_case=True), distinct=True),
        "investigation": Count("pk", filter=Q(reached__gte=INVESTIGATION), distinct=True),
        "trial": Count("pk", filter=Q(reached__gte=TRIAL), distinct=True),
        "judgment": Count("pk", filter=Q(first_judgment__isnull=False), distinct=True),
    }
    table = ImpunityTable(by=by)
    total = qs.aggregate(**counts)
    table.total = ImpunityRow(None, **{k: v or 0 for k, v in total.items()})
    # The medians read only the violations that reached a court: few, even on a national registry.
    delays: dict[str | None, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
    selected = {"f": _violation_field(by, "")} if by else {}
    judged = qs.filter(has_case=True).annotate(**selected)
    for row in judged.values(
        "pk", "incident__start_date", "first_act", "first_judgment", *selected
    ).distinct():
        for key in {_format(by, row["f"]) if by else None, "__total__"}:
            acts, judgments = delays[key]
            if row["first_act"]:
                acts.append((row["first_act"] - row["incident__start_date"]).days)
            if row["first_judgment"]:
                judgments.append((row["first_judgment"] - row["incident__start_date"]).days)
    table.total.days_to_first_act = _median(delays["__total__"][0])
    table.total.days_to_judgment = _median(delays["__total__"][1])
    if by:
        grouped = qs.annotate(f=_violation_field(by, "")).values("f").annotate(**counts)
        for values in grouped:
            code = _format(by, values.pop("f"))
            row = ImpunityRow(code, **values)
            row.days_to_first_act = _median(delays[code][0]) if code in delays else None
            row.days_to_judgment = _median(delays[code][1]) if code in delays else None
            table.rows.append(row)
        table.rows.sort(key=lambda r: (r.code is None, str(r.code)))
    return table
