"""The consent form: one purpose, one answer, how it was obtained (on the person's file and when recording)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kurukan.accounts.models import Organisation

from .models import ConsentMethod, ConsentPurpose, ConsentStatus


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Objet du consentement"), choices=ConsentPurpose.choices)
    partner = forms.ModelChoiceField(
        label=_("Organisation partenaire (pour le partage avec un partenaire)"),
        queryset=Organisation.objects.all(),
        required=False,
    )
    status = forms.ChoiceField(label=_("Réponse"), choices=ConsentStatus.choices)
    method = forms.ChoiceField(
        label=_("Comment il a été recueilli"), choices=ConsentMethod.choices, initial=ConsentMethod.VERBAL
    )
    recorded_on = forms.DateField(
        label=_("Date"), initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            cleaned.get("purpose") == ConsentPurpose.SHARE_PARTNER
            and cleaned.get("status") == ConsentStatus.GIVEN
            and not cleaned.get("partner")
        ):
            self.add_error(
                "partner",
                _("Choisissez l'organisation partenaire à laquelle la personne consent à être nommée."),
            )
        if cleaned.get("recorded_on") and cleaned["recorded_on"] > timezone.localdate():
            self.add_error("recorded_on", _("La date ne peut pas être dans le futur."))
        return cleaned


class FirstConsentForm(forms.Form):
    """On the recording form: the named victim's answers, asked once, before anything is shared."""

    store = forms.ChoiceField(
        label=_("Consent à la conservation de ses informations"),
        choices=[("", _("— non demandé —")), *ConsentStatus.choices[:2]],
        required=False,
    )
    share_partner = forms.ChoiceField(
        label=_("Consent au partage de son identité avec une organisation partenaire"),
        choices=[("", _("— non demandé —")), *ConsentStatus.choices[:2]],
        required=False,
    )
    partner = forms.ModelChoiceField(
        label=_("Organisation partenaire"), queryset=Organisation.objects.all(), required=False
    )
    method = forms.ChoiceField(
        label=_("Comment il a été recueilli"),
        choices=ConsentMethod.choices,
        initial=ConsentMethod.VERBAL,
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["method"] = cleaned.get("method") or ConsentMethod.VERBAL
        if cleaned.get("share_partner") == ConsentStatus.GIVEN and not cleaned.get("partner"):
            self.add_error(
                "partner", _("Choisissez l'organisation partenaire à laquelle la personne consent.")
            )
        return cleaned
