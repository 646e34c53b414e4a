"""Forms for cases, their stages, defendants and civil parties, and interventions. Messages name the fix."""

from __future__ import annotations

from typing import cast

from django import forms
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kurukan.accounts import access
from kurukan.actors.models import Actor
from kurukan.incidents.forms import DateInput, TermChoiceField, terms
from kurukan.incidents.models import Violation
from kurukan.people.models import Person
from kurukan.recommendations.models import Institution

from .consent import not_referable, referral_name_refusal, referral_refusal
from .models import (
    CivilParty,
    Defendant,
    FollowUpStatus,
    Intervention,
    InterventionKind,
    JudicialCase,
    Stage,
    StageKind,
)

MAX_CHOICES = 300  # the most recent verified violations offered; narrow with the incident filter


class ViolationChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Violation) -> str:
        incident = obj.incident
        label = (
            f"{incident.public_id} · {obj.type.label} · {incident.start_date:%Y-%m-%d} · {incident.place or ''}"
            f" · {obj.get_verification_status_display()}"
        )
        if getattr(obj, "in_case", False):
            label += " · " + str(_("déjà visée par une procédure"))
        return label


def violation_choices(user, incident: str = ""):
    """Violations the user sees, verified first: a case or an intervention is about established facts."""
    qs = (
        access.visible(user, Violation)
        .select_related("incident", "type", "incident__commune", "incident__cercle", "incident__region")
        .annotate(in_case=Exists(JudicialCase.violations.through.objects.filter(violation_id=OuterRef("pk"))))
        .order_by("-verification_status", "-incident__start_date", "-pk")
    )
    if incident:
        qs = qs.filter(incident__public_id__iexact=incident.strip())
    ids = list(qs.values_list("pk", flat=True)[:MAX_CHOICES])
    return qs.filter(pk__in=ids)


def _no_future(value):
    if value and value > timezone.localdate():
        raise forms.ValidationError(
            _("Cette date est dans le futur : indiquez la date à laquelle c'est arrivé.")
        )
    return value


class CaseForm(forms.ModelForm):
    jurisdiction = TermChoiceField(queryset=terms("jurisdiction"), label=_("Juridiction"))
    violations = ViolationChoiceField(
        queryset=Violation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label=_("Violations et atteintes visées"),
        error_messages={"required": _("Cochez au moins une violation ou atteinte visée par la procédure.")},
    )

    class Meta:
        model = JudicialCase
        fields = ["title", "jurisdiction", "court", "reference", "confidentiality", "violations"]

    def __init__(self, *args, user, incident: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelMultipleChoiceField, self.fields["violations"]).queryset = violation_choices(
            user, incident
        )
        self.fields["confidentiality"].help_text = _(
            "La procédure prend au moins le niveau du dossier le plus restreint qu'elle vise."
        )


class StageForm(forms.ModelForm):
    class Meta:
        model = Stage
        fields = ["kind", "on", "outcome", "sentence", "note"]
        widgets = {"on": DateInput(), "note": forms.Textarea(attrs={"rows": 2})}

    def clean_on(self):
        return _no_future(self.cleaned_data.get("on"))

    def clean(self):
        data = super().clean()
        if data.get("kind") == StageKind.JUDGMENT and not data.get("outcome"):
            self.add_error(
                "outcome", _("Un jugement dit s'il condamne ou acquitte : choisissez la décision.")
            )
        elif data.get("kind") and data.get("kind") != StageKind.JUDGMENT and data.get("outcome"):
            self.add_error("outcome", _("Seul un jugement porte une décision et une peine."))
        return data


