"""The conversation guides, after Appendix 3 of the method: one for practitioners and managers, and guides
built for parents and carers and for children and young people.

A guide is data: its sections (each kept as notes in a RecordSection) and the prompts asked for each turning
point (each kept in a field of Perspective). Screens, the participant's own check and exports all read it here.
"""

from __future__ import annotations

from dataclasses import dataclass

from caseview.conversations.models import Guide


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    prompts: tuple[str, ...]


@dataclass(frozen=True)
class Prompt:
    field: str
    label: str
    hint: str = ""


@dataclass(frozen=True)
class ConversationGuide:
    kind: str
    title: str
    # Sections before the turning points, then after them, in the order of the conversation.
    opening: tuple[Section, ...]
    turning_points_title: str
    turning_points_prompt: str
    turning_point_prompts: tuple[Prompt, ...]
    closing: tuple[Section, ...]

    @property
    def sections(self) -> tuple[Section, ...]:
        return self.opening + self.closing

    def section(self, key: str) -> Section | None:
        return next((section for section in self.sections if section.key == key), None)


# What the person knew then, and what they learned afterwards: every guide keeps them apart (hindsight).
KNOWN_AT_THE_TIME = "known_at_the_time"
LEARNED_LATER = "learned_later"

PRACTITIONER = ConversationGuide(
    kind=Guide.PRACTITIONER,
    title="Conversation guide for practitioners and managers",
    opening=(
        Section(
            "introduction",
            "Introduction",
            (
                "The purpose of the conversation: to understand how things looked to you at the time",
                "Confidentiality, and how you will appear in reports (by your position, never by name)",
                "How the conversation will go, and that you can pause or stop at any time",
            ),
        ),
        Section(
            "overview",
            "Overview",
            ("In brief, what happened in the case and the part you played",),
        ),
    ),
    turning_points_title="Turning points",
    turning_points_prompt=(
        "Which moments do you see as crucial: where decisions or actions set the direction of the case or how it "
        "was handled?"
    ),
    turning_point_prompts=(
        Prompt("what_they_thought", "What did you think was going on?"),
        Prompt("reasons", "What lay behind your thinking and what you did then?"),
        Prompt("feelings", "How did you feel?"),
        Prompt(
            "caught_attention",
            "What information was uppermost in your mind?",
            "What seemed most significant; what caught your attention",
        ),
        Prompt("competing_demands", "What else was taking up your time?"),
        Prompt(
            "concerns_and_dilemmas",
            "What were your main concerns and dilemmas?",
            "Did they conflict? Which did you put first, and which did you set aside?",
        ),
        Prompt("trying_to_achieve", "What were you trying to achieve?"),
        Prompt("options_seen", "What options did you think you had to influence events?"),
        Prompt(KNOWN_AT_THE_TIME, "What did you know at the time?", "Only what you knew then"),
        Prompt(LEARNED_LATER, "What have you learned since?", "Kept apart, so hindsight does not colour the rest"),
    ),
    closing=(
        Section(
            "contributory_factors",
            "What influenced you",
            (
                "What most influenced how you read the situation and what you did, and how? Most significant first.",
                "Aspects of the family",
                "Aspects of your role",
                "Conditions of work and the work environment",
                "Personal aspects",
                "Your own team",
                "The inter-agency or inter-professional team",
                "Organisational culture and management",
                "The wider political context",
                "Anything else",
            ),
        ),
        Section(
            "went_well",
            "Things that went well",
            (
                "What went well in the case?",
                "What did you or others do that helped, and what supported or made that possible?",
            ),
        ),
        Section(
            "overview_queries",
            "Questions from the overview",
            ("Points from the reviewers' emerging multi-agency picture: gaps, or differences from other accounts",),
        ),
        Section(
            "suggested_changes",
            "Suggested changes",
            ("Off the top of your head: what would help?",),
        ),
    ),
)

