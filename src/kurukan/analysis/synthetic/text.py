"""French titles, narratives and de-identified public summaries for synthetic incident reports.

The narrative may name victims (it is protected data, like in a real case file); the public summary never
does, and for restricted or strictly confidential reports it names no village, only the cercle or region.
"""

from __future__ import annotations

import datetime
import random
from typing import TYPE_CHECKING

from .model import SourceReport, ViolationReport

if TYPE_CHECKING:
    from .places import Gazetteer, Settlement
    from .truth import TrueEvent

MONTHS_FR: tuple[str, ...] = (
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
    "novembre", "décembre",
)  # fmt: skip


def date_fr(d: datetime.date, precision: str) -> str:
    """ "le 23 mars 2019", "en mars 2019"… as a French report says it, at the report's precision."""
    if precision == "day":
        return f"le {'1er' if d.day == 1 else d.day} {MONTHS_FR[d.month - 1]} {d.year}"
    if precision == "week":
        return f"au cours de la semaine du {d.day} {MONTHS_FR[d.month - 1]} {d.year}"
    if precision == "month":
        return f"en {MONTHS_FR[d.month - 1]} {d.year}"
    return f"courant {d.year}"


# type → (title pattern, singular noun, plural noun, feminine, verb: "… auraient <verb> <object> <place>")
_TITLES: dict[str, tuple[str, str, str, bool, str]] = {
    "life.summary_execution": ("Exécution sommaire {de}", "civil", "civils", False, "exécuté sommairement"),
    "life.killing_civilians": ("Meurtre {de}", "civil", "civils", False, "tué"),
    "life.indiscriminate_attack": ("{n} morts lors d'une attaque", "civil", "civils", False, "tué"),
    "life.death_in_custody": (
        "Décès en détention {de}", "détenu", "détenus", False, "laissé mourir en détention",
    ),
    "life.attempted_killing": ("Tentative d'assassinat {de}", "personne", "personnes", True, "tenté de tuer"),
    "integrity.maiming": ("Blessures infligées {a}", "civil", "civils", False, "blessé"),
    "integrity.torture": ("Torture et mauvais traitements {a}", "détenu", "détenus", False, "torturé"),
    "integrity.threats": ("Menaces de mort {contre}", "personne", "personnes", True, "menacé de mort"),
    "sexual.rape": ("Viol {de}", "femme", "femmes et filles", True, "violé"),
    "sexual.other": ("Violences sexuelles {contre}", "femme", "femmes", True, "agressé sexuellement"),
    "sexual.slavery_forced_marriage": (
        "Mariage forcé {de}", "femme", "femmes", True, "enlevé et marié de force",
    ),
    "liberty.arbitrary_detention": ("Arrestation arbitraire {de}", "personne", "personnes", True, "arrêté"),
    "liberty.enforced_disappearance": (
        "Disparition forcée {de}", "personne", "personnes", True, "fait disparaître",
    ),
    "liberty.abduction": ("Enlèvement {de}", "personne", "personnes", True, "enlevé"),
    "liberty.descent_slavery": (
        "Violences liées à l'esclavage par ascendance {contre}", "personne", "personnes", True, "agressé",
    ),
    "children.recruitment_use": ("Recrutement {de}", "enfant", "enfants", False, "recruté"),
    "children.military_use": ("Occupation militaire d'une école", "", "", False, "occupé l'école"),
    "protected.attack_school": ("Attaque contre une école", "", "", False, "attaqué l'école"),
    "protected.attack_hospital": (
        "Attaque contre un centre de santé", "", "", False, "attaqué le centre de santé",
    ),
    "protected.looting_destruction": (
        "Pillage et destruction de biens", "", "", False, "pillé et incendié des biens",
    ),
    "humanitarian.denial_access": (
        "Entrave à l'accès humanitaire", "", "", False, "bloqué l'accès humanitaire",
    ),
    "humanitarian.attack_personnel": (
        "Attaque contre des travailleurs humanitaires",
        "travailleur humanitaire",
        "travailleurs humanitaires",
        False,
        "attaqué",
    ),
    "movement.forced_displacement": (
        "Déplacement forcé de population", "personne", "personnes", True, "forcé à fuir",
    ),
}  # fmt: skip

