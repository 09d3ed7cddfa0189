"""The demo review's narrative of multi-agency perspectives (shared/demo/scenario.md): five sections over the
period under review, each with the reviewers' text and marks, and the November section shared with the case
group, commented on by Health visitor 1 and changed in answer, through the same services the pages use.
Everything here is invented."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from caseview.accounts.models import User
from caseview.analysis import narrative
from caseview.analysis.demo import demo_entry
from caseview.analysis.models import KeyPracticeEpisode, MarkKind, NarrativeSection
from caseview.conversations.models import Perspective
from caseview.core.audit import Origin
from caseview.people.models import Participant
from caseview.reviews.models import Agency, Membership, Review, Role

D = dt.date

MATERNITY = "Maternity"
HV = "Health visiting"
GP = "GP practice"
PERINATAL = "Perinatal mental health"
SCHOOL = "Fernside Primary School"
EH = "Early help"
CSC = "Children's social care"
POLICE = "Police"


@dataclass(frozen=True)
class Mark:
    kind: str
    note: str
    entries: tuple[tuple[str, dt.date], ...] = ()
    perspectives: tuple[tuple[str, dt.date], ...] = ()  # (participant label, the turning point's date)
    held_by: tuple[str, ...] = ()  # agency names or participant labels
    not_held_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class Section:
    title: str
    start: dt.date
    end: dt.date
    text: str
    marks: tuple[Mark, ...] = ()
    episode: int | None = None


NOVEMBER_FIRST = (
    "On 10 November the police attended a domestic incident: the partner had pushed the mother, bruising her arm, "
    "with both children in the home. He was arrested and released under investigation, and the notification went "
    "to the MASH. The next morning the MASH social worker screened it among thirty-eight notifications; early "
    "help was already open and the family worker knew the family, and the incident was stepped down to early "
    "help. Early help and the school were told by phone.\n\n"
    "Health visiting was not among the agencies told. The mother told the family worker, and later her GP, that "
    "the partner had moved out to his mother's; to her, and to the professionals who heard it, that seemed to "
    "close the episode."
)
NOVEMBER_COMMENT = (
    "The section says health visiting was not among the agencies told, which reads as if the MASH chose not to "
    "tell us. Health visiting is not on the police notification route at all, so no one in the MASH would have "
    "thought of us. Could the section say that?"
)
NOVEMBER_RESPONSE = (
    "Thank you: that is right, and it is a feature of the system rather than a choice made that morning. The "
    "section now says that health visiting is not on the notification route, so it was not told."
)
NOVEMBER_CHANGED = NOVEMBER_FIRST.replace(
    "Health visiting was not among the agencies told.",
    "Health visiting is not on the route police notifications take, so it was not told of the incident, and "
    "nothing in the screening prompted anyone to tell it.",
)

SECTIONS: tuple[Section, ...] = (
    Section(
        title="Pregnancy and birth",
        start=D(2025, 1, 1),
        end=D(2025, 5, 31),
        text="The mother booked with maternity in January, twelve weeks pregnant, and told the midwife about her "
        "past depression. Her partner came to every appointment, and the routine question about domestic abuse, "
        "which is asked only when a woman is seen alone, was put off to the next contact each time.\n\n"
        "In March the police attended a report of shouting at the flat; both adults said nothing had happened, "
        "and the MASH screened the notification as needing no further action. Baby J was born well in April. At "
        "the new-birth visit the health visitor found the mother low, referred her to perinatal mental health the "
        "same day, and again could not ask about domestic abuse with the partner in the room.",
        marks=(
            Mark(
                MarkKind.DIFFER,
                "The health visitor remembers that the question could not be asked because the mother was never "
                "on her own. The mother remembers that nobody asked to see her on her own, and thinks she would "
                "have said something if they had. Both accounts are kept: they differ on whether time alone was "
                "ever sought, not on what happened in the room.",
                entries=((HV, D(2025, 5, 2)),),
                perspectives=(("Health visitor 1", D(2025, 5, 2)), ("Mother", D(2025, 5, 2))),
            ),
            Mark(
                MarkKind.INFORMATION_HELD,
                "The police and the MASH held the March call-out. Maternity and health visiting, who saw the "
                "mother throughout the pregnancy and after the birth, were not told of it.",
                entries=((POLICE, D(2025, 3, 10)), (CSC, D(2025, 3, 11))),
                held_by=(POLICE, CSC),
                not_held_by=(MATERNITY, HV),
            ),
        ),
        episode=1,
    ),
    Section(
        title="Spring and summer 2025",
        start=D(2025, 6, 1),
        end=D(2025, 8, 31),
        text="In June Child E told the teaching assistant that the partner had shouted at her mother and broken the "
        "television. The school wrote down her words, and the designated safeguarding lead spoke to the mother, "
        "who said it was an accident. On its own it did not seem to meet the threshold, and the school decided "
        "to monitor.\n\n"
        "The same month a police researcher came across the partner's 2021 conviction in another area while "
        "checking an unrelated matter; it was not linked to the household. Over the summer Baby J thrived and "
        "the mother's mood improved.",
        marks=(
            Mark(
                MarkKind.AGREE,
                "The school's record and the safeguarding lead's account agree: Child E's words were written down "
                "as she said them, the mother was spoken to, and the school chose to watch.",
                entries=((SCHOOL, D(2025, 6, 5)),),
                perspectives=(("Designated safeguarding lead", D(2025, 6, 5)),),
            ),
            Mark(
                MarkKind.INFORMATION_HELD,
                "The police held the partner's conviction for assaulting a former partner. The school, the MASH "
                "and health visiting did not.",
                entries=((POLICE, D(2025, 6, 1)),),
                held_by=(POLICE,),
                not_held_by=(SCHOOL, CSC, HV),
            ),
        ),
    ),
    Section(
        title="Autumn 2025",
        start=D(2025, 9, 1),
        end=D(2025, 10, 31),
        text="In September a housing officer visiting about noise saw a hole in a wall; the association's policy "
        "asks for a safeguarding referral only when a child discloses harm. Child E's attendance fell. The mother "
        "missed a second perinatal appointment and was discharged to her GP under the missed-appointments policy. "
        "The health visitor's planned contact in October found no one at home. Later that month the school "
        "referred the family to early help: Child E was tired and withdrawn and said that the partner gets angry.",
        marks=(
            Mark(
                MarkKind.INFORMATION_HELD,
                "Perinatal mental health held the discharge and told the GP by letter. Health visiting, which had "
                "made the referral and was still seeing the family, was not told.",
                entries=((PERINATAL, D(2025, 10, 6)),),
                held_by=(PERINATAL, GP),
                not_held_by=(HV,),
            ),
        ),
    ),
    Section(
        title="November's incident",
        start=D(2025, 11, 1),
        end=D(2025, 11, 30),
        text=NOVEMBER_FIRST,
        marks=(
            Mark(
                MarkKind.INFORMATION_HELD,
                "The police, the MASH and early help held the November incident. Health visiting did not, and "
                "nor did the GP who saw the mother two weeks later.",
                entries=((POLICE, D(2025, 11, 10)), (CSC, D(2025, 11, 11)), (EH, D(2025, 11, 11))),
                held_by=(POLICE, CSC, EH),
                not_held_by=(HV, GP),
            ),
            Mark(
                MarkKind.AGREE,
                "The MASH social worker's account and the mother's agree on how the week looked then: a first "
                "push, a family early help already knew, and a partner who had moved out.",
                perspectives=(("MASH social worker 1", D(2025, 11, 11)), ("Mother", D(2025, 11, 12))),
            ),
        ),
        episode=5,
    ),
    Section(
        title="Winter to February 2026",
        start=D(2025, 12, 1),
        end=D(2026, 2, 9),
        text="Early help called a team-around-the-family meeting in December. The invitation to health visiting "
        "went to a shared inbox and was not seen, and the police were not invited. The mother declined the "
        "domestic abuse service: things were fine now, she said. Before Christmas Child E told the school the "
        "partner had been at home; the school emailed the family worker, who was on leave and read it in January, "
        "when the mother said he came only to see Baby J.\n\n"
        "At the nine-month review the health visitor saw a bruise behind Baby J's ear, completed a body map and "
        "accepted that he had fallen against his cot. She did not know about November. On 9 February Baby J was "
        "brought to hospital.",
        marks=(
            Mark(
                MarkKind.INFORMATION_HELD,
                "Early help and the school knew of the November incident and that the partner was at home again. "
                "The health visitor who saw the bruise knew neither.",
                entries=((SCHOOL, D(2025, 12, 19)), (EH, D(2026, 1, 8)), (HV, D(2026, 1, 19))),
                held_by=(EH, SCHOOL),
                not_held_by=(HV,),
            ),
            Mark(
                MarkKind.RECORD_RECOLLECTION,
                "Health visiting's record says the explanation was accepted. The health visitor remembers why it "
                "fitted for her: a baby who was crawling and pulling up, and a protocol she read as being about "
                "babies who are not yet mobile.",
                entries=((HV, D(2026, 1, 19)),),
                perspectives=(("Health visitor 1", D(2026, 1, 19)),),
            ),
        ),
    ),
)


def _perspective(review: Review, label: str, day: dt.date) -> Perspective | None:
    return Perspective.objects.filter(review=review, participant__label=label, happened_on=day).first()


def _party(name: str, agencies: dict[str, Agency], participants: dict[str, Participant]) -> Agency | Participant:
    return agencies[name] if name in agencies else participants[name]


def _commenter(review: Review) -> User | None:
    """Health visitor 1's account when she has one in the demo, or else any case-group practitioner's."""
    participant = Participant.objects.filter(review=review, label="Health visitor 1", user__isnull=False).first()
    if participant is not None:
        return participant.user
    membership = Membership.objects.filter(review=review, role=Role.PRACTITIONER).select_related("user").first()
    return membership.user if membership else None


def load_narrative_demo(*, review: Review, lead: User, origin: Origin) -> dict[str, int]:
    """Create the demo's narrative. Does nothing if the review has one already."""
    existing = NarrativeSection.objects.filter(review=review)
    if existing.exists():
        return {"sections": existing.count()}
    agencies = {agency.name: agency for agency in Agency.objects.filter(partnership=review.partnership)}
    participants = {participant.label: participant for participant in Participant.objects.filter(review=review)}
    episodes = {episode.number: episode for episode in KeyPracticeEpisode.objects.filter(review=review)}
    sections = {}
    for spec in SECTIONS:
        section = narrative.section_add(
            review=review,
            title=spec.title,
            period_start=spec.start,
            period_end=spec.end,
            episode=episodes.get(spec.episode) if spec.episode else None,
            text=spec.text,
            by=lead,
            origin=origin,
        )
        sections[spec.title] = section
        for mark in spec.marks:
            held = [_party(name, agencies, participants) for name in mark.held_by]
            not_held = [_party(name, agencies, participants) for name in mark.not_held_by]
            narrative.mark_add(
                section=section,
                kind=mark.kind,
                note=mark.note,
                entries=[demo_entry(review, agencies, agency, day) for agency, day in mark.entries],
                perspectives=[found for label, day in mark.perspectives if (found := _perspective(review, label, day))],
                held_by_agencies=[party for party in held if isinstance(party, Agency)],
                held_by_participants=[party for party in held if isinstance(party, Participant)],
                not_held_by_agencies=[party for party in not_held if isinstance(party, Agency)],
                not_held_by_participants=[party for party in not_held if isinstance(party, Participant)],
                by=lead,
                origin=origin,
            )

    november = narrative.section_share(section=sections["November's incident"], shared=True, by=lead, origin=origin)
    commenter = _commenter(review)
    if commenter is not None:
        comment = narrative.comment_add(section=november, text=NOVEMBER_COMMENT, by=commenter, origin=origin)
        narrative.comment_respond(
            comment=comment,
            expected_version=comment.version,
            section_version=november.version,
            response=NOVEMBER_RESPONSE,
            text=NOVEMBER_CHANGED,
            by=lead,
            origin=origin,
        )
    return {"sections": len(SECTIONS)}
