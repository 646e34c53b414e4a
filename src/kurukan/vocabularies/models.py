"""Controlled, hierarchical, bilingual vocabularies with stable codes.

Terms come from versioned CSV files (vocabularies/data/) loaded by migration; administrators add local
terms and deactivate old ones. A term is never deleted or renumbered: records and exports point at codes.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from . import choices


class Vocabulary(models.TextChoices):
    VIOLATION_TYPE = "violation_type", _("Types de violations et d'atteintes")
    METHOD = "method", _("Méthodes et moyens")
    PERPETRATOR_CATEGORY = "perpetrator_category", _("Catégories d'auteurs présumés")
    VICTIM_CATEGORY = "victim_category", _("Catégories de victimes")
    VICTIM_STATUS = "victim_status", _("Situation de la victime après les faits")
    VERIFICATION_STATUS = "verification_status", _("Statuts de vérification")
    STANDARD_OF_PROOF = "standard_of_proof", _("Critères de preuve")
    RELIABILITY = "reliability", _("Fiabilité des sources")
    DATE_PRECISION = "date_precision", _("Précision des dates")
    INVOLVEMENT = "involvement", _("Degré d'implication")
    SOURCE_KIND = "source_kind", _("Types de sources")
    SOURCE_MATERIAL = "source_material", _("Types de matériel")
    LANGUAGE = "language", _("Langues")
    AGE_BAND = "age_band", _("Tranches d'âge")
    SCHOOL_LEVEL = "school_level", _("Niveaux d'enseignement")
    SCHOOL_MANAGEMENT = "school_management", _("Statuts des écoles")
    SCHOOL_STATUS = "school_status", _("États des écoles")
    CLOSURE_REASON = "closure_reason", _("Motifs de fermeture")
    JURISDICTION = "jurisdiction", _("Juridictions")


class TermQuerySet(models.QuerySet["Term"]):
    def of(self, vocabulary: str) -> TermQuerySet:
        return self.filter(vocabulary=vocabulary)

    def active(self) -> TermQuerySet:
        return self.filter(active=True)

    def leaves(self) -> TermQuerySet:
        return self.filter(parent__isnull=False)

    def below(self, term: Term | int) -> list[int]:
        """The term and every term under it, at any depth, as ids (the one rule for "of this type").

        Ids, not a join: `type_id IN (…)` uses the index on the records. The vocabularies hold a few hundred
        terms at most: the tree of every term (active or not) is read once per process and kept with the
        choice lists (choices.py), and the walk is done here.
        """
        tree = choices.kept("tree", lambda: Term.objects.values_list("pk", "parent_id", "vocabulary"))
        root_id = term if isinstance(term, int) else term.pk
        vocabulary = next((v for pk, _parent, v in tree if pk == root_id), None)
        children: dict[int, list[int]] = {}
        for pk, parent_id, of in tree:
            if of == vocabulary:
                children.setdefault(parent_id, []).append(pk)
        found, frontier = [root_id], [root_id]
        while frontier:  # `found` guards against a corrupted (cyclic) tree
            frontier = [child for pk in frontier for child in children.get(pk, []) if child not in found]
            found += frontier
        return found


class Term(models.Model):
    vocabulary = models.CharField(_("vocabulaire"), max_length=40, choices=Vocabulary.choices)
    code = models.CharField(_("code"), max_length=80)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("terme parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    label_fr = models.CharField(_("libellé (français)"), max_length=250)
    label_en = models.CharField(_("libellé (anglais)"), max_length=250)
    description_fr = models.TextField(_("description (français)"), blank=True)
    description_en = models.TextField(_("description (anglais)"), blank=True)
    attributes = models.JSONField(_("correspondances et attributs"), default=dict, blank=True)
    active = models.BooleanField(_("actif"), default=True)
    is_local = models.BooleanField(
        _("terme local"), default=False, help_text=_("Ajouté par un administrateur.")
    )
    sort_order = models.PositiveIntegerField(_("ordre"), default=0)

    objects = TermQuerySet.as_manager()

    class Meta:
        verbose_name = _("terme")
        verbose_name_plural = _("termes")
        constraints = [
            models.UniqueConstraint(fields=["vocabulary", "code"], name="unique_code_per_vocabulary")
        ]
        ordering = ["vocabulary", "sort_order", "code"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.label_en if (get_language() or "fr").startswith("en") else self.label_fr

    @property
    def description(self) -> str:
        return self.description_en if (get_language() or "fr").startswith("en") else self.description_fr

    def delete(self, *args, **kwargs):  # type: ignore[override]
        raise models.ProtectedError(_("Un terme ne se supprime pas : désactivez-le."), {self})


class ChoicesVersion(models.Model):
    """One row: a number that moves whenever terms or administrative units change (see choices.py)."""

    number = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("version des listes de choix")
        verbose_name_plural = _("versions des listes de choix")

    def __str__(self) -> str:
        return str(self.number)
