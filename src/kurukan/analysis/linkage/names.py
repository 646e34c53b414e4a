"""Name standardisation for Malian and, more broadly, West-African names written in French.

Three layers, from strict to loose, each feeding one column that the linkage model compares:

1. ``normalise`` — spelling noise only: accents, case, punctuation, hyphens and apostrophes,
   repeated spaces. "Ag-Ghaly" and "AG GHALY" both become "ag ghaly".
2. ``canonical`` — a table of transliteration variants and nicknames that share one written form:
   Hamadou / Ahmadou / Amadou → amadou, Fatimata / Fatouma → fatoumata, Bakary → aboubacar.
3. ``phonetic_key`` — a sound key for the spellings the table does not know.

Why our own phonetic key rather than Soundex or double-metaphone: both were designed for English
and German spellings. They treat "ou" as two vowels, "dj" as D+J, drop nothing for the silent
initial "h" of Arabic names as written in French, and merge "ch"/"kh" in ways that split the French
transliterations of one Arabic or Mande sound. The key below encodes the rules a Malian registrar
applies by ear: dj = di+vowel = j (Djénéba, Dieneba, Jeneba), ou = u = w, kh = k, ch = sh = s
(Aïchata, Aïssata), a silent initial h (Hawa, Awa), doubled letters are one sound, and vowels after
the first carry little identity (Fatoumata, Fatimata) — except in short names, where they are all
there is (Ba, Bah; Sy, Sow).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Filiation particles: Tamasheq "ag" (son of), "welet"/"walet" (daughter of), Hassaniya "ould"
# (son of), "mint" (daughter of), Arabic "ben"/"bin"/"ibn"/"bent", the article "el"/"al".
# They are part of the family name as written, but carry almost no identity on their own.
PARTICLES = frozenset(
    {"ag", "ould", "wuld", "uld", "wald", "welet", "walet", "wallet", "oualet", "mint", "ben", "bin", "ibn"}
    | {"bent", "el", "al"}
)

# canonical form → variants (transliterations, diminutives, Mande/Fulfulde/Songhay forms of one
# Arabic name). Variants are written already normalised (lower case, no accents). The canonical
# form is only a label: what matters is that variants share it.
_GIVEN_VARIANTS: dict[str, tuple[str, ...]] = {
    "amadou": ("hamadou", "ahmadou", "ahamadou", "hamadoun", "amadoun", "ahmadu", "amadu", "hamadu"),
    "mahamadou": ("mohamed", "mohammed", "mouhamed", "muhammad", "mohamad", "mahamad", "mahammed"),
    "mamadou": ("mamoudou", "mamadu", "madou", "mamoud", "mamadi"),
    "oumar": ("umar", "omar", "oumarou", "umaru", "omarou", "amar"),
    "aboubacar": (
        "boubacar",
        "aboubakar",
        "boubakar",
        "abubakar",
        "abubakr",
        "boubacary",
        "bakary",
        "bakari",
        "bocar",
        "boukary",
    ),
    "abdoulaye": ("abdoulahi", "abdullahi", "abdallah", "abdoullah", "abdou", "laye", "abdulaye"),
    "ibrahim": ("ibrahima", "brahima", "brahim", "ibrahime", "iba"),
    "souleymane": ("souleimane", "soulemane", "sulayman", "suleiman", "souleyman", "solo"),
    "youssouf": ("yusuf", "youssef", "yousouf", "yousouf", "yusufu"),
    "ousmane": ("usman", "othmane", "ousmanou", "usmane", "housmane"),
    "seydou": ("saidou", "seidou", "seidu", "saydou", "sidou"),
    "moussa": ("musa", "mousa", "moussaou"),
    "ali": ("aliou", "aly", "alou", "alioune", "aliyu"),
    "lassana": ("lassine", "lansana", "lassina", "lacina", "hassane", "hassan", "assane"),
    "idrissa": ("idriss", "idrisa", "driss"),
    "issa": ("isa", "issaka", "issiaka"),
    "adama": ("adam", "adamou"),
    "modibo": ("moodibo",),
    "sekou": ("sekouba", "seku", "sekou"),
    "cheick": ("cheikh", "sheikh", "shaykh", "cheik", "chaka"),
    "hamidou": ("amidou", "hamidu"),
    "yacouba": ("yacoub", "yakouba", "yaqub", "yakuba"),
    "fatoumata": ("fatimata", "fatouma", "fatoumatou", "fatima", "fatim", "fatou", "fanta", "fatumata"),
    "aissata": ("aichata", "aicha", "aisha", "aissatou", "aichatou", "assata"),
    "kadidia": ("kadiatou", "khadija", "kadija", "kadidiatou", "khadidja", "kadi", "diadia"),
    "hawa": ("awa", "hawaou", "hawaa", "haoua", "aoua"),
    "djeneba": ("dieneba", "jeneba", "zeinab", "zeynab", "zenabou", "djenebou", "zainab", "dienaba"),
    "mariam": ("mariama", "maryam", "mariame", "mariamou", "mariyam"),
    "aminata": ("amina", "aminatou", "aminah"),
    "rokia": ("rokiatou", "roukiatou", "ruqayya", "rokiya", "roukia"),
    "bintou": ("binta", "bintu", "bint"),
    "oumou": ("umu", "oumoukalsoum", "oumou kalsoum", "kalsoum", "koultoum"),
    "assetou": ("assitou", "asseta", "assita"),
    "salimata": ("salamata", "salimatou"),
    "nana": ("nanah",),
}

_FAMILY_VARIANTS: dict[str, tuple[str, ...]] = {
    "maiga": ("mayga", "maaiga", "maiga"),
    "toure": ("ture", "tourey", "tour"),
    "traore": ("tarawele", "taraore", "traoure", "trawore"),
    "coulibaly": ("koulibaly", "kulibali", "coulibali", "koulibali", "kulibaly"),
    "diarra": ("jara", "diara", "djarra", "jarra"),
    "keita": ("keyta", "kaita", "keitah"),
    "cisse": ("sisse", "cisset", "sise", "cise"),
    "diallo": ("jallo", "djallo", "jalloh", "diallo", "dialo"),
    "sangare": ("sangari", "sangarre"),
    "dembele": ("dembelle", "dembellee"),
    "konate": ("konatte", "konati"),
    "doumbia": ("dumbia", "dumbiya", "doumbiya"),
    "sidibe": ("sidibeh", "sidibey"),
    "ba": ("bah", "baa"),
    "sow": ("so", "sao"),
    "dicko": ("diko", "dikko", "dico"),
    "sissoko": ("cissoko", "sisoko"),
    "kouyate": ("kuyate", "kouyatte"),
    "samake": ("samaki", "samakeh"),
    "camara": ("kamara", "camera"),
    "kante": ("kanteh", "cante"),
    "bagayoko": ("bagayogo", "bagayoco"),
    "diakite": ("jakite", "diakitte", "djakite"),
    "sylla": ("sila", "silla", "syla"),
    "guindo": ("guindou", "gindo"),
    "ouologuem": ("wologuem", "ologuem"),
    "tembely": ("tembele", "tembeli"),
}


def _ascii_fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_NON_LETTER = re.compile(r"[^a-z ]+")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=200_000)
def normalise(text: str | None) -> str:
    """Lower-case ASCII letters and single spaces; hyphens, apostrophes and dots become spaces.

    >>> normalise("  Ag-Ghaly ")
    'ag ghaly'
    >>> normalise("Aïssata N'Diaye")
    'aissata n diaye'
    """
    if not text:
        return ""
    folded = _ascii_fold(str(text)).lower()
    folded = _NON_LETTER.sub(" ", folded)
    return _SPACES.sub(" ", folded).strip()


# Words that stand in place of a given name without identifying anyone: kinship and respect terms
# ("Koro", elder brother in Bambara; "Dogo", younger; "Vieux"; "Tantie") and pilgrim titles.
GENERIC_NICKNAMES = frozenset(
    {
        "baba",
        "papa",
        "vieux",
        "le vieux",
        "koro",
        "dogo",
        "tonton",
        "petit",
        "mama",
        "maman",
        "tantie",
        "tanti",
    }
)
TITLES = frozenset({"el hadj", "elhadj", "el hadji", "hadj", "hadja", "hadjia", "ladji"})


def given_name(raw: str) -> str:
    """The normalised given name, without honorific titles; empty for a generic nickname, which says
    nothing about who the person is."""
    text = normalise(raw)
    for title in TITLES:
        if text.startswith(title + " "):
            text = text[len(title) + 1 :]
    return "" if text in GENERIC_NICKNAMES else text


def strip_particles(normalised: str) -> str:
    """The family name without its filiation particles ("ag ghaly" → "ghaly"); unchanged if nothing
    would remain."""
    tokens = [t for t in normalised.split() if t not in PARTICLES]
    return " ".join(tokens) if tokens else normalised


def _build_lookup(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for canonical, variants in table.items():
        canonical = canonical.strip()
        lookup.setdefault(canonical, canonical)
        for variant in variants:
            lookup.setdefault(variant.strip(), canonical)
    return lookup


GIVEN_LOOKUP = _build_lookup(_GIVEN_VARIANTS)
FAMILY_LOOKUP = _build_lookup(_FAMILY_VARIANTS)
KNOWN_FAMILY_NAMES = frozenset(FAMILY_LOOKUP)
KNOWN_GIVEN_NAMES = frozenset(GIVEN_LOOKUP)


@lru_cache(maxsize=200_000)
def canonical_given(normalised: str) -> str:
    """Each token of a normalised given name replaced by its canonical form, if the table knows it."""
    whole = GIVEN_LOOKUP.get(normalised)
    if whole:
        return whole
    return " ".join(GIVEN_LOOKUP.get(t, t) for t in normalised.split())


@lru_cache(maxsize=200_000)
def canonical_family(normalised: str) -> str:
    """Canonical family name, particles removed ("Ag-Ghaly" and "Ghaly" both give "ghaly")."""
    core = strip_particles(normalised)
    whole = FAMILY_LOOKUP.get(core)
    if whole:
        return whole
    return " ".join(FAMILY_LOOKUP.get(t, t) for t in core.split())


# Ordered rewrite rules; each applies to the whole string before the next.
_PHONETIC_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"\s+", ""),
        (r"^h", ""),  # silent initial h: Hawa/Awa, Hamadou/Amadou
        (r"tch", "c"),
        (r"dj|dy", "j"),
        (r"di(?=[aeiou])", "j"),  # Diallo = Djallo = Jallo
        (r"kh|gh", "k"),
        (r"ch|sh", "s"),
        (r"ph", "f"),
        (r"qu|q|ck|c(?=[^eiy]|$)", "k"),
        (r"c", "s"),  # the remaining c is soft: Cissé = Sissé
        (r"x", "ks"),
        (r"z", "s"),
        (r"ou|oo|w", "u"),
        (r"y", "i"),
        (r"(?<=[aeiou])h", ""),  # Bah = Ba, Ahmadou = Amadou
        (r"([a-z])\1+", r"\1"),  # doubled letters are one sound
    )
)
_VOWELS = frozenset("aeiou")


@lru_cache(maxsize=200_000)
def phonetic_key(normalised: str) -> str:
    """A sound key for West-African names written in French.

    The first sound is kept (a leading vowel becomes "a", since Oumar/Umar/Omar differ only there),
    then the consonant skeleton; short names keep their vowels, which are all that tells them apart.

    >>> phonetic_key("djeneba") == phonetic_key("dieneba") == phonetic_key("jeneba")
    True
    >>> phonetic_key("oumar") == phonetic_key("omar")
    True
    """
    if not normalised:
        return ""
    sound = normalised
    for pattern, replacement in _PHONETIC_RULES:
        sound = pattern.sub(replacement, sound)
    if not sound:
        return ""
    head = "a" if sound[0] in _VOWELS else sound[0]
    skeleton = head + "".join(ch for ch in sound[1:] if ch not in _VOWELS)
    if len(skeleton) < 3:
        return sound
    return skeleton


def given_key(normalised_given: str) -> str:
    """Phonetic key of the canonical given name (first token only: "Mohamed El Moctar" is
    usually called by the first)."""
    canon = canonical_given(normalised_given)
    first = canon.split(" ", 1)[0] if canon else ""
    return phonetic_key(first)


def family_key(normalised_family: str) -> str:
    return phonetic_key(canonical_family(normalised_family))


@lru_cache(maxsize=200_000)
def neutral_key(normalised: str) -> str:
    """A sound key that does not depend on whether the name was written as given or family name,
    for finding swapped names: particles dropped, either table's canonical form, then the key."""
    core = strip_particles(normalised)
    canon = GIVEN_LOOKUP.get(core) or FAMILY_LOOKUP.get(core) or core
    return phonetic_key(canon)


