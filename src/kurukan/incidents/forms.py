"""Forms for recording incidents. Every error names the field and says how to fix it, in the page's language."""

from __future__ import annotations

import datetime as dt
from typing import cast

from django import forms
from django.db.models import Q
from django.forms.models import ModelChoiceIterator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kurukan.accounts.models import Confidentiality, Organisation, Role
from kurukan.actors.models import Actor
from kurukan.people.models import Person, Sex
from kurukan.places.models import AdminUnit, Level, Settlement
from kurukan.schools.models import School
from kurukan.vocabularies import choices
from kurukan.vocabularies.models import Term

from .models import GroupVictims, Incident, Perpetrator, Source, VerificationStatus, Victim, Violation

MAX_AGE = 120


class ReadOnceChoiceIterator(ModelChoiceIterator):
    """The choices in one plain read. Django's iterator reads them through `QuerySet.iterator()`, which on
    PostgreSQL is a server-side cursor: three round trips (DECLARE, FETCH, CLOSE) for a few dozen rows.
    A field with `kept_as` draws on the list kept per process (vocabularies/choices.py) instead."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        kept_as = getattr(self.field, "kept_as", None)
        for obj in choices.kept(kept_as, self.queryset.all) if kept_as else self.queryset.all():
            yield self.choice(obj)


class MemoSelect(forms.Select):
    """A select list drawn once per process for the same choices, value and attributes: Django draws each
    option through two templates (a few milliseconds for a list of types), every time. The choices are still
    read at each drawing and are part of the key, so a renamed or deactivated term shows at once."""

    _drawn: dict[tuple, str] = {}
    MAX_DRAWN = 512

    def render(self, name, value, attrs=None, renderer=None):
        choices = list(
            iter(self.choices)
        )  # iter(): list() would first ask a model choice list its len (a COUNT)
        key = (
            type(self),
            name,
            tuple(self.format_value(value)),
            tuple(sorted(self.build_attrs(self.attrs, attrs).items())),
            tuple((str(v), str(label)) for v, label in choices),
            renderer.__class__ if renderer is not None else None,
        )
        try:
            drawn = self._drawn.get(key)
        except TypeError:  # an attribute that cannot be a key (never seen): draw it as Django does
            return super().render(name, value, attrs, renderer)
        if drawn is None:
            kept, self.choices = self.choices, choices  # drawn from what was just read, not read again
            try:
                drawn = super().render(name, value, attrs, renderer)
            finally:
                self.choices = kept
            if len(self._drawn) >= self.MAX_DRAWN:
                self._drawn.clear()
            self._drawn[key] = drawn
        return drawn


class ReadOnceChoiceField(forms.ModelChoiceField):
    """`kept_as` names a list of reference rows kept per process (vocabularies/choices.py): give it only to
    a fixed queryset of terms or units, the same for every user. Giving the field another queryset (a form
    narrowing its choices) drops it. A submitted value is still looked up in the database."""

    iterator = ReadOnceChoiceIterator
    widget = MemoSelect

    def __init__(self, queryset, *, kept_as: str | None = None, **kwargs):
        super().__init__(queryset, **kwargs)
        self.kept_as = kept_as

    def _set_queryset(self, queryset):
        self.kept_as = None
        super()._set_queryset(queryset)

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)  # sets a copy of the same queryset: the same kept list
        result.kept_as = self.kept_as
        return result


class TermChoiceField(ReadOnceChoiceField):
    def label_from_instance(self, obj: Term) -> str:
        return obj.label


class TermMultipleChoiceField(forms.ModelMultipleChoiceField):
    iterator = ReadOnceChoiceIterator

    def label_from_instance(self, obj: Term) -> str:
        return obj.label


def terms(vocabulary: str, leaves_only: bool = False):
    qs = Term.objects.of(vocabulary).active().select_related("parent")
    return qs.leaves() if leaves_only else qs


def today() -> dt.date:
    return timezone.localdate()


def with_fixed_choices[F: forms.BaseForm](form: F) -> F:
    """Read each choice list once: a form drawn under every violation would otherwise query per drawing."""
    for field in form.fields.values():
        if isinstance(field, forms.ModelChoiceField):
            # The stubs give the getter the setter's input types; Django returns a ModelChoiceIterator here.
            # iter(): list() of the iterator itself would first ask its len, a COUNT query.
            field.widget.choices = list(iter(cast(ModelChoiceIterator, field.choices)))
    return form


def grouped_choices(queryset) -> list:
    """Terms under their parent as a heading (an optgroup, or a plain caption among checkboxes): a parent
    such as "Armes" is a family, not a choice. A top-level term without children stays a choice."""
    terms_ = list(queryset)
    children: dict[int, list[Term]] = {}
    for term in terms_:
        if term.parent_id is not None:
            children.setdefault(term.parent_id, []).append(term)
    choices: list = []
    for term in terms_:
        if term.parent_id is not None:
            continue
        if term.pk in children:
            choices.append((term.label, [(child.pk, child.label) for child in children[term.pk]]))
        else:
            choices.append((term.pk, term.label))
    orphans = [t for t in terms_ if t.parent_id is not None and t.parent_id not in {r.pk for r in terms_}]
    choices.extend((t.pk, t.label) for t in orphans)
    return choices


def for_card[F: forms.BaseForm](form: F, template: forms.BaseForm) -> F:
    """A form drawn in one card among several: its choice lists come from `template` (read once), and the
    caller gives it its own `auto_id`, so no two cards share an element id."""
    for name, field in form.fields.items():
        if hasattr(template.fields[name].widget, "choices"):
            field.widget.choices = template.fields[name].widget.choices
    return form


class GroupedCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes under captions: a family of terms is read as a heading, never as a box to tick."""

    template_name = "incidents/widgets/grouped_checkboxes.html"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class IncidentForm(forms.ModelForm):
    region_choice = forms.ModelChoiceField(
        label=_("Région"),
        queryset=AdminUnit.objects.current().regions().defer("geometry"),
        required=False,
        help_text=_("Facultatif si vous choisissez une commune ou une localité ci-dessous."),
    )
    place = forms.CharField(label=_("Commune ou localité"), required=False, widget=forms.HiddenInput)
    # No name in public text (kurukan.people.public_text): a coordinator may publish a flagged summary anyway.
    public_text_override = forms.BooleanField(
        label=_("Publier ce résumé malgré l'alerte (coordinateur)"), required=False
    )
    public_text_reason = forms.CharField(
        label=_("Motif (gardé dans le journal d'audit)"),
        required=False,
        max_length=500,
        help_text=_("Obligatoire pour publier malgré l'alerte. Ne citez aucun nom."),
    )

    class Meta:
        model = Incident
        fields = [
            "title",
            "start_date",
            "end_date",
            "date_precision",
            "date_estimated",
            "geo_precision",
            "latitude",
            "longitude",
            "confidentiality",
            "public_summary",
            "narrative",
        ]
        help_texts = {
            "title": _(
                "Visible par les analystes et les partenaires : sans nom de personne ni de village pour un "
                "incident restreint (ils voient alors un titre neutre : types, commune, mois)."
            ),
        }
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "narrative": forms.Textarea(attrs={"rows": 6}),
            "public_summary": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confidentiality"].initial = Confidentiality.INTERNAL
        self.user = None  # set by the page: who may publish a flagged summary anyway
        self.extra_names: list[str] = []  # names typed on the same page (the first record's victim)
        self.override_reason = ""
        instance = self.instance
        if instance.pk:
            self.fields["region_choice"].initial = instance.region_id
            if instance.settlement_id:
                self.fields["place"].initial = f"settlement:{instance.settlement_id}"
            elif instance.place is not None:
                self.fields["place"].initial = f"unit:{instance.place.pk}"

    def chosen_place(self) -> tuple[AdminUnit | None, Settlement | None]:
        value = self.cleaned_data.get("place") or self.data.get("place") or ""
        kind, _sep, raw_pk = str(value).partition(":")
        if not raw_pk.isdigit():
            return None, None
        if kind == "settlement":
            settlement = (
                Settlement.objects.select_related("commune")
                .defer("commune__geometry")
                .filter(pk=int(raw_pk))
                .first()
            )
            return (settlement.commune if settlement else None), settlement
        return AdminUnit.objects.defer("geometry").filter(pk=int(raw_pk)).first(), None

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and start > today():
            self.add_error(
                "start_date", _("La date de début est dans le futur : indiquez la date des faits.")
            )
        if end and end > today():
            self.add_error(
                "end_date", _("La date de fin est dans le futur : laissez-la vide si les faits durent.")
            )
        if start and end and end < start:
            self.add_error(
                "end_date", _("La date de fin précède la date de début : corrigez l'une des deux.")
            )
        unit, settlement = self.chosen_place()
        region = cleaned.get("region_choice")
        if unit is None and region is None:
            self.add_error(
                "place", _("Choisissez au moins la région, ou cherchez la commune ou la localité.")
            )
        if unit is not None and region is not None and unit.region_id != region.pk:
            self.add_error(
                "place",
                _(
                    "%(place)s n'est pas dans la région %(region)s : choisissez l'autre région ou une autre commune."
                )
                % {"place": settlement or unit, "region": region},
            )
        lat, lon = cleaned.get("latitude"), cleaned.get("longitude")
        if lat is not None and not -90 <= lat <= 90:
            self.add_error("latitude", _("La latitude doit être comprise entre -90 et 90 (Mali : 10 à 25)."))
        if lon is not None and not -180 <= lon <= 180:
            self.add_error(
                "longitude", _("La longitude doit être comprise entre -180 et 180 (Mali : -12 à 4,5).")
            )
        self._unit, self._settlement = unit, settlement
        self._check_public_text(cleaned)
        return cleaned

    def _names(self) -> list[str]:
        """The names of the persons of this record, decrypted in memory for the check only."""
        from kurukan.people.public_text import person_names

        names = list(self.extra_names)
        if self.instance.pk:
            incident = self.instance
            persons = Person.objects.filter(
                Q(victimisations__violation__incident=incident)
                | Q(pk__in=incident.sources.values("person_id"))
                | Q(pk__in=Perpetrator.objects.filter(violation__incident=incident).values("person_id"))
            ).distinct()
            names += person_names(persons)
        return names

    def _check_public_text(self, cleaned: dict) -> None:
        from kurukan.people.public_text import find

        summary = cleaned.get("public_summary") or ""
        hits = find(summary, self._names()) if summary else []
        if not hits:
            return
        reason = (cleaned.get("public_text_reason") or "").strip()
        may_override = self.user is not None and self.user.role in {Role.COORDINATOR, Role.ADMINISTRATOR}
        if cleaned.get("public_text_override") and may_override and reason:
            if find(reason, self._names()):
                self.add_error("public_text_reason", _("Le motif ne doit citer aucun nom ni numéro."))
            else:
                self.override_reason = reason
            return
        for hit in hits:
            self.add_error("public_summary", hit.message())
        if cleaned.get("public_text_override") and not may_override:
            self.add_error(
                "public_text_override", _("Seul un coordinateur peut publier un résumé malgré l'alerte.")
            )
        elif cleaned.get("public_text_override"):
            self.add_error("public_text_reason", _("Indiquez pourquoi ce résumé peut être publié tel quel."))

    def save(self, commit: bool = True) -> Incident:
        incident = super().save(commit=False)
        unit = self._unit or self.cleaned_data.get("region_choice")
        incident.settlement = self._settlement
        incident.region = incident.cercle = incident.commune = None
        while unit is not None and unit.level >= Level.REGION:
            setattr(
                incident,
                {Level.REGION: "region", Level.CERCLE: "cercle", Level.COMMUNE: "commune"}[unit.level],
                unit,
            )
            unit = unit.parent
        if self._settlement and incident.latitude is None:
            incident.latitude, incident.longitude = self._settlement.latitude, self._settlement.longitude
        if commit:
            incident.save()
        return incident


