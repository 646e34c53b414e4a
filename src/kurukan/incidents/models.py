"""The spine of Kurukan: who did what to whom, where and when (HURIDOCS events model with MRM layers).

Incident (event) → Violation (act, with its own verification) → Victim (a person) / GroupVictims (counts)
/ Perpetrator (actor and/or person); Source (information) hangs on the incident.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kurukan.accounts.models import OwnedRecord
from kurukan.actors.models import Actor
from kurukan.fields import EncryptedTextField
from kurukan.ids import new_public_id
from kurukan.people.models import Person
from kurukan.places.models import AdminUnit, Settlement
from kurukan.versions import HistoricalRecords
from kurukan.vocabularies.models import Term


class DatePrecision(models.TextChoices):
    DAY = "day", _("Jour connu")
    WEEK = "week", _("Semaine connue")
    MONTH = "month", _("Mois connu")
    YEAR = "year", _("Année connue")
    UNKNOWN = "unknown", _("Date inconnue")


class GeoPrecision(models.IntegerChoices):
    POINT = 1, _("Localité ou point exact")
    NEAR = 2, _("Près de la localité, ou commune")
    AREA = 3, _("Cercle ou région seulement")


class IncidentStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    SUBMITTED = "submitted", _("Soumis")
    UNDER_VERIFICATION = "under_verification", _("En vérification")
    CLOSED = "closed", _("Clôturé")


class VerificationStatus(models.TextChoices):
    REPORTED = "reported", _("Signalée")
    PENDING = "pending", _("En cours de vérification")
    VERIFIED = "verified", _("Vérifiée")
    NOT_VERIFIED = "not_verified", _("Non vérifiée")
    DID_NOT_OCCUR = "did_not_occur", _("Les faits n'ont pas eu lieu")

    @classmethod
    def final(cls) -> set[str]:
        return {cls.VERIFIED, cls.NOT_VERIFIED, cls.DID_NOT_OCCUR}


class CountedBy(models.TextChoices):
    VICTIM = "victim", _("par victime")
    INCIDENT = "incident", _("par incident")


def _incident_id() -> str:
    return new_public_id(settings.PUBLIC_ID_PREFIX)


def period_parts(start: dt.date | None, end: dt.date | None) -> tuple[Q, ...]:
    """Incidents overlapping a period, as disjoint conditions in list order (latest start first).

    An incident overlaps [start, end] when it began by `end` and either began on or after `start` or was still
    going on at `start`. Written as one OR, no index bounds the scan from below: a list of Mopti in 2022 walked
    every earlier Mopti incident too (229–708 ms at a million). Split, the first part is a plain range on
    start_date; the second, the incidents begun before `start` and lasting into it, starts before every row of
    the first, so a list reads the parts one after the other. The second part's `end_date > start_date` is
    implied, but written out so the partial index on multi-day incidents serves it.
    """
    if start is None:
        return (Q(start_date__lte=end),) if end else (Q(),)
    # "Or no end before the start": an end date earlier than the start (the form refuses one; imports may
    # not) keeps the incident out, exactly as the single OR did.
    within = Q(start_date__gte=start) & (Q(start_date__lte=end) if end else Q())
    within &= Q(end_date__isnull=True) | Q(end_date__gte=start)
    ongoing = Q(start_date__lt=start, end_date__gte=start, end_date__gt=models.F("start_date"))
    return within, ongoing


def place_condition(unit: AdminUnit, prefix: str = "") -> Q:
    """Incidents in this unit (a region, cercle or commune; the country: all), read through `prefix`."""
    if not unit.level:
        return Q()
    return Q(**{prefix + ("region", "region", "cercle", "commune")[unit.level]: unit})


class IncidentQuerySet(models.QuerySet["Incident"]):
    def in_period(self, start: dt.date | None, end: dt.date | None) -> IncidentQuerySet:
        condition = Q()
        for part in period_parts(start, end):
            condition |= part
        return self.filter(condition)

    def in_place(self, unit: AdminUnit) -> IncidentQuerySet:
        return self.filter(place_condition(unit))

    # The counting rules (kurukan/statistics/rules.py says them in full) start from these three.
    def reported(self) -> IncidentQuerySet:
        """Information received: every incident but drafts, which are their author's until submitted."""
        return self.exclude(status=IncidentStatus.DRAFT)

    def counted(self) -> IncidentQuerySet:
        """Reported and not merged into another: a merged duplicate is counted through its survivor."""
        return self.reported().filter(merged_into__isnull=True)

    def of_type(self, term: Term) -> IncidentQuerySet:
        """Incidents holding a violation of this type or of any type below it (a subquery: no repeats)."""
        return self.filter(pk__in=Violation.objects.of_type(term).values("incident_id"))


