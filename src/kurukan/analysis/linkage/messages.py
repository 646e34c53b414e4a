"""Every sentence a user of the linkage command can read, in one place for translation.

The strings are marked with ``gettext`` so ``xgettext``/Babel extract them; without an installed
catalogue they are returned unchanged (English). Each error names the column or row and the fix.
"""

from __future__ import annotations

from gettext import gettext as _


class LinkageInputError(ValueError):
    """Input that cannot be linked as given; the message is one line, fit to show a user."""


def error(key: str, **values: object) -> LinkageInputError:
    return LinkageInputError(MESSAGES[key].format(**values))


MESSAGES: dict[str, str] = {
    "file_missing": _("file {path} does not exist: check the path."),
    "file_unreadable": _("cannot read {path} as CSV ({reason}): save it as UTF-8 CSV with a header row."),
    "not_utf8": _(
        "{path} is not UTF-8 text (line {line}): save it as UTF-8 CSV (CSV UTF-8 in a spreadsheet)."
    ),
    "bad_delimiter": _("--delimiter '{value}' is not one character: give one, e.g. --delimiter ';'."),
    "bad_quotes": _(
        "line {line} of {path}: a quoted cell is not closed or has text after its closing quote: "
        "quote the whole cell and double any quote inside it."
    ),
    "row_length": _(
        "line {line} of {path} has {found} cells where the header has {expected} columns: "
        "give every row one cell per column (empty cells are fine)."
    ),
    "cell_too_long": _(
        "line {line} of {path} has a cell longer than {limit} characters: "
        "a name, date or address is shorter; check the quotes or remove that cell."
    ),
    "column_unnamed": _("line 1 of {path}: column {position} has no name: name every column in the header."),
    "column_twice": _(
        "line 1 of {path}: the column '{column}' appears twice (columns {first} and {second}): "
        "rename one of them."
    ),
    "too_few_records": _("{path} has one record: give at least two records to compare."),
    "bad_date_format": _(
        "--date-format '{value}' is not a date format with a year: write it as for strftime, "
        "e.g. %d.%m.%Y or %Y%m%d."
    ),
    "file_empty": _("{path} has no data rows: add at least one record below the header."),
    "id_missing": _(
        "the id column '{column}' is not in {path} (columns: {available}): pass --id with one of them."
    ),
    "id_empty": _("line {row} of {path} has an empty id in column '{column}': give every row an id."),
    "id_duplicate": _(
        "line {row} of {path} repeats the id '{value}' (column '{column}'): ids must be unique per file."
    ),
    "field_syntax": _("--field '{spec}' is not ROLE=COLUMN: write for example --field given_name=prenom."),
    "role_unknown": _("unknown role '{role}' in --field {spec}: use one of {roles}."),
    "role_twice": _("the role '{role}' is mapped twice: keep one --field {role}=COLUMN."),
    "column_missing": _(
        "column '{column}' (role {role}) is not in {path} (columns: {available}): "
        "fix the --field {role}=COLUMN mapping."
    ),
    "no_name": _("no name column is mapped: add --field full_name=COLUMN, or given_name= and family_name=."),
    "no_name_values": _(
        "the name column {columns} of {path} is empty in every row: fill in the names, or map the column "
        "that holds them."
    ),
    "no_fields": _("no --field is given: map at least a name, e.g. --field full_name=nom_complet."),
    "not_number": _(
        "line {row}, column '{column}' ({role}): '{value}' is not a number: "
        "write digits (e.g. 34) or leave the cell empty."
    ),
    "not_date": _(
        "line {row}, column '{column}' ({role}): '{value}' is not a date: "
        "write YYYY-MM-DD, YYYYMMDD, YYYY-MM, YYYY or DD/MM/YYYY, give --date-format, or leave the cell empty."
    ),
    "not_birth_date": _(
        "line {row}, column '{column}' (birth_date): '{value}' is not a date of birth: "
        "write YYYY-MM-DD, YYYYMMDD, DD/MM/YYYY or YYYY, give --date-format, or leave the cell empty."
    ),
    "bad_age": _(
        "line {row}, column '{column}' (age): '{value}' is not a possible age: "
        "write the age in years, from 0 to {max}, or leave the cell empty."
    ),
    "bad_threshold": _("--threshold {value} is not a probability: give a number between 0 and 1."),
    "spark_no_pyspark": _(
        "--backend spark needs pyspark, which is not installed: pip install 'kurukan[spark]' "
        "(in a checkout: pip install -e '.[spark]'), or use --backend duckdb."
    ),
    "spark_no_java": _(
        "--backend spark needs a Java 17+ runtime and finds none (no `java` on PATH, no JAVA_HOME): "
        "install one (Debian/Ubuntu: apt-get install openjdk-17-jre-headless), or use --backend duckdb."
    ),
    "out_unwritable": _("cannot write {path} ({reason}): check the folder exists and is writable."),
    # progress and summaries (stderr)
    "progress_reading": _("reading {path}"),
    "progress_training": _("estimating the model from {n} records"),
    "progress_scoring": _("scoring candidate pairs"),
    "progress_clustering": _("grouping records at probability {threshold}"),
    "partial_birth_dates": _(
        "note: {count} date(s) of birth in column '{column}' of {path} are not calendar dates (first: line "
        "{line}, '{value}'): compared by their plausible parts (year, month or day)."
    ),
    "threshold_chosen": _(
        "threshold {threshold} chosen by maximum expected F1: expected precision {precision:.3f}, "
        "recall {recall:.3f}, F1 {f1:.3f} (--threshold P to override)"
    ),
    "threshold_given": _(
        "threshold {threshold}: expected precision {precision:.3f}, recall {recall:.3f}, F1 {f1:.3f}"
    ),
    "summary": _(
        "{n_records} records, {n_pairs} scored pairs, {n_links} links at p ≥ {threshold}, "
        "{n_clusters} entities. Pairs: {pairs_path}; clusters: {clusters_path}"
    ),
}
