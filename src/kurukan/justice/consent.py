"""Whether a victim agreed to take part in proceedings. The purpose "proceedings" is a ConsentPurpose added
with the person's file; the check reads the consent rows themselves so that it holds before and after."""

from __future__ import annotations

PROCEEDINGS = "proceedings"


def may_take_part(person) -> bool:
    """A consent to proceedings, given and not revoked: without it nobody is made a civil party."""
    return person.consents.filter(purpose=PROCEEDINGS, given=True, revoked_on__isnull=True).exists()
