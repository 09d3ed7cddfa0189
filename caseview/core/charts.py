"""A horizontal bar chart as server-rendered SVG, for the board dashboard and the quality markers. Each page puts a
table of the same numbers beside the chart, so the picture is never the only way to read them."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Mapping, Sequence

from caseview.core import svg
from caseview.core.svg import FAINT, INK

BAR = "#1d70b8"  # GOV.UK blue
LABEL_WIDTH = 330
ROW_HEIGHT = 40
LINE_LENGTH = 40  # characters of a label on one line; longer labels take two
BAR_HEIGHT = 18


def _label(label: str, middle: float) -> str:
    lines = textwrap.wrap(label, LINE_LENGTH) or [""]
    if len(lines) > 2:
        lines = [lines[0], svg.shorten(" ".join(lines[1:]), LINE_LENGTH)]
    first_y = middle + 5 - 8 * (len(lines) - 1)
    spans = "".join(
        svg.element("tspan", svg.text(line), x=LABEL_WIDTH, y=first_y + 16 * index) for index, line in enumerate(lines)
    )
    return svg.element("text", spans, text_anchor="end", fill=INK)


def bar_chart_svg(
    rows: Sequence[tuple[str, int]],
    *,
    title: str,
    id_prefix: str,
    width: int = 600,
    colours: Mapping[str, str] | None = None,
    scale_to: int = 0,
) -> str:
    """One bar per (label, count), the count written after each bar. The longest bar is `scale_to` (the largest
    count when not given). Bars are GOV.UK blue unless `colours` gives their label another. The <svg> is an image
    named by its <title> and described by its <desc>."""
    prefix = re.sub(r"[^A-Za-z0-9_-]", "", id_prefix) or "chart"
    top = 10
    height = top + ROW_HEIGHT * len(rows) + 10
    largest = scale_to or max((count for _, count in rows), default=0) or 1
    x0 = LABEL_WIDTH + 10
    span = width - x0 - 50
    description = "; ".join(f"{label}: {count}" for label, count in rows) + ". The table beside it gives the same."
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="cv-chart" role="img" '
        f'aria-labelledby="{prefix}-title {prefix}-desc" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" font-family="Arial, Helvetica, sans-serif" font-size="14">',
        svg.element("title", svg.text(title), id=f"{prefix}-title"),
        svg.element("desc", svg.text(description), id=f"{prefix}-desc"),
        svg.element("rect", x=0, y=0, width=width, height=height, fill="#ffffff"),
        svg.element("line", x1=x0, y1=top - 4, x2=x0, y2=height - 6, stroke=INK),
    ]
    for index, (label, count) in enumerate(rows):
        y = top + ROW_HEIGHT * index
        middle = y + ROW_HEIGHT / 2
        bar_width = span * count / largest
        colour = (colours or {}).get(label, BAR)
        parts.append(_label(label, middle))
        if count:
            parts.append(
                svg.element(
                    "rect",
                    x=x0,
                    y=middle - BAR_HEIGHT / 2,
                    width=float(bar_width),
                    height=BAR_HEIGHT,
                    fill=colour,
                    stroke=INK,  # so a pale bar (yellow, "partly met") still shows against the page
                    stroke_width=1,
                )
            )
        else:
            parts.append(svg.element("line", x1=x0, y1=middle, x2=x0 + 4, y2=middle, stroke=FAINT, stroke_width=2))
        parts.append(svg.element("text", str(count), x=float(x0 + bar_width + 8), y=middle + 5, fill=INK))
    parts.append("</svg>")
    return "".join(parts)
