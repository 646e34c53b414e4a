"""The estimate request form. Every error says what to change, in the page's language."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from kurukan.accounts import access
from kurukan.accounts.models import Organisation
from kurukan.analysis.estimation.table import MAX_LISTS, MIN_LISTS
from kurukan.duplicates.models import Kind, LinkageRun
from kurukan.incidents.forms import DateInput, TermChoiceField, terms
from kurukan.jobs import JobStatus
from kurukan.vocabularies.models import Term

from .captures import LISTS_BY_ORGANISATION, LISTS_BY_SOURCE_KIND, Strata


class Matching:
    CONFIRMED = "confirmed"
    PAIRS = "pairs"


class ViolationTypeField(TermChoiceField):
    def label_from_instance(self, obj: Term) -> str:
        if obj.parent_id is None:
            return _("%(type)s (tous les sous-types)") % {"type": obj.label}
        return f"— {obj.label}"


class OrganisationsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return obj.name if not obj.short_name else f"{obj.short_name} — {obj.name}"


def latest_people_linkage() -> LinkageRun | None:
    return LinkageRun.objects.filter(kind=Kind.PEOPLE, status=JobStatus.DONE).first()


class EstimateForm(forms.Form):
    violation_type = ViolationTypeField(
        label=_("Type de violation ou d'atteinte"),
        queryset=terms("violation_type").order_by("sort_order", "code"),
        help_text=_("Un type général compte tous ses sous-types."),
        error_messages={"required": _("Choisissez le type de violation à estimer.")},
    )
    date_from = forms.DateField(label=_("Du"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("Au"), required=False, widget=DateInput())
    strata = forms.ChoiceField(
        label=_("Strates"),
        choices=[
            (Strata.NONE, _("Aucune")),
            (Strata.REGION, _("Par région")),
            (Strata.YEAR, _("Par année")),
            (Strata.REGION_YEAR, _("Par région et par année")),
        ],
        initial=Strata.NONE,
        help_text=_(
            "Estimer strate par strate réduit l'effet des différences de couverture entre zones ou années."
        ),
    )
    lists_by = forms.ChoiceField(
        label=_("Les listes sont"),
        choices=[
            (LISTS_BY_ORGANISATION, _("des organisations")),
            (LISTS_BY_SOURCE_KIND, _("des types de sources")),
        ],
        initial=LISTS_BY_ORGANISATION,
        required=False,  # organisations unless said otherwise: requests made before the choice existed
        widget=forms.RadioSelect,
        help_text=_(
            "Organisations : quand au moins trois organisations documentent les mêmes faits chacune de son "
            "côté. Types de sources : quand une seule équipe documente, chaque victime étant sur la liste "
            "de chaque type de source de son incident (témoignage direct, médias, dossiers médicaux…) ; "
            "des types qui s'informent l'un l'autre (un média qui reprend une ONG) rendent l'estimation "
            "trop basse."
        ),
    )
    organisations = OrganisationsField(
        label=_("Listes : organisations dont les fiches sont comparées"),
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Au moins trois. Seules les organisations dont vous pouvez consulter des fiches sont proposées."
        ),
    )
    source_kinds = forms.ModelMultipleChoiceField(
        label=_("Listes : types de sources comparés"),
        queryset=terms("source_kind").order_by("sort_order", "code"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Au moins trois, si les listes sont des types de sources."),
    )
    verification = forms.ChoiceField(
        label=_("Victimes comptées"),
        choices=[
            ("documented", _("Documentées (toutes, sauf les faits qui n'ont pas eu lieu)")),
            ("verified", _("Vérifiées seulement")),
        ],
        initial="documented",
    )
    matching = forms.ChoiceField(
        label=_("Appariement des victimes entre listes"),
        choices=[
            (Matching.CONFIRMED, _("Fusions confirmées seulement")),
            (
                Matching.PAIRS,
                _("Fusions confirmées et paires non examinées de probabilité au moins égale à :"),
            ),
        ],
        initial=Matching.CONFIRMED,
        widget=forms.RadioSelect,
    )
    min_probability = forms.FloatField(
        label=_("Probabilité minimale des paires"),
        required=False,
        min_value=0.5,
        max_value=0.999,
        initial=0.9,
        localize=True,
        help_text=_("Entre 0,5 et 0,999 : paires de la dernière recherche de doublons de personnes."),
    )
    method = forms.ChoiceField(
        label=_("Méthode"),
        choices=[
            ("loglinear", _("Log-linéaire (Chan, Silverman et Vincent 2021)")),
            ("lcmcr", _("LCMCR, classes latentes (Manrique-Vallier 2016)")),
        ],
        initial="loglinear",
    )
    criterion = forms.ChoiceField(
        label=_("Choix du modèle log-linéaire"),
        choices=[("stepwise", _("Pas à pas (stepwise)")), ("bic", "BIC"), ("aic", "AIC")],
        initial="stepwise",
    )
    bootstrap = forms.IntegerField(
        label=_("Échantillons bootstrap (log-linéaire)"), min_value=100, max_value=10_000, initial=1000
    )
    samples = forms.IntegerField(
        label=_("Tirages par chaîne (LCMCR)"), min_value=100, max_value=20_000, initial=2000
    )
    seed = forms.IntegerField(
        label=_("Graine aléatoire"),
        min_value=0,
        max_value=2**31 - 1,
        initial=1234,
        help_text=_("La même graine sur les mêmes données redonne la même estimation."),
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelMultipleChoiceField, self.fields["organisations"])
        field.queryset = Organisation.objects.filter(
            pk__in=access.visible_incidents(user).values("organisation_id")
        ).order_by("name")

    def _check_lists(self, cleaned: dict) -> None:
        """Three to ten lists, of the kind chosen; the error goes on the field that holds them."""
        name = "source_kinds" if cleaned.get("lists_by") == LISTS_BY_SOURCE_KIND else "organisations"
        if name in self.errors:
            return
        chosen = cleaned.get(name) or []
        if len(chosen) < MIN_LISTS:
            self.add_error(
                name,
                _(
                    "Choisissez au moins trois listes : l'estimation compare la façon dont elles se recoupent."
                ),
            )
        elif len(chosen) > MAX_LISTS:
            self.add_error(name, _("Choisissez au plus dix listes."))

    def clean(self):
        cleaned = super().clean()
        cleaned["lists_by"] = cleaned.get("lists_by") or LISTS_BY_ORGANISATION
        self._check_lists(cleaned)
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("La fin de la période précède son début."))
        if cleaned.get("matching") == Matching.PAIRS:
            if cleaned.get("min_probability") is None and "min_probability" not in self.errors:
                self.add_error("min_probability", _("Indiquez la probabilité minimale des paires à retenir."))
            self.linkage_run = latest_people_linkage()
            if self.linkage_run is None:
                self.add_error(
                    "matching",
                    _(
                        "Aucune recherche de doublons de personnes n'a abouti : lancez-en une, ou choisissez "
                        "« fusions confirmées seulement »."
                    ),
                )
        return cleaned

    def parameters(self) -> dict:
        """What the job needs, as JSON: ids to read the records, codes to say what was estimated."""
        data = self.cleaned_data
        by_kind = data["lists_by"] == LISTS_BY_SOURCE_KIND
        organisations = [] if by_kind else sorted(data["organisations"], key=lambda o: o.code)
        kinds = sorted(data["source_kinds"], key=lambda t: t.code) if by_kind else []
        pairs = data["matching"] == Matching.PAIRS
        return {
            "lists_by": data["lists_by"],
            "source_kinds": [t.code for t in kinds],
            "source_kind_ids": [t.pk for t in kinds],
            "violation_type": data["violation_type"].code,
            "violation_type_id": data["violation_type"].pk,
            "date_from": data["date_from"].isoformat() if data["date_from"] else None,
            "date_to": data["date_to"].isoformat() if data["date_to"] else None,
            "strata": data["strata"],
            "organisations": [o.code for o in organisations],
            "organisation_ids": [o.pk for o in organisations],
            "verification": data["verification"],
            "matching": data["matching"],
            "min_probability": data["min_probability"] if pairs else None,
            "linkage_run_id": self.linkage_run.pk if pairs else None,
            "method": data["method"],
            "criterion": data["criterion"] if data["method"] == "loglinear" else None,
            "bootstrap": data["bootstrap"],
            "samples": data["samples"],
            "seed": data["seed"],
        }