class DefendantForm(forms.ModelForm):
    actor = forms.ModelChoiceField(
        queryset=Actor.objects.order_by("name"), label=_("Acteur mis en cause"), required=False
    )
    person = forms.CharField(
        label=_("ou personne mise en cause (identifiant)"),
        required=False,
        help_text=_("L'identifiant P-… d'un auteur présumé des violations visées."),
    )

    class Meta:
        model = Defendant
        fields = ["actor", "person", "role"]

    def __init__(self, *args, perpetrators=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.perpetrators = perpetrators if perpetrators is not None else Person.objects.none()

    def clean_person(self):
        code = (self.cleaned_data.get("person") or "").strip().upper()
        if not code:
            return None
        person = self.perpetrators.filter(public_id=code).first()
        if person is None:
            raise forms.ValidationError(
                _("« %(code)s » n'est pas un auteur présumé des violations visées par cette procédure.")
                % {"code": code}
            )
        return person

    def clean(self):
        data = super().clean()
        if not data.get("actor") and not data.get("person") and not self.errors.get("person"):
            self.add_error("actor", _("Choisissez l'acteur ou la personne mis en cause."))
        return data


class CivilPartyForm(forms.ModelForm):
    person = forms.CharField(
        label=_("Victime (identifiant de la personne)"),
        help_text=_("L'identifiant P-… d'une victime des violations visées, par exemple P-AB12-CD34."),
    )

    class Meta:
        model = CivilParty
        fields = ["person", "joined_on"]
        widgets = {"joined_on": DateInput()}

    def __init__(self, *args, victims=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.victims = victims if victims is not None else Person.objects.none()

    def clean_person(self):
        code = (self.cleaned_data.get("person") or "").strip().upper()
        person = self.victims.filter(public_id=code).first()
        if person is None:
            raise forms.ValidationError(
                _("« %(code)s » n'est pas une victime des violations visées par cette procédure.")
                % {"code": code}
            )
        return person

    def clean_joined_on(self):
        return _no_future(self.cleaned_data.get("joined_on"))


class InstitutionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Institution) -> str:
        return obj.name


class InterventionForm(forms.ModelForm):
    institution = InstitutionChoiceField(queryset=Institution.objects.all(), label=_("Destinataire"))
    violations = ViolationChoiceField(
        queryset=Violation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("Violations et atteintes concernées"),
    )
    victim_ids = forms.CharField(
        label=_("Victimes concernées (identifiants)"),
        required=False,
        help_text=_("Les identifiants P-… de victimes des violations cochées, séparés par des virgules."),
    )

    class Meta:
        model = Intervention
        fields = ["kind", "institution", "sent_on", "request", "deadline", "confidentiality", "violations"]
        widgets = {
            "sent_on": DateInput(),
            "deadline": DateInput(),
            "request": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, incident: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelMultipleChoiceField, self.fields["violations"]).queryset = violation_choices(
            user, incident
        )

    def clean_sent_on(self):
        return _no_future(self.cleaned_data.get("sent_on"))

    def clean(self):
        data = super().clean()
        if data.get("deadline") and data.get("sent_on") and data["deadline"] < data["sent_on"]:
            self.add_error(
                "deadline", _("Le délai de réponse tombe avant l'envoi : corrigez l'une des deux dates.")
            )
        codes = [c.strip().upper() for c in (data.get("victim_ids") or "").split(",") if c.strip()]
        victims = Person.objects.filter(
            victimisations__violation__in=data.get("violations") or [], public_id__in=codes
        ).distinct()
        unknown = sorted(set(codes) - {p.public_id for p in victims})
        if unknown:
            self.add_error(
                "victim_ids",
                _(
                    "%(codes)s : pas une victime des violations cochées. Cochez sa violation ou retirez l'identifiant."
                )
                % {"codes": ", ".join(unknown)},
            )
        data["victims"] = list(victims)
        if data.get("kind") == InterventionKind.REFERRAL and data["victims"]:
            refused = not_referable(data["victims"])
            if refused:  # a referral cannot name a person without the matching consent (issue #15)
                self.add_error("victim_ids", referral_refusal(refused))
        if data.get("kind") == InterventionKind.REFERRAL and data.get("request"):
            self._check_request_names(data)
        return data

    def _check_request_names(self, data: dict) -> None:
        """Nor by name in the request's text: the names of the checked violations' victims who did not
        consent to a referral are looked for (decrypted in memory only, kurukan.people.public_text)."""
        from kurukan.people.public_text import find, person_names

        persons = Person.objects.filter(victimisations__violation__in=data.get("violations") or []).distinct()
        refused = not_referable(persons)
        for hit in find(data["request"], person_names(refused)) if refused else []:
            if hit.kind == "name":
                self.add_error("request", referral_name_refusal(hit))


class AnswerForm(forms.ModelForm):
    class Meta:
        model = Intervention
        fields = ["answer", "answered_on", "status"]
        widgets = {"answered_on": DateInput(), "answer": forms.Textarea(attrs={"rows": 3})}

    def clean_answered_on(self):
        return _no_future(self.cleaned_data.get("answered_on"))

    def clean(self):
        data = super().clean()
        if data.get("answer") and not data.get("answered_on"):
            self.add_error("answered_on", _("Indiquez la date à laquelle la réponse a été reçue."))
        if data.get("answered_on") and data.get("status") == FollowUpStatus.AWAITING:
            data["status"] = FollowUpStatus.ANSWERED
        return data


class CaseFilterForm(forms.Form):
    q = forms.CharField(label=_("Identifiant, numéro ou intitulé"), required=False)
    jurisdiction = forms.ChoiceField(label=_("Juridiction"), required=False)
    stage = forms.ChoiceField(
        label=_("Dernière étape"), required=False, choices=[("", "—"), *StageKind.choices]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].choices = [("", "—")] + [(t.code, t.label) for t in terms("jurisdiction")]
