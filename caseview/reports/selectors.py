"""Reading the report: which versions a person may see, what changed between versions, the narrative parts."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from caseview.reports.assembly import Document
from caseview.reports.models import NarrativePart, ReportAudience, ReportNarrative, ReportVersion
from caseview.reports.services import shared_with
from caseview.reviews.models import Review
from caseview.reviews.rules import can


def audiences_for(*, user: Any, review: Review) -> list[str]:
    """The audiences whose versions this person may read: the team's only for those who may see identities."""
    if not can(user, "reviews.view_report", review):
        return []
    audiences = [ReportAudience.BOARD.value, ReportAudience.PUBLIC.value]
    if can(user, "reviews.view_identities", review):
        audiences.insert(0, ReportAudience.TEAM.value)
    return audiences


def versions_visible_to(*, user: Any, review: Review) -> QuerySet[ReportVersion]:
    return (
        ReportVersion.objects.filter(review=review, audience__in=audiences_for(user=user, review=review))
        .defer("html", "docx", "pdf", "document")
        .select_related("created_by")
        .prefetch_related("sign_offs__signed_by")
    )


def version_for(*, user: Any, review: Review, version_id: Any) -> ReportVersion:
    version = ReportVersion.objects.filter(
        pk=version_id, review=review, audience__in=audiences_for(user=user, review=review)
    ).first()
    if version is None:
        raise Http404("No such report version")
    return version


def shared_version_for(*, user: Any, review: Review, version_id: Any) -> ReportVersion:
    """A draft shared with this case-group practitioner or family member; anything else is 404 to them."""
    version = ReportVersion.objects.filter(pk=version_id, review=review).first()
    if version is None or not shared_with(version=version, user=user):
        raise Http404("No such report version")
    return version


def shared_versions_for(*, user: Any, review: Review) -> list[ReportVersion]:
    versions = ReportVersion.objects.filter(review=review).exclude(status="final").defer("html", "docx", "pdf")
    return [version for version in versions if shared_with(version=version, user=user)]


def narratives_of(*, review: Review) -> list[tuple[NarrativePart, ReportNarrative | None]]:
    written = {narrative.part: narrative for narrative in ReportNarrative.objects.filter(review=review)}
    return [(part, written.get(part.value)) for part in NarrativePart]


def narrative_of(*, review: Review, part: str) -> ReportNarrative | None:
    if part not in NarrativePart.values:
        raise Http404("No such part of the report")
    return ReportNarrative.objects.filter(review=review, part=part).first()


@dataclass
class SectionChange:
    title: str
    # Lines as (mark, text): "+" added, "-" taken out.
    lines: list[tuple[str, str]] = field(default_factory=list)


def previous_of(version: ReportVersion) -> ReportVersion | None:
    return (
        ReportVersion.objects.filter(review=version.review, audience=version.audience, number__lt=version.number)
        .order_by("-number")
        .first()
    )


def changes(*, version: ReportVersion, previous: ReportVersion) -> list[SectionChange]:
    """What changed since `previous`, section by section, as lines added and taken out."""
    before = {section.key: section for section in Document.from_json(previous.document).sections}
    after = Document.from_json(version.document).sections
    found = []
    keys = [section.key for section in after] + [key for key in before if key not in {s.key for s in after}]
    now = {section.key: section for section in after}
    for key in keys:
        old, new = before.get(key), now.get(key)
        old_lines = old.text().splitlines() if old else []
        new_lines = new.text().splitlines() if new else []
        if old_lines == new_lines and (old is None or new is None or old.title == new.title):
            continue
        shown = new or old
        assert shown is not None
        change = SectionChange(title=shown.title)
        for line in difflib.ndiff(old_lines, new_lines):
            if line[:2] in {"+ ", "- "}:
                change.lines.append((line[0], line[2:]))
        if new is None:
            change.title += " (taken out)"
        elif old is None:
            change.title += " (new)"
        found.append(change)
    return found
