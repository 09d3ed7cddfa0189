"""Silent periods and candidate links over EntryRows."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Sequence
from typing import Any

import pytest

from caseview.chronology import analysis
from caseview.chronology.analysis import SilentPeriod, entry_span, find_candidate_links, silent_periods, words
from caseview.chronology.dates import DAY, MONTH, YEAR
from caseview.chronology.rows import EntryRow

_ids = itertools.count(1)


def entry(
    day: dt.date,
    agency: str = "Police",
    description: str = "Contact",
    *,
    precision: str = DAY,
    end: dt.date | None = None,
    end_precision: str | None = None,
    **changes: Any,
) -> EntryRow:
    number = next(_ids)
    values: dict[str, Any] = {
        "id": f"e{number:05d}",
        "agency_id": agency.lower().replace(" ", "-").replace("'", ""),
        "agency": agency,
        "date_start": day,
        "date_precision": precision,
        "date_uncertain": False,
        "date_end": end,
        "date_end_precision": end_precision,
        "time": None,
        "sequence": number,
        "description": description,
        "source": "Case record",
        "url": f"/entries/{number}/",
    }
    values.update(changes)
    return EntryRow(**values)


def d(text: str) -> dt.date:
    """A day-first date as in the scenario: "10/11/2025"."""
    day, month, year = (int(part) for part in text.split("/"))
    return dt.date(year, month, day)


def periods(found: Sequence[SilentPeriod], agency_id: str | None) -> list[tuple[dt.date, dt.date, int]]:
    return [(p.start, p.end, p.days) for p in found if p.agency_id == agency_id]


# --- Dates as spans ----------------------------------------------------------------------------------------


def test_a_date_spans_its_precision() -> None:
    assert entry_span(entry(dt.date(2019, 3, 4))) == (dt.date(2019, 3, 4), dt.date(2019, 3, 4))
    assert entry_span(entry(dt.date(2019, 2, 1), precision=MONTH)) == (dt.date(2019, 2, 1), dt.date(2019, 2, 28))
    assert entry_span(entry(dt.date(2020, 2, 1), precision=MONTH)) == (dt.date(2020, 2, 1), dt.date(2020, 2, 29))
    assert entry_span(entry(dt.date(2019, 1, 1), precision=YEAR)) == (dt.date(2019, 1, 1), dt.date(2019, 12, 31))
    ranged = entry(dt.date(2019, 3, 1), precision=MONTH, end=dt.date(2019, 5, 1), end_precision=MONTH)
    assert entry_span(ranged) == (dt.date(2019, 3, 1), dt.date(2019, 5, 31))
    days = entry(dt.date(2019, 3, 1), end=dt.date(2019, 3, 5), end_precision=DAY)
    assert entry_span(days) == (dt.date(2019, 3, 1), dt.date(2019, 3, 5))


# --- Silent periods ----------------------------------------------------------------------------------------


def test_it_finds_gaps_between_day_precise_entries() -> None:
    rows = [entry(dt.date(2025, 1, 10)), entry(dt.date(2025, 4, 10))]

    found = silent_periods(rows, min_days=30, period_start=None, period_end=None)

    assert periods(found, "police") == [(dt.date(2025, 1, 11), dt.date(2025, 4, 9), 89)]
    assert periods(found, None) == [(dt.date(2025, 1, 11), dt.date(2025, 4, 9), 89)]
    assert found[0].agency == "Any agency"
    assert found[1].agency == "Police"


def test_a_gap_must_be_longer_than_min_days() -> None:
    rows = [entry(dt.date(2025, 1, 1)), entry(dt.date(2025, 2, 1))]  # 30 days between

    assert silent_periods(rows, min_days=30, period_start=None, period_end=None) == []
    assert periods(silent_periods(rows, min_days=29, period_start=None, period_end=None), None) == [
        (dt.date(2025, 1, 2), dt.date(2025, 1, 31), 30)
    ]


def test_a_month_entry_covers_its_whole_month() -> None:
    rows = [entry(dt.date(2019, 6, 1), precision=MONTH), entry(dt.date(2019, 9, 15))]

    found = silent_periods(rows, min_days=10, period_start=None, period_end=None)

    assert periods(found, "police") == [(dt.date(2019, 7, 1), dt.date(2019, 9, 14), 76)]


def test_a_year_entry_covers_its_whole_year() -> None:
    rows = [entry(dt.date(2019, 1, 1), precision=YEAR), entry(dt.date(2020, 3, 1))]

    found = silent_periods(rows, min_days=10, period_start=dt.date(2019, 6, 1), period_end=dt.date(2020, 3, 31))

    assert periods(found, "police") == [
        (dt.date(2020, 1, 1), dt.date(2020, 2, 29), 60),
        (dt.date(2020, 3, 2), dt.date(2020, 3, 31), 30),
    ]


def test_a_range_covers_start_to_end() -> None:
    ranged = entry(dt.date(2019, 3, 1), precision=MONTH, end=dt.date(2019, 5, 1), end_precision=MONTH)
    rows = [entry(dt.date(2019, 1, 15)), ranged, entry(dt.date(2019, 8, 1))]

    found = silent_periods(rows, min_days=20, period_start=None, period_end=None)

    assert periods(found, "police") == [
        (dt.date(2019, 1, 16), dt.date(2019, 2, 28), 44),
        (dt.date(2019, 6, 1), dt.date(2019, 7, 31), 61),
    ]


def test_it_counts_the_edges_of_the_review_period_and_clips_to_it() -> None:
    rows = [
        entry(dt.date(2024, 12, 1), precision=MONTH),  # December 2024: before the period
        entry(dt.date(2025, 3, 1)),
    ]

    found = silent_periods(rows, min_days=20, period_start=dt.date(2025, 1, 1), period_end=dt.date(2025, 5, 31))

    assert periods(found, "police") == [
        (dt.date(2025, 1, 1), dt.date(2025, 2, 28), 59),
        (dt.date(2025, 3, 2), dt.date(2025, 5, 31), 91),
    ]


def test_an_entry_spanning_the_period_start_counts_from_the_start() -> None:
    rows = [entry(dt.date(2024, 1, 1), precision=YEAR, end=dt.date(2025, 1, 1), end_precision=MONTH)]

    found = silent_periods(rows, min_days=10, period_start=dt.date(2025, 1, 10), period_end=dt.date(2025, 3, 31))

    assert periods(found, "police") == [(dt.date(2025, 2, 1), dt.date(2025, 3, 31), 59)]


def test_an_agency_without_entries_in_the_period_is_silent_throughout() -> None:
    rows = [entry(dt.date(2024, 6, 1), agency="Housing"), entry(dt.date(2025, 2, 1))]

    found = silent_periods(rows, min_days=30, period_start=dt.date(2025, 1, 1), period_end=dt.date(2025, 3, 31))

    assert periods(found, "housing") == [(dt.date(2025, 1, 1), dt.date(2025, 3, 31), 90)]


def test_any_agency_is_silent_only_when_every_agency_is() -> None:
    rows = [
        entry(dt.date(2025, 1, 1), agency="Police"),
        entry(dt.date(2025, 3, 1), agency="School"),
        entry(dt.date(2025, 5, 1), agency="Police"),
    ]

    found = silent_periods(rows, min_days=70, period_start=None, period_end=None)

    assert periods(found, None) == []
    assert periods(found, "police") == [(dt.date(2025, 1, 2), dt.date(2025, 4, 30), 119)]


def test_it_can_leave_out_the_agency_lanes() -> None:
    rows = [entry(dt.date(2025, 1, 1), agency="Police"), entry(dt.date(2025, 6, 1), agency="School")]

    found = silent_periods(rows, min_days=30, period_start=None, period_end=None, per_agency=False)

    assert [p.agency_id for p in found] == [None]


def test_silent_periods_are_sorted_by_start() -> None:
    rows = [entry(dt.date(2025, m, 1), agency=agency) for m, agency in [(1, "A"), (2, "B"), (7, "A"), (9, "B")]]

    found = silent_periods(rows, min_days=20, period_start=dt.date(2025, 1, 1), period_end=dt.date(2025, 12, 31))

    assert [p.start for p in found] == sorted(p.start for p in found)


def test_nothing_to_say_about_no_entries() -> None:
    assert silent_periods([], min_days=1, period_start=dt.date(2025, 1, 1), period_end=dt.date(2025, 2, 1)) == []


# --- The demo review ---------------------------------------------------------------------------------------

# fmt: off
DEMO = [
    ("14/01/2025", "Maternity", "Booking at 12 weeks. Mother reports past depression; on sertraline. Partner present "
     "throughout, so the routine question about domestic abuse is not asked; \"ask at next contact\" noted."),
    ("03/02/2025", "GP practice", "Medication review; sertraline continued."),
    ("10/03/2025", "Police", "Neighbour reports shouting at the flat. Officers attend; both adults deny any incident; "
     "DASH risk assessment declined. Child E present, asleep. Notification to MASH \"for information\"."),
    ("11/03/2025", "Children's social care", "MASH screens the notification: no further action; letter to mother. "
     "Midwifery, health visiting and school not told."),
    ("22/04/2025", "Maternity", "Baby J born at 38 weeks, well."),
    ("02/05/2025", "Health visiting", "New-birth visit. Partner present. Mother low; Edinburgh postnatal depression "
     "score 14. Referral to perinatal mental health with consent. Domestic abuse enquiry not possible."),
    ("20/05/2025", "Perinatal mental health", "Assessment: moderate postnatal depression; care coordinator "
     "allocated; mother describes partner as supportive."),
    ("05/06/2025", "School", "Child E tells the teaching assistant \"Craig shouted at Mummy and broke the TV\". "
     "Logged; the DSL speaks to mother, who says it was an accident; decision to monitor."),
    ("01/07/2025", "Health visiting", "8-week review (late): Baby J thriving; mother's mood improving."),
    ("15/07/2025", "GP practice", "Baby J's immunisations; no concerns."),
    ("22/09/2025", "Housing association", "Neighbour complains of noise. Housing officer visits; notes a hole in a "
     "wall; no safeguarding referral (the policy asks for one only on a child's disclosure)."),
    ("30/09/2025", "School", "Child E's attendance 85% for September."),
    ("06/10/2025", "Perinatal mental health", "Mother misses a second appointment; discharged to the GP under the "
     "missed-appointments policy; letter to the GP only."),
    ("14/10/2025", "Health visiting", "Planned contact: no access. Card left."),
    ("20/10/2025", "School", "DSL refers to early help: Child E tired and withdrawn, says \"Craig gets angry\"."),
    ("03/11/2025", "Early help", "Family worker's first home visit; mother agrees to an early help assessment; she "
     "mentions \"arguments\"."),
    ("10/11/2025", "Police", "Domestic incident: partner pushed mother, bruising to her arm. Partner arrested, "
     "released under investigation; DASH medium. Both children present. Notification to MASH."),
    ("11/11/2025", "Children's social care", "MASH screening: no strategy discussion; \"stepped down\" to early "
     "help as it is already open. Early help and school told by phone; health visiting not told."),
    ("11/11/2025", "Early help", "Phone call from MASH about the incident."),
    ("12/11/2025", "Early help", "Home visit; mother says the partner has moved out to his mother's."),
    ("25/11/2025", "GP practice", "Mother attends: low mood; says partner has moved out. Sertraline increased. GP "
     "unaware of the November incident."),
    ("02/12/2025", "Early help", "Team-around-the-family meeting: school, early help, mother. Health visitor invited "
     "through a shared team inbox; the invitation was not seen. Police not invited. Plan: parenting support, "
     "referral to the domestic abuse service."),
    ("15/12/2025", "Domestic abuse service", "Referral received; mother declines by phone: \"things are fine now\"."),
    ("19/12/2025", "School", "Child E says the partner was at home over the weekend. DSL emails the family worker, "
     "who is on leave until 6 January."),
    ("08/01/2026", "Early help", "Family worker reads the email; visits; mother says the partner comes only to see "
     "Baby J."),
    ("19/01/2026", "Health visiting", "9-month review (late): bruise behind Baby J's ear; mother says he fell against "
     "the cot. Body map completed; explanation accepted; safeguarding lead not consulted. Health visitor unaware of "
     "the November incident."),
    ("28/01/2026", "GP practice", "Baby J seen with a cold; examined clothed; no injuries recorded."),
    ("09/02/2026", "Children's social care", "Hospital referral: Baby J, skull fracture; strategy discussion; "
     "section 47 enquiry; Child E to her grandmother."),
    ("09/02/2026", "Police", "Joint investigation begins."),
    ("11/02/2026", "Children's social care", "Serious incident notification to the Panel."),
]
# fmt: on


def demo_rows() -> list[EntryRow]:
    rows = [entry(d(day), agency, text) for day, agency, text in DEMO]
    antenatal = "Antenatal contact; partner present again; routine enquiry deferred again."
    rows.append(entry(dt.date(2025, 3, 28), "Maternity", antenatal, date_uncertain=True))
    research = "Researcher notes the partner's 2021 conviction in another area while checking an unrelated matter."
    rows.append(entry(dt.date(2025, 6, 1), "Police", research, precision=MONTH))
    return rows


def by_text(rows: Sequence[EntryRow], day: str, agency: str) -> EntryRow:
    [row] = [row for row in rows if row.date_start == d(day) and row.agency == agency]
    return row


def test_the_demo_has_its_silent_periods() -> None:
    rows = demo_rows()

    found = silent_periods(rows, min_days=60, period_start=d("01/01/2025"), period_end=d("09/02/2026"))

    assert (d("16/07/2025"), d("21/09/2025"), 68) in periods(found, None)
    assert (d("15/10/2025"), d("18/01/2026"), 96) in periods(found, "health-visiting")


def test_the_demo_november_incident_yields_candidate_links() -> None:
    rows = demo_rows()
    police = by_text(rows, "10/11/2025", "Police").id
    social_care = by_text(rows, "11/11/2025", "Children's social care").id
    early_help = by_text(rows, "11/11/2025", "Early help").id

    pairs = {(a, b) for a, b, _ in find_candidate_links(rows)}

    assert tuple(sorted((police, early_help))) in pairs
    assert tuple(sorted((social_care, early_help))) in pairs


def test_unrelated_demo_entries_are_not_candidates() -> None:
    rows = demo_rows()

    found = find_candidate_links(rows)

    november = {
        by_text(rows, day, agency).id
        for day, agency in [
            ("10/11/2025", "Police"),
            ("11/11/2025", "Children's social care"),
            ("11/11/2025", "Early help"),
        ]
    }
    assert all(a in november and b in november for a, b, _ in found), found


# --- Candidate links ---------------------------------------------------------------------------------------


def test_it_stems_words_and_drops_stop_words() -> None:
    assert words("The MASH screens the notifications") == words("MASH screening notification")
    assert words("and the of to") == []


def test_it_links_near_duplicates_across_agencies_within_the_window() -> None:
    police = entry(d("10/11/2025"), "Police", "Strategy discussion held about Baby J's bruising; section 47 agreed.")
    social_care = entry(d("11/11/2025"), "Children's social care", "Strategy discussion: Baby J bruising, s47 agreed.")

    [(a, b, score)] = find_candidate_links([social_care, police])

    assert (a, b) == tuple(sorted((police.id, social_care.id)))
    assert 0.35 <= score <= 1


def test_the_same_day_scores_higher_than_the_next() -> None:
    text = "Strategy discussion held about the bruising to Baby J"
    police = entry(d("10/11/2025"), "Police", text)
    same_day = entry(d("10/11/2025"), "School", text + " at school")
    next_day = entry(d("11/11/2025"), "Health visiting", text + " at school")

    scores = {frozenset((a, b)): score for a, b, score in find_candidate_links([police, same_day, next_day])}

    assert scores[frozenset((police.id, same_day.id))] > scores[frozenset((police.id, next_day.id))]


def test_it_does_not_link_entries_of_one_agency() -> None:
    rows = [
        entry(d("10/11/2025"), "Police", "Domestic incident at the flat; partner arrested."),
        entry(d("10/11/2025"), "Police", "Domestic incident at the flat; partner arrested."),
    ]

    assert find_candidate_links(rows) == []


def test_it_does_not_link_beyond_the_window() -> None:
    rows = [
        entry(d("10/11/2025"), "Police", "Domestic incident at the flat; partner arrested."),
        entry(d("13/11/2025"), "Children's social care", "Domestic incident at the flat; partner arrested."),
    ]

    assert find_candidate_links(rows, window_days=2) == []
    assert len(find_candidate_links(rows, window_days=3)) == 1


def test_it_does_not_link_unrelated_entries_on_the_same_day() -> None:
    rows = [
        entry(d("10/11/2025"), "Police", "Domestic incident at the flat; partner arrested."),
        entry(d("10/11/2025"), "School", "Attendance 85% for October; letter home about punctuality."),
        entry(d("10/11/2025"), "GP practice", "Baby J immunisations given; no concerns."),
    ]

    assert find_candidate_links(rows) == []


def test_a_month_entry_links_with_a_day_in_its_month() -> None:
    month = entry(d("01/06/2025"), "Police", "Researcher finds the partner's 2021 assault conviction", precision=MONTH)
    inside = entry(d("20/06/2025"), "Children's social care", "Police researcher shares partner's 2021 conviction")
    outside = entry(d("20/09/2025"), "School", "Police researcher shares partner's 2021 conviction")

    pairs = {(a, b) for a, b, _ in find_candidate_links([month, inside, outside])}

    assert tuple(sorted((month.id, inside.id))) in pairs
    assert tuple(sorted((month.id, outside.id))) not in pairs


def test_links_are_sorted_by_score_and_respect_the_threshold() -> None:
    rows = demo_rows()

    found = find_candidate_links(rows, threshold=0.05)

    assert [score for _, _, score in found] == sorted((score for _, _, score in found), reverse=True)
    assert all(0.05 <= score <= 1 and a < b for a, b, score in found)
    assert len(find_candidate_links(rows, threshold=0.9)) < len(found)


def test_no_entries_no_links() -> None:
    assert find_candidate_links([]) == []


VOCABULARY = (  # noqa: SIM905
    "home visit mother father child baby school referral police incident assessment concern phone call letter "
    "meeting strategy discussion plan review attendance bruise injury appointment missed discharged notification "
    "mash early help health visitor gp midwife partner domestic abuse housing officer contact seen well low mood "
    "arrested released investigation screening outcome consent immunisation depression sertraline hospital"
).split()


def random_rows(
    count: int, *, seed: int, years: int, agencies: int, words_per_entry: tuple[int, int]
) -> list[EntryRow]:
    rnd = random.Random(seed)
    vocabulary = VOCABULARY + [f"word{n}" for n in range(400)]
    rows = []
    for _ in range(count):
        day = dt.date(2018, 1, 1) + dt.timedelta(days=rnd.randrange(365 * years))
        text = " ".join(rnd.choices(vocabulary, k=rnd.randint(*words_per_entry)))
        rows.append(entry(day, f"Agency {rnd.randrange(agencies)}", text))
    return rows


def test_it_does_not_compare_every_pair() -> None:
    rows = random_rows(2000, seed=7, years=5, agencies=20, words_per_entry=(4, 14))
    search = analysis._Search(analysis.LinkColumns.of(rows), window=2, threshold=0.35)

    found = search.run()

    every_pair = len(rows) * (len(rows) - 1) // 2
    assert found and 0 < search.compared < every_pair / 100


def similarity(a: frozenset[int], b: frozenset[int], weights: Sequence[float]) -> float:
    """The definition, one pair at a time: mostly the weighted overlap coefficient, a quarter the weighted
    Jaccard similarity, the overlap halved when only one word is shared."""
    shared = a & b
    if not shared:
        return 0.0
    common = sum(weights[t] for t in shared)
    a_weight, b_weight = sum(weights[t] for t in a), sum(weights[t] for t in b)
    jaccard = common / (a_weight + b_weight - common)
    overlap = common / min(a_weight, b_weight) / (2 if len(shared) == 1 else 1)
    return min(analysis.JACCARD_SHARE * jaccard + (1 - analysis.JACCARD_SHARE) * overlap, 1.0)


def brute_force(rows: Sequence[EntryRow], *, window_days: int, threshold: float) -> set[tuple[str, str]]:
    # Words weighed as the search weighs them, then every pair compared.
    raw_sets = analysis._raw_words(row.description for row in rows)
    counts = analysis._Counts.over(range(len(rows)), analysis._numbered([r.agency_id for r in rows]), raw_sets)
    vocabulary = analysis._Vocabulary.of(counts.rows_holding, len(rows))
    docs = [frozenset(vocabulary.known[w] for w in raw if vocabulary.known[w] >= 0) for raw in raw_sets]
    found = set()
    for i, j in itertools.combinations(range(len(rows)), 2):
        a, b = rows[i], rows[j]
        (a_first, a_last), (b_first, b_last) = entry_span(a), entry_span(b)
        if a.agency_id == b.agency_id or (b_first - a_last).days > window_days or (a_first - b_last).days > window_days:
            continue
        score = similarity(docs[i], docs[j], vocabulary.weights)
        if a_first == a_last and b_first == b_last:
            apart = abs((a_first - b_first).days)
            score += analysis.SAME_DAY_BONUS if apart == 0 else analysis.NEXT_DAY_BONUS if apart == 1 else 0
        if min(score, 1.0) >= threshold:
            found.add((min(a.id, b.id), max(a.id, b.id)))
    return found


@pytest.mark.parametrize("seed", range(5))
def test_it_finds_what_comparing_every_pair_finds_for_short_descriptions(seed: int) -> None:
    # With at most three words each, every word is a blocking word: the sweep must miss nothing.
    rows = random_rows(300, seed=seed, years=1, agencies=5, words_per_entry=(1, 3))
    rows += [
        entry(dt.date(2018, 3, 1), "Agency 1", "home visit", precision=MONTH),
        entry(dt.date(2018, 1, 1), "Agency 2", "strategy discussion", precision=YEAR),
        entry(dt.date(2018, 5, 1), "Agency 3", "police incident", end=dt.date(2018, 6, 1), end_precision=MONTH),
    ]

    found = {(a, b) for a, b, _ in find_candidate_links(rows, window_days=2, threshold=0.35)}

    assert found == brute_force(rows, window_days=2, threshold=0.35)
