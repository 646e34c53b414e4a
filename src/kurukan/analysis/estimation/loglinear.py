"""Hierarchical log-linear Poisson models for capture-history tables, and how one of them is chosen.

Model: the count of cases with capture history ``h`` is Poisson with ``log mu_h = sum of alpha_T over the
terms T included in h`` (intercept, one main effect per list, interaction terms). The estimate of the
unobserved cell is ``exp(intercept)``; the total is the observed count plus that.

Assumptions: a closed population (nobody enters or leaves during the collection); capture probabilities
may differ between lists and individuals, but only in ways the interaction terms describe (list
dependence through the chosen interactions; heterogeneity only insofar as it shows up as such
dependence); and — the untestable one — no highest-order interaction: the lists are as dependent among
the unseen as the model says they are among the seen.

Model choice (one of):

* ``main``: main effects only — the lists are independent (the classical Lincoln-Petersen with two lists).
* ``stepwise``: Chan, Silverman & Vincent (2021, JASA 116:1297-1306, section 3.2; R package SparseMSE,
  ``stepwisefit``). Starting from main effects, add the two-list interaction with the smallest Poisson
  p-value of the observed overlap under the current fit, if below ``pthresh`` (0.02) and if the enlarged
  model passes the existence/identifiability check.
* ``bic`` / ``aic``: minimise the criterion over all hierarchical models up to ``maxorder`` that pass the
  check (Silverman, Chan & Vincent 2024, Statistics and Computing 34:44, section 2; R package
  MultipleSystemsEstimation). Parameters at minus infinity still count in the penalty, BIC uses the number
  of observed cases. When there are too many models to fit them all, a downhill search from the
  main-effects model is used instead (same paper, section 5.2).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations

import numpy as np
from scipy.special import gammaln, pdtr, pdtrc

from .identifiability import (
    OK,
    NotEstimableError,
    check_model,
    design,
    face_of,
    is_full_rank,
    lp_exists,
    nstar_of,
    refusal,
)
from .messages import message

MAX_EXHAUSTIVE_MODELS = 5000
# |coefficient| beyond this on a converged fit is treated as a sign of an estimate running off to
# infinity and sent to the exact linear-programming check (a genuine log-linear effect of e**12 is absurd)
MAX_SANE_COEF = 12.0


@dataclass(frozen=True, order=True)
class Model:
    """A hierarchical model: intercept and main effects always, plus ``terms`` (masks of 2+ lists)."""

    terms: tuple[int, ...] = ()

    def params(self, n_lists: int) -> tuple[int, ...]:
        return (0, *(1 << j for j in range(n_lists)), *self.terms)

    def n_params(self, n_lists: int) -> int:
        return 1 + n_lists + len(self.terms)

    @property
    def max_order(self) -> int:
        return max((bin(t).count("1") for t in self.terms), default=1)

    def with_term(self, term: int) -> Model:
        return Model(tuple(sorted({*self.terms, term}, key=_term_key)))

    def without_term(self, term: int) -> Model:
        return Model(tuple(t for t in self.terms if t != term))

    def describe(self, lists: Sequence[str]) -> str:
        if not self.terms:
            return "main effects only (independent lists)"
        return "main effects + " + " + ".join(term_name(t, lists) for t in self.terms)

    def term_names(self, lists: Sequence[str]) -> list[str]:
        return [term_name(t, lists) for t in self.terms]

    @classmethod
    def parse(cls, text: str, lists: Sequence[str]) -> Model:
        """``"A:B, B:C"`` (or ``"main"``) to a model; sub-terms of higher-order terms are added."""
        index = {name: j for j, name in enumerate(lists)}
        terms: set[int] = set()
        for part in text.replace("+", ",").split(","):
            part = part.strip()
            if not part or part.lower() in ("main", "main effects"):
                continue
            mask = 0
            for name in part.split(":"):
                if name.strip() not in index:
                    raise ValueError(f"unknown list '{name.strip()}' in model term '{part}'")
                mask |= 1 << index[name.strip()]
            if bin(mask).count("1") >= 2:
                terms.update(_sub_terms(mask))
        return cls(tuple(sorted(terms, key=_term_key)))


def term_name(term: int, lists: Sequence[str]) -> str:
    return ":".join(name for j, name in enumerate(lists) if term >> j & 1)


def _term_key(term: int) -> tuple[int, int]:
    return (bin(term).count("1"), term)


def _sub_terms(mask: int) -> set[int]:
    bits = [1 << j for j in range(mask.bit_length()) if mask >> j & 1]
    return {sum(c) for k in range(2, len(bits) + 1) for c in combinations(bits, k)}


# enumeration ------------------------------------------------------------------------------------------


def default_maxorder(n_lists: int) -> int:
    # as in MultipleSystemsEstimation::estimate_population_bic
    return {3: 2, 4: 3, 5: 3, 6: 2}.get(n_lists, 2)


def candidate_terms(n_lists: int, maxorder: int) -> list[int]:
    top = min(maxorder, n_lists - 1)
    return sorted(
        (sum(1 << j for j in c) for k in range(2, top + 1) for c in combinations(range(n_lists), k)),
        key=_term_key,
    )


def count_models(n_lists: int, maxorder: int, limit: int = MAX_EXHAUSTIVE_MODELS) -> int:
    """Number of hierarchical models, counting no further than ``limit + 1``."""
    count = 0
    for _ in _iter_models(n_lists, maxorder):
        count += 1
        if count > limit:
            break
    return count


def all_models(n_lists: int, maxorder: int) -> list[Model]:
    return list(_iter_models(n_lists, maxorder))


def _iter_models(n_lists: int, maxorder: int) -> Iterable[Model]:
    terms = candidate_terms(n_lists, maxorder)
    subs = {t: [t & ~(1 << j) for j in range(n_lists) if t >> j & 1] for t in terms}

    def grow(i: int, chosen: tuple[int, ...], chosen_set: frozenset[int]) -> Iterable[Model]:
        if i == len(terms):
            yield Model(chosen)
            return
        t = terms[i]
        yield from grow(i + 1, chosen, chosen_set)
        # hierarchy: a term may enter only when all its (order - 1) sub-terms are in
        if bin(t).count("1") == 2 or all(s in chosen_set for s in subs[t]):
            yield from grow(i + 1, (*chosen, t), chosen_set | {t})

    yield from grow(0, (), frozenset())


# fitting ----------------------------------------------------------------------------------------------


@dataclass
class Fit:
    model: Model
    abundance: float
    dark: float
    loglik: float
    bic: float
    aic: float
    fitted: np.ndarray  # over cells 1 … 2**t - 1 (zero on cells fixed at zero)
    neg_inf: tuple[int, ...]
    converged: bool
    dark_se_log: float = math.nan
    extra: dict = field(default_factory=dict)

    def criterion(self, name: str) -> float:
        return self.aic if name == "aic" else self.bic


def _irls(x: np.ndarray, y: np.ndarray, max_iter: int = 100, tol: float = 1e-11) -> tuple[np.ndarray, bool]:
    mu = y + 0.5
    eta = np.log(mu)
    dev_old = math.inf
    beta = np.zeros(x.shape[1])
    for _ in range(max_iter):
        z = eta + (y - mu) / mu
        xw = x * mu[:, None]
        try:
            beta = np.linalg.solve(xw.T @ x, xw.T @ z)
        except np.linalg.LinAlgError:
            return beta, False
        eta = np.clip(x @ beta, -700, 700)
        mu = np.exp(eta)
        dev = 2 * np.sum(np.where(y > 0, y * np.log(np.where(y > 0, y, 1) / mu), 0) - (y - mu))
        if abs(dev - dev_old) < tol * (abs(dev) + 0.1):
            return beta, True
        dev_old = dev
    return beta, False


def fit_model(n_lists: int, cell_counts: np.ndarray, model: Model) -> Fit:
    """Maximum likelihood fit on the face left after fixing zero-margin parameters at minus infinity."""
    y = np.asarray(cell_counts, dtype=float)
    params = model.params(n_lists)
    face = face_of(n_lists, params, nstar_of(n_lists, y, params))
    x = design(n_lists, face.est_params)[face.kept_cells]
    yk = y[face.kept_cells]
    beta, converged = _irls(x, yk)
    mu = np.exp(np.clip(x @ beta, -700, 700))
    fitted = np.zeros_like(y)
    fitted[face.kept_cells] = mu
    loglik = float(np.sum(yk * np.log(np.maximum(mu, 1e-300)) - mu - gammaln(yk + 1)))
    n_obs = y.sum()
    k = len(params)
    dark = float(np.exp(beta[0]))
    try:
        cov = np.linalg.inv((x * mu[:, None]).T @ x)
        se = float(np.sqrt(max(cov[0, 0], 0.0)))
    except np.linalg.LinAlgError:
        se = math.nan
    return Fit(
        model=model,
        abundance=float(n_obs + dark),
        dark=dark,
        loglik=loglik,
        bic=k * math.log(n_obs) - 2 * loglik,
        aic=2 * k - 2 * loglik,
        fitted=fitted,
        neg_inf=face.neg_inf,
        converged=converged,
        dark_se_log=se,
        extra={"beta": beta},
    )


def fit_checked(n_lists: int, cell_counts: np.ndarray, model: Model, exact: bool = False) -> Fit | None:
    """Fit, or None when the estimate does not exist or is not identifiable for these counts.

    With ``exact`` the linear program decides whenever a kept cell is empty. Otherwise a fit that
    converged with every fitted value clearly positive is taken as proof of existence (when the estimate
    does not exist the likelihood keeps rising towards a boundary where some fitted value is zero, so such
    a fit cannot converge there); only doubtful fits go to the linear program.
    """
    y = np.asarray(cell_counts, dtype=float)
    if exact:
        if check_model(n_lists, y, model.params(n_lists)) != OK:
            return None
        return fit_model(n_lists, y, model)
    params = model.params(n_lists)
    face = face_of(n_lists, params, nstar_of(n_lists, y, params))
    x = design(n_lists, face.est_params)[face.kept_cells]
    if not is_full_rank(x):
        return None
    fit = fit_model(n_lists, y, model)
    yk = y[face.kept_cells]
    if (yk > 0).all():
        return fit
    if fit.converged and np.abs(fit.extra["beta"][1:]).max(initial=0.0) < MAX_SANE_COEF:
        return fit
    return fit if lp_exists(x, yk) else None


def fit_batch(
    n_lists: int, y_batch: np.ndarray, model: Model, criterion: str = "bic"
) -> tuple[np.ndarray, np.ndarray]:
    """Fit one model to many count vectors at once (bootstrap or jackknife samples).

    Returns (abundance, criterion value), NaN where the estimate does not exist or is not identifiable.
    Samples are grouped by which parameters sit at minus infinity, so each group shares one design.
    """
    y_batch = np.asarray(y_batch, dtype=float)
    b = y_batch.shape[0]
    params = model.params(n_lists)
    x_all = design(n_lists, params)
    nstar = y_batch @ x_all
    zero = nstar == 0
    zero[:, 0] = False
    abundance = np.full(b, np.nan)
    crit = np.full(b, np.nan)
    n_obs = y_batch.sum(axis=1)
    k = len(params)
    patterns, inverse = np.unique(zero, axis=0, return_inverse=True)
    inverse = np.asarray(inverse).reshape(-1)
    cells = np.arange(1, 2**n_lists)
    for g, pattern in enumerate(patterns):
        rows = np.flatnonzero(inverse == g)
        kept = np.ones(cells.shape, dtype=bool)
        for p, is_zero in zip(params, pattern, strict=True):
            if is_zero:
                kept &= (cells & p) != p
        est = [i for i, is_zero in enumerate(pattern) if not is_zero]
        x = x_all[kept][:, est]
        if not is_full_rank(x):
            continue
        y = y_batch[rows][:, kept]
        beta, mu, converged = _irls_batch(x, y)
        ll = np.sum(y * np.log(np.maximum(mu, 1e-300)) - mu - gammaln(y + 1), axis=1)
        ok = np.ones(len(rows), dtype=bool)
        sane = np.abs(beta[:, 1:]).max(axis=1, initial=0.0) < MAX_SANE_COEF
        doubtful = ~((y > 0).all(axis=1) | (converged & sane))
        for i in np.flatnonzero(doubtful):
            ok[i] = _lp_cached(x.tobytes(), x.shape, tuple(y[i]))
        penalty = k * np.log(n_obs[rows]) if criterion == "bic" else 2.0 * k
        abundance[rows[ok]] = n_obs[rows[ok]] + np.exp(beta[ok, 0])
        crit[rows[ok]] = (penalty - 2 * ll)[ok]
    return abundance, crit


_LP_CACHE: dict[tuple, bool] = {}


def _lp_cached(x_bytes: bytes, shape: tuple[int, int], y: tuple[float, ...]) -> bool:
    # the answer depends only on which kept cells are empty, not on the counts themselves
    key = (x_bytes, shape, tuple(v > 0 for v in y))
    if key not in _LP_CACHE:
        if len(_LP_CACHE) > 100_000:
            _LP_CACHE.clear()
        x = np.frombuffer(x_bytes).reshape(shape)
        _LP_CACHE[key] = lp_exists(x, np.asarray(y))
    return _LP_CACHE[key]


def _irls_batch(x: np.ndarray, y: np.ndarray, max_iter: int = 100, tol: float = 1e-11):
    b = y.shape[0]
    mu = y + 0.5
    eta = np.log(mu)
    beta = np.zeros((b, x.shape[1]))
    dev_old = np.full(b, np.inf)
    converged = np.zeros(b, dtype=bool)
    active = np.ones(b, dtype=bool)
    safe_y = np.where(y > 0, y, 1.0)
    for _ in range(max_iter):
        idx = np.flatnonzero(active)
        if idx.size == 0:
            break
        m, e, yy = mu[idx], eta[idx], y[idx]
        z = e + (yy - m) / m
        xw = x[None, :, :] * m[:, :, None]
        lhs = np.einsum("bcp,cq->bpq", xw, x)
        rhs = np.einsum("bcp,bc->bp", xw, z)
        try:
            new_beta = np.linalg.solve(lhs, rhs[..., None])[..., 0]
        except np.linalg.LinAlgError:
            new_beta = np.stack([np.linalg.lstsq(lhs[i], rhs[i], rcond=None)[0] for i in range(idx.size)])
        broken = ~np.all(np.isfinite(new_beta), axis=1)
        if broken.any():
            # a singular step: stop those samples unconverged, the existence check decides
            active[idx[broken]] = False
            idx, new_beta, yy = idx[~broken], new_beta[~broken], yy[~broken]
        beta[idx] = new_beta
        eta[idx] = np.clip(new_beta @ x.T, -700, 700)
        mu[idx] = np.exp(eta[idx])
        dev = 2 * np.sum(np.where(yy > 0, yy * np.log(safe_y[idx] / mu[idx]), 0) - (yy - mu[idx]), axis=1)
        done = np.abs(dev - dev_old[idx]) < tol * (np.abs(dev) + 0.1)
        dev_old[idx] = dev
        converged[idx[done]] = True
        active[idx[done]] = False
    return beta, mu, converged


# model selection --------------------------------------------------------------------------------------


@dataclass
class Selection:
    """The chosen fit and, for criterion searches, the admissible models ranked on the original data."""

    fit: Fit
    ranked: list[tuple[Model, float, float]] = field(default_factory=list)  # (model, abundance, criterion)
    search: str = "exhaustive"


def select_main(n_lists: int, cell_counts: np.ndarray, exact: bool = True) -> Selection | None:
    fit = fit_checked(n_lists, cell_counts, Model(), exact=exact)
    return None if fit is None else Selection(fit, search="fixed")


def select_fixed(n_lists: int, cell_counts: np.ndarray, model: Model, exact: bool = True) -> Selection | None:
    fit = fit_checked(n_lists, cell_counts, model, exact=exact)
    return None if fit is None else Selection(fit, search="fixed")


@lru_cache(maxsize=16)
def _pair_list(n_lists: int) -> tuple[int, ...]:
    # SparseMSE's order: (1,2), (1,3), …, (1,t), (2,3), … — it breaks p-value ties
    return tuple((1 << i) | (1 << j) for i in range(n_lists - 1) for j in range(i + 1, n_lists))


def select_stepwise(
    n_lists: int, cell_counts: np.ndarray, pthresh: float = 0.02, exact: bool = True
) -> Selection | None:
    """Forward stepwise selection of two-list interactions by Poisson p-value (Chan et al. 2021, 3.2)."""
    y = np.asarray(cell_counts, dtype=float)
    fit = fit_checked(n_lists, y, Model(), exact=exact)
    if fit is None:
        return None
    pairs = _pair_list(n_lists)
    cells = np.arange(1, 2**n_lists)
    on_pair = np.stack([(cells & p) == p for p in pairs])  # pairs × cells
    nstar = on_pair @ y
    included = np.zeros(len(pairs), dtype=bool)
    while not included.all():
        expected = on_pair @ fit.fitted
        # two-sided: P(X <= n*) or P(X >= n*), whichever is smaller, X ~ Poisson(expected overlap)
        upper = np.where(nstar > 0, pdtrc(np.maximum(nstar - 1, 0), expected), 1.0)
        pval = np.minimum(pdtr(nstar, expected), upper)
        pval[included] = 1.0
        order = sorted((p, i) for i, p in enumerate(pval) if p < pthresh)
        chosen = None
        for _, i in order:
            candidate = fit.model.with_term(pairs[i])
            # the check is what SparseMSE applies to every candidate; only those below pthresh matter
            trial = fit_checked(n_lists, y, candidate, exact=exact)
            if trial is not None:
                chosen = (i, trial)
                break
        if chosen is None:
            break
        included[chosen[0]] = True
        fit = chosen[1]
    return Selection(fit, search="stepwise")


def rank_models(
    n_lists: int, cell_counts: np.ndarray, models: Iterable[Model], criterion: str = "bic", exact: bool = True
) -> list[tuple[Model, Fit]]:
    out = []
    for model in models:
        fit = fit_checked(n_lists, cell_counts, model, exact=exact)
        if fit is not None and np.isfinite(fit.criterion(criterion)):
            out.append((model, fit))
    out.sort(key=lambda mf: mf[1].criterion(criterion))
    return out


def select_criterion(
    n_lists: int,
    cell_counts: np.ndarray,
    criterion: str = "bic",
    maxorder: int | None = None,
    exact: bool = False,
) -> Selection | None:
    # screened checks (exact LP only for doubtful fits) keep 1000+ candidate models to seconds
    maxorder = default_maxorder(n_lists) if maxorder is None else maxorder
    if count_models(n_lists, maxorder) > MAX_EXHAUSTIVE_MODELS:
        return select_downhill(n_lists, cell_counts, criterion, maxorder, exact=exact)
    ranked = rank_models(n_lists, cell_counts, all_models(n_lists, maxorder), criterion, exact)
    if not ranked:
        return None
    return Selection(
        ranked[0][1], [(m, f.abundance, f.criterion(criterion)) for m, f in ranked], search="exhaustive"
    )


def _neighbours(model: Model, n_lists: int, maxorder: int) -> list[Model]:
    present = set(model.terms)
    out = []
    for t in candidate_terms(n_lists, maxorder):
        if t in present:
            # removable only if no higher term in the model contains it
            if not any(u != t and (u & t) == t for u in present):
                out.append(model.without_term(t))
        elif bin(t).count("1") == 2 or all((t & ~(1 << j)) in present for j in range(n_lists) if t >> j & 1):
            out.append(model.with_term(t))
    return out


def select_downhill(
    n_lists: int, cell_counts: np.ndarray, criterion: str = "bic", maxorder: int = 2, exact: bool = True
) -> Selection | None:
    """Greedy descent of the criterion from main effects (Silverman, Chan & Vincent 2024, section 5.2)."""
    y = np.asarray(cell_counts, dtype=float)
    current = fit_checked(n_lists, y, Model(), exact=exact)
    if current is None:
        return None
    seen: dict[Model, Fit | None] = {current.model: current}
    while True:
        best = current
        for nb in _neighbours(current.model, n_lists, maxorder):
            if nb not in seen:
                seen[nb] = fit_checked(n_lists, y, nb, exact=exact)
            f = seen[nb]
            if f is not None and f.criterion(criterion) < best.criterion(criterion):
                best = f
        if best is current:
            break
        current = best
    return Selection(current, search="downhill")


def refuse_if_not_estimable(
    n_lists: int, cell_counts: np.ndarray, model: Model, lists: Sequence[str]
) -> None:
    status = check_model(n_lists, np.asarray(cell_counts, dtype=float), model.params(n_lists))
    if status != OK:
        raise refusal(status, model.describe(lists))


def refuse_no_model() -> NotEstimableError:
    return NotEstimableError(message("no_admissible_model"))
