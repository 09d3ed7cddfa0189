"""The demo's pseudonym registry and its one publication check, loaded onto the full demo review."""

from __future__ import annotations

import pytest

from caseview.accounts.models import User
from caseview.reports.check_services import hits_of
from caseview.reports.models import PublicationCheck
from caseview.reports.registry import pseudonymise
from caseview.reports.registry_demo import load_registry_demo
from caseview.reviews.demo import load_demo
from caseview.reviews.models import Review
from conftest import TEST_ORIGIN


@pytest.mark.django_db
def test_it_loads_the_registry_and_a_checked_draft_onto_the_demo() -> None:
    load_demo(password="demo-password-for-tests", origin=TEST_ORIGIN)
    review = Review.objects.get(reference="CE2026")
    lead = User.objects.get(username="lead")
    # The early draft's check, and the demo's public version's, checked as it was built.
    assert load_registry_demo(review=review, lead=lead, origin=TEST_ORIGIN) == {"entries": 8, "checks": 2}
    draft = PublicationCheck.objects.get(review=review, source="Draft public report, early.txt")
    found = {(hit.kind, hit.text) for hit in hits_of(draft)}
    assert found == {
        ("name", "Ellie"),
        ("organisation", "Fernside Primary School"),
        ("exact_date", "5 June 2025"),
        ("name", "Craig"),
        ("place", "7 Alder Court"),
        ("postcode", "WB4 2XT"),
        ("date_of_birth", "22 April 2025"),
    }
    assert pseudonymise(review=review, text="Leanne Marsh took Ellie to Fernside Primary School.") == (
        "Mother took Child E to the primary school."
    )
