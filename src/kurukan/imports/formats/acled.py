"""ACLED exports (the 31 columns of ACLED's data export), for comparing Kurukan's records with ACLED's events.

What is a violation or an abuse, and what is skipped (the rule, also in docs/imports.md):

- **Violence against civilians** is always imported: *Attack* → killing of civilians when there were
  fatalities, attempted killing otherwise; *Sexual violence* → other sexual violence; *Abduction/forced
  disappearance* → enforced disappearance when a State actor did it, abduction otherwise.
- **Explosions/Remote violence**, **Excessive force against protesters** and **Mob violence** are imported
  only when civilians were the target (`civilian_targeting` = "Civilians targeted"): explosions as
  indiscriminate attacks, the others as attacks. Otherwise they are skipped: `acled_no_civilian_harm`.
- **Strategic developments**: *Looting/property destruction* and *Arrests* are imported (looting and
  destruction; arbitrary detention, to be verified); every other sub-event is skipped: `acled_strategic`.
- **Battles** (armed groups fighting each other) are skipped: `acled_battle`, unless civilians were targeted.
- **Peaceful protests**, **protests with intervention** and **violent demonstrations** are skipped:
  `acled_protest`.

The violation type comes from the vocabularies: each type's `acled_sub_event` attribute names the ACLED
sub-event it corresponds to; when several types share one, the rule above picks among them.

Mapping: `event_id_cnty` is the external id (re-imports update); actor1 is the alleged perpetrator, matched
to Kurukan's actors by name, else to a perpetrator category by its `inter1` code; fatalities become a group
of victims killed; `time_precision` 1 → day, 2 → day (estimated), 3 → month; `geo_precision` is kept;
`notes` is the narrative (protected); `source` becomes a media source. Places: admin1 → region (Ménaka and
Taoudénit through the crosswalk), admin2 → cercle, admin3 → commune, location → settlement, accents ignored.
"""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext_lazy

from kurukan.text import fold

from ..places import PlaceProblem
from ..reading import Sheet, open_table, parse_date
from ..records import GroupRecord, PerpetratorRecord, Record, SourceRecord, ViolationRecord
from . import PICKED, Context, RowError, Skip, number
from .template import _place_error

NAME = "acled"
LABEL = gettext_lazy("export ACLED")
SOURCE = "acled"
HEADER = (
    "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,"
    "inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,"
    "location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp"
).split(",")

REMOTE = {
    "air/drone strike", "suicide bomb", "shelling/artillery/missile attack", "remote explosive/landmine/ied",
    "grenade", "chemical weapon",
}  # fmt: skip
PROTESTS = {"peaceful protest", "protest with intervention", "violent demonstration"}
# ACLED's numeric interaction codes (older exports) → the names newer exports write.
INTER_CODES = {
    "1": "state forces", "2": "rebel group", "3": "political militia", "4": "identity militia",
    "5": "rioters", "6": "protesters", "7": "civilians", "8": "external/other forces",
}  # fmt: skip
# When actor1 is not one of Kurukan's actors: its category from the inter code. A rebel group that is not
# named is "unidentified", never guessed to be JNIM or the EIGS.
INTER_CATEGORY = {
    "state forces": "state.fdsm",
    "rebel group": "nonstate.unidentified",
    "political militia": "nonstate.unidentified",
    "identity militia": "nonstate.community_militia",
    "rioters": "nonstate.civilians",
    "protesters": "nonstate.civilians",
    "civilians": "nonstate.civilians",
    "external/other forces": "international",
}
# ACLED's actor names → Kurukan's actor codes (folded name contains the key).
ACTORS = (
    ("wagner", "foreign_military_personnel"),
    ("africa corps", "foreign_military_personnel"),
    ("military forces of mali", "fama"),
    ("police forces of mali", "police_nationale"),
    ("jnim", "jnim"),
    ("katiba macina", "katiba_macina"),
    ("islamic state", "eigs"),
    ("dan na ambassagou", "dan_na_ambassagou"),
    ("dozo", "dozos"),
    ("gatia", "gatia"),
    ("msa:", "msa"),
    ("cma:", "cma"),
    ("fla:", "fla"),
    ("minusma", "minusma"),
    ("unidentified armed group", "unidentified_armed_men"),
)
STATE_CATEGORIES = ("state", "state.fdsm", "state.foreign_military", "state.officials")


def detect(header: list[str]) -> bool:
    names = {name.strip().lower() for name in header}
    return {"event_id_cnty", "event_type", "sub_event_type", "admin1"} <= names


def read(path: Path) -> Sheet:
    return open_table(path)


