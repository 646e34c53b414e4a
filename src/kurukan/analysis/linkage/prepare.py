"""Standardise input records into the columns the linkage model compares.

Works on pandas frames of any origin (a CSV, the synthetic generator, an export); every derived
value is computed once per distinct input value, so 100,000 rows with a few thousand distinct names
take well under a second.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Hashable, Iterable
from typing import Any

import numpy as np
import pandas as pd

from . import names
from .config import INCIDENT_ROLES, PERSON_ROLES, LinkageConfig
from .messages import error

UNIQUE_ID = "unique_id"

# Width, in days, of the interval a date of each precision stands for.
PRECISION_DAYS = {"day": 0, "week": 7, "month": 31, "year": 366}

_EPOCH = dt.date(1970, 1, 1)
MAX_AGE = 120
_TRUE = frozenset({"1", "true", "yes", "oui", "vrai", "x", "y", "o", "estimated", "estime", "estimé"})
_APPROX = re.compile(r"~|\?|env|about|approx|ca\.?|circa|vers", re.IGNORECASE)
_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T ].*)?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")  # YYYYMMDD
_DMY = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")
_MY = re.compile(r"^(\d{1,2})[/.](\d{4})$")
_STOPWORDS = frozenset(
    "dans pour avec sans sur sous entre apres avant contre lors dont leur leurs cette their with from "
    "into near after before against attack attaque village commune cercle region".split()
)


def resolve_columns(frame: pd.DataFrame, config: LinkageConfig, roles: tuple[str, ...], where: str) -> dict:
    """The role → column mapping, checked against the frame's columns."""
    mapping = dict(config.columns) or {role: role for role in roles if role in frame.columns}
    available = ", ".join(map(str, frame.columns))
    for role, column in mapping.items():
        if role not in roles:
            raise error("role_unknown", role=role, spec=f"{role}={column}", roles=", ".join(roles))
        if column not in frame.columns:
            raise error("column_missing", column=column, role=role, path=where, available=available)
    return mapping


def check_ids(frame: pd.DataFrame, id_column: str, where: str) -> pd.Series:
    if id_column not in frame.columns:
        raise error("id_missing", column=id_column, path=where, available=", ".join(map(str, frame.columns)))
    if frame.empty:
        raise error("file_empty", path=where)
    ids = frame[id_column].astype("string").str.strip()
    empty = ids.isna() | (ids == "")
    if empty.any():
        raise error("id_empty", row=_line(int(np.argmax(empty.to_numpy()))), path=where, column=id_column)
    duplicated = ids.duplicated()
    if duplicated.any():
        position = int(np.argmax(duplicated.to_numpy()))
        raise error(
            "id_duplicate",
            row=_line(position),
            path=where,
            value=_shown(ids.iloc[position]),
            column=id_column,
        )
    return ids


def _first_unread(text: pd.Series, parsed: pd.Series) -> int | None:
    """Position of the first cell that holds text but could not be read, if any."""
    bad = text.notna() & parsed.isna()
    return int(np.argmax(bad.to_numpy())) if bad.any() else None


def _shown(value: object) -> str:
    """A cell as quoted in an error message: one line, at most 40 characters."""
    text = " ".join(str(value).split())
    return text if len(text) <= 40 else text[:39] + "…"


def _line(position: int) -> int:
    """Line number in a CSV file with one header line."""
    return position + 2


def _map_unique(values: pd.Series, function: Callable[[Any], object]) -> pd.Series:
    """Apply ``function`` once per distinct value (of whatever type the series holds)."""
    uniques = values.dropna().unique()
    lookup = {value: function(value) for value in uniques}
    return values.map(lookup)


def _text(frame: pd.DataFrame, mapping: dict, role: str) -> pd.Series:
    if role not in mapping:
        return pd.Series([None] * len(frame), index=frame.index, dtype="object")
    column = frame[mapping[role]]
    return column.astype("string").str.strip().replace("", pd.NA).astype("object").where(column.notna(), None)


def _number(frame: pd.DataFrame, mapping: dict, role: str, where: str) -> pd.Series:
    text = _text(frame, mapping, role)
    cleaned = text.map(lambda v: re.sub(r"[^0-9.,\-]", "", v).replace(",", ".") if isinstance(v, str) else v)
    numbers = pd.to_numeric(cleaned.replace("", None), errors="coerce")
    bad = text.notna() & numbers.isna()
    if bad.any():
        position = int(np.argmax(bad.to_numpy()))
        raise error(
            "not_number",
            row=_line(position),
            column=mapping[role],
            role=role,
            value=_shown(text.iloc[position]),
        )
    return numbers.astype("float64")


