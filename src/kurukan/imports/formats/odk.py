"""ODK Central exports of Kurukan's XLSForm (`kurukan xlsform`), imported without any mapping.

Accepted layouts, as ODK Central writes them:
- the zip of "Download all data": the submissions' CSV and one CSV per repeat group
  (`kurukan_incident-violation.csv`, `kurukan_incident-violation-victim.csv`…), each repeat row carrying its
  `KEY` (`uuid:…/violation[1]/victim[2]`) and its `PARENT_KEY`; the repeats are joined to their
  submission (read in memory: they are small beside a project's media);
- the submissions' CSV alone, whose group columns read `incident-start_date`.

A submission is one incident; its `meta-instanceID` (`uuid:…`, else `KEY`) is the external id, so
re-importing an export, or a later one with edited submissions, updates instead of duplicating.
A zip is read with `--format odk` (its first table is not a CSV the detection can open).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections import defaultdict
from pathlib import Path

from django.utils.translation import gettext_lazy

from kurukan.fieldforms import encryption

from ..reading import Sheet, open_table, refused
from ..records import Record
from . import Context, RowError
from .kobo import REPEATS, _key, _Row, _without_hxl, submission_record

NAME = "odk"
LABEL = gettext_lazy("ODK Central (formulaire Kurukan)")
SOURCE = "odk"
MAX_MEMBER = 512 << 20  # one CSV of a zip, unpacked: far beyond any real export, well short of a zip bomb


def _path(column: str) -> str:
    """ODK Central joins groups with "-": `incident-start_date` → `incident/start_date`."""
    return column.replace("-", "/")


ENCRYPTED = ["instance", "manifest", "files"]


def detect(header: list[str]) -> bool:
    if header == ENCRYPTED:
        return True
    keys = {_key(_path(h)) for h in header}
    return "submissiondate" in keys and "key" in keys and "start_date" in keys


def read(path: Path) -> Sheet:
    if not zipfile.is_zipfile(path):
        sheet = open_table(path)
        header = [_path(h) for h in sheet.header]
        return Sheet(header, _without_hxl(sheet.rows, len(header)), sheet.header_row)
    with zipfile.ZipFile(path) as archive:
        encrypted = any(n.endswith("submission.xml") for n in archive.namelist())
    return _read_encrypted(path) if encrypted else _read_zip(path)


def _read_encrypted(path: Path) -> Sheet:
    """Encrypted submissions as ODK Central and Briefcase hand them over: one folder per instance with its
    manifest (`submission.xml`) and encrypted files. Each row keeps them encrypted (base64): they are
    decrypted with the organisation's key only when the row is mapped, so a quarantined row stays sealed."""
    import base64
    import json

    with zipfile.ZipFile(path) as archive:
        folders: dict[str, dict[str, str]] = defaultdict(dict)
        for info in archive.infolist():
            if info.file_size > MAX_MEMBER or info.file_size > 200 * max(1, info.compress_size):
                raise refused(
                    "L'archive contient un fichier anormalement gros une fois décompressé : exportez de "
                    "nouveau depuis ODK Central."
                )
            folder, _sep, name = info.filename.rpartition("/")
            if name == "submission.xml" or name.endswith(".enc"):
                folders[folder][name] = base64.b64encode(archive.read(info)).decode("ascii")
    rows = (
        (n + 1, [folder, files.pop("submission.xml", ""), json.dumps(files)])
        for n, (folder, files) in enumerate(sorted(folders.items()))
    )
    return Sheet(ENCRYPTED, rows, 0)


def _members(path: Path) -> dict[str, list[list[str]]]:
    tables: dict[str, list[list[str]]] = {}
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            if not info.filename.lower().endswith(".csv"):
                continue
            if info.file_size > MAX_MEMBER or info.file_size > 200 * max(1, info.compress_size):
                raise refused(
                    "L'archive contient un fichier anormalement gros une fois décompressé : exportez de "
                    "nouveau depuis ODK Central."
                )
            text = archive.read(info).decode("utf-8-sig")
            tables[info.filename] = list(csv.reader(io.StringIO(text)))
    return tables


def _read_zip(path: Path) -> Sheet:
    tables = _members(path)
    main = next((rows for rows in tables.values() if rows and "PARENT_KEY" not in rows[0]), None)
    if main is None:
        raise refused(
            "L'archive ne contient pas le fichier des soumissions (CSV sans colonne PARENT_KEY) : exportez "
            "de nouveau depuis ODK Central (« Télécharger toutes les données »)."
        )
    header = [_path(h) for h in main[0]]
    key_at = main[0].index("KEY")
    repeats: dict[str, dict[str, str]] = defaultdict(dict)
    for rows in tables.values():
        if not rows or "PARENT_KEY" not in rows[0]:
            continue
        columns = rows[0]
        for cells in rows[1:]:
            row = dict(zip(columns, cells, strict=False))
            submission, _sep, inside = row.get("KEY", "").partition("/")
            for column, value in row.items():
                if column not in {"KEY", "PARENT_KEY"} and value.strip():
                    repeats[submission][f"{inside}/{_path(column)}"] = value
    extra = list(dict.fromkeys(column for values in repeats.values() for column in values))
    rows_out = (
        (
            n + 2,
            cells + [""] * (len(header) - len(cells)) + [repeats[cells[key_at]].get(c, "") for c in extra],
        )
        for n, cells in enumerate(main[1:])
        if any(cell.strip() for cell in cells)
    )
    return Sheet(header + extra, rows_out, 1)


def _flatten_xml(element, prefix: str, out: dict[str, str]) -> None:
    counters: dict[str, int] = defaultdict(int)
    for child in element:
        tag = child.tag.split("}")[-1]
        if tag in REPEATS:
            counters[tag] += 1
            _flatten_xml(child, f"{prefix}{tag}[{counters[tag]}]/", out)
        elif len(child):
            _flatten_xml(child, f"{prefix}{tag}/", out)
        else:
            out[prefix + tag] = (child.text or "").strip()


def _decrypted(row: dict[str, str], context: Context) -> dict[str, str]:
    import base64
    import json

    from defusedxml.ElementTree import fromstring

    try:
        key = encryption.private_key(context.organisation)
        files = {name: base64.b64decode(data) for name, data in json.loads(row["files"]).items()}
        xml = encryption.decrypt_submission(base64.b64decode(row["manifest"]), files, key)
    except (encryption.DecryptionError, ValueError) as exc:
        raise RowError(
            "manifest",
            row.get("instance", ""),
            "La soumission chiffrée « %(value)s » ne s'ouvre pas avec la clé de l'organisation : vérifiez que "
            "le formulaire a été créé avec « kurukan xlsform --encrypt » pour cette organisation.",
        ) from exc
    flat: dict[str, str] = {}
    _flatten_xml(fromstring(xml), "", flat)
    return flat


def map_row(row: dict[str, str], context: Context) -> Record:
    if "manifest" in row:
        row = _decrypted(row, context)
    submission = _Row({_path(k): v for k, v in row.items()})
    key = submission.get("instanceid") or submission.get("key")
    return submission_record(submission, context, SOURCE, submission_key=key)
