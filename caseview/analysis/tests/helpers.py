"""Chronology entries, turning points and episodes for the analysis tests, in review CK2019 (conftest)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from caseview.analysis import services
from caseview.analysis.models import ContributoryFactorType, KeyPracticeEpisode, Valence
from caseview.chronology import services as chronology
from caseview.chronology.models import ChronologyEntry
from caseview.conversations.models import Conversation, Guide, Perspective
from caseview.people.models import Participant, ParticipantKind
from conftest import TEST_ORIGIN, Personas

# (agency attribute on Personas, date as the agency wrote it, what happened)
ENTRIES = [
    ("police", "10/03/2019 22:15", "Domestic incident: partner pushed mother; notification to MASH"),
    ("health", "June 2019", "Health visitor's contact: mother low, partner present"),
    ("health", "14/01/2019", "New-birth visit: partner present; domestic abuse enquiry not possible"),
    ("police", "11/11/2018", "Neighbour reports shouting; both adults deny it"),
]


def released(personas: Personas) -> dict[str, ChronologyEntry]:
    """The health visiting and police returns, released, with the entries above; by description's first word."""
    made: dict[str, ChronologyEntry] = {}
    for agency_name in ("health", "police"):
        agency = getattr(personas, agency_name)
        agency_return = chronology.return_for_agency(review=personas.review, agency=agency, by=None, origin=TEST_ORIGIN)
        for name, date_text, description in ENTRIES:
            if name != agency_name:
                continue
            made[description.split()[0].strip(":'")] = chronology.return_entry_add(
                agency_return=agency_return,
                date_text=date_text,
                time_text="",
                description=description,
                source="Case record",
                people="Mother",
                significant=False,
                by=personas.lead,
                origin=TEST_ORIGIN,
            )
        chronology.return_release(agency_return=agency_return, by=personas.lead, origin=TEST_ORIGIN)
    for entry in made.values():
        entry.refresh_from_db()
    return made


def turning_point(
    personas: Personas,
    *,
    label: str = "Health visitor 1",
    kind: str = ParticipantKind.PRACTITIONER,
    moment: str = "The new-birth visit, when I could not ask about domestic abuse",
    happened_on: dt.date | None = dt.date(2019, 1, 14),
    entries: list[ChronologyEntry] = (),  # type: ignore[assignment]
    number: int = 1,
    **fields: Any,
) -> Perspective:
    """A participant's turning point, recorded in a conversation with them."""
    participant = Participant.objects.filter(review=personas.review, label=label).first()
    if participant is None:
        participant = Participant.objects.create(
            review=personas.review, kind=kind, label=label, agency=personas.health if kind != "family" else None
        )
    conversation = Conversation.objects.create(
        review=personas.review,
        participant=participant,
        guide=Guide.FAMILY if kind == ParticipantKind.FAMILY else Guide.PRACTITIONER,
    )
    perspective = Perspective.objects.create(
        conversation=conversation,
        review=personas.review,
        participant=participant,
        number=number,
        turning_point=moment,
        happened_on=happened_on,
        **fields,
    )
    perspective.entries.set(entries)
    return perspective


def item(key: str) -> ContributoryFactorType:
    return ContributoryFactorType.objects.get(key=key, group__framework__current=True)


def episode(personas: Personas, **changes: Any) -> KeyPracticeEpisode:
    values: dict[str, Any] = {
        "review": personas.review,
        "title": "The new-birth visit",
        "period_start": dt.date(2019, 1, 14),
        "valence": Valence.PROBLEMATIC,
        "by": personas.lead,
        "origin": TEST_ORIGIN,
    }
    values.update(changes)
    return services.episode_create(**values)


def appraise(episode: KeyPracticeEpisode, personas: Personas, **changes: Any) -> KeyPracticeEpisode:
    values: dict[str, Any] = {
        "episode": episode,
        "expected_version": episode.version,
        "expected_practice": "Routine enquiry about domestic abuse, asked when the mother is seen alone.",
        "practice_compared": "The enquiry was deferred and nothing carried it forward.",
        "certainty": "confident",
        "certainty_reason": "",
        "by": personas.lead,
        "origin": TEST_ORIGIN,
    }
    values.update(changes)
    return services.appraisal_save(**values)
