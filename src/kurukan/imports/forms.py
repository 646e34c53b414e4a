"""The upload form and the correction of one quarantined cell. Every error says what to change."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kurukan.accounts.models import Confidentiality, Organisation, Role

from .formats import registry
from .models import ServerConnection


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
        # "Detect" first: a browser posts the first option, and a file's columns say its format.
        self.fields["format"].choices = [("", _("Détecter d'après les colonnes"))] + [  # type: ignore[attr-defined]
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


class ConnectionForm(forms.ModelForm):
    """A KoboToolbox or ODK Central connection. The secret is write-only: never shown back in the page."""

    secret = forms.CharField(
        label=_("Jeton API (KoboToolbox) ou mot de passe (ODK Central)"),
        widget=forms.PasswordInput(render_value=False),
        max_length=500,
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation propriétaire"), queryset=Organisation.objects.order_by("name"), required=False
    )

    class Meta:
        model = ServerConnection
        fields = ["name", "kind", "url", "project", "form_id", "username", "secret", "confidentiality"]
        labels = {
            "url": _("Adresse du serveur (https://kf.kobotoolbox.org, https://central.example.org)"),
            "form_id": _("Identifiant du formulaire (KoboToolbox : uid de l'asset ; ODK : xmlFormId)"),
            "username": _("E-mail du compte (ODK Central ; vide pour un jeton)"),
        }
        widgets = {"username": forms.TextInput()}

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if user.role != Role.ADMINISTRATOR:
            del self.fields["organisation"]

    def clean_organisation(self):
        organisation = self.cleaned_data.get("organisation")
        if organisation is None:
            raise forms.ValidationError(_("Choisissez l'organisation à laquelle les fiches appartiendront."))
        return organisation

    def clean(self):
        data = super().clean()
        if data.get("kind") == "odk" and not str(data.get("project") or "").strip().isdigit():
            self.add_error(
                "project",
                _("ODK Central : indiquez le numéro du projet (le nombre après /projects/ dans l'adresse)."),
            )
        return data

    def save(self, commit: bool = True):
        connection = super().save(commit=False)
        connection.organisation = (
            self.cleaned_data["organisation"] if "organisation" in self.fields else self.user.organisation
        )
        connection.created_by = self.user
        if commit:
            connection.save()
        return connection
