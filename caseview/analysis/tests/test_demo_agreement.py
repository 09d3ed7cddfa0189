"""The demo's independent appraisals, loaded onto the full demo review."""

from __future__ import annotations

from fractions import Fraction

import pytest

from caseview.accounts.models import User
from caseview.analysis import agreement
from caseview.analysis.demo_agreement import load_agreement_demo
from caseview.analysis.language import check
from caseview.analysis.models import IndependentAppraisal, KeyPracticeEpisode
from caseview.reviews.demo import load_demo
from caseview.reviews.models import Review
from conftest import TEST_ORIGIN, verified_client


@pytest.fixture
def demo_review(db: None) -> Review:
    load_demo(password="demo-password-for-tests", origin=TEST_ORIGIN)
    return Review.objects.get(reference="CE2026")


def test_the_lead_and_the_reviewer_mostly_agree_but_not_on_episode_3(demo_review: Review) -> None:
    lead, reviewer = User.objects.get(username="lead"), User.objects.get(username="reviewer")
    submitted = IndependentAppraisal.objects.filter(episode__review=demo_review, submitted_at__isnull=False)
    assert submitted.count() == 12
    assert sorted(set(submitted.values_list("episode__number", flat=True))) == [1, 2, 3, 4, 5, 6]
    third = KeyPracticeEpisode.objects.get(review=demo_review, number=3)
    assert {a.reviewer: a.valence for a in agreement.appraisals_visible_to(user=lead, episode=third)} == {
        lead: "mixed",
        reviewer: "good",
    }
    [pair] = agreement.agreement_by_pair(user=lead, review=demo_review)
    assert pair.names == ("Priya Nandra", "Sam Okafor")
    assert len(pair.episodes) == 6
    # Valence agreed on 5 of 6; chance 1/2 (both said problematic 4 times in 6), so kappa is 2/3.
    assert (pair.valence.agreed, pair.valence.kappa) == (5, Fraction(2, 3))
    assert pair.valence.interpretation == "Substantial"
    assert pair.codes_positive.only_first and pair.codes_positive.only_second, "codes differ both ways"
    assert 0.6 < pair.codes.kappa_value < 1  # type: ignore[operator]
    assert all(check(appraisal.note) == [] for appraisal in submitted), "written without blame"


def test_the_demo_statistics_page_shows_kappa(demo_review: Review) -> None:
    page = verified_client(User.objects.get(username="reviewer")).get("/reviews/CE2026/analysis/agreement/statistics/")
    assert "Based on 6 episodes both appraised independently: 1, 2, 3, 4, 5 and 6." in page.content.decode()
    assert "0.67" in page.content.decode()


def test_loading_again_adds_nothing(demo_review: Review) -> None:
    result = load_agreement_demo(review=demo_review, lead=User.objects.get(username="lead"), origin=TEST_ORIGIN)
    assert result == {"independent_appraisals": 12}
    assert IndependentAppraisal.objects.filter(episode__review=demo_review).count() == 12
