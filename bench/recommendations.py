"""Importing and clustering 100,000 UHRI-shaped recommendations.

    .venv/bin/python bench/recommendations.py [--rows 100000] [--database-url URL]

Prints the import rate with a raw `sqlite3` executemany of the same rows as the baseline, the time to
propose similar pairs, and peak memory. The rows are generated: recommendation texts built from UPR
phrasings (a verb, an object, a qualifier), recommending States, responses, themes; about one in ten
repeats an earlier one with small edits, as later cycles repeat earlier ones.
"""

from __future__ import annotations

import argparse
import csv
import random
import sqlite3
import tempfile
import time
from pathlib import Path

from _common import OUT, configure, peak_rss_mb

VERBS = ["Continue its efforts to", "Take the necessary measures to", "Strengthen measures to", "Consider",
         "Adopt legislation to", "Ensure that", "Accelerate efforts to", "Step up efforts to", "Establish a mechanism to"]  # fmt: skip
OBJECTS = ["abolish the death penalty", "combat impunity for serious human rights violations",
           "prevent the recruitment and use of children by armed groups", "eradicate female genital mutilation",
           "protect human rights defenders and journalists", "end descent-based slavery practices",
           "guarantee access to education in the regions affected by insecurity",
           "investigate allegations of summary executions", "submit overdue reports to the treaty bodies",
           "extend a standing invitation to the special procedures", "reform the Personal and Family Code",
           "strengthen the independence of the National Human Rights Commission"]  # fmt: skip
QUALIFIERS = ["", "in line with its international obligations", "with the support of OHCHR",
              "in the centre and north of the country", "including through awareness campaigns",
              "and allocate adequate resources", "as recommended during the previous cycle"]  # fmt: skip
STATES = ["France", "Canada", "Brazil", "Ghana", "Senegal", "Germany", "Japan", "Mexico", "Tunisia", "Norway",
          "Chile", "India", "Algeria", "Morocco", "Holy See", "Portugal", "Spain", "Belgium"]  # fmt: skip
RESPONSES = ["Supported", "Supported", "Supported", "Noted", "Supported in part", "Pending"]
THEMES = ["Death penalty", "Impunity", "Children", "Women's rights", "Human rights defenders", "Slavery",
          "Right to education", "Cooperation with treaty bodies"]  # fmt: skip
HEADER = ["Symbol", "Paragraph", "Recommendation", "Recommending State", "Response", "Publication date",
          "Themes", "Affected persons", "SDGs"]  # fmt: skip


def generate(path: Path, rows: int, seed: int = 5242) -> None:
    rng = random.Random(seed)
    # Real recommendations name laws, places, years and bodies: words drawn from a large made-up lexicon
    # stand in for them, so that texts are as varied as UHRI's and only true repeats score high.
    lexicon = [
        "".join(rng.choice("bcdfghjklmnprstvz") + rng.choice("aeiou") for _ in range(3)) for _ in range(5000)
    ]
    texts: list[str] = []
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for i in range(rows):
            if texts and rng.random() < 0.1:
                text = rng.choice(texts).replace("its efforts", "the efforts").rstrip(")") + ")"
            else:
                detail = " ".join(rng.sample(lexicon, 6))
                text = f"{rng.choice(VERBS)} {rng.choice(OBJECTS)} {detail} {rng.choice(QUALIFIERS)}".strip()
                text += f" ({rng.choice(STATES)})"
            texts.append(text)
            session = 1 + i // 2000
            writer.writerow([f"A/HRC/{session}/{i % 97 + 1}", f"{100 + i % 50}.{i}", text, rng.choice(STATES),
                             rng.choice(RESPONSES), f"{2008 + session % 16}-05-15", rng.choice(THEMES),
                             "Women; Children" if rng.random() < 0.3 else "", "16.3" if rng.random() < 0.5 else ""])  # fmt: skip


def baseline(path: Path) -> float:
    """The same rows into one SQLite table with executemany: the floor for any importer."""
    with tempfile.TemporaryDirectory() as folder:
        db = sqlite3.connect(Path(folder) / "raw.sqlite3")
        db.execute("CREATE TABLE r (symbol TEXT, paragraph TEXT, text TEXT, state TEXT, response TEXT, "
                   "published TEXT, themes TEXT, affected TEXT, sdgs TEXT)")  # fmt: skip
        start = time.perf_counter()
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            next(reader)
            db.executemany("INSERT INTO r VALUES (?,?,?,?,?,?,?,?,?)", reader)
        db.commit()
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    data = Path(tempfile.mkdtemp(prefix="kurukan-bench-rec-", dir=OUT if OUT.exists() else None))
    configure(args.database_url, str(data))
    from django.core.management import call_command

    from kurukan.recommendations import actions
    from kurukan.recommendations.models import Recommendation, SimilarPair

    call_command("migrate", verbosity=0)
    path = data / "uhri.csv"
    generate(path, args.rows)
    raw = baseline(path)
    start = time.perf_counter()
    result = actions.import_recommendations(path)
    imported = time.perf_counter() - start
    start = time.perf_counter()
    proposed = actions.propose_similar()
    clustered = time.perf_counter() - start
    assert Recommendation.objects.count() == args.rows == result.created
    print(f"rows                      {args.rows:>10,}")
    print(f"baseline sqlite3 insert   {raw:>9.2f} s  {args.rows / raw:>10,.0f} rows/s")
    print(f"kurukan import            {imported:>9.2f} s  {args.rows / imported:>10,.0f} rows/s  "
          f"ratio to baseline {imported / raw:.1f}×  ({result.summary()})")  # fmt: skip
    print(
        f"similar pairs proposed    {clustered:>9.2f} s  {proposed:,} pairs ({SimilarPair.objects.count():,} stored)"
    )
    print(f"peak memory               {peak_rss_mb():>9.0f} MB")


if __name__ == "__main__":
    main()
