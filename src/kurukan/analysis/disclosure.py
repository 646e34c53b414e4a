"""Disclosure control for published counts: small cells hidden, and no hidden cell recoverable.

Plain Python (NumPy/SciPy), no Django. A *publication* is every figure shown together (a national total,
a table by region, a map by cercle, a region × type cross-table…), each figure the sum of some *atoms*:
the finest cells the publisher knows and never shows (for example cercle × violation type). Describing
every figure by its atoms links the tables: a region's total in the map and in the cross-table is one
figure, and a cross-table's row total is the sum of its cells, whatever table shows which.

    pub = Publication({("ML05", "life"): 12, ("ML05", "sexual"): 3, …}, thresholds={…})
    pub.publish("total", pub.atoms)                           # every atom
    pub.publish(("region", "ML05"), [a for a in pub.atoms if a[0] == "ML05"])
    shown = protect(pub)                                      # {key: Figure}
    shown[("region", "ML05")].text                            # "27", "< 10" or "•"
    attack(pub, shown)                                        # what an attacker can still learn

Rules (Hundepool et al., *Statistical Disclosure Control*, Wiley 2012, ch. 4 and 5):

* **Primary suppression**: a figure under its threshold — zero included — is suppressed: a cell reads "•",
  a total (of a row, a column, a table) reads "< N". Zeros are suppressed like the others so that a hidden
  cell is never known to be at least 1. A figure's threshold is the largest of its atoms' thresholds: a
  total that contains sexual-violence victims is protected like them.
* **Complementary suppression**: further figures are hidden ("•") until the attacker below can no longer
  narrow any hidden figure. A line (a total and its parts) is first made safe on its own — at least two
  hidden parts that leave each of them its full range, rectangles preferred —, no line leaves a hidden
  figure alone (a shown total with one hidden part, a hidden total with every part shown), and then the
  attacker is run over everything, and the figure that widens the weakest interval most is hidden, until
  none is weak. Cells beside it go first, smallest first; a total only when no cell helps, smallest
  first, so the national total stays whenever another cell can protect a small one. A small total reads
  "< N" with the highest threshold of the figures inside it ("< 10" for a region of 3 victims, one of
  sexual violence), and a shown total under a figure's threshold is hidden: it would bound that figure.
* **The attacker** (audit by linear programming, the "feasibility interval" of tau-ARGUS): knowing every
  published figure, that atoms are counts (≥ 0), that a "< N" total lies in 0…N−1 and that a hidden total
  is at least its threshold (else it would read "< N"), compute with ``scipy.optimize.linprog`` the least
  and the greatest value of every hidden figure. A small figure is *protected* when that interval still
  holds at least N whole numbers: for a "< N" total, exactly the 0…N−1 its label already says. Hidden cells
  all read "•", so a cell's label alone tells nothing. A figure hidden only to protect another is at least
  its threshold — publishable — so what the attacker learns of it harms no one by itself; what it would
  give away of a small figure shows in that small figure's interval.

The LP relaxation gives the attacker bounds at least as wide as integer programming would; for the
two-way tables with margins published here the constraint matrix is totally unimodular, so they coincide.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_matrix

Key = Hashable


class Status(StrEnum):
    SHOWN = "shown"
    SMALL = "small"  # primary: under the threshold ("< N" for a total, "•" for a cell)
    HIDDEN = "hidden"  # complementary: hidden to protect a small figure ("•")


HIDDEN_MARK = "•"


@dataclass(frozen=True)
class Figure:
    value: int
    status: Status
    threshold: int
    is_total: bool = False

    @property
    def text(self) -> str:
        """What the public sees: the number, "< N" or "•" (numbers formatted by the caller when shown)."""
        if self.status == Status.SMALL and self.is_total:
            return f"< {self.threshold}"
        if self.status != Status.SHOWN:
            return HIDDEN_MARK
        return str(self.value)

    def label_range(self) -> tuple[float, float]:
        """What the label alone tells an attacker about the value."""
        if self.status == Status.SHOWN:
            return (self.value, self.value)
        if not self.is_total:
            return (0, math.inf)
        return (0, self.threshold - 1) if self.status == Status.SMALL else (self.threshold, math.inf)

    @property
    def shown(self) -> int | None:
        return self.value if self.status == Status.SHOWN else None


@dataclass(frozen=True)
class Interval:
    low: float
    high: float  # math.inf when nothing bounds it

    def whole_numbers(self) -> float:
        if math.isinf(self.high):
            return math.inf
        return max(0, math.floor(self.high + 1e-6) - math.ceil(self.low - 1e-6) + 1)


@dataclass
class Publication:
    """The atoms with their true values and thresholds, and the figures to publish (each a set of atoms)."""

    atoms: Mapping[Key, int]
    thresholds: Mapping[Key, int]
    default_threshold: int = 5
    # A figure's own threshold when what it is about decides (a table's sexual-violence column, the count of
    # children), rather than the largest of its atoms'; None falls back to the atoms.
    threshold_of: Callable[[Key], int | None] | None = None
    figures: dict[Key, frozenset] = field(default_factory=dict)
    # A published total and the published figures that add up to it (a row and its cells): where a reader
    # subtracts, and so where complementary suppression looks first.
    lines: list[tuple[Key, tuple[Key, ...]]] = field(default_factory=list)

    def publish(self, key: Key, atoms: Iterable[Key]) -> None:
        members = frozenset(atoms)
        unknown = members - set(self.atoms)
        if unknown:
            raise ValueError(
                f"figure {key!r} names atoms that do not exist: {sorted(map(repr, unknown))[:3]}"
            )
        if key in self.figures and self.figures[key] != members:
            raise ValueError(f"figure {key!r} is published twice with different atoms")
        self.figures[key] = members

    def publish_sum(self, total: Key, parts: Iterable[Key]) -> None:
        """Publish `total` as the sum of figures already published, and remember the line."""
        parts = tuple(parts)
        self.publish(total, frozenset().union(*(self.figures[p] for p in parts)))
        self.lines.append((total, parts))

    def breakdown(self, dimension: str, group_of: Mapping[Key, Hashable], total: Key = "total") -> None:
        """A one-way table: one figure per group of atoms, keyed (dimension, group), and the total."""
        groups: dict[Hashable, list[Key]] = {}
        for atom in self.atoms:
            groups.setdefault(group_of[atom], []).append(atom)
        for group, atoms in groups.items():
            self.publish((dimension, group), atoms)
        self.publish_sum(total, [(dimension, g) for g in groups])

    def crosstab(
        self, rows: str, row_of: Mapping[Key, Hashable], cols: str, col_of: Mapping[Key, Hashable]
    ) -> None:
        """A two-way table with its margins, which are the one-way tables of `rows` and `cols`."""
        self.breakdown(rows, row_of)
        self.breakdown(cols, col_of)
        cells: dict[tuple, list[Key]] = {}
        for atom in self.atoms:
            cells.setdefault((row_of[atom], col_of[atom]), []).append(atom)
        for (r, c), atoms in cells.items():
            self.publish((rows, r, cols, c), atoms)
        for r in {r for r, _c in cells}:
            self.lines.append(((rows, r), tuple((rows, r, cols, c) for rr, c in cells if rr == r)))
        for c in {c for _r, c in cells}:
            self.lines.append(((cols, c), tuple((rows, r, cols, c) for r, cc in cells if cc == c)))

    def value(self, key: Key) -> int:
        return sum(self.atoms[a] for a in self.figures[key])

    def threshold(self, key: Key) -> int:
        """A figure's threshold; figures made of the same atoms are one number under several names (Gao's
        total, when every victim in Gao is a child recruited, is also the children's count), so they share
        the strictest: else one name's "< 10" and another's "at least 5" would pin it between 5 and 9."""
        members = self.figures[key]
        return max(self._own_threshold(k) for k, atoms in self.figures.items() if atoms == members)

    def _own_threshold(self, key: Key) -> int:
        own = self.threshold_of(key) if self.threshold_of else None
        if own is not None:
            return own
        members = self.figures[key]
        return max((self.thresholds.get(a, self.default_threshold) for a in members), default=0) or (
            self.default_threshold
        )


# --- the attacker --------------------------------------------------------------------------------------------


class _Attacker:
    """The linear system an attacker can write from what is published."""

    def __init__(self, pub: Publication, shown: Mapping[Key, Figure]):
        self.index = {atom: i for i, atom in enumerate(pub.atoms)}
        self.pub = pub
        equal_rows, equal_values, upper_rows, upper_values = [], [], [], []
        for key, members in pub.figures.items():
            figure = shown[key]
            row = [self.index[a] for a in members]
            low, high = figure.label_range()
            if figure.status == Status.SHOWN:
                equal_rows.append(row)
                equal_values.append(figure.value)
                continue
            if not math.isinf(high):
                upper_rows.append((row, 1.0))
                upper_values.append(high)
            if low > 0:  # at least `low`, written as −Σ ≤ −low
                upper_rows.append((row, -1.0))
                upper_values.append(-low)
        n = len(self.index)
        self.a_eq = self._matrix([(r, 1.0) for r in equal_rows], n)
        self.b_eq = np.array(equal_values, dtype=float) if equal_values else None
        self.a_ub = self._matrix(upper_rows, n)
        self.b_ub = np.array(upper_values, dtype=float) if upper_values else None
        self.n = n

    @staticmethod
    def _matrix(rows: list[tuple[list[int], float]], n: int) -> csr_matrix | None:
        if not rows:
            return None
        data, cols, ptr = [], [], [0]
        for members, sign in rows:
            cols.extend(members)
            data.extend([sign] * len(members))
            ptr.append(len(cols))
        return csr_matrix((data, cols, ptr), shape=(len(rows), n))

    def interval(self, members: frozenset) -> Interval:
        c = np.zeros(self.n)
        c[[self.index[a] for a in members]] = 1.0
        bounds = (0, None)
        common = {"A_ub": self.a_ub, "b_ub": self.b_ub, "A_eq": self.a_eq, "b_eq": self.b_eq}
        low = linprog(c, bounds=bounds, method="highs", **common)
        high = linprog(-c, bounds=bounds, method="highs", **common)
        if low.status == 2 or high.status == 2:
            raise ValueError("the published figures contradict each other (no table fits them)")
        return Interval(low.fun, math.inf if high.status == 3 else -high.fun)


def attack(pub: Publication, shown: Mapping[Key, Figure]) -> dict[Key, Interval]:
    """The feasible interval of every hidden figure, from everything published beside it."""
    attacker = _Attacker(pub, shown)
    return {
        key: attacker.interval(members)
        for key, members in pub.figures.items()
        if shown[key].status != Status.SHOWN
    }


def weak_figures(pub: Publication, shown: Mapping[Key, Figure]) -> list[Key]:
    """Small figures that the attacker narrows to fewer whole numbers than their threshold.

    Only the small (primary) figures need protecting: a figure hidden to protect another is at least its
    threshold, so it could have been published, and knowing it — or a range around it — harms no one; what
    it would give away about a small figure is in the small figure's own interval, computed with every
    published figure."""
    attacker = _Attacker(pub, shown)
    return [
        key
        for key, members in pub.figures.items()
        if shown[key].status == Status.SMALL
        and attacker.interval(members).whole_numbers() < shown[key].threshold
    ]


# --- primary and complementary suppression -----------------------------------------------------------------


def primary(pub: Publication) -> dict[Key, Figure]:
    totals = {total for total, _parts in pub.lines}
    out = {}
    for key in pub.figures:
        value, threshold = pub.value(key), pub.threshold(key)
        status = Status.SMALL if value < threshold else Status.SHOWN
        out[key] = Figure(value, status, threshold, is_total=key in totals)
    # A small total's "< N" bounds every figure inside it: when one of those has a higher threshold (the
    # children in a region of 3 victims), the label says "< 10", else "< 5" alone would pin it to 0…4.
    for key, figure in list(out.items()):
        if figure.status != Status.SMALL or not figure.is_total:
            continue
        members = pub.figures[key]
        inner = max((f.threshold for k, f in out.items() if pub.figures[k] <= members), default=0)
        if inner > figure.threshold:
            out[key] = Figure(figure.value, Status.SMALL, inner, is_total=True)
    return out


def _candidates(pub: Publication, shown: Mapping[Key, Figure], weak: Key) -> tuple[list[Key], list[Key]]:
    """Figures that could hide `weak`: the published figures that share a published total with it (cells
    first, smallest first), and those totals themselves (smallest first)."""
    members = pub.figures[weak]
    totals = [
        key
        for key, atoms in pub.figures.items()
        if key != weak and atoms > members and shown[key].status == Status.SHOWN
    ]
    siblings = {
        key
        for total in totals
        for key, atoms in pub.figures.items()
        if atoms < pub.figures[total] and not atoms & members and shown[key].status == Status.SHOWN
    }
    order = sorted(siblings, key=lambda k: (len(pub.figures[k]), shown[k].value, repr(k)))
    return order, sorted(totals, key=lambda k: (shown[k].value, repr(k)))


def _hide(pub: Publication, shown: dict[Key, Figure], key: Key) -> None:
    """Hide a figure under every name it has (figures of the same atoms are the same number)."""
    members = pub.figures[key]
    for twin, atoms in pub.figures.items():
        figure = shown[twin]
        if atoms == members and figure.status == Status.SHOWN:
            shown[twin] = Figure(figure.value, Status.HIDDEN, figure.threshold, figure.is_total)


def _line_is_safe(shown: Mapping[Key, Figure], parts: tuple[Key, ...]) -> bool:
    """The attacker of one line: total minus the shown parts leaves the hidden parts' sum; does that narrow
    any hidden part below its threshold?"""
    hidden = [shown[p] for p in parts if shown[p].status != Status.SHOWN]
    if not hidden:
        return True
    residual = sum(f.value for f in hidden)
    for i, figure in enumerate(hidden):
        if figure.status != Status.SMALL:
            continue  # publishable: it needs no protection of its own (see weak_figures)
        others = hidden[:i] + hidden[i + 1 :]
        low_self, high_self = figure.label_range()
        high = min(high_self, residual - sum(o.label_range()[0] for o in others))
        low = max(low_self, residual - sum(o.label_range()[1] for o in others))
        if high - low + 1 < figure.threshold:
            return False
    return True


def _lines_pass(pub: Publication, shown: dict[Key, Figure]) -> None:
    """The classic heuristic for linked tables: in every line whose total is shown, hide the smallest part
    until the line protects its hidden parts, preferring parts whose other line already hides something (so
    hidden cells form rectangles a reader cannot unpick)."""
    lines_of: dict[Key, list[int]] = {}
    for i, (_total, parts) in enumerate(pub.lines):
        for part in parts:
            lines_of.setdefault(part, []).append(i)
    changed = True
    while changed:
        changed = False
        for i, (total, parts) in enumerate(pub.lines):
            if shown[total].status != Status.SHOWN:
                continue
            while not _line_is_safe(shown, parts):
                candidates = [p for p in parts if shown[p].status == Status.SHOWN]
                if not candidates:
                    break

                def linked(part: Key, here: int = i) -> bool:
                    return any(
                        j != here and any(shown[q].status != Status.SHOWN for q in pub.lines[j][1])
                        for j in lines_of.get(part, [])
                    )

                _hide(pub, shown, min(candidates, key=lambda p: (not linked(p), shown[p].value, repr(p))))
                changed = True


def _line_siblings(pub: Publication, shown: Mapping[Key, Figure], weak: Key) -> list[Key]:
    """Shown figures that stand in a published line beside a figure holding part of `weak` (its row and
    column cells, the other regions beside its region, the cercles of its region), smallest first: the
    figures a reader subtracts to recover it, so the first to hide — before any total."""
    members = pub.figures[weak]
    found = set()
    for total, parts in pub.lines:
        if not (pub.figures[total] & members):
            continue
        for part in parts:
            atoms = pub.figures[part]
            if part != weak and shown[part].status == Status.SHOWN and not atoms >= members:
                found.add(part)
    return sorted(found, key=lambda k: (shown[k].value, len(pub.figures[k]), repr(k)))


def _unpicking(pub: Publication, shown: Mapping[Key, Figure], weak: Key) -> list[Key]:
    """Where a figure holding `weak` is already hidden but a line still gives it away (the total less the
    other regions, or the sum of its cercles): that line's shown parts, smallest first."""
    members = pub.figures[weak]
    found = set()
    for total, parts in pub.lines:
        hidden_holder = [
            k
            for k in (total, *parts)
            if k != weak and shown[k].status != Status.SHOWN and pub.figures[k] >= members
        ]
        if not hidden_holder:
            continue
        for part in parts:
            if shown[part].status == Status.SHOWN and not pub.figures[part] >= members:
                found.add(part)
    return sorted(found, key=lambda k: (shown[k].value, len(pub.figures[k]), repr(k)))


