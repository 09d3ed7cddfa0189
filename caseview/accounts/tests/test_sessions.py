"""Idle sessions expire; a session in use is renewed with every request."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.conf import settings

import caseview.settings as production_settings
from conftest import Personas, verified_client

REVIEWS = "/reviews/"
START = dt.datetime(2025, 3, 4, 9, 0, tzinfo=dt.UTC)


def test_it_sets_the_session_age_from_the_idle_minutes() -> None:
    assert settings.SESSION_IDLE_MINUTES == 30
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_IDLE_MINUTES * 60 == 1800
    assert production_settings.SESSION_COOKIE_AGE == production_settings.SESSION_IDLE_MINUTES * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"


def test_it_signs_out_a_session_left_idle_for_31_minutes(personas: Personas) -> None:
    with time_machine.travel(START, tick=False) as clock:
        client = verified_client(personas.practitioner)
        assert client.get(REVIEWS).status_code == 200

        clock.shift(dt.timedelta(minutes=31))
        response = client.get(REVIEWS)

    assert response.status_code == 302
    assert response["Location"].startswith("/account/sign-in/")


def test_it_keeps_a_session_that_was_idle_for_29_minutes(personas: Personas) -> None:
    with time_machine.travel(START, tick=False) as clock:
        client = verified_client(personas.practitioner)
        client.get(REVIEWS)

        clock.shift(dt.timedelta(minutes=29))
        response = client.get(REVIEWS)

    assert response.status_code == 200


def test_it_keeps_a_session_in_use_every_20_minutes_past_40_minutes(personas: Personas) -> None:
    with time_machine.travel(START, tick=False) as clock:
        client = verified_client(personas.practitioner)
        statuses = [client.get(REVIEWS).status_code]
        for _ in range(3):
            clock.shift(dt.timedelta(minutes=20))
            statuses.append(client.get(REVIEWS).status_code)

    assert statuses == [200, 200, 200, 200], "signed in at 0, 20, 40 and 60 minutes"


def test_it_keeps_the_second_factor_with_the_renewed_session(personas: Personas) -> None:
    with time_machine.travel(START, tick=False) as clock:
        client = verified_client(personas.practitioner)
        client.get(REVIEWS)
        clock.shift(dt.timedelta(minutes=25))
        client.get(REVIEWS)
        clock.shift(dt.timedelta(minutes=25))

        response = client.get(REVIEWS)

    assert response.status_code == 200, "not sent back to enter a code 50 minutes after signing in"
