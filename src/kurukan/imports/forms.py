"""The upload form and the correction of one quarantined cell. Every error says what to change."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kurukan.accounts.models import Confidentiality, Organisation, Role

from .formats import registry


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Fichier (CSV ou XLSX)"))
    format = forms.ChoiceField(label=_("Format"), required=False)
    organisation = forms.ModelChoiceField(
        label=_("Organisation propriétaire"), queryset=Organisation.objects.order_by("name"), required=False
    )
    confidentiality = forms.ChoiceField(
        label=_("Confidentialité des fiches importées"),
        choices=Confidentiality.choices,
        initial=Confidentiality.RESTRICTED,
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["format"].choices = [  # type: ignore[attr-defined]  # a ChoiceField("", _("Détecter d'après les colonnes"))] + [
            (name, module.LABEL) for name, module in registry().items()
        ]
        if user.role != Role.ADMINISTRATOR:
            del self.fields["organisation"]  # a coordinator imports into their own organisation

    def clean_organisation(self):
        organisation = self.cleaned_data.get("organisation")
        if organisation is None:
            raise forms.ValidationError(_("Choisissez l'organisation à laquelle les fiches appartiendront."))
        return organisation

    def owner(self) -> Organisation:
        if "organisation" in self.fields:
            return self.cleaned_data["organisation"]
        return self.user.organisation


class CorrectionForm(forms.Form):
    value = forms.CharField(label=_("Nouvelle valeur"), required=False, max_length=2000)
    pcode = forms.CharField(required=False, max_length=20)
