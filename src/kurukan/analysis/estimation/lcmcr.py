"""LCMCR: Bayesian latent-class capture-recapture with a Dirichlet process mixture.

Manrique-Vallier, D. (2016). Bayesian population size estimation using Dirichlet process mixtures.
Biometrics 72(4):1246-1254; the sampler follows the LCMCR R package (``lcmCR``).

Model: each individual belongs to one of ``K`` latent classes (a truncated stick-breaking Dirichlet
process with concentration ``alpha ~ Gamma(a_alpha, b_alpha)``); within class ``k`` the lists capture
independently with probabilities ``lambda_jk ~ Beta(1, 1)``. Mixing classes models heterogeneous capture
and the dependence between lists it induces; it does not model direct list-to-list dependence within a
class (one list referring cases to another). The population is closed. The prior on the unobserved count
is the improper ``p(n0 | n) ∝ n / (n0 + n)`` of the package, which makes the posterior of ``N`` what
one gets from the conditional (truncated) likelihood.

Gibbs sampler, one sweep: class counts of every observed capture pattern (multinomial, so the data stay
aggregated by pattern); ``lambda`` (Beta); the stick-breaking weights (on the log scale, stable for
tiny weights); the unobserved count ``n0 ~ NegBin(n, 1 - P(unseen))``; the classes of the unobserved;
``alpha``. Several chains run side by side as one batch of arrays.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
from scipy.stats import norm

from .messages import message
from .result import EstimateResult, LcmcrConfig
from .table import CaptureTable

WARMUP = 500


def _log_gamma_draw(rng: np.random.Generator, shape: np.ndarray) -> np.ndarray:
    # log of a Gamma(shape) draw that stays finite for shapes near 0: G(s) = G(s + 1) * U**(1/s)
    return np.log(rng.standard_gamma(shape + 1.0)) + np.log(rng.random(shape.shape)) / shape


def run_chains(table: CaptureTable, config: LcmcrConfig) -> np.ndarray:
    """Posterior draws of the total N, shape (chains, samples)."""
    rng = np.random.default_rng(config.seed)
    observed = table.cell_counts > 0
    x = table.histories[observed].astype(float)  # patterns × lists
    freq = table.cell_counts[observed].astype(np.int64)
    n = int(freq.sum())
    c, j, k = config.chains, table.n_lists, config.classes
    notx = 1.0 - x

    lam = np.broadcast_to((x * freq[:, None]).sum(0)[None, :, None] / n, (c, j, k)).copy()
    lam = np.clip(lam, 1e-6, 1 - 1e-6)
    if k > 4:
        nu = np.r_[np.full(4, 0.25 * 0.9), np.full(k - 4, 0.1 / (k - 4))]
    else:
        nu = np.full(k, 1.0 / k)
    log_nu = np.broadcast_to(np.log(nu), (c, k)).copy()
    alpha = np.full(c, 0.3 / k)
    n0 = np.zeros(c, dtype=np.int64)
    count0 = np.zeros((c, k), dtype=np.int64)
    freq_b = np.broadcast_to(freq, (c, freq.size))

    def sweep(update_alpha: bool) -> None:
        nonlocal lam, log_nu, alpha, n0, count0
        log_lam, log_1m = np.log(lam), np.log1p(-lam)
        # class membership of the observed, aggregated by capture pattern
        logp = (
            log_nu[:, None, :] + np.einsum("mj,cjk->cmk", x, log_lam) + np.einsum("mj,cjk->cmk", notx, log_1m)
        )
        p = np.exp(logp - logp.max(axis=2, keepdims=True))
        p /= p.sum(axis=2, keepdims=True)
        z = rng.multinomial(freq_b, p)  # c × m × k
        # capture probabilities within classes; the unobserved are on no list
        on = np.einsum("mj,cmk->cjk", x, z)
        off = np.einsum("mj,cmk->cjk", notx, z) + count0[:, None, :]
        lam = np.clip(rng.beta(1.0 + on, 1.0 + off), 1e-12, 1 - 1e-12)
        # stick-breaking weights
        count_k = z.sum(axis=1) + count0
        total = (n0 + n)[:, None]
        rest = total - np.cumsum(count_k, axis=1)
        a = 1.0 + count_k[:, :-1]
        b = alpha[:, None] + rest[:, :-1]
        lg1, lg2 = _log_gamma_draw(rng, a), _log_gamma_draw(rng, b)
        lse = np.logaddexp(lg1, lg2)
        log_v, log_1mv = lg1 - lse, lg2 - lse
        acc = np.concatenate([np.zeros((c, 1)), np.cumsum(log_1mv, axis=1)], axis=1)
        log_nu = np.concatenate([log_v + acc[:, :-1], acc[:, -1:]], axis=1)
        # the unobserved: how many, and in which classes
        log_unseen = log_nu + np.log1p(-lam).sum(axis=1)
        p_unseen = np.exp(log_unseen)
        p0 = np.clip(p_unseen.sum(axis=1), 0.0, 1 - 1e-12)
        n0 = rng.negative_binomial(n, 1.0 - p0)
        count0 = rng.multinomial(n0, p_unseen / p_unseen.sum(axis=1, keepdims=True))
        if update_alpha:
            alpha = rng.gamma(config.a_alpha + k - 1.0, 1.0 / (config.b_alpha - log_nu[:, -1]))

    for _ in range(WARMUP):
        sweep(update_alpha=False)
    for _ in range(config.burnin):
        sweep(update_alpha=True)
    draws = np.empty((c, config.samples), dtype=np.int64)
    for s in range(config.samples):
        for _ in range(config.thin):
            sweep(update_alpha=True)
        draws[:, s] = n0 + n
    return draws


def _rank_normal(draws: np.ndarray) -> np.ndarray:
    # the total has a long right tail; ranks keep a few huge draws from swamping the diagnostics
    # (Vehtari, Gelman, Simpson, Carpenter & Bürkner 2021, Bayesian Analysis 16:667-718)
    flat = draws.reshape(-1).astype(float)
    ranks = np.empty(flat.size)
    order = np.argsort(flat, kind="mergesort")
    ranks[order] = np.arange(1, flat.size + 1)
    # ties share their average rank
    _, inverse, counts = np.unique(flat, return_inverse=True, return_counts=True)
    sums = np.bincount(inverse, weights=ranks)
    ranks = (sums / counts)[inverse]
    return norm.ppf((ranks - 0.375) / (flat.size + 0.25)).reshape(draws.shape)


def split_rhat(draws: np.ndarray) -> float:
    """Rank-normalised split R-hat of draws shaped (chains, samples) (Vehtari et al. 2021)."""
    half = draws.shape[1] // 2
    if half < 2:
        return math.nan
    draws = _rank_normal(draws[:, : 2 * half])
    chains = np.concatenate([draws[:, :half], draws[:, half : 2 * half]]).astype(float)
    m, n = chains.shape
    within = chains.var(axis=1, ddof=1).mean()
    between = n * chains.mean(axis=1).var(ddof=1)
    if within == 0:
        return 1.0
    var_plus = (n - 1) / n * within + between / n
    return float(math.sqrt(var_plus / within))


def effective_sample_size(draws: np.ndarray) -> float:
    """Rank-normalised (bulk) multi-chain ESS with Geyer's initial positive sequence (BDA3 11.5)."""
    chains = _rank_normal(draws)
    m, n = chains.shape
    if n < 4:
        return math.nan
    centred = chains - chains.mean(axis=1, keepdims=True)
    size = 1 << (2 * n - 1).bit_length()
    spec = np.fft.rfft(centred, size, axis=1)
    acov = np.fft.irfft(spec * np.conj(spec), size, axis=1)[:, :n] / n
    within = chains.var(axis=1, ddof=1).mean()
    var_plus = within * (n - 1) / n + (chains.mean(axis=1).var(ddof=1) if m > 1 else 0.0)
    if var_plus == 0:
        return float(m * n)
    rho = 1.0 - (within - acov.mean(axis=0)) / var_plus
    rho[0] = 1.0
    total = 0.0
    for t in range(0, n - 1, 2):
        pair = rho[t] + rho[t + 1]
        if pair < 0:
            break
        total += pair
    tau = -1.0 + 2.0 * total
    return float(min(m * n / max(tau, 1e-12), m * n * math.log10(m * n)))


