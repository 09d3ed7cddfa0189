"""Personas shared by every test: one account per role in one review, plus an outsider and an administrator."""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from caseview.accounts.models import User
from caseview.core.audit import Origin
from caseview.reviews import services
from caseview.reviews.models import Agency, Partnership, Review, Role

TEST_ORIGIN = Origin(ip_address="127.0.0.1", user_agent="pytest")
PASSWORD = "correct-horse-battery-staple"


@dataclass
class Personas:
    partnership: Partnership
    review: Review
    health: Agency
    police: Agency
    lead: User
    reviewer: User
    practitioner: User
    parent: User
    board: User
    outsider: User
    contact: User
    admin: User
    superuser: User

    def by_name(self, name: str) -> User:
        user: User = getattr(self, name)
        return user


PERSONA_NAMES = ["lead", "reviewer", "practitioner", "parent", "board", "contact", "outsider", "admin", "superuser"]


def make_user(username: str, *, superuser: bool = False) -> User:
    user = User.objects.create_user(username=username, email=f"{username}@example.invalid", password=PASSWORD)
    user.full_name = f"{username.title()} Testperson"
    user.is_superuser = user.is_staff = superuser
    user.save()
    return user


def make_personas() -> Personas:
    partnership = services.partnership_create(name="Testshire Safeguarding Partnership", by=None, origin=TEST_ORIGIN)
    admin = make_user("admin")
    services.partnership_admin_add(partnership=partnership, user=admin, by=None, origin=TEST_ORIGIN)
    users = {
        name: make_user(name) for name in ["lead", "reviewer", "practitioner", "parent", "board", "contact", "outsider"]
    }
    services.partnership_lead_reviewer_add(partnership=partnership, user=users["lead"], by=None, origin=TEST_ORIGIN)
    review = services.review_create(
        partnership=partnership,
        reference="CK2019",
        title="Child K",
        questions=["How well do agencies share?"],
        period_start=dt.date(2018, 1, 1),
        period_end=dt.date(2019, 6, 30),
        purpose_statement="Learning, not blame.",
        by=admin,
        origin=TEST_ORIGIN,
    )
    health = services.agency_add(partnership=partnership, name="Health visiting", by=admin, origin=TEST_ORIGIN)
    police = services.agency_add(partnership=partnership, name="Police", by=admin, origin=TEST_ORIGIN)
    review.agencies.set([health, police])
    for name, role, agency in [
        ("lead", Role.LEAD_REVIEWER, None),
        ("reviewer", Role.REVIEW_TEAM, None),
        ("practitioner", Role.PRACTITIONER, health),
        ("parent", Role.FAMILY, None),
        ("board", Role.BOARD, None),
        ("contact", Role.AGENCY_CONTACT, police),
    ]:
        services.membership_add(review=review, user=users[name], role=role, agency=agency, by=admin, origin=TEST_ORIGIN)
    return Personas(
        partnership=partnership,
        review=review,
        health=health,
        police=police,
        admin=admin,
        superuser=make_user("root", superuser=True),
        **users,
    )


@pytest.fixture
def personas(db: None) -> Personas:
    return make_personas()


def verified_client(user: User, client: Client | None = None) -> Client:
    """A test client signed in as `user` with their second factor already proved."""
    client = client or Client()
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="test", confirmed=True
    )
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def client_for(db: None) -> Callable[..., Client]:
    return verified_client


def libreoffice_pdf(data: bytes, folder: Path, name: str = "document.docx") -> bytes:
    """A Word file opened in LibreOffice (Writer, headless) and saved as PDF: what LibreOffice users will see. A
    profile of its own in `folder`, so that runs side by side do not wait on each other's lock."""
    source = folder / name
    source.write_bytes(data)
    subprocess.run(
        [
            "libreoffice",
            f"-env:UserInstallation=file://{folder / 'libreoffice-profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return source.with_suffix(".pdf").read_bytes()
