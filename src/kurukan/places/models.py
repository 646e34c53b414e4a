"""Where things happened: versioned admin units (region, cercle, commune) and the gazetteer of settlements.

Admin units are data with validity dates: the OCHA COD-AB 2015 set predates the Ménaka and Taoudénit
regions (2016) and the 2023 reform, so a newer boundary set is loaded beside it, not over it, and a
crosswalk says how units of one set map to the other.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from kurukan.text import fold


class Level(models.IntegerChoices):
    COUNTRY = 0, _("pays")
    REGION = 1, _("région")
    CERCLE = 2, _("cercle")
    COMMUNE = 3, _("commune")


class BoundarySet(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("nom"), max_length=200)
    valid_from = models.DateField(_("valide depuis"))
    valid_to = models.DateField(_("valide jusqu'au"), null=True, blank=True)
    attribution = models.TextField(_("attribution"), blank=True)
    is_current = models.BooleanField(_("jeu en vigueur"), default=False)

    class Meta:
        verbose_name = _("jeu de limites administratives")
        verbose_name_plural = _("jeux de limites administratives")

    def __str__(self) -> str:
        return self.name


class AdminUnitQuerySet(models.QuerySet["AdminUnit"]):
    def current(self) -> AdminUnitQuerySet:
        return self.filter(boundary_set__is_current=True)

    def regions(self) -> AdminUnitQuerySet:
        return self.filter(level=Level.REGION)

    def search(self, text: str) -> AdminUnitQuerySet:
        return self.filter(name_search__contains=fold(text))


class AdminUnit(models.Model):
    boundary_set = models.ForeignKey(BoundarySet, on_delete=models.PROTECT, related_name="units")
    level = models.PositiveSmallIntegerField(_("niveau"), choices=Level.choices)
    pcode = models.CharField(_("P-code"), max_length=20)
    name = models.CharField(_("nom"), max_length=120)
    source_name = models.CharField(_("nom dans la source"), max_length=120, blank=True)
    name_search = models.CharField(max_length=120, editable=False, db_index=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    region = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("région")
    )
    iso_code = models.CharField(_("code ISO 3166-2"), max_length=10, blank=True)
    valid_from = models.DateField(_("valide depuis"))
    valid_to = models.DateField(_("valide jusqu'au"), null=True, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    area_km2 = models.FloatField(null=True, blank=True)
    geometry = models.JSONField(_("géométrie (GeoJSON)"), null=True, blank=True)

    objects = AdminUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unité administrative")
        verbose_name_plural = _("unités administratives")
        constraints = [models.UniqueConstraint(fields=["boundary_set", "pcode"], name="unique_pcode_per_set")]
        indexes = [models.Index(fields=["level", "name_search"])]
        ordering = ["level", "name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.name_search = fold(self.name)
        super().save(*args, **kwargs)

    def is_within(self, other: AdminUnit) -> bool:
        unit: AdminUnit | None = self
        while unit is not None:
            if unit.pk == other.pk:
                return True
            unit = unit.parent
        return False


class Settlement(models.Model):
    pcode = models.CharField(_("P-code"), max_length=20, unique=True)
    name = models.CharField(_("nom"), max_length=150)
    alternate_names = models.CharField(_("autres noms"), max_length=250, blank=True)
    name_search = models.CharField(max_length=400, editable=False, db_index=True)
    commune = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="settlements")
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)

    class Meta:
        verbose_name = _("localité")
        verbose_name_plural = _("localités")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.name_search = fold(f"{self.name} {self.alternate_names}")
        super().save(*args, **kwargs)


class Crosswalk(models.Model):
    class Relation(models.TextChoices):
        SAME = "same", _("identique")
        PART_OF = "part_of", _("partie de")
        SPLIT = "split", _("divisée")

    from_unit = models.ForeignKey(AdminUnit, on_delete=models.CASCADE, related_name="crosswalk_out")
    to_code = models.CharField(_("code de destination"), max_length=20)
    to_name = models.CharField(_("nom de destination"), max_length=120)
    relation = models.CharField(max_length=10, choices=Relation.choices)
    note = models.TextField(blank=True)

    class Meta:
        verbose_name = _("correspondance entre découpages")
        verbose_name_plural = _("correspondances entre découpages")

    def __str__(self) -> str:
        return f"{self.from_unit_id} → {self.to_code} ({self.relation})"


class Population(models.Model):
    """Inhabitants of an admin unit in a year, loaded from a file (`kurukan places population FILE.csv`) so
    that maps can show rates per 100,000. None is shipped: a census or projection is the user's to choose."""

    unit = models.ForeignKey(AdminUnit, on_delete=models.CASCADE, related_name="populations")
    year = models.PositiveSmallIntegerField(_("année"))
    population = models.PositiveBigIntegerField(_("population"))

    class Meta:
        verbose_name = _("population")
        verbose_name_plural = _("populations")
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="unique_population_per_year")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.year}: {self.population}"
