"""Whether a victim agreed to take part in proceedings, by the person's file's consent rules
(kurukan.people.consent: merged records followed, a refusal or revocation anywhere wins)."""

from __future__ import annotations

from kurukan.people import consent
from kurukan.people.models import ConsentPurpose

PROCEEDINGS = ConsentPurpose.PROCEEDINGS


def may_take_part(person) -> bool:
    """A consent to proceedings in force: without it nobody is made a civil party."""
    return consent.allows(person, PROCEEDINGS)
