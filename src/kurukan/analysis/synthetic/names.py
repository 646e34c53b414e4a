"""Malian personal names: who is likely to be called what, where, and how sources spell it.

The tables are hand-made from common usage, not from a census: family names are heavy-tailed within each
language group (a handful of surnames — Traoré, Coulibaly, Diarra, Diallo, Maïga, Guindo… — cover much of
the population), which is what makes a name weak evidence in record linkage. `NAME_VARIANTS` (canonical
spelling → spellings seen in reports) is public so the linkage code can reuse it, for example to build a
name-normalisation table or to check how often two variants refer to the same person.
"""

from __future__ import annotations

import bisect
import itertools
import random
import unicodedata
from collections.abc import Sequence

#: Language groups the generator draws names from.
GROUPS: tuple[str, ...] = ("bambara", "soninke", "fulani", "songhai", "dogon", "tamasheq", "arab")

#: Source language most likely used by a witness of each group (verification.csv has no Dogon or Soninke
#: code; those interviews are recorded as French or Bambara).
GROUP_LANGUAGE: dict[str, str] = {
    "bambara": "bm",
    "soninke": "bm",
    "fulani": "ff",
    "songhai": "son",
    "dogon": "fr",
    "tamasheq": "tmh",
    "arab": "ar",
}


class Weighted:
    """A weighted population drawn with one `random()` call and a bisection (faster than choices())."""

    __slots__ = ("items", "cum", "total")

    def __init__(self, pairs: Sequence[tuple[object, float]]) -> None:
        self.items = [item for item, _ in pairs]
        self.cum = list(itertools.accumulate(w for _, w in pairs))
        self.total = self.cum[-1]

    def pick(self, rng: random.Random):  # noqa: ANN201 - returns the item type
        return self.items[bisect.bisect_right(self.cum, rng.random() * self.total)]


def _w(spec: str) -> list[tuple[str, float]]:
    """Parse "Name:weight, Name:weight" (weight defaults to 1)."""
    pairs = []
    for part in spec.split(","):
        name, _, weight = part.strip().partition(":")
        pairs.append((name, float(weight or 1)))
    return pairs


FAMILY_NAMES: dict[str, list[tuple[str, float]]] = {
    "bambara": _w(
        "Traoré:16, Coulibaly:15, Diarra:11, Keïta:7, Konaté:6, Dembélé:6, Doumbia:5, Samaké:4, Sanogo:4,"
        " Koné:4, Camara:3, Sissoko:3, Bagayoko:3, Kouyaté:2, Kanté:2, Konaré:2, Fofana:2, Mariko:2,"
        " Touré:2, Berthé:1.5, Tangara:1.5, Goïta:1.5, Niaré:1, Dao:1, Kané:1, Sidibé:1, Diakité:1,"
        " Togola:1, Dagnoko:0.7, Doucouré:0.7, Kassambara:0.7, Fomba:0.7, Mallé:0.7, Ballo:0.7"
    ),
    "soninke": _w(
        "Sylla:6, Diawara:5, Cissé:5, Traoré:5, Touré:4, Dramé:4, Soumaré:4, Tounkara:4, Kanouté:3,"
        " Doucouré:3, Camara:3, Sacko:3, Diaby:2, Niakaté:2, Magassa:2, Coulibaly:2, Diakité:2, Konaté:1,"
        " Diarra:1, Kébé:1, Gandega:1"
    ),
    "fulani": _w(
        "Diallo:16, Sangaré:9, Sidibé:8, Dicko:8, Barry:5, Bâ:5, Cissé:4, Sow:4, Bocoum:3, Tall:3,"
        " Diakité:3, Tamboura:2, Boly:2, Dia:2, Touré:2, Kané:1.5, Maïga:1, Cissoko:0.5, Bary:0.5"
    ),
    "songhai": _w(
        "Maïga:20, Touré:10, Cissé:6, Haïdara:4, Traoré:3, Yattara:3, Tandina:2, Alkaya:2, Koïna:2,"
        " Diallo:2, Sidibé:1, Dicko:1, Arby:1, Garba:1, Toureh:0.3"
    ),
    "dogon": _w(
        "Guindo:13, Dolo:9, Togo:7, Kassogué:5, Ouologuem:4, Tembély:4, Ongoïba:3, Saye:3, Kodio:3,"
        " Karembé:3, Sagara:2, Timbiné:2, Poudiougo:2, Yalcouyé:2, Djimdé:2, Dougnon:2, Tapily:1, Goïta:1"
    ),
}

