"""R's random numbers, so that a bootstrap can be checked draw for draw against the reference packages.

The published intervals of Chan, Silverman & Vincent (2021) and Silverman, Chan & Vincent (2024) come
from the R packages SparseMSE / MultipleSystemsEstimation with their default ``iseed = 1234``: the
bootstrap tables are ``rmultinom`` draws after ``set.seed(1234)``. A BCa end that falls on an extreme
bootstrap quantile (the stepwise lower ends sit at quantile probabilities of 1e-6 to 1e-4, i.e. the
smallest of 1000 replicates) moves by 8-15 % from one random stream to another, so those figures can only
be reproduced with the same stream. This module is that stream, written from the documented algorithms:

* ``set.seed(seed)`` with the default generator: the seed is scrambled by 50 steps of the linear
  congruential map ``s -> 69069 s + 1 (mod 2**32)``, and 625 further steps fill the Mersenne-Twister
  state (the first word is the position, which R resets to 624, so the first draw regenerates the state);
* ``unif_rand``: the tempered 32-bit output times ``2**-32``, kept inside (0, 1);
* ``rbinom``: inversion when ``n min(p, 1-p) < 30``, otherwise the BTPE algorithm of Kachitvichyanukul &
  Schmeiser (1988, Comm. ACM 31:216-222), as in R's nmath library;
* ``rmultinom``: the conditional-binomial method over the categories in their given order, the
  remaining probability mass kept in extended precision, categories of probability zero skipped
  without drawing.

It is checked against R 4.2 output in ``tests/analysis/test_estimation_rstream.py``. It is slower than
NumPy's generator (pure Python, a few microseconds a draw) and is used only when asked for
(``LoglinearConfig.rng = "r"``).
"""

from __future__ import annotations

import math

import numpy as np

_MASK32 = 0xFFFFFFFF
_I2_32M1 = 2.328306437080797e-10  # 1 / (2**32 - 1), R's fixup margin
_TWO_M32 = 2.3283064365386963e-10  # 2**-32


