"""Who told whom: a server-rendered SVG of agencies and people as boxes around an ellipse, with an arrow for
each sender, recipient and whether it arrived, labelled with the dates.

Laid out here in Python (no Graphviz, no JavaScript), in the chronology timeline's manner: presentation
attributes only (the Content-Security-Policy forbids inline styles), black on white so that it prints, and
every distinction carried by shape, dash and words, never colour alone. A communication that was not
received is a dashed arrow whose label says "not received". The accessible table with the same content is
the template's job.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from caseview.analysis.flow_selectors import FlowRow, Party
from caseview.core import svg
from caseview.core.svg import BAND, INK, MID

# Every class name the SVG uses, for the site's stylesheet.
CLASSES = (
    "cv-flow",  # the <svg>
    "cv-flow__node",  # a party's <g>
    "cv-flow__node--agency",  # a square-cornered box
    "cv-flow__node--person",  # a round-ended box
    "cv-flow__edge",  # one arrow's <g>: a sender, a recipient and whether it arrived
    "cv-flow__edge--not-received",  # dashed
    "cv-flow__label",  # an arrow's dates
    "cv-flow__legend",
)

NODE_WIDTH = 160
NODE_HEIGHT = 44
LINE_CHARS = 22
LEGEND_HEIGHT = 40
MARGIN = 16
DATES_IN_LABEL = 3
DASH = "7 5"


@dataclass(frozen=True)
class _Node:
    party: Party
    x: float
    y: float


def _day(row: FlowRow) -> str:
    return f"{row.sent_on:%d/%m/%Y}"


def _lines(name: str) -> list[str]:
    """The name in at most two lines of about LINE_CHARS characters, shortened with an ellipsis."""
    words, lines, line = name.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > LINE_CHARS:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    if len(lines) > 2:
        lines = [lines[0], " ".join(lines[1:])]
    return [svg.shorten(text, LINE_CHARS + 2) for text in lines]


def _layout(parties: Sequence[Party], width: int, height: float) -> dict[str, _Node]:
    """Boxes evenly round an ellipse, the first at the top, going clockwise."""
    cx, cy = width / 2, height / 2
    rx = width / 2 - NODE_WIDTH / 2 - MARGIN
    ry = height / 2 - NODE_HEIGHT / 2 - MARGIN
    count = len(parties)
    nodes = {}
    for index, party in enumerate(parties):
        angle = -math.pi / 2 + 2 * math.pi * index / count
        nodes[party.key] = _Node(party, cx + rx * math.cos(angle), cy + ry * math.sin(angle))
    return nodes


def _edge_of_box(node: _Node, towards: tuple[float, float], gap: float) -> tuple[float, float]:
    """Where a line from the box's centre towards a point leaves the box, and `gap` beyond."""
    dx, dy = towards[0] - node.x, towards[1] - node.y
    length = math.hypot(dx, dy) or 1.0
    ux, uy = dx / length, dy / length
    reach = min(
        (NODE_WIDTH / 2) / abs(ux) if ux else math.inf,
        (NODE_HEIGHT / 2) / abs(uy) if uy else math.inf,
    )
    return node.x + ux * (reach + gap), node.y + uy * (reach + gap)


def _node(node: _Node) -> str:
    party = node.party
    person = not party.is_agency
    lines = _lines(party.name)
    first_y = node.y + 4 - 7 * (len(lines) - 1)
    text = "".join(
        svg.element("tspan", svg.text(line), x=node.x, y=first_y + 14 * number) for number, line in enumerate(lines)
    )
    kind = "a person" if person else "an agency"
    return svg.element(
        "g",
        svg.element("title", svg.text(f"{party.name} ({kind})"))
        + svg.element(
            "rect",
            x=node.x - NODE_WIDTH / 2,
            y=node.y - NODE_HEIGHT / 2,
            width=NODE_WIDTH,
            height=NODE_HEIGHT,
            rx=NODE_HEIGHT / 2 if person else 2,
            fill=BAND if person else "#ffffff",
            stroke=INK,
            stroke_width=1.5,
        )
        + svg.element("text", text, text_anchor="middle", font_size=12, fill=INK),
        class_=f"cv-flow__node cv-flow__node--{'person' if person else 'agency'}",
    )


