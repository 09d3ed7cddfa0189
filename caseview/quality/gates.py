"""The readiness gates G1 to G10 (method §4.3): checks a machine can make that a review is ready for a public
report. Each gate says what it checks, which quality markers it serves, and, when it does not pass, each problem
with a link to the page where it is put right.

Gates are worked out live from the review's records every time they are asked for; nothing is stored but
overrides (see models.GateOverride).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count
from django.urls import reverse

from caseview.analysis.language import check
from caseview.analysis.models import NEEDS_EXPLANATION, KeyPracticeEpisode
from caseview.conversations.models import Conversation
from caseview.findings.models import CLOSED_STATUSES, ActionPlanItem, Finding, FindingValence
from caseview.findings.services import TEXT_FIELDS
from caseview.people.models import NOT_TAKING_PART, FamilyInvolvementDecision, Participant, ParticipantKind
from caseview.reports.check_services import blocking_hits
from caseview.reports.models import ReportAudience, ReportVersion
from caseview.reviews.models import NoParallelProcesses, ParallelProcess, Review

# The generic parts of a finding, which must not name anyone in the case (the "how it showed in this case"
# part is about the case, and may).
GENERIC_FIELDS = ("statement", "why_it_matters", "summary")


@dataclass(frozen=True)
class Link:
    """Where to put a problem right, and the permission needed to follow the link there."""

    text: str
    url: str
    permission: str


@dataclass(frozen=True)
class Problem:
    text: str
    links: tuple[Link, ...] = ()


@dataclass(frozen=True)
class GateResult:
    problems: tuple[Problem, ...] = ()

    @property
    def passed(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class Gate:
    code: str
    title: str
    checks: str
    markers: tuple[int, ...]
    check: Callable[[Review], GateResult] = field(repr=False)

    @property
    def number(self) -> int:
        return int(self.code[1:])


def _url(name: str, *args: object, anchor: str = "", query: str = "") -> str:
    url = reverse(name, args=[str(arg) for arg in args])
    return url + (f"?{query}" if query else "") + (f"#{anchor}" if anchor else "")


# --- G1 to G8 -----------------------------------------------------------------------------------------------


def _g1_questions_and_reason(review: Review) -> GateResult:
    problems = []
    if not review.questions.exists():
        problems.append(
            Problem(
                "The review has no question it is curious to answer.",
                (Link("Add a question", _url("reviews:question-add", review.reference), "reviews.change_review"),),
            )
        )
    if not review.case_selection_reason.strip():
        problems.append(
            Problem(
                "The reason for choosing this case is not recorded.",
                (Link("Say why this case", _url("reviews:edit", review.reference), "reviews.change_review"),),
            )
        )
    return GateResult(tuple(problems))


def _g2_purpose_and_parallel_processes(review: Review) -> GateResult:
    problems = []
    if "learn" not in review.purpose_statement.casefold():
        problems.append(
            Problem(
                "The purpose statement does not say that the aim is learning.",
                (Link("Change the purpose", _url("reviews:edit", review.reference), "reviews.change_review"),),
            )
        )
    recorded = ParallelProcess.objects.filter(review=review).exists()
    if not recorded and not NoParallelProcesses.objects.filter(review=review).exists():
        problems.append(
            Problem(
                "Parallel processes are not recorded: neither any process running alongside the review, nor that "
                "there is none.",
                (
                    Link(
                        "Record parallel processes",
                        _url("reviews:parallel-processes", review.reference),
                        "reviews.change_review",
                    ),
                ),
            )
        )
    return GateResult(tuple(problems))


def _g3_practitioner_conversations(review: Review) -> GateResult:
    """A practitioner or manager passes with a conversation that was held, or a status saying they are not taking
    part (declining or withdrawing needs no reason; not being able to does, and the participant form asks)."""
    practitioners = Participant.objects.filter(
        review=review, kind__in=[ParticipantKind.PRACTITIONER, ParticipantKind.MANAGER]
    ).order_by("label")
    conversations: dict[object, list[Conversation]] = {}
    for conversation in Conversation.objects.filter(review=review).order_by("created_at"):
        conversations.setdefault(conversation.participant_id, []).append(conversation)
    problems = []
    for person in practitioners:
        theirs = conversations.get(person.pk, [])
        if any(item.status == Conversation.Status.HELD for item in theirs):
            continue
        if person.participation_status in NOT_TAKING_PART:
            continue
        planned = next((item for item in theirs if item.status == Conversation.Status.PLANNED), None)
        if planned is not None:
            first = Link(
                "Record the conversation as held",
                _url("conversations:arrangements", review.reference, planned.pk),
                "reviews.record_conversations",
            )
            text = f"{person.label}: a conversation is arranged but not yet recorded as held."
        else:
            first = Link(
                "Arrange a conversation",
                _url("conversations:arrange", review.reference, query=f"participant={person.pk}"),
                "reviews.record_conversations",
            )
            text = f"{person.label}: no conversation record, and no record that they are not taking part."
        second = Link(
            "Record that they are not taking part",
            _url("people:participant-edit", review.reference, person.pk),
            "reviews.manage_participants",
        )
        problems.append(Problem(text, (first, second)))
    return GateResult(tuple(problems))


def _g4_family_decision(review: Review) -> GateResult:
    decision = FamilyInvolvementDecision.objects.filter(review=review).first()
    if decision is not None and decision.who_and_how.strip() and decision.reasons.strip():
        return GateResult()
    return GateResult(
        (
            Problem(
                "The decision about which family members to involve, how, and why, is not recorded.",
                (
                    Link(
                        "Record the decision about involving the family",
                        _url("people:family-decision", review.reference),
                        "reviews.manage_participants",
                    ),
                ),
            ),
        )
    )


def _no_episodes(review: Review) -> Problem:
    return Problem(
        "The review has no key practice episodes yet.",
        (Link("Create an episode", _url("analysis:select-entries", review.reference), "reviews.edit_analysis"),),
    )


def _g5_episodes_explained(review: Review) -> GateResult:
    episodes = list(KeyPracticeEpisode.objects.filter(review=review).order_by("number").prefetch_related("factors"))
    if not episodes:
        return GateResult((_no_episodes(review),))
    problems = []
    for episode in episodes:
        if episode.valence in NEEDS_EXPLANATION and not episode.factors.all():
            problems.append(
                Problem(
                    f"Episode {episode.number} ({episode.title}) is {episode.get_valence_display().lower()} and "
                    "has no contributory factor explaining it.",
                    (
                        Link(
                            f"Add a contributory factor to episode {episode.number}",
                            _url("analysis:factor-add", review.reference, episode.number),
                            "reviews.edit_analysis",
                        ),
                    ),
                )
            )
    return GateResult(tuple(problems))


def _g6_hindsight(review: Review) -> GateResult:
    episodes = list(KeyPracticeEpisode.objects.filter(review=review).order_by("number"))
    if not episodes:
        return GateResult((_no_episodes(review),))
    problems = []
    for episode in episodes:
        missing = []
        if not episode.known_at_the_time.strip():
            missing.append("what was known at the time")
        if not episode.known_later.strip():
            missing.append("what became known later")
        if not episode.hindsight_checked:
            missing.append("the hindsight check")
        if missing:
            problems.append(
                Problem(
                    f"Episode {episode.number} ({episode.title}): the appraisal lacks {_and(missing)}.",
                    (
                        Link(
                            f"Complete the appraisal of episode {episode.number}",
                            _url("analysis:appraisal", review.reference, episode.number, anchor="hindsight"),
                            "reviews.edit_analysis",
                        ),
                    ),
                )
            )
    return GateResult(tuple(problems))


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _no_findings(review: Review) -> Problem:
    return Problem(
        "The review has no findings yet.",
        (Link("Write a finding", _url("findings:create", review.reference), "reviews.edit_findings"),),
    )


def labels_named(text: str, labels: list[str]) -> list[str]:
    """The participant labels that `text` uses, as whole words with their own capitals ("Mother", not "a
    mother")."""
    return [label for label in labels if re.search(rf"(?<!\w){re.escape(label)}(?!\w)", text)]


def _g7_findings_generic_and_evidenced(review: Review) -> GateResult:
    findings = list(Finding.objects.filter(review=review).order_by("number").prefetch_related("episodes"))
    if not findings:
        return GateResult((_no_findings(review),))
    labels = list(Participant.objects.filter(review=review).values_list("label", flat=True))
    problems = []
    for finding in findings:
        edit = Link(
            f"Change finding {finding.number}",
            _url("findings:edit", review.reference, finding.number),
            "reviews.edit_findings",
        )
        lacks = []
        if not finding.episodes.all():
            lacks.append("no episode it rests on")
        if not finding.evidence_not_one_off.strip():
            lacks.append("no evidence that it is not a one-off")
        if lacks:
            problems.append(Problem(f"Finding {finding.number} has {_and(lacks)}.", (edit,)))
        flagged = sum(len(check(getattr(finding, name))) for name in TEXT_FIELDS)
        if flagged:
            plural = "s" if flagged != 1 else ""
            problems.append(
                Problem(
                    f"Finding {finding.number}: the language check flags {flagged} phrase{plural} as blaming or "
                    "counterfactual.",
                    (edit,),
                )
            )
        named = sorted({label for name in GENERIC_FIELDS for label in labels_named(getattr(finding, name), labels)})
        if named:
            problems.append(
                Problem(
                    f"Finding {finding.number} names someone in the case ({', '.join(named)}): a finding is about "
                    "the system, not a person.",
                    (edit,),
                )
            )
    return GateResult(tuple(problems))


def _g8_findings_ranked_with_questions(review: Review) -> GateResult:
    findings = list(Finding.objects.filter(review=review).order_by("number").prefetch_related("board_questions"))
    if not findings:
        return GateResult((_no_findings(review),))
    problems = []
    unranked = [finding.number for finding in findings if finding.rank is None]
    if unranked:
        numbers = _and([str(number) for number in unranked])
        problems.append(
            Problem(
                f"Finding{'s' if len(unranked) != 1 else ''} {numbers} {'are' if len(unranked) != 1 else 'is'} "
                "not ranked.",
                (Link("Rank the findings", _url("findings:rank", review.reference), "reviews.edit_findings"),),
            )
        )
    for finding in findings:
        if not finding.board_questions.all():
            problems.append(
                Problem(
                    f"Finding {finding.number} has no question for the board.",
                    (
                        Link(
                            f"Add a question for the board to finding {finding.number}",
                            _url("findings:finding", review.reference, finding.number, anchor="board-questions"),
                            "reviews.edit_findings",
                        ),
                    ),
                )
            )
    return GateResult(tuple(problems))


# --- G9 and G10: the public report, and the board's response ----------------------------------------------


def _g9_public_report_checked(review: Review) -> GateResult:
    """The latest public version passes the publication check, counting the lead reviewer's overrides."""
    latest = ReportVersion.objects.filter(review=review, audience=ReportAudience.PUBLIC).order_by("-number").first()
    if latest is None:
        return GateResult(
            (
                Problem(
                    "No public version of the report has been built yet.",
                    (Link("Build the public report", _url("reports:home", review.reference), "reviews.build_report"),),
                ),
            )
        )
    found = len(blocking_hits(review=review, data=bytes(latest.html)))
    if not found:
        return GateResult()
    where = (
        _url("publication:check-result", review.reference, latest.publication_check_id)
        if latest.publication_check_id
        else _url("reports:version", review.reference, latest.pk)
    )
    return GateResult(
        (
            Problem(
                f"The publication check finds {found} thing{'s' if found != 1 else ''} in public version "
                f"{latest.number} that could identify someone.",
                (Link("See what the check found", where, "reviews.check_publication"),),
            ),
        )
    )


def _g10_board_response_and_actions(review: Review) -> GateResult:
    """Every finding has an agreed response; every finding that creates risk has an action; every open action is
    being monitored (a next review date)."""
    problems = []
    findings = list(
        Finding.objects.filter(review=review)
        .select_related("board_response")
        .annotate(action_count=Count("actions"))
        .order_by("number")
    )
    if not findings:
        problems.append(
            Problem(
                "The review has no findings for the board to respond to.",
                (Link("Go to the findings", _url("findings:list", review.reference), "reviews.view_findings"),),
            )
        )
    for finding in findings:
        response = getattr(finding, "board_response", None)
        if response is None or response.agreed_on is None:
            problems.append(
                Problem(
                    f"Finding {finding.number} has no agreed board response.",
                    (
                        Link(
                            f"Record the board's response to finding {finding.number}",
                            _url("board:response-edit", review.reference, finding.number),
                            "reviews.record_board_response",
                        ),
                    ),
                )
            )
        if finding.valence == FindingValence.RISK and not finding.action_count:
            problems.append(
                Problem(
                    f"Finding {finding.number} creates risk but has no action in the action plan.",
                    (
                        Link(
                            f"Add an action for finding {finding.number}",
                            _url("board:action-create", review.reference, query=f"finding={finding.number}"),
                            "reviews.record_board_response",
                        ),
                    ),
                )
            )
    unmonitored = ActionPlanItem.objects.filter(review=review, next_review_on__isnull=True).exclude(
        status__in=CLOSED_STATUSES
    )
    for item in unmonitored.order_by("number"):
        problems.append(
            Problem(
                f"Action {item.number} is open but has no date for its next review.",
                (
                    Link(
                        f"Set a review date for action {item.number}",
                        _url("board:action-edit", review.reference, item.number),
                        "reviews.record_board_response",
                    ),
                ),
            )
        )
    return GateResult(tuple(problems))


GATES: tuple[Gate, ...] = (
    Gate(
        "G1",
        "Questions and the reason for the case",
        "The review has at least one question it asks, and a recorded reason for choosing the case.",
        (1, 2),
        _g1_questions_and_reason,
    ),
    Gate(
        "G2",
        "A learning purpose, and parallel processes recorded",
        "The purpose statement says the aim is learning, and the processes running alongside the review are "
        "recorded, or it is recorded that there are none.",
        (5, 9),
        _g2_purpose_and_parallel_processes,
    ),
    Gate(
        "G3",
        "Practitioners heard",
        "Every practitioner and manager in the case group has a conversation record, or a record that they are "
        "not taking part.",
        (11,),
        _g3_practitioner_conversations,
    ),
    Gate(
        "G4",
        "The family-involvement decision",
        "The decision about which family members are involved, how, and why, is recorded.",
        (12,),
        _g4_family_decision,
    ),
    Gate(
        "G5",
        "Episodes explained, not only judged",
        "Every problematic or mixed key practice episode has at least one contributory factor explaining it.",
        (13,),
        _g5_episodes_explained,
    ),
    Gate(
        "G6",
        "Hindsight kept apart",
        "Every episode's appraisal records what was known at the time apart from what became known later, and a "
        "hindsight check with the techniques used.",
        (13,),
        _g6_hindsight,
    ),
    Gate(
        "G7",
        "Findings about the system, with evidence",
        "Every finding rests on at least one episode, has evidence that it is not a one-off, passes the language "
        "check, and names no one in the case.",
        (13, 14),
        _g7_findings_generic_and_evidenced,
    ),
    Gate(
        "G8",
        "Findings ranked, with questions for the board",
        "Every finding has a rank and at least one question for the board.",
        (13,),
        _g8_findings_ranked_with_questions,
    ),
    Gate(
        "G9",
        "The public report checked",
        "The public report passes the publication check: no staff names, positions only, pseudonyms, no place, "
        "no precise identifiers.",
        (14, 17),
        _g9_public_report_checked,
    ),
    Gate(
        "G10",
        "The board's response and action plan",
        "The board's response and action plan exist, linked to the findings, with dates to check progress.",
        (15, 16, 18),
        _g10_board_response_and_actions,
    ),
)

BY_CODE = {gate.code: gate for gate in GATES}
