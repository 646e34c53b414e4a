"""Every sentence a user of the linkage command can read, in one place for translation.

The strings are English, marked with ``N_`` so ``xgettext``/Babel extract them, and translated when they
are shown (:mod:`kurukan.analysis.i18n`: French when the user's locale says so, English otherwise). Each
error names the column or row and the fix.
"""

from __future__ import annotations

from ..i18n import N_, render


class LinkageInputError(ValueError):
    """Input that cannot be linked as given; the message is one line, fit to show a user."""


def message(key: str, **values: object) -> str:
    """The sentence ``key`` in the user's language, filled in with ``values``."""
    return render(MESSAGES[key], **values)


def error(key: str, **values: object) -> LinkageInputError:
    return LinkageInputError(message(key, **values))


MESSAGES: dict[str, str] = {
    "file_missing": N_("file {path} does not exist: check the path."),
    "file_unreadable": N_("cannot read {path} as CSV ({reason}): save it as UTF-8 CSV with a header row."),
    "not_utf8": N_(
        "{path} is not UTF-8 text (line {line}): save it as UTF-8 CSV (CSV UTF-8 in a spreadsheet)."
    ),
    "bad_delimiter": N_("--delimiter '{value}' is not one character: give one, e.g. --delimiter ';'."),
    "bad_quotes": N_(
        "line {line} of {path}: a quoted cell is not closed or has text after its closing quote: "
        "quote the whole cell and double any quote inside it."
    ),
    "row_length": N_(
        "line {line} of {path} has {found} cells where the header has {expected} columns: "
        "give every row one cell per column (empty cells are fine)."
    ),
    "cell_too_long": N_(
        "line {line} of {path} has a cell longer than {limit} characters: "
        "a name, date or address is shorter; check the quotes or remove that cell."
    ),
    "column_unnamed": N_("line 1 of {path}: column {position} has no name: name every column in the header."),
    "column_twice": N_(
        "line 1 of {path}: the column '{column}' appears twice (columns {first} and {second}): "
        "rename one of them."
    ),
    "too_few_records": N_("{path} has one record: give at least two records to compare."),
    "bad_date_format": N_(
        "--date-format '{value}' is not a date format with a year: write it as for strftime, "
        "e.g. %d.%m.%Y or %Y%m%d."
    ),
    "file_empty": N_("{path} has no data rows: add at least one record below the header."),
    "id_missing": N_(
        "the id column '{column}' is not in {path} (columns: {available}): pass --id with one of them."
    ),
    "id_empty": N_("line {row} of {path} has an empty id in column '{column}': give every row an id."),
    "id_duplicate": N_(
        "line {row} of {path} repeats the id '{value}' (column '{column}'): ids must be unique per file."
    ),
    "field_syntax": N_("--field '{spec}' is not ROLE=COLUMN: write for example --field given_name=prenom."),
    "role_unknown": N_("unknown role '{role}' in --field {spec}: use one of {roles}."),
    "role_twice": N_("the role '{role}' is mapped twice: keep one --field {role}=COLUMN."),
    "column_missing": N_(
        "column '{column}' (role {role}) is not in {path} (columns: {available}): "
        "fix the --field {role}=COLUMN mapping."
    ),
    "no_name": N_("no name column is mapped: add --field full_name=COLUMN, or given_name= and family_name=."),
    "no_name_values": N_(
        "the name column {columns} of {path} is empty in every row: fill in the names, or map the column "
        "that holds them."
    ),
    "no_fields": N_("no --field is given: map at least a name, e.g. --field full_name=nom_complet."),
    "not_number": N_(
        "line {row}, column '{column}' ({role}): '{value}' is not a number: "
        "write digits (e.g. 34) or leave the cell empty."
    ),
    "not_date": N_(
        "line {row}, column '{column}' ({role}): '{value}' is not a date: "
        "write YYYY-MM-DD, YYYYMMDD, YYYY-MM, YYYY or DD/MM/YYYY, give --date-format, or leave the cell empty."
    ),
    "not_birth_date": N_(
        "line {row}, column '{column}' (birth_date): '{value}' is not a date of birth: "
        "write YYYY-MM-DD, YYYYMMDD, DD/MM/YYYY or YYYY, give --date-format, or leave the cell empty."
    ),
    "bad_age": N_(
        "line {row}, column '{column}' (age): '{value}' is not a possible age: "
        "write the age in years, from 0 to {max}, or leave the cell empty."
    ),
    "bad_threshold": N_("--threshold {value} is not a probability: give a number between 0 and 1."),
    "spark_no_pyspark": N_(
        "--backend spark needs pyspark, which is not installed: pip install 'kurukan[spark]' "
        "(in a checkout: pip install -e '.[spark]'), or use --backend duckdb."
    ),
    "spark_no_java": N_(
        "--backend spark needs a Java 17+ runtime and finds none (no `java` on PATH, no JAVA_HOME): "
        "install one (Debian/Ubuntu: apt-get install openjdk-17-jre-headless), or use --backend duckdb."
    ),
    "out_unwritable": N_("cannot write {path} ({reason}): check the folder exists and is writable."),
    # progress and summaries (stderr)
    "progress_reading": N_("reading {path}"),
    "progress_training": N_("estimating the model from {n} records"),
    "progress_scoring": N_("scoring candidate pairs"),
    "progress_clustering": N_("grouping records at probability {threshold}"),
    "partial_birth_dates": N_(
        "note: {count} date(s) of birth in column '{column}' of {path} are not calendar dates (first: line "
        "{line}, '{value}'): compared by their plausible parts (year, month or day)."
    ),
    "threshold_chosen": N_(
        "threshold {threshold} chosen by maximum expected F1: expected precision {precision:.3f}, "
        "recall {recall:.3f}, F1 {f1:.3f} (--threshold P to override)"
    ),
    "threshold_given": N_(
        "threshold {threshold}: expected precision {precision:.3f}, recall {recall:.3f}, F1 {f1:.3f}"
    ),
    "summary": N_(
        "{n_records} records, {n_pairs} scored pairs, {n_links} links at p ≥ {threshold}, "
        "{n_clusters} entities. Pairs: {pairs_path}; clusters: {clusters_path}"
    ),
}
