"""Text encrypted at rest with MultiFernet, under keys of its own (CASEVIEW_ENCRYPTION_KEYS).

The first key encrypts; every key decrypts, so a new key can be put first and old rows re-encrypted at leisure
with `caseview rotatekeys`.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("CASEVIEW_ENCRYPTION_KEYS is not set, so encrypted data cannot be read or written")
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError as exc:
        raise ImproperlyConfigured(
            "CASEVIEW_ENCRYPTION_KEYS holds a key that is not a Fernet key (32 url-safe base64-encoded bytes)"
        ) from exc


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.ENCRYPTION_KEYS))


def encrypt(text: str) -> str:
    return fernet().encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "Encrypted data could not be read with any key in CASEVIEW_ENCRYPTION_KEYS: was a key removed?"
        ) from exc


class EncryptedTextField(models.TextField):
    """A text column stored as a Fernet token. It cannot be searched or ordered in the database."""

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value))

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        return decrypt(value)

    def rotate_value(self, token: str) -> str:
        return fernet().rotate(token.encode()).decode()


class EncryptedBinaryField(models.BinaryField):
    """Bytes stored as a Fernet token (uploaded files held before import)."""

    def get_prep_value(self, value: Any) -> Any:
        if value is None:
            return value
        return fernet().encrypt(bytes(value))

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if value is None:
            return value
        return connection.Database.Binary(self.get_prep_value(value) if not prepared else value)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None:
            return value
        try:
            return fernet().decrypt(bytes(value))
        except InvalidToken as exc:
            raise ImproperlyConfigured(
                "Encrypted data could not be read with any key in CASEVIEW_ENCRYPTION_KEYS: was a key removed?"
            ) from exc
