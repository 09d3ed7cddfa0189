"""The language check in templates: mark flagged phrases in a text, and list them with their suggestions."""

from __future__ import annotations

from django import template
from django.utils.html import escape, linebreaks
from django.utils.safestring import SafeString, mark_safe

from caseview.analysis.language import Flag, check, segments

register = template.Library()


@register.simple_tag
def language_flags(text: str) -> list[Flag]:
    return check(text or "")


@register.filter
def marked(text: str) -> SafeString:
    """The text as paragraphs, with each phrase the language check flags inside <mark>."""
    text = text or ""
    pieces = [
        f'<mark class="cv-flagged">{escape(piece)}</mark>' if flag else str(escape(piece))
        for piece, flag in segments(text, check(text))
    ]
    return _paragraphs("".join(pieces))


@register.filter
def paragraphs(text: str) -> SafeString:
    """The text as GOV.UK body paragraphs, for readers who see it without the language check's marks."""
    return _paragraphs(str(escape(text or "")))


def _paragraphs(escaped: str) -> SafeString:
    # linebreaks escapes nothing when told the text is already safe; it only adds <p> and <br>.
    return mark_safe(linebreaks(escaped, autoescape=False).replace("<p>", '<p class="govuk-body">'))  # noqa: S308
