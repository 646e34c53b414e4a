"""Kurukan's own template, CSV or XLSX: one row per violation, with incident, victim and perpetrator columns.

The column names are the violation export's (`kurukan export violations`), so an export imports back as
it is. Only `violation_type`, `start_date` and a place (a P-code or a name) are required.

Several victims on one incident: repeat the incident's row, with the same `incident_id`, once per victim
(or per violation). Consecutive rows with the same `incident_id` make one incident; rows with the same
`incident_id` and the same `violation_type` make one violation with several victims. A file without
`incident_id` (or `public_id`) gives each row its own incident, and re-importing it finds the rows again
by their content.
"""

from __future__ import annotations

from pathlib import Path

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from kurukan.incidents.models import DatePrecision, VerificationStatus

from ..places import PlaceProblem
from ..reading import Sheet, open_table, parse_date
from ..records import GroupRecord, PerpetratorRecord, Record, VictimRecord, ViolationRecord
from . import PICKED, Context, RowError, number, vocabulary_code

NAME = "template"
LABEL = gettext_lazy("modèle Kurukan (CSV ou XLSX)")
SOURCE = "template"

# (column, required, what it holds) — also the "champs" sheet of the downloadable template
COLUMNS: list[tuple[str, bool, str | Promise]] = [
    (
        "incident_id",
        False,
        gettext_lazy("Votre identifiant de l'incident ; les lignes d'un même incident le répètent."),
    ),
    ("title", False, gettext_lazy("Titre de l'incident (sans nom de victime).")),
    ("start_date", True, gettext_lazy("Date des faits : 2023-02-16, 16/02/2023 ou 16 février 2023.")),
    ("end_date", False, gettext_lazy("Date de fin, si les faits ont duré.")),
    ("date_precision", False, gettext_lazy("day, month, year ou unknown (défaut : day).")),
    ("region_pcode", False, gettext_lazy("P-code de la région (ex. ML05).")),
    ("region", False, gettext_lazy("Nom de la région (ex. Mopti).")),
    ("cercle_pcode", False, gettext_lazy("P-code du cercle.")),
    ("cercle", False, gettext_lazy("Nom du cercle.")),
    ("commune_pcode", False, gettext_lazy("P-code de la commune.")),
    ("commune", False, gettext_lazy("Nom de la commune.")),
    ("settlement", False, gettext_lazy("Village ou quartier.")),
    ("latitude", False, gettext_lazy("Latitude en degrés décimaux.")),
    ("longitude", False, gettext_lazy("Longitude en degrés décimaux.")),
    ("violation_type", True, gettext_lazy("Type de violation ou d'atteinte (feuille « valeurs »).")),
    ("verification_status", False, gettext_lazy("Statut de vérification (défaut : reported).")),
    ("perpetrator_categories", False, gettext_lazy("Catégories d'auteurs présumés, séparées par « | ».")),
    ("perpetrator_actors", False, gettext_lazy("Acteurs (code, nom ou sigle), séparés par « | ».")),
    ("victim_given_name", False, gettext_lazy("Prénom de la victime (chiffré à l'enregistrement).")),
    ("victim_family_name", False, gettext_lazy("Nom de famille de la victime (chiffré).")),
    ("victim_sex", False, gettext_lazy("female, male ou unknown.")),
    ("victim_age", False, gettext_lazy("Âge au moment des faits.")),
    ("victim_status", False, gettext_lazy("Situation après les faits (killed, injured…).")),
    ("victims", False, gettext_lazy("Nombre de victimes sans nom (groupe).")),
    ("narrative", False, gettext_lazy("Récit (protégé, peut nommer des personnes).")),
    ("public_summary", False, gettext_lazy("Résumé public, sans nom ni détail identifiant.")),
]
REQUIRED = {"start_date", "violation_type"}
# columns of the violation export that identify the incident when the template's own id is absent
ID_COLUMNS = ("incident_id", "public_id")
LIST_SEPARATORS = ("|", ";", ",")


def detect(header: list[str]) -> bool:
    names = {name.strip().lower() for name in header}
    return REQUIRED <= names and "event_id_cnty" not in names


def read(path: Path) -> Sheet:
    return open_table(path)


def _split(raw: str) -> list[str]:
    for separator in LIST_SEPARATORS:
        if separator in raw:
            return [part.strip() for part in raw.split(separator) if part.strip()]
    return [raw.strip()] if raw.strip() else []


def _date(row: dict[str, str], name: str, required: bool):
    raw = row.get(name, "").strip()
    if not raw:
        if required:
            raise RowError(
                name, raw, "Colonne « %(field)s » : la date manque. Écrivez-la, par ex. 2023-02-16."
            )
        return None
    parsed = parse_date(raw)
    if parsed is None:
        raise RowError(
            name,
            raw,
            "Colonne « %(field)s » : « %(value)s » n'est pas une date lisible. Écrivez-la 2023-02-16, "
            "16/02/2023 ou 16 février 2023.",
        )
    return parsed


def _coordinate(row: dict[str, str], name: str, low: float, high: float) -> float | None:
    raw = row.get(name, "").strip()
    if not raw:
        return None
    try:
        value = float(raw.replace(",", "."))
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        raise RowError(
            name,
            raw,
            "Colonne « %(field)s » : « %(value)s » n'est pas une coordonnée en degrés décimaux (ex. 14.49).",
        )
    return value


