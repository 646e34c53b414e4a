"""Time of disclosure control on a public page's publication, against primary suppression alone.

    .venv/bin/python bench/disclosure_control.py [--density 0.15] [--seed 3]

A synthetic publication shaped like /public/: atoms cercle × category × child/adult for 9 regions of 3–8
cercles, published as the total, regions, cercles, categories, region × category and children; `density` is
the share of atoms with victims (low: many small cells, the hard case). Prints the figures, how many were
hidden, the number of LPs the attacker solved and the ratio to primary suppression in the same run.
"""

from __future__ import annotations

import argparse
import random
import time

from kurukan.analysis import disclosure
from kurukan.analysis.disclosure import Publication, primary, protect, weak_figures

CATEGORIES = ["life", "integrity", "sexual", "liberty", "children", "protected", "humanitarian", "movement"]
SENSITIVE = {"sexual", "children"}


def publication(density: float, seed: int) -> Publication:
    rng = random.Random(seed)
    cercles = [(f"R{r}", f"R{r}C{c}") for r in range(9) for c in range(rng.randint(3, 8))]
    atoms = {}
    for region, cercle in cercles:
        for category in CATEGORIES:
            for child in ("child", "adult", "unknown"):
                if rng.random() < density:
                    atoms[(region, cercle, category, child)] = 1 + int(rng.expovariate(1 / 2))

    def threshold_of(key):
        if key == ("child", "child") or ("category" in key and key[key.index("category") + 1] in SENSITIVE):
            return 10
        return None

    thresholds = {a: 10 if a[2] in SENSITIVE or a[3] == "child" else 5 for a in atoms}
    pub = Publication(atoms, thresholds, threshold_of=threshold_of)
    pub.crosstab("region", {a: a[0] for a in atoms}, "category", {a: a[2] for a in atoms})
    pub.breakdown("child", {a: a[3] for a in atoms})
    by_region: dict[str, set[str]] = {}
    for a in atoms:
        by_region.setdefault(a[0], set()).add(a[1])
    for region, codes in by_region.items():
        for code in sorted(codes):
            pub.publish(("cercle", code), [a for a in atoms if a[1] == code])
        pub.publish_sum(("region", region), [("cercle", c) for c in sorted(codes)])
    return pub


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--density", type=float, default=0.15)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    pub = publication(args.density, args.seed)
    calls = {"n": 0}
    original = disclosure._Attacker.interval

    def counted(self, members):
        calls["n"] += 1
        return original(self, members)

    disclosure._Attacker.interval = counted
    start = time.perf_counter()
    primary(pub)
    baseline = time.perf_counter() - start
    start = time.perf_counter()
    shown = protect(pub)
    seconds = time.perf_counter() - start
    hidden = sum(f.status != "shown" for f in shown.values())
    small = sum(f.status == "small" for f in shown.values())
    print(
        f"{len(pub.atoms)} atoms, {len(pub.figures)} figures: {small} small, {hidden - small} hidden to protect them"
    )
    print(
        f"primary suppression alone {baseline * 1e3:.1f} ms; with complementary suppression and the attacker"
    )
    print(f"{seconds:.2f} s ({calls['n']} intervals, 2 LPs each); ratio {seconds / max(baseline, 1e-9):.0f}×")
    print(f"weak figures left: {len(weak_figures(pub, shown))}")


if __name__ == "__main__":
    main()