# Tamasheq and Arab family names are the father's name after Ag / Wallet (Tamasheq) or Ould / Mint (Arab).
FATHER_NAMES: dict[str, list[tuple[str, float]]] = {
    "tamasheq": _w(
        "Mohamed:8, Ahmed:5, Intalla:3, Ghaly:3, Alhousseini:3, Attaher:2, Alhabib:2, Assaleh:2, Hamma:2,"
        " Sidi:2, Elmoctar:2, Acharatoumane:1, Bibi:1, Aklini:1, Baye:1, Infa:1, Najim:1, Alassane:1"
    ),
    "arab": _w(
        "Mohamed:6, Ahmed:4, Sidi Mohamed:3, Cheick:2, Mahmoud:2, Brahim:2, Moulaye:1, Sidati:1, Hamoud:1,"
        " Baba:1, Mohamed Lamine:1, Bouya:1"
    ),
}
FAMILY_PREFIX: dict[tuple[str, str], str] = {
    ("tamasheq", "male"): "Ag",
    ("tamasheq", "female"): "Wallet",
    ("arab", "male"): "Ould",
    ("arab", "female"): "Mint",
}

_MALE_COMMON = (
    "Mamadou:10, Amadou:8, Moussa:7, Abdoulaye:6, Oumar:6, Boubacar:6, Ousmane:5, Seydou:5, Ibrahim:5,"
    " Adama:5, Souleymane:5, Issa:4, Mahamadou:4, Hamidou:3, Bakary:3, Drissa:3, Sékou:3, Yacouba:3,"
    " Youssouf:3, Aliou:3, Modibo:2, Lassana:2, Cheick:2, Siaka:2, Daouda:2, Salif:2, Hassane:2, Idrissa:2,"
    " Alou:2, Karim:1, Sidiki:1"
)
_FEMALE_COMMON = (
    "Fatoumata:10, Aminata:8, Mariam:7, Aïssata:6, Kadidia:5, Hawa:5, Oumou:4, Djénéba:4, Assitan:3,"
    " Rokia:3, Awa:3, Kadiatou:3, Maïmouna:3, Safiatou:2, Salimata:2, Ramata:2, Sitan:2, Nana:2, Bintou:2,"
    " Fanta:2, Coumba:2, Haoua:1"
)
GIVEN_NAMES: dict[tuple[str, str], list[tuple[str, float]]] = {
    ("bambara", "male"): _w(
        _MALE_COMMON + ", Bréhima:3, Tiémoko:2, Zoumana:2, Fousseyni:2, Nouhoum:2, Dramane:2, Bourama:2,"
        " Ladji:1, Madou:1, Soumaïla:1"
    ),
    ("bambara", "female"): _w(
        _FEMALE_COMMON + ", Korotoumou:3, Ténin:2, Mah:2, Nènè:1, Sanata:2, Kadiatou:1, Oumou:1"
    ),
    ("soninke", "male"): _w(_MALE_COMMON + ", Samba:3, Demba:3, Mamadi:2, Bandiougou:2, Hadi:1"),
    ("soninke", "female"): _w(_FEMALE_COMMON + ", Coumba:4, Djénéba:2, Soukhouna:1, Tenen:1"),
    ("fulani", "male"): _w(
        _MALE_COMMON + ", Hamadoun:6, Hamidou:4, Amadou:6, Boubacar:4, Allaye:3, Bokar:2, Samba:2,"
        " Bouréima:2, Hassimi:2, Hama:2, Abdoul Karim:1"
    ),
    ("fulani", "female"): _w(_FEMALE_COMMON + ", Penda:3, Dado:2, Hadja:2, Aïssa:2, Kadidia:4, Fatoumata:4"),
    ("songhai", "male"): _w(
        _MALE_COMMON + ", Alhousseini:4, Mahamane:4, Hamadou:3, Issiaka:2, Almahadi:2, Soumaïla:3,"
        " Oumarou:3, Garba:2, Alassane:2, Bouréima:3"
    ),
    ("songhai", "female"): _w(
        _FEMALE_COMMON + ", Fadimata:5, Zeinabou:3, Fati:2, Hadiza:2, Safi:2, Nafissa:1, Salamatou:2"
    ),
    ("dogon", "male"): _w(
        _MALE_COMMON + ", Ogobara:4, Amadingué:3, Antandou:2, Amassagou:2, Yacouba:3, Ali:2, Jean:1, Pierre:1"
    ),
    ("dogon", "female"): _w(_FEMALE_COMMON + ", Assa:3, Yadji:1, Marie:1, Jeanne:1"),
    ("tamasheq", "male"): _w(
        "Mohamed:8, Ahmed:5, Moussa:3, Intalla:2, Alghabass:2, Attaher:2, Assaleh:2, Hamada:2, Bilal:1,"
        " Alhassane:2, Mossa:1, Abdallah:2, Elmehdi:1, Ibrahim:2, Ousmane:1, Alhousseini:2"
    ),
    ("tamasheq", "female"): _w(
        "Fadimata:6, Lalla:3, Aïchata:3, Mina:3, Fatma:3, Zahra:2, Raïchatou:1, Takiyatou:1, Mariam:2,"
        " Aminata:1, Tinhinane:1"
    ),
    ("arab", "male"): _w(
        "Mohamed:8, Ahmed:5, Sidi Mohamed:3, Cheick:3, Mahmoud:2, Brahim:2, Moulaye:2, Sidati:1, Hamoud:1,"
        " Baba:1, Mohamed Lamine:2, Abdallah:2"
    ),
    ("arab", "female"): _w(
        "Fatma:5, Lalla:3, Mariem:3, Zeinabou:2, Khadija:3, Aïcha:3, Nana:2, Selma:1, Oumou:1"
    ),
}

