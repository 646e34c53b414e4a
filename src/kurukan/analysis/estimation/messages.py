"""Every user-facing sentence of the estimation package, in one place so it can be translated later."""

MESSAGES: dict[str, str] = {
    # input files
    "file_not_found": "{path}: file not found. Check the path and try again.",
    "file_unreadable": "{path}: cannot be read as UTF-8 CSV ({reason}). Save it as CSV (UTF-8) and try again.",
    "empty_file": "{path}: the file is empty. It needs a header row with one column per list and a 'count' column.",
    "is_directory": "{path}: this is a directory, not a file. Give the path of the CSV file inside it.",
    "not_utf8": "{path}: line {line}: not UTF-8 text. Save the file as CSV (UTF-8) and try again.",
    "field_too_long": (
        "{path}: line {line}: a value is longer than {limit:,} characters; a capture table holds 0/1 "
        "and counts. Check that this is the right file and that its quotes are closed."
    ),
    "csv_malformed": "{path}: line {line}: not valid CSV ({reason}). Save the file as CSV (UTF-8) and try again.",
    "header_only": (
        "{path}: line {line} is the header and no row follows it. Add one row per capture pattern "
        "with its 'count'."
    ),
    "count_too_large": (
        "{path}: line {line}, column 'count': value '{value}' is larger than {maximum:,} cases. "
        "Check the column (is it an identifier or a total?) and write the number of cases."
    ),
    "missing_count": (
        "{path}: line {line} (header): there is no 'count' column (found: {columns}). "
        "Add a column named 'count' holding the number of cases with each capture pattern."
    ),
    "too_few_lists": (
        "{path}: line {line} (header): found {found} list column(s) ({columns}); at least 3 lists are needed. "
        "Add the other lists as 0/1 columns, or use a two-list method outside this tool."
    ),
    "too_many_lists": "{path}: line {line} (header): found {found} list columns; at most {maximum} are supported.",
    "duplicate_column": "{path}: line {line} (header): column '{column}' appears twice. Rename or remove one of them.",
    "wrong_field_count": (
        "{path}: line {line}: the row has {found} values but the header has {expected} columns. "
        "Make every row have one value per column."
    ),
    "not_binary": (
        "{path}: line {line}, column '{column}': value '{value}' is not 0 or 1. "
        "Write 1 if the cases of this row are on list '{column}', 0 if not."
    ),
    "not_integer": (
        "{path}: line {line}, column 'count': value '{value}' is not a whole number of cases. "
        "Write a non-negative whole number in digits, such as 0, 1 or 25 (not 2.5 or 1e3)."
    ),
    "negative_count": (
        "{path}: line {line}, column 'count': value '{value}' is negative. Counts of cases cannot be negative."
    ),
    "all_zero_row": (
        "{path}: line {line}: every list column is 0, i.e. cases seen on no list, which cannot be observed. "
        "Remove the row (the unseen cases are what is being estimated)."
    ),
    "no_cases": "{path}: the table holds no cases (all counts are 0). At least some cases are needed.",
    "unknown_list": "record {record}: list '{name}' is not one of the lists {lists}.",
    "empty_record": "record {record}: the individual is on no list; every record must be on at least one list.",
    # estimation
    "not_estimable_existence": (
        "The estimate does not exist for the model {model}: with the zero cells of this table the "
        "maximum likelihood fit runs off to infinity (Fienberg-Rinaldo linear-programming check failed). "
        "Choose a smaller model, merge sparse lists, or collect more overlap between lists."
    ),
    "not_estimable_identifiability": (
        "The estimate is not identifiable for the model {model}: the lists overlap too little to separate "
        "its parameters (the design matrix is rank deficient). Choose a smaller model or merge lists."
    ),
    "not_estimable_both": (
        "The estimate neither exists nor is identifiable for the model {model}: the lists overlap too little. "
        "Choose a smaller model or merge lists."
    ),
    "no_admissible_model": (
        "No candidate model gives an estimate that exists and is identifiable for this table: "
        "the lists overlap too little. Merge sparse lists or collect more overlapping records."
    ),
    "no_overlap": (
        "The lists do not overlap at all (no case is on two lists), so nothing can be said about the cases "
        "on none of them."
    ),
    "unknown_criterion": "Unknown criterion '{value}'. Use one of: aic, bic, stepwise, main.",
    "unknown_method": "Unknown method '{value}'. Use one of: loglinear, lcmcr.",
    "unknown_rng": "Unknown random number stream '{value}'. Use one of: numpy, r.",
    "bad_level": "The confidence level must lie strictly between 0 and 1 (got {value}).",
    "bad_positive": "{name} must be a positive whole number (got {value}).",
    # warnings
    "bootstrap_failures": (
        "{failed} of {total} bootstrap samples gave no admissible model and were left out of the interval."
    ),
    "downhill_search": (
        "{lists} lists give too many hierarchical models to fit them all; the model was chosen by a "
        "downhill search from the main-effects model (Silverman, Chan & Vincent 2024, section 5.2)."
    ),
    "rhat_high": "Split R-hat is {rhat:.3f} (above 1.05): the chains may not have converged; run more iterations.",
    "ess_low": "Effective sample size is {ess:.0f} (below 400): run more iterations or chains.",
    "stratum_not_estimable": "Stratum '{stratum}' is not estimable: {reason}",
    "total_excludes": "The total excludes stratum(s) not estimable: {strata}.",
    "stratum_draws_unequal": (
        "Strata have different numbers of draws; the {kept} first draws of each were combined."
    ),
    # command line
    "cli_summary": "{method} estimate of the total: {estimate:,.0f} ({level:.0%} interval {low:,.0f} to {high:,.0f})",
    "cli_observed": "Cases observed on at least one list: {observed:,}",
    "cli_model": "Model: {model}",
    "cli_warning": "Warning: {text}",
    "cli_error": "error: {text}",
}


def message(key: str, **values: object) -> str:
    return MESSAGES[key].format(**values)
