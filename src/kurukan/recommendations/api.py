"""Recommendations in the API: the same reads as the pages (accounts.access), and the public list."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from kurukan.accounts import access
from kurukan.api.errors import responses
from kurukan.api.types import Offset

from . import figures
from .models import Recommendation

router = Router(tags=["recommandations"])


class RecommendationOut(Schema):
    id: int
    symbol: str
    mechanism: str
    paragraph: str
    recommending: str
    text_en: str
    text_fr: str
    response: str
    status: str
    institutions: list[str]


class RecommendationDetailOut(RecommendationOut):
    verb: str
    addressees: list[str]
    cited_documents: list[str]
    violation_types: list[str]
    measures: list[dict]
    assessments: list[dict]


def _row(rec: Recommendation) -> dict:
    return {
        "id": rec.pk,
        "symbol": rec.document.symbol,
        "mechanism": rec.document.mechanism,
        "paragraph": rec.paragraph,
        "recommending": rec.recommending,
        "text_en": rec.text_en,
        "text_fr": rec.text_fr,
        "response": rec.response,
        "status": getattr(rec, "current_status", None) or figures.NONE,
        "institutions": [i.code for i in rec.institutions.all()],
    }


def _listed(qs, limit: int, offset: int) -> list[dict]:
    qs = figures.with_status(qs).select_related("document").prefetch_related("institutions")
    return [_row(rec) for rec in qs[offset : offset + limit]]


@router.get(
    "/", response={200: list[RecommendationOut], **responses(401, 422)}, url_name="recommendation_list"
)
def recommendation_list(request: HttpRequest, limit: int = 100, offset: Offset = 0):
    limit = max(1, min(limit, 500))
    return _listed(access.visible_recommendations(request.user), limit, offset)


@router.get(
    "/public",
    response={200: list[RecommendationOut], **responses(422)},
    auth=None,
    url_name="recommendation_public",
)
def recommendation_public(request: HttpRequest, limit: int = 100, offset: Offset = 0):
    """Every recommendation and its status, without measures or internal notes."""
    rows = _listed(Recommendation.objects.all(), max(1, min(limit, 500)), offset)
    for row in rows:
        row["institutions"] = []
    return rows


@router.get(
    "/{rec_id}",
    response={200: RecommendationDetailOut, **responses(401, 404, 422)},
    url_name="recommendation_detail",
)
def recommendation_detail(request: HttpRequest, rec_id: int):
    rec = access.get_recommendation_for_view(request.user, rec_id)
    rec = figures.with_status(Recommendation.objects.filter(pk=rec.pk)).select_related("document").get()
    return {
        **_row(rec),
        "verb": rec.verb,
        "addressees": rec.addressees,
        "cited_documents": rec.cited_documents,
        "violation_types": [t.code for t in rec.violation_types.all()],
        "measures": [
            {
                "institution": m.institution.code,
                "description": m.description,
                "due_date": m.due_date,
                "done": m.done,
            }
            for m in rec.measures.select_related("institution")
        ],
        "assessments": [
            {"assessed_on": a.assessed_on, "status": a.status, "evidence": a.evidence}
            for a in rec.assessments.all()
        ],
    }
