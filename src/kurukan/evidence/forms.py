from __future__ import annotations

import re

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import CustodyAction

MEDIA_TYPE_RE = re.compile(r"^[A-Za-z0-9][\w.+-]{0,62}/[A-Za-z0-9][\w.+-]{0,62}$")


def max_upload_bytes() -> int:
    return getattr(settings, "EVIDENCE_MAX_BYTES", 200 * 1024 * 1024)


def too_large_message() -> str:
    return _(
        "Le fichier dépasse la taille maximale de %(max)s. Découpez-le ou demandez à l'administrateur "
        "d'augmenter KURUKAN_EVIDENCE_MAX_BYTES."
    ) % {"max": filesizeformat(max_upload_bytes())}


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Fichier"))
    description = forms.CharField(
        label=_("Description (protégée)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    received_from = forms.CharField(
        label=_("Reçu de (protégé)"),
        required=False,
        max_length=500,
        help_text=_("Personne ou organisation qui a remis le fichier."),
    )
    received_at = forms.DateTimeField(
        label=_("Reçu le"),
        required=False,
        help_text=_("Laisser vide pour maintenant."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > max_upload_bytes():
            raise forms.ValidationError(too_large_message())
        return upload

    def clean_received_at(self):
        value = self.cleaned_data["received_at"]
        if value and value > timezone.now():
            raise forms.ValidationError(_("La date de réception ne peut pas être dans le futur."))
        return value

    def media_type(self) -> str:
        claimed = (self.cleaned_data["file"].content_type or "").strip().lower()
        return claimed if MEDIA_TYPE_RE.match(claimed) else "application/octet-stream"


class CustodyForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Étape"),
        choices=[
            (CustodyAction.TRANSFERRED, CustodyAction.TRANSFERRED.label),
            (CustodyAction.EXPORTED, CustodyAction.EXPORTED.label),
        ],
    )
    counterparty = forms.CharField(label=_("À qui (protégé)"), max_length=500)
    note = forms.CharField(
        label=_("Note (protégée)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
