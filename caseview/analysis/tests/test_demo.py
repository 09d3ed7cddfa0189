"""The demo's seven key practice episodes, which `caseview demo` loads onto its chronology and conversations."""

from __future__ import annotations

import pytest

from caseview.accounts.models import User
from caseview.analysis.demo import load_analysis_demo
from caseview.analysis.language import check
from caseview.analysis.models import KeyPracticeEpisode, Outcome, Valence
from caseview.analysis.services import completion_problems
from caseview.reviews.demo import load_demo
from caseview.reviews.models import Review
from conftest import TEST_ORIGIN


@pytest.fixture
def demo_review(db: None) -> Review:
    load_demo(password="demo-password-for-tests", origin=TEST_ORIGIN)
    return Review.objects.get(reference="CE2026")


def test_it_tells_the_scenarios_seven_episodes_good_and_problematic(demo_review: Review) -> None:
    episodes = list(KeyPracticeEpisode.objects.filter(review=demo_review))
    assert [episode.number for episode in episodes] == [1, 2, 3, 4, 5, 6, 7]
    assert {episode.valence for episode in episodes} == {Valence.GOOD, Valence.PROBLEMATIC, Valence.MIXED}
    assert episodes[6].title == "The 9-month review: a bruise on a crawling baby's ear"
    assert all(episode.factors.count() >= 2 for episode in episodes)
    assert all(episode.entries.exists() and episode.appraised for episode in episodes)
    assert [episode.complete for episode in episodes] == [True] * 6 + [False]
    assert completion_problems(episode=episodes[6]) == {}, "the last is ready for the reviewers to complete"
    assert Outcome.objects.get(review=demo_review).text.startswith("On 9 February 2026 Baby J")


def test_its_factors_cite_the_demo_chronology_and_are_written_without_blame(demo_review: Review) -> None:
    for episode in KeyPracticeEpisode.objects.filter(review=demo_review):
        for text in (episode.expected_practice, episode.practice_compared, episode.certainty_reason):
            assert check(text) == [], text
        for factor in episode.factors.all():
            assert check(factor.description) == [], factor.description
            assert set(factor.entries.all()) <= set(episode.entries.all())
    hv = KeyPracticeEpisode.objects.get(review=demo_review, number=7)
    assert [entry.agency.name for entry in hv.entries.all()] == ["Health visiting"]
    assert {factor.factor_type.key for factor in hv.factors.all()} >= {"work_workload", "org_policies"}


def test_loading_again_adds_nothing(demo_review: Review) -> None:
    result = load_analysis_demo(review=demo_review, lead=User.objects.get(username="lead"), origin=TEST_ORIGIN)
    assert result == {"episodes": 7}
    assert KeyPracticeEpisode.objects.filter(review=demo_review).count() == 7
