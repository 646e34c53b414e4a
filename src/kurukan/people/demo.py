"""Demo data for protection: a monitor of a partner organisation (the CNDH), to see a shared record as a
partner does — survivors who did not consent to sharing are not named to them."""

from __future__ import annotations

from kurukan.accounts.demo import DEMO_PASSWORD
from kurukan.accounts.models import Organisation, Role, User


def load_demo() -> list[tuple[str, str, str]]:
    organisation, _ = Organisation.objects.get_or_create(
        code="cndh", defaults={"name": "Commission nationale des droits de l'homme", "short_name": "CNDH"}
    )
    user, _ = User.objects.get_or_create(
        username="partenaire", defaults={"role": Role.MONITOR, "organisation": organisation}
    )
    user.role, user.organisation = Role.MONITOR, organisation
    user.set_password(DEMO_PASSWORD)
    user.save()
    # Retention: identities of sources are kept 5 years after the facts, of victims 10 years, once the
    # incident is closed (`kurukan retention run --dry-run` lists what that erases in the demo).
    from kurukan.people.models import RetentionKind, RetentionRule

    for code in ("ohchr", "cndh"):
        org = Organisation.objects.filter(code=code).first()
        if org is not None:
            rules = (
                (RetentionKind.SOURCE_IDENTITIES, 5),
                (RetentionKind.VICTIM_IDENTITIES, 10),
                (RetentionKind.ABANDONED_DRAFTS, 1),  # drafts nobody changed for a year
            )
            for kind, years in rules:
                RetentionRule.objects.get_or_create(organisation=org, kind=kind, defaults={"years": years})
    # The UN human-rights office is a UN entity: identities shared with it need the consent to share with the UN.
    Organisation.objects.filter(code="ohchr").update(un_entity=True)
    return [("partenaire", DEMO_PASSWORD, "Chargé de monitoring, CNDH (partenaire) / partner monitor")]
