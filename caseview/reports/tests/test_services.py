"""Narrative parts, versions, sharing for comment, comments, sign-off and the final lock."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from caseview.core.audit import Event
from caseview.core.models import AuditEvent, StaleEdit
from caseview.findings.models import Finding
from caseview.reports import selectors, services
from caseview.reports.models import ReportNarrative, VersionStatus
from caseview.reports.tests.data import small_review
from conftest import TEST_ORIGIN, Personas

pytestmark = pytest.mark.django_db


def test_it_refuses_a_stale_narrative_edit(personas: Personas) -> None:
    review = small_review(personas)
    narrative = ReportNarrative.objects.get(review=review, part="summary")
    services.narrative_save(
        review=review,
        part="summary",
        text="First",
        expected_version=narrative.version,
        by=personas.lead,
        origin=TEST_ORIGIN,
    )
    with pytest.raises(StaleEdit):
        services.narrative_save(
            review=review,
            part="summary",
            text="Second",
            expected_version=narrative.version,
            by=personas.reviewer,
            origin=TEST_ORIGIN,
        )
    assert ReportNarrative.objects.get(review=review, part="summary").text == "First"
    assert AuditEvent.objects.filter(event=Event.REPORT_NARRATIVE_CHANGED, actor=personas.lead).count() == 9


def test_it_numbers_versions_per_audience_and_says_what_changed(personas: Personas) -> None:
    review = small_review(personas)
    first = services.version_build(review=review, audience="board", by=personas.lead, origin=TEST_ORIGIN)
    services.version_build(review=review, audience="public", by=personas.lead, origin=TEST_ORIGIN)
    Finding.objects.filter(review=review).update(why_it_matters="Children's views are missing from decisions.")
    services.narrative_save(
        review=review,
        part="limitations",
        text="No limitations of note.",
        expected_version=1,
        by=personas.lead,
        origin=TEST_ORIGIN,
    )
    second = services.version_build(review=review, audience="board", by=personas.lead, origin=TEST_ORIGIN)
    assert (first.number, second.number) == (1, 2)
    assert selectors.previous_of(second) == first
    changes = {change.title: change.lines for change in selectors.changes(version=second, previous=first)}
    finding = "Finding 1: Nothing in the system makes a child's own words travel beyond the service that hears them."
    assert set(changes) == {"Limitations", finding}
    assert ("+", "No limitations of note.") in changes["Limitations"]
    assert ("-", "Why it matters: The child's view is the one most often missing.") in changes[finding]
    assert bytes(second.pdf).startswith(b"%PDF") and bytes(second.docx).startswith(b"PK")


def test_it_shares_only_board_and_public_drafts_and_keeps_comments(personas: Personas) -> None:
    review = small_review(personas)
    team = services.version_build(review=review, audience="team", by=personas.lead, origin=TEST_ORIGIN)
    with pytest.raises(ValidationError):
        services.version_share(version=team, case_group=True, family=False, by=personas.lead, origin=TEST_ORIGIN)
    board = services.version_build(review=review, audience="board", by=personas.lead, origin=TEST_ORIGIN)
    with pytest.raises(ValidationError):
        services.comment_add(
            version=board, section_key="summary", text="Wrong", by=personas.practitioner, origin=TEST_ORIGIN
        )
    board = services.version_share(version=board, case_group=True, family=False, by=personas.lead, origin=TEST_ORIGIN)
    assert board.status == VersionStatus.SHARED
    comment = services.comment_add(
        version=board, section_key="summary", text="The visit was in May.", by=personas.practitioner, origin=TEST_ORIGIN
    )
    assert (comment.section_title, comment.text) == ("A brief summary of the case", "The visit was in May.")
    with pytest.raises(ValidationError):
        services.comment_add(version=board, section_key="summary", text="No", by=personas.parent, origin=TEST_ORIGIN)


def test_a_lead_reviewer_and_a_board_member_sign_off_and_the_version_locks(personas: Personas) -> None:
    review = small_review(personas)
    board = services.version_build(review=review, audience="board", by=personas.lead, origin=TEST_ORIGIN)
    with pytest.raises(ValidationError):
        services.sign_off(version=board, by=personas.reviewer, origin=TEST_ORIGIN)
    board = services.sign_off(version=board, by=personas.board, origin=TEST_ORIGIN)
    assert board.status == VersionStatus.DRAFT
    with pytest.raises(ValidationError):
        services.sign_off(version=board, by=personas.board, origin=TEST_ORIGIN)
    board = services.sign_off(version=board, by=personas.lead, origin=TEST_ORIGIN)
    assert board.status == VersionStatus.FINAL and board.finalised_at is not None
    assert [item.signed_as for item in board.sign_offs.all()] == ["board", "lead_reviewer"]
    with pytest.raises(ValidationError, match="final"):
        services.version_share(version=board, case_group=True, family=True, by=personas.lead, origin=TEST_ORIGIN)
    assert AuditEvent.objects.filter(event=Event.REPORT_FINALISED, review=review).count() == 1
