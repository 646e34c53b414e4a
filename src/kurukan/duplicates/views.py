"""The review queue: start a search, watch its progress, decide on pairs, undo merges (htmx, no reload)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from kurukan.http import HtmxHttpRequest

from . import actions, presenters
from .access import (
    can_merge,
    get_merge_for_review,
    get_pair_for_review,
    require_reviewer,
    visible_merges,
    visible_pairs,
)
from .models import DEFAULT_THRESHOLD, Decision, Kind, LinkageRun
from .tasks import enqueue_run

PAGE_SIZE = 20
RECENT_MERGES = 10


class RunForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Chercher les doublons de"),
        choices=[("both", gettext_lazy("Personnes et incidents")), *Kind.choices],
        initial="both",
    )
    threshold = forms.FloatField(
        label=gettext_lazy("Probabilité minimale proposée"),
        min_value=0.05,
        max_value=0.99,
        initial=DEFAULT_THRESHOLD,
        help_text=gettext_lazy(
            "Entre 0,05 et 0,99 ; plus elle est basse, plus la liste à examiner est longue."
        ),
    )


class QueueFilter(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Type"), choices=Kind.choices, required=False)
    decision = forms.ChoiceField(
        label=gettext_lazy("Décision"),
        choices=[(Decision.PENDING, Decision.PENDING.label), (Decision.DEFERRED, Decision.DEFERRED.label)],
        required=False,
    )


def _queue_context(request: HttpRequest) -> dict:
    filters = QueueFilter(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    kind = data.get("kind") or Kind.PEOPLE
    decision = data.get("decision") or Decision.PENDING
    pairs = list(
        visible_pairs(request.user, kind)
        .filter(decision=decision)
        .order_by("-probability", "id")[: PAGE_SIZE * 2]
    )
    merges = list(visible_merges(request.user, kind).select_related("merged_by")[:RECENT_MERGES])
    return {
        "filters": filters,
        "kind": kind,
        "decision": decision,
        "cards": presenters.pair_cards(request.user, pairs)[:PAGE_SIZE],
        "pending": visible_pairs(request.user, kind).filter(decision=Decision.PENDING).count(),
        "merges": presenters.merge_rows(merges),
    }


def _runs(user) -> dict:
    """The user's latest runs (one per kind when both were started together), and whether to poll."""
    runs = list(LinkageRun.objects.filter(requested_by=user)[:2])
    for run in runs:
        run.changed = presenters.changed_comparisons(run)
    return {"runs": runs, "polling": any(run.is_active for run in runs)}


@require_GET
def queue(request: HtmxHttpRequest) -> HttpResponse:
    require_reviewer(request.user)
    context = _queue_context(request)
    if request.htmx and request.htmx.target == "queue":
        return render(request, "duplicates/_queue.html", context)
    context.update({"run_form": RunForm(), **_runs(request.user)})
    return render(request, "duplicates/queue.html", context)


@require_POST
def run_start(request: HtmxHttpRequest) -> HttpResponse:
    from .jobs import start_run  # pandas and Splink load only when a search starts

    require_reviewer(request.user)
    form = RunForm(request.POST)
    if not form.is_valid():
        context = _queue_context(request)
        context.update({"run_form": form, **_runs(request.user)})
        return render(request, "duplicates/queue.html", context, status=422)
    kind = form.cleaned_data["kind"]
    kinds = [Kind.PEOPLE, Kind.INCIDENTS] if kind == "both" else [kind]
    for each in kinds:
        enqueue_run(start_run(each, request.user, form.cleaned_data["threshold"]))
    if request.htmx:
        return render(request, "duplicates/_runs.html", _runs(request.user))
    return redirect("duplicates:queue")


@require_GET
def run_status(request: HttpRequest) -> HttpResponse:
    """The progress panel, polled every 2 s while a run is going; tells the queue to reload when done."""
    require_reviewer(request.user)
    context = _runs(request.user)
    response = render(request, "duplicates/_runs.html", context)
    if request.GET.get("polling") and not context["polling"]:
        response["HX-Trigger"] = "duplicates-run-finished"
    return response


def _card(request: HttpRequest, pair_id: int, **extra) -> HttpResponse:
    pair = get_pair_for_review(request.user, pair_id)
    cards = presenters.pair_cards(request.user, [pair])
    context = {"card": cards[0] if cards else None, **extra}
    return render(request, "duplicates/_pair.html", context, status=422 if extra.get("error") else 200)


@require_POST
def decide(request: HtmxHttpRequest, pair_id: int, decision: str) -> HttpResponse:
    pair = get_pair_for_review(request.user, pair_id)
    merge = None
    try:
        if decision == "confirm":
            if not can_merge(request.user, pair):
                raise PermissionDenied
            merge = actions.confirm_pair(pair, request.user)
        elif decision == "reject":
            actions.reject_pair(pair, request.user)
        elif decision == "defer":
            actions.defer_pair(pair, request.user)
        else:
            return HttpResponse(status=404)
    except ValidationError as exc:
        return _card(request, pair_id, error=" ".join(exc.messages))
    if not request.htmx:
        return redirect("duplicates:queue")
    return _card(request, pair_id, merge=merge, decided=True)


@require_POST
def undo(request: HtmxHttpRequest, merge_id: int) -> HttpResponse:
    merge = get_merge_for_review(request.user, merge_id)
    try:
        actions.undo_merge(merge, request.user)
    except ValidationError as exc:
        return render(request, "duplicates/_undone.html", {"error": " ".join(exc.messages)}, status=422)
    if not request.htmx:
        return redirect("duplicates:queue")
    return render(
        request, "duplicates/_undone.html", {"message": _("Fusion annulée : la paire revient dans la file.")}
    )
