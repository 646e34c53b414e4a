"""Choice lists kept per process: the terms and regions that list pages and forms draw on every request.

Every list page used to read the same reference rows (regions, violation types, perpetrator categories) at
each request: three queries and a few hundred model objects, the same for every user. They are now read
once per process and read again when their version changes:

- saving a term, an administrative unit or a boundary set bumps the version (signals), and so do
  `vocabularies load`, `places load`, `migrate` and the administrators' bulk actions (`bump()`);
- the process that made the change forgets its lists at once; every other process reads the version at
  most every `CHECK_SECONDS` (one small query), so it shows a renamed or deactivated term within that time.

Only reference data is kept: ids and labels that every user sees alike. Never records, never anything an
access rule reads. A chosen value is still looked up in the database when a form is validated, so a term
deactivated a moment ago cannot be saved through a stale list.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable

from django.db import connection, transaction
from django.db.models import F

CHECK_SECONDS = 5.0

_lists: dict[str, list] = {}
_seen: dict[str, object] = {"version": None, "at": float("-inf")}
_lock = threading.Lock()


def kept[T](key: str, read: Callable[[], Iterable[T]]) -> list[T]:
    """The list named `key`, read by `read()` the first time and after every change of version."""
    _check_version()
    try:
        return _lists[key]
    except KeyError:
        value = list(read())
        _lists[key] = value
        return value


def forget() -> None:
    """Drop this process's lists (they are read again at their next use)."""
    with _lock:
        _lists.clear()


def bump() -> None:
    """Say that reference lists changed: this process forgets them now, the others within CHECK_SECONDS.

    Inside a transaction the version moves when it commits, once however many rows it saved (a rolled-back
    transaction drops its pending callbacks, and with them the bump)."""
    forget()
    if any(pending is _write_bump for _ids, pending, _robust in connection.run_on_commit):
        return
    transaction.on_commit(_write_bump)


def changed(sender, **kwargs) -> None:
    """Receiver of the signals that say a term, a unit or a boundary set changed (apps.py)."""
    bump()


def migrated(sender, **kwargs) -> None:
    """Receiver of post_migrate: terms loaded by a data migration send no signal. A migration back to before
    the version's table existed has nothing to bump."""
    from .models import ChoicesVersion

    if ChoicesVersion._meta.db_table in connection.introspection.table_names():
        bump()
    else:
        forget()


def _write_bump() -> None:
    from .models import ChoicesVersion

    if not ChoicesVersion.objects.filter(pk=1).update(number=F("number") + 1):
        ChoicesVersion.objects.get_or_create(pk=1, defaults={"number": 1})
    forget()  # what was read during the transaction may predate its commit


def _check_version() -> None:
    now = time.monotonic()
    if now - _seen["at"] < CHECK_SECONDS:  # type: ignore[operator]
        return
    from .models import ChoicesVersion

    version = ChoicesVersion.objects.filter(pk=1).values_list("number", flat=True).first()
    with _lock:
        if version != _seen["version"]:
            _lists.clear()
            _seen["version"] = version
        _seen["at"] = now
