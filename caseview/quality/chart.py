"""The ratings of the quality markers as a bar chart, drawn on the server (the page has a table beside it)."""

from __future__ import annotations

from collections.abc import Sequence

from caseview.core import svg
from caseview.core.svg import FAINT, INK

# GOV.UK colours by rating: green, yellow, red, grey; light grey for markers not assessed yet.
COLOURS = {
    "met": "#00703c",
    "partly_met": "#ffdd00",
    "not_met": "#d4351c",
    "not_applicable": "#505a5f",
    "not_assessed": "#b1b4b6",
}
LABEL_WIDTH = 170
BAR_HEIGHT = 28
GAP = 12
WIDTH = 560


def ratings_chart_svg(counts: Sequence[tuple[str, str, int]], *, total: int) -> str:
    """A horizontal bar per rating (`counts`: rating, label, how many), scaled to `total` markers."""
    height = len(counts) * (BAR_HEIGHT + GAP) + GAP
    scale = (WIDTH - LABEL_WIDTH - 50) / max(total, 1)
    described = "; ".join(f"{label}: {count}" for _, label, count in counts)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" '
        f'aria-labelledby="ratings-title ratings-desc" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" '
        f'height="{height}" font-family="Arial, Helvetica, sans-serif" font-size="17">',
        svg.element("title", svg.text("Quality markers by latest rating"), id="ratings-title"),
        svg.element("desc", svg.text(f"Of {total} markers: {described}."), id="ratings-desc"),
    ]
    for index, (rating, label, count) in enumerate(counts):
        top = GAP + index * (BAR_HEIGHT + GAP)
        middle = top + BAR_HEIGHT / 2 + 6
        parts.append(svg.element("text", svg.text(label), x=LABEL_WIDTH - 8, y=middle, text_anchor="end", fill=INK))
        width = count * scale
        if count:
            parts.append(
                svg.element(
                    "rect",
                    x=LABEL_WIDTH,
                    y=top,
                    width=width,
                    height=BAR_HEIGHT,
                    fill=COLOURS.get(rating, FAINT),
                    stroke=INK if rating == "partly_met" else None,
                )
            )
        parts.append(svg.element("text", str(count), x=LABEL_WIDTH + width + 6, y=middle, fill=INK))
    parts.append("</svg>")
    return "".join(parts)
