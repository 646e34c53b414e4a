"""HXL-tagged CSV or XLSX (the Humanitarian Exchange Language): the hashtag row, anywhere in the first rows,
says what each column holds, whatever the human header rows above it say.

Tags are read as a hashtag and a set of attributes, in any order and case (`#adm1 +code` = `#adm1+code`),
and mapped to the columns of Kurukan's template, whose rules then apply:

| HXL | template column |
|---|---|
| `#event+id`, `#incident+id`, `#meta+id` | incident_id |
| `#event+name`, `#event+title` | title |
| `#date+occurred`, `#date+start` (else `#date`, `#date+reported`) | start_date |
| `#date+end` | end_date |
| `#adm1+code` / `#adm1`, `#adm2+code` / `#adm2`, `#adm3+code` / `#adm3` | region_pcode / region, cercle…, commune… |
| `#loc`, `#loc+name` | settlement |
| `#geo+lat`, `#geo+lon` | latitude, longitude |
| `#event+type` (`+code`) | violation_type |
| `#status+verification` | verification_status |
| `#org+perpetrator+type` | perpetrator_categories |
| `#org+perpetrator` (`+code`) | perpetrator_actors |
| `#description+public` | public_summary |
| `#affected` (`+num`, `+total`) | victims; without a total, the sum of the `#affected` columns split by sex (`+f`, `+m`) |

Other tags are kept in a quarantined row but not imported.
"""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext_lazy

from ..reading import Sheet, open_table
from ..records import Record
from . import Context, Skip, number, template

NAME = "hxl"
LABEL = gettext_lazy("fichier balisé HXL")
SOURCE = "hxl"
SCAN_ROWS = 25

TAGS: list[tuple[str, frozenset[str], str]] = [  # (hashtag, attributes it must have, template column)
    ("#event", frozenset({"id"}), "incident_id"),
    ("#incident", frozenset({"id"}), "incident_id"),
    ("#meta", frozenset({"id"}), "incident_id"),
    ("#event", frozenset({"name"}), "title"),
    ("#event", frozenset({"title"}), "title"),
    ("#event", frozenset({"type"}), "violation_type"),
    ("#date", frozenset({"occurred"}), "start_date"),
    ("#date", frozenset({"start"}), "start_date"),
    ("#date", frozenset({"end"}), "end_date"),
    ("#adm1", frozenset({"code"}), "region_pcode"),
    ("#adm2", frozenset({"code"}), "cercle_pcode"),
    ("#adm3", frozenset({"code"}), "commune_pcode"),
    ("#adm1", frozenset(), "region"),
    ("#adm2", frozenset(), "cercle"),
    ("#adm3", frozenset(), "commune"),
    ("#loc", frozenset(), "settlement"),
    ("#geo", frozenset({"lat"}), "latitude"),
    ("#geo", frozenset({"lon"}), "longitude"),
    ("#status", frozenset({"verification"}), "verification_status"),
    ("#org", frozenset({"perpetrator", "type"}), "perpetrator_categories"),
    ("#org", frozenset({"perpetrator"}), "perpetrator_actors"),
    ("#description", frozenset({"public"}), "public_summary"),
    ("#date", frozenset(), "start_date"),  # a plain date when no occurred/start date is tagged
]
SEXES = {"f", "m"}


def parse_tag(cell: str) -> tuple[str, frozenset[str]] | None:
    text = cell.strip().lower().replace(" ", "")
    if not text.startswith("#"):
        return None
    hashtag, *attributes = text.split("+")
    return hashtag, frozenset(a for a in attributes if a)


def hashtag_row(rows: list[list[str]]) -> int | None:
    """The 1-based number of the first row where most filled cells are hashtags."""
    for position, cells in enumerate(rows[:SCAN_ROWS], start=1):
        filled = [c for c in cells if c.strip()]
        tags = [c for c in filled if parse_tag(c)]
        if tags and len(tags) * 2 >= len(filled):
            return position
    return None


def detect(header: list[str]) -> bool:
    return hashtag_row([header]) == 1


def detect_sample(rows: list[list[str]]) -> bool:
    return hashtag_row(rows) is not None


def columns(tags: list[str]) -> list[str]:
    """Each tagged column's template name (the first fitting rule, once); `affected…` and `hxl:…` otherwise."""
    names: list[str] = []
    taken: set[str] = set()
    for cell in tags:
        parsed = parse_tag(cell)
        name = ""
        if parsed is not None:
            hashtag, attributes = parsed
            if hashtag == "#affected":
                name = "affected+" + "+".join(sorted(attributes))
            else:
                for tag, needed, column in TAGS:
                    if tag == hashtag and needed <= attributes and column not in taken:
                        name = column
                        break
        if not name:
            name = f"hxl:{cell.strip() or len(names) + 1}"
        taken.add(name)
        names.append(name)
    return names


def read(path: Path) -> Sheet:
    probe = open_table(path, header_rows=1)
    sample = [probe.header] + [
        cells for _i, (_n, cells) in zip(range(SCAN_ROWS - 1), probe.rows, strict=False)
    ]
    row = hashtag_row(sample) or 1
    sheet = open_table(path, header_rows=row)
    return Sheet(columns(sheet.header), sheet.rows, sheet.header_row)


def map_row(row: dict[str, str], context: Context) -> Record | Skip:
    affected = {name: value for name, value in row.items() if name.startswith("affected+")}
    if affected and "victims" not in row:
        totals = [n for n in affected if n in {"affected+", "affected+num", "affected+total"}]
        if totals:
            victims = number(affected[totals[0]], totals[0])
        else:
            victims = sum(number(v, n) for n, v in affected.items() if SEXES & set(n.split("+")))
        row = {**row, "victims": str(victims)}
    record = template.map_row(row, context)
    key = record.external_ids.pop(template.SOURCE, "")
    if key:
        record.external_ids = {SOURCE: key}
    return record
