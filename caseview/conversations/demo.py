"""The demo review's conversations (shared/demo/scenario.md, "Perspectives"): records on every guide, some agreed.

Health visitor 1 (the `practitioner` account) agreed her first record, then asked for a change: the second
version waits for her to check. The mother (the `parent` account) agreed the record of her first conversation;
the second waits for her. Other records are still being written. Loaded once.
"""

from __future__ import annotations

import datetime as dt
import struct
import zlib
from typing import Any

from caseview.accounts.models import User
from caseview.chronology.models import ChronologyEntry
from caseview.conversations import checking, services
from caseview.conversations.models import ConversationFile, Guide, Mode
from caseview.core.audit import Origin
from caseview.people.models import Participant
from caseview.reviews.models import Review

D = dt.date


def _when(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=dt.UTC)


def _entries(review: Review, *wanted: tuple[dt.date, str]) -> list[ChronologyEntry]:
    found: list[ChronologyEntry] = []
    for day, agency in wanted:
        found.extend(ChronologyEntry.objects.filter(review=review, date_start=day, agency__name=agency))
    return found


def _drawing() -> bytes:
    """A small picture standing in for Child E's drawing "my house" (a plain PNG, made here)."""
    width, height = 8, 8
    rows = b"".join(b"\x00" + bytes([200, 120, 40]) * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


HEALTH_VISITOR_SECTIONS = {
    "introduction": "Explained the systems approach and that she appears in reports as Health visitor 1. She had "
    "read the briefing and was anxious about being blamed; we talked about what the review is for.",
    "overview": "Health visitor for the family from the new-birth visit in May 2025 to February 2026: the new-birth "
    "visit, the 8-week review (late), a no-access visit in October and the 9-month review in January.",
    "contributory_factors": "Caseload: about 480 families, with two vacant posts in the team. The bruising protocol "
    "she knew was about babies who are not yet mobile. Safeguarding supervision that quarter was cancelled twice. "
    "Nothing reached her about the police incident in November: MASH told early help and the school by phone.",
    "went_well": "The referral to perinatal mental health in May was quick and made with the mother's consent.",
    "overview_queries": "Asked whether the perinatal team's discharge letter in October reached her: it did not; "
    "it went to the GP only.",
    "suggested_changes": "A way of hearing about police call-outs to a household with a baby, whoever's name is on "
    "the notification. A bruising protocol that talks about babies who crawl.",
}

MOTHER_SECTIONS = {
    "introduction": "We met at her mother's home, as she asked. She knew she could stop at any time and that the "
    "report calls her Mother.",
    "overview": "She described the year after Baby J was born as 'just getting through each day'. Craig was "
    "around most of the time, including at every appointment.",
    "experience_of_services": "Kind people, she said, who asked about her mood and the baby's weight. 'I liked the "
    "health visitor. I didn't want her to think badly of me.'",
    "what_helped": "The family worker, who 'didn't rush me and talked to Ellie properly'.",
    "what_did_not_help": "Letters that told her a referral had been closed without saying what it had been about.",
    "listened_to": "Everyone asked how I was feeling. Nobody asked me on my own whether I was safe at home. I "
    "would have said, I think, if Craig hadn't always been there.",
    "suggested_changes": "See mums on their own at least once, even if it has to be arranged specially.",
}


def load_conversations_demo(
    *, review: Review, people: dict[str, Participant], users: dict[str, User], origin: Origin
) -> None:
    if review.conversations.exists():
        return
    lead, reviewer = users["lead"], users["reviewer"]
    team = [lead, reviewer]

    def held(label: str, day: dt.date, hour: int, **arrangements: Any) -> Any:
        return services.conversation_arrange(
            review=review,
            participant=people[label],
            by=lead,
            origin=origin,
            scheduled_for=_when(day, hour),
            reviewers=arrangements.pop("reviewers", team),
            status="held",
            **arrangements,
        )

    def sections(conversation: Any, notes: dict[str, str]) -> None:
        services.record_sections_save(
            conversation=conversation,
            notes=notes,
            expected_versions=dict.fromkeys(notes, 0),
            by=lead,
            origin=origin,
        )

    # Health visitor 1: agreed, reopened at her request, and the new version shared with her to check.
    visitor = held("Health visitor 1", D(2026, 5, 6), 10, place="Health visiting team base", recorded=True)
    sections(visitor, HEALTH_VISITOR_SECTIONS)
    services.perspective_add(
        conversation=visitor,
        turning_point="The new-birth visit, with the partner in the room throughout",
        happened_on=D(2025, 5, 2),
        entries=_entries(review, (D(2025, 5, 2), "Health visiting")),
        by=lead,
        origin=origin,
        what_they_thought="A mother with low mood after a birth, and a partner who seemed supportive.",
        reasons="The depression score needed acting on that day; the domestic abuse question can only be asked "
        "when a woman is on her own, and she never was.",
        feelings="Frustrated that she could not ask; relieved the mental health referral was accepted.",
        caught_attention="The Edinburgh score of 14.",
        competing_demands="Two new-birth visits that afternoon and a child protection conference the next day.",
        concerns_and_dilemmas="Whether to push for time alone with the mother at the risk of the partner closing "
        "the door to the service.",
        trying_to_achieve="Getting the mother help for her mood quickly.",
        options_seen="Refer to perinatal mental health; plan to ask about domestic abuse at the next contact.",
        known_at_the_time="The midwife's note that the routine question had been deferred.",
        learned_later="The March police call-out and the partner's conviction in another area.",
    )
    services.perspective_add(
        conversation=visitor,
        turning_point="The 9-month review: a bruise behind Baby J's ear",
        happened_on=D(2026, 1, 19),
        entries=_entries(review, (D(2026, 1, 19), "Health visiting")),
        by=lead,
        origin=origin,
        what_they_thought="A mobile baby who had knocked himself on the cot, as babies who pull up do.",
        reasons="Baby J was crawling and pulling up, so I thought of him as mobile; the bruising protocol I knew "
        "was about babies who are not yet mobile.",
        feelings="Reassured by how much brighter Mum was.",
        caught_attention="The mother's mood, which I had been watching since May; she was engaging with me.",
        competing_demands="I had eleven visits that day.",
        concerns_and_dilemmas="Whether a body map and a note were enough, or whether to call the safeguarding "
        "lead; I judged the explanation fitted.",
        trying_to_achieve="Keeping a relationship with a mother who had been hard to reach in the autumn.",
        options_seen="Accept the explanation and record it; consult the safeguarding lead; refer to MASH.",
        known_at_the_time="The May referral and the October no-access visit.",
        learned_later="The November incident, and the rib fractures found in February.",
    )
    services.file_attach(
        conversation=visitor,
        kind=ConversationFile.Kind.TRANSCRIPT,
        name="health-visitor-1-transcript.txt",
        data=b"Transcript of the conversation with Health visitor 1 on 6 May 2026 (demo text).\n",
        by=lead,
        origin=origin,
    )
    services.record_share(conversation=visitor, by=lead, origin=origin)
    checking.record_agree(conversation=visitor, by=users["practitioner"], origin=origin)
    services.record_reopen(
        conversation=visitor,
        reason="Health visitor 1 asked to add that her safeguarding supervision was cancelled twice that quarter.",
        by=lead,
        origin=origin,
    )
    services.record_share(conversation=visitor, by=lead, origin=origin)

    # MASH social worker 1: written, not yet shared (he has no caseview account: he checks it on paper).
    mash = held("MASH social worker 1", D(2026, 5, 12), 14, place="Children's services offices")
    sections(
        mash,
        {
            "overview": "Screened both police notifications in 2025 as a MASH social worker.",
            "contributory_factors": "Thirty-eight notifications that morning; a screening form that asks about the "
            "severity of the incident, not the history of the adults in the household.",
        },
    )
    services.perspective_add(
        conversation=mash,
        turning_point="Screening the November police notification",
        happened_on=D(2025, 11, 11),
        entries=_entries(review, (D(2025, 11, 10), "Police"), (D(2025, 11, 11), "Children's social care")),
        by=lead,
        origin=origin,
        what_they_thought="A first push and a bruise, medium risk, in a family early help already knew.",
        reasons="Early help was already open, the family worker knew them, and stepping down felt proportionate.",
        competing_demands="Thirty-eight notifications came in that morning.",
        known_at_the_time="The March notification, screened as no further action.",
        learned_later="The partner's 2021 conviction and what Child E had said at school in June.",
    )

    # The designated safeguarding lead: good practice as well as a gap.
    dsl = held("Designated safeguarding lead", D(2026, 5, 14), 15, place="Fernside Primary School")
    services.perspective_add(
        conversation=dsl,
        turning_point="Child E's words to the teaching assistant in June",
        happened_on=D(2025, 6, 5),
        entries=_entries(review, (D(2025, 6, 5), "Fernside Primary School")),
        by=lead,
        origin=origin,
        what_they_thought="An upsetting row at home, described by a child who was relaxed telling it.",
        reasons="Ellie was relaxed telling it. Mum was open with me. On its own it didn't meet the threshold, so "
        "we logged it and watched.",
        trying_to_achieve="Keeping Ellie's words on record so that a pattern could be seen if it came.",
        known_at_the_time="Nothing from the police or MASH: the school had not been told of the March call-out.",
        learned_later="The March call-out and the partner's conviction.",
    )

    # Family worker 1.
    worker = held("Family worker 1", D(2026, 5, 19), 11, place="Early help hub")
    services.perspective_add(
        conversation=worker,
        turning_point="Reading the school's email after her leave",
        happened_on=D(2026, 1, 8),
        entries=_entries(review, (D(2025, 12, 19), "Fernside Primary School"), (D(2026, 1, 8), "Early help")),
        by=lead,
        origin=origin,
        what_they_thought="That the partner was visiting to see the baby, as the mother said.",
        reasons="I'd built a good relationship with Leanne, which is the whole job in early help. If I'd pushed on "
        "Craig she'd have closed the door.",
        options_seen="Ask more about the partner's visits; talk to the school; raise it with my manager.",
        known_at_the_time="The November incident (by phone from MASH) and Child E's drawings.",
        learned_later="That health visiting had never been told about November.",
    )

    # The mother: her first record agreed, her second waiting for her.
    first = held(
        "Mother",
        D(2026, 5, 20),
        10,
        guide=Guide.FAMILY,
        place="Her mother's home",
        supporter_present="Her mother, for the first half hour",
    )
    sections(first, MOTHER_SECTIONS)
    services.perspective_add(
        conversation=first,
        turning_point="Appointments with Craig always there",
        happened_on=D(2025, 5, 2),
        entries=_entries(review, (D(2025, 1, 14), "Maternity"), (D(2025, 5, 2), "Health visiting")),
        by=lead,
        origin=origin,
        what_they_thought="That they were there for the baby and my mood, and that was all.",
        feelings="Tired, and scared of saying the wrong thing in front of him.",
        concerns_and_dilemmas="I thought they would take the children if I said what home was like.",
        trying_to_achieve="To get through the appointment and have them go away happy.",
        options_seen="I didn't think I had any, with him in the room.",
        known_at_the_time="That things at home were getting worse.",
        learned_later="That the midwife had meant to ask me on my own.",
    )
    services.record_share(conversation=first, by=lead, origin=origin)
    checking.record_agree(conversation=first, by=users["parent"], origin=origin)

    second = held("Mother", D(2026, 6, 10), 10, guide=Guide.FAMILY, mode=Mode.PHONE, reviewers=[lead])
    sections(
        second,
        {
            "overview": "A follow-up call about the November incident and what happened afterwards.",
            "listened_to": "The family worker listened. 'She was the first one who talked to Ellie, not just me.'",
        },
    )
    services.perspective_add(
        conversation=second,
        turning_point="The week after the November incident",
        happened_on=D(2025, 11, 12),
        entries=_entries(review, (D(2025, 11, 10), "Police"), (D(2025, 11, 12), "Early help")),
        by=lead,
        origin=origin,
        what_they_thought="That it was over because he had moved out to his mother's.",
        feelings="Relieved, and ashamed that the children had seen it.",
        known_at_the_time="That he had been arrested and released.",
        learned_later="That the health visitor never heard about it.",
    )
    services.record_share(conversation=second, by=lead, origin=origin)

    # Child E, with the family worker she knows beside her.
    child = held(
        "Child E",
        D(2026, 6, 3),
        16,
        guide=Guide.CHILD,
        place="Her grandmother's home",
        supporter_present="Family worker 1",
        reviewers=[lead],
    )
    sections(
        child,
        {
            "overview": "Ellie drew 'my house' and 'who helps me': her grandmother, Mrs A at school and the family "
            "worker.",
            "listened_to": "I told Mrs A at school. She wrote it down.",
        },
    )
    services.file_attach(
        conversation=child,
        kind=ConversationFile.Kind.DRAWING,
        name="who-helps-me.png",
        data=_drawing(),
        by=lead,
        origin=origin,
    )

    # Child E's father, by phone; he did not agree to the call being recorded.
    held("Father of Child E", D(2026, 6, 8), 18, mode=Mode.PHONE, reviewers=[reviewer])
