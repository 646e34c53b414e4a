from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from kurukan import crypto
from kurukan.accounts.keys import count_encrypted_values, key_ids_in_use, reencrypt_all, verify_all
from kurukan.audit import log as audit
from kurukan.audit.models import Action


class Command(BaseCommand):
    help = (
        "Encryption keys. `init` creates the key file once; `rotate` makes a new active key, re-encrypts every "
        "protected value with it and, with --retire, removes keys no value uses any more; `verify` decrypts "
        "every encrypted value (history included) and names each one that fails its integrity check."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["init", "rotate", "status", "verify"])
        parser.add_argument("--retire", action="store_true", help="After rotating, drop keys no longer used.")

    def handle(self, *args, **options):
        path = settings.ENCRYPTION_KEY_FILE
        action = options["action"]
        if action == "init":
            if settings.ENCRYPTION_KEYS or path.exists():
                self.stdout.write(
                    f"Keys already present ({'KURUKAN_ENCRYPTION_KEYS' if settings.ENCRYPTION_KEYS else path})."
                )
                return
            crypto.write_keyring(crypto.Keyring.generate(), path)
            crypto.reset_keyring_cache()
            self.stdout.write(
                f"New encryption keys written to {path} (owner-only). Back this file up apart from the data."
            )
            return
        ring = crypto.get_keyring()
        if action == "status":
            self.stdout.write(
                f"Active key: {ring.active}; keys held: {', '.join(sorted(ring.keys))}; "
                f"keys in use: {', '.join(sorted(key_ids_in_use())) or '-'}"
            )
            return
        if action == "verify":
            self.verify(ring, options["verbosity"])
            return
        if settings.ENCRYPTION_KEYS:
            raise CommandError(
                "Keys come from KURUKAN_ENCRYPTION_KEYS: rotate them where that variable is set "
                "(generate with `kurukan keys init` on a scratch KURUKAN_DATA_DIR)."
            )
        new_ring = ring.with_new_active_key()
        crypto.write_keyring(new_ring, path)
        crypto.reset_keyring_cache()
        with tqdm(unit=" valeurs", file=self.stderr, disable=options["verbosity"] < 1) as bar:
            count = reencrypt_all(new_ring, progress=bar.update)
        retired: list[str] = []
        if options["retire"]:
            in_use = key_ids_in_use()
            retired = sorted(set(new_ring.keys) - in_use - {new_ring.active})
            crypto.write_keyring(new_ring.without(set(retired)), path)
            crypto.reset_keyring_cache()
        audit.record(
            Action.KEY_ROTATION,
            object_type="crypto.key",
            object_id=new_ring.active,
            reencrypted=count,
            retired=retired,
        )
        self.stdout.write(
            f"Active key is now {new_ring.active}; {count} values re-encrypted; retired: {retired or 'none'}."
        )

    def verify(self, ring: crypto.Keyring, verbosity: int) -> None:
        with tqdm(
            total=count_encrypted_values(), unit=" valeurs", file=self.stderr, disable=verbosity < 1
        ) as bar:
            checked, failed = verify_all(ring, progress=bar.update)
        for value in failed:
            # Table, column and record only: the stored text is ciphertext, but it is still never printed.
            self.stderr.write(f"ÉCHEC / FAILED {value}")
        if failed:
            raise CommandError(
                f"{len(failed)} valeur(s) sur {checked} ont échoué au contrôle d'intégrité : altérées, tronquées "
                "ou sous une clé absente du fichier de clés. Restaurez-les depuis leur historique ou une "
                f"sauvegarde (docs/security.md). / {len(failed)} of {checked} values failed their integrity check."
            )
        self.stdout.write(
            f"{checked} valeurs chiffrées vérifiées : toutes intactes. / {checked} values intact."
        )
