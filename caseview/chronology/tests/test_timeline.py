"""The SVG swimlane timeline: well-formed, linked, escaped, CSP-safe, and showing only the chosen period."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from typing import Any

import pytest

from caseview.chronology.analysis import SilentPeriod
from caseview.chronology.dates import DAY, MONTH, YEAR
from caseview.chronology.rows import EntryRow
from caseview.chronology.timeline import CLASSES, render_timeline_svg

SVG = "{http://www.w3.org/2000/svg}"
LANES = [("police", "Police"), ("csc", "Children's social care"), ("school", "Fernside Primary School")]
START, END = dt.date(2025, 1, 1), dt.date(2025, 12, 31)


def entry(number: int, day: dt.date, agency_id: str = "police", **changes: Any) -> EntryRow:
    values: dict[str, Any] = {
        "id": f"e{number}",
        "agency_id": agency_id,
        "agency": dict(LANES).get(agency_id, agency_id),
        "date_start": day,
        "date_precision": DAY,
        "date_uncertain": False,
        "date_end": None,
        "date_end_precision": None,
        "time": None,
        "sequence": number,
        "description": f"Entry number {number}",
        "source": "Record",
        "url": f"/reviews/CE2026/chronology/entries/{number}/",
    }
    values.update(changes)
    return EntryRow(**values)


ROWS = [
    entry(1, dt.date(2025, 3, 10), "police", significant=True),
    entry(2, dt.date(2025, 3, 11), "csc"),
    entry(3, dt.date(2025, 6, 1), "police", date_precision=MONTH),
    entry(4, dt.date(2025, 3, 28), "school", date_uncertain=True),
    entry(5, dt.date(2025, 9, 1), "csc", date_end=dt.date(2025, 9, 20), date_end_precision=DAY),
    entry(6, dt.date(2024, 11, 5), "police"),  # before the period
    entry(7, dt.date(2026, 2, 9), "csc"),  # after it
    entry(8, dt.date(2025, 7, 1), "housing"),  # an agency without a lane
]
SCHOOL = "Fernside Primary School"
SILENT = [
    SilentPeriod(agency_id="school", agency=SCHOOL, start=dt.date(2025, 3, 29), end=dt.date(2025, 12, 31), days=278),
    SilentPeriod(agency_id=None, agency="Any agency", start=dt.date(2025, 9, 21), end=dt.date(2025, 12, 31), days=102),
    SilentPeriod(agency_id="police", agency="Police", start=dt.date(2023, 1, 1), end=dt.date(2023, 6, 30), days=181),
]


def render(rows: list[EntryRow] = ROWS, **changes: Any) -> str:
    arguments: dict[str, Any] = {"start": START, "end": END, "lanes": LANES, "silent": SILENT}
    arguments.update(changes)
    return render_timeline_svg(rows, **arguments)


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def classes(element: ET.Element) -> set[str]:
    return set(element.get("class", "").split())


def marks_with_links(root: ET.Element) -> list[tuple[ET.Element, ET.Element]]:
    found = []
    for link in root.iter():
        for child in link:
            if "cv-timeline__mark" in classes(child):
                found.append((child, link))
    return found


def test_it_is_well_formed_svg_with_an_accessible_name() -> None:
    root = parse(render())

    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby", "").split()
    assert root.find(f"{SVG}title[@id='{title_id}']") is not None
    assert root.find(f"{SVG}desc[@id='{desc_id}']") is not None
    assert "1 January 2025 to 31 December 2025" in (root.findtext(f"{SVG}title") or "")
    assert "5 entries from 3 agencies" in (root.findtext(f"{SVG}desc") or "")


def test_it_uses_no_inline_styles() -> None:
    svg = render()
    root = parse(svg)

    assert not [element.tag for element in root.iter() if "style" in element.attrib]
    assert root.find(f".//{SVG}style") is None
    assert "<style" not in svg


def test_it_uses_only_the_documented_class_names() -> None:
    used = {name for element in parse(render()).iter() for name in classes(element)}

    assert used <= set(CLASSES)
    assert "cv-timeline__silent" in used


def test_every_mark_is_inside_a_link_to_its_entry() -> None:
    root = parse(render())

    pairs = marks_with_links(root)
    assert len(pairs) == 5
    for _, link in pairs:
        assert link.tag == f"{SVG}a"
        assert link.get("href", "").startswith("/reviews/CE2026/chronology/entries/")
        assert link.findtext(f"{SVG}title")
    hrefs = sorted(link.get("href", "") for _, link in pairs)
    assert hrefs == sorted(row.url for row in ROWS[:5])


def test_a_mark_title_gives_date_agency_and_first_words() -> None:
    row = entry(1, dt.date(2025, 11, 10), description=" ".join(f"word{n}" for n in range(40)), significant=True)

    [(_, link)] = marks_with_links(parse(render([row])))

    title = link.findtext(f"{SVG}title") or ""
    assert title.startswith("10 November 2025, Police (significant): word0 word1")
    assert "word13 …" in title
    assert "word14" not in title


def test_entries_outside_the_period_or_without_a_lane_are_absent() -> None:
    svg = render()

    for row in ROWS[5:]:
        assert row.url not in svg


def test_an_imprecise_entry_reaching_into_the_period_is_shown() -> None:
    year = entry(9, dt.date(2024, 1, 1), date_precision=YEAR, date_end=dt.date(2025, 1, 1), date_end_precision=YEAR)

    assert year.url in render([year])


def test_lanes_come_in_the_order_given_then_any_agency() -> None:
    root = parse(render())

    labels = [element.text for element in root.iter(f"{SVG}text") if "cv-timeline__lane-label" in classes(element)]
    assert labels == ["Police", "Children's social care", "Fernside Primary School", "Any agency"]

    reversed_labels = [
        element.text
        for element in parse(render(lanes=LANES[::-1], silent=[])).iter(f"{SVG}text")
        if "cv-timeline__lane-label" in classes(element)
    ]
    assert reversed_labels == ["Fernside Primary School", "Children's social care", "Police"]


def test_marks_sit_in_their_agencys_lane() -> None:
    root = parse(render())

    for lane in root.iter(f"{SVG}g"):
        if "cv-timeline__lane" not in classes(lane):
            continue
        label = next(e.text for e in lane.iter(f"{SVG}text") if "cv-timeline__lane-label" in classes(e))
        hrefs = {link.get("href") for link in lane.iter(f"{SVG}a")}
        expected = {row.url for row in ROWS[:5] if dict(LANES).get(row.agency_id) == label}
        assert hrefs == expected, label


def test_shapes_tell_precision_uncertainty_and_significance_apart() -> None:
    root = parse(render())
    marks = {link.get("href"): mark for mark, link in marks_with_links(root)}

    day, month, uncertain, ranged = (marks[ROWS[i].url] for i in (1, 2, 3, 4))
    assert day.tag == f"{SVG}circle" and "cv-timeline__mark--day" in classes(day)
    assert month.tag == f"{SVG}rect" and "cv-timeline__mark--imprecise" in classes(month)
    assert ranged.tag == f"{SVG}rect" and "cv-timeline__mark--range" in classes(ranged)
    assert uncertain.get("stroke-dasharray") and uncertain.get("fill") == "#ffffff"
    assert day.get("stroke-dasharray") is None
    significant = marks[ROWS[0].url]
    assert "cv-timeline__mark--significant" in classes(significant)
    assert float(significant.get("r", 0)) > float(day.get("r", 0))
    assert [e for e in root.iter(f"{SVG}circle") if "cv-timeline__ring" in classes(e)]


def test_a_month_bar_spans_its_month() -> None:
    root = parse(render())
    marks = {link.get("href"): mark for mark, link in marks_with_links(root)}

    month = marks[ROWS[2].url]
    day_width = (float(month.get("width", 0))) / 30
    assert 0 < day_width < 3
    assert float(month.get("width", 0)) > 40  # June on a one-year axis of about 800 pixels


def test_silent_periods_are_shaded_in_their_lanes() -> None:
    root = parse(render())

    shaded = {}
    for lane in root.iter(f"{SVG}g"):
        if "cv-timeline__lane" in classes(lane):
            label = next(e.text for e in lane.iter(f"{SVG}text") if "cv-timeline__lane-label" in classes(e))
            shaded[label] = [r for r in lane.iter(f"{SVG}rect") if "cv-timeline__silent" in classes(r)]
    assert len(shaded["Fernside Primary School"]) == 1
    assert len(shaded["Any agency"]) == 1
    assert shaded["Police"] == []  # its silent period lies before the timeline
    assert "No contact from any agency" in (shaded["Any agency"][0].findtext(f"{SVG}title") or "")
    assert "(102 days)" in (shaded["Any agency"][0].findtext(f"{SVG}title") or "")


def test_without_any_agency_periods_there_is_no_any_agency_lane() -> None:
    assert "Any agency" not in render(silent=SILENT[:1])


def test_text_is_escaped() -> None:
    hostile = '<script>alert("x")</script> & "quoted" \'single\''
    row = entry(1, dt.date(2025, 5, 5), description=hostile, url='/entries/1/?a=1&b="2"')
    lanes = [("police", 'Police <b>&</b> "Co"')]

    svg = render([row], lanes=lanes, silent=[])

    assert "<script>" not in svg
    assert "<b>" not in svg
    root = parse(svg)
    [(_, link)] = marks_with_links(root)
    assert link.get("href") == '/entries/1/?a=1&b="2"'
    assert hostile in (link.findtext(f"{SVG}title") or "")
    labels = [e.text for e in root.iter(f"{SVG}text") if "cv-timeline__lane-label" in classes(e)]
    assert labels == ['Police <b>&</b> "Co"']


def test_it_refuses_script_urls() -> None:
    row = entry(1, dt.date(2025, 5, 5), url="javascript:alert(1)")

    svg = render([row], silent=[])

    assert "javascript:" not in svg
    assert not list(parse(svg).iter(f"{SVG}a"))


def test_long_agency_names_are_shortened_with_the_full_name_in_a_title() -> None:
    name = "Westbrook and District Community Health Services NHS Foundation Trust"

    root = parse(render([], lanes=[("nhs", name)], silent=[]))

    [label] = [e for e in root.iter(f"{SVG}text") if "cv-timeline__lane-label" in classes(e)]
    assert label.text and label.text.endswith("…") and len(label.text) <= 26
    assert label.findtext(f"{SVG}title") == name


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (dt.date(2025, 1, 1), dt.date(2025, 12, 31), ["Jan 2025", "Feb", "Mar"]),
        (dt.date(2016, 1, 1), dt.date(2025, 12, 31), ["2016", "2017", "2018"]),
        (dt.date(2025, 3, 1), dt.date(2025, 3, 31), ["3 Mar", "10 Mar", "17 Mar"]),
    ],
)
def test_tick_spacing_follows_the_span(start: dt.date, end: dt.date, expected: list[str]) -> None:
    root = parse(render([], start=start, end=end, silent=[]))

    ticks = [e.text for e in root.iter(f"{SVG}text") if "cv-timeline__tick-label" in classes(e)]
    assert ticks[:3] == expected
    assert 3 <= len(ticks) <= 20


def test_ids_can_be_made_unique_on_a_page() -> None:
    root = parse(render(id_prefix="agency-timeline"))

    assert root.get("aria-labelledby") == "agency-timeline-title agency-timeline-desc"
    assert root.find(f".//{SVG}pattern[@id='agency-timeline-hatch']") is not None


def test_a_year_of_forty_entries_stays_small() -> None:
    rows = [
        entry(n, START + dt.timedelta(days=9 * n), LANES[n % 3][0], description="A fairly long description " * 10)
        for n in range(40)
    ]

    svg = render(rows)

    assert len(parse(svg).findall(f".//{SVG}a")) == 40
    assert len(svg) < 40_000


def test_the_end_must_not_come_before_the_start() -> None:
    with pytest.raises(ValueError, match="before its start"):
        render(start=END, end=START)


def test_it_can_be_a_group_so_that_its_links_are_reachable() -> None:
    root = parse(render(role="group"))

    assert root.get("role") == "group"
    assert root.get("aria-labelledby") == "timeline-title timeline-desc"
