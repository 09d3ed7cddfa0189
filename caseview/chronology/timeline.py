"""The chronology as a server-rendered SVG swimlane: one lane per agency, one mark per entry, linked to it.

No inline styles (the Content-Security-Policy forbids them): presentation attributes give a plain black-on-white
picture that prints well, and class names (see `CLASSES`) let the site's stylesheet refine it. Shape and dash
carry every distinction, never colour alone. The accessible table with the same content is the template's job.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from caseview.chronology.analysis import SilentPeriod, entry_span
from caseview.chronology.dates import DAY, MONTH_NAMES, format_agency_date
from caseview.chronology.rows import EntryRow
from caseview.core import svg
from caseview.core.svg import BAND, FAINT, INK, MID

# Every class name the SVG uses, for the site's stylesheet.
CLASSES = (
    "cv-timeline",  # the <svg>
    "cv-timeline__axis",  # the time axis line
    "cv-timeline__tick",  # a tick mark on the axis
    "cv-timeline__tick-label",  # a tick's text: "Mar", "2025"
    "cv-timeline__grid",  # the faint vertical line under a tick
    "cv-timeline__lane",  # a lane's <g>
    "cv-timeline__lane--any",  # the "Any agency" lane
    "cv-timeline__band",  # the shaded background of every other lane
    "cv-timeline__lane-label",  # an agency's name at the left
    "cv-timeline__silent",  # a silent period's hatched rectangle
    "cv-timeline__entry",  # the <a> around a mark
    "cv-timeline__mark",  # a mark: a circle (day) or a bar (month, year, range)
    "cv-timeline__mark--day",
    "cv-timeline__mark--span",  # a month, a year or a range
    "cv-timeline__mark--imprecise",  # a month or a year
    "cv-timeline__mark--range",  # from one date to another
    "cv-timeline__mark--uncertain",  # hollow, dashed outline
    "cv-timeline__mark--significant",  # larger, black, with a ring (circles) or taller (bars)
    "cv-timeline__ring",  # the ring around a significant day mark
    "cv-timeline__legend",  # the key below the lanes
    "cv-timeline__legend-label",
)

LABEL_WIDTH = 170
RIGHT_MARGIN = 16
AXIS_Y = 30
LANE_HEIGHT = 26
LEGEND_HEIGHT = 44
DOT = 5
WORDS_IN_TITLE = 14
ANY_AGENCY = "Any agency"

_UNSAFE_URL = re.compile(r"^\s*(?:javascript|data|vbscript):", re.IGNORECASE)
_SHORT_MONTHS = tuple(name[:3] for name in MONTH_NAMES)


def _first_words(text: str, count: int = WORDS_IN_TITLE) -> str:
    words = text.split()
    return " ".join(words[:count]) + (" …" if len(words) > count else "")


@dataclass(frozen=True)
class _Scale:
    start: dt.date
    end: dt.date
    x0: float
    x1: float

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def x(self, day: dt.date) -> float:
        """The left edge of a day; the day after `end` gives the right edge of the plot."""
        return self.x0 + (day - self.start).days * (self.x1 - self.x0) / self.days

    @property
    def day_width(self) -> float:
        return (self.x1 - self.x0) / self.days


# --- The axis ----------------------------------------------------------------------------------------------


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _ticks(scale: _Scale) -> list[tuple[dt.date, str]]:
    """Tick dates and labels, as frequent as the labels allow: days, weeks, months, quarters, years, decades."""
    width = scale.x1 - scale.x0
    min_gap = 56.0  # pixels between labels such as "Sep 2025"
    for step_days in (1, 7):
        if step_days * scale.day_width >= min_gap * (0.5 if step_days == 1 else 1):
            day = scale.start
            if step_days == 7:
                day += dt.timedelta(days=(7 - day.weekday()) % 7)  # Mondays
            ticks = []
            while day <= scale.end:
                ticks.append((day, f"{day.day} {_SHORT_MONTHS[day.month - 1]}"))
                day += dt.timedelta(days=step_days)
            return ticks
    for step_months in (1, 2, 3, 6, 12, 24, 60, 120, 240, 600):
        if step_months * 30.4 * scale.day_width >= min_gap or step_months == 600:
            break
    first = _add_months(scale.start.replace(day=1), 0 if scale.start.day == 1 else 1)
    while (first.year * 12 + first.month - 1) % step_months:
        first = _add_months(first, 1)
    ticks, day = [], first
    while day <= scale.end:
        if step_months >= 12:
            label = str(day.year)
        elif day.month == 1 or not ticks:
            label = f"{_SHORT_MONTHS[day.month - 1]} {day.year}"
        else:
            label = _SHORT_MONTHS[day.month - 1]
        ticks.append((day, label))
        day = _add_months(day, step_months)
    if not ticks and width > 0:
        ticks.append((scale.start, f"{scale.start.day} {_SHORT_MONTHS[scale.start.month - 1]} {scale.start.year}"))
    return ticks


def _axis(scale: _Scale, bottom: float) -> list[str]:
    parts = [
        svg.element("line", class_="cv-timeline__axis", x1=scale.x0, y1=AXIS_Y, x2=scale.x1, y2=AXIS_Y, stroke=INK)
    ]
    for day, label in _ticks(scale):
        x = scale.x(day)
        parts.append(
            svg.element(
                "line", class_="cv-timeline__grid", x1=x, y1=AXIS_Y, x2=x, y2=bottom, stroke=FAINT, stroke_width=1
            )
        )
        parts.append(svg.element("line", class_="cv-timeline__tick", x1=x, y1=AXIS_Y - 6, x2=x, y2=AXIS_Y, stroke=INK))
        parts.append(
            svg.element(
                "text",
                svg.text(label),
                class_="cv-timeline__tick-label",
                x=x,
                y=AXIS_Y - 10,
                text_anchor="middle",
                font_size=11,
                fill=INK,
            )
        )
    return parts


# --- Marks -------------------------------------------------------------------------------------------------


def _mark_title(row: EntryRow) -> str:
    when = format_agency_date(
        row.date_start,
        row.date_precision,
        uncertain=row.date_uncertain,
        end=row.date_end,
        end_precision=row.date_end_precision,
        time=row.time,
    )
    significant = " (significant)" if row.significant else ""
    return f"{when}, {row.agency}{significant}: {_first_words(row.description)}"


def _mark(row: EntryRow, scale: _Scale, middle: float, slot_offset: float) -> str:
    first, last = entry_span(row)
    is_day = first == last
    classes = ["cv-timeline__mark", "cv-timeline__mark--day" if is_day else "cv-timeline__mark--span"]
    if not is_day:
        classes.append("cv-timeline__mark--range" if row.date_end is not None else "cv-timeline__mark--imprecise")
    if row.date_uncertain:
        classes.append("cv-timeline__mark--uncertain")
    if row.significant:
        classes.append("cv-timeline__mark--significant")
    fill = "#ffffff" if row.date_uncertain else INK if row.significant else MID
    outline: dict[str, str | float | None] = {
        "stroke": INK,
        "stroke_width": 2 if row.significant else 1.5 if row.date_uncertain else 1,
        "stroke_dasharray": "2 2" if row.date_uncertain else None,
    }
    shapes = []
    if is_day:
        cx = scale.x(first) + scale.day_width / 2
        cy = middle + slot_offset
        radius = DOT + 2 if row.significant else DOT
        if row.significant:
            shapes.append(
                svg.element("circle", class_="cv-timeline__ring", cx=cx, cy=cy, r=radius + 3, fill="none", stroke=INK)
            )
        shapes.append(svg.element("circle", class_=" ".join(classes), cx=cx, cy=cy, r=radius, fill=fill, **outline))
    else:
        left = scale.x(max(first, scale.start))
        right = scale.x(min(last, scale.end) + dt.timedelta(days=1))
        if right - left < 4:
            left, right = (left + right) / 2 - 2, (left + right) / 2 + 2
        height = 12 if row.significant else 8
        shapes.append(
            svg.element(
                "rect",
                class_=" ".join(classes),
                x=left,
                y=middle - height / 2,
                width=right - left,
                height=height,
                rx=2,
                fill=fill,
                fill_opacity=0.6 if row.date_end is None and not row.date_uncertain else None,
                **outline,
            )
        )
    content = svg.element("title", svg.text(_mark_title(row))) + "".join(shapes)
    url = row.url if row.url and not _UNSAFE_URL.match(row.url) else None
    if url is None:
        return svg.element("g", content, class_="cv-timeline__entry")
    return svg.element("a", content, class_="cv-timeline__entry", href=url)


def _silent(period: SilentPeriod, scale: _Scale, top: float, hatch: str) -> str | None:
    start, end = max(period.start, scale.start), min(period.end, scale.end)
    if end < start:
        return None
    left, right = scale.x(start), scale.x(end + dt.timedelta(days=1))
    who = "any agency" if period.agency_id is None else period.agency
    title = (
        f"No contact from {who}: {format_agency_date(period.start, DAY)} to {format_agency_date(period.end, DAY)}"
        f" ({period.days} days)"
    )
    return svg.element(
        "rect",
        svg.element("title", svg.text(title)),
        class_="cv-timeline__silent",
        x=left,
        y=top + 2,
        width=max(right - left, 1.0),
        height=LANE_HEIGHT - 4,
        fill=f"url(#{hatch})",
        stroke=MID,
        stroke_width=1,
        stroke_dasharray="4 3",
    )


def _legend(top: float, x0: float, hatch: str) -> list[str]:
    y = top + 20
    items: list[tuple[str, str]] = [
        (
            svg.element("circle", cx=x0 + 6, cy=y, r=DOT, fill=MID, stroke=INK, stroke_width=1),
            "Day",
        ),
        (
            svg.element("rect", x=x0, y=y - 4, width=18, height=8, rx=2, fill=MID, fill_opacity=0.6, stroke=INK),
            "Month or year",
        ),
        (
            svg.element("rect", x=x0, y=y - 4, width=18, height=8, rx=2, fill=MID, stroke=INK),
            "Range of dates",
        ),
        (
            svg.element(
                "circle", cx=x0 + 6, cy=y, r=DOT, fill="#ffffff", stroke=INK, stroke_width=1.5, stroke_dasharray="2 2"
            ),
            "Uncertain date",
        ),
        (
            svg.element("circle", cx=x0 + 6, cy=y, r=DOT + 5, fill="none", stroke=INK)
            + svg.element("circle", cx=x0 + 6, cy=y, r=DOT + 2, fill=INK, stroke=INK, stroke_width=2),
            "Significant",
        ),
        (
            svg.element(
                "rect", x=x0, y=y - 8, width=18, height=16, fill=f"url(#{hatch})", stroke=MID, stroke_dasharray="4 3"
            ),
            "No contact (silent period)",
        ),
    ]
    parts = []
    offset = 0.0
    for shape, label in items:
        moved = f'<g transform="translate({offset:.0f} 0)">{shape}'
        moved += svg.element(
            "text",
            svg.text(label),
            class_="cv-timeline__legend-label",
            x=x0 + 24,
            y=y + 4,
            font_size=11,
            fill=INK,
        )
        parts.append(moved + "</g>")
        offset += 34 + 6.2 * len(label)
    return parts


# --- The picture -------------------------------------------------------------------------------------------


def render_timeline_svg(
    rows: Sequence[EntryRow],
    *,
    start: dt.date,
    end: dt.date,
    lanes: Sequence[tuple[str, str]],
    silent: Sequence[SilentPeriod] = (),
    width: int = 1000,
    id_prefix: str = "timeline",
    role: Literal["img", "group"] = "img",
) -> str:
    """An SVG swimlane of the entries between `start` and `end` (inclusive): one lane per (agency_id, name) in
    `lanes`, in that order, and an "Any agency" lane when `silent` holds periods with no agency at all.

    Each entry dated in the period becomes one mark, wrapped in a link to `row.url` with a <title> (date,
    agency, the first words of the description): a circle for a day, a bar across a month, a year or a range;
    hollow and dashed when the date is uncertain; larger, black and ringed (circles) or taller (bars) when
    significant. Silent periods are hatched in their lane. Entries of agencies not in `lanes` are left out.
    `id_prefix` keeps the ids unique when a page holds more than one timeline. With `role="img"` the links
    inside are presentational to assistive technology (axe reports "nested-interactive"); `role="group"` keeps
    the same accessible name and lets screen-reader and keyboard users reach each link.
    """
    if end < start:
        raise ValueError("the timeline's end is before its start")
    prefix = re.sub(r"[^A-Za-z0-9_-]", "", id_prefix) or "timeline"
    hatch = f"{prefix}-hatch"
    scale = _Scale(start=start, end=end, x0=LABEL_WIDTH + 10, x1=max(width - RIGHT_MARGIN, LABEL_WIDTH + 60))
    in_period = [row for row in rows if entry_span(row)[0] <= end and entry_span(row)[1] >= start]

    lane_ids = list(dict.fromkeys(agency_id for agency_id, _ in lanes))
    names = dict(lanes)
    any_silent = [period for period in silent if period.agency_id is None]
    all_lanes: list[tuple[str | None, str]] = [(agency_id, names[agency_id]) for agency_id in lane_ids]
    if any_silent:
        all_lanes.append((None, ANY_AGENCY))
    lanes_top = AXIS_Y + 6
    lanes_bottom = lanes_top + LANE_HEIGHT * len(all_lanes)
    height = lanes_bottom + LEGEND_HEIGHT

    by_lane: dict[str | None, list[EntryRow]] = {agency_id: [] for agency_id, _ in all_lanes}
    for row in sorted(in_period, key=lambda row: (entry_span(row), row.time or dt.time(0), row.sequence)):
        if row.agency_id in by_lane:
            by_lane[row.agency_id].append(row)
    silent_by_lane: dict[str | None, list[SilentPeriod]] = {agency_id: [] for agency_id, _ in all_lanes}
    for period in silent:
        if period.agency_id in silent_by_lane:
            silent_by_lane[period.agency_id].append(period)

    shown = sum(len(entries) for entries in by_lane.values())
    when = f"{format_agency_date(start, DAY)} to {format_agency_date(end, DAY)}"
    title = f"Timeline of the chronology, {when}"
    description = (
        f"{shown} {'entry' if shown == 1 else 'entries'} from {len(lane_ids)} "
        f"{'agency' if len(lane_ids) == 1 else 'agencies'}, one lane each, on a time axis. "
        f"{len([p for periods in silent_by_lane.values() for p in periods])} periods with no contact are hatched. "
        "Each mark links to its entry; the table of entries gives the same information."
    )

    svg_role = "group" if role == "group" else "img"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="cv-timeline" role="{svg_role}" '
        f'aria-labelledby="{prefix}-title {prefix}-desc" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" font-family="Arial, Helvetica, sans-serif" font-size="12">',
        svg.element("title", svg.text(title), id=f"{prefix}-title"),
        svg.element("desc", svg.text(description), id=f"{prefix}-desc"),
        "<defs>"
        + svg.element(
            "pattern",
            svg.element("line", x1=0, y1=0, x2=0, y2=6, stroke=FAINT, stroke_width=3),
            id=hatch,
            width=6,
            height=6,
            patternUnits="userSpaceOnUse",
            patternTransform="rotate(45)",
        )
        + "</defs>",
        svg.element("rect", x=0, y=0, width=width, height=height, fill="#ffffff"),
    ]
    for index in range(1, len(all_lanes), 2):  # every other lane shaded, to follow a lane across
        top = lanes_top + index * LANE_HEIGHT
        parts.append(
            svg.element("rect", class_="cv-timeline__band", x=0, y=top, width=width, height=LANE_HEIGHT, fill=BAND)
        )
    parts.extend(_axis(scale, lanes_bottom))
    for index, (agency_id, name) in enumerate(all_lanes):
        top = lanes_top + index * LANE_HEIGHT
        middle = top + LANE_HEIGHT / 2
        classes = "cv-timeline__lane" + (" cv-timeline__lane--any" if agency_id is None else "")
        lane = [
            svg.element(
                "text",
                svg.text(svg.shorten(name, 26)) + (svg.element("title", svg.text(name)) if len(name) > 26 else ""),
                class_="cv-timeline__lane-label",
                x=8,
                y=middle + 4,
                font_size=12,
                font_style="italic" if agency_id is None else None,
                fill=INK,
            ),
            svg.element("line", x1=scale.x0, y1=top + LANE_HEIGHT, x2=scale.x1, y2=top + LANE_HEIGHT, stroke=FAINT),
        ]
        for period in silent_by_lane[agency_id]:
            shaded = _silent(period, scale, top, hatch)
            if shaded:
                lane.append(shaded)
        entries = by_lane[agency_id]
        bars = [row for row in entries if entry_span(row)[0] != entry_span(row)[1]]
        dots = [row for row in entries if entry_span(row)[0] == entry_span(row)[1]]
        lane.extend(_mark(row, scale, middle, 0) for row in bars)
        # Dots close together take turns above and below the lane's middle so that each stays visible.
        slot_ends = [float("-inf")] * 3
        for row in dots:
            x = scale.x(row.date_start)
            slot = next((s for s, taken in enumerate(slot_ends) if x - taken >= 2 * DOT + 2), 0)
            slot_ends[slot] = x
            lane.append(_mark(row, scale, middle, (0, -7, 7)[slot]))
        parts.append(svg.element("g", "".join(lane), class_=classes))
    legend = _legend(lanes_bottom, 8, hatch)
    parts.append(svg.element("g", "".join(legend), class_="cv-timeline__legend"))
    parts.append("</svg>")
    return "".join(parts)