def _ages(frame: pd.DataFrame, mapping: dict, where: str) -> pd.Series:
    """Ages in years; a negative age or one above ``MAX_AGE`` is a typing error the user must fix."""
    ages = _number(frame, mapping, "age", where)
    bad = (ages < 0) | (ages > MAX_AGE)
    if bad.any():
        position = int(np.argmax(bad.to_numpy()))
        text = _text(frame, mapping, "age").iloc[position]
        raise error("bad_age", row=_line(position), column=mapping["age"], value=_shown(text), max=MAX_AGE)
    return ages


def _birth_dates(frame: pd.DataFrame, mapping: dict, date_format: str | None) -> pd.DataFrame:
    """Year, month and day of the ``birth_date`` column (each may be unknown)."""
    text = _text(frame, mapping, "birth_date")
    parsed = _map_unique(text, lambda v: parse_birth_date(str(v), date_format))
    position = _first_unread(text, parsed)
    if position is not None:
        raise error(
            "not_birth_date",
            row=_line(position),
            column=mapping["birth_date"],
            value=_shown(text.iloc[position]),
        )
    parts = {}
    for index, name in enumerate(("birth_y", "birth_m", "birth_d")):
        values = parsed.map(lambda p, i=index: p[i] if isinstance(p, tuple) and p[i] is not None else np.nan)
        parts[name] = _nullable_int(values.astype("float64"))
    return pd.DataFrame(parts, index=frame.index)


def _address(value: Hashable) -> str | None:
    """Street and number, lower case, without accents or punctuation, abbreviations kept as written."""
    return names.normalise(str(value)) or None


def _postcode(value: Hashable) -> str | None:
    return re.sub(r"[^0-9A-Z]", "", str(value).upper()) or None


def _date_parts(text: str, date_format: str | None) -> tuple[str, str | None, str | None] | None:
    """(year, month, day) as written, for ``date_format`` (strptime) or the formats we recognise."""
    if date_format:
        try:
            parsed = dt.datetime.strptime(text, date_format)  # noqa: DTZ007 — a calendar date, no time
        except ValueError:
            return None
        month = (
            str(parsed.month) if "%m" in date_format or "%b" in date_format or "%B" in date_format else None
        )
        day = str(parsed.day) if "%d" in date_format or "%j" in date_format else None
        return str(parsed.year), month, day
    if match := _COMPACT.match(text):
        return match.group(1), match.group(2), match.group(3)
    if match := _ISO.match(text):
        return match.group(1), match.group(2), match.group(3)
    if match := _DMY.match(text):
        return match.group(3), match.group(2), match.group(1)
    if match := _MY.match(text):
        return match.group(2), match.group(1), None
    return None


def parse_date(value: str, date_format: str | None = None) -> tuple[int, str] | None:
    """(days since 1970-01-01 of the first day, precision) for ISO, partial ISO, YYYYMMDD,
    day/month/year, or ``date_format`` (a strptime format such as ``%d.%m.%Y``)."""
    parts = _date_parts(value.strip(), date_format)
    if parts is None:
        return None
    year, month, day = parts
    try:
        first = dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return None
    precision = "day" if day else "month" if month else "year"
    return (first - _EPOCH).days, precision


def parse_birth_date(value: str, date_format: str | None = None) -> tuple[int, int | None, int | None] | None:
    """(year, month, day) of a date of birth, full or partial.

    A date whose digits fit a format but not the calendar (19371233: a typing error in the day) keeps
    its plausible parts (1937, 12, unknown day): the record is still worth comparing, and the parts
    that are there are still evidence. Text that is no date at all is refused (``None``).
    """
    parts = _date_parts(value.strip(), date_format)
    if parts is None:
        return None
    year, month, day = int(parts[0]), _int(parts[1]), _int(parts[2])
    if not 1800 <= year <= dt.datetime.now(dt.UTC).year:
        return None
    month = month if month is not None and 1 <= month <= 12 else None
    day = day if day is not None and 1 <= day <= 31 else None
    return year, month, day


def partial_birth_dates(values: pd.Series, date_format: str | None = None) -> tuple[int, int, str] | None:
    """How many dates of birth are not calendar dates but keep plausible parts (see
    ``parse_birth_date``), with the file line and value of the first; None when there are none."""
    text = values.astype("string").str.strip()
    partial = text.map(lambda v: _not_calendar(v, date_format) if isinstance(v, str) and v else False)
    if not partial.any():
        return None
    position = int(np.argmax(partial.to_numpy(dtype=bool)))
    return int(partial.sum()), _line(position), _shown(text.iloc[position])


