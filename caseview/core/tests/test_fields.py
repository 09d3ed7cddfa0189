"""Text encrypted at rest: round trips, key rotation, and a clear error when a key has gone."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from caseview.core import fields
from caseview.core.fields import EncryptedTextField, decrypt, encrypt

OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()


@pytest.fixture(autouse=True)
def fresh_fernet() -> Iterator[None]:
    fields._fernet.cache_clear()
    yield
    fields._fernet.cache_clear()


def test_it_round_trips_text() -> None:
    text = "Child K told the school nurse about the bruise – 4 March 2019 ✓"

    token = encrypt(text)

    assert token != text
    assert "bruise" not in token
    assert decrypt(token) == text


def test_it_encrypts_the_same_text_differently_each_time() -> None:
    assert encrypt("same") != encrypt("same")


def test_it_encrypts_with_the_configured_keys_not_another() -> None:
    with override_settings(ENCRYPTION_KEYS=[OLD_KEY]):
        token = encrypt("only the old key")

    assert Fernet(OLD_KEY.encode()).decrypt(token.encode()) == b"only the old key"


def test_it_still_reads_old_data_when_a_new_key_is_put_first() -> None:
    with override_settings(ENCRYPTION_KEYS=[OLD_KEY]):
        old_token = encrypt("written under the old key")
    fields._fernet.cache_clear()

    with override_settings(ENCRYPTION_KEYS=[NEW_KEY, OLD_KEY]):
        assert decrypt(old_token) == "written under the old key"
        new_token = encrypt("written under the new key")

    assert Fernet(NEW_KEY.encode()).decrypt(new_token.encode()) == b"written under the new key"


def test_it_explains_when_the_key_for_old_data_was_removed() -> None:
    with override_settings(ENCRYPTION_KEYS=[OLD_KEY]):
        old_token = encrypt("written under the old key")
    fields._fernet.cache_clear()

    with override_settings(ENCRYPTION_KEYS=[NEW_KEY]), pytest.raises(ImproperlyConfigured) as exc_info:
        decrypt(old_token)

    assert "CASEVIEW_ENCRYPTION_KEYS" in str(exc_info.value)
    assert "was a key removed?" in str(exc_info.value)


def test_it_explains_when_there_are_no_keys() -> None:
    with override_settings(ENCRYPTION_KEYS=[]), pytest.raises(ImproperlyConfigured, match="not set"):
        encrypt("anything")


def test_it_explains_a_key_that_is_not_a_fernet_key() -> None:
    with (
        override_settings(ENCRYPTION_KEYS=["not-a-fernet-key"]),
        pytest.raises(ImproperlyConfigured, match="not a Fernet key"),
    ):
        encrypt("anything")


def test_it_encrypts_a_field_value_on_the_way_to_the_database() -> None:
    field = EncryptedTextField()

    stored = field.get_prep_value("Mother's address: 1 High Street")

    assert isinstance(stored, str)
    assert "High Street" not in stored
    assert decrypt(stored) == "Mother's address: 1 High Street"


def test_it_decrypts_a_field_value_from_the_database() -> None:
    field = EncryptedTextField()
    stored = field.get_prep_value("a conversation record")

    assert field.from_db_value(stored, None, None) == "a conversation record"


@pytest.mark.parametrize("empty", [None, ""])
def test_it_leaves_empty_field_values_alone(empty: str | None) -> None:
    field = EncryptedTextField()

    assert field.get_prep_value(empty) == empty
    assert field.from_db_value(empty, None, None) == empty


def test_it_rotates_a_value_to_the_newest_key() -> None:
    field = EncryptedTextField()
    with override_settings(ENCRYPTION_KEYS=[OLD_KEY]):
        old_token = field.get_prep_value("rotate me")
    fields._fernet.cache_clear()

    with override_settings(ENCRYPTION_KEYS=[NEW_KEY, OLD_KEY]):
        rotated = field.rotate_value(old_token)
    fields._fernet.cache_clear()

    with override_settings(ENCRYPTION_KEYS=[NEW_KEY]):
        assert field.from_db_value(rotated, None, None) == "rotate me"
