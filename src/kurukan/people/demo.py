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
    return [("partenaire", DEMO_PASSWORD, "Chargé de monitoring, CNDH (partenaire) / partner monitor")]