def _edge_title(rows: Sequence[FlowRow]) -> str:
    first = rows[0]
    how = "sent and received" if first.received else "sent but not received or not seen"
    items = "; ".join(f"{_day(row)}, {row.channel.lower()}: {row.information}" for row in rows)
    return f"{first.sender.name} to {first.recipient.name}, {how}: {items}"


def _edge_label(rows: Sequence[FlowRow]) -> list[str]:
    days = list(dict.fromkeys(_day(row) for row in rows))
    text = ", ".join(days[:DATES_IN_LABEL])
    if len(days) > DATES_IN_LABEL:
        text += f" and {len(days) - DATES_IN_LABEL} more"
    return [text] if rows[0].received else [text, "(not received)"]


def _edge(rows: Sequence[FlowRow], start: _Node, end: _Node, bend: float, arrow: str) -> str:
    received = rows[0].received
    # Bend to one side of the straight line, measured across it in a direction both ends agree on.
    low, high = sorted((start, end), key=lambda node: node.party.key)
    dx, dy = high.x - low.x, high.y - low.y
    length = math.hypot(dx, dy) or 1.0
    normal = (-dy / length, dx / length)
    control = ((start.x + end.x) / 2 + normal[0] * bend, (start.y + end.y) / 2 + normal[1] * bend)
    x1, y1 = _edge_of_box(start, control, 2)
    x2, y2 = _edge_of_box(end, control, 4)
    path = svg.element(
        "path",
        d=f"M{x1:.1f},{y1:.1f} Q{control[0]:.1f},{control[1]:.1f} {x2:.1f},{y2:.1f}",
        fill="none",
        stroke=INK,
        stroke_width=1.6,
        stroke_dasharray=None if received else DASH,
        marker_end=f"url(#{arrow})",
    )
    mid_x = 0.25 * x1 + 0.5 * control[0] + 0.25 * x2
    mid_y = 0.25 * y1 + 0.5 * control[1] + 0.25 * y2
    lines = _edge_label(rows)
    label = svg.element(
        "text",
        "".join(
            svg.element("tspan", svg.text(line), x=mid_x, y=mid_y + 4 + 13 * number - 6 * (len(lines) - 1))
            for number, line in enumerate(lines)
        ),
        class_="cv-flow__label",
        text_anchor="middle",
        font_size=11,
        fill=INK,
        stroke="#ffffff",
        stroke_width=4,
        paint_order="stroke",
        font_style=None if received else "italic",
    )
    classes = "cv-flow__edge" + ("" if received else " cv-flow__edge--not-received")
    return svg.element("g", svg.element("title", svg.text(_edge_title(rows))) + path + label, class_=classes)


def _legend(top: float, arrow: str) -> str:
    y = top + LEGEND_HEIGHT / 2
    items = [
        (
            svg.element("line", x1=0, y1=y, x2=34, y2=y, stroke=INK, stroke_width=1.6, marker_end=f"url(#{arrow})"),
            "Sent and received",
        ),
        (
            svg.element(
                "line",
                x1=0,
                y1=y,
                x2=34,
                y2=y,
                stroke=INK,
                stroke_width=1.6,
                stroke_dasharray=DASH,
                marker_end=f"url(#{arrow})",
            ),
            "Sent but not received or not seen (dashed)",
        ),
        (svg.element("rect", x=0, y=y - 9, width=34, height=18, rx=2, fill="#ffffff", stroke=INK), "Agency"),
        (svg.element("rect", x=0, y=y - 9, width=34, height=18, rx=9, fill=BAND, stroke=INK), "Person"),
    ]
    parts, offset = [], float(MARGIN)
    for shape, label in items:
        parts.append(
            f'<g transform="translate({offset:.0f} 0)">{shape}'
            + svg.element("text", svg.text(label), x=42, y=y + 4, font_size=11, fill=INK)
            + "</g>"
        )
        offset += 60 + 6.2 * len(label)
    return svg.element("g", "".join(parts), class_="cv-flow__legend")


