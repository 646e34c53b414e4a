"""The analysis command lines (`kurukan estimate`, `kurukan link`) in the user's language, without Django.

The sentences stay in English in the code, marked with :func:`N_` so that the tools extract them::

    xgettext -L Python --keyword=N_ --from-code=UTF-8 -o kurukan_analysis.pot \\
        src/kurukan/analysis/linkage/messages.py src/kurukan/analysis/estimation/messages.py

(``pybabel extract`` knows ``N_`` already). Their translations live in
``locale/LANG/LC_MESSAGES/kurukan_analysis.po`` beside this file, compiled to ``.mo`` with
``msgfmt --check`` and shipped with the package. A sentence is translated when it is shown, by the
standard Unix rule of gettext: the first of LANGUAGE, LC_ALL, LC_MESSAGES and LANG that is set names
the language (``LANG=fr_ML.UTF-8 kurukan link …`` speaks French); English when none has a catalogue.
"""

from __future__ import annotations

import gettext
import string
from pathlib import Path

DOMAIN = "kurukan_analysis"
LOCALEDIR = Path(__file__).resolve().parent / "locale"

# How numbers read in a language whose catalogue we ship: the thousands separator that the format
# option "," stands for, and what comes before "%". A terminal gets plain spaces, not U+202F.
_NUMBERS = {"fr": (" ", " %")}


def N_(message: str) -> str:
    """Mark ``message`` for extraction and return it unchanged: it is translated when it is shown."""
    return message


def translation() -> gettext.NullTranslations:
    """The catalogue of the user's language now (read from the environment at each call)."""
    return gettext.translation(DOMAIN, str(LOCALEDIR), fallback=True)


class _Numbers(string.Formatter):
    def __init__(self, thousands: str, percent: str) -> None:
        self.thousands, self.percent = thousands, percent

    def format_field(self, value: object, format_spec: str) -> str:
        text = format(value, format_spec)
        if not isinstance(value, int | float) or isinstance(value, bool):
            return text
        if "," in format_spec:
            text = text.replace(",", self.thousands)
        if format_spec.endswith("%"):
            text = text[:-1] + self.percent
        return text


def render(source: str, /, **values: object) -> str:
    """``source`` (an English sentence marked with :func:`N_`) in the user's language, filled in."""
    catalogue = translation()
    text = catalogue.gettext(source)
    language = catalogue.info().get("language", "").split("_")[0]
    try:
        if language in _NUMBERS:
            return _Numbers(*_NUMBERS[language]).vformat(text, (), values)
        return text.format(**values)
    except (KeyError, IndexError, ValueError):  # a broken translation must not hide the message
        return source.format(**values)
