"""A conversation record as one plain document: for the versions kept when a record is agreed or reopened."""

from __future__ import annotations

from typing import Any

from caseview.conversations.guide import PERSPECTIVE_FIELDS, guide_for
from caseview.conversations.models import Conversation


def record_snapshot(conversation: Conversation) -> dict[str, Any]:
    """The record's sections and turning points, as they stand, in the order of its guide."""
    guide = guide_for(conversation.guide)
    notes = {section.key: section.notes for section in conversation.sections.all()}
    return {
        "guide": conversation.guide,
        "version": conversation.record_version,
        "sections": [
            {"key": section.key, "title": section.title, "notes": notes.get(section.key, "")}
            for section in guide.sections
        ],
        "turning_points": [
            {
                "number": perspective.number,
                "turning_point": perspective.turning_point,
                "happened_on": perspective.happened_on.isoformat() if perspective.happened_on else None,
                "entries": sorted(str(entry_id) for entry_id in perspective.entries.values_list("pk", flat=True)),
                **{prompt.field: getattr(perspective, prompt.field) for prompt in PERSPECTIVE_FIELDS},
            }
            for perspective in conversation.perspectives.all()
        ],
    }
