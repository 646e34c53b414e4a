"""Accountability after the incident: judicial cases with their dated stages, and interventions (letters,
requests, referrals, urgent appeals) pressing an institution about violations and victims.

Both are owned records (an organisation, a confidentiality level, an author) that link violations: they are
read through `access.visible`, which shows one only to those who may see every incident it links.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kurukan.accounts.models import Confidentiality, OwnedRecord
from kurukan.fields import EncryptedTextField
from kurukan.ids import new_public_id

# Most open first: a record is as restricted as the most restricted record it links.
LEVELS: list[str] = [
    Confidentiality.PUBLIC,
    Confidentiality.INTERNAL,
    Confidentiality.RESTRICTED,
    Confidentiality.STRICTLY_CONFIDENTIAL,
]


def most_restricted(*levels: str) -> str:
    return max(levels, key=lambda level: LEVELS.index(level), default=Confidentiality.INTERNAL)


def _case_id() -> str:
    return new_public_id("J")


def _intervention_id() -> str:
    return new_public_id("IV")


class StageKind(models.TextChoices):
    COMPLAINT = "complaint", _("Plainte déposée")
    INVESTIGATION = "investigation", _("Enquête ouverte")
    ARREST = "arrest", _("Arrestation")
    INDICTMENT = "indictment", _("Mise en accusation")
    TRIAL = "trial", _("Procès ouvert")
    JUDGMENT = "judgment", _("Jugement")
    APPEAL = "appeal", _("Appel")
    CLOSED = "closed", _("Classement sans suite")
    AMNESTY = "amnesty", _("Amnistie ou grâce")


# How far a case went: the impunity indicators read "at least an investigation", "at least a trial"… An
# appeal follows a judgment; closing without follow-up and an amnesty end a case without moving it on.
PROGRESS = {
    StageKind.COMPLAINT: 1,
    StageKind.INVESTIGATION: 2,
    StageKind.ARREST: 2,
    StageKind.INDICTMENT: 3,
    StageKind.TRIAL: 4,
    StageKind.JUDGMENT: 5,
    StageKind.APPEAL: 5,
    StageKind.CLOSED: 0,
    StageKind.AMNESTY: 0,
}


class Outcome(models.TextChoices):
    CONVICTION = "conviction", _("Condamnation")
    ACQUITTAL = "acquittal", _("Acquittement")


class DefendantRole(models.TextChoices):
    PERPETRATOR = "perpetrator", _("Auteur direct")
    ACCOMPLICE = "accomplice", _("Complice")
    SUPERIOR = "superior", _("Supérieur hiérarchique (responsabilité du commandement)")
    INSTIGATOR = "instigator", _("Instigateur ou donneur d'ordre")


class JudicialCase(OwnedRecord):
    linked_incidents = "violations__incident"  # access.visible: every linked incident must be visible

    public_id = models.CharField(
        _("identifiant"), max_length=20, unique=True, default=_case_id, editable=False
    )
    title = models.CharField(_("intitulé"), max_length=250)
    jurisdiction = models.ForeignKey(
        "vocabularies.Term",
        verbose_name=_("juridiction"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"vocabulary": "jurisdiction"},
    )
    court = models.CharField(_("tribunal ou cour"), max_length=250, blank=True)
    reference = models.CharField(_("numéro de dossier"), max_length=120, blank=True)
    violations = models.ManyToManyField(
        "incidents.Violation", verbose_name=_("violations et atteintes"), related_name="judicial_cases"
    )
    history = HistoricalRecords(m2m_fields=[violations])

    class Meta:
        verbose_name = _("procédure judiciaire")
        verbose_name_plural = _("procédures judiciaires")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.public_id} — {self.title}"

    def current_stage(self) -> Stage | None:
        return self.stages.order_by("-on", "-id").first()


class Stage(models.Model):
    """A dated step of a case. Steps are added, never edited away: their history is the case's story."""

    case = models.ForeignKey(JudicialCase, on_delete=models.CASCADE, related_name="stages")
    kind = models.CharField(_("étape"), max_length=20, choices=StageKind.choices)
    on = models.DateField(_("date"))
    outcome = models.CharField(_("décision"), max_length=12, choices=Outcome.choices, blank=True)
    sentence = models.CharField(_("peine prononcée"), max_length=250, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("enregistré le"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("étape de la procédure")
        verbose_name_plural = _("étapes de la procédure")
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on}"


class Defendant(models.Model):
    """An accused: an organisation (an armed group, a unit) or a person, with their role."""

    case = models.ForeignKey(JudicialCase, on_delete=models.CASCADE, related_name="defendants")
    actor = models.ForeignKey(
        "actors.Actor",
        verbose_name=_("acteur"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("personne"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    role = models.CharField(_("rôle"), max_length=20, choices=DefendantRole.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mis en cause")
        verbose_name_plural = _("mis en cause")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(actor__isnull=False) | models.Q(person__isnull=False),
                name="defendant_actor_or_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.actor or self.person} ({self.get_role_display()})"


class CivilParty(models.Model):
    """A victim taking part in the proceedings: only with their consent to do so (justice.consent)."""

    case = models.ForeignKey(JudicialCase, on_delete=models.CASCADE, related_name="civil_parties")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="civil_parties")
    joined_on = models.DateField(_("constitué partie civile le"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("partie civile")
        verbose_name_plural = _("parties civiles")
        constraints = [models.UniqueConstraint(fields=["case", "person"], name="civil_party_once")]

    def __str__(self) -> str:
        return f"{self.person} → {self.case_id}"


class InterventionKind(models.TextChoices):
    LETTER = "letter", _("Lettre")
    REQUEST = "request", _("Demande d'information")
    REFERRAL = "referral", _("Saisine")
    URGENT_APPEAL = "urgent_appeal", _("Appel urgent")


class FollowUpStatus(models.TextChoices):
    AWAITING = "awaiting", _("En attente de réponse")
    ANSWERED = "answered", _("Réponse reçue")
    FOLLOW_UP = "follow_up", _("Relance nécessaire")
    CLOSED = "closed", _("Clos")


class InterventionQuerySet(models.QuerySet["Intervention"]):
    def overdue(self, today: dt.date) -> InterventionQuerySet:
        """Past their deadline with no answer, and not closed: the coordinator's list and the reminder."""
        return self.filter(deadline__lt=today, answered_on__isnull=True).exclude(status=FollowUpStatus.CLOSED)


class Intervention(OwnedRecord):
    """A letter, request, referral or urgent appeal to an institution about violations or victims."""

    linked_incidents = "violations__incident"

    public_id = models.CharField(
        _("identifiant"), max_length=20, unique=True, default=_intervention_id, editable=False
    )
    kind = models.CharField(_("nature"), max_length=20, choices=InterventionKind.choices)
    institution = models.ForeignKey(
        "recommendations.Institution",
        verbose_name=_("destinataire"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    sent_on = models.DateField(_("envoyée le"))
    request = models.TextField(_("demande"))
    deadline = models.DateField(_("délai de réponse"), null=True, blank=True)
    answer = models.TextField(_("réponse"), blank=True)
    answered_on = models.DateField(_("réponse reçue le"), null=True, blank=True)
    status = models.CharField(
        _("suivi"), max_length=12, choices=FollowUpStatus.choices, default=FollowUpStatus.AWAITING
    )
    violations = models.ManyToManyField(
        "incidents.Violation",
        verbose_name=_("violations et atteintes"),
        blank=True,
        related_name="interventions",
    )
    victims = models.ManyToManyField(
        "people.Person", verbose_name=_("victimes"), blank=True, related_name="interventions"
    )
    history = HistoricalRecords(m2m_fields=[violations, victims])

    objects = InterventionQuerySet.as_manager()

    class Meta:
        verbose_name = _("intervention")
        verbose_name_plural = _("interventions")
        ordering = ["-sent_on", "-id"]
        indexes = [models.Index(fields=["organisation", "deadline"], name="intervention_org_deadline")]

    def __str__(self) -> str:
        return f"{self.public_id} — {self.get_kind_display()}"

    def is_overdue(self, today: dt.date) -> bool:
        return (
            self.deadline is not None
            and self.deadline < today
            and self.answered_on is None
            and self.status != FollowUpStatus.CLOSED
        )

    def days_late(self, today: dt.date) -> int:
        """Days past the deadline with no answer; 0 when not overdue."""
        if self.deadline is None or not self.is_overdue(today):
            return 0
        return (today - self.deadline).days


class DocumentKind(models.TextChoices):
    COMPLAINT = "complaint", _("Plainte")
    INDICTMENT = "indictment", _("Acte de mise en accusation")
    JUDGMENT = "judgment", _("Jugement ou arrêt")
    ORDER = "order", _("Ordonnance ou réquisitoire")
    CORRESPONDENCE = "correspondence", _("Correspondance")
    OTHER = "other", _("Autre pièce")


class CaseDocument(models.Model):
    """A file of the case (a complaint, an indictment, a judgment), kept like evidence: encrypted at rest and
    content-addressed by SHA-256 (kurukan.evidence.storage), its name and description encrypted (they can
    name a person). Its receipt, downloads and integrity checks are written to the audit chain with the
    hash: that chain is its custody trail."""

    case = models.ForeignKey(JudicialCase, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("nature de la pièce"), max_length=20, choices=DocumentKind.choices)
    dated = models.DateField(_("date de la pièce"), null=True, blank=True)
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64, db_index=True, editable=False)
    size = models.PositiveBigIntegerField(_("taille (octets)"), editable=False)
    original_name = EncryptedTextField(_("nom du fichier d'origine (protégé)"), blank=True)
    media_type = models.CharField(_("type de média"), max_length=127, default="application/octet-stream")
    description = EncryptedTextField(_("description (protégée)"), blank=True)
    received_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    received_at = models.DateTimeField(_("reçue le"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pièce de la procédure")
        verbose_name_plural = _("pièces de la procédure")
        ordering = ["received_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "sha256"], name="case_document_one_per_content"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} · {self.sha256[:12]}"
