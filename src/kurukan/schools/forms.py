"""Forms to add a school and a status change, and the register's filters. Messages name the fix."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kurukan.actors.models import Actor
from kurukan.incidents.forms import DateInput, TermChoiceField, terms
from kurukan.places.models import AdminUnit, Level, Settlement
from kurukan.text import fold

from .models import School, StatusChange

PCODE_IN_TEXT = re.compile(r"\b(ML\d{6,9})\b", re.IGNORECASE)


def communes():
    return AdminUnit.objects.current().filter(level=Level.COMMUNE)


def find_commune(text: str) -> tuple[AdminUnit | None, str]:
    """A commune from what a person or a spreadsheet writes: its P-code, "Name (P-code)", or its name.

    Returns the commune, or None and the reason in words that say what to write instead."""
    text = (text or "").strip()
    if not text:
        return None, str(_("Indiquez la commune (son nom ou son P-code, ex. ML050301)."))
    match = PCODE_IN_TEXT.search(text)
    if match:
        unit = communes().filter(pcode=match.group(1).upper()).first()
        if unit is None:
            return None, str(_("Aucune commune n'a le P-code %(code)s.") % {"code": match.group(1)})
        return unit, ""
    found = list(communes().filter(name_search=fold(text)).select_related("parent")[:5])
    if len(found) == 1:
        return found[0], ""
    if not found:
        return None, str(
            _("Aucune commune ne s'appelle « %(name)s » : vérifiez l'orthographe ou donnez son P-code.")
            % {"name": text}
        )
    return None, str(
        _("Plusieurs communes s'appellent « %(name)s » (%(which)s) : donnez le P-code.")
        % {"name": text, "which": ", ".join(f"{u.pcode}, {u.parent}" for u in found)}
    )


def _nearest(found: list[Settlement], near: tuple[float, float] | None) -> Settlement | None:
    """Homonyms in one commune are common: the school's coordinates pick the one within about 5 km."""
    if near is None:
        return None
    placed = [s for s in found if s.latitude is not None and s.longitude is not None]
    if not placed:
        return None
    best = min(placed, key=lambda s: (s.latitude - near[0]) ** 2 + (s.longitude - near[1]) ** 2)
    close = (best.latitude - near[0]) ** 2 + (best.longitude - near[1]) ** 2 < 0.05**2
    return best if close else None


def find_settlement(
    text: str, commune: AdminUnit, near: tuple[float, float] | None = None
) -> tuple[Settlement | None, str]:
    text = (text or "").strip()
    if not text:
        return None, ""
    settlements = Settlement.objects.filter(commune=commune)
    match = PCODE_IN_TEXT.search(text)
    found = (
        list(settlements.filter(pcode=match.group(1).upper()))
        if match
        else list(settlements.filter(name_search__startswith=fold(text))[:5])
    )
    exact = [s for s in found if fold(s.name) == fold(text)]
    if len(found) == 1 or len(exact) == 1:
        return (exact or found)[0], ""
    nearest = _nearest(exact or found, near)
    if nearest is not None:
        return nearest, ""
    if not found:
        return None, str(
            _("La commune %(commune)s n'a pas de localité « %(name)s » : laissez vide ou donnez son P-code.")
            % {"commune": commune, "name": text}
        )
    return None, str(
        _(
            "Plusieurs localités de %(commune)s correspondent à « %(name)s » : donnez son P-code ou les coordonnées de l'école."
        )
        % {"commune": commune, "name": text}
    )


