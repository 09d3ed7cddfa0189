"""The demo's narrative, which the lead engineer wires into `caseview demo` after the rest of the demo."""

from __future__ import annotations

import pytest
from django.test import Client

from caseview.accounts.models import User
from caseview.analysis import narrative
from caseview.analysis.demo_narrative import NOVEMBER_CHANGED, NOVEMBER_FIRST, load_narrative_demo
from caseview.analysis.language import check
from caseview.analysis.models import MarkKind, NarrativeSection
from caseview.reviews.demo import load_demo
from caseview.reviews.models import Review
from conftest import TEST_ORIGIN, verified_client


@pytest.fixture
def demo_review(db: None) -> Review:
    load_demo(password="demo-password-for-tests", origin=TEST_ORIGIN)
    return Review.objects.get(reference="CE2026")


def test_it_tells_the_review_period_in_five_sections_with_text_marks_and_perspectives(demo_review: Review) -> None:
    sections = list(NarrativeSection.objects.filter(review=demo_review))
    assert [section.title for section in sections] == [
        "Pregnancy and birth",
        "Spring and summer 2025",
        "Autumn 2025",
        "November's incident",
        "Winter to February 2026",
    ]
    consents = narrative.Consents.of(demo_review)
    views = [narrative.section_view(section=s, columns=narrative.BY_PERSON, consents=consents) for s in sections]
    assert all(section.text and check(section.text) == [] for section in sections)
    assert all(view.marks for view in views)
    assert all(check(mark.mark.note) == [] for view in views for mark in view.marks)
    first = views[0]
    assert {column.heading for column in first.columns} >= {"Health visitor 1", "Mother"}
    differ = next(mark for mark in first.marks if mark.mark.kind == MarkKind.DIFFER)
    assert differ.perspectives == ["Health visitor 1, turning point 1", "Mother, turning point 1"]
    november = views[3]
    held = next(mark for mark in november.marks if mark.mark.kind == MarkKind.INFORMATION_HELD)
    assert held.held_by == ["Children's social care", "Early help", "Police"]
    assert "Health visiting" in held.not_held_by


def test_the_november_section_was_shared_commented_on_and_changed(demo_review: Review) -> None:
    november = NarrativeSection.objects.get(review=demo_review, title="November's incident")
    assert november.shared_with_case_group
    assert november.text == NOVEMBER_CHANGED
    versions = list(november.versions.order_by("number"))
    assert [version.text for version in versions] == [NOVEMBER_FIRST, NOVEMBER_CHANGED]
    comment = november.comments.get()
    assert comment.author_label == "Health visitor 1"
    assert versions[1].comment == comment and versions[1].reason == "After case group comment 1"
    assert comment.response
    assert NarrativeSection.objects.filter(review=demo_review, shared_with_case_group=True).count() == 1


def test_the_practitioner_reads_only_the_shared_section(demo_review: Review) -> None:
    practitioner: Client = verified_client(User.objects.get(username="practitioner"))
    page = practitioner.get("/reviews/CE2026/analysis/narrative/")
    assert page.status_code == 200
    assert "November&#x27;s incident" in page.content.decode()
    assert "Pregnancy and birth" not in page.content.decode()


def test_loading_again_adds_nothing(demo_review: Review) -> None:
    again = load_narrative_demo(review=demo_review, lead=User.objects.get(username="lead"), origin=TEST_ORIGIN)
    assert again == {"sections": 5}
    assert NarrativeSection.objects.filter(review=demo_review).count() == 5
