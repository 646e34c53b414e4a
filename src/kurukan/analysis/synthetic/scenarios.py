"""What kinds of events happen in Mali, where, by whom, and to whom: the generator's scenario table.

Each scenario is a pattern seen again and again in UN and NGO reporting on Mali 2012–2025 (an attack on a
village, a military operation with executions and arrests, an IED on a road, a drone strike, an abduction,
arrests in Bamako, conflict-related sexual violence, threats against schools, descent-based slavery in
Kayes…). A scenario lists its acts (violation types from violation_types.csv, each present with some
probability), the victims' profile and the perpetrator categories per zone. Weights are judgement, not fit.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from .names import Weighted, _w

ZONES: dict[str, str] = {
    "ML01": "kayes",
    "ML02": "south",
    "ML03": "south",
    "ML04": "centre",
    "ML05": "centre",
    "ML06": "north",
    "ML07": "north",
    "ML08": "north",
    "ML09": "bamako",
}
DOGON_CERCLES = frozenset({"ML0502", "ML0503", "ML0507"})


@dataclass(frozen=True, slots=True)
class Act:
    type_code: str
    probability: float
    counts: str  # key of COUNT_PROFILES
    victims: str  # key of VICTIM_PROFILES
    methods: tuple[tuple[str, float], ...]
    subset_of: int | None = None  # the victims are some of those of an earlier act (detained, then tortured)


@dataclass(frozen=True, slots=True)
class Scenario:
    key: str
    zone_weights: dict[str, float]
    acts: tuple[Act, ...]
    perpetrators: dict[str, Weighted]  # zone → perpetrator category
    confidentiality: Weighted
    group_description: str
    aftermath: tuple[str, ...]


def _perp(spec: dict[str, str]) -> dict[str, Weighted]:
    """Zone → perpetrator picker; a bare code such as "jnim" means "nonstate.jnim"."""
    out = {}
    for zone in ("kayes", "south", "centre", "north", "bamako"):
        pairs = _w(spec.get(zone, spec.get("*", "")))
        pairs = [(c if "." in c or c == "international" else f"nonstate.{c}", w) for c, w in pairs]
        out[zone] = Weighted(pairs)
    return out


_FIRE = (("firearm", 1.0),)
_CONF_DEFAULT = Weighted(_w("public:30, internal:45, restricted:20, strictly_confidential:5"))
_CONF_STATE = Weighted(_w("public:10, internal:40, restricted:45, strictly_confidential:5"))
_CONF_PROTECTED = Weighted(_w("restricted:30, strictly_confidential:70"))

_NONSTATE_ATTACK = {
    "centre": "jnim:35, community_militia:28, eigs:5, unidentified:32",
    "north": "jnim:28, eigs:32, signatory:8, unidentified:32",
    "south": "jnim:40, community_militia:10, unidentified:40, criminal:10",
    "kayes": "jnim:40, unidentified:45, criminal:15",
    "bamako": "unidentified:70, criminal:30",
}
_STATE_OPS = {
    "*": "state.fdsm:80, state.foreign_military:18, international:2",
    "bamako": "state.fdsm:95, state.officials:5",
}

SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        "village_attack",
        {"centre": 30, "north": 20, "south": 12, "kayes": 5, "bamako": 0},
        (
            Act(
                "life.killing_civilians",
                1.0,
                "attack",
                "civilian",
                (("firearm", 6), ("arson", 1), ("bladed_weapon", 1)),
            ),
            Act("integrity.maiming", 0.3, "few", "civilian", (("firearm", 4), ("bladed_weapon", 1))),
            Act("protected.looting_destruction", 0.3, "none", "civilian", (("arson", 3), ("other", 1))),
            Act("movement.forced_displacement", 0.15, "displaced", "civilian", (("other", 1),)),
            Act("liberty.abduction", 0.08, "one", "civilian", _FIRE),
        ),
        _perp(_NONSTATE_ATTACK),
        _CONF_DEFAULT,
        "villageois",
        (
            "Les corps ont été inhumés le lendemain par les habitants.",
            "Plusieurs familles ont fui vers le chef-lieu du cercle.",
            "Des greniers et du bétail ont été emportés par les assaillants.",
            "Aucune arrestation n'avait été signalée à la date du rapport.",
        ),
    ),
    Scenario(
        "military_operation",
        {"centre": 22, "north": 11, "south": 4, "kayes": 2, "bamako": 0},
        (
            Act("life.summary_execution", 0.8, "attack", "adult_men", (("firearm", 8), ("bladed_weapon", 1))),
            Act("liberty.arbitrary_detention", 0.4, "few", "adult_men", (("detention_incommunicado", 1),)),
            Act(
                "liberty.enforced_disappearance",
                0.25,
                "one",
                "adult_men",
                (("detention_incommunicado", 1),),
                1,
            ),
            Act("integrity.torture", 0.15, "one", "adult_men", (("beating", 3), ("strangulation", 1)), 1),
            Act("protected.looting_destruction", 0.15, "none", "civilian", (("arson", 1), ("other", 2))),
        ),
        _perp(_STATE_OPS),
        _CONF_STATE,
        "habitants",
        (
            "Les militaires auraient séparé les hommes des femmes avant les exécutions.",
            "Les familles des personnes arrêtées sont sans nouvelles depuis.",
            "Les autorités militaires ont annoncé avoir « neutralisé des terroristes ».",
            "Une enquête a été annoncée par le parquet militaire.",
        ),
    ),
    Scenario(
        "ied",
        {"centre": 12, "north": 13, "south": 2, "kayes": 0.5, "bamako": 0},
        (
            Act("life.indiscriminate_attack", 1.0, "few", "travellers", (("explosive_device", 1),)),
            Act("integrity.maiming", 0.6, "few", "travellers", (("explosive_device", 1),)),
        ),
        _perp({"*": "jnim:45, eigs:20, unidentified:35"}),
        _CONF_DEFAULT,
        "passagers d'un véhicule de transport",
        (
            "Le véhicule de transport en commun a sauté sur un engin explosif improvisé.",
            "Les blessés ont été évacués vers le centre de santé de référence.",
            "L'axe routier est régulièrement miné depuis plusieurs mois.",
        ),
    ),
    Scenario(
        "air_strike",
        {"centre": 3, "north": 5, "south": 0.5, "kayes": 0, "bamako": 0},
        (
            Act("life.indiscriminate_attack", 1.0, "attack", "civilian", (("air_strike", 1),)),
            Act("integrity.maiming", 0.5, "few", "civilian", (("air_strike", 1),)),
        ),
        _perp({"*": "state.fdsm:80, international:20"}),
        _CONF_STATE,
        "participants à un rassemblement",
        (
            "La frappe a touché un marché hebdomadaire.",
            "Les autorités ont affirmé avoir visé un rassemblement de terroristes.",
            "Des témoins décrivent un drone survolant la zone avant la frappe.",
        ),
    ),
    Scenario(
        "abduction",
        {"centre": 10, "north": 12, "south": 5, "kayes": 3, "bamako": 0.5},
        (
            Act("liberty.abduction", 1.0, "one_or_few", "adult_mostly_men", _FIRE),
            Act("life.killing_civilians", 0.08, "one", "adult_men", _FIRE, 0),
        ),
        _perp(
            {
                "*": "jnim:40, eigs:15, criminal:15, unidentified:30",
                "north": "jnim:30, eigs:25, signatory:10, criminal:10, unidentified:25",
            }
        ),
        _CONF_DEFAULT,
        "passagers",
        (
            "Les ravisseurs ont exigé une rançon.",
            "Les otages ont été emmenés vers une destination inconnue.",
            "Certains otages ont été libérés après une médiation communautaire.",
        ),
    ),
    Scenario(
        "arrest_detention",
        {"centre": 6, "north": 5, "south": 4, "kayes": 2, "bamako": 40},
        (
            Act(
                "liberty.arbitrary_detention",
                1.0,
                "one_or_few",
                "detainees",
                (("detention_incommunicado", 1),),
            ),
            Act("integrity.torture", 0.25, "one", "detainees", (("beating", 4), ("strangulation", 1)), 0),
            Act(
                "liberty.enforced_disappearance",
                0.25,
                "one",
                "detainees",
                (("detention_incommunicado", 1),),
                0,
            ),
            Act("life.death_in_custody", 0.04, "one", "detainees", (("beating", 1), ("other", 1)), 0),
        ),
        _perp(
            {
                "*": "state.fdsm:85, state.officials:10, state.foreign_military:5",
                "bamako": "state.fdsm:80, state.officials:20",
            }
        ),
        _CONF_STATE,
        "personnes arrêtées",
        (
            "Les personnes arrêtées ont été conduites dans un lieu de détention non officiel.",
            "Les avocats n'ont pas pu rencontrer leurs clients.",
            "La famille a été informée de la détention plusieurs semaines plus tard.",
            "Elles ont été présentées au pôle judiciaire spécialisé puis libérées.",
        ),
    ),
    Scenario(
        "crsv",
        {"centre": 6, "north": 7, "south": 3, "kayes": 2, "bamako": 1},
        (
            Act("sexual.rape", 1.0, "one_or_few", "women_girls", (("sexual_violence", 1),)),
            Act("sexual.other", 0.15, "one", "women_girls", (("sexual_violence", 1),)),
            Act("sexual.slavery_forced_marriage", 0.08, "one", "women_girls", (("sexual_violence", 1),)),
            Act("liberty.abduction", 0.12, "one", "women_girls", _FIRE, 0),
        ),
        _perp(
            {
                "*": "jnim:22, eigs:12, community_militia:10, criminal:12,"
                " unidentified:24, state.fdsm:14, state.foreign_military:6",
            }
        ),
        _CONF_PROTECTED,
        "femmes et filles",
        (
            "La survivante a été orientée vers une prise en charge médicale et psychosociale.",
            "La survivante n'a pas souhaité porter plainte par crainte de représailles.",
            "Les faits se sont produits alors que les victimes allaient chercher du bois.",
        ),
    ),
    Scenario(
        "school_attack",
        {"centre": 5, "north": 4, "south": 1, "kayes": 0.5, "bamako": 0},
        (
            Act("protected.attack_school", 1.0, "none", "teachers", (("arson", 2), ("other", 2))),
            Act("integrity.threats", 0.5, "one_or_few", "teachers", (("other", 1),)),
            Act("protected.looting_destruction", 0.25, "none", "civilian", (("arson", 1),)),
        ),
        _perp({"*": "jnim:60, eigs:15, unidentified:25"}),
        _CONF_DEFAULT,
        "élèves",
        (
            "L'école est fermée depuis lors et les élèves ne sont plus scolarisés.",
            "Les assaillants ont ordonné aux enseignants de cesser d'enseigner en français.",
            "Les fournitures et le mobilier scolaires ont été brûlés.",
        ),
    ),
    Scenario(
        "threats_displacement",
        {"centre": 6, "north": 6, "south": 3, "kayes": 2, "bamako": 1},
        (
            Act("integrity.threats", 1.0, "one_or_few", "notables", (("other", 1),)),
            Act("movement.forced_displacement", 0.4, "displaced", "civilian", (("other", 1),)),
        ),
        _perp(
            {
                "*": "jnim:45, eigs:15, community_militia:15, unidentified:25",
                "bamako": "unidentified:60, state.officials:20, state.fdsm:20",
            }
        ),
        _CONF_DEFAULT,
        "familles déplacées",
        (
            "Les habitants ont reçu un ultimatum pour quitter le village.",
            "Les menaces visaient les personnes accusées de collaborer avec l'armée.",
            "Un accord local imposant la zakat a été conclu sous la contrainte.",
        ),
    ),
    Scenario(
        "descent_slavery",
        {"centre": 0.5, "north": 1, "south": 3, "kayes": 55, "bamako": 0},
        (
            Act("liberty.descent_slavery", 1.0, "one_or_few", "slavery", (("beating", 2), ("other", 1))),
            Act("integrity.maiming", 0.35, "few", "slavery", (("beating", 3), ("bladed_weapon", 1))),
            Act("integrity.threats", 0.3, "one", "slavery", (("other", 1),)),
            Act("movement.forced_displacement", 0.25, "displaced", "slavery", (("other", 1),)),
            Act("protected.looting_destruction", 0.2, "none", "slavery", (("arson", 1), ("other", 1))),
        ),
        _perp({"*": "civilians:85, state.officials:5, unidentified:10"}),
        _CONF_DEFAULT,
        "membres de familles considérées comme « esclaves »",
        (
            "Les victimes avaient refusé de participer aux travaux imposés aux personnes dites « esclaves ».",
            "Les victimes, membres d'une association anti-esclavagiste, ont été agressées lors d'une fête.",
            "Les victimes ont été privées d'accès à leurs champs et au puits du village.",
        ),
    ),
    Scenario(
        "child_recruitment",
        {"centre": 3, "north": 4, "south": 0.5, "kayes": 0, "bamako": 0},
        (
            Act("children.recruitment_use", 1.0, "one_or_few", "boys", (("other", 1),)),
            Act("liberty.abduction", 0.2, "one", "boys", _FIRE, 0),
        ),
        _perp(
            {
                "*": "jnim:40, eigs:25, signatory:15, community_militia:20",
            }
        ),
        _CONF_PROTECTED,
        "enfants",
        (
            "Les enfants ont été utilisés comme guetteurs et porteurs.",
            "Les enfants ont été remis à une structure de prise en charge transitoire.",
            "Les parents ont été contraints de livrer un garçon par famille.",
        ),
    ),
    Scenario(
        "humanitarian",
        {"centre": 2, "north": 4, "south": 0.5, "kayes": 0, "bamako": 0},
        (
            Act("humanitarian.attack_personnel", 0.7, "one_or_few", "aid_workers", _FIRE),
            Act("humanitarian.denial_access", 0.5, "none", "civilian", (("other", 1),)),
            Act("protected.looting_destruction", 0.3, "none", "civilian", (("other", 1),)),
            Act("liberty.abduction", 0.2, "one", "aid_workers", _FIRE, 0),
        ),
        _perp({"*": "jnim:30, eigs:20, criminal:20, signatory:5, unidentified:25"}),
        _CONF_DEFAULT,
        "travailleurs humanitaires",
        (
            "Le véhicule de l'organisation a été emporté par les assaillants.",
            "L'organisation a suspendu ses activités dans la zone.",
            "Le convoi d'aide alimentaire a été bloqué à un poste de contrôle.",
        ),
    ),
    Scenario(
        "health_attack",
        {"centre": 1, "north": 1.5, "south": 0.2, "kayes": 0, "bamako": 0},
        (
            Act("protected.attack_hospital", 1.0, "none", "civilian", (("firearm", 1), ("arson", 1))),
            Act("integrity.maiming", 0.2, "one", "health", _FIRE),
            Act("protected.looting_destruction", 0.4, "none", "civilian", (("other", 1),)),
        ),
        _perp({"*": "jnim:35, eigs:25, unidentified:30, state.fdsm:10"}),
        _CONF_DEFAULT,
        "patients",
        (
            "Les médicaments du centre de santé ont été emportés.",
            "Le centre de santé a cessé de fonctionner.",
        ),
    ),
    Scenario(
        "military_use",
        {"centre": 1, "north": 1, "south": 0.2, "kayes": 0, "bamako": 0},
        (Act("children.military_use", 1.0, "none", "civilian", (("other", 1),)),),
        _perp({"*": "state.fdsm:40, jnim:25, eigs:10, signatory:25"}),
        _CONF_DEFAULT,
        "élèves",
        ("L'école sert de base à des hommes armés depuis plusieurs semaines.",),
    ),
    Scenario(
        "targeted_killing",
        {"centre": 6, "north": 6, "south": 2, "kayes": 1, "bamako": 1},
        (
            Act("life.killing_civilians", 0.85, "one", "notables", _FIRE),
            Act("life.attempted_killing", 0.2, "one", "notables", _FIRE),
        ),
        _perp(_NONSTATE_ATTACK),
        _CONF_DEFAULT,
        "notables",
        (
            "La victime avait reçu des menaces quelques jours auparavant.",
            "Les assaillants, à moto, ont pris la fuite vers la brousse.",
        ),
    ),
    Scenario(
        "protest_repression",
        {"centre": 0.5, "north": 0.5, "south": 1, "kayes": 1, "bamako": 9},
        (
            Act("integrity.maiming", 1.0, "few", "protesters", (("firearm", 2), ("beating", 2))),
            Act("life.killing_civilians", 0.4, "one_or_few", "protesters", _FIRE),
            Act("liberty.arbitrary_detention", 0.5, "few", "protesters", (("beating", 1), ("other", 1))),
        ),
        _perp({"*": "state.fdsm:100"}),
        _CONF_DEFAULT,
        "manifestants",
        (
            "Les forces de l'ordre ont tiré à balles réelles sur les manifestants.",
            "Des leaders de la contestation ont été interpellés le soir même.",
        ),
    ),
)

#: Scenario picker per zone.
SCENARIO_PICKERS: dict[str, Weighted] = {
    zone: Weighted(
        [(s, s.zone_weights.get(zone, 0.0)) for s in SCENARIOS if s.zone_weights.get(zone, 0.0) > 0]
    )
    for zone in ("kayes", "south", "centre", "north", "bamako")
}


def actor_name(rng: random.Random, category: str, year: int, cercle: str) -> tuple[str, str | None]:
    """The perpetrator category valid for this year, and the name UN reports would use for the actor."""
    r = rng.random()
    zone = ZONES[cercle[:4]]
    if category == "state.foreign_military" and year < 2022:
        category = "international" if year < 2022 and r < 0.3 else "state.fdsm"
    if category == "international" and year >= 2023:
        category = "state.fdsm"
    if category == "nonstate.eigs" and year < 2015:
        category = "nonstate.jnim"
    if category == "nonstate.community_militia" and zone == "north" and year > 2016:
        category = "nonstate.signatory"
    r = rng.random()
    if category == "state.fdsm":
        if zone == "bamako":
            name = (
                "Police nationale"
                if r < 0.3
                else "Forces armées maliennes (FAMa)"
                if r < 0.6
                else "Agence nationale de la sécurité d'État (ANSE)"
                if year >= 2023
                else "Direction générale de la sécurité d'État (DGSE)"
            )
        else:
            name = (
                "Forces armées maliennes (FAMa)"
                if r < 0.82
                else "Gendarmerie nationale"
                if r < 0.92
                else "Garde nationale"
            )
        return category, name
    if category == "state.foreign_military":
        return category, "Groupe Wagner / Africa Corps"
    if category == "state.officials":
        return category, "Autorités judiciaires" if r < 0.5 else "Autorités administratives locales"
    if category == "international":
        if year <= 2014:
            return category, "Opération Serval" if r < 0.7 else "MINUSMA"
        return (
            category,
            "Force Barkhane" if r < 0.6 else "MINUSMA" if r < 0.85 else "Force conjointe du G5 Sahel",
        )
    if category == "nonstate.jnim":
        if year < 2015 or (year < 2017 and zone == "north"):
            return category, "Ansar Dine" if r < 0.45 else "AQMI" if r < 0.7 else "MUJAO"
        if zone == "centre":
            return category, "Katiba Macina" if r < 0.55 else "JNIM"
        if cercle == "ML0604" and r < 0.3:
            return category, "Katiba Serma"
        return category, "JNIM"
    if category == "nonstate.eigs":
        return category, "EIGS"
    if category == "nonstate.signatory":
        if year <= 2014:
            return category, "MNLA" if r < 0.6 else "HCUA" if r < 0.8 else "MAA"
        if year >= 2024:
            return category, "FLA"
        if year == 2023:
            return category, "CSP-PSD"
        return category, "CMA" if r < 0.5 else "GATIA" if r < 0.75 else "Plateforme" if r < 0.9 else "MSA"
    if category == "nonstate.community_militia":
        if cercle in DOGON_CERCLES and year >= 2016:
            return category, "Dan Na Ambassagou" if r < 0.7 else "Dozos"
        if zone == "north":
            return category, "Ganda Izo" if r < 0.5 else "Ganda Koy"
        return category, "Dozos" if r < 0.8 else "Milice d'autodéfense locale"
    if category == "nonstate.criminal":
        return category, "Bandits armés" if r < 0.7 else "Coupeurs de route"
    if category == "nonstate.civilians":
        return category, "Membres de la communauté locale" if r < 0.7 else None
    return category, "Hommes armés non identifiés"