def _not_calendar(value: str, date_format: str | None) -> bool:
    return parse_birth_date(value, date_format) is not None and parse_date(value, date_format) is None


def _int(text: str | None) -> int | None:
    return int(text) if text else None


def _dates(
    frame: pd.DataFrame, mapping: dict, role: str, where: str, date_format: str | None = None
) -> tuple[pd.Series, pd.Series]:
    """Day number and precision for the date column of ``role``."""
    text = _text(frame, mapping, role)
    parsed = _map_unique(text, lambda v: parse_date(str(v), date_format))
    position = _first_unread(text, parsed)
    if position is not None:
        raise error(
            "not_date",
            row=_line(position),
            column=mapping[role],
            role=role,
            value=_shown(text.iloc[position]),
        )
    days = parsed.map(lambda p: p[0] if isinstance(p, tuple) else np.nan).astype("float64")
    precision = parsed.map(lambda p: p[1] if isinstance(p, tuple) else None)
    stated = _text(frame, mapping, "date_precision").map(_precision)
    precision = stated.where(stated.notna(), precision)
    days = days.where(precision != "unknown")
    return days, precision


def _precision(value: object) -> str | None:
    text = str(value).strip().lower() if isinstance(value, str) else ""
    return text if text in PRECISION_DAYS or text == "unknown" else None


def _tolerance(precision: pd.Series) -> pd.Series:
    return precision.map(PRECISION_DAYS).astype("float64")


def _code(frame: pd.DataFrame, mapping: dict, role: str) -> pd.Series:
    return _map_unique(_text(frame, mapping, role), lambda v: str(v).strip().upper() or None)


def _sex(value: Hashable) -> str | None:
    first = names.normalise(str(value))[:1]
    if first in ("m", "h"):  # male, masculin, homme
        return "m"
    if first in ("f", "w"):  # female, féminin, femme, woman
        return "f"
    return None


def _phone(value: Hashable) -> str | None:
    digits = re.sub(r"\D", "", str(value))
    return digits[-8:] if len(digits) >= 8 else None  # Malian numbers have eight digits after +223


def _identifier(value: Hashable) -> str | None:
    return re.sub(r"[^0-9A-Z]", "", str(value).upper()) or None


def _nullable_int(series: pd.Series) -> pd.Series:
    return series.round().astype("Int64")


def _place_columns(frame: pd.DataFrame, mapping: dict, where: str) -> dict[str, pd.Series]:
    return {
        "admin1": _code(frame, mapping, "admin1"),
        "admin2": _code(frame, mapping, "admin2"),
        "admin3": _code(frame, mapping, "admin3"),
        "settlement": _code(frame, mapping, "settlement"),
        "lat": _number(frame, mapping, "latitude", where),
        "lon": _number(frame, mapping, "longitude", where),
    }


