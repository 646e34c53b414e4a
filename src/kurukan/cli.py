"""The `kurukan` command: Django's management commands, plus the analytics tools that need no database.

kurukan demo                 set up a demo database and serve it with the background worker
kurukan serve                serve the site (http://127.0.0.1:8000 unless KURUKAN_HOST/PORT say otherwise)
kurukan check --deploy       refuse unsafe production settings
kurukan migrate              create or upgrade the database
kurukan places load          load Mali's admin units and gazetteer
kurukan vocabularies load    refresh the controlled vocabularies from the shipped files
kurukan keys init|rotate     create or rotate the encryption keys
kurukan keys verify          check every encrypted value (names tampered ones; weekly)
kurukan audit verify         check the audit chain
kurukan export incidents|violations|victims   the incident list as CSV, XLSX, HXL, JSON or GeoJSON
kurukan xlsform              Kurukan's XLSForm for KoboToolbox and ODK Central
kurukan estimate FILE.csv    multiple-systems estimation on a capture-history table
kurukan link dedupe|pair …   record linkage on any CSV of people
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "estimate":
        from kurukan.analysis.estimation.cli import main as estimate_main

        return estimate_main(args[1:])
    if args and args[0] == "link":
        from kurukan.analysis.linkage.cli import main as link_main

        return link_main(args[1:])
    if not args or args[0] in {"-h", "--help"}:
        print(__doc__)
        args = ["help"] if not args else args
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kurukan.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["kurukan", *args])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
