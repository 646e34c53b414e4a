"""The rules of a school's status history, on plain values (no database), so they are tested by hand.

A history is a list of dated entries. An entry is *decisive* when its status says whether the school runs
(open, reopened: it runs; closed, occupied, destroyed: it does not); a "damaged" entry is not decisive. On a
given day the school is in the state of its latest decisive entry begun by then.

An entry is refused, with a message naming the entry it contradicts, when
- another entry of the same school has the same date and the same status, or both are decisive (two states
  on one day);
- it reopens a school that was not closed, or the school's next entry reopens it although the new entry says
  it runs;
- it repeats the state already in force (closed again while closed with the same status, open while open),
  or the next entry repeats it: the school's closure would overlap itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _

REOPENED = "reopened"


@dataclass(frozen=True)
class Entry:
    id: int | None
    starts_on: dt.date
    status: str  # a school_status code
    closed: bool | None  # None: not decisive
    label: str = ""  # the status as the reader says it
    organisation: str = ""

    @property
    def decisive(self) -> bool:
        return self.closed is not None

    def describe(self) -> str:
        return _("l'entrée n° %(id)s « %(status)s » du %(date)s (%(org)s)") % {
            "id": self.id,
            "status": self.label or self.status,
            "date": date_format(self.starts_on, "SHORT_DATE_FORMAT"),
            "org": self.organisation,
        }


@dataclass(frozen=True)
class Period:
    """A closure: from the first closing entry to the next entry that opens the school (None: still closed)."""

    start: dt.date
    end: dt.date | None
    entries: tuple[Entry, ...]

    def days(self, today: dt.date) -> int:
        return ((self.end or today) - self.start).days


def _ordered(entries: Iterable[Entry]) -> list[Entry]:
    return sorted(entries, key=lambda e: (e.starts_on, e.id or 0))


def _follow(previous: Entry | None, entry: Entry) -> str | None:
    """Why `entry` cannot follow `previous` (both decisive), or None."""
    if entry.status == REOPENED and (previous is None or not previous.closed):
        if previous is None:
            return _("Rien n'est à rouvrir : aucune fermeture n'est enregistrée avant le %(date)s.") % {
                "date": date_format(entry.starts_on, "SHORT_DATE_FORMAT")
            }
        return _("Elle contredit %(entry)s : l'école n'était pas fermée, elle ne peut pas être rouverte.") % {
            "entry": previous.describe()
        }
    if previous is None:
        return None
    if previous.closed and entry.closed and previous.status == entry.status:
        return _("Elle chevauche %(entry)s : l'école est déjà « %(status)s » depuis cette date.") % {
            "entry": previous.describe(),
            "status": previous.label or previous.status,
        }
    if not previous.closed and not entry.closed:
        return _("Elle chevauche %(entry)s : l'école fonctionne déjà depuis cette date.") % {
            "entry": previous.describe()
        }
    return None


def problem_with(history: Sequence[Entry], new: Entry) -> str | None:
    """Why `new` may not join `history`, in words that name the entry it contradicts, or None."""
    for entry in history:
        same_day = entry.starts_on == new.starts_on
        if same_day and (entry.status == new.status or (entry.decisive and new.decisive)):
            return _(
                "Une entrée existe déjà à cette date : %(entry)s. Complétez ou corrigez-la plutôt que "
                "d'en ajouter une autre."
            ) % {"entry": entry.describe()}
    if not new.decisive:
        return None
    decisive = [e for e in _ordered(history) if e.decisive]
    before = [e for e in decisive if e.starts_on < new.starts_on]
    after = [e for e in decisive if e.starts_on > new.starts_on]
    problem = _follow(before[-1] if before else None, new)
    if problem:
        return problem
    if after:
        following = _follow(new, after[0])
        if following:
            return _("Elle rendrait incohérente %(entry)s, enregistrée après : %(why)s") % {
                "entry": after[0].describe(),
                "why": following,
            }
    return None


def restates(history: Sequence[Entry], new: Entry) -> bool:
    """True when `new` says nothing the history does not: the same entry, or the state already in force.

    An education-cluster list read again each month says "closed since D" for the same school: that is
    "unchanged", not a new closure."""
    for entry in history:
        if entry.starts_on == new.starts_on and entry.status == new.status:
            return True
    decisive = [e for e in _ordered(history) if e.decisive and e.starts_on <= new.starts_on]
    if not new.decisive or not decisive:
        return False
    current = decisive[-1]
    return current.status == new.status or (current.closed is False and new.closed is False)


def state_on(history: Sequence[Entry], day: dt.date) -> Entry | None:
    decisive = [e for e in _ordered(history) if e.decisive and e.starts_on <= day]
    return decisive[-1] if decisive else None


def closure_periods(history: Sequence[Entry]) -> list[Period]:
    periods: list[Period] = []
    start: dt.date | None = None
    members: list[Entry] = []
    for entry in _ordered(history):
        if start is not None:
            members.append(entry)
        if not entry.decisive:
            continue
        if entry.closed and start is None:
            start, members = entry.starts_on, [entry]
        elif not entry.closed and start is not None:
            periods.append(Period(start, entry.starts_on, tuple(members)))
            start, members = None, []
    if start is not None:
        periods.append(Period(start, None, tuple(members)))
    return periods


def days_closed(history: Sequence[Entry], today: dt.date, until: dt.date | None = None) -> int:
    """For how long the school was closed, up to `until` (default today)."""
    end = until or today
    total = 0
    for period in closure_periods(history):
        if period.start >= end:
            continue
        total += (min(period.end or end, end) - period.start).days
    return total


def ends(history: Sequence[Entry]) -> dict[int, dt.date | None]:
    """Each decisive entry's end: the start of the next decisive entry (None for the one in force)."""
    decisive = [e for e in _ordered(history) if e.decisive and e.id is not None]
    result: dict[int, dt.date | None] = {}
    for current, following in zip(decisive, [*decisive[1:], None], strict=True):
        assert current.id is not None
        result[current.id] = following.starts_on if following else None
    return result
