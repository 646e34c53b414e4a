"""Settings a production server must refuse: `kurukan check --deploy` fails on each, naming it.

`kurukan serve` runs the same checks at start and warns loudly, but still serves: the demo turns two-factor
login off on purpose and must keep working on a laptop.
"""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.utils.translation import gettext as _


def _inside(path: Path, directory: Path) -> bool:
    return path.resolve().is_relative_to(directory.resolve())


def _demo_secret_key() -> str | None:
    """The key a demo or a first start generated beside the database (settings.py), if there is one."""
    try:
        return (Path(settings.DATA_DIR) / "secret_key").read_text(encoding="utf-8").strip()
    except OSError:
        return None


def unsafe_settings() -> list[Error]:
    """Every unsafe production setting, each with its id, what is wrong and how to fix it."""
    problems: list[Error] = []
    if not settings.REQUIRE_2FA:
        problems.append(
            Error(
                _("La double authentification est désactivée (KURUKAN_REQUIRE_2FA=0)."),
                hint=_(
                    "Retirez KURUKAN_REQUIRE_2FA ou mettez-la à 1 : sinon un mot de passe volé suffit à ouvrir "
                    "chaque dossier."
                ),
                id="kurukan.E001",
            )
        )
    if settings.DEBUG:
        problems.append(
            Error(
                _("Le mode DEBUG est activé (KURUKAN_DEBUG=1)."),
                hint=_(
                    "Mettez KURUKAN_DEBUG=0 : les pages d'erreur montreraient la configuration, le SQL et "
                    "les valeurs saisies."
                ),
                id="kurukan.E002",
            )
        )
    if settings.SECRET_KEY == _demo_secret_key():
        problems.append(
            Error(
                _(
                    "La clé secrète est celle de la démonstration, générée dans le répertoire de données que "
                    "les sauvegardes copient."
                ),
                hint=_(
                    "Indiquez dans KURUKAN_SECRET_KEY_FILE un fichier hors de KURUKAN_DATA_DIR, lisible par "
                    "Kurukan seul."
                ),
                id="kurukan.E003",
            )
        )
    if not settings.ENCRYPTION_KEYS:
        problems.extend(_key_file_problems(Path(settings.ENCRYPTION_KEY_FILE), Path(settings.DATA_DIR)))
    return problems


def _key_file_problems(key_file: Path, data_dir: Path) -> list[Error]:
    problems: list[Error] = []
    if _inside(key_file, data_dir):
        problems.append(
            Error(
                _(
                    "Le fichier de clés de chiffrement %(file)s est dans le répertoire de données %(dir)s : "
                    "qui a la base ou une copie du répertoire a aussi les noms."
                )
                % {"file": key_file, "dir": data_dir},
                hint=_(
                    "Placez-le hors du disque de données et indiquez-le dans KURUKAN_ENCRYPTION_KEY_FILE "
                    "(docs/security.md)."
                ),
                id="kurukan.E004",
            )
        )
    try:
        mode = key_file.stat().st_mode
    except OSError:
        return problems  # no file yet: the first request says so with the fix (kurukan.crypto)
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        problems.append(
            Error(
                _(
                    "Le fichier de clés de chiffrement %(file)s est lisible par d'autres utilisateurs (%(mode)s)."
                )
                % {"file": key_file, "mode": stat.filemode(mode)},
                hint=f"chmod 600 {key_file}",
                id="kurukan.E005",
            )
        )
    return problems


@register(Tags.security, deploy=True)
def check_unsafe_settings(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    return unsafe_settings()
