"""Demo logins, one per role, printed by `kurukan demo`. Never used outside a demo database."""

from __future__ import annotations

from kurukan.accounts.models import Organisation, Role, User

DEMO_PASSWORD = "kurukan-demo-2026"  # noqa: S105 (a published demo password, for the demo database only)
DEMO_USERS = [
    ("monitor", Role.MONITOR, "ohchr", "Chargé de monitoring / monitor"),
    ("verificateur", Role.COORDINATOR, "ohchr", "Chargé de vérification / verification officer"),
    ("analyste", Role.ANALYST, "ohchr", "Analyste / analyst"),
    ("admin", Role.ADMINISTRATOR, "ohchr", "Administrateur / administrator"),
    ("point-focal", Role.FOCAL_POINT, "ohchr", "Point focal, Ministère de la Justice / focal point"),
]


def create_demo_users() -> list[tuple[str, str, str]]:
    created = []
    for username, role, org_code, label in DEMO_USERS:
        organisation = Organisation.objects.get(code=org_code)
        user, _ = User.objects.get_or_create(
            username=username, defaults={"role": role, "organisation": organisation}
        )
        user.role = role
        user.organisation = organisation
        user.is_staff = user.is_superuser = role == Role.ADMINISTRATOR
        user.set_password(DEMO_PASSWORD)
        user.save()
        created.append((username, DEMO_PASSWORD, label))
    return created
