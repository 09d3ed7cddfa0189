"""The demo's findings, loaded onto the full demo review."""

from __future__ import annotations

import pytest

from caseview.accounts.models import User
from caseview.analysis.language import check
from caseview.findings import selectors
from caseview.findings.board_selectors import dashboard_for
from caseview.findings.demo import load_findings_demo
from caseview.findings.models import ActionPlanItem, ActionStatus, BoardResponse, Finding
from caseview.findings.services import TEXT_FIELDS
from caseview.reviews.demo import load_demo
from caseview.reviews.models import Review
from conftest import TEST_ORIGIN, verified_client


@pytest.mark.django_db
def test_it_loads_ranked_findings_across_the_typology_onto_the_demo() -> None:
    load_demo(password="demo-password-for-tests", origin=TEST_ORIGIN)
    review = Review.objects.get(reference="CE2026")
    lead = User.objects.get(username="lead")
    assert load_findings_demo(review=review, lead=lead, origin=TEST_ORIGIN) == {"findings": 6}
    assert load_findings_demo(review=review, lead=lead, origin=TEST_ORIGIN) == {"findings": 6}, "loads once"
    findings = list(Finding.objects.filter(review=review))
    assert len({finding.category for finding in findings}) >= 3
    assert sorted(finding.rank or 0 for finding in findings) == [1, 2, 3, 4, 5, 6]
    assert all(finding.rank_reason and finding.board_questions.exists() for finding in findings)
    assert all(finding.episodes.exists() for finding in findings)
    for finding in findings:
        for name in TEXT_FIELDS:
            assert check(getattr(finding, name)) == [], getattr(finding, name)
    first = selectors.chain_of(finding=findings[0])
    assert [link.episode.number for link in first.episodes] == [2, 5, 7]
    assert len(first.agencies) > 1


@pytest.mark.django_db
def test_it_loads_the_boards_response_and_an_action_plan_the_demo_board_member_sees() -> None:
    load_demo(password="demo-password-for-tests", origin=TEST_ORIGIN)
    load_demo(password="demo-password-for-tests", origin=TEST_ORIGIN)
    review = Review.objects.get(reference="CE2026")
    assert BoardResponse.objects.filter(finding__review=review, agreed_on__isnull=False).count() == 4
    actions = {item.finding.number: item for item in ActionPlanItem.objects.filter(review=review)}
    assert len(actions) == 4, "loads once"
    assert actions[1].status == ActionStatus.IN_PROGRESS and actions[1].progress_reviews.count() == 1
    assert actions[2].is_overdue
    assert actions[3].status == ActionStatus.NOT_STARTED and not actions[3].is_overdue
    assert actions[4].status == ActionStatus.IMPACT_EVIDENCED and "ten team-around-the-family meetings" in (
        actions[4].evidence_of_impact
    )
    for item in actions.values():
        assert check(item.action) == [] and check(item.success_measure) == []
    board = dashboard_for(user=User.objects.get(username="board"))
    assert [row.review.reference for row in board.reviews] == ["CE2026"]
    assert board.finding_count == 6 and board.action_count == 4
    assert [item.finding.number for item in board.overdue] == [2]
    client = verified_client(User.objects.get(username="board"))
    page = client.get("/board/").content.decode()
    assert "Revise the missed-appointments policy" in page
