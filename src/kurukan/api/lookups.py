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
        self._named_actors: dict[str, Actor | None] | None = None

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

    # Silent look-ups for the bulk writer and the importers, which report problems per row themselves.

    def find_term(self, vocabulary: str, code: str | None) -> Term | None:
        """A term by its code, or by the last part of a namespaced code ("firearm" finds "weapons.firearm")."""
        if not code:
            return None
        terms = self._vocabulary(vocabulary)
        found = terms.get(code)
        if found is None:
            found = next((t for c, t in terms.items() if c.endswith(f".{code}")), None)
            if found is not None:
                terms[code] = found
        return found

    def actor_named(self, name: str | None) -> Actor | None:
        """An active actor by code, name, short name or alias; "Name (SHORT)" and "A / B" are tried by part."""
        if not name:
            return None
        if self._named_actors is None:
            self._named_actors = {}
            for actor in Actor.objects.filter(active=True).select_related("category"):
                for key in (actor.code, actor.name, actor.short_name, *actor.aliases.split("|")):
                    if key.strip():
                        self._named_actors.setdefault(key.strip(), actor)
        if name not in self._named_actors:
            short = name.split("(")[-1].rstrip(")") if "(" in name else name
            self._named_actors[name] = self._named_actors.get(short) or self._named_actors.get(
                name.split(" / ")[0]
            )
        return self._named_actors[name]
