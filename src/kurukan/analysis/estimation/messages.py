"""Every user-facing sentence of the estimation package, in one place for translation.

The strings are English, marked with ``N_`` so ``xgettext``/Babel extract them, and translated when they
are shown (:mod:`kurukan.analysis.i18n`: French when the user's locale says so, English otherwise).
"""

from __future__ import annotations

from ..i18n import N_, render

MESSAGES: dict[str, str] = {
    # input files
    "file_not_found": N_("{path}: file not found. Check the path and try again."),
    "file_unreadable": N_(
        "{path}: cannot be read as UTF-8 CSV ({reason}). Save it as CSV (UTF-8) and try again."
    ),
    "empty_file": N_(
        "{path}: the file is empty. It needs a header row with one column per list and a 'count' column."
    ),
    "is_directory": N_("{path}: this is a directory, not a file. Give the path of the CSV file inside it."),
    "not_utf8": N_("{path}: line {line}: not UTF-8 text. Save the file as CSV (UTF-8) and try again."),
    "field_too_long": N_(
        "{path}: line {line}: a value is longer than {limit:,} characters; a capture table holds 0/1 "
        "and counts. Check that this is the right file and that its quotes are closed."
    ),
    "csv_malformed": N_(
        "{path}: line {line}: not valid CSV ({reason}). Save the file as CSV (UTF-8) and try again."
    ),
    "header_only": N_(
        "{path}: line {line} is the header and no row follows it. Add one row per capture pattern "
        "with its 'count'."
    ),
    "count_too_large": N_(
        "{path}: line {line}, column 'count': value '{value}' is larger than {maximum:,} cases. "
        "Check the column (is it an identifier or a total?) and write the number of cases."
    ),
    "missing_count": N_(
        "{path}: line {line} (header): there is no 'count' column (found: {columns}). "
        "Add a column named 'count' holding the number of cases with each capture pattern."
    ),
    "too_few_lists": N_(
        "{path}: line {line} (header): found {found} list column(s) ({columns}); at least 3 lists are needed. "
        "Add the other lists as 0/1 columns, or use a two-list method outside this tool."
    ),
    "too_many_lists": N_(
        "{path}: line {line} (header): found {found} list columns; at most {maximum} are supported."
    ),
    "duplicate_column": N_(
        "{path}: line {line} (header): column '{column}' appears twice. Rename or remove one of them."
    ),
    "wrong_field_count": N_(
        "{path}: line {line}: the row has {found} values but the header has {expected} columns. "
        "Make every row have one value per column."
    ),
    "not_binary": N_(
        "{path}: line {line}, column '{column}': value '{value}' is not 0 or 1. "
        "Write 1 if the cases of this row are on list '{column}', 0 if not."
    ),
    "not_integer": N_(
        "{path}: line {line}, column 'count': value '{value}' is not a whole number of cases. "
        "Write a non-negative whole number in digits, such as 0, 1 or 25 (not 2.5 or 1e3)."
    ),
    "negative_count": N_(
        "{path}: line {line}, column 'count': value '{value}' is negative. Counts of cases cannot be negative."
    ),
    "all_zero_row": N_(
        "{path}: line {line}: every list column is 0, i.e. cases seen on no list, which cannot be observed. "
        "Remove the row (the unseen cases are what is being estimated)."
    ),
    "no_cases": N_("{path}: the table holds no cases (all counts are 0). At least some cases are needed."),
    "unknown_list": N_("record {record}: list '{name}' is not one of the lists {lists}."),
    "empty_record": N_(
        "record {record}: the individual is on no list; every record must be on at least one list."
    ),
    # estimation
    "not_estimable_existence": N_(
        "The estimate does not exist for the model {model}: with the zero cells of this table the "
        "maximum likelihood fit runs off to infinity (Fienberg-Rinaldo linear-programming check failed). "
        "Choose a smaller model, merge sparse lists, or collect more overlap between lists."
    ),
    "not_estimable_identifiability": N_(
        "The estimate is not identifiable for the model {model}: the lists overlap too little to separate "
        "its parameters (the design matrix is rank deficient). Choose a smaller model or merge lists."
    ),
    "not_estimable_both": N_(
        "The estimate neither exists nor is identifiable for the model {model}: the lists overlap too little. "
        "Choose a smaller model or merge lists."
    ),
    "no_admissible_model": N_(
        "No candidate model gives an estimate that exists and is identifiable for this table: "
        "the lists overlap too little. Merge sparse lists or collect more overlapping records."
    ),
    "no_overlap": N_(
        "The lists do not overlap at all (no case is on two lists), so nothing can be said about the cases "
        "on none of them."
    ),
    "unknown_criterion": N_("Unknown criterion '{value}'. Use one of: aic, bic, stepwise, main."),
    "unknown_method": N_("Unknown method '{value}'. Use one of: loglinear, lcmcr."),
    "unknown_rng": N_("Unknown random number stream '{value}'. Use one of: numpy, r."),
    "bad_level": N_("The confidence level must lie strictly between 0 and 1 (got {value})."),
    "bad_positive": N_("{name} must be a positive whole number (got {value})."),
    # warnings
    "bootstrap_failures": N_(
        "{failed} of {total} bootstrap samples gave no admissible model and were left out of the interval."
    ),
    "downhill_search": N_(
        "{lists} lists give too many hierarchical models to fit them all; the model was chosen by a "
        "downhill search from the main-effects model (Silverman, Chan & Vincent 2024, section 5.2)."
    ),
    "rhat_high": N_(
        "Split R-hat is {rhat:.3f} (above 1.05): the chains may not have converged; run more iterations."
    ),
    "ess_low": N_("Effective sample size is {ess:.0f} (below 400): run more iterations or chains."),
    "stratum_not_estimable": N_("Stratum '{stratum}' is not estimable: {reason}"),
    "total_excludes": N_("The total excludes stratum(s) not estimable: {strata}."),
    "stratum_draws_unequal": N_(
        "Strata have different numbers of draws; the {kept} first draws of each were combined."
    ),
    # command line
    "cli_summary": N_(
        "{method} estimate of the total: {estimate:,.0f} ({level:.0%} interval {low:,.0f} to {high:,.0f})"
    ),
    "cli_observed": N_("Cases observed on at least one list: {observed:,}"),
    "cli_model": N_("Model: {model}"),
    "cli_warning": N_("Warning: {text}"),
    "cli_error": N_("error: {text}"),
}


def message(key: str, **values: object) -> str:
    """The sentence ``key`` in the user's language, filled in with ``values``."""
    return render(MESSAGES[key], **values)