def render_flow_svg(rows: Sequence[FlowRow], *, width: int = 960, id_prefix: str = "flow") -> str:
    """An SVG of the communications in `rows`: one box per agency or person who sent or received one, and one
    arrow per sender, recipient and whether it arrived, labelled with the dates it was sent (dashed and
    labelled "not received" when it was not). An empty string when there are no rows."""
    if not rows:
        return ""
    prefix = re.sub(r"[^A-Za-z0-9_-]", "", id_prefix) or "flow"
    arrow = f"{prefix}-arrow"
    found = {row.sender.key: row.sender for row in rows} | {row.recipient.key: row.recipient for row in rows}
    parties = sorted(found.values(), key=lambda party: party.order)
    plot_height = 420.0 if len(parties) <= 6 else 600.0
    height = plot_height + LEGEND_HEIGHT
    nodes = _layout(parties, width, plot_height)

    groups: dict[tuple[str, str, bool], list[FlowRow]] = defaultdict(list)
    for row in rows:
        groups[(row.sender.key, row.recipient.key, row.received)].append(row)
    by_pair: dict[frozenset[str], list[tuple[str, str, bool]]] = defaultdict(list)
    for key in sorted(groups):
        by_pair[frozenset(key[:2])].append(key)
    edges = []
    for keys in by_pair.values():
        for index, key in enumerate(keys):
            # One arrow alone curves a little; more between the same two take turns either side, further out.
            bend = (1 if index % 2 == 0 else -1) * (24 + 30 * (index // 2))
            edges.append(_edge(groups[key], nodes[key[0]], nodes[key[1]], bend, arrow))

    people = len([party for party in parties if not party.is_agency])
    not_received = len([row for row in rows if not row.received])
    title = "Who told whom: the communications between agencies and people"
    description = (
        f"{len(rows)} communication{'s' if len(rows) != 1 else ''} between {len(parties) - people} "
        f"agenc{'ies' if len(parties) - people != 1 else 'y'} and {people} {'person' if people == 1 else 'people'}, "
        f"drawn as arrows from sender to recipient labelled with the dates sent. {not_received} "
        f"{'was' if not_received == 1 else 'were'} sent but not received or not seen: dashed arrows labelled "
        "“not received”. The table of communications gives the same information."
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="cv-flow" role="img" '
        f'aria-labelledby="{prefix}-title {prefix}-desc" viewBox="0 0 {width} {height:.0f}" '
        f'width="{width}" height="{height:.0f}" font-family="Arial, Helvetica, sans-serif" font-size="12">',
        svg.element("title", svg.text(title), id=f"{prefix}-title"),
        svg.element("desc", svg.text(description), id=f"{prefix}-desc"),
        "<defs>"
        + svg.element(
            "marker",
            svg.element("path", d="M0,0 L10,5 L0,10 z", fill=INK),
            id=arrow,
            viewBox="0 0 10 10",
            refX=9,
            refY=5,
            markerWidth=8,
            markerHeight=8,
            orient="auto-start-reverse",
        )
        + "</defs>",
        svg.element("rect", x=0, y=0, width=width, height=f"{height:.0f}", fill="#ffffff"),
        *edges,
        *(_node(node) for node in nodes.values()),
        svg.element("line", x1=MARGIN, y1=plot_height, x2=width - MARGIN, y2=plot_height, stroke=MID, stroke_width=0.5),
        _legend(plot_height, arrow),
        "</svg>",
    ]
    return "".join(parts)
