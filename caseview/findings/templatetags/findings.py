"""Stepping up the chain of evidence from a page elsewhere: the findings that rest on a chronology entry."""

from __future__ import annotations

from django import template

from caseview.chronology.models import ChronologyEntry
from caseview.findings.models import Finding
from caseview.findings.selectors import findings_resting_on_entry

register = template.Library()


@register.simple_tag
def findings_resting_on(entry: ChronologyEntry) -> list[Finding]:
    return findings_resting_on_entry(entry=entry)