def estimate_lcmcr(
    table: CaptureTable, config: LcmcrConfig | None = None, **overrides: object
) -> EstimateResult:
    """Posterior median and equal-tailed credible interval of the total under LCMCR.

    Keyword overrides are fields of ``LcmcrConfig``: ``estimate_lcmcr(t, classes=10, seed=1)``.
    """
    config = replace(config or LcmcrConfig(), **overrides)  # type: ignore[arg-type]
    if not 0 < config.level < 1:
        raise ValueError(message("bad_level", value=config.level))
    for name in ("classes", "samples", "chains", "thin"):
        value = getattr(config, name)
        if not isinstance(value, int) or value < 1:
            raise ValueError(message("bad_positive", name=name, value=value))
    draws = run_chains(table, config)
    pooled = draws.reshape(-1)
    tail = (1 - config.level) / 2
    low, median, high = np.quantile(pooled, [tail, 0.5, 1 - tail])
    rhat = split_rhat(draws) if config.chains > 1 else math.nan
    ess = effective_sample_size(draws)
    warnings = []
    if np.isfinite(rhat) and rhat > 1.05:
        warnings.append(message("rhat_high", rhat=rhat))
    if np.isfinite(ess) and ess < 400:
        warnings.append(message("ess_low", ess=ess))
    return EstimateResult(
        observed=table.observed,
        estimate=float(median),
        ci_low=float(low),
        ci_high=float(high),
        ci_level=config.level,
        method="lcmcr",
        model=f"latent-class mixture, up to {config.classes} classes (Dirichlet process)",
        diagnostics={
            "posterior_mean": float(pooled.mean()),
            "split_rhat": rhat,
            "effective_sample_size": ess,
            "chains": config.chains,
            "burnin": config.burnin,
            "samples_per_chain": config.samples,
            "thin": config.thin,
            "classes": config.classes,
            "a_alpha": config.a_alpha,
            "b_alpha": config.b_alpha,
            "seed": config.seed,
        },
        warnings=warnings,
        draws=pooled.astype(float),
    )