FAMILY = ConversationGuide(
    kind=Guide.FAMILY,
    title="Conversation guide for parents and carers",
    opening=(
        Section(
            "introduction",
            "Before we start",
            (
                "Why we would like to hear from you: your experience matters to how services learn",
                "This is not about blaming anyone, you included",
                "What happens to what you tell us, and how you will appear in the report (never by your name)",
                "You can take a break, bring someone with you, or stop at any time",
            ),
        ),
        Section(
            "overview",
            "Your story",
            ("In your own words, what was happening for you and your family?",),
        ),
        Section(
            "experience_of_services",
            "Your experience of services",
            (
                "Who was involved with your family, and what was it like?",
                "Did you understand why they were involved and what they were doing?",
            ),
        ),
    ),
    turning_points_title="Moments that mattered",
    turning_points_prompt="Which moments stand out for you, when things changed or could have gone differently?",
    turning_point_prompts=(
        Prompt("what_they_thought", "What did you think was happening?"),
        Prompt("reasons", "What made you do what you did then?"),
        Prompt("feelings", "How did you feel?"),
        Prompt("caught_attention", "What stood out to you?"),
        Prompt("competing_demands", "What else was going on for you and your family?"),
        Prompt(
            "concerns_and_dilemmas", "What worried you?", "Was there anything you felt you could not say, or to whom?"
        ),
        Prompt("trying_to_achieve", "What did you want to happen?"),
        Prompt("options_seen", "What did you feel you could do, and who could you turn to?"),
        Prompt(KNOWN_AT_THE_TIME, "What did you know then?"),
        Prompt(LEARNED_LATER, "What do you know now that you did not know then?"),
    ),
    closing=(
        Section("what_helped", "What helped", ("What did services do that helped you or your children?",)),
        Section("what_did_not_help", "What did not help", ("What made things harder, or did not help?",)),
        Section(
            "listened_to",
            "Being listened to",
            (
                "Did you feel listened to?",
                "Did anyone ask you, on your own, how things were at home?",
            ),
        ),
        Section("suggested_changes", "What you would change", ("If you could change one thing for other families?",)),
    ),
)

CHILD = ConversationGuide(
    kind=Guide.CHILD,
    title="Conversation guide for children and young people",
    opening=(
        Section(
            "introduction",
            "Hello",
            (
                "Who we are, and that we want to hear what it was like for you",
                "You do not have to answer anything you do not want to; there are no wrong answers",
                "Who is with you today, and that you can stop or have a break whenever you like",
                "Nobody will see your name in what we write",
            ),
        ),
        Section(
            "overview",
            "About you and your family",
            ("Tell us, or draw, about your home and the people in it",),
        ),
        Section(
            "experience_of_services",
            "The people who helped",
            ("Who came to see you or your family? Who at school or elsewhere did you talk to?",),
        ),
    ),
    turning_points_title="Times you remember",
    turning_points_prompt="Are there times you remember, when something important happened?",
    turning_point_prompts=(
        Prompt("what_they_thought", "What did you think was happening?"),
        Prompt("feelings", "How did you feel?"),
        Prompt("caught_attention", "What do you remember most?"),
        Prompt("concerns_and_dilemmas", "Was anything worrying you?"),
        Prompt("trying_to_achieve", "What did you want to happen?"),
        Prompt("options_seen", "Who could you tell, or who could help?"),
        Prompt(KNOWN_AT_THE_TIME, "What did you know then?"),
        Prompt(LEARNED_LATER, "Anything you found out afterwards"),
    ),
    closing=(
        Section("what_helped", "What helped", ("What did grown-ups do that helped?",)),
        Section("what_did_not_help", "What was not good", ("What did not help, or made things worse?",)),
        Section("listened_to", "Being listened to", ("Did grown-ups listen to you? Did they do anything about it?",)),
        Section("suggested_changes", "If you could change one thing", ("What would make things better for children?",)),
    ),
)

GUIDES: dict[str, ConversationGuide] = {guide.kind: guide for guide in (PRACTITIONER, FAMILY, CHILD)}

# Every perspective field, with a neutral label for exports and for reviewers reading across guides.
PERSPECTIVE_FIELDS: tuple[Prompt, ...] = PRACTITIONER.turning_point_prompts


def guide_for(kind: str) -> ConversationGuide:
    return GUIDES[kind]


def guide_for_participant_kind(participant_kind: str) -> str:
    """The guide a conversation starts with, from who the participant is (a reviewer may choose another)."""
    return {"family": Guide.FAMILY, "child": Guide.CHILD}.get(participant_kind, Guide.PRACTITIONER)
