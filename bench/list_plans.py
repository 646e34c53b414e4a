"""Both plans of every filter on violations, timed back to back, next to the one the list chooses.

    .venv/bin/python bench/list_plans.py --database-url sqlite:///$PWD/bench/out/incidents-100k.sqlite3

For each filter (and role), the SQL of a page (26 rows in date order) and of the page's count (to 201) is
run with the plan forced to "collect" (every matching violation, then their incidents) and to "scan" (the
incidents in date order, tested by their facet bits), alternately, `--repeat` times; then with the plan
incidents/plans.py chooses from the data's shape. Prints each p50 in ms and chosen ÷ best: the baseline is
the better of the two forced plans, measured in the same run. Reads only (run `incident_pages.py` once
first: it creates the demo users).
"""

from __future__ import annotations

import argparse
import datetime as dt
import time

from _common import configure, percentile, vendor


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url")
    parser.add_argument("--data-dir")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    configure(args.database_url, args.data_dir)

    from kurukan.accounts.models import User
    from kurukan.incidents import plans, queries
    from kurukan.incidents.models import Incident
    from kurukan.places.models import AdminUnit
    from kurukan.vocabularies.models import Term

    def term(vocabulary: str, code: str) -> Term:
        return Term.objects.get(vocabulary=vocabulary, code=code)

    jnim = term("perpetrator_category", "nonstate.jnim")
    mopti = AdminUnit.objects.current().get(level=1, name="Mopti")
    year = {"date_from": dt.date(2022, 1, 1), "date_to": dt.date(2022, 12, 31)}
    filters = {
        "perpetrator JNIM": {"perpetrator_category": jnim},
        "perpetrator State": {"perpetrator_category": term("perpetrator_category", "state")},
        "type group (liberty)": {"violation_type": term("violation_type", "liberty")},
        "type rare (abduction)": {"violation_type": term("violation_type", "liberty.abduction")},
        "verification did_not_occur": {"verification_status": "did_not_occur"},
        "Mopti 2022 + JNIM + verified": {
            "place": mopti,
            **year,
            "perpetrator_category": jnim,
            "verification_status": "verified",
        },
    }
    top = Incident.objects.order_by("-id").values_list("id", flat=True).first()
    print(f"[{vendor()}] {top:,} incidents (max id); {args.repeat} runs of each plan, alternated")
    original = plans.choose

    def forced(scan: bool):
        def choose(found, **kwargs):
            real = original(found, **kwargs)
            return plans.Choice(real.drive_by_perpetrator, scan, 10**12 if scan else 0)

        return choose

    def time_once(user, spec) -> float:
        listing = queries.incident_listing(user, queries.IncidentFilters(**spec))
        start = time.perf_counter()
        queries.capped_count(listing, queries.PAGE_COUNT_CAP)
        list(listing.parts[0].values_list("pk", flat=True)[:26])
        return (time.perf_counter() - start) * 1000

    print("| role | filter | collect p50 ms | scan p50 ms | chosen | chosen p50 ms | chosen ÷ best |")
    print("|---|---|---:|---:|---|---:|---:|")
    for role in ("monitor", "admin"):
        user = User.objects.get(username=role)
        for name, spec in filters.items():
            times: dict[str, list[float]] = {"collect": [], "scan": [], "chosen": []}
            for _ in range(args.repeat):
                for label, chooser in (
                    ("collect", forced(False)),
                    ("scan", forced(True)),
                    ("chosen", original),
                ):
                    plans.choose = chooser
                    times[label].append(time_once(user, spec))
            plans.choose = forced(True)
            scan_sql = str(queries.incident_listing(user, queries.IncidentFilters(**spec)).parts[0].query)
            plans.choose = original
            found = queries.incident_listing(user, queries.IncidentFilters(**spec))
            chosen = "scan" if str(found.parts[0].query) == scan_sql else "collect"
            p50 = {k: percentile(v, 50) for k, v in times.items()}
            best = min(p50["collect"], p50["scan"])
            print(
                f"| {role} | {name} | {p50['collect']:.1f} | {p50['scan']:.1f} | {chosen} | "
                f"{p50['chosen']:.1f} | {p50['chosen'] / best:.2f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
