"""The demo's information flow: who told whom, and what never arrived, seen through held-not-shared."""

from __future__ import annotations

import datetime as dt

import pytest

from caseview.accounts.models import User
from caseview.analysis.demo_flow import COMMUNICATIONS, load_flow_demo
from caseview.analysis.flow_selectors import agency_party, as_known, flow_rows, held_not_shared
from caseview.analysis.models import Communication
from caseview.reviews.demo import load_demo
from caseview.reviews.models import Agency, Review
from conftest import TEST_ORIGIN


@pytest.fixture
def demo_review(db: None) -> Review:
    load_demo(password="demo-password-for-tests", origin=TEST_ORIGIN)
    return Review.objects.get(reference="CE2026")


def _agency(review: Review, name: str) -> Agency:
    return Agency.objects.get(partnership=review.partnership, name=name)


def _held(review: Review, agency: str, on: dt.date) -> dict[str, list[str]]:
    """Holder's name -> the descriptions of what it held that `agency` did not have."""
    return {
        group.agency.name: [item.entry.description for item in group.items]
        for group in held_not_shared(review=review, agency=_agency(review, agency), on=on)
    }


def test_it_records_who_told_whom_with_the_invitation_nobody_saw(demo_review: Review) -> None:
    rows = flow_rows(review=demo_review)
    assert len(rows) == len(COMMUNICATIONS) == 10
    assert [(row.sender.name, row.recipient.name) for row in rows[:2]] == [
        ("Police", "Children's social care"),
        ("Children's social care", "Mother"),
    ]
    unseen = [row for row in rows if not row.received]
    assert [(row.sender.name, row.recipient.name, row.information) for row in unseen] == [
        ("Early help", "Health visiting", "Invitation to the team-around-the-family meeting")
    ]


def test_health_visiting_on_19_january_had_neither_the_november_incident_nor_the_conviction(
    demo_review: Review,
) -> None:
    held = _held(demo_review, "Health visiting", dt.date(2026, 1, 19))
    incident = "Domestic incident: partner pushed mother"
    for holder in ("Police", "Children's social care", "Early help", "Fernside Primary School"):
        assert any(text.startswith(incident) for text in held[holder]), holder
    assert any("2021 conviction" in text for text in held["Police"])
    assert not any("2021 conviction" in text for name, texts in held.items() if name != "Police" for text in texts)
    # The perinatal discharge reached the GP but never health visiting; the hole in the wall reached nobody.
    assert any(text.startswith("Mother misses a second appointment") for text in held["GP practice"])
    assert any(text.startswith("Neighbour complains of noise") for text in held["Housing association"])
    assert "Health visiting" not in held


def test_the_gp_did_not_have_the_november_incident_and_the_mash_did_not_have_the_conviction(
    demo_review: Review,
) -> None:
    gp = _held(demo_review, "GP practice", dt.date(2025, 11, 25))
    assert any(text.startswith("Domestic incident: partner pushed mother") for text in gp["Police"])
    mash = _held(demo_review, "Children's social care", dt.date(2025, 11, 11))
    assert any("2021 conviction" in text for text in mash["Police"])
    assert not any(text.startswith("Domestic incident: partner pushed") for text in mash.get("Police", []))


def test_the_school_before_the_police_incident_knew_nothing_of_it(demo_review: Review) -> None:
    school = agency_party(_agency(demo_review, "Fernside Primary School"))
    known = as_known(review=demo_review, party=school, on=dt.date(2025, 11, 9))
    texts = [entry.description for entry, _ in known.own] + [
        entry.description for told in known.told for entry, _ in told.carried
    ]
    assert texts and not any("pushed mother" in text for text in texts)
    assert known.hidden_later > 0
    after = as_known(review=demo_review, party=school, on=dt.date(2025, 11, 11))
    assert any("pushed mother" in entry.description for told in after.told for entry, _ in told.carried)


def test_loading_again_adds_nothing(demo_review: Review) -> None:
    result = load_flow_demo(review=demo_review, lead=User.objects.get(username="lead"), origin=TEST_ORIGIN)
    assert result == {"communications": 10}
    assert Communication.objects.filter(review=demo_review).count() == 10
