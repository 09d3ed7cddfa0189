"""The 18 quality markers as a self-assessment: each save kept, the latest shown, a summary, and who may do what."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection

from caseview.core.audit import Event
from caseview.core.models import AuditEvent
from caseview.quality import services
from caseview.quality.markers import GROUPS, MARKERS
from caseview.quality.models import QualityMarkerAssessment, Rating
from caseview.quality.selectors import marker_history, marker_summary
from caseview.reviews.models import Review, Stage
from conftest import TEST_ORIGIN, Personas, verified_client

pytestmark = pytest.mark.django_db


def test_it_has_18_markers_in_three_groups_each_with_three_to_five_questions() -> None:
    assert [marker.number for marker in MARKERS] == list(range(1, 19))
    assert [sum(marker.group == group for marker in MARKERS) for group in GROUPS] == [5, 8, 5]
    assert all(marker.statement and 3 <= len(marker.questions) <= 5 for marker in MARKERS)


def test_it_keeps_every_assessment_with_the_stage_at_the_time_and_shows_the_latest(personas: Personas) -> None:
    with time_machine.travel("2026-04-01 10:00Z"):
        services.marker_assess(
            review=personas.review,
            marker=9,
            answers=["The police investigation is recorded."],
            rating=Rating.PARTLY_MET,
            notes="Disclosure not agreed yet",
            by=personas.reviewer,
            origin=TEST_ORIGIN,
        )
    Review.objects.filter(pk=personas.review.pk).update(stage=Stage.ANALYSIS)
    personas.review.refresh_from_db()
    with time_machine.travel("2026-05-01 10:00Z"):
        services.marker_assess(
            review=personas.review,
            marker=9,
            answers=["Recorded", "Agreed in writing", "Told at the briefing"],
            rating=Rating.MET,
            notes="",
            by=personas.lead,
            origin=TEST_ORIGIN,
        )
    history = marker_history(review=personas.review, number=9)
    assert [(item.rating, item.stage, item.assessed_by) for item in history] == [
        (Rating.MET, Stage.ANALYSIS, personas.lead),
        (Rating.PARTLY_MET, Stage.COMMISSIONED, personas.reviewer),
    ]
    assert history[1].answers == ["The police investigation is recorded.", "", ""]
    assert history[1].notes == "Disclosure not agreed yet"
    assert AuditEvent.objects.filter(event=Event.QUALITY_MARKER_ASSESSED).count() == 2
    summary = marker_summary(review=personas.review)
    assert summary.assessed == 1
    assert {rating: count for rating, _, count in summary.counts} == {
        "met": 1,
        "partly_met": 0,
        "not_met": 0,
        "not_applicable": 0,
        "not_assessed": 17,
    }


def test_it_refuses_an_assessment_without_a_rating_or_of_a_marker_that_does_not_exist(personas: Personas) -> None:
    with pytest.raises(ValidationError) as caught:
        services.marker_assess(
            review=personas.review, marker=4, answers=[], rating="", notes="", by=personas.lead, origin=TEST_ORIGIN
        )
    assert set(caught.value.message_dict) == {"rating"}
    with pytest.raises(ValidationError):
        services.marker_assess(
            review=personas.review, marker=19, answers=[], rating="met", notes="", by=personas.lead, origin=TEST_ORIGIN
        )
    assert not QualityMarkerAssessment.objects.exists()


def test_it_keeps_answers_and_notes_encrypted(personas: Personas) -> None:

    services.marker_assess(
        review=personas.review,
        marker=12,
        answers=["The mother chose where"],
        rating="met",
        notes="Grandmother asked to see the draft",
        by=personas.lead,
        origin=TEST_ORIGIN,
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT answers_json, notes FROM quality_qualitymarkerassessment")
        stored = " ".join(cursor.fetchone())
    assert "mother" not in stored and "Grandmother" not in stored


def test_the_summary_page_shows_every_marker_by_group_with_a_chart_and_a_table(personas: Personas) -> None:
    services.marker_assess(
        review=personas.review, marker=5, answers=[], rating="not_met", notes="", by=personas.lead, origin=TEST_ORIGIN
    )
    page = verified_client(personas.board).get("/reviews/CK2019/quality/markers/").content.decode()
    for group in GROUPS:
        assert f">{group}</caption>" in page
    assert len(re.findall(r'href="/reviews/CK2019/quality/markers/\d+/"', page)) == 18
    assert "<svg" in page and "Not met: 1; Not applicable: 0; Not assessed yet: 17." in page
    assert "1 of 18 markers assessed" in page
    assert "lead," in page and "Not met</strong>" in page


def test_a_reviewer_assesses_a_marker_on_its_page(personas: Personas) -> None:
    client = verified_client(personas.reviewer)
    page = client.get("/reviews/CK2019/quality/markers/13/").content.decode()
    assert "Which specific techniques kept hindsight and outcome bias out?" in page
    assert 'action="/reviews/CK2019/quality/markers/13/assess/"' in page
    refused = client.post("/reviews/CK2019/quality/markers/13/assess/", {"answer_2": "Outcome kept off"})
    assert refused.status_code == 400 and "Choose a rating" in refused.content.decode()
    client.post(
        "/reviews/CK2019/quality/markers/13/assess/",
        {"answer_2": "Outcome kept off the screens", "rating": "partly_met", "notes": "More working-out"},
    )
    saved = QualityMarkerAssessment.objects.get()
    assert (saved.marker, saved.rating, saved.answers[1]) == (13, "partly_met", "Outcome kept off the screens")
    page = client.get("/reviews/CK2019/quality/markers/13/").content.decode()
    assert "Outcome kept off the screens" in page and "More working-out" in page
    assert client.get("/reviews/CK2019/quality/markers/19/").status_code == 404


def test_the_board_sees_the_markers_but_cannot_assess(personas: Personas) -> None:
    client = verified_client(personas.board)
    page = client.get("/reviews/CK2019/quality/markers/1/").content.decode()
    assert "How might you know you are meeting this?" in page and "Save the assessment" not in page
    assert client.post("/reviews/CK2019/quality/markers/1/assess/", {"rating": "met"}).status_code == 403
    assert not QualityMarkerAssessment.objects.exists()


@pytest.mark.parametrize(("persona", "status"), [("practitioner", 403), ("parent", 403), ("outsider", 404)])
def test_the_case_group_and_outsiders_do_not_see_quality(personas: Personas, persona: str, status: int) -> None:
    client = verified_client(personas.by_name(persona))
    for url in ("/reviews/CK2019/quality/", "/reviews/CK2019/quality/markers/", "/reviews/CK2019/quality/markers/1/"):
        assert client.get(url).status_code == status, url


def test_the_review_nav_shows_quality_after_findings(personas: Personas) -> None:
    page = verified_client(personas.lead).get("/reviews/CK2019/").content.decode()
    assert page.index(">Findings</a>") < page.index(">Quality</a>") < page.index(">Report</a>")
    assert ">Quality</a>" not in verified_client(personas.practitioner).get("/reviews/CK2019/").content.decode()
