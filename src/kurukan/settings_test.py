"""Settings for the test suite: a throw-away data directory and key, a fast password hasher."""

import os
import tempfile

os.environ.setdefault("KURUKAN_DATA_DIR", tempfile.mkdtemp(prefix="kurukan-test-"))
if "KURUKAN_ENCRYPTION_KEYS" not in os.environ:
    from kurukan.crypto import Keyring

    os.environ["KURUKAN_ENCRYPTION_KEYS"] = Keyring.generate().to_json()

from kurukan.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed: tests log in thousands of times
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]  # noqa: F405
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
REQUIRE_2FA = False  # tests of two-factor login switch it on with the `settings` fixture
AXES_ENABLED = True
