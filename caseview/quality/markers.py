"""The 18 quality markers for case reviews (NSPCC and SCIE, 2016), as prompts for the review's self-assessment.

The statements and questions are our own wording of method.md §4.2: prompts for discussion and judgement, not a
how-to. They suit any review model and leave room for proportionate choices.
"""

from __future__ import annotations

from dataclasses import dataclass

SETTING_UP = "Setting up"
RUNNING = "Running"
OUTPUTS = "Outputs"
GROUPS = (SETTING_UP, RUNNING, OUTPUTS)


@dataclass(frozen=True)
class Marker:
    number: int
    group: str
    name: str
    statement: str
    questions: tuple[str, ...]


MARKERS: tuple[Marker, ...] = (
    Marker(
        1,
        SETTING_UP,
        "Referral",
        "Cases come forward for review quickly and with a clear account of why, whether they meet the statutory "
        "criteria or are chosen because there is something to learn.",
        (
            "How soon after the incident or concern was the case referred?",
            "Does the referral say plainly why this case, and what might be learned from it?",
            "Were cases outside the statutory criteria considered for what they could teach?",
        ),
    ),
    Marker(
        2,
        SETTING_UP,
        "Decision making",
        "The decision to review, and about what kind of review, weighs the case and the local context, and the "
        "reasons for it are clear, can be defended and come in good time.",
        (
            "Which factors were weighed: the likely learning, earlier learning, resources, the effect on staff and "
            "on the family, other investigations, public and media interest?",
            "Are the reasons for the decision written down where others can read them?",
            "Was the decision made within the expected time?",
            "Could someone outside the partnership follow and accept the reasoning?",
        ),
    ),
    Marker(
        3,
        SETTING_UP,
        "Advising board members",
        "Every board member hears openly about the decision and what came of it, with the chair's reasons.",
        (
            "How and when were all board members told of the decision?",
            "Did they hear the chair's reasoning, not only the outcome?",
            "Could board members ask questions about it?",
        ),
    ),
    Marker(
        4,
        SETTING_UP,
        "Informing the family",
        "The family learn early what the review is for, how it will work and what it cannot do, and are treated "
        "with respect throughout.",
        (
            "How was the family first told, and how soon?",
            "Were the letters clear, easy to read and kind?",
            "Were there flexible chances to ask questions, and were legitimate questions answered honestly?",
            "What was done about interpreting or translation, about alternatives to letters where there is fear or "
            "conflict, and about support for disabled parents?",
        ),
    ),
    Marker(
        5,
        SETTING_UP,
        "Clarity of purpose",
        "From the start the board says openly that the review is for organisational learning and improvement, "
        "and names anything that pulls against that.",
        (
            "Does the review's purpose statement say that the aim is learning?",
            "Are pressures that could complicate it named, like calls to hold individuals to account, disciplinary "
            "agendas or media interest?",
            "Were practitioners and the family told the purpose in the same terms?",
        ),
    ),
    Marker(
        6,
        RUNNING,
        "Commissioning",
        "The form and focus of the review are agreed between the board and the lead reviewers, and the scoping "
        "explains why the scale chosen is proportionate.",
        (
            "Were breadth, depth, focus areas or questions, method and the agencies taking part agreed together?",
            "Were the reviewer skills the case needs identified, and found?",
            "Were case factors (the family's strengths and vulnerabilities, how serious and complex the practice "
            "concerns are, legal duties) and local context weighed?",
            "Does the scoping document explain why this scale is proportionate?",
        ),
    ),
    Marker(
        7,
        RUNNING,
        "Governance",
        "The review keeps its independence while the board owns what it finds, and everyone knows their part.",
        (
            "Is it clear from the outset who conducts the review, who quality-assures and challenges it, and who "
            "is accountable?",
            "Are the routes for sign-off and for challenge written down?",
            "Is there a way to resolve a deadlock between the reviewers and the board?",
            "Is the balance between the reviewers' independence and the board's ownership fair?",
        ),
    ),
    Marker(
        8,
        RUNNING,
        "Managing the review",
        "The review is well run: on time, within budget, with the people and support it needs.",
        (
            "Is there a plan with roles given out and administrative support in place?",
            "Is progress checked against the timetable, and are delays reported?",
            "Was slack built in, and is there enough reviewer time?",
        ),
    ),
    Marker(
        9,
        RUNNING,
        "Parallel processes",
        "Where criminal, coroner's, disciplinary or other processes run alongside, the review avoids repeating "
        "their work, prejudicing a trial, or causing needless delay and confusion for staff and families.",
        (
            "Are the processes running alongside the review recorded, with a named way of liaising with each?",
            "Is it agreed what may be disclosed, to whom and when, and who may be spoken to before a trial?",
            "Do staff and the family understand how the review differs from the other processes?",
        ),
    ),
    Marker(
        10,
        RUNNING,
        "Assembling information",
        "Enough information is gathered, from enough sources, to analyse the case against ordinary working "
        "practice and the organisational factors around it, in proportion to the review.",
        (
            "Does the information cover what happened, why, and how usual the practice was?",
            "How wide is the range of sources: records, conversations, policies, audits, data?",
            "Is anyone missing who was, or should have been, involved?",
            "Is the effort in proportion to the review agreed?",
        ),
    ),
    Marker(
        11,
        RUNNING,
        "Practitioner involvement",
        "Practitioners and managers find taking part a constructive experience.",
        (
            "Does each conversation or event have a clear purpose that people were told in advance?",
            "Did agencies encourage their staff to take part, and protect them within their own organisations?",
            "Was support planned, especially for key people and for staff of agencies less used to reviews?",
            "Was there support at group events?",
        ),
    ),
    Marker(
        12,
        RUNNING,
        "Family involvement",
        "What family members know and have lived through informs the review.",
        (
            "Is it clear which family members are involved, how, and why?",
            "Did they have support, and a chance to shape the focus?",
            "Did they know what they would be asked, how their account feeds the analysis and how they appear in "
            "the report?",
            "Where someone did not take part, are the reasons recorded?",
            "Will they have a chance to comment before the report is finished?",
        ),
    ),
    Marker(
        13,
        RUNNING,
        "Analysis",
        "The analysis is open and rigorous: it both judges practice and explains it, showing the everyday "
        "pressures and constraints on it, and ranks what it finds by how much improvement is needed.",
        (
            "Is practice judged against research, guidance, law and professional standards of the time?",
            "Which specific techniques kept hindsight and outcome bias out?",
            "Are the influences on decisions at key points explained, using a framework of individual, team, "
            "cultural and organisational factors?",
            "Do the conclusions show underlying strengths and weaknesses that would affect similar cases, ranked, "
            "and checked for whether the problems still happen?",
            "Is enough of the working-out shown for others to question the interpretation?",
        ),
    ),
    Marker(
        14,
        OUTPUTS,
        "The report",
        "The report sets out the analysis and the findings that matter most for improvement, with as little "
        "family detail as possible, and can be published without redaction or harm to any child or vulnerable "
        "adult.",
        (
            "Do the findings follow from the explanations the evidence supports?",
            "Is the working-out clear to a reader?",
            "Is family detail kept to what the learning needs?",
            "Could it be published as it stands, without redaction and without harm?",
        ),
    ),
    Marker(
        15,
        OUTPUTS,
        "Improvement action",
        "Agencies discuss the findings properly, with the right information, and base the action they agree on "
        "that discussion.",
        (
            "Did the agencies concerned discuss the findings together?",
            "Did they have the information they needed to do so?",
            "Does each agreed action follow from a finding and that discussion?",
        ),
    ),
    Marker(
        16,
        OUTPUTS,
        "The board's written response",
        "The board agrees a written response, ready to publish, that says plainly and briefly what will be done.",
        (
            "Has the board agreed its response in writing?",
            "Does it say clearly and briefly what action will follow each finding?",
            "Is it ready to be published alongside the report?",
        ),
    ),
    Marker(
        17,
        OUTPUTS,
        "Publication",
        "Decisions about whether, when and how to publish the report and the response weigh their impact with care.",
        (
            "Was the effect of publication on the children, the family and staff considered?",
            "Were timing and any parallel processes taken into account?",
            "If the report is not published, is the reason recorded, and is the learning published instead?",
        ),
    ),
    Marker(
        18,
        OUTPUTS,
        "Implementation and evaluation",
        "The board builds the learning and its response into its business plan and checks whether services "
        "actually get better.",
        (
            "Are the actions in the board's business plan, each with an owner and a date?",
            "How will the board know whether practice and outcomes have changed?",
            "When will it look again?",
        ),
    ),
)

BY_NUMBER = {marker.number: marker for marker in MARKERS}


def marker(number: int) -> Marker | None:
    return BY_NUMBER.get(number)
