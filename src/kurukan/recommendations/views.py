"""Recommendation pages: the follow-up dashboard and list, a recommendation's page with its measures,
assessments and indicators, follow-up forms (htmx, and plain posts without JavaScript), imports, the
public page and the exports. Every read goes through accounts.access."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kurukan.accounts import access
from kurukan.audit import log as audit
from kurukan.audit.models import Action
from kurukan.evidence import storage
from kurukan.paging import page_number

from . import actions, exports, figures, presenters
from .forms import (
    AssessmentForm,
    AssignForm,
    ClassifyForm,
    FilterForm,
    ImportForm,
    IndicatorForm,
    IndicatorValueForm,
    MeasureForm,
)
from .models import AssessmentFile, Indicator, SimilarPair

PAGE = 50


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    form = FilterForm(request.GET or None)
    visible = access.visible_recommendations(request.user)
    listed = presenters.filtered(visible, form)
    page = page_number(request.GET.get("page"), PAGE)
    rows = list(figures.with_status(listed).select_related("document")[(page - 1) * PAGE : page * PAGE])
    for rec in rows:
        rec.status_text = presenters.status_label(rec.current_status)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "rows": rows,
        "count": listed.count(),
        "page": page,
        "has_next": listed.count() > page * PAGE,
        "dashboard": presenters.dashboard(visible),
        "manages": access.manages_recommendations(request.user),
        "query": query.urlencode(),
    }
    return render(request, "recommendations/index.html", context)


@require_GET
def detail(request: HttpRequest, rec_id: int) -> HttpResponse:
    recommendation = access.get_recommendation_for_view(request.user, rec_id)
    return render(request, "recommendations/detail.html", presenters.detail(request.user, recommendation))


def _follow_up_response(request: HttpRequest, recommendation, forms: dict, status: int = 200) -> HttpResponse:
    context = presenters.detail(request.user, recommendation, **forms)
    return render(request, "recommendations/detail.html", context, status=status)


@require_POST
def measure_add(request: HttpRequest, rec_id: int) -> HttpResponse:
    recommendation = access.get_recommendation_for_follow_up(request.user, rec_id)
    form = MeasureForm(request.POST, institutions=access.follow_up_institutions(request.user, recommendation))
    if not form.is_valid():
        return _follow_up_response(request, recommendation, {"measure_form": form}, status=422)
    actions.add_measure(recommendation, request.user, **form.cleaned_data)
    messages.success(request, _("Mesure enregistrée."))
    return redirect("recommendations:detail", rec_id=recommendation.pk)


@require_POST
def assessment_add(request: HttpRequest, rec_id: int) -> HttpResponse:
    recommendation = access.get_recommendation_for_follow_up(request.user, rec_id)
    form = AssessmentForm(request.POST, request.FILES, measures=recommendation.measures.all())
    if not form.is_valid():
        return _follow_up_response(request, recommendation, {"assessment_form": form}, status=422)
    actions.add_assessment(recommendation, request.user, **form.cleaned_data)
    messages.success(request, _("Évaluation enregistrée."))
    return redirect("recommendations:detail", rec_id=recommendation.pk)


@require_POST
def assign(request: HttpRequest, rec_id: int) -> HttpResponse:
    access.require_recommendation_manager(request.user)
    recommendation = access.get_recommendation_for_view(request.user, rec_id)
    form = AssignForm(request.POST)
    if not form.is_valid():
        return _follow_up_response(request, recommendation, {"assign_form": form}, status=422)
    actions.assign_institution(recommendation, form.cleaned_data["institution"], request.user)
    return redirect("recommendations:detail", rec_id=recommendation.pk)


@require_POST
def indicator_add(request: HttpRequest, rec_id: int) -> HttpResponse:
    access.require_recommendation_manager(request.user)
    recommendation = access.get_recommendation_for_view(request.user, rec_id)
    form = IndicatorForm(request.POST)
    if not form.is_valid():
        return _follow_up_response(request, recommendation, {"indicator_form": form}, status=422)
    indicator = Indicator.objects.create(recommendation=recommendation, **form.cleaned_data)
    audit.record(Action.CREATE, user=request.user, obj=indicator, recommendation=recommendation.pk)
    return redirect("recommendations:detail", rec_id=recommendation.pk)


@require_POST
def indicator_value_add(request: HttpRequest, rec_id: int, indicator_id: int) -> HttpResponse:
    recommendation = access.get_recommendation_for_follow_up(request.user, rec_id)
    indicator = get_object_or_404(Indicator, pk=indicator_id, recommendation=recommendation)
    form = IndicatorValueForm(request.POST)
    if indicator.is_computed or not form.is_valid():
        if indicator.is_computed:
            form.add_error(
                None, _("Cet indicateur est calculé à partir des violations : il ne se saisit pas.")
            )
        return _follow_up_response(
            request, recommendation, {"value_form": form, "value_indicator": indicator.pk}, 422
        )
    actions.record_indicator_value(indicator, request.user, **form.cleaned_data)
    return redirect("recommendations:detail", rec_id=recommendation.pk)


@require_GET
def file_download(request: HttpRequest, rec_id: int, file_id: int) -> FileResponse:
    recommendation = access.get_recommendation_for_view(request.user, rec_id)
    item = get_object_or_404(AssessmentFile, pk=file_id, assessment__recommendation=recommendation)
    try:
        storage.verify(item.sha256)
    except storage.EvidenceIntegrityError as exc:
        raise Http404 from exc
    audit.record(Action.EXPORT, user=request.user, obj=item, sha256=item.sha256)
    response = StreamingHttpResponse(storage.open_chunks(item.sha256), content_type=item.media_type)
    response["Content-Disposition"] = f'attachment; filename="piece-jointe-{item.pk}"'
    return response


@require_http_methods(["GET", "POST"])
def import_file(request: HttpRequest) -> HttpResponse:
    access.require_recommendation_manager(request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "recommendations/import.html", {"form": form}, status=422)
        try:
            result = presenters.run_import(form.cleaned_data["kind"], form.cleaned_data["file"], request.user)
        except ValidationError as exc:
            form.add_error("file", exc)
            return render(request, "recommendations/import.html", {"form": form}, status=422)
    from kurukan.imports.models import ImportJob

    jobs = ImportJob.objects.filter(format="recommendations", organisation__isnull=True)[:10]
    return render(request, "recommendations/import.html", {"form": form, "result": result, "jobs": jobs})


@require_GET
def similar(request: HttpRequest) -> HttpResponse:
    access.require_recommendation_manager(request.user)
    pairs = SimilarPair.objects.select_related("left__document", "right__document").filter(
        decision=request.GET.get("decision", SimilarPair.Decision.PROPOSED)
    )[:100]
    return render(request, "recommendations/similar.html", {"pairs": pairs})


@require_POST
def similar_find(request: HttpRequest) -> HttpResponse:
    access.require_recommendation_manager(request.user)
    found = actions.propose_similar()
    messages.success(request, _("%(n)d paires proposées.") % {"n": found})
    return redirect("recommendations:similar")


@require_POST
def similar_decide(request: HttpRequest, similar_id: int) -> HttpResponse:
    access.require_recommendation_manager(request.user)
    pair = get_object_or_404(SimilarPair, pk=similar_id)
    decision = request.POST.get("decision", "")
    if decision not in SimilarPair.Decision.values:
        return HttpResponse(_("Décision inconnue."), status=422)
    actions.decide_pair(pair, request.user, decision)
    if request.htmx:
        return render(request, "recommendations/_pair.html", {"pair": pair})
    return redirect("recommendations:similar")


@require_GET
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    form = FilterForm(request.GET or None)
    listed = presenters.filtered(access.visible_recommendations(request.user), form)
    audit.record(
        Action.EXPORT, user=request.user, object_type="recommendations", format=fmt, rows=listed.count()
    )
    return exports.response(fmt, figures.with_status(listed), public=False)


@login_not_required
@require_GET
def public(request: HttpRequest) -> HttpResponse:
    from .models import Recommendation

    form = FilterForm(request.GET or None)
    listed = presenters.filtered(Recommendation.objects.all(), form)
    rows = list(figures.with_status(listed).select_related("document")[:500])
    for rec in rows:
        rec.status_text = presenters.status_label(rec.current_status)
    return render(
        request,
        "recommendations/public.html",
        {
            "form": form,
            "rows": rows,
            "count": listed.count(),
            "dashboard": presenters.dashboard(listed, public=True),
        },
    )


@login_not_required
@require_GET
def public_export(request: HttpRequest, fmt: str) -> HttpResponse:
    from .models import Recommendation

    form = FilterForm(request.GET or None)
    listed = presenters.filtered(Recommendation.objects.all(), form)
    return exports.response(fmt, figures.with_status(listed), public=True)


@require_POST
def classify(request: HttpRequest, rec_id: int) -> HttpResponse:
    """Themes, affected persons, SDGs, violation types and regions of a recommendation (managers)."""
    access.require_recommendation_manager(request.user)
    recommendation = access.get_recommendation_for_view(request.user, rec_id)
    form = ClassifyForm(request.POST)
    if not form.is_valid():
        return _follow_up_response(request, recommendation, {"classify_form": form}, status=422)
    data = form.cleaned_data
    actions.classify(
        recommendation,
        request.user,
        themes=[*data["themes"], *data["affected_groups"], *data["sdgs"]],
        violation_types=list(data["violation_types"]),
        regions=list(data["regions"]),
    )
    messages.success(request, _("Classement enregistré."))
    return redirect("recommendations:detail", rec_id=recommendation.pk)
