"""Nothing crosses from one partnership to another: reviews, audit events or agencies."""

from __future__ import annotations

import datetime as dt

import pytest

from caseview.reviews.models import Review
from caseview.reviews.tests.helpers import agency, date_parts, edit_form_data, other_partnership, streamed_text
from conftest import Personas, verified_client

EM2025_PAGES = [
    "/reviews/EM2025/",
    "/reviews/EM2025/edit/",
    "/reviews/EM2025/stage/",
    "/reviews/EM2025/questions/new/",
    "/reviews/EM2025/questions/1/",
    "/reviews/EM2025/people/",
    "/reviews/EM2025/people/add/",
    "/reviews/EM2025/chronology/",
    "/reviews/EM2025/participants/",
    "/reviews/EM2025/conversations/",
    "/reviews/EM2025/meetings/",
    "/reviews/EM2025/analysis/",
    "/reviews/EM2025/findings/",
    "/reviews/EM2025/report/",
    "/reviews/EM2025/audit/",
    "/reviews/EM2025/audit/export.csv",
]


@pytest.mark.parametrize("url", EM2025_PAGES)
def test_another_partnerships_administrator_gets_404(personas: Personas, url: str) -> None:
    other_partnership()
    client = verified_client(personas.admin)
    assert client.get(url).status_code == 404
    assert client.post(url, {}).status_code == 404


@pytest.mark.parametrize("url", ["/reviews/EM2025/", "/reviews/EM2025/people/", "/reviews/EM2025/audit/"])
def test_its_own_administrator_gets_in(personas: Personas, url: str) -> None:
    east = other_partnership()
    assert verified_client(east.admin).get(url).status_code == 200


def test_the_list_shows_only_your_own_partnerships_reviews(personas: Personas) -> None:
    east = other_partnership()
    ours = verified_client(personas.admin).get("/reviews/").content.decode()
    theirs = verified_client(east.admin).get("/reviews/").content.decode()
    assert "CK2019" in ours and "EM2025" not in ours
    assert "EM2025" in theirs and "CK2019" not in theirs


def test_the_partnership_audit_trail_leaves_out_the_other_partnership(personas: Personas) -> None:
    other_partnership()
    html = verified_client(personas.admin).get("/reviews/audit/").content.decode()
    assert "Created the review CK2019 (Child K)" in html
    assert "Created the review EM2025 (Young Person M)" not in html
    assert "Eastshire" not in html
    assert "eastadmin" not in html


def test_the_partnership_audit_export_leaves_out_the_other_partnership(personas: Personas) -> None:
    other_partnership()
    response = verified_client(personas.admin).get("/reviews/audit/export.csv")
    body = streamed_text(response)
    assert "Created the review CK2019 (Child K)" in body
    assert "EM2025" not in body
    assert "Eastshire" not in body


def test_the_edit_form_offers_only_this_partnerships_agencies(personas: Personas) -> None:
    agency(personas.partnership, "Westshire Police")
    other_partnership()
    html = verified_client(personas.lead).get("/reviews/CK2019/edit/").content.decode()
    assert "Westshire Police" in html
    assert "Eastshire Police" not in html


def test_the_edit_form_rejects_another_partnerships_agency(personas: Personas) -> None:
    east = other_partnership()
    data = edit_form_data(personas.review, agencies=[str(east.agency.pk)])
    response = verified_client(personas.lead).post("/reviews/CK2019/edit/", data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert set(personas.review.agencies.all()) == {personas.health, personas.police}


def test_the_create_form_offers_only_your_partnerships_agencies(personas: Personas) -> None:
    agency(personas.partnership, "Westshire Police")
    other_partnership()
    html = verified_client(personas.admin).get("/reviews/new/").content.decode()
    assert "Westshire Police" in html
    assert "Eastshire Police" not in html
    assert "Eastshire Partnership" not in html


def test_the_create_form_rejects_another_partnerships_agency_and_partnership(personas: Personas) -> None:
    east = other_partnership()
    data = {
        "partnership": str(personas.partnership.pk),
        "reference": "BJ2024",
        "title": "Baby J",
        "questions": "Q?",
        "trigger": "near_miss",
        "variant": "full",
        "purpose_statement": "Learning.",
        "agencies": [str(east.agency.pk)],
        **date_parts("period_start", dt.date(2023, 1, 1)),
        **date_parts("period_end", None),
    }
    client = verified_client(personas.admin)
    response = client.post("/reviews/new/", data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    response = client.post("/reviews/new/", {**data, "agencies": [], "partnership": str(east.partnership.pk)})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Review.objects.filter(reference="BJ2024").exists()


def test_a_person_commissioned_by_both_partnerships_cannot_mix_their_agencies(personas: Personas) -> None:
    east = other_partnership()
    east.partnership.lead_reviewers.add(personas.lead)
    data = {
        "partnership": str(personas.partnership.pk),
        "reference": "BJ2024",
        "title": "Baby J",
        "questions": "Q?",
        "trigger": "near_miss",
        "variant": "full",
        "purpose_statement": "Learning.",
        "agencies": [str(east.agency.pk)],
    }
    response = verified_client(personas.lead).post("/reviews/new/", data)
    assert response.status_code == 200
    assert "Choose agencies from this review&#x27;s partnership" in response.content.decode()
    assert not Review.objects.filter(reference="BJ2024").exists()
