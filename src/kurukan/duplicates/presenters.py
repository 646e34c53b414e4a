"""Prepared data for the review queue: two records side by side and the evidence in plain French.

De-identification happens here, once: a person's name reaches the page only when the reviewer sees
identities on the incidents of both records (`access.sees_identities`).
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kurukan.accounts import access
from kurukan.incidents.models import Incident, Victim
from kurukan.incidents.presenters import format_event_date, place_label, shown_title
from kurukan.people.models import Person, Sex

from .models import CandidatePair, Kind, Merge

# What each comparison of the linkage model looks at.
FIELDS = {
    "name": gettext_lazy("Nom"),
    "birth_year": gettext_lazy("Année de naissance ou âge"),
    "sex": gettext_lazy("Sexe"),
    "event": gettext_lazy("Date et lieu de l'incident"),
    "date": gettext_lazy("Date"),
    "place": gettext_lazy("Lieu"),
    "violation": gettext_lazy("Type de violation"),
    "report": gettext_lazy("Rapport d'origine"),
    "identifier": gettext_lazy("Numéro d'identité"),
    "phone": gettext_lazy("Téléphone"),
    "violation_types": gettext_lazy("Types de violation"),
    "perpetrators": gettext_lazy("Catégories d'auteurs présumés"),
    "n_victims": gettext_lazy("Nombre de victimes"),
    "victim_clusters": gettext_lazy("Victimes rapprochées par la recherche de personnes"),
    "title_words": gettext_lazy("Mots du titre"),
}

# The model's level labels (kurukan.analysis.linkage.model), in words a reviewer reads. A label the
# table does not know yet is shown as the library writes it.
LEVELS = {
    "unknown": gettext_lazy("inconnu pour l'une des fiches"),
    "different": gettext_lazy("différent"),
    "same": gettext_lazy("identique"),
    "same name or known variant": gettext_lazy("même nom, ou variante connue"),
    "same names, given and family swapped": gettext_lazy("mêmes noms, prénom et nom inversés"),
    "both names sound alike": gettext_lazy("prénom et nom se prononcent de même"),
    "same family name, similar given name": gettext_lazy("même nom de famille, prénom proche"),
    "same given name, similar family name": gettext_lazy("même prénom, nom de famille proche"),
    "same family name, given name unknown": gettext_lazy("même nom de famille, prénom inconnu"),
    "both names similar": gettext_lazy("prénom et nom proches"),
    "same family name, different given name": gettext_lazy("même nom de famille, prénom différent"),
    "same given name, different family name": gettext_lazy("même prénom, nom de famille différent"),
    "same birth year": gettext_lazy("même année de naissance"),
    "same date of birth": gettext_lazy("même date de naissance"),
    "day and month swapped": gettext_lazy("jour et mois inversés"),
    "one part of the date different": gettext_lazy("une partie de la date différente"),
    "same address": gettext_lazy("même adresse"),
    "same postcode": gettext_lazy("même code postal"),
    "same postcode and settlement": gettext_lazy("même code postal et même localité"),
    "within 2 years": gettext_lazy("à 2 ans près"),
    "within 5 years, age estimated": gettext_lazy("à 5 ans près, âge estimé"),
    "within 10 years": gettext_lazy("à 10 ans près"),
    "same sex": gettext_lazy("même sexe"),
    "same day": gettext_lazy("même jour"),
    "same day within stated precision": gettext_lazy("même date, à la précision indiquée"),
    "same date within stated precision": gettext_lazy("même date, à la précision indiquée"),
    "within a week, same commune": gettext_lazy("à une semaine près, même commune"),
    "a day apart": gettext_lazy("à un jour près"),
    "within a week": gettext_lazy("à une semaine près"),
    "within a month": gettext_lazy("à un mois près"),
    "within a year": gettext_lazy("à un an près"),
    "same settlement": gettext_lazy("même localité"),
    "same commune": gettext_lazy("même commune"),
    "same cercle": gettext_lazy("même cercle"),
    "same region": gettext_lazy("même région"),
    "same day, same settlement": gettext_lazy("même jour, même localité"),
    "same date (within its precision), same commune": gettext_lazy(
        "même date (à sa précision), même commune"
    ),
    "within a month, same cercle": gettext_lazy("à un mois près, même cercle"),
    "same commune, other date": gettext_lazy("même commune, autre date"),
    "within a month, elsewhere": gettext_lazy("à un mois près, ailleurs"),
    "same region, other date": gettext_lazy("même région, autre date"),
    "same violation type": gettext_lazy("même type de violation"),
    "same group of violations": gettext_lazy("même famille de violations"),
    "same report, same violation": gettext_lazy("même rapport, même violation : sans doute deux personnes"),
    "same report, other violation": gettext_lazy("même rapport, autre violation"),
    "different reports": gettext_lazy("rapports différents"),
    "two or more in common": gettext_lazy("au moins deux en commun"),
    "one in common": gettext_lazy("un en commun"),
    "same group": gettext_lazy("même famille"),
    "same number": gettext_lazy("même nombre"),
    "a matched victim in common": gettext_lazy("une victime en commun"),
    "a matched victim in common, other violations": gettext_lazy(
        "une victime en commun, mais d'autres violations : sans valeur de preuve"
    ),
    "close number": gettext_lazy("nombre proche"),
}


def changed_comparisons(run) -> list[str]:
    """The comparisons whose m the reviewers' decisions moved, in the reader's words."""
    return [str(FIELDS.get(name, name)) for name in run.learned.get("m_changed", [])]


def strength(bayes_factor: float) -> str:
    """How strongly one comparison speaks, on Jeffreys' scale of Bayes factors (either direction)."""
    factor = bayes_factor if bayes_factor >= 1 else (1 / bayes_factor if bayes_factor > 0 else math.inf)
    if factor >= 100:
        return _("décisive")
    if factor >= 10:
        return _("forte")
    if factor >= 3:
        return _("modérée")
    return _("faible")


