"""Import formats: one module per format, each with the same shape (CONTRIBUTING.md, "Adding an import format").

A format module has:

- `NAME` (the `--format` value) and `LABEL` (shown in the page);
- `detect(header: list[str]) -> bool`: does a table with this header row look like this format? (A format
  whose header may sit lower, like HXL's hashtag row, may add `detect_sample(rows) -> bool` over the first
  rows.)
- `read(path) -> reading.Sheet`: the header and the rows (most formats call `reading.open_table`);
- `map_row(row: dict[str, str], context: Context) -> Record | Skip`: one row to Kurukan's canonical
  record (`imports.records.Record`), or a `Skip` with its reason for a row that is out of scope; a row
  that cannot go in raises `RowError` naming the field and the fix, in French and English.

Several rows can make one incident: the pipeline merges consecutive rows with the same external id.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType, ModuleType

from django.utils import translation
from django.utils.translation import gettext as _

from kurukan.api.lookups import Lookup
from kurukan.text import fold

from ..places import Places
from ..reading import open_table, refused

# The place a user picked in the quarantine page for a row whose place name was ambiguous or unknown.
PICKED = "kurukan_place_pcode"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def unquote(value: str) -> str:
    """A formula neutralised by a download ('=…) comes back as the text it was."""
    return value[1:] if value[:1] == "'" and value[1:2] in FORMULA_START and value[1:2] != "" else value


@dataclass
class Context:
    """What mapping a row needs besides the row: the owner, the default confidentiality, the look-ups."""

    organisation: str
    confidentiality: str
    places: Places
    lookup: Lookup = field(default_factory=Lookup)
    # a format's own per-file memo (e.g. ACLED actor names already matched): rows repeat the same values
    cache: dict = field(default_factory=dict)
    _folds: dict[str, str] = field(default_factory=dict)

    def folded(self, value: str) -> str:
        """`text.fold` of a cell, remembered: coded columns (event types, yes/no) repeat a few values, and
        folding was a tenth of an ACLED import. Bounded, since free text would never repeat."""
        try:
            return self._folds[value]
        except KeyError:
            result = fold(value)
            if len(self._folds) < 50_000:
                self._folds[value] = result
            return result


@dataclass
class Skip:
    """A row deliberately left out (not a violation or abuse): a reason code and a sentence."""

    reason: str
    message: str


# The file's own column names while a partner's layout is read through a saved mapping (template column →
# the column as written in the file): messages name the column the user sees in their file, not the template's.
COLUMN_NAMES: ContextVar[Mapping[str, str]] = ContextVar("column_names", default=MappingProxyType({}))


class RowError(Exception):
    """A row that cannot go in as it is: the field, the value, and what to do, in French and English.

    `field` stays the template's column (the correction page finds the cell by it); the message names the
    column as written in the user's file when the file was read through a mapping (COLUMN_NAMES).
    """

    def __init__(
        self, field: str, value: str, message: str, candidates: list[dict] | None = None, **params
    ) -> None:
        params = {"field": COLUMN_NAMES.get().get(field, field), "value": value, **params}
        with translation.override("fr"):
            self.message_fr = _(message) % params
        with translation.override("en"):
            self.message_en = _(message) % params
        super().__init__(self.message_fr)
        self.field, self.value, self.candidates = field, value, candidates or []


def vocabulary_code(
    lookup: Lookup, vocabulary: str, raw: str, field: str, *, leaves_only: bool = False
) -> str:
    """A vocabulary's code from a cell holding the code or a French or English label, any accents or case."""
    value = raw.strip()
    if not value:
        return ""
    terms = lookup._vocabulary(vocabulary)
    found = terms.get(value) or lookup.find_term(vocabulary, value)
    if found is None:
        folded = fold(value)
        found = next((t for t in terms.values() if folded in {fold(t.label_fr), fold(t.label_en)}), None)
    if found is None:
        raise RowError(
            field,
            value,
            "Colonne « %(field)s » : « %(value)s » n'est pas une valeur connue. Choisissez l'une des valeurs "
            "de la feuille « valeurs » du modèle (code ou libellé).",
        )
    if leaves_only and found.parent_id is None:
        raise RowError(
            field,
            value,
            "Colonne « %(field)s » : « %(value)s » est une catégorie ; choisissez l'un de ses types précis "
            "(feuille « valeurs » du modèle).",
        )
    return found.code


def number(raw: str, field: str) -> int:
    value = raw.strip()
    if not value:
        return 0
    try:
        parsed = float(value.replace(",", ".").replace(" ", ""))
    except ValueError:
        parsed = -1
    if parsed < 0 or not parsed.is_integer():
        raise RowError(
            field,
            value,
            "Colonne « %(field)s » : « %(value)s » n'est pas un nombre entier positif (ex. : 3).",
        )
    return int(parsed)


def registry() -> dict[str, ModuleType]:
    from . import acled, hxl, kobo, odk, template

    return {module.NAME: module for module in (template, acled, hxl, kobo, odk)}


def _looks_like(module: ModuleType, header: list[str], sample: list[list[str]]) -> bool:
    if module.detect(header):
        return True
    detect_sample = getattr(module, "detect_sample", None)
    return bool(detect_sample and detect_sample(sample))


def _sample(path: Path, module: ModuleType | None = None) -> tuple[list[str], list[list[str]]]:
    # The format's own reading where it has one: an ODK Central zip or a Kobo JSON is no single table.
    own = module is not None and path.suffix.lower() in {".zip", ".json"}
    sheet = module.read(path) if own and module is not None else open_table(path)
    rows = [sheet.header] + [cells for _i, (_n, cells) in zip(range(24), sheet.rows, strict=False)]
    return sheet.header, rows


def detect(path: Path) -> ModuleType:
    """The format whose header this file has; refuses the file, saying what it looks like, when none fits."""
    header, sample = _sample(path)
    for module in registry().values():
        if _looks_like(module, header, sample):
            return module
    raise refused(
        "Format non reconnu : les colonnes (%(columns)s…) ne sont ni celles du modèle Kurukan ni celles d'un "
        "export ACLED. Téléchargez le modèle depuis la page d'import, ou choisissez le format.",
        columns=", ".join(header[:5]),
    )


def check(module: ModuleType, path: Path) -> None:
    """Refuse a file announced as one format that has another's header, naming what it looks like."""
    header, sample = _sample(path, module)
    if _looks_like(module, header, sample):
        return
    looks = next((m.LABEL for m in registry().values() if _looks_like(m, header, sample)), None)
    if looks is not None:
        raise refused(
            "Ce fichier n'est pas au format annoncé (%(announced)s) : ses colonnes sont celles d'un fichier "
            "%(looks)s. Choisissez ce format, ou laissez Kurukan le détecter.",
            announced=module.LABEL,
            looks=looks,
        )
    raise refused(
        "Ce fichier n'est pas au format annoncé (%(announced)s) : ses colonnes (%(columns)s…) ne sont pas "
        "celles attendues. Vérifiez le fichier ou le format choisi.",
        announced=module.LABEL,
        columns=", ".join(header[:5]),
    )


def map_checked(module: ModuleType, row: dict[str, str], context: Context):
    """`module.map_row`, then the checks every format shares: the coordinates fall in the named place.

    The import pipeline and the quarantine's correction both call this, so a corrected row meets the same
    rules as the file's rows."""
    from ..places import Outside, Placement, check_point
    from ..records import Record

    item = module.map_row(row, context)
    if isinstance(item, Record):
        placement = Placement(item.admin1_pcode, item.admin2_pcode, item.admin3_pcode)
        try:
            check_point(context.places, placement, item.latitude, item.longitude)
        except Outside as outside:
            field = next((k for k in row if k.lower() in {"latitude", "lat"}), None) or next(
                (k for k in row if k.lower().endswith("location") or k.lower().endswith("_geolocation")),
                "latitude",
            )
            raise RowError(
                field,
                f"{item.latitude}, {item.longitude}",
                "Colonne « %(field)s » : le point (%(value)s) est hors de %(unit)s, le lieu nommé dans la ligne. "
                "Corrigez les coordonnées (latitude puis longitude, en degrés décimaux) ou le lieu, ou videz les "
                "coordonnées.",
                unit=outside.unit_name,
            ) from None
    return item
