"""Recommendations and resolutions, and their follow-up: measures, dated assessments, indicators.

The shape follows OHCHR's Universal Human Rights Index (symbol, text, document, publication date, themes,
affected persons, SDGs, body) and national recommendations tracking databases (responsible institutions,
measures, progress), plus what they lack: links to the violation types, regions and victim categories a
recommendation is about, so that its page shows what happened on the ground after the measures.

Recommendations are public documents: every signed-in user reads them, except follow-up focal points,
who read and update only what is assigned to their institution (accounts.access).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kurukan.fields import EncryptedTextField


def _in_language(fr: str, en: str) -> str:
    if (get_language() or "fr").startswith("en"):
        return en or fr
    return fr or en


class Mechanism(models.TextChoices):
    UPR = "upr", _("Examen périodique universel")
    INDEPENDENT_EXPERT = "independent_expert", _("Expert indépendant")
    COMMISSION_OF_INQUIRY = "commission_of_inquiry", _("Commission d'enquête internationale")
    TREATY_BODY = "treaty_body", _("Organe conventionnel")
    SPECIAL_PROCEDURE = "special_procedure", _("Procédure spéciale")
    HRC_RESOLUTION = "hrc_resolution", _("Résolution du Conseil des droits de l'homme")


class Response(models.TextChoices):
    SUPPORTED = "supported", _("Acceptée")
    SUPPORTED_IN_PART = "supported_in_part", _("Acceptée en partie")
    NOTED = "noted", _("Notée")
    PENDING = "pending", _("En attente de réponse")


class Progress(models.TextChoices):
    NOT_STARTED = "not_started", _("Pas commencée")
    IN_PROGRESS = "in_progress", _("En cours")
    PARTIALLY_IMPLEMENTED = "partially_implemented", _("Partiellement mise en œuvre")
    IMPLEMENTED = "implemented", _("Mise en œuvre")
    NOT_IMPLEMENTED = "not_implemented", _("Non mise en œuvre")


class Theme(models.Model):
    """A bilingual code of one of three lists: themes, affected groups, SDG targets (UHRI's lists)."""

    class Kind(models.TextChoices):
        THEME = "theme", _("Thème")
        AFFECTED_GROUP = "affected_group", _("Personnes concernées")
        SDG = "sdg", _("Cible des ODD")

    kind = models.CharField(_("liste"), max_length=20, choices=Kind.choices)
    code = models.CharField(_("code"), max_length=80)
    label_fr = models.CharField(_("libellé (français)"), max_length=250)
    label_en = models.CharField(_("libellé (anglais)"), max_length=250)

    class Meta:
        verbose_name = _("thème")
        verbose_name_plural = _("thèmes")
        constraints = [models.UniqueConstraint(fields=["kind", "code"], name="unique_theme_code")]
        ordering = ["kind", "code"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return _in_language(self.label_fr, self.label_en)


class Institution(models.Model):
    """A responsible institution (ministry, CNDH, national follow-up mechanism, court…). Follow-up focal
    points belong to one and see only what is assigned to it."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name_fr = models.CharField(_("nom (français)"), max_length=250)
    name_en = models.CharField(_("nom (anglais)"), max_length=250, blank=True)
    focal_points = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("points focaux"), blank=True, related_name="institutions"
    )

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ["name_fr"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return _in_language(self.name_fr, self.name_en)


class Document(models.Model):
    mechanism = models.CharField(_("mécanisme"), max_length=30, choices=Mechanism.choices)
    symbol = models.CharField(_("cote"), max_length=80, unique=True)
    title = models.CharField(_("titre"), max_length=400, blank=True)
    cycle = models.PositiveSmallIntegerField(_("cycle"), null=True, blank=True)
    session = models.CharField(_("session"), max_length=60, blank=True)
    published = models.DateField(_("date de publication"), null=True, blank=True)
    responses_symbol = models.CharField(_("cote des réponses de l'État"), max_length=80, blank=True)
    preamble = models.TextField(_("préambule"), blank=True)
    language = models.CharField(_("langue"), max_length=2, default="fr")

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-published", "symbol"]

    def __str__(self) -> str:
        return self.symbol


class RecommendationQuerySet(models.QuerySet["Recommendation"]):
    def pending_response(self) -> RecommendationQuerySet:
        return self.filter(response=Response.PENDING)

    def assigned_to(self, institution_ids) -> RecommendationQuerySet:
        return self.filter(institutions__in=institution_ids).distinct()


class Recommendation(models.Model):
    document = models.ForeignKey(
        Document, verbose_name=_("document"), on_delete=models.PROTECT, related_name="recommendations"
    )
    paragraph = models.CharField(_("paragraphe"), max_length=30)
    text_en = models.TextField(_("texte (anglais)"), blank=True)
    text_fr = models.TextField(_("texte (français)"), blank=True)
    recommending = models.CharField(_("État ou organe recommandant"), max_length=250, blank=True)
    response = models.CharField(
        _("réponse de l'État"), max_length=20, choices=Response.choices, default=Response.PENDING
    )
    response_raw = models.CharField(_("réponse (libellé d'origine)"), max_length=250, blank=True)
    response_source = models.CharField(_("source de la réponse"), max_length=250, blank=True)
    verb = models.CharField(
        _("verbe"), max_length=80, blank=True, help_text=_("Pour une résolution : le verbe du paragraphe.")
    )
    addressees = models.JSONField(_("destinataires"), default=list, blank=True)
    cited_documents = models.JSONField(_("documents cités"), default=list, blank=True)
    themes = models.ManyToManyField(Theme, verbose_name=_("thèmes, personnes concernées, ODD"), blank=True)
    violation_types = models.ManyToManyField(
        "vocabularies.Term", verbose_name=_("types de violations concernés"), blank=True, related_name="+"
    )
    victim_categories = models.ManyToManyField(
        "vocabularies.Term", verbose_name=_("catégories de victimes concernées"), blank=True, related_name="+"
    )
    regions = models.ManyToManyField(
        "places.AdminUnit", verbose_name=_("régions concernées"), blank=True, related_name="+"
    )
    institutions = models.ManyToManyField(
        Institution, verbose_name=_("institutions responsables"), blank=True, related_name="recommendations"
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[institutions])

    objects = RecommendationQuerySet.as_manager()

    class Meta:
        verbose_name = _("recommandation")
        verbose_name_plural = _("recommandations")
        constraints = [
            models.UniqueConstraint(fields=["document", "paragraph"], name="one_recommendation_per_paragraph")
        ]
        ordering = ["document__symbol", "id"]

    def __str__(self) -> str:
        return f"{self.document.symbol} § {self.paragraph}"

    @property
    def text(self) -> str:
        return _in_language(self.text_fr, self.text_en)

    def latest_assessment(self) -> Assessment | None:
        return self.assessments.order_by("-assessed_on", "-id").first()


class Measure(models.Model):
    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="measures")
    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="measures"
    )
    description = models.TextField(_("mesure"))
    due_date = models.DateField(_("échéance"), null=True, blank=True)
    done = models.BooleanField(_("réalisée"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mesure")
        verbose_name_plural = _("mesures")
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return self.description[:80]


class Assessment(models.Model):
    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="assessments")
    measure = models.ForeignKey(
        Measure, null=True, blank=True, on_delete=models.SET_NULL, related_name="assessments"
    )
    assessed_on = models.DateField(_("date de l'évaluation"))
    status = models.CharField(_("état d'avancement"), max_length=30, choices=Progress.choices)
    evidence = models.TextField(_("éléments de preuve"), blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("évaluation")
        verbose_name_plural = _("évaluations")
        ordering = ["-assessed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.recommendation_id} {self.status} {self.assessed_on}"


class AssessmentFile(models.Model):
    """A file supporting an assessment: stored encrypted and content-addressed by evidence.storage, as
    evidence is; its name is encrypted too (a file name can name a person)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="files")
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.BigIntegerField()
    original_name = EncryptedTextField(_("nom du fichier"))
    media_type = models.CharField(max_length=120)
    received_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.sha256[:12]


class Indicator(models.Model):
    """OHCHR's structural / process / outcome indicator. Outcome indicators may be computed from Kurukan's
    own records (a violation type, verified or not, per quarter, in the recommendation's regions)."""

    class Kind(models.TextChoices):
        STRUCTURAL = "structural", _("Structurel")
        PROCESS = "process", _("Processus")
        OUTCOME = "outcome", _("Résultat")

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="indicators")
    kind = models.CharField(_("type d'indicateur"), max_length=12, choices=Kind.choices)
    name = models.CharField(_("indicateur"), max_length=300)
    computed_type = models.ForeignKey(
        "vocabularies.Term", verbose_name=_("calculé : type de violation"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    computed_verified = models.BooleanField(_("calculé : vérifiées seulement"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicateur")
        verbose_name_plural = _("indicateurs")

    def __str__(self) -> str:
        return self.name

    @property
    def is_computed(self) -> bool:
        return self.computed_type_id is not None


class IndicatorValue(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    on = models.DateField(_("date"))
    value = models.DecimalField(_("valeur"), max_digits=14, decimal_places=2)
    note = models.CharField(_("note"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["on"]
        constraints = [models.UniqueConstraint(fields=["indicator", "on"], name="one_value_per_date")]

    def __str__(self) -> str:
        return f"{self.on}: {self.value}"


class SimilarPair(models.Model):
    """Two near-identical recommendations (across cycles or mechanisms), with the similarity that proposed
    them; a person confirms or rejects, and can undo."""

    class Decision(models.TextChoices):
        PROPOSED = "proposed", _("Proposée")
        CONFIRMED = "confirmed", _("Confirmée")
        REJECTED = "rejected", _("Rejetée")

    left = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="+")
    right = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(_("similarité"))
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PROPOSED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["left", "right"], name="one_pair"),
            models.CheckConstraint(condition=models.Q(left__lt=models.F("right")), name="ordered_pair"),
        ]
        ordering = ["-score"]

    def __str__(self) -> str:
        return f"{self.left_id} ~ {self.right_id}"
