"""A small review with something in every part of the report: a family with real names, a school named after its
place, an episode, a finding with questions for the board, and narrative parts."""

from __future__ import annotations

import datetime as dt

from caseview.analysis import services as analysis_services
from caseview.analysis.models import Valence
from caseview.findings import services as findings_services
from caseview.findings.models import FindingValence
from caseview.people import services as people_services
from caseview.people.models import ParticipantKind, ParticipationMode, ParticipationStatus
from caseview.reports import services
from caseview.reports.models import NarrativePart
from caseview.reviews import services as review_services
from caseview.reviews.models import Review, Sector
from conftest import TEST_ORIGIN, Personas

REAL_NAMES = ("Tilly Oakfield", "Rowan Oakfield", "Dana Whitlow")
PLACE = "Millbrook Primary School"


def small_review(personas: Personas) -> Review:
    review = review_services.review_update(
        review=personas.review,
        expected_version=personas.review.version,
        by=personas.admin,
        origin=TEST_ORIGIN,
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2026, 2, 9),
        purpose_statement="The review is for learning about the local system, not for holding anyone to account.",
    )
    school = review_services.agency_add(
        partnership=personas.partnership, name=PLACE, sector=Sector.EDUCATION, by=personas.admin, origin=TEST_ORIGIN
    )
    child = people_services.participant_add(
        review=review,
        by=personas.lead,
        origin=TEST_ORIGIN,
        kind=ParticipantKind.CHILD,
        label="Child T",
        real_name=REAL_NAMES[0],
        relationship="The child",
        age=7,
        child_agreement="assent",
        supporter="Her grandmother",
    )
    people_services.participant_add(
        review=review,
        by=personas.lead,
        origin=TEST_ORIGIN,
        kind=ParticipantKind.FAMILY,
        label="Mother",
        real_name=REAL_NAMES[1],
        relationship="Child T's mother",
        participation_mode=ParticipationMode.CONVERSATION,
        participation_status=ParticipationStatus.TOOK_PART,
    )
    teacher = people_services.participant_add(
        review=review,
        by=personas.lead,
        origin=TEST_ORIGIN,
        kind=ParticipantKind.PRACTITIONER,
        label="Teacher 1",
        real_name=REAL_NAMES[2],
        agency=school,
        position="Class teacher",
        participation_mode=ParticipationMode.CONVERSATION,
        participation_status=ParticipationStatus.TOOK_PART,
    )
    episode = analysis_services.episode_create(
        review=review,
        title="The school hears Child T's words",
        period_start=dt.date(2025, 6, 5),
        valence=Valence.MIXED,
        description=f"{REAL_NAMES[2]} wrote down what {REAL_NAMES[0]} said.",
        participants=[child, teacher],
        by=personas.lead,
        origin=TEST_ORIGIN,
    )
    finding = findings_services.finding_create(
        review=review,
        details=findings_services.FindingDetails(
            statement="Nothing in the system makes a child's own words travel beyond the service that hears them.",
            category="human_management_system",
            valence=FindingValence.RISK,
            episodes=[episode],
            how_it_showed="The school's record stayed at the school.",
            why_it_matters="The child's view is the one most often missing.",
        ),
        by=personas.lead,
        origin=TEST_ORIGIN,
    )
    findings_services.board_question_add(
        finding=finding,
        text="How will the board know a child's words reach the others?",
        by=personas.lead,
        origin=TEST_ORIGIN,
    )
    findings_services.board_question_add(
        finding=finding, text="What would help schools share what children say?", by=personas.lead, origin=TEST_ORIGIN
    )
    for part in NarrativePart:
        services.narrative_save(
            review=review,
            part=part,
            text=f"{part.label}: written by the reviewers. {REAL_NAMES[1]} told the review what happened.",
            expected_version=None,
            by=personas.lead,
            origin=TEST_ORIGIN,
        )
    return review