def map_row(row: dict[str, str], context: Context) -> Record:
    get = row.get
    lookup = context.lookup
    start = _date(row, "start_date", True)
    end = _date(row, "end_date", False)
    if end is not None and end < start:
        raise RowError(
            "end_date",
            get("end_date", ""),
            "Colonne « %(field)s » : la date de fin précède la date de début.",
        )
    precision = (get("date_precision") or "day").strip() or "day"
    if precision not in DatePrecision.values:
        raise RowError(
            "date_precision",
            precision,
            "Colonne « %(field)s » : « %(value)s » n'est pas une précision connue ; écrivez day, month, year "
            "ou unknown.",
        )
    try:
        place = context.places.resolve(
            pcodes=(
                get(PICKED, ""),
                get("commune_pcode", ""),
                get("cercle_pcode", ""),
                get("region_pcode", ""),
            ),
            region=get("region", ""),
            cercle=get("cercle", ""),
            commune=get("commune", ""),
            location=get("settlement", ""),
            fields=("region", "cercle", "commune", "settlement"),
        )
    except PlaceProblem as problem:
        raise _place_error(problem) from None
    vtype = vocabulary_code(
        lookup, "violation_type", get("violation_type", ""), "violation_type", leaves_only=True
    )
    if not vtype:
        raise RowError(
            "violation_type",
            "",
            "Colonne « %(field)s » : le type de violation manque. Choisissez-le dans la feuille « valeurs ».",
        )
    status = (get("verification_status") or "reported").strip()
    if status not in VerificationStatus.values:
        status = vocabulary_code(lookup, "verification_status", status, "verification_status") or status
        if status not in VerificationStatus.values:
            raise RowError(
                "verification_status",
                get("verification_status", ""),
                "Colonne « %(field)s » : « %(value)s » n'est pas un statut de vérification ; écrivez reported, "
                "pending, verified, not_verified ou did_not_occur.",
            )
    violation = ViolationRecord(type_code=vtype, verification_status=status)
    for category in _split(get("perpetrator_categories", "")):
        code = vocabulary_code(lookup, "perpetrator_category", category, "perpetrator_categories")
        violation.perpetrators.append(PerpetratorRecord(category_code=code))
    for name in _split(get("perpetrator_actors", "")):
        actor = lookup.actor_named(name)
        if actor is None:
            raise RowError(
                "perpetrator_actors",
                name,
                "Colonne « %(field)s » : « %(value)s » n'est pas un acteur connu ; écrivez son code, son nom ou "
                "son sigle (feuille « valeurs »), ou seulement la catégorie.",
            )
        violation.perpetrators.append(PerpetratorRecord(actor_name=actor.code))
    given, family = get("victim_given_name", "").strip(), get("victim_family_name", "").strip()
    if given or family:
        age = number(get("victim_age", ""), "victim_age") if get("victim_age", "").strip() else None
        violation.victims.append(
            VictimRecord(
                given_name=given,
                family_name=family,
                sex=_sex(get("victim_sex", "")),
                age=age,
                categories=("child",) if age is not None and age < 18 else (),
                status_after=vocabulary_code(
                    lookup, "victim_status", get("victim_status", ""), "victim_status"
                ),
            )
        )
    group = number(get("victims", ""), "victims") - len(violation.victims)
    if group > 0:
        violation.groups.append(GroupRecord(unknown=group))
    key = next((get(c, "").strip() for c in ID_COLUMNS if get(c, "").strip()), "")
    record = Record(
        title=(get("title") or "").strip()[:250] or _title(vtype, lookup, place.lowest, context),
        start_date=start,
        end_date=end,
        date_precision=precision,
        source_org=context.organisation,
        confidentiality=context.confidentiality,
        admin1_pcode=place.region,
        admin2_pcode=place.cercle,
        admin3_pcode=place.commune,
        settlement_pcode=place.settlement,
        latitude=_coordinate(row, "latitude", -90, 90),
        longitude=_coordinate(row, "longitude", -180, 180),
        narrative=get("narrative", "").strip(),
        public_summary=get("public_summary", "").strip(),
        violations=[violation],
    )
    if key:
        record.external_ids = {SOURCE: key}
    return record


SEXES = {
    "female": "female", "f": "female", "feminin": "female", "femme": "female", "fille": "female",
    "male": "male", "m": "male", "h": "male", "masculin": "male", "homme": "male", "garcon": "male",
    "unknown": "unknown", "inconnu": "unknown", "": "unknown",
}  # fmt: skip


def _sex(raw: str) -> str:
    from kurukan.text import fold

    found = SEXES.get(fold(raw))
    if found is None:
        raise RowError(
            "victim_sex", raw, "Colonne « %(field)s » : « %(value)s » ; écrivez female, male ou unknown."
        )
    return found


def _title(vtype: str, lookup, pcode: str, context: Context) -> str:
    term = lookup.find_term("violation_type", vtype)
    unit = context.places.units.get(pcode)
    label = term.label_fr if term else vtype
    return f"{label} — {unit.name}" if unit else label


def _place_error(problem: PlaceProblem) -> RowError:
    if problem.ambiguous:
        return RowError(
            problem.field,
            problem.value,
            "Colonne « %(field)s » : « %(value)s » désigne plusieurs lieux. Choisissez le bon dans la liste, "
            "ou écrivez son P-code.",
            problem.candidates,
        )
    if not problem.value:
        return RowError(
            problem.field,
            "",
            "Aucun lieu : écrivez au moins la région et le cercle (noms ou P-codes), par ex. Mopti / Djenné.",
        )
    return RowError(
        problem.field,
        problem.value,
        "Colonne « %(field)s » : « %(value)s » ne correspond à aucun lieu connu. Vérifiez l'orthographe, "
        "choisissez un lieu proposé, ou écrivez son P-code.",
        problem.candidates,
    )