class ViolationForm(forms.ModelForm):
    type = TermChoiceField(
        label=_("Type de violation ou d'atteinte"),
        queryset=terms("violation_type", True),
        kept_as="leaves:violation_type",
    )
    methods = TermMultipleChoiceField(
        label=_("Méthodes"), queryset=terms("method"), required=False, widget=GroupedCheckboxes
    )

    school = forms.ModelChoiceField(
        label=_("École (attaque ou utilisation militaire)"),
        queryset=School.objects.none(),
        required=False,
        help_text=_("Les écoles du registre dans la commune de l'incident."),
    )

    class Meta:
        model = Violation
        fields = ["type", "methods", "school"]

    SCHOOL_TYPES = ("protected.attack_school", "children.military_use")

    def __init__(self, *args, incident: Incident | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # The families of types and methods are headings, not choices (their leaves are what is recorded).
        types = choices.kept("terms:violation_type", terms("violation_type").all)
        self.fields["type"].widget.choices = [("", "---------"), *grouped_choices(types)]
        self.fields["methods"].widget.choices = grouped_choices(
            choices.kept("terms:method", terms("method").all)
        )
        commune_id = incident.commune_id if incident is not None else None
        # A monitor picks among the schools of the incident's commune; without a commune there is no list.
        self.fields["school"].queryset = School.objects.filter(commune_id=commune_id).order_by("name")
        if commune_id is None:
            del self.fields["school"]

    def clean(self):
        cleaned = super().clean()
        kind, school = cleaned.get("type"), cleaned.get("school")
        if school is not None and kind is not None and kind.code not in self.SCHOOL_TYPES:
            self.add_error(
                "school",
                _(
                    "Une école se rattache à une attaque contre une école ou à son utilisation militaire : "
                    "changez le type ou laissez l'école vide."
                ),
            )
        return cleaned


class VictimForm(forms.Form):
    given_name = forms.CharField(label=_("Prénom(s)"), required=False, max_length=200)
    family_name = forms.CharField(label=_("Nom de famille"), required=False, max_length=200)
    other_names = forms.CharField(
        label=_("Surnom ou signalement"),
        required=False,
        max_length=300,
        help_text=_(
            "Si le nom est inconnu : un surnom ou ce qui distingue la personne (« le fils du chef »)."
        ),
    )
    sex = forms.ChoiceField(label=_("Sexe"), choices=Sex.choices, initial=Sex.UNKNOWN)
    age_at_time = forms.IntegerField(label=_("Âge au moment des faits"), required=False)
    age_estimated = forms.BooleanField(label=_("Âge estimé"), required=False)
    birth_year = forms.IntegerField(label=_("Année de naissance"), required=False)
    categories = TermMultipleChoiceField(
        label=_("Catégories"),
        queryset=terms("victim_category"),
        required=False,
        widget=GroupedCheckboxes,
    )
    status_after = TermChoiceField(
        label=_("Situation après les faits"),
        queryset=terms("victim_status"),
        required=False,
        kept_as="terms:victim_status",
    )
    phone = forms.CharField(label=_("Téléphone"), required=False, max_length=40)

    def __init__(self, *args, incident: Incident | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.incident = incident

    def clean_age_at_time(self):
        age = self.cleaned_data.get("age_at_time")
        if age is not None and not 0 <= age <= MAX_AGE:
            raise forms.ValidationError(
                _("L'âge doit être compris entre 0 et %(max)s ans.") % {"max": MAX_AGE}
            )
        return age

    def clean_birth_year(self):
        year = self.cleaned_data.get("birth_year")
        if year is not None and not today().year - MAX_AGE <= year <= today().year:
            raise forms.ValidationError(
                _("L'année de naissance doit être entre %(low)s et %(high)s.")
                % {"low": today().year - MAX_AGE, "high": today().year}
            )
        return year

    def clean(self):
        cleaned = super().clean()
        if not any((cleaned.get(f) or "").strip() for f in ("given_name", "family_name", "other_names")):
            self.add_error(
                "given_name",
                _(
                    "Une victime nommée a au moins un nom, un surnom ou un signalement. Pour des victimes "
                    "sans nom, ajoutez plutôt un groupe de victimes (nombres)."
                ),
            )
        age, year = cleaned.get("age_at_time"), cleaned.get("birth_year")
        if self.incident and age is not None and year is not None:
            implied = self.incident.start_date.year - year
            if abs(implied - age) > 2:
                self.add_error(
                    "birth_year",
                    _(
                        "Né en %(year)s, la victime aurait eu %(implied)s ans en %(when)s, pas %(age)s : "
                        "corrigez l'âge ou l'année, ou cochez « âge estimé » et laissez l'année vide."
                    )
                    % {"year": year, "implied": implied, "when": self.incident.start_date.year, "age": age},
                )
        if self.incident and year is not None and year > self.incident.start_date.year:
            self.add_error("birth_year", _("L'année de naissance est postérieure aux faits."))
        return cleaned

    def build(self) -> tuple[Person, Victim, list[Term]]:
        data = self.cleaned_data
        person = Person(
            given_name=data["given_name"].strip(),
            family_name=data["family_name"].strip(),
            other_names=data["other_names"].strip(),
            sex=data["sex"],
            birth_year=data["birth_year"],
            birth_year_estimated=data["age_estimated"],
            phone=data["phone"].strip(),
        )
        age = data["age_at_time"]
        if age is None and data["birth_year"] and self.incident:
            age = self.incident.start_date.year - data["birth_year"]
        victim = Victim(
            age_at_time=age, age_estimated=data["age_estimated"], status_after=data["status_after"]
        )
        categories = list(data["categories"])
        child = Term.objects.filter(vocabulary="victim_category", code="child").first()
        if age is not None and age < 18 and child and child not in categories:
            categories.append(child)
        return person, victim, categories


class GroupVictimsForm(forms.ModelForm):
    class Meta:
        model = GroupVictims
        fields = ["description", "women", "men", "girls", "boys", "unknown"]

    COUNTS = ("women", "men", "girls", "boys", "unknown")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.COUNTS:
            self.fields[name].required = False  # a count left empty is none

    def clean(self):
        cleaned = super().clean()
        for name in self.COUNTS:
            if cleaned.get(name) is None and name not in self.errors:
                cleaned[name] = 0
        counts = [cleaned.get(f) or 0 for f in self.COUNTS]
        if sum(counts) == 0:
            raise forms.ValidationError(
                _("Le groupe ne compte aucune victime : indiquez au moins un nombre.")
            )
        return cleaned


class PerpetratorForm(forms.ModelForm):
    actor = forms.ModelChoiceField(
        label=_("Acteur"), queryset=Actor.objects.filter(active=True), required=False
    )
    category = TermChoiceField(
        label=_("Catégorie d'auteur"),
        queryset=terms("perpetrator_category"),
        required=False,
        help_text=_("Déduite de l'acteur si vous en choisissez un."),
        kept_as="terms:perpetrator_category",
    )
    involvement = TermChoiceField(
        label=_("Implication"), queryset=terms("involvement"), required=False, kept_as="terms:involvement"
    )

    class Meta:
        model = Perpetrator
        fields = ["actor", "category", "involvement"]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("actor") and not cleaned.get("category"):
            raise forms.ValidationError(
                _(
                    "Choisissez l'acteur, ou au moins la catégorie d'auteur (par ex. « Hommes armés non identifiés »)."
                )
            )
        if cleaned.get("actor") and not cleaned.get("category"):
            cleaned["category"] = cleaned["actor"].category
            self.instance.category = cleaned["actor"].category
        return cleaned


class SourceForm(forms.ModelForm):
    kind = TermChoiceField(
        label=_("Type de source"), queryset=terms("source_kind"), required=False, kept_as="terms:source_kind"
    )
    reliability = TermChoiceField(
        label=_("Fiabilité"), queryset=terms("reliability"), required=False, kept_as="terms:reliability"
    )

    class Meta:
        model = Source
        fields = ["kind", "reliability", "language", "reported_on", "description"]
        widgets = {"reported_on": DateInput(), "description": forms.Textarea(attrs={"rows": 2})}

    def clean_reported_on(self):
        value = self.cleaned_data.get("reported_on")
        if value and value > today():
            raise forms.ValidationError(_("La date de l'information est dans le futur."))
        return value


class VerificationForm(forms.Form):
    verification_status = forms.ChoiceField(label=_("Statut"), choices=VerificationStatus.choices)
    standard_of_proof = TermChoiceField(
        label=_("Critère de preuve"),
        queryset=terms("standard_of_proof"),
        required=False,
        kept_as="terms:standard_of_proof",
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("verification_status") == VerificationStatus.VERIFIED and not cleaned.get(
            "standard_of_proof"
        ):
            self.add_error(
                "standard_of_proof",
                _(
                    "Une violation vérifiée doit indiquer le critère de preuve (par ex. « motifs raisonnables de croire »)."
                ),
            )
        return cleaned


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif de la réouverture"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Gardé dans le journal d'audit : ne citez ni nom ni village."),
        error_messages={"required": _("Indiquez pourquoi l'incident est rouvert.")},
    )


class ShareForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Partager avec"), queryset=Organisation.objects.none())
    include_identities = forms.BooleanField(
        label=_("Avec les identités (noms, récit) — seulement si les personnes y ont consenti"),
        required=False,
    )

    def __init__(self, *args, incident: Incident, **kwargs):
        super().__init__(*args, **kwargs)
        already = incident.shares.filter(revoked_at__isnull=True).values("organisation")
        field = cast(forms.ModelChoiceField, self.fields["organisation"])
        field.queryset = Organisation.objects.exclude(pk=incident.organisation_id).exclude(pk__in=already)
