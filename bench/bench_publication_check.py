"""The publication check benchmark (issue 7): caseview's check of a 200-page report against a plain scan.

    python bench/bench_publication_check.py [--pages 200] [--participants 60] [--repeat 5]

Builds a review in a fresh SQLite file with a realistic pseudonym registry (60 participants with invented
names, the review's members, places, organisations and rare details), and the text of a public report of
about 500 words a page with identifiers planted in it: names and their parts, an address and a postcode, NHS,
National Insurance and phone numbers, an email address, a date of birth and exact dates, a school's name.
Then it times, in the same process and run, each the best of `--repeat`:

- caseview: `check_text` over the text with the registry's terms (caseview.reports.check), every detector,
  its one compiled pattern for the registry built inside the clock; reading the registry from the database
  (`check_terms`) is timed and shown apart, as it does not depend on the document's length;
- baseline: the same text lowercased, searched with `str.find` for every one of the same literal strings the
  registry holds (names, name parts, places, variants), counting each occurrence: what a reviewer's script
  would do for the names alone, and none of the patterns.

The target (issue 7) is caseview's time at most twice the baseline's (ratio <= 2.0). It exits 0 whatever the
ratio (a benchmark reports; it is not a test) and non-zero when the check misses a planted identifier.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TARGET_RATIO = 2.0
SEED = 7
WORDS_PER_PAGE = 500

# Invented names: combinations, not anyone real.
FIRST_NAMES = [
    "Alys", "Bryn", "Corin", "Delyth", "Emrys", "Ffion", "Gethin", "Heledd", "Idris", "Jenna", "Kerensa", "Lowri",
    "Macsen", "Nerys", "Owain", "Peris", "Rhian", "Siôn", "Tegan", "Ulric", "Vanna", "Wynn", "Ysolde", "Zadie",
    "Ansel", "Briony", "Caspian", "Darcey", "Elowen", "Fenwick",
]  # fmt: skip
SURNAMES = [
    "Ashdown", "Brackley", "Corrigall", "Dunstable", "Elphick", "Fairweather", "Gowdie", "Hartigan", "Inchley",
    "Jessop", "Kettleby", "Loxley", "Mottram", "Nettleship", "Ormerod", "Pennock", "Quarrie", "Redfern",
    "Stobart", "Tolhurst", "Urquhart", "Venables", "Whitlock", "Yardley",
]  # fmt: skip
POSITIONS = [
    "Health visitor", "Social worker", "Team manager", "Police officer", "Teacher", "GP", "Midwife",
    "Family worker", "Housing officer", "Outreach worker",
]  # fmt: skip
SENTENCES = [
    "The review considered how information about the adults in the household travelled between agencies.",
    "{label} described a heavy workload and competing priorities at the time of the visit.",
    "Practitioners told the review that the screening form asked about the severity of the incident.",
    "In March 2025 the family was known to several services, each of which held part of the picture.",
    "{label} recalled that the mother seemed brighter and was engaging well with the service.",
    "The primary school recorded what the child said and shared it with the family worker.",
    "This finding asks the board how it will know that health visitors learn of domestic abuse within a week.",
    "Nobody asked the mother on her own whether she was safe at home, because her partner was always present.",
    "The missed-appointments policy treats a parent's disengagement as a choice rather than a signal.",
    "During 2025 the housing association visited after a complaint from a neighbour about noise.",
    "Child E's words were recorded by the school and later by early help in her drawings.",
    "The team-around-the-family meeting took place without health visiting or the police.",
    "{label} said the invitation went to a shared inbox that nobody owned.",
    "Findings are about the system; they do not hold any individual or agency to account.",
]  # fmt: skip
PLANTED = [
    ("name", "{full} was seen at home that afternoon."),
    ("name", "Later {first} told the review what had happened."),
    ("address", "The family lived at 21 Plover Road at the time."),
    ("postcode", "Letters were sent to the address in WB7 3QS."),
    ("nhs_number", "Her NHS number 943 476 5919 appeared on the referral."),
    ("ni_number", "His National Insurance number AB 12 34 56 C was on the form."),
    ("phone", "The mother's mobile, 07700 900456, was on the file."),
    ("email", "The worker wrote to carer.one@example.org the next day."),
    ("date_of_birth", "The baby was born on 22 April 2025 at 38 weeks."),
    ("exact_date", "On 19 January 2026 the health visitor saw a bruise."),
    ("organisation", "She attended Kingsmere Primary School until the summer."),
    ("place", "The family later moved to Harrowgate Mill."),
]


def registry_spec(participants: int, rng: random.Random) -> dict[str, Any]:
    people: list[tuple[str, str]] = []
    used: set[str] = set()
    while len(people) < participants:
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"
        if name in used:
            continue
        used.add(name)
        number = len(people) + 1
        people.append((name, f"{POSITIONS[number % len(POSITIONS)]} {number // len(POSITIONS) + 1}"))
    return {"people": people}


def document(pages: int, people: list[tuple[str, str]], rng: random.Random) -> tuple[str, int]:
    """About WORDS_PER_PAGE words a page, and the planted identifiers: how many were planted."""
    paragraphs = []
    planted = 0
    for page in range(pages):
        words = 0
        sentences = []
        while words < WORDS_PER_PAGE:
            sentence = rng.choice(SENTENCES).format(label=rng.choice(people)[1])
            sentences.append(sentence)
            words += len(sentence.split())
        if page % 10 == 3:
            name = rng.choice(people)[0]
            for _kind, template in PLANTED:
                sentences.insert(rng.randrange(len(sentences)), template.format(full=name, first=name.split()[0]))
                planted += 1
        paragraphs.append(" ".join(sentences))
    return "\n\n".join(paragraphs), planted


def setup(participants: int, rng: random.Random) -> tuple[Any, list[tuple[str, str]]]:
    os.environ["DJANGO_SETTINGS_MODULE"] = "caseview.settings_test"
    os.environ["CASEVIEW_SQLITE_PATH"] = str(Path(tempfile.mkdtemp(prefix="caseview-bench-")) / "bench.sqlite3")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from caseview.accounts.models import User
    from caseview.core.audit import Origin
    from caseview.people import services as people
    from caseview.people.models import ParticipantKind
    from caseview.reports import registry_services
    from caseview.reports.models import EntryKind
    from caseview.reviews import services as reviews
    from caseview.reviews.models import Role

    origin = Origin(ip_address="127.0.0.1", user_agent="caseview benchmark")
    partnership = reviews.partnership_create(name="Benchshire Safeguarding Partnership", by=None, origin=origin)
    lead = User.objects.create_user(username="bench-lead", password=None, full_name="Morwenna Trevithick")
    reviews.partnership_lead_reviewer_add(partnership=partnership, user=lead, by=None, origin=origin)
    review = reviews.review_create(
        partnership=partnership,
        reference="BENCH2026",
        title="Child B",
        questions=["How well did agencies share what they knew?"],
        by=lead,
        origin=origin,
        lead_reviewer=lead,
    )
    for number, full_name in enumerate(["Tamsin Penhaligon", "Jory Kitto", "Demelza Rowse"], 1):
        member = User.objects.create_user(username=f"bench-member-{number}", password=None, full_name=full_name)
        reviews.membership_add(
            review=review, user=member, role=Role.REVIEW_TEAM, position=f"Reviewer {number}", by=lead, origin=origin
        )
    agency = reviews.agency_add(partnership=partnership, name="Health visiting", by=None, origin=origin)
    spec = registry_spec(participants, rng)
    for name, label in spec["people"]:
        people.participant_add(
            review=review,
            by=lead,
            origin=origin,
            kind=ParticipantKind.PRACTITIONER,
            label=label,
            real_name=name,
            agency=agency,
            position=label.rsplit(" ", 1)[0],
        )
    for kind, real, variants, replacement in [
        (EntryKind.PLACE, "14 Kestrel Gardens", "Kestrel Gardens", "the family home"),
        (EntryKind.PLACE, "Harrowgate Mill", "", "another town"),
        (
            EntryKind.ORGANISATION,
            "Kingsmere Primary School",
            "Kingsmere Primary\nKingsmere School",
            "the primary school",
        ),
        (EntryKind.ORGANISATION, "Brookvale Surgery", "Brookvale Medical Practice", "the GP practice"),
        (EntryKind.RARE_DETAIL, "triplets", "", "siblings"),
        (EntryKind.RARE_DETAIL, "champion show-jumper", "", "a sport"),
    ]:
        registry_services.entry_add(
            review=review,
            kind=kind,
            real_text=real,
            variants=variants,
            replacement=replacement,
            by=lead,
            origin=origin,
        )
    return review, spec["people"]


def baseline(text: str, literals: list[str]) -> int:
    lowered = text.lower()
    found = 0
    for literal in literals:
        needle = literal.lower()
        start = lowered.find(needle)
        while start != -1:
            found += 1
            start = lowered.find(needle, start + 1)
    return found


def best_of(repeat: int, function: Any) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - started)
    return best, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--participants", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    rng = random.Random(SEED)  # noqa: S311 - invented data, the same for a seed: not for secrets
    review, people = setup(args.participants, rng)
    text, planted = document(args.pages, people, rng)

    from caseview.reports.check import check_text
    from caseview.reports.registry import Terms, check_terms

    registry_seconds, terms = best_of(args.repeat, lambda: check_terms(review))
    literals = [term.text for term in terms.terms.values()]

    def caseview_check() -> Any:
        fresh = Terms(terms=terms.terms, protected=terms.protected)  # the pattern compiled inside the clock
        return check_text(text=text, terms=fresh)

    caseview_seconds, hits = best_of(args.repeat, caseview_check)
    baseline_seconds, occurrences = best_of(args.repeat, lambda: baseline(text, literals))

    kinds = {hit.kind for hit in hits}
    missed = sorted({kind for kind, _ in PLANTED} - kinds)
    ratio = caseview_seconds / baseline_seconds if baseline_seconds else float("inf")
    print(
        f"\n{args.pages} pages, {len(text.split()):,} words, {len(text):,} characters; registry of "
        f"{len(literals)} literal strings ({args.participants} participants, members, places, organisations, "
        f"rare details); {planted} identifiers planted"
    )
    print(f"\n  {'':34} {'time':>9}  result")
    print(f"  {'caseview check_text':34} {caseview_seconds * 1000:7.1f} ms  {len(hits):,} hits of {len(kinds)} kinds")
    print(f"  {'baseline str.find per literal':34} {baseline_seconds * 1000:7.1f} ms  {occurrences:,} occurrences")
    print(f"  {'(reading the registry, check_terms)':34} {registry_seconds * 1000:7.1f} ms  not in the ratio")
    print(f"\n  ratio caseview / baseline: {ratio:.2f} (target <= {TARGET_RATIO})")
    print(f"  {'PASS' if ratio <= TARGET_RATIO else 'FAIL'}: ratio {ratio:.2f}")
    if missed:
        print(f"  The check missed planted identifiers of these kinds: {', '.join(missed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