class RRandom:
    """R's default random number generator (Mersenne-Twister, Inversion) after ``set.seed(seed)``."""

    def __init__(self, seed: int) -> None:
        s = int(seed) & _MASK32
        for _ in range(50):
            s = (69069 * s + 1) & _MASK32
        words = []
        for _ in range(625):
            s = (69069 * s + 1) & _MASK32
            words.append(s)
        self._bits = np.random.MT19937(0)
        # words[0] is R's position slot, set to 624 by set.seed: regenerate before the first draw
        self._bits.state = {
            "bit_generator": "MT19937",
            "state": {"key": np.array(words[1:], dtype=np.uint32), "pos": 624},
        }
        self._buffer: list[int] = []
        self._next = 0

    def unif_rand(self) -> float:
        if self._next == len(self._buffer):
            self._buffer = self._bits.random_raw(2048).tolist()
            self._next = 0
        y = self._buffer[self._next]
        self._next += 1
        value = y * _TWO_M32
        if value <= 0.0:
            return 0.5 * _I2_32M1
        if 1.0 - value <= 0.0:
            return 1.0 - 0.5 * _I2_32M1
        return value

    def runif(self, size: int) -> np.ndarray:
        return np.array([self.unif_rand() for _ in range(size)])

    def rbinom(self, n: int, pp: float) -> int:
        if n == 0 or pp == 0.0:
            return 0
        if pp == 1.0:
            return n
        p = min(pp, 1.0 - pp)
        q = 1.0 - p
        np_ = n * p
        r = p / q
        g = r * (n + 1)
        if np_ < 30.0:
            ix = self._binom_inversion(n, q, r, g)
        else:
            ix = self._binom_btpe(n, p, q, np_, r, g)
        return n - ix if pp > 0.5 else ix

    def _binom_inversion(self, n: int, q: float, r: float, g: float) -> int:
        qn = q**n
        while True:
            ix = 0
            f = qn
            u = self.unif_rand()
            while True:
                if u < f:
                    return ix
                if ix > 110:
                    break
                u -= f
                ix += 1
                f *= g / ix - r

    def _binom_btpe(self, n: int, p: float, q: float, np_: float, r: float, g: float) -> int:
        fm = np_ + p
        m = int(fm)
        npq = np_ * q
        p1 = int(2.195 * math.sqrt(npq) - 4.6 * q) + 0.5
        xm = m + 0.5
        xl = xm - p1
        xr = xm + p1
        c = 0.134 + 20.5 / (15.3 + m)
        al = (fm - xl) / (fm - xl * p)
        xll = al * (1.0 + 0.5 * al)
        al = (xr - fm) / (xr * q)
        xlr = al * (1.0 + 0.5 * al)
        p2 = p1 * (1.0 + c + c)
        p3 = p2 + c / xll
        p4 = p3 + c / xlr
        while True:
            u = self.unif_rand() * p4
            v = self.unif_rand()
            if u <= p1:  # triangular region
                return int(xm - p1 * v + u)
            if u <= p2:  # parallelogram region
                x = xl + (u - p1) / c
                v = v * c + 1.0 - abs(xm - x) / p1
                if v > 1.0 or v <= 0.0:
                    continue
                ix = int(x)
            elif u > p3:  # right exponential tail
                ix = int(xr - math.log(v) / xlr)
                if ix > n:
                    continue
                v = v * (u - p3) * xlr
            else:  # left exponential tail
                ix = int(xl + math.log(v) / xll)
                if ix < 0:
                    continue
                v = v * (u - p2) * xll
            k = abs(ix - m)
            if k <= 20 or k >= npq / 2 - 1:
                # explicit evaluation of f(ix) / f(m)
                f = 1.0
                if m < ix:
                    for i in range(m + 1, ix + 1):
                        f *= g / i - r
                elif m > ix:
                    for i in range(ix + 1, m + 1):
                        f /= g / i - r
                if v <= f:
                    return ix
            else:
                # squeeze with bounds on log f, then Stirling's formula for the final test
                amaxp = (k / npq) * ((k * (k / 3.0 + 0.625) + 0.1666666666666) / npq + 0.5)
                ynorm = -k * k / (2.0 * npq)
                alv = math.log(v)
                if alv < ynorm - amaxp:
                    return ix
                if alv <= ynorm + amaxp:
                    x1 = ix + 1
                    f1 = fm + 1.0
                    z = n + 1 - fm
                    w = n - ix + 1.0
                    z2, x2, f2, w2 = z * z, x1 * x1, f1 * f1, w * w
                    bound = (
                        xm * math.log(f1 / x1)
                        + (n - m + 0.5) * math.log(z / w)
                        + (ix - m) * math.log(w * p / (x1 * q))
                        + _stirling_tail(f1, f2)
                        + _stirling_tail(z, z2)
                        + _stirling_tail(x1, x2)
                        + _stirling_tail(w, w2)
                    )
                    if alv <= bound:
                        return ix

    def rmultinom(self, size: int, prob: np.ndarray) -> np.ndarray:
        """One draw of R's ``rmultinom(1, size, prob)``; ``prob`` need not sum to one."""
        prob = np.asarray(prob, dtype=float)
        prob = prob / prob[prob > 0].sum()
        out = np.zeros(prob.size, dtype=np.int64)
        remaining = int(size)
        if remaining == 0:
            return out
        total = np.longdouble(0.0)
        for value in prob:
            total += np.longdouble(value)
        for k in range(prob.size - 1):
            if prob[k] > 0:
                pp = float(np.longdouble(prob[k]) / total)
                out[k] = self.rbinom(remaining, pp) if pp < 1.0 else remaining
                remaining -= int(out[k])
            if remaining <= 0:
                return out
            total -= np.longdouble(prob[k])
        out[-1] = remaining
        return out


def _stirling_tail(a: float, a2: float) -> float:
    return (13860.0 - (462.0 - (132.0 - (99.0 - 140.0 / a2) / a2) / a2) / a2) / a / 166320.0


def r_multinomial_samples(counts: np.ndarray, nboot: int, seed: int) -> np.ndarray:
    """``set.seed(seed); for (j in 1:nboot) rmultinom(1, sum(counts), counts)``, one row per sample."""
    counts = np.asarray(counts, dtype=np.int64)
    rng = RRandom(seed)
    size = int(counts.sum())
    return (
        np.stack([rng.rmultinom(size, counts) for _ in range(nboot)])
        if nboot
        else np.zeros((0, counts.size), dtype=np.int64)
    )


def tidy_order(n_lists: int) -> np.ndarray:
    """Capture histories (masks, bit ``j`` = list ``j``) in the row order of the reference packages'
    full table (``tidylists(..., includezerocounts = TRUE)``): by number of lists, then with the first
    list as the most significant position, ones first."""
    masks = np.arange(1, 2**n_lists)
    reversed_bits = np.array(
        [sum(((m >> j) & 1) << (n_lists - 1 - j) for j in range(n_lists)) for m in masks]
    )
    popcount = np.array([bin(m).count("1") for m in masks])
    return masks[np.lexsort((-reversed_bits, popcount))]
