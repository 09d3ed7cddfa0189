"""What each audience's report holds: the team's names real people; the board's and the public's never do; the
public's has no staff names, no place names, minimal family detail and no episode table."""

from __future__ import annotations

import pytest

from caseview.reports.assembly import Document, assemble
from caseview.reports.tests.data import PLACE, REAL_NAMES, small_review
from conftest import Personas

pytestmark = pytest.mark.django_db


def test_it_follows_the_methods_report_structure(personas: Personas) -> None:
    document = assemble(review=small_review(personas), audience="board")
    assert [section.title for section in document.contents] == [
        "1. Introduction",
        "2. Methodology",
        "3. Findings",
        "Appendices",
    ]
    keys = [section.key for section in document.sections]
    for key in ["why-this-case", "summary", "family", "timeframe", "questions", "approach", "review-team"]:
        assert key in keys
    for key in ["case-group", "limitations", "overview", "window", "findings-list", "finding-1", "process"]:
        assert key in keys
    assert keys[-3:] == ["process", "membership", "episodes"]
    finding = document.section("finding-1")
    assert finding is not None
    assert "Finding 1: Nothing in the system makes a child's own words travel" in finding.text()
    assert "1.2 What would help schools share what children say?" in finding.text()
    timeframe = document.section("timeframe")
    assert timeframe is not None and "1 January 2025 to 9 February 2026" in timeframe.text()


def test_the_team_version_names_real_people(personas: Personas) -> None:
    text = assemble(review=small_review(personas), audience="team").text()
    assert "Tilly Oakfield (Child T)" in text
    assert "Dana Whitlow (Teacher 1)" in text
    assert "Lead Testperson" in text, "review team members by name"


@pytest.mark.parametrize("audience", ["board", "public"])
def test_board_and_public_versions_carry_no_real_identity(personas: Personas, audience: str) -> None:
    text = assemble(review=small_review(personas), audience=audience).text()
    for name in [*REAL_NAMES, "Lead Testperson", "Board Testperson"]:
        assert name not in text
    assert "Mother told the review what happened" in text, "names in the reviewers' text become labels"


def test_the_board_version_keeps_the_whole_analysis(personas: Personas) -> None:
    document = assemble(review=small_review(personas), audience="board")
    episodes = document.section("episodes")
    assert episodes is not None and "1. The school hears Child T's words" in episodes.text()
    family = document.section("family")
    assert family is not None and "Child T's mother" in family.text()
    assert PLACE in document.text()


def test_the_public_version_keeps_family_detail_minimal_and_names_no_place(personas: Personas) -> None:
    document = assemble(review=small_review(personas), audience="public")
    text = document.text()
    assert document.section("episodes") is None
    assert PLACE not in text
    assert "Education" in text, "agencies by their kind"
    family = document.section("family")
    assert family is not None
    assert "Child T, Mother" in family.text()
    assert "Child T's mother" not in text and "| 7" not in family.text()


def test_it_survives_being_kept_as_json(personas: Personas) -> None:
    document = assemble(review=small_review(personas), audience="board")
    assert Document.from_json(document.to_json()) == document


def test_the_team_version_reverses_the_pseudonyms_in_the_reviewers_words(personas: Personas) -> None:
    text = assemble(review=small_review(personas), audience="team").text()
    assert f"{REAL_NAMES[1]} told the review what happened" in text
    assert "Mother told the review" not in text