def _no_lone_hidden_figure(pub: Publication, shown: dict[Key, Figure]) -> None:
    """The classic rule for every hidden figure, small or hidden to protect another: no line may leave it
    alone, or a reader subtracts it. A shown total with one hidden part, or a hidden total with every part
    shown, gets its smallest shown part hidden (preferring parts whose other line already hides one, so
    hidden figures form rectangles). Totals are never hidden here."""
    lines_of: dict[Key, list[int]] = {}
    for i, (_total, parts) in enumerate(pub.lines):
        for part in parts:
            lines_of.setdefault(part, []).append(i)
    changed = True
    while changed:
        changed = False
        for i, (total, parts) in enumerate(pub.lines):
            open_parts = [p for p in parts if shown[p].status == Status.SHOWN]
            if not open_parts:
                continue
            hidden = len(parts) - len(open_parts)
            lone = hidden == 0 if shown[total].status != Status.SHOWN else hidden == 1
            if not lone:
                continue

            def linked(part: Key, here: int = i) -> bool:
                return any(
                    j != here and any(shown[q].status != Status.SHOWN for q in pub.lines[j][1])
                    for j in lines_of.get(part, [])
                )

            _hide(pub, shown, min(open_parts, key=lambda p: (not linked(p), shown[p].value, repr(p))))
            changed = True


