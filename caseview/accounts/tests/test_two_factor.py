"""The second factor: setting up an authenticator app, backup codes, and proving it at each sign-in."""

from __future__ import annotations

import base64
import datetime as dt
import re
from collections.abc import Iterator

import pytest
import time_machine
from django.test import Client
from django.utils.http import urlencode
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django.fixtures import Settings

from caseview.accounts import services
from caseview.accounts.models import User
from caseview.core.audit import Event
from caseview.core.models import AuditEvent
from conftest import PASSWORD, TEST_ORIGIN, Personas

SIGN_IN = "/account/sign-in/"
SET_UP = "/account/two-factor/set-up/"
VERIFY = "/account/two-factor/"
BACKUP_CODES = "/account/two-factor/backup-codes/"
REVIEWS = "/reviews/"


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    """A stopped clock: TOTP codes depend on the time step, and django-otp throttles fast retries."""
    with time_machine.travel(dt.datetime(2025, 3, 4, 10, 0, 5, tzinfo=dt.UTC), tick=False) as traveller:
        yield traveller


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key):06d}"


def wrong_code_for(device: TOTPDevice) -> str:
    """A code that no step in the device's tolerance window accepts."""
    accepted = {totp(device.bin_key, drift=drift) for drift in (-1, 0, 1)}
    return next(f"{n:06d}" for n in range(1_000_000) if n not in accepted)


def password_sign_in(username: str) -> Client:
    client = Client()
    response = client.post(SIGN_IN, {"username": username, "password": PASSWORD})
    assert response.status_code == 302, "the password sign-in should succeed"
    return client


def enrol(user: User, clock: time_machine.Traveller) -> list[str]:
    """Set up an authenticator for `user` and return their backup codes; moves on past the code used."""
    device = services.totp_start_enrolment(user=user)
    codes = services.totp_confirm_enrolment(user=user, device=device, token=code_for(device), origin=TEST_ORIGIN)
    clock.shift(dt.timedelta(seconds=60))
    return codes


def shown_codes(html: str) -> list[str]:
    match = re.search(r'<ul[^>]*id="backup-codes"[^>]*>(.*?)</ul>', html, re.S)
    return re.findall(r"<li>\s*(\d{8})\s*</li>", match.group(1)) if match else []


# Being sent to set up or prove a second factor


def test_it_sends_a_password_only_member_to_set_up_a_second_factor(personas: Personas) -> None:
    client = password_sign_in("practitioner")

    response = client.get(REVIEWS)

    assert response.status_code == 302
    assert response["Location"] == f"{SET_UP}?{urlencode({'next': REVIEWS})}"


def test_it_sends_a_force_logged_in_member_to_set_up_a_second_factor(client: Client, personas: Personas) -> None:
    client.force_login(personas.practitioner)

    response = client.get(REVIEWS)

    assert response["Location"].startswith(f"{SET_UP}?next=")


@pytest.mark.parametrize("name", ["lead", "reviewer", "parent", "board", "admin", "superuser"])
def test_it_requires_a_second_factor_of_everyone_who_sees_case_data(
    client: Client, personas: Personas, name: str
) -> None:
    client.force_login(personas.by_name(name))

    assert client.get(REVIEWS)["Location"].startswith(SET_UP)


def test_it_does_not_ask_an_outsider_for_a_second_factor(personas: Personas) -> None:
    client = password_sign_in("outsider")

    response = client.get(REVIEWS)

    assert response.status_code == 200
    assert not TOTPDevice.objects.filter(user=personas.outsider).exists()


def test_it_asks_nobody_for_a_second_factor_when_2fa_is_off(
    client: Client, personas: Personas, settings: Settings
) -> None:
    settings.REQUIRE_2FA = False
    client.force_login(personas.practitioner)

    assert client.get(REVIEWS).status_code == 200


def test_it_says_plainly_on_the_sign_in_page_when_2fa_is_off(client: Client, db: None, settings: Settings) -> None:
    settings.REQUIRE_2FA = False

    html = client.get(SIGN_IN).content.decode()

    assert "Two-factor sign-in is turned off" in html


# Setting up an authenticator app


def test_it_shows_a_qr_code_and_a_setup_key(client: Client, personas: Personas, clock: time_machine.Traveller) -> None:
    client.force_login(personas.practitioner)

    response = client.get(SET_UP, {"next": REVIEWS})

    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'<div class="cv-qr">\s*<svg\b', html), "the QR code is inline SVG"
    device = TOTPDevice.objects.get(user=personas.practitioner, confirmed=False)
    key = re.search(r'<code[^>]*id="setup-key"[^>]*>([A-Z2-7 ]+)</code>', html)
    assert key is not None
    assert key.group(1).replace(" ", "") == base64.b32encode(device.bin_key).decode().rstrip("=")


