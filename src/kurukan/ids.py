"""Stable public identifiers: random, short, unambiguous when read aloud or over a bad phone line."""

from __future__ import annotations

import os
import secrets

# Crockford's base32: no I, L, O or U, so nothing is misread.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
# Two symbols for every 10 bits: four look-ups make the 8 symbols of an id.
_PAIRS = [a + b for a in ALPHABET for b in ALPHABET]


def _format(prefix: str, n: int) -> str:
    pairs = _PAIRS
    return f"{prefix}-{pairs[n >> 30]}{pairs[(n >> 20) & 1023]}-{pairs[(n >> 10) & 1023]}{pairs[n & 1023]}"


def new_public_id(prefix: str) -> str:
    """PREFIX-XXXX-XXXX: 40 random bits, 5 bits per symbol, most significant first."""
    return _format(prefix, secrets.randbits(40))


def new_public_ids(prefix: str, count: int) -> list[str]:
    """`count` ids at once, from one read of the system's random source (the bulk writer's millions of
    ids spent more time asking for randomness, one system call each, than making the ids)."""
    pool = os.urandom(5 * count)
    return [_format(prefix, int.from_bytes(pool[i : i + 5])) for i in range(0, 5 * count, 5)]
