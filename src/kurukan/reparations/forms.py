"""Claim forms: each error names its field and says what to write, in the user's language."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kurukan.incidents.forms import DateInput
from kurukan.incidents.models import Violation
from kurukan.places.models import AdminUnit

from .models import Claim, ClaimStatus, Measure, Payment, Relationship


class ViolationChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Violation) -> str:
        return f"{obj.incident.public_id} · {obj.incident.start_date:%Y-%m-%d} · {obj.type.label}"


class ClaimForm(forms.ModelForm):
    violations = ViolationChoices(
        label=_("Violations pour lesquelles la réparation est demandée"),
        queryset=Violation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Cochez au moins une violation.")},
    )
    measures_requested = forms.MultipleChoiceField(
        label=_("Mesures demandées"),
        choices=Measure.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Cochez au moins une mesure demandée.")},
    )
    filed_on = forms.DateField(label=_("Déposée le"), widget=DateInput(), initial=timezone.localdate)

    class Meta:
        model = Claim
        fields = ["violations", "relationship", "claimant_name", "harm", "measures_requested",
                  "amount_requested", "filed_on"]  # fmt: skip
        widgets = {"harm": forms.Textarea(attrs={"rows": 3})}
        error_messages = {"harm": {"required": _("Décrivez le préjudice subi.")}}

    def __init__(self, *args, violations=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if violations is not None:
            self.fields["violations"].queryset = violations.select_related("incident", "type")
        self.fields["claimant_name"].help_text = _("Seulement si un ayant droit dépose la demande.")

    def clean(self) -> dict:
        data = super().clean()
        heir = data.get("relationship") not in {None, "", Relationship.SELF}
        if heir and not (data.get("claimant_name") or "").strip():
            self.add_error("claimant_name", _("Indiquez le nom de l'ayant droit qui dépose la demande."))
        if not heir and (data.get("claimant_name") or "").strip():
            self.add_error(
                "relationship", _("Choisissez le lien de l'ayant droit avec la victime, ou effacez son nom.")
            )
        return data


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Nouveau statut"), choices=ClaimStatus.choices)
    changed_on = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)
    deciding_body = forms.CharField(label=_("Organe de décision"), max_length=200, required=False)
    decided_on = forms.DateField(label=_("Date de la décision"), widget=DateInput(), required=False)
    amount_granted = forms.IntegerField(
        label=_("Montant accordé (FCFA)"), min_value=0, max_value=10**12, required=False
    )
    measures_granted = forms.MultipleChoiceField(
        label=_("Mesures accordées"),
        choices=Measure.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    note = forms.CharField(label=_("Observation"), max_length=300, required=False)


class PaymentForm(forms.ModelForm):
    paid_on = forms.DateField(label=_("Payé le"), widget=DateInput(), initial=timezone.localdate)

    class Meta:
        model = Payment
        fields = ["paid_on", "amount", "reference"]
        error_messages = {"amount": {"required": _("Indiquez le montant payé en FCFA.")}}

    def clean_amount(self) -> int:
        amount = self.cleaned_data["amount"]
        if amount <= 0:
            raise forms.ValidationError(_("Le montant payé doit être supérieur à zéro."))
        return amount


class FilterForm(forms.Form):
    reference = forms.CharField(label=_("Référence"), required=False)
    status = forms.ChoiceField(label=_("Statut"), choices=[("", "—"), *ClaimStatus.choices], required=False)
    region = forms.ModelChoiceField(
        label=_("Région"), queryset=AdminUnit.objects.current().regions(), required=False
    )


class PersonSearchForm(forms.Form):
    name = forms.CharField(
        label=_("Nom complet de la victime"),
        max_length=200,
        help_text=_("Prénom(s) et nom, tels qu'enregistrés : toutes les fiches de ce nom s'affichent."),
    )


class ClaimEditForm(forms.ModelForm):
    """Correct a claim's details; those who decide also correct the decision (its history keeps both)."""

    measures_requested = forms.MultipleChoiceField(
        label=_("Mesures demandées"),
        choices=Measure.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Cochez au moins une mesure demandée.")},
    )
    measures_granted = forms.MultipleChoiceField(
        label=_("Mesures accordées"),
        choices=Measure.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    filed_on = forms.DateField(label=_("Déposée le"), widget=DateInput())
    decided_on = forms.DateField(label=_("Date de la décision"), widget=DateInput(), required=False)
    amount_requested = forms.IntegerField(
        label=_("Montant demandé (FCFA)"), min_value=0, max_value=10**12, required=False
    )
    amount_granted = forms.IntegerField(
        label=_("Montant accordé (FCFA)"), min_value=0, max_value=10**12, required=False
    )

    class Meta:
        model = Claim
        fields = ["relationship", "claimant_name", "harm", "measures_requested", "amount_requested", "filed_on",
                  "measures_granted", "deciding_body", "decided_on", "amount_granted"]  # fmt: skip
        widgets = {"harm": forms.Textarea(attrs={"rows": 3})}
        error_messages = {"harm": {"required": _("Décrivez le préjudice subi.")}}

    def __init__(self, *args, decides: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not decides:
            for name in ("measures_granted", "deciding_body", "decided_on", "amount_granted"):
                del self.fields[name]
