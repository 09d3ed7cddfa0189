"""Signing out: POST only, recorded in the audit trail, and the session is over."""

from __future__ import annotations

from django.test import Client

from caseview.core.audit import Event
from caseview.core.models import AuditEvent
from conftest import Personas, verified_client

SIGN_OUT = "/account/sign-out/"


def test_it_signs_out_and_records_it(personas: Personas) -> None:
    client = verified_client(personas.practitioner)

    response = client.post(SIGN_OUT, REMOTE_ADDR="203.0.113.20")

    assert response.status_code == 302
    assert response["Location"] == "/account/sign-in/"
    event = AuditEvent.objects.get(event=Event.SIGNED_OUT)
    assert event.actor == personas.practitioner
    assert event.ip_address == "203.0.113.20"
    assert "_auth_user_id" not in client.session
    assert client.get("/reviews/")["Location"].startswith("/account/sign-in/")


def test_it_says_so_after_signing_out(personas: Personas) -> None:
    client = verified_client(personas.practitioner)

    response = client.post(SIGN_OUT, follow=True)

    assert "You have signed out" in response.content.decode()


def test_it_refuses_to_sign_out_with_get(personas: Personas) -> None:
    client = verified_client(personas.practitioner)

    response = client.get(SIGN_OUT)

    assert response.status_code == 405
    assert not AuditEvent.objects.filter(event=Event.SIGNED_OUT).exists()
    assert client.get("/reviews/").status_code == 200, "still signed in"


def test_it_lets_someone_not_yet_past_the_second_factor_sign_out(client: Client, personas: Personas) -> None:
    client.force_login(personas.practitioner)

    response = client.post(SIGN_OUT)

    assert response["Location"] == "/account/sign-in/"
    assert AuditEvent.objects.filter(event=Event.SIGNED_OUT, actor=personas.practitioner).count() == 1


def test_it_records_nothing_when_nobody_was_signed_in(client: Client, db: None) -> None:
    response = client.post(SIGN_OUT)

    assert response.status_code == 302
    assert not AuditEvent.objects.filter(event=Event.SIGNED_OUT).exists()
