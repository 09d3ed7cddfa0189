"""Narrative parts, versions, sharing for comment, comments, sign-off and the final lock."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from caseview.core.audit import Event
from caseview.core.models import AuditEvent, StaleEdit
from caseview.findings.models import Finding
from caseview.quality.selectors import publication_readiness
from caseview.quality.services import gate_override
from caseview.reports import selectors, services
from caseview.reports.check_services import hit_override, hits_of
from caseview.reports.models import NarrativePart, ReportNarrative, ReportVersion, VersionStatus
from caseview.reports.tests.data import PLACE, small_review
from caseview.reviews.models import Review
from conftest import TEST_ORIGIN, Personas

pytestmark = pytest.mark.django_db


def _save_summary(review: Review, personas: Personas, text: str) -> None:
    current = ReportNarrative.objects.get(review=review, part=NarrativePart.SUMMARY)
    services.narrative_save(
        review=review,
        part=NarrativePart.SUMMARY,
        text=text,
        expected_version=current.version,
        by=personas.lead,
        origin=TEST_ORIGIN,
    )


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


def _signed_public(review: Review, personas: Personas) -> ReportVersion:
    public = services.version_build(review=review, audience="public", by=personas.lead, origin=TEST_ORIGIN)
    services.sign_off(version=public, by=personas.board, origin=TEST_ORIGIN)
    return services.sign_off(version=public, by=personas.lead, origin=TEST_ORIGIN)


def _override_gates_but_g9(review: Review, personas: Personas) -> None:
    for status in publication_readiness(review).failing:
        if status.gate.code != "G9":
            gate_override(review=review, gate=status.gate.code, reason="Agreed", by=personas.lead, origin=TEST_ORIGIN)


def test_it_checks_a_public_version_as_it_is_built(personas: Personas) -> None:
    review = small_review(personas)
    _save_summary(review, personas, f"{PLACE} noticed first.")
    public = services.version_build(review=review, audience="public", by=personas.lead, origin=TEST_ORIGIN)
    assert public.publication_check is not None
    assert [hit.text for hit in hits_of(public.publication_check)] == [PLACE]
    board = services.version_build(review=review, audience="board", by=personas.lead, origin=TEST_ORIGIN)
    assert board.publication_check is None, "only the public version is checked for publication"


def test_it_publishes_only_a_signed_off_clean_public_version_with_every_gate_cleared(personas: Personas) -> None:
    review = small_review(personas)
    public = services.version_build(review=review, audience="public", by=personas.lead, origin=TEST_ORIGIN)
    assert services.publication_blockers(version=public)[0] == (
        "A lead reviewer and a board member must both sign this version off."
    )
    public = _signed_public(review, personas)
    reasons = services.publication_blockers(version=public)
    assert len(reasons) == 1 and reasons[0].startswith("Quality gates G"), reasons
    with pytest.raises(ValidationError, match="Quality gates"):
        services.version_publish(version=public, by=personas.lead, origin=TEST_ORIGIN)
    _override_gates_but_g9(review, personas)
    assert services.publication_blockers(version=public) == []
    public = services.version_publish(version=public, by=personas.lead, origin=TEST_ORIGIN)
    assert public.published_at is not None and public.published_by == personas.lead
    assert AuditEvent.objects.filter(event=Event.REPORT_PUBLISHED, review=review).count() == 1
    assert services.publication_blockers(version=public)[0].endswith(
        f"was published on {public.published_at:%d %B %Y}."
    )


def test_it_blocks_publication_while_the_check_finds_something_until_it_is_fixed_or_let_stand(
    personas: Personas,
) -> None:
    review = small_review(personas)
    _override_gates_but_g9(review, personas)
    _save_summary(review, personas, f"{PLACE} noticed first.")
    public = _signed_public(review, personas)
    assert any(
        "found 1 thing that could identify someone" in reason
        for reason in services.publication_blockers(version=public)
    )
    assert not publication_readiness(review).ready, "G9 does not pass either"
    assert public.publication_check is not None
    hit_override(
        publication_check=public.publication_check,
        hit_number=1,
        reason="The school is named in the national inquiry",
        by=personas.lead,
        origin=TEST_ORIGIN,
    )
    assert services.publication_blockers(version=public) == []
    services.version_publish(version=public, by=personas.lead, origin=TEST_ORIGIN)


def test_it_refuses_to_publish_anything_but_a_public_version(personas: Personas) -> None:
    review = small_review(personas)
    board = services.version_build(review=review, audience="board", by=personas.lead, origin=TEST_ORIGIN)
    with pytest.raises(ValidationError, match="Only the public version"):
        services.version_publish(version=board, by=personas.lead, origin=TEST_ORIGIN)
