"""A review (CK2019, conftest) that passes gates G1 to G8, for tests that then take one thing away."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from caseview.analysis.models import Effect, KeyPracticeEpisode, Significance
from caseview.analysis.services import factor_add
from caseview.analysis.tests.helpers import appraise, episode, item
from caseview.conversations.models import Conversation, Guide
from caseview.findings import services as findings_services
from caseview.findings.models import Finding, FindingValence
from caseview.findings.services import FindingDetails, RankChoice
from caseview.people import services as people_services
from caseview.people.models import Participant, ParticipantKind
from caseview.reviews import parallel_services
from caseview.reviews.models import Review
from conftest import TEST_ORIGIN, Personas


@dataclass
class Ready:
    review: Review
    practitioner: Participant
    conversation: Conversation
    episode: KeyPracticeEpisode
    finding: Finding


def hindsight(episode_: KeyPracticeEpisode, personas: Personas, **changes: Any) -> KeyPracticeEpisode:
    values: dict[str, Any] = {
        "known_at_the_time": "The midwife's note that the question had been deferred.",
        "known_later": "The March call-out and the partner's conviction.",
        "hindsight_checked": True,
        "hindsight_note": "Outcome kept off the appraisal screen.",
    }
    values.update(changes)
    return appraise(episode_, personas, **values)


def ready_review(personas: Personas) -> Ready:
    review = personas.review
    Review.objects.filter(pk=review.pk).update(case_selection_reason="A window on information-sharing.")
    review.refresh_from_db()
    parallel_services.no_parallel_processes_confirm(review=review, by=personas.lead, origin=TEST_ORIGIN)
    practitioner = people_services.participant_add(
        review=review,
        by=personas.lead,
        origin=TEST_ORIGIN,
        kind=ParticipantKind.PRACTITIONER,
        label="Health visitor 1",
        agency=personas.health,
        position="Health visitor",
    )
    conversation = Conversation.objects.create(
        review=review, participant=practitioner, guide=Guide.PRACTITIONER, status=Conversation.Status.HELD
    )
    people_services.family_decision_save(
        review=review,
        expected_version=None,
        who_and_how="Mother: a conversation.",
        reasons="She asked to take part.",
        decided_by="The lead reviewers",
        decided_on=dt.date(2026, 3, 20),
        by=personas.lead,
        origin=TEST_ORIGIN,
    )
    first = episode(personas)
    factor_add(
        episode=first,
        factor_type=item("work_workload"),
        effect=Effect.HINDERED,
        significance=Significance.HIGH,
        description="Eleven visits that day",
        by=personas.lead,
        origin=TEST_ORIGIN,
    )
    first.refresh_from_db()
    first = hindsight(first, personas)
    finding = findings_services.finding_create(
        review=review,
        details=FindingDetails(
            statement="Home visits are booked with no time to follow up what they find.",
            category="human_management_system",
            valence=FindingValence.RISK,
            episodes=[first],
            evidence_not_one_off="A dip sample of twenty visits found the same.",
        ),
        by=personas.lead,
        origin=TEST_ORIGIN,
    )
    findings_services.board_question_add(
        finding=finding, text="How will the board know?", by=personas.lead, origin=TEST_ORIGIN
    )
    finding.refresh_from_db()
    findings_services.ranking_save(
        review=review,
        choices={finding.number: RankChoice(1, "The only one", finding.version)},
        by=personas.lead,
        origin=TEST_ORIGIN,
    )
    finding.refresh_from_db()
    return Ready(review, practitioner, conversation, first, finding)