class Incident(OwnedRecord):
    public_id = models.CharField(
        _("identifiant"), max_length=24, unique=True, default=_incident_id, editable=False
    )
    title = models.CharField(_("titre"), max_length=250)
    narrative = EncryptedTextField(_("récit détaillé (protégé)"), blank=True)
    public_summary = models.TextField(_("résumé public (sans nom ni détail identifiant)"), blank=True)
    start_date = models.DateField(_("date de début"), db_index=True)
    end_date = models.DateField(_("date de fin"), null=True, blank=True)
    date_precision = models.CharField(
        _("précision de la date"), max_length=10, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    date_estimated = models.BooleanField(_("date estimée"), default=False)
    region = models.ForeignKey(
        AdminUnit, verbose_name=_("région"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cercle = models.ForeignKey(
        AdminUnit, verbose_name=_("cercle"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    commune = models.ForeignKey(
        AdminUnit,
        verbose_name=_("commune"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
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
    geo_precision = models.PositiveSmallIntegerField(
        _("précision géographique"), choices=GeoPrecision.choices, default=GeoPrecision.NEAR
    )
    status = models.CharField(
        _("statut"),
        max_length=20,
        choices=IncidentStatus.choices,
        default=IncidentStatus.DRAFT,
        db_index=True,
    )
    external_ids = models.JSONField(_("identifiants externes"), default=dict, blank=True)
    # Set when a reviewer confirms this incident duplicates another: it stays, with its sources, but
    # lists and statistics count the survivor only. Undoing a merge clears it.
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("fusionné dans"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_duplicates",
        # No plain index: the column is NULL on almost every row, and planners given such an index have
        # chosen it for whole-table lists (a 1 M-row sort). The partial index below serves the lookups.
        db_index=False,
    )
    submitted_at = models.DateTimeField(_("soumis le"), null=True, blank=True)
    # Kept up to date by actions.refresh_counts so lists and statistics need no per-row aggregation.
    violation_count = models.PositiveIntegerField(default=0, editable=False)
    # Which violation types, perpetrator categories and verification statuses the incident holds, one bit
    # each (incidents/facets.py): list filters test a bit instead of running a subquery per row.
    type_bits = models.BigIntegerField(default=0, editable=False)
    perpetrator_bits = models.BigIntegerField(default=0, editable=False)
    verification_bits = models.BigIntegerField(default=0, editable=False)
    victim_count = models.PositiveIntegerField(default=0, editable=False)
    # Need-to-know (kurukan.accounts.access.cleared_for): on a sexual-violence record or one with a child
    # victim, the users besides its author whom the coordinator names to see its identities.
    need_to_know = models.ManyToManyField(
        "accounts.User", verbose_name=_("personnes habilitées"), blank=True, related_name="+"
    )
    history = HistoricalRecords(
        excluded_fields=[
            "violation_count",
            "victim_count",
            "type_bits",
            "perpetrator_bits",
            "verification_bits",
        ]
    )

    objects = IncidentQuerySet.as_manager()

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-start_date", "-id"]
        indexes = [
            models.Index(fields=["organisation", "-start_date", "-id"], name="incident_org_date"),
            # Most readers see their organisation's records: a region list of one organisation, in date order,
            # without intersecting two large indexes (PostgreSQL: Mopti 2022 + JNIM + verified 217 → 145 ms).
            models.Index(
                fields=["organisation", "region", "-start_date", "-id"], name="incident_org_region_date"
            ),
            models.Index(fields=["region", "-start_date"], name="incident_region_date"),
            models.Index(fields=["cercle", "-start_date"], name="incident_cercle_date"),
            models.Index(fields=["commune", "-start_date"], name="incident_commune_date"),
            models.Index(fields=["-start_date", "-id"], name="incident_date_id"),
            # Incidents lasting several days, by end date: lists of a period find those begun before it and
            # still going on in it (period_parts) without reading every earlier incident.
            models.Index(
                fields=["end_date", "start_date"],
                name="incident_multiday_end",
                condition=Q(end_date__gt=models.F("start_date")),
            ),
            # Duplicates merged into an incident are few: a partial index finds them at any size. The plain
            # FK index on merged_into is all NULLs, so once analysed SQLite rightly ignores it (full scan).
            models.Index(
                fields=["merged_into"],
                name="incident_merged_into_set",
                condition=Q(merged_into__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.public_id} — {self.title}"

    @property
    def place(self) -> AdminUnit | None:
        return self.commune or self.cercle or self.region


class ViolationQuerySet(models.QuerySet["Violation"]):
    def of_type(self, term: Term) -> ViolationQuerySet:
        """This type and every type below it, at any depth: the one rule for "violations of type X"."""
        return self.filter(type_id__in=Term.objects.below(term))

    def counted(self) -> ViolationQuerySet:
        """Violations of counted incidents, less those whose verification found they did not occur."""
        return (
            self.filter(incident__merged_into__isnull=True)
            .exclude(incident__status=IncidentStatus.DRAFT)
            .exclude(verification_status=VerificationStatus.DID_NOT_OCCUR)
        )

    def reported(self) -> ViolationQuerySet:
        return self.counted()

    def documented(self) -> ViolationQuerySet:
        """Counted, and the incident is recorded with at least one source (the design's glossary)."""
        return self.counted().filter(
            models.Exists(Source.objects.filter(incident_id=models.OuterRef("incident_id")))
        )

    def verified(self) -> ViolationQuerySet:
        """Counted, and a verification officer found the standard of proof met."""
        return self.counted().filter(verification_status=VerificationStatus.VERIFIED)


class Violation(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="violations")
    type = models.ForeignKey(
        Term,
        verbose_name=_("type"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"vocabulary": "violation_type"},
    )
    methods = models.ManyToManyField(
        Term,
        verbose_name=_("méthodes"),
        blank=True,
        related_name="+",
        limit_choices_to={"vocabulary": "method"},
    )
    counted_by = models.CharField(
        _("comptage"), max_length=10, choices=CountedBy.choices, default=CountedBy.VICTIM
    )
    verification_status = models.CharField(
        _("statut de vérification"),
        max_length=20,
        choices=VerificationStatus.choices,
        default=VerificationStatus.REPORTED,
        db_index=True,
    )
    standard_of_proof = models.ForeignKey(
        Term,
        verbose_name=_("critère de preuve"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"vocabulary": "standard_of_proof"},
    )
    verified_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("vérifié par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("vérifié le"), null=True, blank=True)
    verification_note = EncryptedTextField(_("note de vérification"), blank=True)
    # An attack on a school or its military use names the school, whose page then lists the violation.
    school = models.ForeignKey(
        "schools.School",
        verbose_name=_("école"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="violations",
    )
    history = HistoricalRecords(indexed=("incident",))

    objects = ViolationQuerySet.as_manager()

    class Meta:
        verbose_name = _("violation ou atteinte")
        verbose_name_plural = _("violations et atteintes")
        indexes = [models.Index(fields=["type", "incident"], name="violation_type_incident")]

    def __str__(self) -> str:
        return str(self.type)

    def save(self, *args, **kwargs) -> None:
        self.counted_by = self.type.attributes.get("counted_by", CountedBy.VICTIM)
        super().save(*args, **kwargs)


class Victim(models.Model):
    """One person as a victim of one violation: counted once per violation."""

    violation = models.ForeignKey(Violation, on_delete=models.CASCADE, related_name="victims")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="victimisations")
    age_at_time = models.PositiveSmallIntegerField(_("âge au moment des faits"), null=True, blank=True)
    age_estimated = models.BooleanField(_("âge estimé"), default=False)
    status_after = models.ForeignKey(
        Term,
        verbose_name=_("situation après les faits"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"vocabulary": "victim_status"},
    )
    history = HistoricalRecords(indexed=("violation",))

    class Meta:
        verbose_name = _("victime")
        verbose_name_plural = _("victimes")

    def __str__(self) -> str:
        return f"victim {self.pk} of violation {self.violation_id}"

    @property
    def is_child(self) -> bool:
        return self.age_at_time is not None and self.age_at_time < 18


class GroupVictims(models.Model):
    """Victims known only by their numbers, by sex and age band."""

    violation = models.ForeignKey(Violation, on_delete=models.CASCADE, related_name="groups")
    description = models.CharField(_("description du groupe"), max_length=200, blank=True)
    women = models.PositiveIntegerField(_("femmes"), default=0)
    men = models.PositiveIntegerField(_("hommes"), default=0)
    girls = models.PositiveIntegerField(_("filles"), default=0)
    boys = models.PositiveIntegerField(_("garçons"), default=0)
    unknown = models.PositiveIntegerField(_("sexe ou âge inconnu"), default=0)
    # What happened to the whole group (ACLED's fatalities are a group of people killed).
    status_after = models.ForeignKey(
        Term,
        verbose_name=_("situation après les faits"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"vocabulary": "victim_status"},
    )
    history = HistoricalRecords(indexed=("violation",))

    class Meta:
        verbose_name = _("groupe de victimes")
        verbose_name_plural = _("groupes de victimes")

    def __str__(self) -> str:
        return f"group of {self.total}"

    @property
    def total(self) -> int:
        return self.women + self.men + self.girls + self.boys + self.unknown

    @property
    def children(self) -> int:
        return self.girls + self.boys


class Perpetrator(models.Model):
    """An alleged perpetrator of one violation: an actor, a person, or both."""

    violation = models.ForeignKey(Violation, on_delete=models.CASCADE, related_name="perpetrators")
    actor = models.ForeignKey(
        Actor, verbose_name=_("acteur"), null=True, blank=True, on_delete=models.PROTECT
    )
    person = models.ForeignKey(
        Person, verbose_name=_("personne"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    category = models.ForeignKey(
        Term,
        verbose_name=_("catégorie d'auteur"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"vocabulary": "perpetrator_category"},
    )
    involvement = models.ForeignKey(
        Term,
        verbose_name=_("implication"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"vocabulary": "involvement"},
    )
    history = HistoricalRecords(indexed=("violation",))

    class Meta:
        verbose_name = _("auteur présumé")
        verbose_name_plural = _("auteurs présumés")

    def __str__(self) -> str:
        return str(self.actor or self.category)

    @property
    def is_state_actor(self) -> bool:
        return self.category.attributes.get("state_actor") == "yes"


class Source(models.Model):
    """Information: who reported what about the incident. Protected like a victim."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="sources")
    person = models.ForeignKey(
        Person,
        verbose_name=_("personne source"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.ForeignKey(
        Term,
        verbose_name=_("type de source"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"vocabulary": "source_kind"},
    )
    reliability = models.ForeignKey(
        Term,
        verbose_name=_("fiabilité"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"vocabulary": "reliability"},
    )
    language = models.CharField(_("langue"), max_length=8, blank=True)
    reported_on = models.DateField(_("date de l'information"), null=True, blank=True)
    description = EncryptedTextField(_("description (protégée)"), blank=True)
    history = HistoricalRecords(indexed=("incident",))

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self) -> str:
        return f"source {self.pk} of incident {self.incident_id}"
