"""Vocabularies for API clients: every term with its stable code, both labels, its parent and mappings."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema

from kurukan.api.errors import responses

from .models import Term, Vocabulary

router = Router(tags=["vocabularies"])


class VocabularyOut(Schema):
    code: str
    label: str
    url: str


class TermOut(Schema):
    code: str
    parent: str | None = Field(description="Code du terme parent.")
    label_fr: str
    label_en: str
    description_fr: str
    description_en: str
    attributes: dict[str, Any] = Field(
        description="Correspondances (HURIDOCS, MRM, GBVIMS, ACLED) et attributs."
    )
    active: bool
    is_local: bool


class VocabularyTermsOut(Schema):
    code: str
    label: str
    terms: list[TermOut]


@router.get("", response={200: list[VocabularyOut], **responses(401)}, summary="Lister les vocabulaires")
def vocabulary_list(request: HttpRequest) -> list[dict]:
    return [
        {"code": code, "label": str(label), "url": f"{request.path.rstrip('/')}/{code}"}
        for code, label in Vocabulary.choices
    ]


@router.get(
    "/{vocabulary}",
    response={200: VocabularyTermsOut, **responses(401, 404, 422)},
    summary="Termes d'un vocabulaire",
)
def vocabulary_terms(request: HttpRequest, vocabulary: str, active: bool | None = None) -> dict:
    if vocabulary not in Vocabulary.values:
        raise Http404
    terms = Term.objects.of(vocabulary).select_related("parent")
    if active is not None:
        terms = terms.filter(active=active)
    return {
        "code": vocabulary,
        "label": str(Vocabulary(vocabulary).label),
        "terms": [
            {
                "code": t.code,
                "parent": t.parent.code if t.parent else None,
                "label_fr": t.label_fr,
                "label_en": t.label_en,
                "description_fr": t.description_fr,
                "description_en": t.description_en,
                "attributes": t.attributes,
                "active": t.active,
                "is_local": t.is_local,
            }
            for t in terms
        ],
    }