def _factor(bayes_factor: float) -> str:
    """×12,5 for evidence for, ÷4 for evidence against: three significant digits, in the user's locale."""
    if bayes_factor <= 0:
        return "÷∞"
    value = bayes_factor if bayes_factor >= 1 else 1 / bayes_factor
    sign = "×" if bayes_factor >= 1 else "÷"
    rounded = float(f"{value:.3g}")
    return sign + formats.number_format(int(rounded) if rounded.is_integer() else rounded)


def evidence_lines(evidence: list[dict]) -> tuple[list[dict], list[dict]]:
    """(for, against): each line says the field, what agreed or disagreed, and how strongly."""
    supports: list[dict[str, str]] = []
    opposes: list[dict[str, str]] = []
    for item in evidence:
        bf = float(item["bf"])
        if bf == 1:
            continue  # unknown on one side: no evidence either way
        line = {
            "field": str(FIELDS.get(item["field"], item["field"])),
            "level": str(LEVELS.get(item["level"], item["level"])),
            "strength": strength(bf),
            "factor": _factor(bf),
        }
        (supports if bf > 1 else opposes).append(line)
    return supports, opposes


def _age(victim: Victim | None, person: Person) -> str:
    if victim is not None and victim.age_at_time is not None:
        template = _("environ %(age)s ans") if victim.age_estimated else _("%(age)s ans")
        return template % {"age": victim.age_at_time}
    if person.birth_year:
        return (
            _("né(e) vers %(year)s") % {"year": person.birth_year}
            if person.birth_year_estimated
            else _("né(e) en %(year)s") % {"year": person.birth_year}
        )
    return _("âge inconnu")


def _first_visible_victimisations(user, person_ids: set[int]) -> dict[int, Victim]:
    """Each person's first victim record in an incident the user may see (it describes them)."""
    victims = (
        Victim.objects.filter(
            person_id__in=person_ids, violation__incident__in=access.visible_incidents(user)
        )
        .select_related(
            "person",
            "violation__type",
            "violation__incident__organisation",
            "violation__incident__commune",
            "violation__incident__cercle",
            "violation__incident__region",
            "violation__incident__settlement",
        )  # fmt: skip
        .order_by("id")
    )
    first: dict[int, Victim] = {}
    for victim in victims:
        first.setdefault(victim.person_id, victim)
    return first


def _person_side(user, victim: Victim, named: bool) -> dict[str, Any]:
    person, incident = victim.person, victim.violation.incident
    return {
        "label": person.full_name if named and person.full_name else _("Victime (identité masquée)"),
        "named": named,
        "person_id": person.public_id if named else "",
        "facts": [
            (_("Sexe"), Sex(person.sex).label),
            (_("Âge"), _age(victim, person)),
            (_("Commune"), place_label(user, incident, with_settlement=False)),
            (_("Date de l'incident"), format_event_date(incident.start_date, incident.date_precision)),
            (_("Violation"), victim.violation.type.label),
            (_("Source"), str(incident.organisation)),
        ],
        "incident": incident.public_id,
    }