#: Canonical spelling → spellings found in other reports (accent-less forms are produced separately).
NAME_VARIANTS: dict[str, tuple[str, ...]] = {
    # family names
    "Traoré": ("Traore", "Traorè", "Tarawele"),
    "Coulibaly": ("Kulibali", "Coulibali", "Koulibaly"),
    "Diarra": ("Jara", "Diara"),
    "Keïta": ("Keita", "Kéita", "Keyta"),
    "Konaté": ("Konate", "Konatè"),
    "Maïga": ("Maiga", "Mayga"),
    "Touré": ("Toure", "Ture", "Toureh"),
    "Cissé": ("Cisse", "Sissé", "Cissè"),
    "Diallo": ("Jallo", "Djallo", "Dialo"),
    "Sangaré": ("Sangare", "Sangaret"),
    "Sidibé": ("Sidibe", "Sidibè"),
    "Dicko": ("Dikko", "Diko"),
    "Bâ": ("Ba", "Bah"),
    "Barry": ("Bari", "Bary"),
    "Tall": ("Tal",),
    "Sow": ("So", "Sowe"),
    "Bocoum": ("Boucoum", "Bokoum"),
    "Dembélé": ("Dembele", "Dembélè"),
    "Doumbia": ("Dumbia", "Doumbiya"),
    "Sissoko": ("Cissoko", "Sisoko"),
    "Kouyaté": ("Kouyate", "Kuyate"),
    "Haïdara": ("Haidara", "Haydara"),
    "Guindo": ("Guindou", "Gindo"),
    "Dolo": ("Dollo",),
    "Togo": ("Togho",),
    "Kassogué": ("Kassogue", "Kassoge"),
    "Tamboura": ("Tambura",),
    "Ouologuem": ("Ologuem", "Wologuem"),
    "Tembély": ("Tembely", "Tembeli"),
    "Diakité": ("Diakite", "Jakite"),
    "Samaké": ("Samake",),
    "Sylla": ("Sila", "Cilla"),
    "Soumaré": ("Soumare",),
    "Diawara": ("Jawara",),
    "Sanogo": ("Sanogho",),
    "Koné": ("Kone",),
    "Goïta": ("Goita",),
    "Ongoïba": ("Ongoiba",),
    "Yalcouyé": ("Yalcouye", "Yalkouyé"),
    "Ag Ghaly": ("Ag Ghali", "Ag-Ghaly", "Ag Aghaly"),
    "Ag Intalla": ("Ag Intallah", "Ag-Intalla", "Ag Intala"),
    "Ag Mohamed": ("Ag Mohammed", "Ag Mahamed", "Ag-Mohamed"),
    "Ag Ahmed": ("Ag Ahmad", "Ag Hamed"),
    "Ag Alhousseini": ("Ag Alhousseyni", "Ag Housseini"),
    "Ag Attaher": ("Ag Ataher",),
    "Ag Acharatoumane": ("Ag Acharatoumani",),
    # given names
    "Amadou": ("Hamadou", "Ahmadou", "Amadu"),
    "Mamadou": ("Mamoudou", "Madou"),
    "Oumar": ("Umar", "Omar", "Oumarou"),
    "Boubacar": ("Aboubacar", "Bakary", "Boubakar"),
    "Seydou": ("Seïdou", "Seidu", "Seidou"),
    "Ibrahim": ("Ibrahima", "Brahima", "Bréhima"),
    "Moussa": ("Mousa", "Musa"),
    "Souleymane": ("Suleyman", "Souleimane"),
    "Abdoulaye": ("Abdoulahi", "Ablaye"),
    "Ousmane": ("Usman", "Ousman"),
    "Adama": ("Adam",),
    "Hamidou": ("Amidou", "Hamidu"),
    "Hamadoun": ("Hamadou", "Amadoun"),
    "Issa": ("Isa",),
    "Youssouf": ("Yousouf", "Yusuf"),
    "Yacouba": ("Yakouba", "Yaqub"),
    "Drissa": ("Idrissa", "Driss"),
    "Sékou": ("Sekou", "Seku"),
    "Mohamed": ("Mohammed", "Mahamed", "Mouhamed"),
    "Ahmed": ("Ahmad", "Hamed"),
    "Cheick": ("Cheikh", "Chek"),
    "Fatoumata": ("Fatimata", "Fatouma", "Fatoum"),
    "Aïssata": ("Aissata", "Aïchata"),
    "Kadidia": ("Kadiatou", "Khadija", "Kadija"),
    "Hawa": ("Awa", "Haoua"),
    "Djénéba": ("Dieneba", "Djeneba", "Jeneba"),
    "Aminata": ("Aminatou", "Amina", "Minata"),
    "Mariam": ("Mariama", "Maryam"),
    "Oumou": ("Oumy", "Umu"),
    "Assitan": ("Assetou", "Sitan"),
    "Rokia": ("Rokiatou", "Roukiatou"),
    "Maïmouna": ("Maimouna", "Mamou"),
    "Salimata": ("Salimatou",),
    "Fadimata": ("Fadimatou", "Fatimata"),
    "Zeinabou": ("Zeinab", "Zenabou"),
    "Alhousseini": ("Alhousseyni", "Housseini"),
}

