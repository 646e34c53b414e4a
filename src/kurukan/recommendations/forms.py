"""Recommendation forms: filters, follow-up entries, imports. Field errors are shown in place, in French or
English, by the shared `_field.html`."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kurukan.places.models import AdminUnit
from kurukan.vocabularies.models import Term

from .models import Indicator, Institution, Mechanism, Progress, Response, Theme

MAX_UPLOAD = 50 * 1024 * 1024


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Texte"), required=False)
    mechanism = forms.ChoiceField(
        label=_("Mécanisme"), required=False, choices=[("", "—"), *Mechanism.choices]
    )
    response = forms.ChoiceField(
        label=_("Réponse de l'État"), required=False, choices=[("", "—"), *Response.choices]
    )
    status = forms.ChoiceField(
        label=_("État d'avancement"),
        required=False,
        choices=[("", "—"), ("none", _("Jamais évaluée")), *Progress.choices],
    )
    institution = forms.ModelChoiceField(
        label=_("Institution"), required=False, queryset=Institution.objects.all()
    )
    # The shipped bilingual lists (UHRI themes and affected persons, the 17 SDGs), each its own filter.
    theme = forms.ModelChoiceField(
        label=_("Thème"), required=False, queryset=Theme.objects.filter(kind=Theme.Kind.THEME)
    )
    affected_group = forms.ModelChoiceField(
        label=_("Personnes concernées"),
        required=False,
        queryset=Theme.objects.filter(kind=Theme.Kind.AFFECTED_GROUP),
    )
    sdg = forms.ModelChoiceField(
        label=_("Objectif de développement durable"),
        required=False,
        queryset=Theme.objects.filter(kind=Theme.Kind.SDG),
    )


class MeasureForm(forms.Form):
    institution = forms.ModelChoiceField(
        label=_("Institution responsable"), queryset=Institution.objects.none()
    )
    description = forms.CharField(
        label=_("Mesure"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        error_messages={"required": _("Décrivez la mesure.")},
    )
    due_date = forms.DateField(
        label=_("Échéance"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, institutions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = (
            institutions if institutions is not None else Institution.objects.none()
        )

    def clean_description(self) -> str:
        text = self.cleaned_data["description"].strip()
        if not text:
            raise forms.ValidationError(_("Décrivez la mesure."))
        return text


class AssessmentForm(forms.Form):
    status = forms.ChoiceField(label=_("État d'avancement"), choices=Progress.choices)
    assessed_on = forms.DateField(
        label=_("Date de l'évaluation"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        initial=timezone.localdate,
    )
    measure = forms.ChoiceField(label=_("Mesure évaluée"), required=False)
    evidence = forms.CharField(
        label=_("Éléments de preuve"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=8000,
    )
    files = MultipleFileField(label=_("Pièces jointes"), required=False)

    def __init__(self, *args, measures=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].choices = [("", "—"), *((str(m.pk), str(m)) for m in measures)]
        self._measures = {str(m.pk): m for m in measures}

    def clean_assessed_on(self) -> dt.date:
        value = self.cleaned_data["assessed_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("Une évaluation ne peut pas être datée dans le futur."))
        return value

    def clean_measure(self):
        value = self.cleaned_data.get("measure")
        return self._measures.get(value) if value else None

    def clean_files(self):
        files = self.cleaned_data.get("files") or []
        for upload in files:
            if upload.size > MAX_UPLOAD:
                raise forms.ValidationError(
                    _("Le fichier « %(name)s » dépasse 50 Mo.") % {"name": upload.name}
                )
        return files


class AssignForm(forms.Form):
    institution = forms.ModelChoiceField(
        label=_("Institution responsable"), queryset=Institution.objects.all()
    )


class IndicatorForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type d'indicateur"), choices=Indicator.Kind.choices)
    name = forms.CharField(label=_("Indicateur"), max_length=300)
    computed_type = forms.ModelChoiceField(
        label=_("Calculer à partir des violations de type"),
        required=False,
        queryset=Term.objects.filter(vocabulary="violation_type", active=True),
        help_text=_("Laissez vide pour saisir les valeurs à la main."),
    )
    computed_verified = forms.BooleanField(label=_("Vérifiées seulement"), required=False, initial=True)


class IndicatorValueForm(forms.Form):
    on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    value = forms.DecimalField(label=_("Valeur"), max_digits=14, decimal_places=2)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class ImportForm(forms.Form):
    KINDS = [
        ("table", _("Tableau de recommandations (CSV ou XLSX, forme UPR Info / Index universel)")),
        ("resolution", _("Texte d'une résolution du Conseil des droits de l'homme (.md ou .txt)")),
    ]
    kind = forms.ChoiceField(
        label=_("Type de fichier"), choices=KINDS, widget=forms.RadioSelect, initial="table"
    )
    file = forms.FileField(label=_("Fichier"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("Le fichier dépasse 50 Mo."))
        return upload


class ClassifyForm(forms.Form):
    """What a recommendation is about, from the shipped bilingual lists (UHRI themes and affected persons,
    the 17 SDGs) and the vocabularies its figures are counted by (violation types, regions)."""

    themes = forms.ModelMultipleChoiceField(
        label=_("Thèmes"), required=False, queryset=Theme.objects.filter(kind=Theme.Kind.THEME)
    )
    affected_groups = forms.ModelMultipleChoiceField(
        label=_("Personnes concernées"),
        required=False,
        queryset=Theme.objects.filter(kind=Theme.Kind.AFFECTED_GROUP),
    )
    sdgs = forms.ModelMultipleChoiceField(
        label=_("Objectifs de développement durable"),
        required=False,
        queryset=Theme.objects.filter(kind=Theme.Kind.SDG),
    )
    violation_types = forms.ModelMultipleChoiceField(
        label=_("Types de violations concernés"),
        required=False,
        queryset=Term.objects.filter(vocabulary="violation_type", active=True),
    )
    regions = forms.ModelMultipleChoiceField(
        label=_("Régions concernées"), required=False, queryset=AdminUnit.objects.filter(level=1)
    )

    @classmethod
    def of(cls, recommendation) -> ClassifyForm:
        tags = list(recommendation.themes.all())
        return cls(
            initial={
                "themes": [t for t in tags if t.kind == Theme.Kind.THEME],
                "affected_groups": [t for t in tags if t.kind == Theme.Kind.AFFECTED_GROUP],
                "sdgs": [t for t in tags if t.kind == Theme.Kind.SDG],
                "violation_types": list(recommendation.violation_types.all()),
                "regions": list(recommendation.regions.all()),
            }
        )