class SchoolForm(forms.ModelForm):
    level = TermChoiceField(label=_("Niveau"), queryset=terms("school_level"))
    management = TermChoiceField(label=_("Statut"), queryset=terms("school_management"), required=False)
    commune_name = forms.CharField(
        label=_("Commune"),
        max_length=200,
        help_text=_("Nom ou P-code ; la liste propose les communes au fur et à mesure de la saisie."),
        widget=forms.TextInput(attrs={"list": "communes", "autocomplete": "off"}),
    )
    settlement_name = forms.CharField(label=_("Localité (facultatif)"), max_length=200, required=False)

    class Meta:
        model = School
        fields = [
            "code",
            "name",
            "level",
            "management",
            "latitude",
            "longitude",
            "pupils_girls",
            "pupils_boys",
            "teachers_women",
            "teachers_men",
        ]

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip().upper()
        existing = School.objects.filter(code=code).exclude(pk=self.instance.pk).first()
        if existing:
            raise forms.ValidationError(
                _(
                    "Le code %(code)s est déjà celui de l'école « %(name)s » : ouvrez sa fiche au lieu d'en créer une autre."
                )
                % {"code": code, "name": existing.name}
            )
        return code

    def clean(self):
        cleaned = super().clean()
        commune, problem = find_commune(cleaned.get("commune_name", ""))
        if commune is None:
            self.add_error("commune_name", problem)
            return cleaned
        lat, lon = cleaned.get("latitude"), cleaned.get("longitude")
        near = (lat, lon) if lat is not None and lon is not None else None
        settlement, problem = find_settlement(cleaned.get("settlement_name", ""), commune, near)
        if problem:
            self.add_error("settlement_name", problem)
        lat, lon = cleaned.get("latitude"), cleaned.get("longitude")
        if lat is not None and not 10 <= lat <= 25.5:
            self.add_error("latitude", _("La latitude d'une école du Mali est comprise entre 10 et 25,5."))
        if lon is not None and not -12.5 <= lon <= 4.5:
            self.add_error(
                "longitude", _("La longitude d'une école du Mali est comprise entre -12,5 et 4,5.")
            )
        self.instance.commune, self.instance.settlement = commune, settlement
        return cleaned

    def save(self, commit: bool = True) -> School:
        school = super().save(commit=False)
        if school.latitude is None and school.settlement is not None:
            school.latitude, school.longitude = school.settlement.latitude, school.settlement.longitude
        if school.latitude is None:
            school.latitude, school.longitude = school.commune.latitude, school.commune.longitude
        if commit:
            school.save()
        return school


class StatusChangeForm(forms.ModelForm):
    status = TermChoiceField(label=_("Nouvel état"), queryset=terms("school_status"))
    reason = TermChoiceField(label=_("Motif"), queryset=terms("closure_reason"), required=False)
    occupier_category = TermChoiceField(
        label=_("Occupée par (catégorie)"), queryset=terms("perpetrator_category"), required=False
    )
    occupied_by = forms.ModelChoiceField(
        label=_("Occupée par (acteur)"), queryset=Actor.objects.all(), required=False
    )

    class Meta:
        model = StatusChange
        fields = [
            "status",
            "starts_on",
            "date_precision",
            "reason",
            "occupier_category",
            "occupied_by",
            "pupils_affected",
            "teachers_affected",
            "source",
        ]
        widgets = {"starts_on": DateInput()}

    def __init__(self, *args, school: School, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.school = school

    def clean_starts_on(self) -> dt.date:
        day = self.cleaned_data["starts_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(
                _("Cette date est dans le futur : indiquez le jour où l'état a changé.")
            )
        return day

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("status")
        if status is None:
            return cleaned
        closes = (status.attributes or {}).get("closed") == "yes"
        if closes and cleaned.get("reason") is None:
            self.add_error("reason", _("Dites pourquoi l'école ne fonctionne pas : choisissez un motif."))
        if status.code == "occupied" and not (cleaned.get("occupier_category") or cleaned.get("occupied_by")):
            self.add_error(
                "occupier_category", _("Dites qui occupe l'école : une catégorie d'auteur ou un acteur.")
            )
        actor = cleaned.get("occupied_by")
        if actor is not None and cleaned.get("occupier_category") is None:
            cleaned["occupier_category"] = actor.category
            self.instance.occupier_category = actor.category
        return cleaned


class StatusCorrectionForm(StatusChangeForm):
    """A wrong entry corrected in place (its previous version is kept): the same fields, and why."""

    correction_reason = forms.CharField(
        label=_("Raison de la correction"),
        max_length=100,
        help_text=_("Gardée avec la version précédente de l'entrée (ex. : date mal saisie), sans nom."),
        error_messages={"required": _("Dites pourquoi l'entrée est corrigée.")},
    )


class RegisterFilterForm(forms.Form):
    q = forms.CharField(label=_("Nom ou code"), required=False)
    region = forms.ModelChoiceField(
        label=_("Région"), queryset=AdminUnit.objects.current().regions(), required=False
    )
    cercle = forms.ModelChoiceField(
        label=_("Cercle"), queryset=AdminUnit.objects.current().filter(level=Level.CERCLE), required=False
    )
    commune = forms.CharField(
        label=_("Commune"), required=False, widget=forms.TextInput(attrs={"list": "communes"})
    )
    state = forms.ChoiceField(
        label=_("État à la date"),
        required=False,
        choices=[("", "—"), ("closed", _("Fermée")), ("open", _("Ouverte")), ("unknown", _("Inconnu"))],
    )
    level = TermChoiceField(label=_("Niveau"), queryset=terms("school_level"), required=False)
    on = forms.DateField(label=_("Date"), required=False, widget=DateInput())

    def clean_commune(self) -> AdminUnit | None:
        text = self.cleaned_data.get("commune", "")
        if not text.strip():
            return None
        commune, problem = find_commune(text)
        if commune is None:
            raise forms.ValidationError(problem)
        return commune
