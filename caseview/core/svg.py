"""Server-rendered SVG pieces: escaped text and attributes, elements, and the GOV.UK colours the pictures use.

Pictures (the chronology timeline, the information-flow graph) are drawn as SVG text on the server, with
presentation attributes only, because the Content-Security-Policy forbids inline styles.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape, quoteattr

INK = "#0b0c0c"  # GOV.UK text colour
MID = "#505a5f"  # GOV.UK secondary text
FAINT = "#b1b4b6"  # GOV.UK border
BAND = "#f3f2f1"  # GOV.UK light grey

_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def text(value: str) -> str:
    return escape(_NOT_XML.sub("", value))


def attr(value: str | float) -> str:
    if isinstance(value, float):
        value = f"{value:.1f}".removesuffix(".0")
    return quoteattr(_NOT_XML.sub("", str(value)))


def element(name: str, content: str = "", /, **attributes: str | float | None) -> str:
    attrs = "".join(
        f" {key.rstrip('_').replace('_', '-')}={attr(value)}" for key, value in attributes.items() if value is not None
    )
    return f"<{name}{attrs}>{content}</{name}>" if content else f"<{name}{attrs}/>"


def shorten(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"
