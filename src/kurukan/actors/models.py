"""Armed forces and groups, institutions: the organisations alleged perpetrators belong to."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from kurukan.vocabularies.models import Term


class Actor(models.Model):
    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("nom"), max_length=200)
    short_name = models.CharField(_("sigle"), max_length=60, blank=True)
    aliases = models.CharField(
        _("autres noms"), max_length=400, blank=True, help_text=_("Séparés par « | ».")
    )
    category = models.ForeignKey(
        Term,
        verbose_name=_("catégorie"),
        on_delete=models.PROTECT,
        limit_choices_to={"vocabulary": "perpetrator_category"},
    )
    notes = models.TextField(_("notes"), blank=True)
    active = models.BooleanField(_("actif"), default=True)

    class Meta:
        verbose_name = _("acteur")
        verbose_name_plural = _("acteurs")
        ordering = ["name"]

    def __str__(self) -> str:
        return (
            f"{self.name} ({self.short_name})"
            if self.short_name and self.short_name != self.name
            else self.name
        )

    @property
    def is_state_actor(self) -> bool:
        return self.category.attributes.get("state_actor") == "yes"