def test_it_confirms_the_authenticator_with_a_right_code(
    client: Client, personas: Personas, clock: time_machine.Traveller
) -> None:
    user = personas.practitioner
    client.force_login(user)
    client.get(SET_UP, {"next": REVIEWS})
    device = TOTPDevice.objects.get(user=user, confirmed=False)

    response = client.post(SET_UP, {"token": code_for(device), "next": REVIEWS})

    assert response.status_code == 302
    assert response["Location"] == f"{BACKUP_CODES}?{urlencode({'next': REVIEWS})}"
    device.refresh_from_db()
    assert device.confirmed
    event = AuditEvent.objects.get(event=Event.SECOND_FACTOR_ENROLLED)
    assert event.actor == user
    assert client.get(REVIEWS).status_code == 200, "the session now counts as verified"


def test_it_shows_ten_backup_codes_exactly_once(
    client: Client, personas: Personas, clock: time_machine.Traveller
) -> None:
    user = personas.practitioner
    client.force_login(user)
    client.get(SET_UP)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    client.post(SET_UP, {"token": code_for(device), "next": REVIEWS})

    first = client.get(BACKUP_CODES, {"next": REVIEWS})
    second = client.get(BACKUP_CODES, {"next": REVIEWS})

    codes = shown_codes(first.content.decode())
    assert len(codes) == 10
    assert len(set(codes)) == 10
    assert set(codes) == set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert second.status_code == 302
    assert second["Location"] == "/account/"
    assert not any(code in client.get("/account/").content.decode() for code in codes)


def test_it_refuses_a_wrong_setup_code_and_confirms_nothing(
    client: Client, personas: Personas, clock: time_machine.Traveller
) -> None:
    user = personas.practitioner
    client.force_login(user)
    client.get(SET_UP)
    device = TOTPDevice.objects.get(user=user, confirmed=False)

    response = client.post(SET_UP, {"token": wrong_code_for(device), "next": REVIEWS})

    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "The code is not right" in html
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    assert not StaticToken.objects.filter(device__user=user).exists()
    assert not AuditEvent.objects.filter(event=Event.SECOND_FACTOR_ENROLLED).exists()
    assert client.get(REVIEWS)["Location"].startswith(SET_UP)


def test_it_accepts_a_right_code_after_a_wrong_one(
    client: Client, personas: Personas, clock: time_machine.Traveller
) -> None:
    user = personas.practitioner
    client.force_login(user)
    client.get(SET_UP)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    client.post(SET_UP, {"token": wrong_code_for(device)})
    clock.shift(dt.timedelta(seconds=5))  # django-otp throttles an immediate retry

    response = client.post(SET_UP, {"token": code_for(device)})

    assert response.status_code == 302
    assert TOTPDevice.objects.get(pk=device.pk).confirmed


def test_it_will_not_let_a_password_alone_replace_a_confirmed_authenticator(
    personas: Personas, clock: time_machine.Traveller
) -> None:
    user = personas.practitioner
    enrol(user, clock)
    original = TOTPDevice.objects.get(user=user, confirmed=True)
    client = password_sign_in("practitioner")  # someone who knows the password but has not got the phone

    response = client.get(SET_UP)
    attempt = client.post(SET_UP, {"token": "123456"})

    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)
    assert attempt["Location"].startswith(VERIFY)
    assert list(TOTPDevice.objects.filter(user=user)) == [original]
    assert client.get(REVIEWS)["Location"].startswith(VERIFY)


# Proving the second factor at a later sign-in


def test_it_asks_for_a_code_at_a_later_sign_in(personas: Personas, clock: time_machine.Traveller) -> None:
    enrol(personas.practitioner, clock)
    client = password_sign_in("practitioner")

    response = client.get(REVIEWS)

    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?{urlencode({'next': REVIEWS})}"


def test_it_lets_someone_in_with_a_code_from_their_app(personas: Personas, clock: time_machine.Traveller) -> None:
    user = personas.practitioner
    enrol(user, clock)
    client = password_sign_in("practitioner")
    device = TOTPDevice.objects.get(user=user, confirmed=True)

    response = client.post(VERIFY, {"token": code_for(device), "next": REVIEWS})

    assert response.status_code == 302
    assert response["Location"] == REVIEWS
    assert client.get(REVIEWS).status_code == 200
    assert AuditEvent.objects.filter(event=Event.SECOND_FACTOR_VERIFIED, actor=user).count() == 1