def map_row(row: dict[str, str], context: Context) -> Record | Skip:
    get = row.get
    key = get("event_id_cnty", "").strip()
    if not key:
        raise RowError(
            "event_id_cnty",
            "",
            "Colonne « %(field)s » : l'identifiant ACLED manque ; gardez la colonne telle que "
            "l'export ACLED la donne.",
        )
    folded = context.folded
    event_type, sub_event = folded(get("event_type", "")), get("sub_event_type", "").strip().lower()
    targeted = folded(get("civilian_targeting", "")) == "civilians targeted"
    fatalities = number(get("fatalities", ""), "fatalities")
    skip = _skip(event_type, sub_event, targeted)
    if skip is not None:
        return skip
    perpetrator, state = _perpetrator(row, context)
    vtype = _violation_type(context, event_type, sub_event, fatalities, state)
    raw_date = get("event_date", "")
    start = parse_date(raw_date)
    if start is None:
        raise RowError(
            "event_date",
            raw_date,
            "Colonne « %(field)s » : « %(value)s » n'est pas une date lisible (attendu : "
            "2023-02-16 ou 16 February 2023).",
        )
    try:
        place = context.places.resolve(
            pcodes=(get(PICKED, ""),),
            region=get("admin1", ""),
            cercle=get("admin2", ""),
            commune=get("admin3", ""),
            location=get("location", ""),
            fields=("admin1", "admin2", "admin3", "location"),
        )
    except PlaceProblem as problem:
        raise _place_error(problem) from None
    violation = ViolationRecord(type_code=vtype, verification_status="reported")
    if perpetrator is not None:
        violation.perpetrators.append(perpetrator)
    if fatalities:
        violation.groups.append(GroupRecord(unknown=fatalities, status_after="killed", description="ACLED"))
    precision = get("time_precision", "1").strip()
    location = get("location", "").strip()
    return Record(
        title=f"{get('sub_event_type', '').strip()} — {location}"[:250],
        start_date=start,
        date_precision="month" if precision == "3" else "day",
        date_estimated=precision in {"2", "3"},
        source_org=context.organisation,
        confidentiality=context.confidentiality,
        external_ids={SOURCE: key},
        admin1_pcode=place.region,
        admin2_pcode=place.cercle,
        admin3_pcode=place.commune,
        settlement_pcode=place.settlement,
        latitude=_float(get("latitude", "")),
        longitude=_float(get("longitude", "")),
        geo_precision=int(get("geo_precision", ""))
        if get("geo_precision", "").strip() in {"1", "2", "3"}
        else 2,
        narrative=get("notes", "").strip(),
        violations=[violation],
        sources=[
            SourceRecord(kind="media", language="en", reported_on=start, name=get("source", "").strip()[:500])
        ],
    )


def _skip(event_type: str, sub_event: str, targeted: bool) -> Skip | None:
    if event_type == "battles" and not targeted:
        return Skip("acled_battle", "bataille entre groupes armés sans civils visés")
    if sub_event in PROTESTS:
        return Skip("acled_protest", "manifestation sans violence contre des personnes")
    if event_type == "strategic developments" and sub_event not in {
        "looting/property destruction",
        "arrests",
    }:
        return Skip("acled_strategic", "développement stratégique sans violence contre des personnes")
    if (
        sub_event in REMOTE or sub_event in {"excessive force against protesters", "mob violence"}
    ) and not targeted:
        return Skip("acled_no_civilian_harm", "civils non visés")
    return None


def _violation_type(context: Context, event_type: str, sub_event: str, fatalities: int, state: bool) -> str:
    """The vocabulary's types for this sub-event (`acled_sub_event`), then the rule of the docstring."""
    family = sub_event
    if sub_event in REMOTE:
        family = "remote explosive/landmine/ied"
    elif sub_event in {"excessive force against protesters", "mob violence"} or event_type == "battles":
        family = "attack"
    key = ("types", family)
    if key not in context.cache:
        context.cache[key] = [
            term.code
            for term in context.lookup._vocabulary("violation_type").values()
            if term.parent_id is not None and fold(term.attributes.get("acled_sub_event", "")) == family
        ]
    candidates = context.cache[key]
    preferred = {
        "attack": "life.killing_civilians" if fatalities else "life.attempted_killing",
        "sexual violence": "sexual.other",
        "abduction/forced disappearance": "liberty.enforced_disappearance" if state else "liberty.abduction",
        "remote explosive/landmine/ied": "life.indiscriminate_attack",
        "arrests": "liberty.arbitrary_detention",
        "looting/property destruction": "protected.looting_destruction",
    }.get(family)
    if preferred is not None and preferred in candidates:
        return preferred
    if candidates:
        return sorted(candidates)[0]
    raise RowError(
        "sub_event_type",
        sub_event,
        "Colonne « %(field)s » : aucun type de violation n'a « %(value)s » comme sous-type ACLED "
        "(attribut acled_sub_event du vocabulaire) ; un administrateur doit l'ajouter.",
    )


def _perpetrator(row: dict[str, str], context: Context) -> tuple[PerpetratorRecord | None, bool]:
    key = ("actor", row.get("actor1", ""), row.get("inter1", ""))
    if key not in context.cache:
        context.cache[key] = _find_perpetrator(row, context)
    found, state = context.cache[key]
    return (PerpetratorRecord(**found) if found else None), state


def _find_perpetrator(row: dict[str, str], context: Context) -> tuple[dict | None, bool]:
    name = row.get("actor1", "").strip()
    folded = fold(name)
    code = next((code for key, code in ACTORS if key in folded), None)
    actor = context.lookup.actor_named(code or name)
    if actor is not None:
        category = actor.category.code
        return {"actor_name": actor.code, "category_code": category}, category in STATE_CATEGORIES
    inter = fold(row.get("inter1", "")).removesuffix(".0")
    inter_category = INTER_CATEGORY.get(INTER_CODES.get(inter, inter))
    if inter_category is None:
        return None, False
    category = inter_category
    return {"category_code": category}, category in STATE_CATEGORIES


def _float(raw: str) -> float | None:
    try:
        return float(raw.replace(",", "."))
    except ValueError:
        return None
