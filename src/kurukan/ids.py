"""Stable public identifiers: random, short, unambiguous when read aloud or over a bad phone line."""

from __future__ import annotations

import secrets

# Crockford's base32: no I, L, O or U, so nothing is misread.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_public_id(prefix: str, length: int = 8) -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(length))
    return f"{prefix}-{body[:4]}-{body[4:]}"
