"""What the report page asks: which report, the period, the level, a region, a language, a format."""

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
    region = forms.ChoiceField(label=_("Région"), required=False)
    organisation = forms.ModelChoiceField(
        label=_("Organisation (administrateurs)"), queryset=Organisation.objects.all(), required=False
    )

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        regions = AdminUnit.objects.current().filter(level=Level.REGION).order_by("name")
        region = self.fields["region"]
        assert isinstance(region, forms.ChoiceField)  # noqa: S101 — declared above; narrows the type
        region.choices = [("", _("Tout le Mali"))] + [(r.pcode, r.name) for r in regions]
        if user is None or user.role != Role.ADMINISTRATOR:
            del self.fields["organisation"]

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
        return data
