"""Schools and their dated status history: the register of schools closed by threats or insecurity.

A school is reference data shared by every organisation (not confidential). Each entry of its history is an
observation of the organisation that recorded it: from a date on, the school is open, closed, occupied,
damaged… Whether a school was closed on a date comes from the history (the entry in force that day), never
from a current-status field.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kurukan.accounts.models import Organisation
from kurukan.actors.models import Actor
from kurukan.incidents.models import DatePrecision
from kurukan.places.models import AdminUnit, Settlement
from kurukan.text import fold
from kurukan.vocabularies.models import Term


class SchoolQuerySet(models.QuerySet["School"]):
    def in_place(self, unit: AdminUnit) -> SchoolQuerySet:
        if not unit.level:
            return self
        return self.filter(**{("region", "region", "cercle", "commune")[unit.level]: unit})

    def search(self, text: str) -> SchoolQuerySet:
        folded = fold(text)
        return self.filter(Q(name_search__contains=folded) | Q(code__iexact=text.strip()))

    def closed_on(self, day: dt.date) -> SchoolQuerySet:
        return self.filter(pk__in=StatusChange.objects.in_force_on(day).closing().values("school_id"))


class School(models.Model):
    code = models.CharField(
        _("code national de l'école"),
        max_length=40,
        unique=True,
        help_text=_("Le code du ministère : la clé qui évite les doublons quand une liste est réimportée."),
    )
    name = models.CharField(_("nom"), max_length=200)
    name_search = models.CharField(max_length=200, editable=False, db_index=True)
    level = models.ForeignKey(
        Term,
        verbose_name=_("niveau"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"vocabulary": "school_level"},
    )
    management = models.ForeignKey(
        Term,
        verbose_name=_("statut"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"vocabulary": "school_management"},
    )
    # Region and cercle are copied from the commune so that counts by region or cercle need no join.
    region = models.ForeignKey(
        AdminUnit, verbose_name=_("région"), on_delete=models.PROTECT, related_name="+"
    )
    cercle = models.ForeignKey(
        AdminUnit, verbose_name=_("cercle"), on_delete=models.PROTECT, related_name="+"
    )
    commune = models.ForeignKey(
        AdminUnit, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+"
    )
    settlement = models.ForeignKey(
        Settlement,
        verbose_name=_("localité"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    pupils_girls = models.PositiveIntegerField(_("élèves filles"), default=0)
    pupils_boys = models.PositiveIntegerField(_("élèves garçons"), default=0)
    teachers_women = models.PositiveIntegerField(_("enseignantes"), default=0)
    teachers_men = models.PositiveIntegerField(_("enseignants"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("créée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["name_search"])

    objects = SchoolQuerySet.as_manager()

    class Meta:
        verbose_name = _("école")
        verbose_name_plural = _("écoles")
        ordering = ["name", "code"]
        indexes = [
            models.Index(fields=["region", "name"], name="school_region_name"),
            models.Index(fields=["cercle", "name"], name="school_cercle_name"),
            models.Index(fields=["commune", "name"], name="school_commune_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def save(self, *args, **kwargs) -> None:
        self.name_search = fold(self.name)
        if self.commune_id:
            self.cercle_id = self.commune.parent_id
            self.region_id = self.commune.region_id
        super().save(*args, **kwargs)

    @property
    def pupils(self) -> int:
        return self.pupils_girls + self.pupils_boys

    @property
    def teachers(self) -> int:
        return self.teachers_women + self.teachers_men


class StatusChangeQuerySet(models.QuerySet["StatusChange"]):
    def decisive(self) -> StatusChangeQuerySet:
        """Entries that say whether the school runs (a "damaged" entry does not)."""
        return self.filter(closed__isnull=False)

    def closing(self) -> StatusChangeQuerySet:
        return self.filter(closed=True)

    def in_force_on(self, day: dt.date) -> StatusChangeQuerySet:
        """The decisive entry of each school on `day`: begun by then, not yet followed by the next one."""
        return self.decisive().filter(Q(ends_on__isnull=True) | Q(ends_on__gt=day), starts_on__lte=day)

    def chronological(self) -> StatusChangeQuerySet:
        return self.order_by("starts_on", "id")


class StatusChange(models.Model):
    """From `starts_on`, the school is in `status`; the entry holds until the school's next decisive entry."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="status_changes")
    status = models.ForeignKey(
        Term,
        verbose_name=_("état"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"vocabulary": "school_status"},
    )
    reason = models.ForeignKey(
        Term,
        verbose_name=_("motif"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"vocabulary": "closure_reason"},
    )
    starts_on = models.DateField(_("date"))
    date_precision = models.CharField(
        _("précision de la date"), max_length=10, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    occupied_by = models.ForeignKey(
        Actor,
        verbose_name=_("occupée par (acteur)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    occupier_category = models.ForeignKey(
        Term,
        verbose_name=_("occupée par (catégorie)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"vocabulary": "perpetrator_category"},
    )
    source = models.CharField(
        _("source"),
        max_length=250,
        blank=True,
        help_text=_("D'où vient l'information (liste du cluster Éducation, mission, rapport…), sans nom."),
    )
    pupils_affected = models.PositiveIntegerField(_("élèves privés d'école"), null=True, blank=True)
    teachers_affected = models.PositiveIntegerField(_("enseignants touchés"), null=True, blank=True)
    # Copied from the status term's `closed` attribute: True closes the school, False opens it, None (damaged)
    # leaves it as the previous entry said.
    closed = models.BooleanField(null=True, editable=False)
    # The start of the school's next decisive entry (None while in force): "closed on D" is then a range
    # test on one row per entry instead of a search for each school's latest entry. actions keeps it exact.
    ends_on = models.DateField(null=True, blank=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saisie par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("saisie le"), auto_now_add=True)
    history = HistoricalRecords()

    objects = StatusChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("changement d'état d'une école")
        verbose_name_plural = _("changements d'état des écoles")
        ordering = ["school", "starts_on", "id"]
        indexes = [
            models.Index(fields=["school", "starts_on"], name="school_status_school_date"),
            # "Closed on D" reads this index only (covering: no entry row is fetched), then each school by its
            # key. Not a partial index on closed: Django sends `closed = %s` as a parameter, and SQLite uses a
            # partial index only when it can prove the condition when the statement is prepared.
            models.Index(
                fields=["closed", "starts_on", "ends_on", "school", "pupils_affected", "teachers_affected"],
                name="school_status_in_force",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.status.label_fr} {self.starts_on:%Y-%m-%d}"
