"""Whether a victim agreed to take part in proceedings, or to be referred to services, by the person's file's
consent rules (kurukan.people.consent: merged records followed, a refusal or revocation anywhere wins)."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from kurukan.people import consent
from kurukan.people.models import ConsentPurpose

PROCEEDINGS = ConsentPurpose.PROCEEDINGS
REFER = ConsentPurpose.REFER


def may_take_part(person) -> bool:
    """A consent to proceedings in force: without it nobody is made a civil party."""
    return consent.allows(person, PROCEEDINGS)


def not_referable(persons: Iterable) -> list:
    """The persons a referral may not name: no consent to be referred to services in force (revoked or
    refused, or no answer under a "refused" KURUKAN_CONSENT_DEFAULT)."""
    persons = list(persons)
    allowed = consent.persons_allowing({p.pk for p in persons}, REFER)
    return [p for p in persons if p.pk not in allowed]


def named_on(intervention, persons: list) -> tuple[list, int]:
    """The persons an intervention may show now, and how many it withholds: a referral shows only those whose
    consent to be referred is still in force, so a revocation takes effect at once."""
    from .models import InterventionKind

    if intervention.kind != InterventionKind.REFERRAL:
        return persons, 0
    withheld = {p.pk for p in not_referable(persons)}
    return [p for p in persons if p.pk not in withheld], len(withheld)


def referral_refusal(persons: list) -> str:
    """The message naming (by public id, never by name) who a referral may not name, and the fix."""
    return _(
        "Sans consentement à l'orientation vers des services (refusé, révoqué ou jamais recueilli) : "
        "%(ids)s. Retirez ces identifiants de la saisine, ou enregistrez d'abord ce consentement dans la "
        "fiche de la personne."
    ) % {"ids": ", ".join(sorted(p.public_id for p in persons))}


def referral_name_refusal(hit) -> str:
    """A name found in a referral's request: where it is, as typed (the writer typed it), and the fix."""
    return _(
        "Ligne %(line)s : « %(typed)s » est le nom d'une victime qui n'a pas consenti à être orientée vers "
        "des services. Retirez-le de la demande."
    ) % {"line": hit.line, "typed": hit.typed}