def prepare_people(
    frame: pd.DataFrame, config: LinkageConfig, where: str = "input", source: str | None = None
) -> pd.DataFrame:
    """The person records as the model's columns (see the module docstring of ``model``)."""
    mapping = resolve_columns(frame, config, PERSON_ROLES, where)
    if not {"given_name", "family_name", "full_name"} & set(mapping):
        raise error("no_name")
    ids = check_ids(frame, config.id_column, where)
    out: dict[str, object] = {UNIQUE_ID: ids.astype(str).to_numpy()}
    if source is not None:
        out["source_dataset"] = source

    given = _map_unique(_text(frame, mapping, "given_name"), lambda v: names.given_name(str(v)) or None)
    family = _map_unique(_text(frame, mapping, "family_name"), lambda v: names.normalise(str(v)) or None)
    if "full_name" in mapping:
        split = _map_unique(_text(frame, mapping, "full_name"), lambda v: names.split_full_name(str(v)))
        given = given.where(
            given.notna(), split.map(lambda p: p[0] or None if isinstance(p, tuple) else None)
        )
        family = family.where(
            family.notna(), split.map(lambda p: p[1] or None if isinstance(p, tuple) else None)
        )
    if given.isna().all() and family.isna().all():
        named = [mapping[r] for r in ("given_name", "family_name", "full_name") if r in mapping]
        raise error("no_name_values", path=where, columns=", ".join(f"'{c}'" for c in named))
    out["given_norm"] = given
    out["family_norm"] = _map_unique(family, names.strip_particles)
    out["given_canon"] = _map_unique(given, names.canonical_given)
    out["family_canon"] = _map_unique(family, names.canonical_family)
    out["given_key"] = _map_unique(given, names.given_key)
    out["family_key"] = _map_unique(family, names.family_key)
    pairs = pd.Series(list(zip(given.fillna(""), family.fillna(""), strict=True)), index=frame.index)
    out["names_sorted"] = _map_unique(pairs, lambda p: names.sorted_names_key(*p) or None)
    full = pd.Series(out["given_canon"]).fillna("") + " " + pd.Series(out["family_canon"]).fillna("")
    out["name_canon"] = full.str.strip().replace("", None)

    out["sex"] = _map_unique(_text(frame, mapping, "sex"), _sex)

    event_day, precision = _dates(frame, mapping, "date", where, config.date_format)
    out["event_day"] = _nullable_int(event_day)
    out["date_tol"] = _nullable_int(_tolerance(precision))
    event_dates = pd.to_datetime(event_day, unit="D", origin="unix")
    event_year = event_dates.dt.year.astype("float64")
    out["event_month"] = _nullable_int(event_dates.dt.year * 12 + event_dates.dt.month)

    age_text = _text(frame, mapping, "age")
    age = _ages(frame, mapping, where)
    stated_year = _number(frame, mapping, "birth_year", where)
    birth = _birth_dates(frame, mapping, config.date_format)
    for column in birth.columns:
        out[column] = birth[column]
    stated_year = stated_year.where(stated_year.notna(), birth["birth_y"].astype("float64"))
    flag = _text(frame, mapping, "age_estimated").map(
        lambda v: str(v).strip().lower() in _TRUE if v is not None else False
    )
    approximate = flag | age_text.map(lambda v: bool(_APPROX.search(v)) if isinstance(v, str) else False)
    birth_year = stated_year.where(stated_year.notna(), event_year.fillna(config.reference_year) - age)
    out["birth_year"] = _nullable_int(birth_year)
    out["by_tol"] = pd.Series(np.where(approximate, 5, 2), index=frame.index).astype("Int64")
    out["birth_decade"] = _nullable_int(np.floor(birth_year / 10))
    out["birth_decade_shifted"] = _nullable_int(np.floor((birth_year + 5) / 10))

    out.update(_place_columns(frame, mapping, where))
    violation = _map_unique(_text(frame, mapping, "violation_type"), lambda v: str(v).strip().lower() or None)
    out["violation_type"] = violation
    out["violation_group"] = _map_unique(violation, lambda v: str(v).split(".", 1)[0])
    out["report"] = _text(frame, mapping, "report")
    out["identifier"] = _map_unique(_text(frame, mapping, "identifier"), _identifier)
    out["phone"] = _map_unique(_text(frame, mapping, "phone"), _phone)
    out["address"] = _map_unique(_text(frame, mapping, "address"), _address)
    out["postcode"] = _map_unique(_text(frame, mapping, "postcode"), _postcode)
    out["text"] = _text(frame, mapping, "text")
    prepared = _frame(out, len(frame))
    prepared["report_key"], prepared["entry"] = _entries(prepared, source)
    prepared["violations"], prepared["violation_groups"] = _entry_violations(prepared)
    return prepared


