"""The demo review's participants, their consent, letters and case group meetings (shared/demo/scenario.md).

Every person here is invented. Loaded once: a review that already has participants is left as it is.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from caseview.accounts.models import User
from caseview.conversations import letter_services
from caseview.conversations.models import Audience, LetterKind
from caseview.core.audit import Origin
from caseview.meetings import services as meeting_services
from caseview.meetings.models import Invitation, MeetingKind
from caseview.people import services
from caseview.people.models import (
    ChildAgreement,
    ConsentScope,
    Participant,
    ParticipantKind,
    ParticipationMode,
    ParticipationStatus,
)
from caseview.reviews.models import Agency, Review, Role

D = dt.date
CONVERSATION = ParticipationMode.CONVERSATION
TOOK_PART = ParticipationStatus.TOOK_PART

# label, real name, agency, position, kind, involved from, to, mode, status, reason
PROFESSIONALS: list[tuple[str, str, str, str, str, dt.date, dt.date, str, str, str]] = [
    ("Community midwife 1", "Rachel Penrose", "Maternity", "Community midwife", "practitioner",
     D(2025, 1, 14), D(2025, 5, 2), CONVERSATION, TOOK_PART, ""),
    ("Health visitor 1", "Jo Whitfield", "Health visiting", "Health visitor", "practitioner",
     D(2025, 5, 2), D(2026, 2, 9), CONVERSATION, TOOK_PART, ""),
    ("GP 1", "Dr Amir Basra", "GP practice", "General practitioner", "practitioner",
     D(2025, 2, 3), D(2026, 1, 28), CONVERSATION, TOOK_PART, ""),
    ("Perinatal mental health nurse 1", "Helen Cray", "Perinatal mental health", "Community mental health nurse",
     "practitioner", D(2025, 5, 20), D(2025, 10, 6), CONVERSATION, TOOK_PART, ""),
    ("Designated safeguarding lead", "Anne Fairley", "Fernside Primary School",
     "Deputy head teacher and designated safeguarding lead", "practitioner", D(2025, 6, 5), D(2026, 2, 9),
     CONVERSATION, TOOK_PART, ""),
    ("Teaching assistant 1", "Gail Abbott", "Fernside Primary School", "Teaching assistant", "practitioner",
     D(2025, 6, 5), D(2026, 2, 9), CONVERSATION, TOOK_PART, ""),
    ("Family worker 1", "Dana Rowe", "Early help", "Early help family worker", "practitioner",
     D(2025, 11, 3), D(2026, 2, 9), CONVERSATION, TOOK_PART, ""),
    ("MASH social worker 1", "Tom Hadley", "Children's social care", "Social worker, multi-agency safeguarding hub",
     "practitioner", D(2025, 3, 11), D(2025, 11, 11), CONVERSATION, TOOK_PART, ""),
    ("Team manager 1", "Beverley Kaur", "Children's social care", "Team manager, multi-agency safeguarding hub",
     "manager", D(2025, 3, 11), D(2025, 11, 11), CONVERSATION, TOOK_PART, ""),
    ("Response officer 1", "Lewis Grant", "Police", "Police constable, response", "practitioner",
     D(2025, 11, 10), D(2025, 11, 10), CONVERSATION, TOOK_PART, ""),
    ("MASH police researcher 1", "Sophie Lang", "Police", "Police researcher, multi-agency safeguarding hub",
     "practitioner", D(2025, 3, 10), D(2025, 11, 11), CONVERSATION, TOOK_PART, ""),
    ("Housing officer 1", "Neil Barton", "Housing association", "Housing officer", "practitioner",
     D(2025, 9, 22), D(2025, 9, 22), CONVERSATION, TOOK_PART, ""),
    ("Outreach worker 1", "Kerry Mills", "Domestic abuse service", "Domestic abuse outreach worker", "practitioner",
     D(2025, 12, 15), D(2025, 12, 15), ParticipationMode.WRITTEN_ACCOUNT, ParticipationStatus.DECLINED,
     "Her caseload at the time left no room for a conversation; she sent a written account instead."),
]  # fmt: skip


def _family(review: Review, by: User, origin: Origin, parent: User) -> list[Participant]:
    family = [
        services.participant_add(
            review=review,
            by=by,
            origin=origin,
            kind=ParticipantKind.FAMILY,
            label="Mother",
            real_name="Leanne Marsh",
            relationship="Mother of Child E and Baby J",
            support_needs="Prefers to meet at her mother's home; a break every half hour.",
            participation_mode=ParticipationMode.CONVERSATION,
            participation_status=TOOK_PART,
            user=parent,
        ),
        services.participant_add(
            review=review,
            by=by,
            origin=origin,
            kind=ParticipantKind.FAMILY,
            label="Maternal grandmother",
            real_name="Pat Marsh",
            relationship="Maternal grandmother; cares for Child E since February 2026",
            participation_mode=ParticipationMode.CONVERSATION,
            participation_status=TOOK_PART,
        ),
        services.participant_add(
            review=review,
            by=by,
            origin=origin,
            kind=ParticipantKind.CHILD,
            label="Child E",
            real_name="Ellie Marsh",
            age=7,
            child_agreement=ChildAgreement.ASSENT,
            supporter="Family worker 1, whom she knows, sat with her",
            support_needs="A short conversation with drawing materials; at her grandmother's home.",
            participation_mode=ParticipationMode.SUPPORTED_CONVERSATION,
            participation_status=TOOK_PART,
        ),
        services.participant_add(
            review=review,
            by=by,
            origin=origin,
            kind=ParticipantKind.FAMILY,
            label="Father of Child E",
            real_name="Mark Ellis",
            relationship="Child E's father; lives in another town",
            participation_mode=ParticipationMode.PHONE_OR_VIDEO,
            participation_status=TOOK_PART,
        ),
        services.participant_add(
            review=review,
            by=by,
            origin=origin,
            kind=ParticipantKind.FAMILY,
            label="Mother's partner",
            real_name="Craig Dunmore",
            relationship="Baby J's father",
            participation_mode=ParticipationMode.TO_BE_AGREED,
            participation_status=ParticipationStatus.DECLINED,
            non_participation_reason="Declined on his solicitor's advice while the criminal proceedings continue.",
        ),
    ]
    return family


def load_people_demo(
    *, review: Review, users: dict[str, User], agencies: dict[str, Agency], origin: Origin
) -> dict[str, Participant]:
    """Participants from several agencies and the family, with consent, letters and two meetings."""
    if review.participants.exists():
        return {participant.label: participant for participant in review.participants.all()}
    lead = users["lead"]
    people: dict[str, Participant] = {}
    for label, real_name, agency, position, kind, start, end, mode, status, reason in PROFESSIONALS:
        people[label] = services.participant_add(
            review=review,
            by=lead,
            origin=origin,
            kind=kind,
            label=label,
            real_name=real_name,
            agency=agencies[agency],
            position=position,
            involved_from=start,
            involved_to=end,
            participation_mode=mode,
            participation_status=status,
            non_participation_reason=reason,
            user=users["practitioner"] if label == "Health visitor 1" else None,
        )
    people["Safeguarding lead, health visiting"] = services.participant_add(
        review=review,
        by=lead,
        origin=origin,
        kind=ParticipantKind.MANAGER,
        label="Safeguarding lead, health visiting",
        agency=agencies["Health visiting"],
        position="Named nurse for safeguarding",
        should_have_been_involved=True,
        participation_mode=CONVERSATION,
        participation_status=ParticipationStatus.INVITED,
    )
    for participant in _family(review, lead, origin, users["parent"]):
        people[participant.label] = participant

    _consents(people, lead, origin)
    _letters(people, lead, origin)
    _meetings(review, people, lead, origin)
    return people


def _consents(people: dict[str, Participant], lead: User, origin: Origin) -> None:
    for label, participant in people.items():
        if participant.participation_status != TOOK_PART:
            continue
        given_on = D(2026, 4, 20)
        for scope in (ConsentScope.TAKING_PART, ConsentScope.CONTACT, ConsentScope.RECORDING, ConsentScope.QUOTATION):
            agreed = not (label == "Father of Child E" and scope == ConsentScope.RECORDING)
            services.consent_record(
                participant=participant,
                scope=scope,
                agreed=agreed,
                given_on=given_on,
                how_given="Signed consent form" if participant.kind != ParticipantKind.CHILD else "Talked through",
                given_by="Mother" if participant.kind == ParticipantKind.CHILD else "",
                by=lead,
                origin=origin,
            )
    # The maternal grandmother later asked not to be quoted: the report paraphrases her.
    services.consent_withdraw(
        consent=people["Maternal grandmother"].consents.get(scope=ConsentScope.QUOTATION),
        withdrawn_on=D(2026, 6, 2),
        reason="Worried that her words would identify the family locally.",
        by=lead,
        origin=origin,
    )


def _letters(people: dict[str, Participant], lead: User, origin: Origin) -> None:
    for label, audience in (("Health visitor 1", Audience.PRACTITIONER), ("Mother", Audience.FAMILY)):
        for kind in (LetterKind.INTRODUCTION, LetterKind.BRIEFING):
            letter = letter_services.letter_prepare(
                participant=people[label],
                kind=kind,
                audience=audience,
                conversation_date="Wednesday 6 May 2026" if kind == LetterKind.BRIEFING else "",
                support_contact="Sam Okafor, lead reviewer",
                by=lead,
                origin=origin,
            )
            if kind == LetterKind.INTRODUCTION:
                letter_services.letter_mark_sent(
                    letter=letter,
                    sent_on=letter.created_at.date(),
                    sent_how="email" if audience == Audience.PRACTITIONER else "post",
                    expected_version=letter.version,
                    by=lead,
                    origin=origin,
                )
    letter_services.letter_prepare(
        participant=people["Child E"],
        kind=LetterKind.INTRODUCTION,
        audience=Audience.CHILD,
        conversation_date="",
        support_contact="Family worker 1",
        by=lead,
        origin=origin,
    )


def _meetings(review: Review, people: dict[str, Participant], lead: User, origin: Origin) -> None:
    team = list(review.memberships.filter(role__in=[Role.LEAD_REVIEWER, Role.REVIEW_TEAM]))
    case_group = [p for p in people.values() if p.kind in {ParticipantKind.PRACTITIONER, ParticipantKind.MANAGER}]
    held: Any = meeting_services.meeting_arrange(
        review=review,
        by=lead,
        origin=origin,
        kind=MeetingKind.JOINT,
        title="First joint meeting of the review team and case group",
        held_on=D(2026, 6, 16),
        starts_at=dt.time(10, 0),
        place="Westbrook civic centre, room 2",
        agenda="1. The systems approach and how the review works\n2. The chronology: gaps and corrections\n"
        "3. Turning points people see\n4. What happens next",
    )
    held = meeting_services.meeting_invitations_set(
        meeting=held,
        participants=[p for p in case_group if p.participation_status == TOOK_PART],
        members=team,
        invited_on=D(2026, 5, 26),
        expected_version=held.version,
        by=lead,
        origin=origin,
    )
    answers = {}
    for invitation in held.invitations.select_related("participant"):
        label = invitation.participant.label if invitation.participant else ""
        answers[invitation.pk] = (
            Invitation.Attendance.APOLOGIES
            if label in {"GP 1", "Housing officer 1"}
            else Invitation.Attendance.ATTENDED
        )
    held = meeting_services.meeting_attendance_record(
        meeting=held, attendance=answers, expected_version=held.version, by=lead, origin=origin
    )
    meeting_services.meeting_update(
        meeting=held,
        expected_version=held.version,
        by=lead,
        origin=origin,
        outputs="Chronology corrected in three places (the November call to early help was by phone, not email). "
        "Practitioners named the 11 November screening and the 9-month review as turning points.",
    )
    coming = meeting_services.meeting_arrange(
        review=review,
        by=lead,
        origin=origin,
        kind=MeetingKind.JOINT,
        title="Second joint meeting: checking the analysis",
        held_on=D(2027, 1, 19),
        starts_at=dt.time(13, 30),
        place="Westbrook civic centre, room 2",
        agenda="1. The narrative of perspectives\n2. Key practice episodes and their explanations\n"
        "3. Are these patterns typical of how things work here?",
    )
    meeting_services.meeting_invitations_set(
        meeting=coming,
        participants=[p for p in case_group if p.participation_status == TOOK_PART],
        members=team,
        invited_on=D(2026, 11, 20),
        expected_version=coming.version,
        by=lead,
        origin=origin,
    )
