"""The public figures: counted by the statistics app, then through disclosure control, then cached.

One publication holds every figure the public page and the public API show together — the national total,
victims by region and by cercle (the maps), by category of violation, region × category, children and
adults — so complementary suppression protects each table against all the others. The atoms are victims by
cercle × category × child/adult: fine enough that every published figure is a sum of them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from kurukan.analysis.disclosure import Figure, Publication, Status, protect
from kurukan.statistics.counting import Filters, Scope, table

# What a figure is about decides its threshold: sexual violence and children have the higher one.
SENSITIVE_CATEGORIES = {"sexual", "children"}
LEVELS = ("verified", "documented")
CACHE_SECONDS = 600
UNKNOWN = ""  # the code of "not known" (region or cercle not recorded)
TOTALS = ("region", "category")  # dimensions whose figures are the totals of other published figures


def threshold_of(key) -> int:
    sensitive = settings.PUBLIC_THRESHOLD_SENSITIVE
    if isinstance(key, tuple):
        if key == ("child", "child"):
            return sensitive
        if "category" in key and key[key.index("category") + 1] in SENSITIVE_CATEGORIES:
            return sensitive
    return settings.PUBLIC_THRESHOLD


@dataclass(frozen=True)
class PublicFigures:
    level: str
    figures: dict  # key → Figure (disclosure.Figure)
    regions: list[str]
    cercles: dict[str, list[str]]  # region → its cercles (UNKNOWN included when some victims lack one)
    categories: list[str]
    children: list[str]

    def get(self, *key) -> Figure:
        """The figure for a key; a figure with no victim at all is zero, under every threshold."""
        key = key[0] if len(key) == 1 else key
        found = self.figures.get(key)
        if found is not None:
            return found
        # Labelled as the publication labels it (disclosure.py): totals of a line — the total, a region, a
        # category — read "< N"; cells — a cercle, a child/adult count, a cross-table cell — read "•".
        is_total = key == "total" or (isinstance(key, tuple) and len(key) == 2 and key[0] in TOTALS)
        return Figure(0, Status.SMALL, threshold_of(key), is_total=is_total)


def _publication(level: str, organisation=None, date_from=None, date_to=None) -> tuple[Publication, dict]:
    counted = table(
        "victims",
        by=["region", "cercle", "violation_category", "child"],
        filters=Filters(level=level, organisation=organisation, date_from=date_from, date_to=date_to),
        scope=Scope.public(),
    )
    atoms = {}
    for row in counted.rows:
        region = row["region"] or UNKNOWN
        cercle = row["cercle"] or f"{region}{UNKNOWN}?"
        atoms[(region, cercle, row["violation_category"] or UNKNOWN, row["child"] or "unknown")] = row[
            "value"
        ]
    pub = Publication(atoms, {}, threshold_of=threshold_of)
    region_of = {a: a[0] for a in atoms}
    pub.crosstab("region", region_of, "category", {a: a[2] for a in atoms})
    pub.breakdown("child", {a: a[3] for a in atoms})
    cercles: dict[str, list[str]] = {}
    for a in atoms:
        cercles.setdefault(a[0], [])
        if a[1] not in cercles[a[0]]:
            cercles[a[0]].append(a[1])
    for region, codes in cercles.items():
        for code in codes:
            pub.publish(("cercle", code), [a for a in atoms if a[1] == code])
        pub.publish_sum(("region", region), [("cercle", code) for code in codes])
    layout = {
        "regions": sorted(cercles),
        "cercles": {r: sorted(c) for r, c in cercles.items()},
        "categories": sorted({a[2] for a in atoms}),
        "children": [c for c in ("child", "adult", "unknown") if any(a[3] == c for a in atoms)],
    }
    return pub, layout


def public_figures(level: str = "verified", organisation=None, date_from=None, date_to=None) -> PublicFigures:
    """The protected figures at a verification level — of every organisation, or of one that shares its
    counts (the same records and the same rule as the public's) — computed at most every ten minutes.
    A period (the public bulletin's) is counted fresh, never cached: the report keeps what it printed."""
    if level not in LEVELS:
        level = "verified"
    key = _key(level, organisation.pk if organisation else None)
    dated = date_from is not None or date_to is not None
    cached = None if dated else cache.get(key)
    if cached is not None:
        return cached
    pub, layout = _publication(level, organisation, date_from, date_to)
    result = PublicFigures(level=level, figures=protect(pub) if pub.atoms else {}, **layout)
    if not dated:
        cache.set(key, result, CACHE_SECONDS)
    return result


def _key(level: str, organisation_id: int | None) -> str:
    return f"kurukan:public-figures:{level}:{organisation_id or 'all'}"


def forget(organisation_ids=()) -> None:
    """Drop the cached figures (after an organisation changes its public-figures setting, and in tests)."""
    cache.delete_many([_key(level, o) for level in LEVELS for o in (None, *organisation_ids)])
