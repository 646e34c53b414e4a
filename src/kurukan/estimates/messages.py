"""The estimation library speaks English (kurukan.analysis.estimation.messages); pages speak the user's language.

A library sentence is recognised by its template, its values are taken back out of it, and the same
sentence is said through gettext, French first. A sentence not recognised is shown as the library wrote it.
"""

from __future__ import annotations

import re
from functools import cache

from django.utils.translation import gettext as _

from kurukan.analysis.estimation.messages import MESSAGES

NOT_ESTIMABLE_KEYS = (
    "no_overlap",
    "no_admissible_model",
    "not_estimable_existence",
    "not_estimable_identifiability",
    "not_estimable_both",
)
# Library warnings the result page states in its own words (per stratum, and on the total).
RESTATED = ("stratum_not_estimable", "total_excludes")


def _said(key: str, values: dict[str, str]) -> str:
    texts = {
        "no_cases": _("Aucune victime nommée dans cette strate."),
        "no_overlap": _(
            "Aucune victime ne figure sur deux listes : rien ne permet d'estimer celles qu'aucune liste n'a vues."
        ),
        "no_admissible_model": _(
            "Les listes se recoupent trop peu : aucun modèle ne donne une estimation qui existe et soit "
            "identifiable. Regroupez des listes ou des strates, ou documentez davantage de recoupements."
        ),
        "not_estimable_existence": _(
            "L'estimation n'existe pas pour le modèle %(model)s : trop de combinaisons de listes sont vides. "
            "Choisissez un modèle plus simple ou regroupez des listes."
        ),
        "not_estimable_identifiability": _(
            "L'estimation n'est pas identifiable pour le modèle %(model)s : les listes se recoupent trop peu. "
            "Choisissez un modèle plus simple ou regroupez des listes."
        ),
        "not_estimable_both": _(
            "L'estimation n'existe pas et n'est pas identifiable pour le modèle %(model)s : les listes se "
            "recoupent trop peu."
        ),
        "bootstrap_failures": _(
            "%(failed)s échantillons bootstrap sur %(total)s n'ont donné aucun modèle admissible et ont été "
            "écartés de l'intervalle."
        ),
        "downhill_search": _(
            "Avec %(lists)s listes, les modèles possibles sont trop nombreux pour être tous ajustés : le modèle "
            "a été choisi par une recherche descendante (Silverman, Chan et Vincent 2024, section 5.2)."
        ),
        "rhat_high": _(
            "Le R-hat est de %(rhat)s (au-dessus de 1,05) : les chaînes n'ont peut-être pas convergé ; "
            "augmentez le nombre de tirages."
        ),
        "ess_low": _(
            "La taille d'échantillon effective est de %(ess)s (moins de 400) : augmentez le nombre de tirages."
        ),
        "stratum_draws_unequal": _(
            "Les strates n'ont pas le même nombre de tirages ; les %(kept)s premiers de chacune ont été combinés."
        ),
    }
    return texts[key] % values if key in texts else ""


@cache
def _pattern(key: str) -> re.Pattern[str]:
    parts = re.split(r"\{(\w+)(?::[^}]*)?\}", MESSAGES[key])
    regex, named = "", set()
    for i, part in enumerate(parts):
        if i % 2 == 0:
            regex += re.escape(part)
        else:
            regex += f"(?P={part})" if part in named else f"(?P<{part}>.+?)"
            named.add(part)
    return re.compile(f"^{regex}$", re.S)


def recognise(text: str) -> tuple[str, dict[str, str]] | None:
    for key in MESSAGES:
        found = _pattern(key).match(text)
        if found:
            return key, found.groupdict()
    return None


def translate(text: str) -> str:
    """A library sentence in the page's language (French when recognised and no catalogue says otherwise)."""
    found = recognise(text)
    if found is None:
        return text
    return _said(*found) or text


def reason(code: str, text: str) -> str:
    """Why a stratum has no estimate, from the code stored with the result, else from the library's text."""
    if code == "no_cases":
        return _said("no_cases", {})
    return translate(text)


def is_restated(text: str) -> bool:
    found = recognise(text)
    return found is not None and found[0] in RESTATED


def reason_code(text: str) -> str:
    found = recognise(text)
    return found[0] if found and found[0] in NOT_ESTIMABLE_KEYS else "other"
