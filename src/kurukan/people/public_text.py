"""No name in public text: a public summary is checked, before it is saved, and a published estimate or a
public bulletin before it is published (`clear_for_publication`), for the names of the persons of the
records it comes from, and for phone and identity numbers.

Names are decrypted in memory only and compared with the linkage's name normalisation
(kurukan.analysis.linkage.names.normalise: accents, case, hyphens and apostrophes folded), word by word, so
"Maïga", "MAIGA" and "maiga" are the same name. A hit names where it is (line and the words as typed) so
the writer can remove it; a coordinator may publish anyway with a reason, which goes to the audit log
(kurukan.incidents.forms.IncidentForm).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kurukan.analysis.linkage.names import normalise

MIN_NAME_LETTERS = 3  # "Ba" or "Bâ" alone would match too many ordinary words
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# A run of at least 8 digits, possibly grouped by spaces, dots or dashes (Malian phones: 8 digits; NINA and
# card numbers are longer), with an optional international prefix. Dates (14.03.2022) are left alone.
_NUMBER = re.compile(r"(?<![\w])(?:\+|00)?\d(?:[ .\-]?\d){7,}[A-Za-z]?(?![\w])")
_DATE = re.compile(r"^\d{1,2}[.\-]\d{1,2}[.\-]\d{2,4}$")


@dataclass(frozen=True)
class Hit:
    kind: str  # "name", "number"
    typed: str  # the words as they were typed (shown back to the writer, who typed them)
    line: int

    def message(self) -> str:
        if self.kind == "name":
            return _(
                "Ligne %(line)s : « %(typed)s » est le nom d'une personne de ce dossier. Retirez-le ou "
                "remplacez-le par une description qui n'identifie personne."
            ) % {"line": self.line, "typed": self.typed}
        return _(
            "Ligne %(line)s : « %(typed)s » ressemble à un numéro de téléphone ou d'identité. Retirez-le."
        ) % {"line": self.line, "typed": self.typed}


def name_variants(names: Iterable[str]) -> set[tuple[str, ...]]:
    """Each name part as a sequence of normalised words ("Ag-Ghaly" → ("ag", "ghaly")), full names too."""
    variants: set[tuple[str, ...]] = set()
    for name in names:
        words = tuple(normalise(name).split())
        if not words:
            continue
        for form in (words, _joined(words)):  # "N'Diaye" is also typed "Ndiaye"
            variants.add(form)
            variants.update((w,) for w in form if len(w) >= MIN_NAME_LETTERS)
    return {v for v in variants if sum(len(w) for w in v) >= MIN_NAME_LETTERS}


def _joined(words: tuple[str, ...]) -> tuple[str, ...]:
    """Short particles joined to the word after them: ("n", "diaye") → ("ndiaye",)."""
    out: list[str] = []
    carry = ""
    for word in words:
        if len(word) <= 2:
            carry += word
            continue
        out.append(carry + word)
        carry = ""
    if carry:
        out.append(carry)
    return tuple(out)


def person_names(persons: Iterable) -> list[str]:
    """The names of these persons, decrypted in memory (never stored or logged)."""
    names: list[str] = []
    for person in persons:
        names.extend(n for n in (person.given_name, person.family_name, person.other_names) if n)
        if person.given_name and person.family_name:
            names.append(f"{person.given_name} {person.family_name}")
    return names


def find(text: str, names: Iterable[str]) -> list[Hit]:
    """Every name of `names` and every phone-or-identity-like number in `text`, in reading order."""
    hits: list[Hit] = []
    variants = name_variants(names)
    longest = max((len(v) for v in variants), default=0)
    for number, line in enumerate(text.splitlines() or [""], 1):
        tokens: list[tuple[str, int, int]] = []  # normalised word, start, end in the line
        for match in _WORD.finditer(line):
            for word in normalise(match.group()).split():
                tokens.append((word, match.start(), match.end()))
        index = 0
        while index < len(tokens):
            for size in range(min(longest, len(tokens) - index), 0, -1):
                words = tuple(t[0] for t in tokens[index : index + size])
                if words in variants:
                    start, end = tokens[index][1], tokens[index + size - 1][2]
                    hits.append(Hit("name", line[start:end], number))
                    index += size - 1
                    break
            index += 1
        for match in _NUMBER.finditer(line):
            if not _DATE.match(match.group()):
                hits.append(Hit("number", match.group(), number))
    return hits


def log_public_text_override(form, user, incident) -> None:
    """A coordinator published a flagged summary anyway: the reason goes to the audit log (not the text)."""
    if not getattr(form, "override_reason", ""):
        return
    from kurukan.audit import log as audit
    from kurukan.audit.models import Action

    audit.record(
        Action.CHANGE, user=user, obj=incident, public_text_override=True, reason=form.override_reason
    )


# --- Publications: an estimate, a bulletin (and any other public text made of several parts) ------------------
# The parts are what the public will read, each with where it shows ("Victimes par région, ligne Mopti"), so
# that the message says where to look. A coordinator (or an administrator) may publish anyway with a reason:
# the reason goes to the audit log, never the text or the name found.


@dataclass(frozen=True)
class Found:
    where: str
    hit: Hit

    def message(self) -> str:
        return _("%(where)s — %(problem)s") % {"where": self.where, "problem": self.hit.message()}


class PublicTextRefused(ValidationError):
    """A publication blocked by names or numbers in its text; `messages` say where each one is."""


def check_parts(parts: Iterable[tuple[str, str]], names: Iterable[str]) -> list[Found]:
    names = list(names)
    return [Found(where, hit) for where, text in parts if text for hit in find(text, names)]


def may_override(user) -> bool:
    from kurukan.accounts.models import Role

    return user is not None and getattr(user, "role", None) in {Role.COORDINATOR, Role.ADMINISTRATOR}


def clear_for_publication(
    parts: Iterable[tuple[str, str]], persons: Iterable, *, user, obj, reason: str = ""
) -> None:
    """Raise PublicTextRefused unless the parts name none of `persons` and hold no phone or identity number,
    or a coordinator gives a reason (audited, without the text). Names are decrypted in memory only."""
    names = person_names(persons)
    found = check_parts(parts, names)
    if not found:
        return
    reason = (reason or "").strip()
    if reason and may_override(user):
        if find(reason, names):
            raise PublicTextRefused([_("Le motif ne doit citer aucun nom ni numéro.")])
        from kurukan.audit import log as audit
        from kurukan.audit.models import Action

        audit.record(
            Action.CHANGE, user=user, obj=obj, public_text_override=True, reason=reason, flagged=len(found)
        )
        return
    problems = [f.message() for f in found]
    if reason:
        problems.append(_("Seul un coordinateur peut publier malgré l'alerte."))
    raise PublicTextRefused(problems)
