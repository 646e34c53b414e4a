"""The dashboard's filters: the incident list's (same names, same values, so a click on a bar opens the list
with the same filters), plus the verification level and the organisation."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from kurukan.accounts.models import Organisation
from kurukan.incidents.forms import DateInput
from kurukan.incidents.queries import IncidentFilterForm

from .counting import Filters

LEVEL_CHOICES = [
    ("documented", _("Documentées")),
    ("verified", _("Vérifiées")),
    ("reported", _("Signalées")),
]
GRAIN_CHOICES = [("month", _("Par mois")), ("quarter", _("Par trimestre")), ("year", _("Par année"))]


class StatisticsForm(IncidentFilterForm):
    """The list's own fields and checks (one definition of each filter), less those that do not count."""

    q = None
    verification_status = None  # the level below says which violations count
    status = None
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.all(), required=False
    )
    level = forms.ChoiceField(label=_("Violations comptées"), choices=LEVEL_CHOICES, required=False)
    grain = forms.ChoiceField(label=_("Évolution"), choices=GRAIN_CHOICES, required=False)

    def filters(self) -> Filters:
        """The figures' filters; an invalid form (its errors shown beside the fields) filters nothing."""
        if not self.is_valid():
            return Filters()
        data = self.cleaned_data
        return Filters(
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            place=data["place"] or data["region"],
            violation_type=data["violation_type"],
            perpetrator_category=data["perpetrator_category"],
            organisation=data["organisation"],
            level=data.get("level") or "documented",
        )

    def chosen_grain(self) -> str:
        """The reader's choice; else months over two years at most, years over a longer or open period."""
        chosen = self.cleaned_data.get("grain") if self.is_valid() else ""
        if chosen:
            return chosen
        start, end = (
            (self.cleaned_data.get("date_from"), self.cleaned_data.get("date_to"))
            if self.is_valid()
            else (None, None)
        )
        return "month" if start and end and (end - start).days <= 731 else "year"


def previous_period(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """The period of the same length just before [start, end]."""
    days = (end - start).days + 1
    return start - dt.timedelta(days=days), start - dt.timedelta(days=1)


MEASURE_CHOICES = [
    ("violations", _("Violations et atteintes")),
    ("victims", _("Victimes")),
    ("incidents", _("Incidents")),
]


class CompareForm(StatisticsForm):
    """Two periods side by side, over the dashboard's other filters."""

    date_from = None
    date_to = None
    grain = None
    a_from = forms.DateField(label=_("Première période : du"), widget=DateInput())
    a_to = forms.DateField(label=_("au"), widget=DateInput())
    b_from = forms.DateField(label=_("Seconde période : du"), widget=DateInput())
    b_to = forms.DateField(label=_("au"), widget=DateInput())
    measure = forms.ChoiceField(label=_("Compter"), choices=MEASURE_CHOICES, required=False)

    def clean(self):
        cleaned = forms.Form.clean(self)
        for start, end in (("a_from", "a_to"), ("b_from", "b_to")):
            if cleaned.get(start) and cleaned.get(end) and cleaned[end] < cleaned[start]:
                self.add_error(end, _("La fin de la période précède son début."))
        return cleaned
