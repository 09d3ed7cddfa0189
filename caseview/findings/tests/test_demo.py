"""The demo's findings, loaded onto the full demo review."""

from __future__ import annotations

import pytest

from caseview.accounts.models import User
from caseview.analysis.language import check
from caseview.findings import selectors
from caseview.findings.demo import load_findings_demo
from caseview.findings.models import Finding
from caseview.findings.services import TEXT_FIELDS
from caseview.reviews.demo import load_demo
from caseview.reviews.models import Review
from conftest import TEST_ORIGIN


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