def sorted_names_key(normalised_given: str, normalised_family: str) -> str:
    """Both names' neutral keys in alphabetical order: equal for "Moussa Traoré" and "Traoré Moussa"."""
    keys = sorted(k for k in (neutral_key(normalised_given), neutral_key(normalised_family)) if k)
    return "|".join(keys) if len(keys) == 2 else ""


def split_full_name(raw: str) -> tuple[str, str]:
    """Split a full name into (given, family), both normalised.

    Malian lists write either "Amadou MAIGA" or "MAIGA Amadou". A token written in capitals while
    others are not marks the family name; otherwise a known family name at the start (and not at the
    end) puts the family first; otherwise the last token is the family name, with its particle
    ("Mohamed Ag Intallah" → family "ag intallah").
    """
    words = [w for w in re.split(r"\s+", str(raw).strip()) if w]
    if not words:
        return "", ""
    upper = [w for w in words if len(w) > 1 and w.isupper()]
    if upper and len(upper) < len(words):
        family_raw = " ".join(upper)
        given_raw = " ".join(w for w in words if w not in upper)
        return normalise(given_raw), normalise(family_raw)
    tokens = normalise(" ".join(words)).split()
    if len(tokens) == 1 or tokens[0] in PARTICLES:
        return "", " ".join(tokens)
    for i, token in enumerate(tokens[:-1]):
        if token in PARTICLES and i > 0:
            return " ".join(tokens[:i]), " ".join(tokens[i:])
    first, last = tokens[0], tokens[-1]
    if first in KNOWN_FAMILY_NAMES and last not in KNOWN_FAMILY_NAMES and last in KNOWN_GIVEN_NAMES:
        return " ".join(tokens[1:]), first
    return " ".join(tokens[:-1]), last


def names_match_loosely(a: str, b: str) -> bool:
    """True if two full names agree on canonical or phonetic form, in either order — a helper for
    tests and reviewers, not used by the model."""
    ga, fa = split_full_name(a)
    gb, fb = split_full_name(b)
    same = (given_key(ga), family_key(fa)) == (given_key(gb), family_key(fb))
    swapped = (given_key(ga), family_key(fa)) == (given_key(fb), family_key(gb))
    return same or swapped