#: Prefix spellings of Tamasheq / Arab patronymics.
PREFIX_VARIANTS: dict[str, tuple[str, ...]] = {
    "Ag": ("Ag-", "AG "),
    "Wallet": ("Walet ", "Oualet "),
    "Ould": ("Ould-", "Ould "),
    "Mint": ("Mint-", "Mint "),
}

NICKNAMES: dict[str, tuple[str, ...]] = {
    "male": ("Baba", "Vieux", "Papa", "Koro"),
    "female": ("Mama", "Nana", "Tanti"),
}

_ACCENTS = str.maketrans("àâäéèêëïîôöùûüçÀÂÄÉÈÊËÏÎÔÖÙÛÜÇ", "aaaeeeeiioouuucAAAEEEEIIOOUUUC")


def strip_accents(text: str) -> str:
    """ "Traoré" → "Traore": how many databases and keyboards write names."""
    out = text.translate(_ACCENTS)
    if out.isascii():
        return out
    return "".join(c for c in unicodedata.normalize("NFKD", out) if not unicodedata.combining(c))


def canonical_key(text: str) -> str:
    """A crude normal form (no accents, no hyphen, lower case) for tests and quick blocking."""
    return strip_accents(text).replace("-", " ").lower().strip()


#: Each group's name tables as pickers, built once.
FAMILY_PICKERS: dict[str, Weighted] = {g: Weighted(p) for g, p in FAMILY_NAMES.items()}
FATHER_PICKERS: dict[str, Weighted] = {g: Weighted(p) for g, p in FATHER_NAMES.items()}
GIVEN_PICKERS: dict[tuple[str, str], Weighted] = {k: Weighted(p) for k, p in GIVEN_NAMES.items()}


