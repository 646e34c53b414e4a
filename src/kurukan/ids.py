"""Stable public identifiers: random, short, unambiguous when read aloud or over a bad phone line."""

from __future__ import annotations

import secrets

# Crockford's base32: no I, L, O or U, so nothing is misread.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_public_id(prefix: str, length: int = 8) -> str:
    # One draw of 5 bits per symbol: the bulk writer makes millions of these.
    n = secrets.randbits(5 * length)
    body = "".join(ALPHABET[(n >> (5 * i)) & 31] for i in range(length - 1, -1, -1))
    return f"{prefix}-{body[:4]}-{body[4:]}"