def test_it_accepts_a_code_with_a_space_in_it(personas: Personas, clock: time_machine.Traveller) -> None:
    user = personas.practitioner
    enrol(user, clock)
    client = password_sign_in("practitioner")
    code = code_for(TOTPDevice.objects.get(user=user, confirmed=True))

    response = client.post(VERIFY, {"token": f"{code[:3]} {code[3:]}"})

    assert response.status_code == 302
    assert client.get(REVIEWS).status_code == 200


def test_it_refuses_the_same_app_code_twice(personas: Personas, clock: time_machine.Traveller) -> None:
    user = personas.practitioner
    enrol(user, clock)
    code = code_for(TOTPDevice.objects.get(user=user, confirmed=True))
    password_sign_in("practitioner").post(VERIFY, {"token": code})
    clock.shift(dt.timedelta(seconds=2))
    again = password_sign_in("practitioner")

    response = again.post(VERIFY, {"token": code})

    assert response.status_code == 200
    assert again.get(REVIEWS)["Location"].startswith(VERIFY)


def test_it_lets_someone_in_with_a_backup_code_once(personas: Personas, clock: time_machine.Traveller) -> None:
    user = personas.practitioner
    codes = enrol(user, clock)
    first = password_sign_in("practitioner")

    used = first.post(VERIFY, {"token": codes[0], "next": REVIEWS})

    assert used.status_code == 302
    assert first.get(REVIEWS).status_code == 200
    event = AuditEvent.objects.get(event=Event.BACKUP_CODE_USED)
    assert event.actor == user
    assert "9 left" in event.summary
    assert not StaticToken.objects.filter(device__user=user, token=codes[0]).exists()

    clock.shift(dt.timedelta(seconds=60))
    second = password_sign_in("practitioner")
    reused = second.post(VERIFY, {"token": codes[0], "next": REVIEWS})

    assert reused.status_code == 200
    assert "The code is not right" in reused.content.decode()
    assert second.get(REVIEWS)["Location"].startswith(VERIFY)
    assert AuditEvent.objects.filter(event=Event.BACKUP_CODE_USED).count() == 1
    assert AuditEvent.objects.filter(event=Event.SECOND_FACTOR_FAILED, actor=user).count() == 1

    clock.shift(dt.timedelta(seconds=60))
    assert second.post(VERIFY, {"token": f"{codes[1][:4]}-{codes[1][4:]}"}).status_code == 302
    assert second.get(REVIEWS).status_code == 200


def test_it_records_a_wrong_code_and_keeps_the_person_out(personas: Personas, clock: time_machine.Traveller) -> None:
    user = personas.practitioner
    enrol(user, clock)
    client = password_sign_in("practitioner")
    device = TOTPDevice.objects.get(user=user, confirmed=True)

    response = client.post(VERIFY, {"token": wrong_code_for(device), "next": REVIEWS})

    assert response.status_code == 200
    assert "The code is not right" in response.content.decode()
    event = AuditEvent.objects.get(event=Event.SECOND_FACTOR_FAILED)
    assert event.actor == user
    assert not AuditEvent.objects.filter(event=Event.SECOND_FACTOR_VERIFIED).exists()
    assert client.get(REVIEWS)["Location"].startswith(VERIFY)


def test_it_will_not_send_someone_to_another_site_after_the_code(
    personas: Personas, clock: time_machine.Traveller
) -> None:
    user = personas.practitioner
    enrol(user, clock)
    client = password_sign_in("practitioner")
    device = TOTPDevice.objects.get(user=user, confirmed=True)

    response = client.post(VERIFY, {"token": code_for(device), "next": "https://evil.example.com/"})

    assert response["Location"] == REVIEWS


def test_it_replaces_backup_codes_only_for_a_verified_session(
    personas: Personas, clock: time_machine.Traveller
) -> None:
    user = personas.practitioner
    old_codes = enrol(user, clock)
    client = password_sign_in("practitioner")

    refused = client.post(BACKUP_CODES)

    assert refused["Location"] == VERIFY
    assert set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True)) == set(old_codes)

    client.post(VERIFY, {"token": code_for(TOTPDevice.objects.get(user=user, confirmed=True))})
    client.post(BACKUP_CODES)
    new_codes = shown_codes(client.get(BACKUP_CODES).content.decode())

    assert len(new_codes) == 10
    assert not set(new_codes) & set(old_codes)
    assert AuditEvent.objects.filter(event=Event.BACKUP_CODES_REGENERATED, actor=user).count() == 1
