"""Estimate pages: request an estimate, watch it run (htmx polling), read and publish the result; the
public page of published estimates."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kurukan.people.public_text import may_override

from . import actions, presenters
from .access import can_publish, get_run_for_publication, get_run_for_view, require_estimator, visible_runs
from .forms import EstimateForm
from .models import EstimateRun
from .tasks import enqueue

RECENT = 20


def _recent(user) -> dict:
    runs = list(visible_runs(user).select_related("requested_by")[:RECENT])
    rows = [{"run": run, "summary": presenters.summary(run)} for run in runs]
    return {"runs": rows, "polling": any(run.is_active for run in runs)}


@require_http_methods(["GET", "POST"])
def index(request: HttpRequest) -> HttpResponse:
    require_estimator(request.user)
    form = EstimateForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            run = actions.request_estimate(request.user, form.parameters())
            enqueue(run)  # request_estimate has committed: a worker can read the run
            return redirect("estimates:detail", run_id=run.pk)
        return render(request, "estimates/index.html", {"form": form, **_recent(request.user)}, status=422)
    return render(request, "estimates/index.html", {"form": form, **_recent(request.user)})


@require_GET
def runs(request: HttpRequest) -> HttpResponse:
    """The list of recent estimates, polled while one is running."""
    require_estimator(request.user)
    return render(request, "estimates/_runs.html", _recent(request.user))


def _detail_context(request: HttpRequest, run: EstimateRun) -> dict:
    return {
        "run": run,
        "summary": presenters.summary(run),
        "result": presenters.result_rows(run) if run.result else None,
        "can_publish": can_publish(request.user) and run.is_publishable,
        "can_manage": can_publish(request.user),
        "may_override": may_override(request.user),
    }


@require_GET
def detail(request: HttpRequest, run_id: int) -> HttpResponse:
    run = get_run_for_view(request.user, run_id)
    return render(request, "estimates/detail.html", _detail_context(request, run))


@require_GET
def progress(request: HttpRequest, run_id: int) -> HttpResponse:
    """The progress panel, polled every 2 s while the estimate runs; reloads the page when it ends."""
    run = get_run_for_view(request.user, run_id)
    response = render(request, "estimates/_progress.html", {"run": run})
    if not run.is_active:
        response["HX-Refresh"] = "true"
    return response


@require_POST
def publish(request: HttpRequest, run_id: int) -> HttpResponse:
    run = get_run_for_publication(request.user, run_id)
    try:
        actions.publish_estimate(run, request.user, request.POST.get("override_reason", ""))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Estimation publiée : elle figure sur la page publique des estimations."))
    return redirect("estimates:detail", run_id=run.pk)


@require_POST
def withdraw(request: HttpRequest, run_id: int) -> HttpResponse:
    run = get_run_for_publication(request.user, run_id)
    actions.withdraw_estimate(run, request.user)
    messages.success(request, _("Estimation retirée de la page publique."))
    return redirect("estimates:detail", run_id=run.pk)


@login_not_required
@require_GET
def public(request: HttpRequest) -> HttpResponse:
    runs = EstimateRun.objects.published().order_by("-published_at", "-id")
    return render(
        request,
        "estimates/public.html",
        {
            "entries": [presenters.public_entry(run) for run in runs],
            "minimum": settings.PUBLIC_THRESHOLD_SENSITIVE,
        },
    )
