"""Signing in with a password: the audit trail, the error summary, the password hasher and `next`."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.test import Client, override_settings
from django.urls import reverse

import caseview.settings as production_settings
from caseview.accounts.models import User
from caseview.core.audit import Event
from caseview.core.models import AuditEvent
from conftest import PASSWORD, Personas

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

SIGN_IN = "/account/sign-in/"
ARGON2 = "django.contrib.auth.hashers.Argon2PasswordHasher"


def sign_in(client: Client, username: str, password: str, *, ip: str = "203.0.113.7", **extra: str) -> TestResponse:
    return client.post(SIGN_IN, {"username": username, "password": password, **extra}, REMOTE_ADDR=ip)


def test_it_signs_in_and_records_who_and_where(client: Client, personas: Personas) -> None:
    response = sign_in(client, "outsider", PASSWORD, ip="203.0.113.7")

    assert response.status_code == 302
    assert response["Location"] == reverse("reviews:list")
    assert client.session["_auth_user_id"] == str(personas.outsider.pk)
    event = AuditEvent.objects.get(event=Event.SIGNED_IN)
    assert event.actor == personas.outsider
    assert event.actor_username == "outsider"
    assert event.ip_address == "203.0.113.7"


def test_it_refuses_a_wrong_password_with_an_error_summary(client: Client, personas: Personas) -> None:
    response = sign_in(client, "outsider", "not-the-password", ip="198.51.100.9")

    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "Enter a correct username and password" in html
    assert "_auth_user_id" not in client.session
    assert not AuditEvent.objects.filter(event=Event.SIGNED_IN).exists()
    event = AuditEvent.objects.get(event=Event.SIGN_IN_FAILED)
    assert event.actor is None
    assert event.actor_username == "outsider"
    assert event.ip_address == "198.51.100.9"


def test_it_records_the_attempted_username_even_when_nobody_has_it(client: Client, db: None) -> None:
    sign_in(client, "no-such-person", "whatever-it-is")

    event = AuditEvent.objects.get(event=Event.SIGN_IN_FAILED)
    assert event.actor_username == "no-such-person"


def test_it_asks_for_a_username_when_it_is_blank(client: Client, db: None) -> None:
    response = sign_in(client, "   ", "whatever-it-is")

    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert not AuditEvent.objects.exists()


def test_it_hashes_passwords_with_argon2_in_production_settings() -> None:
    assert production_settings.PASSWORD_HASHERS[0] == ARGON2
    assert production_settings.PASSWORD_HASHERS[0].rsplit(".", 1)[1] == Argon2PasswordHasher.__name__


@pytest.mark.django_db
def test_it_stores_an_argon2_hash_when_argon2_is_the_hasher() -> None:
    with override_settings(PASSWORD_HASHERS=[ARGON2]):
        user = User.objects.create_user(username="hashed", password=PASSWORD)
        assert user.password.startswith("argon2")
        assert PASSWORD not in user.password
        assert user.check_password(PASSWORD)


def test_it_follows_a_next_url_on_this_site(client: Client, personas: Personas) -> None:
    response = sign_in(client, "outsider", PASSWORD, next="/account/")

    assert response.status_code == 302
    assert response["Location"] == "/account/"


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example.com/",
        "//evil.example.com/steal",
        "http://evil.example.com/account/",
        "https:///evil.example.com/",
        "javascript:alert(1)",
    ],
)
def test_it_refuses_to_redirect_to_another_site(client: Client, personas: Personas, next_url: str) -> None:
    response = sign_in(client, "outsider", PASSWORD, next=next_url)

    assert response.status_code == 302
    assert response["Location"] == reverse("reviews:list")


def test_it_refuses_a_next_url_from_the_query_string_on_another_site(client: Client, personas: Personas) -> None:
    response = client.post(
        f"{SIGN_IN}?next=https://evil.example.com/",
        {"username": "outsider", "password": PASSWORD},
    )

    assert response["Location"] == reverse("reviews:list")


def test_it_does_not_put_a_foreign_next_url_into_the_form(client: Client, db: None) -> None:
    response = client.get(SIGN_IN, {"next": "https://evil.example.com/"})

    assert response.status_code == 200
    assert "evil.example.com" not in response.content.decode()


def test_it_sends_someone_already_signed_in_on_to_next(client: Client, personas: Personas) -> None:
    client.force_login(personas.outsider)

    assert client.get(SIGN_IN, {"next": "/account/"})["Location"] == "/account/"
    assert client.get(SIGN_IN, {"next": "https://evil.example.com/"})["Location"] == reverse("reviews:list")


def test_it_says_a_second_factor_follows_when_2fa_is_on(client: Client, db: None) -> None:
    html = client.get(SIGN_IN).content.decode()

    assert "code from your authenticator app" in html
    assert "Two-factor sign-in is turned off" not in html
