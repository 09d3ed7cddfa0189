"""Narrative parts, versions, sharing for comment, comments, sign-off and the final lock."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from caseview.core.audit import Event
from caseview.core.models import AuditEvent, StaleEdit
from caseview.findings.models import Finding
from caseview.quality.selectors import publication_readiness
from caseview.quality.services import gate_override
from caseview.reports import selectors, services
from caseview.reports.check_services import hit_override, hits_of
from caseview.reports.interchange import review_json
from caseview.reports.models import NarrativePart, ReportNarrative, ReportVersion, VersionStatus
from caseview.reports.tests.data import PLACE, small_review
from caseview.reviews.models import Review, Stage
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


def _published_after_notice(public: ReportVersion, personas: Personas) -> ReportVersion:
    """Sent to the Panel today, published two weeks on."""
    public = services.version_sent_to_panel(
        version=public, sent_on=timezone.localdate(), by=personas.lead, origin=TEST_ORIGIN
    )
    with time_machine.travel(timezone.now() + dt.timedelta(days=14)):
        return services.version_publish(version=public, by=personas.lead, origin=TEST_ORIGIN)


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
    assert len(reasons) == 2 and reasons[0].startswith("Quality gates G"), reasons
    with pytest.raises(ValidationError, match="Quality gates"):
        services.version_publish(version=public, by=personas.lead, origin=TEST_ORIGIN)
    _override_gates_but_g9(review, personas)
    assert services.publication_blockers(version=public) == [
        "Record the day this version went to the Child Safeguarding Practice Review Panel and the Secretary of "
        "State: it is published at least 7 working days after."
    ]
    public = _published_after_notice(public, personas)
    assert public.published_at is not None and public.published_by == personas.lead
    assert AuditEvent.objects.filter(event=Event.REPORT_PUBLISHED, review=review).count() == 1
    assert services.publication_blockers(version=public)[0].endswith(
        f"was published on {public.published_at:%d %B %Y}."
    )


def test_it_publishes_seven_working_days_after_the_report_went_to_the_panel(personas: Personas) -> None:
    review = small_review(personas)
    Review.objects.filter(pk=review.pk).update(stage=Stage.BOARD_RESPONSE)
    _override_gates_but_g9(review, personas)
    with time_machine.travel(dt.datetime(2026, 12, 18, 10, tzinfo=dt.UTC), tick=False):  # a Friday
        public = _signed_public(review, personas)
        with pytest.raises(ValidationError, match="today or in the past"):
            services.version_sent_to_panel(
                version=public, sent_on=dt.date(2026, 12, 19), by=personas.lead, origin=TEST_ORIGIN
            )
        with pytest.raises(ValidationError, match="on or after 18 December 2026, when it was signed off"):
            services.version_sent_to_panel(
                version=public, sent_on=dt.date(2026, 12, 17), by=personas.lead, origin=TEST_ORIGIN
            )
        public = services.version_sent_to_panel(
            version=public, sent_on=dt.date(2026, 12, 18), by=personas.lead, origin=TEST_ORIGIN
        )
    review.refresh_from_db()
    assert review.stage == Stage.SENT_TO_PANEL
    assert AuditEvent.objects.filter(event=Event.REPORT_SENT_TO_PANEL, review=review).count() == 1
    # Christmas Day and Boxing Day (moved to Monday the 28th) are not working days.
    assert services.earliest_publication(public) == dt.date(2026, 12, 31)
    with time_machine.travel(dt.datetime(2026, 12, 30, 10, tzinfo=dt.UTC), tick=False):
        assert services.publication_blockers(version=public) == [
            "It went to the Panel and the Secretary of State on 18 December 2026: it may be published from "
            "31 December 2026, 7 working days later."
        ]
        with pytest.raises(ValidationError, match="31 December 2026"):
            services.version_publish(version=public, by=personas.lead, origin=TEST_ORIGIN)
    with time_machine.travel(dt.datetime(2026, 12, 31, 9, tzinfo=dt.UTC), tick=False):
        public = services.version_publish(
            version=public,
            by=personas.lead,
            origin=TEST_ORIGIN,
            publication_url=" https://www.example.gov.uk/reviews/ck2019 ",
        )
        with pytest.raises(ValidationError, match="on or after 31 December 2026, when it was published"):
            services.version_repository_submitted(
                version=public, submitted_on=dt.date(2026, 12, 30), by=personas.lead, origin=TEST_ORIGIN
            )
        public = services.version_repository_submitted(
            version=public, submitted_on=dt.date(2026, 12, 31), by=personas.lead, origin=TEST_ORIGIN
        )
    review.refresh_from_db()
    assert review.stage == Stage.PUBLISHED
    assert public.publication_url == "https://www.example.gov.uk/reviews/ck2019"
    assert public.repository_submitted_on == dt.date(2026, 12, 31)
    assert AuditEvent.objects.filter(event=Event.REPORT_IN_REPOSITORY, review=review).count() == 1
    assert review_json(review=review, audience="public")["publication"] == {
        "sent_to_panel_on": "2026-12-18",
        "published_on": "2026-12-31",
        "publication_url": "https://www.example.gov.uk/reviews/ck2019",
        "repository_submitted_on": "2026-12-31",
    }


def test_only_a_final_public_version_goes_to_the_panel(personas: Personas) -> None:
    review = small_review(personas)
    draft = services.version_build(review=review, audience="public", by=personas.lead, origin=TEST_ORIGIN)
    with pytest.raises(ValidationError, match="Only a final public version"):
        services.version_sent_to_panel(
            version=draft, sent_on=timezone.localdate(), by=personas.lead, origin=TEST_ORIGIN
        )
    with pytest.raises(ValidationError, match="Only a published report"):
        services.version_repository_submitted(
            version=draft, submitted_on=timezone.localdate(), by=personas.lead, origin=TEST_ORIGIN
        )
    assert ReportVersion.objects.get(pk=draft.pk).sent_to_panel_on is None


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
    assert not any("G9" in reason for reason in services.publication_blockers(version=public)), (
        "the check's own reason says it once; G9 asks the same of the latest version"
    )
    assert public.publication_check is not None
    hit_override(
        publication_check=public.publication_check,
        hit_number=1,
        reason="The school is named in the national inquiry",
        by=personas.lead,
        origin=TEST_ORIGIN,
    )
    assert len(services.publication_blockers(version=public)) == 1, "only the Panel's notice is left"
    _published_after_notice(public, personas)


def test_it_refuses_to_publish_anything_but_a_public_version(personas: Personas) -> None:
    review = small_review(personas)
    board = services.version_build(review=review, audience="board", by=personas.lead, origin=TEST_ORIGIN)
    with pytest.raises(ValidationError, match="Only the public version"):
        services.version_publish(version=board, by=personas.lead, origin=TEST_ORIGIN)
