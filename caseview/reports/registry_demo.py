"""The demo's pseudonym registry for CE2026 "Child E" (see the scenario), and one publication check of a draft.

Every place and organisation here is invented. People come into the registry by themselves from the demo's
participants and members; these are what the review team adds by hand.
"""

from __future__ import annotations

from caseview.accounts.models import User
from caseview.core.audit import Origin
from caseview.reports import check_services, registry_services
from caseview.reports.models import EntryKind, RegistryEntry
from caseview.reviews.models import Review

# (kind, as written in records, other ways of writing it, what reports say instead)
ENTRIES = [
    (EntryKind.PLACE, "7 Alder Court", "Alder Court", "the family home"),
    (EntryKind.PLACE, "12 Heron Way", "Heron Way", "the maternal grandmother's home"),
    (EntryKind.PLACE, "Dunmere", "", "another town"),
    (EntryKind.ORGANISATION, "Fernside Primary School", "Fernside Primary\nFernside School", "the primary school"),
    (EntryKind.ORGANISATION, "Millbrook Surgery", "Millbrook Medical Practice", "the GP practice"),
    (EntryKind.ORGANISATION, "Westbrook Wildcats", "", "a sports club"),
    (EntryKind.RARE_DETAIL, "junior county swimming champion", "county swimming champion", "a keen swimmer"),
    (EntryKind.PERSON, "Ellie-Mae", "", "Child E"),
]

# A paragraph from an early draft of the public report, before the team took the identifiers out.
DRAFT = """Child E's voice in the records

Ellie, then six, told the teaching assistant at Fernside Primary School on 5 June 2025 that "Craig shouted at
Mummy and broke the TV". The family lived at 7 Alder Court, WB4 2XT. Baby J was born on 22 April 2025.
The GP practice saw Baby J with a cold in January 2026; no injuries were recorded.
"""


def load_registry_demo(*, review: Review, lead: User, origin: Origin) -> dict[str, int]:
    """Add the demo's places, organisations and rare details once, and check one early draft against them."""
    if not RegistryEntry.objects.filter(review=review).exists():
        for kind, real_text, variants, replacement in ENTRIES:
            registry_services.entry_add(
                review=review,
                kind=kind,
                real_text=real_text,
                variants=variants,
                replacement=replacement,
                by=lead,
                origin=origin,
            )
    if not check_services.checks_of(review=review).exists():
        check_services.check_run(
            review=review, data=DRAFT.encode(), source="Draft public report, early.txt", by=lead, origin=origin
        )
    return {
        "entries": RegistryEntry.objects.filter(review=review).count(),
        "checks": check_services.checks_of(review=review).count(),
    }