#: How a French report names each actor in a sentence ("des éléments présumés du JNIM").
_ACTOR_PHRASE: dict[str, str] = {
    "Forces armées maliennes (FAMa)": "des éléments des Forces armées maliennes (FAMa)",
    "Gendarmerie nationale": "des éléments de la Gendarmerie nationale",
    "Garde nationale": "des éléments de la Garde nationale",
    "Police nationale": "des éléments de la Police nationale",
    "Agence nationale de la sécurité d'État (ANSE)": "des agents de l'Agence nationale de la sécurité d'État",
    "Direction générale de la sécurité d'État (DGSE)": "des agents de la Sécurité d'État (DGSE)",
    "Groupe Wagner / Africa Corps": "du personnel militaire étranger (Groupe Wagner / Africa Corps)",
    "Autorités judiciaires": "les autorités judiciaires",
    "Autorités administratives locales": "les autorités administratives locales",
    "Opération Serval": "des éléments de l'opération Serval",
    "Force Barkhane": "des éléments de la force Barkhane",
    "MINUSMA": "des éléments de la MINUSMA",
    "Force conjointe du G5 Sahel": "des éléments de la Force conjointe du G5 Sahel",
    "JNIM": "des éléments présumés du JNIM",
    "Katiba Macina": "des éléments présumés de la Katiba Macina",
    "Katiba Serma": "des éléments présumés de la Katiba Serma",
    "EIGS": "des éléments présumés de l'EIGS",
    "Ansar Dine": "des éléments présumés d'Ansar Dine",
    "AQMI": "des éléments présumés d'AQMI",
    "MUJAO": "des éléments présumés du MUJAO",
    "MNLA": "des éléments du MNLA",
    "HCUA": "des éléments du HCUA",
    "MAA": "des éléments du MAA",
    "CMA": "des éléments de la CMA",
    "GATIA": "des éléments du GATIA",
    "Plateforme": "des éléments de la Plateforme",
    "MSA": "des éléments du MSA",
    "CSP-PSD": "des éléments du CSP-PSD",
    "FLA": "des éléments du FLA",
    "Dan Na Ambassagou": "des éléments présumés de Dan Na Ambassagou",
    "Dozos": "des chasseurs traditionnels (dozos)",
    "Milice d'autodéfense locale": "des membres d'une milice d'autodéfense locale",
    "Ganda Izo": "des éléments présumés de Ganda Izo",
    "Ganda Koy": "des éléments présumés de Ganda Koy",
    "Bandits armés": "des bandits armés",
    "Coupeurs de route": "des coupeurs de route",
    "Membres de la communauté locale": "des membres de la communauté locale",
    "Hommes armés non identifiés": "des hommes armés non identifiés",
}
_PERP_GENERIC: dict[str, str] = {
    "state": "des éléments des forces de défense et de sécurité",
    "international": "des forces internationales",
    "nonstate.civilians": "des membres de la communauté",
}


def _de(n: int, singular: str, plural: str, feminine: bool) -> str:
    if n <= 0:
        return f"de {plural}"
    if n == 1:
        return f"d'{'une' if feminine else 'un'} {singular}"
    return f"de {n} {plural}"


def _obj(n: int, singular: str, plural: str, feminine: bool) -> str:
    if not singular:
        return ""
    if n <= 0:
        return f" des {plural}"
    if n == 1:
        return f" {'une' if feminine else 'un'} {singular}"
    return f" {n} {plural}"


def de_(name: str) -> str:
    """ "de Bankass", "d'Ansongo"."""
    return f"d'{name}" if name[:1] in "AEIOUYÉaeiouyé" else f"de {name}"


def _place(settlement: Settlement | None, geo: int, s: Settlement, gaz: Gazetteer) -> str:
    if settlement is not None:
        return f"à {settlement.name}"
    if geo == 2:
        commune = gaz.name(s.admin3)
        return f"en {commune}" if commune.startswith("Commune ") else f"dans la commune {de_(commune)}"
    return f"dans le cercle {de_(gaz.name(s.admin2))}"


def _perp_phrase(violation: ViolationReport) -> str:
    if not violation.perpetrators:
        return "des auteurs non identifiés"
    p = violation.perpetrators[0]
    if p.actor_name in _ACTOR_PHRASE:
        return _ACTOR_PHRASE[p.actor_name]
    return _PERP_GENERIC.get(
        p.category_code, _PERP_GENERIC.get(p.category_code.split(".")[0], "des hommes armés")
    )