def _entry_violations(prepared: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Every violation type (and group) the record's entry is listed under: a person killed after
    being abducted may be listed under both by one report and under one of them by another."""
    violation = prepared["violation_type"]
    single = violation.map(lambda v: [v] if isinstance(v, str) else None)
    several = prepared["entry"].duplicated(keep=False) & violation.notna()
    if several.any():
        lists = prepared.loc[several].groupby("entry")["violation_type"].agg(lambda v: sorted(set(v)))
        single.loc[several] = prepared.loc[several, "entry"].map(lists)
    groups = single.map(lambda v: sorted({t.split(".", 1)[0] for t in v}) if isinstance(v, list) else None)
    return single, groups


def _entries(prepared: pd.DataFrame, source: str | None) -> tuple[pd.Series, pd.Series]:
    """The report each record comes from and the entry (person) of that report it is.

    Records without a report are their own report. Within a report, records with the same
    standardised name, sex and birth year under *different* violations are one entry: the report
    lists one victim once per violation and spells them the same way each time. If a report repeats
    one name under one violation, those are namesakes and each record is its own entry.
    """
    prefix = f"{source}/" if source is not None else ""
    own = prefix + "~" + prepared[UNIQUE_ID].astype(str)
    report = (prefix + prepared["report"].astype("string")).fillna(own).astype(str)
    parts = [
        prepared[c].astype("string").fillna("") for c in ("given_norm", "family_norm", "sex", "birth_year")
    ]
    identity = parts[0] + "|" + parts[1] + "|" + parts[2] + "|" + parts[3]
    entry = report + "#" + identity
    violation = prepared["violation_type"].astype("string").fillna("")
    repeated = pd.DataFrame({"e": entry, "v": violation}).duplicated(keep=False)
    unnamed = (prepared["given_norm"].isna()) & (prepared["family_norm"].isna())
    entry = entry.where(~(repeated | unnamed), report + "#" + prepared[UNIQUE_ID].astype(str))
    return report, entry


def _frame(columns: dict[str, object], length: int) -> pd.DataFrame:
    data = {
        name: value.reset_index(drop=True) if isinstance(value, pd.Series) else value
        for name, value in columns.items()
    }
    return pd.DataFrame(data, index=pd.RangeIndex(length))


def _split_list(value: Hashable) -> list[str] | None:
    items = sorted({part.strip().lower() for part in re.split(r"[|;,]", str(value)) if part.strip()})
    return items or None


def _title_words(value: Hashable) -> list[str] | None:
    words = sorted({w for w in names.normalise(str(value)).split() if len(w) > 3 and w not in _STOPWORDS})
    return words or None


def _groups(items: Iterable[str] | None) -> list[str] | None:
    if not isinstance(items, list):
        return None
    return sorted({item.split(".", 1)[0] for item in items})


def _clusters(value: object) -> list[str] | None:
    """Victim cluster ids as a sorted list: from a list (or other sequence) or delimited text."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, (list, tuple, set, frozenset, np.ndarray, pd.Series)):
        parts = [str(part).strip() for part in value if part is not None and not pd.isna(part)]
    else:
        parts = [part.strip() for part in re.split(r"[|;,]", str(value))]
    items = sorted({part for part in parts if part})
    return items or None


def _victim_clusters(frame: pd.DataFrame, mapping: dict) -> pd.Series:
    if "victim_clusters" not in mapping:
        return pd.Series([None] * len(frame), index=frame.index, dtype="object")
    return frame[mapping["victim_clusters"]].map(_clusters).astype("object")


def prepare_incidents(
    frame: pd.DataFrame, config: LinkageConfig, where: str = "input", source: str | None = None
) -> pd.DataFrame:
    """The incident reports as the model's columns."""
    mapping = resolve_columns(frame, config, INCIDENT_ROLES, where)
    ids = check_ids(frame, config.id_column, where)
    out: dict[str, object] = {UNIQUE_ID: ids.astype(str).to_numpy()}
    if source is not None:
        out["source_dataset"] = source
    start, precision = _dates(frame, mapping, "start_date", where, config.date_format)
    end, _ = _dates(frame, mapping, "end_date", where, config.date_format)
    tolerance = _tolerance(precision)
    out["start_day"] = _nullable_int(start)
    out["date_tol"] = _nullable_int(tolerance)
    out["end_day"] = _nullable_int(end.where(end.notna(), start + tolerance.fillna(0)))
    start_dates = pd.to_datetime(start, unit="D", origin="unix")
    out["start_month"] = _nullable_int(start_dates.dt.year * 12 + start_dates.dt.month)
    out["start_year"] = _nullable_int(start_dates.dt.year.astype("float64"))
    out.update(_place_columns(frame, mapping, where))
    types = _map_unique(_text(frame, mapping, "violation_types"), _split_list)
    out["violation_types"] = types
    out["violation_groups"] = types.map(_groups)
    out["perpetrators"] = _map_unique(_text(frame, mapping, "perpetrator_categories"), _split_list)
    out["n_victims"] = _nullable_int(_number(frame, mapping, "n_victims", where))
    out["title_words"] = _map_unique(_text(frame, mapping, "title"), _title_words)
    out["organisation"] = _code(frame, mapping, "organisation")
    out["text"] = _text(frame, mapping, "text")
    victims = _victim_clusters(frame, mapping)
    out["victim_clusters"] = victims
    out["victim_first"] = victims.map(lambda v: v[0] if isinstance(v, list) else None)
    prepared = _frame(out, len(frame))
    # an incident report is its own report and entry (see ``constraints``)
    own = prepared[UNIQUE_ID].astype(str)
    prepared["report_key"] = (f"{source}/" if source is not None else "") + own
    prepared["entry"] = prepared["report_key"]
    return prepared
