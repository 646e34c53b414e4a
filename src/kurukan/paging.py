"""How far a list may be paged, for pages and the API alike.

Unbounded, a page number or an offset past a 64-bit integer (a hand-edited address, a fuzzer, a crawler)
reached PostgreSQL as `OFFSET 8…` and came back as a server error (SQLite: an overflow); no register holds
a billion rows.
"""

from __future__ import annotations

MAX_OFFSET = 1_000_000_000


def page_number(raw: str | None, size: int) -> int:
    """The page a query string asks for: 1 when it is missing, not a number or below 1; never so far that its
    first row lies past MAX_OFFSET (such a page is simply empty)."""
    try:
        page = int(raw or "1")
    except ValueError:
        return 1
    return min(max(1, page), MAX_OFFSET // size + 1)
