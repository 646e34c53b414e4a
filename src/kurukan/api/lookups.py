"""Stable codes in, primary keys out: the API speaks vocabulary codes, actor codes and P-codes; the forms
behind it take primary keys. One query per vocabulary per request; unknown codes become field errors."""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from kurukan.actors.models import Actor
from kurukan.vocabularies.models import Term

from .errors import field_error

Place = TypeVar("Place", bound=Model)


class Lookup:
    def __init__(self) -> None:
        self.errors: list[dict[str, str]] = []
        self._terms: dict[str, dict[str, Term]] = {}
        self._actors: dict[str, int] | None = None

    def _vocabulary(self, vocabulary: str) -> dict[str, Term]:
        if vocabulary not in self._terms:
            self._terms[vocabulary] = {t.code: t for t in Term.objects.of(vocabulary).active()}
        return self._terms[vocabulary]

    def term(self, vocabulary: str, code: str | None, field: str, *, leaves_only: bool = False) -> int | None:
        if not code:
            return None
        found = self._vocabulary(vocabulary).get(code)
        if found is None:
            self.errors.append(
                field_error(
                    field,
                    _(
                        "« %(code)s » n'est pas un code actif du vocabulaire %(vocabulary)s : "
                        "voyez la liste dans /api/vocabularies/%(vocabulary)s."
                    )
                    % {"code": code, "vocabulary": vocabulary},
                )
            )
            return None
        if leaves_only and found.parent_id is None:
            self.errors.append(
                field_error(
                    field,
                    _(
                        "« %(code)s » est une catégorie : "
                        "choisissez l'un de ses types précis (code « %(code)s.… »)."
                    )
                    % {"code": code},
                )
            )
            return None
        return found.pk

    def terms(self, vocabulary: str, codes: list[str], field: str) -> list[int]:
        pks = [self.term(vocabulary, code, f"{field}.{i}") for i, code in enumerate(codes)]
        return [pk for pk in pks if pk is not None]

    def actor(self, code: str | None, field: str) -> int | None:
        if not code:
            return None
        if self._actors is None:
            self._actors = dict(Actor.objects.filter(active=True).values_list("code", "pk"))
        pk = self._actors.get(code)
        if pk is None:
            self.errors.append(
                field_error(
                    field,
                    _(
                        "« %(code)s » n'est pas le code d'un acteur actif : "
                        "vérifiez-le, ou indiquez seulement la catégorie."
                    )
                    % {"code": code},
                )
            )
        return pk

    def pcode(self, places: QuerySet[Place], pcode: str, field: str) -> Place | None:
        found = places.filter(pcode=pcode).first()
        if found is None:
            self.errors.append(
                field_error(
                    field,
                    _(
                        "Aucun lieu en vigueur de ce niveau n'a le P-code « %(pcode)s » : "
                        "cherchez-le avec /api/places/search."
                    )
                    % {"pcode": pcode},
                )
            )
        return found
