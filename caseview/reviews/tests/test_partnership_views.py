"""A partnership administrator looks after accounts, agencies and commissioned lead reviewers."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from caseview.accounts.models import User
from caseview.core.audit import Event
from caseview.core.models import AuditEvent
from caseview.reviews import services
from caseview.reviews.models import Agency
from conftest import PASSWORD, TEST_ORIGIN, Personas, make_user, verified_client

pytestmark = pytest.mark.django_db


def _base(personas: Personas) -> str:
    return f"/partnerships/{personas.partnership.pk}/"


def test_it_creates_an_account_whose_owner_chooses_their_own_password(personas: Personas) -> None:
    admin = verified_client(personas.admin)
    response = admin.post(
        _base(personas) + "people/new/", {"username": "jo.whitfield", "full_name": "Jo Whitfield", "email": ""}
    )
    assert response.status_code == 200
    link = re.search(r'<code id="setup-link">http://testserver(/account/set-password/[^<]+)</code>', response.text)
    assert link, response.text
    person = User.objects.get(username="jo.whitfield")
    assert not person.has_usable_password()
    assert person.home_partnership == personas.partnership
    created = AuditEvent.objects.get(event=Event.USER_CREATED, object_id=str(person.pk))
    assert created.actor == personas.admin and created.partnership == personas.partnership

    visitor = Client()
    page = visitor.get(link.group(1))
    assert page.status_code == 200 and "jo.whitfield" in page.text
    mismatch = visitor.post(link.group(1), {"password": "a long enough phrase 1", "confirm": "something else"})
    assert "The passwords do not match" in mismatch.text
    done = visitor.post(link.group(1), {"password": "a long enough phrase 1", "confirm": "a long enough phrase 1"})
    assert done.status_code == 302
    person.refresh_from_db()
    assert person.check_password("a long enough phrase 1")
    assert AuditEvent.objects.filter(event=Event.PASSWORD_CHANGED, actor=person).exists()
    # The link worked once.
    assert visitor.get(link.group(1)).status_code == 404


def test_it_refuses_a_duplicate_username(personas: Personas) -> None:
    admin = verified_client(personas.admin)
    response = admin.post(_base(personas) + "people/new/", {"username": "LEAD", "full_name": "", "email": ""})
    assert "There is already an account called LEAD" in response.text
    assert User.objects.filter(username__iexact="lead").count() == 1


def test_it_adds_an_agency_once(personas: Personas) -> None:
    admin = verified_client(personas.admin)
    data = {"name": "Fernside Primary School", "sector": "education"}
    assert admin.post(_base(personas) + "agencies/new/", data).status_code == 302
    again = admin.post(_base(personas) + "agencies/new/", {**data, "name": "fernside primary school"})
    assert "already has an agency called fernside primary school" in again.text
    assert Agency.objects.filter(partnership=personas.partnership, name__iexact="fernside primary school").count() == 1


def test_it_commissions_a_lead_reviewer_who_may_then_start_reviews(personas: Personas) -> None:
    newcomer = make_user("newlead")
    assert verified_client(newcomer).get("/reviews/new/").status_code == 403
    admin = verified_client(personas.admin)
    assert admin.post(_base(personas) + "lead-reviewers/new/", {"username": "newlead"}).status_code == 302
    assert verified_client(newcomer).get("/reviews/new/").status_code == 200
    unknown = admin.post(_base(personas) + "lead-reviewers/new/", {"username": "nobody"})
    assert "There is no account with the username nobody" in unknown.text


def test_it_resets_a_lost_second_factor(personas: Personas) -> None:
    verified_client(personas.practitioner)  # gives them an authenticator
    assert TOTPDevice.objects.filter(user=personas.practitioner).exists()
    admin = verified_client(personas.admin)
    response = admin.post(_base(personas) + f"people/{personas.practitioner.pk}/reset-second-factor/")
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=personas.practitioner).exists()
    event = AuditEvent.objects.get(event=Event.SECOND_FACTOR_RESET)
    assert event.actor == personas.admin and event.partnership == personas.partnership
    # At their next sign-in they are sent to set up a new one.
    client = Client()
    client.post("/account/sign-in/", {"username": "practitioner", "password": PASSWORD})
    assert client.get("/reviews/")["Location"].startswith("/account/two-factor/set-up/")


def test_it_keeps_other_partnerships_people_out_of_reach(personas: Personas) -> None:
    other = services.partnership_create(name="Eastshire Partnership", by=None, origin=TEST_ORIGIN)
    stranger = make_user("eastperson")
    stranger.home_partnership = other
    stranger.save()
    admin = verified_client(personas.admin)
    assert admin.get(f"/partnerships/{other.pk}/").status_code == 404
    assert admin.get(_base(personas) + f"people/{stranger.pk}/").status_code == 404
    assert admin.post(_base(personas) + f"people/{stranger.pk}/setup-link/").status_code == 404
    assert "eastperson" not in admin.get(_base(personas)).text