def describe(
    rng: random.Random,
    event: TrueEvent,
    violations: list[ViolationReport],
    sources: list[SourceReport],
    start: datetime.date,
    precision: str,
    settlement: Settlement | None,
    geo: int,
    confidentiality: str,
    gaz: Gazetteer,
) -> tuple[str, str, str]:
    """(title, narrative, public summary) for one report."""
    main = violations[0]
    n = len(main.victims) + sum(g.total for g in main.groups)
    pattern, singular, plural, feminine, verb = _TITLES[main.type_code]
    s = event.settlement
    place = _place(settlement, geo, s, gaz)
    count = _de(n, singular, plural, feminine)
    obj = _obj(n, singular, plural, feminine)
    title = pattern.format(de=count, a=f"à{obj}", contre=f"contre{obj}", n=n)
    if main.type_code == "life.indiscriminate_attack" and main.method_codes == ("air_strike",):
        title = f"Frappe aérienne : {n} mort{'s' if n > 1 else ''}" if n else "Frappe aérienne meurtrière"
    elif main.type_code == "life.indiscriminate_attack":
        title = (
            f"Engin explosif improvisé : {n} mort{'s' if n > 1 else ''}"
            if n
            else "Explosion meurtrière d'un engin"
        )
    title = f"{title} {place}"
    cercle = gaz.name(s.admin2)
    region = gaz.name(s.admin1)
    where = f" (région {de_(region)})" if geo == 3 else f" (cercle {de_(cercle)}, région {de_(region)})"
    when = date_fr(start, precision)
    perp = _perp_phrase(main)
    sentences = [f"{when.capitalize()}, {perp} auraient {verb}{obj} {place}{where}."]
    named = list({v.person_id: v for viol in violations for v in viol.victims}.values())
    if named:
        shown = []
        for v in named[:8]:
            name = f"{v.given_name} {v.family_name}".strip() or "une personne non identifiée"
            shown.append(f"{name} ({v.age} ans)" if v.age is not None else name)
        if len(named) == 1:
            sentences.append(f"La victime identifiée est {shown[0]}.")
        else:
            more = f" et {len(named) - 8} autres personnes" if len(named) > 8 else ""
            sentences.append(f"Parmi les victimes identifiées figurent {', '.join(shown)}{more}.")
    total = len(named) + sum(g.total for v in violations for g in v.groups)
    if total > len(named):
        women = sum(g.women + g.girls for v in violations for g in v.groups)
        children = sum(g.girls + g.boys for v in violations for g in v.groups)
        sentences.append(
            f"Au total, {total} victimes ont été recensées,"
            f" dont au moins {women} femmes ou filles et {children} enfants."
        )
    for other in violations[1:]:
        sentences.append(
            f"Les faits comprennent également : {_TITLES[other.type_code][0].split(' {')[0].lower()}."
        )
    aftermath = event.scenario.aftermath
    sentences.append(aftermath[int(rng.random() * len(aftermath))])
    src = sources[0]
    who = _WHO[src.kind]
    sentences.append(
        f"Les informations ont été recueillies auprès {_aupres(who)} le {src.reported_on:%d/%m/%Y}."
    )
    narrative = " ".join(sentences)
    if confidentiality in ("restricted", "strictly_confidential"):
        public_place = (
            f"dans la région de {region}"
            if main.type_code.startswith("sexual")
            else f"dans le cercle de {cercle}"
        )
    else:
        public_place = f"{place} (cercle de {cercle})"
    month = date_fr(start, "month" if precision in ("day", "week") else precision)
    summary = f"{month.capitalize()}, {perp} auraient {verb}{obj} {public_place}."
    return title, narrative, summary


_WHO: dict[str, str] = {
    "media": "la presse",
    "ngo": "une organisation de la société civile",
    "medical": "du personnel médical",
    "local_authority": "les autorités locales",
    "community_leader": "un notable de la localité",
    "relative": "un proche des victimes",
    "victim": "une victime",
    "witness": "un témoin",
}


def _aupres(who: str) -> str:
    if who.startswith("la "):
        return "de " + who
    if who.startswith("les "):
        return "des " + who[4:]
    if who.startswith("du "):
        return who
    return "d'" + who
