"""Model fields that keep identifying data encrypted at rest (see kurukan.crypto)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from kurukan import crypto


class UnreadableValue(str):
    """Shown instead of a value that failed its integrity check: never the ciphertext, never a crash.

    Saving it back is refused, so a tampered value is not silently re-encrypted as if it were genuine.
    """

    __slots__ = ()

    def __new__(cls) -> UnreadableValue:
        return super().__new__(cls, _("[illisible : la valeur a échoué au contrôle d'intégrité]"))


class EncryptedTextField(models.TextField):
    """A text column stored as AES-256-GCM ciphertext bound to `app_label.model.field`.

    Queries cannot filter on it (the ciphertext is randomised); pair it with a blind-index column for exact
    lookups. Empty strings are stored as empty strings so "no name given" stays visible to statistics.
    """

    description = "Encrypted text (AES-256-GCM)"

    def contribute_to_class(self, cls: Any, name: str, private_only: bool = False) -> None:
        super().contribute_to_class(cls, name, private_only)
        # Historical models (django-simple-history) copy the field: they must read the same context, so the
        # context names the concrete model the history is of, taken from the field's first owner.
        if not hasattr(self, "_crypto_context"):
            self._crypto_context = f"{cls._meta.app_label}.{cls.__name__.removeprefix('Historical')}.{name}"
            self._crypto_context = self._crypto_context.lower()

    def deconstruct(self) -> tuple[Any, ...]:
        name, path, args, kwargs = super().deconstruct()
        return name, path, args, kwargs

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if not value:
            return value
        try:
            return crypto.decrypt(value, self._crypto_context)
        except crypto.IntegrityError:
            return UnreadableValue()

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        if isinstance(value, UnreadableValue):
            raise ValueError("A value that failed its integrity check cannot be saved back.")
        return crypto.encrypt(str(value), self._crypto_context)

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name not in {"isnull", "exact"}:
            return None
        return super().get_lookup(lookup_name)