def protect(pub: Publication, max_tries: int = 8) -> dict[Key, Figure]:
    """Primary then complementary suppression, until the attacker narrows no hidden figure.

    For each weak figure, in order: a shown total smaller than its threshold bounds it below the threshold
    whatever else is hidden, so that total goes; else the single figure that widens it most, tried among
    its line siblings (smallest first) then the smallest other cells; else, where a hidden figure holding
    it is still recovered through a line, that line's smallest shown part; only then the smallest total
    around it. Totals go last and smallest first, so the national total stays whenever a cell can hide
    the small one instead."""
    shown = primary(pub)
    _lines_pass(pub, shown)
    while True:
        _no_lone_hidden_figure(pub, shown)
        weak = weak_figures(pub, shown)
        if not weak:
            return shown
        target = weak[0]
        threshold = shown[target].threshold
        cells, totals = _candidates(pub, shown, target)
        capping = [t for t in totals if shown[t].value < threshold]
        if capping:
            _hide(pub, shown, capping[0])
            continue
        before = _Attacker(pub, shown).interval(pub.figures[target]).whole_numbers()
        siblings = _line_siblings(pub, shown, target)
        tries = siblings + [c for c in cells[:max_tries] if c not in set(siblings)]
        best, best_gain = None, 0.0
        for key in tries:
            trial = dict(shown)
            _hide(pub, trial, key)
            gain = _Attacker(pub, trial).interval(pub.figures[target]).whole_numbers() - before
            if gain > best_gain:
                best, best_gain = key, gain
            if trial_is_enough(threshold, before + gain):
                break
        if best is None:
            unpicking = _unpicking(pub, shown, target)
            if unpicking:
                best = unpicking[0]
        if best is None:
            # No figure beside it helps: drop the smallest published total around it (or, with none left,
            # every shown figure, which leaves only "< N" bounds).
            remaining = totals or [k for k, f in shown.items() if f.status == Status.SHOWN]
            if not remaining:
                return shown  # nothing left to hide: every hidden figure is as wide as its label allows
            best = remaining[0]
        _hide(pub, shown, best)


def trial_is_enough(threshold: int, width: float) -> bool:
    return width >= threshold
