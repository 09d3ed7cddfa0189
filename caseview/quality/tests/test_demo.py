"""The demo's quality records, loaded onto the full demo review: gates G1 to G9 pass."""

from __future__ import annotations

import pytest

from caseview.accounts.models import User
from caseview.quality.demo import load_quality_demo
from caseview.quality.selectors import marker_summary, publication_readiness
from caseview.reviews.demo import load_demo
from caseview.reviews.models import Review
from conftest import TEST_ORIGIN


@pytest.mark.django_db
def test_it_passes_gates_g1_to_g9_on_the_demo_and_assesses_several_markers() -> None:
    load_demo(password="demo-password-for-tests", origin=TEST_ORIGIN)
    review = Review.objects.get(reference="CE2026")
    lead = User.objects.get(username="lead")
    assert load_quality_demo(review=review, lead=lead, origin=TEST_ORIGIN) == {"assessments": 6}, "loads once"
    state = publication_readiness(review)
    failing = {status.gate.code: [problem.text for problem in status.result.problems] for status in state.failing}
    assert list(failing) == ["G10"], failing  # the demo board has responded to findings 1 to 4 only
    assert review.parallel_processes.get().kind == "criminal"
    assert review.episodes.filter(hindsight_checked=False).count() == 0
    assert marker_summary(review=review).assessed == 6
