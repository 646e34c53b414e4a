"""Does a log-linear model give an estimate for this table, and is it identifiable?

Follows Chan, Silverman & Vincent (2021, JASA 116:1297-1306, section 2.6), who specialise Fienberg &
Rinaldo (2012, Ann. Statist. 40:996-1023) to multiple systems estimation:

* a parameter whose sufficient statistic is zero (for instance two lists that share no case) has an
  extended maximum likelihood estimate of minus infinity; its cells are fixed at zero and dropped;
* on what remains, the estimate exists iff the observed margins are matched by a strictly positive table
  (a linear program: maximise ``s`` subject to ``A x = A n``, ``x >= s``; it exists iff ``s > 0``);
* it is identifiable iff the remaining design matrix has full column rank.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy.optimize import linprog

from .messages import message

OK = 0
NO_EXISTENCE = 1
NOT_IDENTIFIABLE = 2


class NotEstimableError(ValueError):
    """The requested estimate does not exist or is not identifiable; the message says why in plain words."""


@lru_cache(maxsize=64)
def cell_masks(n_lists: int) -> np.ndarray:
    return np.arange(1, 2**n_lists)


@lru_cache(maxsize=4096)
def design(n_lists: int, params: tuple[int, ...]) -> np.ndarray:
    """0/1 design matrix: cell ``c`` (mask) carries parameter ``T`` (mask) iff ``T`` is a subset of ``c``."""
    cells = cell_masks(n_lists)
    par = np.asarray(params, dtype=np.int64)
    x = ((cells[:, None] & par[None, :]) == par[None, :]).astype(float)
    x.setflags(write=False)
    return x


@dataclass(frozen=True)
class Face:
    """The cells and parameters left once parameters with a zero sufficient statistic are fixed at -inf."""

    kept_cells: np.ndarray  # boolean over cells 1 … 2**t - 1
    est_params: tuple[int, ...]
    neg_inf: tuple[int, ...]


def face_of(n_lists: int, params: tuple[int, ...], nstar: dict[int, float]) -> Face:
    neg_inf = tuple(p for p in params if p and nstar[p] == 0)
    cells = cell_masks(n_lists)
    kept = np.ones(cells.shape, dtype=bool)
    for p in neg_inf:
        kept &= (cells & p) != p
    est = tuple(p for p in params if p not in neg_inf)
    return Face(kept, est, neg_inf)


def nstar_of(n_lists: int, cell_counts: np.ndarray, params: tuple[int, ...]) -> dict[int, float]:
    x = design(n_lists, params)
    return dict(zip(params, x.T @ cell_counts, strict=True))


def is_full_rank(x: np.ndarray) -> bool:
    return x.shape[0] >= x.shape[1] and np.linalg.matrix_rank(x) == x.shape[1]


def lp_exists(x: np.ndarray, y: np.ndarray) -> bool:
    """Fienberg-Rinaldo linear program on the face: is there a strictly positive table with margins A y?"""
    n_cells, _ = x.shape
    a_eq = np.hstack([x.T, np.zeros((x.shape[1], 1))])
    b_eq = x.T @ y
    # x_c - s >= 0  <=>  -x_c + s <= 0
    a_ub = np.hstack([-np.eye(n_cells), np.ones((n_cells, 1))])
    b_ub = np.zeros(n_cells)
    cost = np.zeros(n_cells + 1)
    cost[-1] = -1.0
    res = linprog(cost, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
    if res.status != 0:
        return False
    # the fiber is bounded by the total count, so a positive optimum is at least of order 1/cells
    return -res.fun > 1e-7


def check_model(n_lists: int, cell_counts: np.ndarray, params: tuple[int, ...]) -> int:
    """0 if the (extended) estimate exists and is identifiable; else NO_EXISTENCE | NOT_IDENTIFIABLE."""
    y = np.asarray(cell_counts, dtype=float)
    face = face_of(n_lists, params, nstar_of(n_lists, y, params))
    x = design(n_lists, face.est_params)[face.kept_cells]
    yk = y[face.kept_cells]
    status = OK
    if not is_full_rank(x):
        status |= NOT_IDENTIFIABLE
    if not (yk > 0).all() and not lp_exists(x, yk):
        status |= NO_EXISTENCE
    return status


def refusal(status: int, model_name: str) -> NotEstimableError:
    key = {
        NO_EXISTENCE: "not_estimable_existence",
        NOT_IDENTIFIABLE: "not_estimable_identifiability",
        NO_EXISTENCE | NOT_IDENTIFIABLE: "not_estimable_both",
    }[status]
    return NotEstimableError(message(key, model=model_name))