def _incident_side(user, incident: Incident, types: list[str]) -> dict[str, Any]:
    dates = format_event_date(incident.start_date, incident.date_precision)
    if incident.end_date and incident.end_date != incident.start_date:
        dates = f"{dates} – {format_event_date(incident.end_date, incident.date_precision)}"
    return {
        "label": shown_title(incident, access.shows_exact_place(user, incident), types),
        "incident": incident.public_id,
        "facts": [
            (_("Dates"), dates),
            (_("Lieu"), place_label(user, incident)),
            (_("Types"), ", ".join(types) or "—"),
            (_("Victimes"), str(incident.victim_count)),
            (_("Source"), str(incident.organisation)),
        ],
    }


def pair_cards(user, pairs: list[CandidatePair]) -> list[dict[str, Any]]:
    """Side-by-side cards for a page of pairs, in their order; a few queries per page, not per pair."""
    people = [p for p in pairs if p.kind == Kind.PEOPLE]
    incidents = [p for p in pairs if p.kind == Kind.INCIDENTS]
    sides: dict[tuple[str, int], dict[str, Any]] = {}
    if people:
        ids = {i for p in people for i in (p.left_id, p.right_id)}
        first = _first_visible_victimisations(user, ids)
        identities: dict[int, bool] = {}
        for pair in people:
            left, right = first.get(pair.left_id), first.get(pair.right_id)
            if left is None or right is None:
                continue
            for victim in (left, right):
                incident = victim.violation.incident
                if incident.pk not in identities:
                    identities[incident.pk] = access.sees_identities(user, incident)
            named = (
                identities[left.violation.incident_id]
                and identities[right.violation.incident_id]
                # through a share, only persons who consented to it are named (kurukan.people.consent)
                and bool(access.persons_named(user, left.violation.incident, {left.person_id}))
                and bool(access.persons_named(user, right.violation.incident, {right.person_id}))
            )
            sides[(f"{pair.pk}", pair.left_id)] = _person_side(user, left, named)
            sides[(f"{pair.pk}", pair.right_id)] = _person_side(user, right, named)
    if incidents:
        ids = {i for p in incidents for i in (p.left_id, p.right_id)}
        found = {
            i.pk: i
            for i in access.visible_incidents(user)
            .filter(pk__in=ids)
            .select_related("organisation", "commune", "cercle", "region", "settlement")
        }
        types: dict[int, set[str]] = defaultdict(set)
        for incident in found.values():
            for violation in incident.violations.select_related("type"):
                types[incident.pk].add(violation.type.label)
        for pair in incidents:
            for pk in (pair.left_id, pair.right_id):
                if pk in found:
                    sides[(f"{pair.pk}", pk)] = _incident_side(user, found[pk], sorted(types[pk]))
    cards = []
    for pair in pairs:
        left_side, right_side = (
            sides.get((f"{pair.pk}", pair.left_id)),
            sides.get((f"{pair.pk}", pair.right_id)),
        )
        if left_side is None or right_side is None:
            continue  # a record the reviewer may no longer see
        supports, opposes = evidence_lines(pair.evidence)
        cards.append(
            {
                "id": pair.pk,
                "kind": pair.kind,
                "kind_label": pair.get_kind_display(),
                "probability": round(pair.probability * 100, 1),
                "decision": pair.decision,
                "decision_label": pair.get_decision_display(),
                "left": left_side,
                "right": right_side,
                "supports": supports,
                "opposes": opposes,
            }
        )
    return cards


def merge_rows(merges: list[Merge]) -> list[dict[str, Any]]:
    """Recent merges with the public ids of both records (ids only: no names on this list)."""
    by_kind: dict[str, set[int]] = defaultdict(set)
    for merge in merges:
        by_kind[merge.kind] |= {merge.survivor_id, merge.duplicate_id}
    public: dict[tuple[str, int], str] = {}
    for kind, ids in by_kind.items():
        model = Person if kind == Kind.PEOPLE else Incident
        for pk, public_id in model.objects.filter(pk__in=ids).values_list("pk", "public_id"):
            public[(kind, pk)] = public_id
    return [
        {
            "id": m.pk,
            "kind": m.get_kind_display(),
            "is_incident": m.kind == Kind.INCIDENTS,
            "survivor": public.get((m.kind, m.survivor_id), ""),
            "duplicate": public.get((m.kind, m.duplicate_id), ""),
            "merged_by": m.merged_by.get_username() if m.merged_by else "",
            "merged_at": m.merged_at,
            "active": m.active,
        }
        for m in merges
    ]