def draw_name(rng: random.Random, group: str, sex: str) -> tuple[str, str]:
    """A (given name, family name) pair for a person of this group and sex ("female" or "male")."""
    given = GIVEN_PICKERS[group, sex].pick(rng)
    if group in FATHER_PICKERS:
        prefix = FAMILY_PREFIX[group, sex]
        if group == "arab" and rng.random() < 0.2:
            family = ("Kounta", "Haïdara", "Tandina")[int(rng.random() * 3)]
        else:
            family = f"{prefix} {FATHER_PICKERS[group].pick(rng)}"
    else:
        family = FAMILY_PICKERS[group].pick(rng)
    return given, family


def _typo(rng: random.Random, word: str) -> str:
    """One keyboard or hearing error: a dropped, doubled, swapped or confused letter."""
    if len(word) < 4:
        return word
    i = 1 + int(rng.random() * (len(word) - 2))
    kind = rng.random()
    if kind < 0.3:
        return word[:i] + word[i + 1 :]
    if kind < 0.55:
        return word[:i] + word[i] + word[i:]
    if kind < 0.8:  # swap two inner letters (never the capital)
        i = max(i, 2)
        return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]
    for a, b in (("ou", "u"), ("c", "k"), ("y", "i"), ("dj", "j"), ("é", "e"), ("h", "")):
        if a in word:
            return word.replace(a, b, 1)
    return word[:i] + word[i + 1 :]


def _variant(rng: random.Random, name: str) -> str:
    variants = NAME_VARIANTS.get(name)
    if variants:
        return variants[int(rng.random() * len(variants))]
    prefix, sep, rest = name.partition(" ")
    if sep and prefix in PREFIX_VARIANTS:
        options = PREFIX_VARIANTS[prefix]
        return options[int(rng.random() * len(options))] + NAME_VARIANTS.get(rest, (rest,))[0]
    return name


#: How each organisation writes names (consistent within a source, different between sources):
#: probability of dropping accents, of capitalising the family name, of using a variant spelling.
SOURCE_STYLE: dict[str, tuple[float, float, float]] = {
    "ohchr": (0.15, 0.0, 0.20),
    "cndh": (0.30, 0.85, 0.25),
    "amdh": (0.55, 0.30, 0.30),
    "ngo_local": (0.50, 0.10, 0.55),
    "press": (0.70, 0.05, 0.35),
}
_DEFAULT_STYLE = (0.4, 0.2, 0.3)


def spell(
    rng: random.Random, given: str, family: str, sex: str, source_org: str, noise: float, age: int
) -> tuple[str, str]:
    """How one source writes a person's name; `noise` (0..1, default 0.5) scales every perturbation.

    With noise 0 the canonical spelling comes back unchanged.
    """
    if noise <= 0.0:
        return given, family
    drop_accents, upper, variant = SOURCE_STYLE.get(source_org, _DEFAULT_STYLE)
    scale = 2.0 * noise  # 1.0 at the default noise of 0.5
    r = rng.random
    if r() < variant * scale:
        given = _variant(rng, given)
    if r() < variant * scale * 0.8:
        family = _variant(rng, family)
    if r() < 0.04 * scale:
        given = _typo(rng, given)
    if r() < 0.04 * scale:
        family = _typo(rng, family)
    if r() < drop_accents:
        given = strip_accents(given)
        family = strip_accents(family)
    if r() < upper:
        family = family.upper()
    special = r()
    if special < 0.03 * scale:  # given and family names swapped (a form filled in the wrong order)
        given, family = family, given
    elif special < 0.06 * scale:  # only a family name was known
        given = ""
    elif special < 0.08 * scale and (age >= 40 or sex == "female"):
        nick = NICKNAMES.get(sex, NICKNAMES["male"])
        given = nick[int(r() * len(nick))]
    elif special < 0.10 * scale and source_org == "press" and given:
        given = given[0] + "."
    return given, family
