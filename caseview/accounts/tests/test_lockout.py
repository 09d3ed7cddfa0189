"""Lockout (django-axes): five failures for one username from one address lock that pair out."""

from __future__ import annotations

import datetime as dt

import time_machine
from axes.models import AccessAttempt
from django.test import Client

from caseview.core.audit import Event
from caseview.core.models import AuditEvent
from conftest import PASSWORD, Personas

SIGN_IN = "/account/sign-in/"
ADDRESS = "192.0.2.44"


def fail_five_times(client: Client, username: str = "outsider", ip: str = ADDRESS) -> None:
    for _ in range(5):
        client.post(SIGN_IN, {"username": username, "password": "wrong-password"}, REMOTE_ADDR=ip)


def test_it_refuses_the_sixth_attempt_even_with_the_right_password(client: Client, personas: Personas) -> None:
    fail_five_times(client)

    response = client.post(SIGN_IN, {"username": "outsider", "password": PASSWORD}, REMOTE_ADDR=ADDRESS)

    assert response.status_code == 429
    assert "You cannot sign in at the moment" in response.content.decode()
    assert "Try again in 30 minutes" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert not AuditEvent.objects.filter(event=Event.SIGNED_IN).exists()


def test_it_counts_attempts_in_the_database(client: Client, personas: Personas) -> None:
    fail_five_times(client)

    attempt = AccessAttempt.objects.get(username="outsider")
    assert attempt.ip_address == ADDRESS
    assert attempt.failures_since_start == 5


def test_it_records_the_lockout_in_the_audit_trail(client: Client, personas: Personas) -> None:
    fail_five_times(client)
    client.post(SIGN_IN, {"username": "outsider", "password": PASSWORD}, REMOTE_ADDR=ADDRESS)

    events = AuditEvent.objects.filter(event=Event.LOCKED_OUT)
    assert events.exists()
    assert {event.actor_username for event in events} == {"outsider"}
    assert {event.ip_address for event in events} == {ADDRESS}


def test_it_records_one_lockout_event_per_refused_attempt(client: Client, personas: Personas) -> None:
    fail_five_times(client)
    before = AuditEvent.objects.filter(event=Event.LOCKED_OUT).count()

    client.post(SIGN_IN, {"username": "outsider", "password": PASSWORD}, REMOTE_ADDR=ADDRESS)

    assert AuditEvent.objects.filter(event=Event.LOCKED_OUT).count() == before + 1


def test_it_lets_four_failures_pass_without_a_lockout(client: Client, personas: Personas) -> None:
    for _ in range(4):
        response = client.post(SIGN_IN, {"username": "outsider", "password": "wrong-password"}, REMOTE_ADDR=ADDRESS)
        assert response.status_code == 200

    response = client.post(SIGN_IN, {"username": "outsider", "password": PASSWORD}, REMOTE_ADDR=ADDRESS)

    assert response.status_code == 302
    assert not AuditEvent.objects.filter(event=Event.LOCKED_OUT).exists()


def test_it_locks_out_only_that_username_from_that_address(client: Client, personas: Personas) -> None:
    fail_five_times(client)

    from_elsewhere = Client().post(SIGN_IN, {"username": "outsider", "password": PASSWORD}, REMOTE_ADDR="192.0.2.99")
    someone_else = Client().post(SIGN_IN, {"username": "board", "password": PASSWORD}, REMOTE_ADDR=ADDRESS)

    assert from_elsewhere.status_code == 302
    assert someone_else.status_code == 302


def test_it_lets_the_person_in_again_after_30_quiet_minutes(client: Client, personas: Personas) -> None:
    with time_machine.travel(dt.datetime(2025, 3, 4, 9, 0, tzinfo=dt.UTC), tick=False) as clock:
        fail_five_times(client)
        clock.shift(dt.timedelta(minutes=31))
        response = client.post(SIGN_IN, {"username": "outsider", "password": PASSWORD}, REMOTE_ADDR=ADDRESS)

    assert response.status_code == 302
    assert AuditEvent.objects.filter(event=Event.SIGNED_IN, actor=personas.outsider).count() == 1


def test_it_starts_the_30_minutes_again_after_an_attempt_during_the_lockout(client: Client, personas: Personas) -> None:
    with time_machine.travel(dt.datetime(2025, 3, 4, 9, 0, tzinfo=dt.UTC), tick=False) as clock:
        fail_five_times(client)
        clock.shift(dt.timedelta(minutes=29))
        during = client.post(SIGN_IN, {"username": "outsider", "password": PASSWORD}, REMOTE_ADDR=ADDRESS)
        clock.shift(dt.timedelta(minutes=2))
        soon_after = client.post(SIGN_IN, {"username": "outsider", "password": PASSWORD}, REMOTE_ADDR=ADDRESS)
        clock.shift(dt.timedelta(minutes=31))
        later = client.post(SIGN_IN, {"username": "outsider", "password": PASSWORD}, REMOTE_ADDR=ADDRESS)

    assert during.status_code == 429
    assert soon_after.status_code == 429
    assert later.status_code == 302


def test_it_starts_counting_again_after_a_successful_sign_in(client: Client, personas: Personas) -> None:
    for _ in range(2):
        for _ in range(4):
            client.post(SIGN_IN, {"username": "outsider", "password": "wrong-password"}, REMOTE_ADDR=ADDRESS)
        response = Client().post(SIGN_IN, {"username": "outsider", "password": PASSWORD}, REMOTE_ADDR=ADDRESS)
        assert response.status_code == 302

    assert not AuditEvent.objects.filter(event=Event.LOCKED_OUT).exists()
