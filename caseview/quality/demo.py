"""The demo review's quality records (shared/demo/scenario.md): the police investigation running alongside the
review, the decision about involving the family, what was known at the time and later for each key practice
episode with its hindsight check, the conversations the scenario says were held but the conversations demo does
not write up, and a self-assessment against several quality markers. All through the services the pages use;
everything here is invented."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from caseview.accounts.models import User
from caseview.analysis import services as analysis_services
from caseview.analysis.models import KeyPracticeEpisode
from caseview.conversations import services as conversation_services
from caseview.conversations.models import Conversation
from caseview.core.audit import Origin
from caseview.people import services as people_services
from caseview.people.models import NOT_TAKING_PART, FamilyInvolvementDecision, Participant, ParticipantKind
from caseview.quality import services
from caseview.quality.models import QualityMarkerAssessment, Rating
from caseview.reviews import parallel_services
from caseview.reviews.models import ParallelProcess, ParallelProcessKind, ParallelProcessStatus, Review

D = dt.date

FAMILY_WHO_AND_HOW = (
    "Mother: two conversations, one at her mother's home, with a supporter of her choosing.\n"
    "Maternal grandmother: a conversation; she now cares for Child E.\n"
    "Child E: a short conversation with Family worker 1, whom she knows, present, using drawings.\n"
    "Father of Child E: a conversation by phone, as he lives in another town.\n"
    "Mother's partner: invited by letter through his solicitor."
)
FAMILY_REASONS = (
    "Each of them knows the family's life and the services' part in it in a way the records cannot show, and "
    "the mother and grandmother asked to take part. Child E's own view is the one most often missing from the "
    "records. The mother's partner is charged in the criminal proceedings: after advice from the police "
    "disclosure officer he was invited only in writing, and he declined because of the proceedings; his reason "
    "is recorded with his participant record. Baby J is too young to take part."
)

POLICE_CONSTRAINTS = (
    "Until the trial ends: no conversation with the mother's partner about the events under investigation; the "
    "police disclosure officer sees the draft report before it goes to the board; conversation records may be "
    "disclosable to the defence. Publication waits for the trial's outcome."
)

# episode number -> (known at the time, known later)
HINDSIGHT: dict[int, tuple[str, str]] = {
    1: (
        "The mother's past depression and her medication; the partner was present at every contact.",
        "The partner's 2021 conviction for assaulting a former partner, and the March call-out.",
    ),
    2: (
        "One notification: shouting reported by a neighbour, both adults denying any incident, a child asleep.",
        "The partner's conviction, held by another police area, and the incidents that followed.",
    ),
    3: (
        "Child E's words to the teaching assistant and the mother's account of an accident with the TV.",
        "The March notification, which the school was never told about, and the November incident.",
    ),
    4: (
        "Two missed appointments and a mother whose mood had been improving.",
        "That the mother's engagement with every service was falling away that autumn, and the November incident.",
    ),
    5: (
        "The November notification with a DASH score of medium, the March notification, and an open early help "
        "case with a worker who knew the family.",
        "The partner's conviction, the school's June record, and that the partner kept coming to the home.",
    ),
    6: (
        "The school's referral, the mother's account that the partner had moved out, and Child E's drawings.",
        "That the health visitor never saw the invitation, and that the partner was still visiting.",
    ),
    7: (
        "A crawling baby with a bruise behind the ear, the mother's explanation, the May referral and the October "
        "visit when nobody answered.",
        "The November incident, which never reached health visiting, and the rib fractures found in February.",
    ),
}
HINDSIGHT_NOTE = (
    "The outcome kept off the appraisal screen; the appraisal judged against the guidance and procedures in force "
    "at the time; two reviewers appraised the episode independently before comparing."
)

# marker -> (answers, rating, notes)
ASSESSMENTS: dict[int, tuple[tuple[str, ...], str, str]] = {
    1: (
        (
            "The serious incident notification went to the national Panel two days after the injuries were found.",
            "Yes: the rapid review's recommendation sets out the learning about information-sharing it expects.",
        ),
        Rating.MET,
        "",
    ),
    5: (
        (
            "Yes: the purpose statement says the aim is learning, not holding anyone to account.",
            "The police investigation and media interest after the charge are named in the scoping document.",
            "The letters to practitioners and to the family use the same words.",
        ),
        Rating.MET,
        "",
    ),
    9: (
        (
            "The police investigation is recorded with the disclosure officer as the review's contact.",
            "Agreed in writing with the police: see the constraints recorded with the parallel process.",
            "Practitioners were told at the briefing; the family worker explained it to the mother.",
        ),
        Rating.PARTLY_MET,
        "The timing of publication after the trial is not yet agreed with the board.",
    ),
    12: (
        (
            "Yes: the decision about involving the family is recorded with its reasons.",
            "The mother chose where her second conversation took place and who supported her.",
            "",
            "The mother's partner declined; his reason is recorded respectfully.",
            "Planned: the mother and grandmother will see the draft before the board does.",
        ),
        Rating.MET,
        "",
    ),
    13: (
        (
            "Each episode's appraisal cites the guidance and procedures of the time.",
            "The outcome kept off the appraisal screens, and independent appraisals compared with Cohen's kappa.",
            "Contributory factors coded to the framework for every problematic or mixed episode.",
            "The findings are ranked; the dip sample of notifications shows the first one still occurs.",
            "",
        ),
        Rating.PARTLY_MET,
        "The narrative does not yet show enough working-out for the step-down decision in November.",
    ),
    16: ((), Rating.NOT_MET, "The board has not met to agree its response yet."),
}


def _parallel_process(review: Review, lead: User, origin: Origin) -> None:
    if ParallelProcess.objects.filter(review=review).exists():
        return
    parallel_services.parallel_process_add(
        review=review,
        kind=ParallelProcessKind.CRIMINAL,
        description="Police investigation into Baby J's injuries; the mother's partner charged in May 2026",
        status=ParallelProcessStatus.UNDER_WAY,
        liaison_contact="Police disclosure officer (the review's agency contact for the police)",
        constraints=POLICE_CONSTRAINTS,
        by=lead,
        origin=origin,
    )


def _family_decision(review: Review, lead: User, origin: Origin) -> None:
    if FamilyInvolvementDecision.objects.filter(review=review).exists():
        return
    people_services.family_decision_save(
        review=review,
        expected_version=None,
        who_and_how=FAMILY_WHO_AND_HOW,
        reasons=FAMILY_REASONS,
        decided_by="The lead reviewers with the review team",
        decided_on=D(2026, 3, 20),
        by=lead,
        origin=origin,
    )


def _hindsight(review: Review, lead: User, origin: Origin) -> None:
    for episode in KeyPracticeEpisode.objects.filter(review=review).order_by("number"):
        if episode.hindsight_checked or episode.number not in HINDSIGHT:
            continue
        known_then, known_later = HINDSIGHT[episode.number]
        analysis_services.appraisal_save(
            episode=episode,
            expected_version=episode.version,
            expected_practice=episode.expected_practice,
            practice_compared=episode.practice_compared,
            certainty=episode.certainty,
            certainty_reason=episode.certainty_reason,
            known_at_the_time=known_then,
            known_later=known_later,
            hindsight_checked=True,
            hindsight_note=HINDSIGHT_NOTE,
            by=lead,
            origin=origin,
        )


def _remaining_conversations(review: Review, lead: User, origin: Origin) -> None:
    """The scenario's case group all took part in conversations; the conversations demo writes up only some.
    The rest are recorded as held in May and June 2026, so that every practitioner has a record."""
    practitioners = Participant.objects.filter(
        review=review, kind__in=[ParticipantKind.PRACTITIONER, ParticipantKind.MANAGER]
    ).order_by("label")
    held = set(
        Conversation.objects.filter(review=review, status=Conversation.Status.HELD).values_list(
            "participant_id", flat=True
        )
    )
    day = D(2026, 5, 20)
    for person in practitioners:
        if person.pk in held or person.participation_status in NOT_TAKING_PART:
            continue
        conversation_services.conversation_arrange(
            review=review,
            participant=person,
            by=lead,
            origin=origin,
            scheduled_for=timezone.make_aware(dt.datetime.combine(day, dt.time(10))),
            reviewers=[lead],
            status=Conversation.Status.HELD,
        )
        day += dt.timedelta(days=2)


def _assessments(review: Review, lead: User, origin: Origin) -> None:
    if QualityMarkerAssessment.objects.filter(review=review).exists():
        return
    for number, (answers, rating, notes) in ASSESSMENTS.items():
        services.marker_assess(
            review=review, marker=number, answers=answers, rating=rating, notes=notes, by=lead, origin=origin
        )


def load_quality_demo(*, review: Review, lead: User, origin: Origin) -> dict[str, int]:
    """Add what the readiness gates G1 to G8 look for, and some self-assessments. Safe to run again."""
    _parallel_process(review, lead, origin)
    _family_decision(review, lead, origin)
    _hindsight(review, lead, origin)
    _remaining_conversations(review, lead, origin)
    _assessments(review, lead, origin)
    return {"assessments": QualityMarkerAssessment.objects.filter(review=review).count()}
