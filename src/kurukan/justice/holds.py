"""The legal hold that retention reads (kurukan.people.retention): records tied to an open judicial case are
never erased. A case is open until its latest stage closes it (closed without follow-up, amnesty or pardon);
a judgment keeps it open, since an appeal, a civil-party claim or a reparation may still need the record."""

from __future__ import annotations

from django.db.models import OuterRef, Q, Subquery

from .models import JudicialCase, Stage, StageKind

ENDING = {StageKind.CLOSED, StageKind.AMNESTY}


def incidents_on_hold(incident_ids: set[int]) -> set[int]:
    """Among these incidents, those a still-open case links (through its violations)."""
    if not incident_ids:
        return set()
    latest = Stage.objects.filter(case=OuterRef("pk")).order_by("-on", "-id").values("kind")[:1]
    open_cases = JudicialCase.objects.annotate(latest=Subquery(latest)).filter(
        Q(latest__isnull=True) | ~Q(latest__in=ENDING)  # a case with no stage yet is open
    )
    return set(
        open_cases.filter(violations__incident_id__in=incident_ids).values_list(
            "violations__incident_id", flat=True
        )
    )
