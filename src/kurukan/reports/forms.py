"""What the report page asks: which report, the period, the level, regions, organisations (administrators),
a language, a format. The API fills the same form, so both say the same errors."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kurukan.accounts.models import Organisation, Role
from kurukan.incidents.forms import DateInput
from kurukan.places.models import AdminUnit, Level

from .documents import missing_renderer
from .models import FileFormat, Kind

LANGUAGES = [("fr", "Français"), ("en", "English")]


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Rapport"), choices=Kind.choices)
    date_from = forms.DateField(label=_("Du"), widget=DateInput)
    date_to = forms.DateField(label=_("Au"), widget=DateInput)
    language = forms.ChoiceField(label=_("Langue"), choices=LANGUAGES, initial="fr")
    file_format = forms.ChoiceField(label=_("Format"), choices=FileFormat.choices, initial="pdf")
    verified = forms.BooleanField(label=_("Violations vérifiées seulement"), required=False)
    regions = forms.MultipleChoiceField(
        label=_("Régions (aucune : tout le Mali)"), required=False, widget=forms.CheckboxSelectMultiple
    )
    organisations = forms.ModelMultipleChoiceField(
        label=_("Organisations (administrateurs ; aucune : toutes)"),
        queryset=Organisation.objects.order_by("code"),
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        regions = AdminUnit.objects.current().filter(level=Level.REGION).order_by("name")
        field = self.fields["regions"]
        assert isinstance(field, forms.MultipleChoiceField)  # noqa: S101 — declared above; narrows the type
        field.choices = [(r.pcode, r.name) for r in regions]
        field.error_messages["invalid_choice"] = _(
            "Région inconnue « %(value)s » : donnez le P-code d'une région actuelle (par exemple ML05 pour "
            "Mopti)."
        )
        self.fields["organisations"].error_messages["invalid_choice"] = _(
            "Organisation inconnue « %(value)s » : donnez le code d'une organisation enregistrée."
        )
        if user is None or user.role != Role.ADMINISTRATOR:
            del self.fields["organisations"]

    def clean(self) -> dict:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error(
                "date_to",
                _("La fin de la période précède son début : mettez une date postérieure au %(start)s.")
                % {"start": start.isoformat()},
            )
        if missing := missing_renderer(data.get("file_format", "")):
            self.add_error("file_format", missing)
        if data.get("kind") == Kind.BULLETIN:
            # The public figures are Mali's, through disclosure control: not recounted for a few regions.
            for name in ("regions", "organisations"):
                if data.get(name):
                    self.add_error(
                        name,
                        _(
                            "Le bulletin public donne les chiffres publics de tout le Mali : décochez les "
                            "régions et les organisations, ou choisissez un autre rapport."
                        ),
                    )
        return data
