from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .formats import Format


class ExportForm(forms.Form):
    format = forms.ChoiceField(label=_("Format"), choices=Format.choices, initial=Format.CSV)


class IdentitiesExportForm(ExportForm):
    reason = forms.CharField(
        label=_("Pourquoi avez-vous besoin des noms ?"),
        help_text=_("Le motif est inscrit au journal d'audit avec l'export."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
        required=False,  # its length is checked by actions.check_export, with the message that names the fix
    )
