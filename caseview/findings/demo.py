"""The demo review's findings (shared/demo/scenario.md, "Findings"): six findings about the system, across the
typology, linked to the demo's seven key practice episodes, each with questions for the board, and ranked, through
the same services the pages use. Everything here is invented."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from caseview.accounts.models import User
from caseview.analysis.models import KeyPracticeEpisode
from caseview.core.audit import Origin
from caseview.findings import board_services, services
from caseview.findings.board_services import ActionDetails, ProgressDetails, ResponseDetails
from caseview.findings.models import (
    ActionPlanItem,
    ActionStatus,
    BoardResponse,
    EvidenceSource,
    Finding,
    FindingValence,
)
from caseview.findings.services import FindingDetails, RankChoice
from caseview.reviews.models import Agency, Review

RISK = FindingValence.RISK.value
GOOD = FindingValence.SUPPORTS.value


@dataclass(frozen=True)
class DemoFinding:
    statement: str
    category: str
    valence: str
    episodes: tuple[int, ...]
    how_it_showed: str
    evidence_not_one_off: str
    sources: tuple[str, ...]
    prevalence_local: str
    prevalence_national: str
    why_it_matters: str
    summary: str
    questions: tuple[str, ...]
    rank: int
    rank_reason: str


FINDINGS = (
    DemoFinding(
        statement="Police domestic-abuse notifications for households with a baby are screened on the incident's "
        "severity alone, and health visiting and midwifery are not told, so the professionals who see the baby "
        "most often do not know.",
        category="multiagency_incidents_crises",
        valence=RISK,
        episodes=(2, 5, 7),
        how_it_showed="The March and November notifications were screened as low or medium risk and closed or "
        "stepped down; the health visitor learned of neither before the 9-month review.",
        evidence_not_one_off="The MASH manager told the case group that notifications scored as standard risk go "
        "to no health service. A dip sample of twenty notifications found the same route in every one.",
        sources=(EvidenceSource.CASE_GROUP, EvidenceSource.AUDIT, EvidenceSource.DATA),
        prevalence_local="Around 60 notifications a month concern households with a child under two.",
        prevalence_national="National reviews report the same gap between police notifications and universal "
        "health services.",
        why_it_matters="The professionals best placed to notice a baby's safety are working without information "
        "the system already holds.",
        summary="Information about domestic abuse stops at the MASH screening step.",
        questions=(
            "How will the partnership know that health visitors learn of domestic abuse in households with babies "
            "within a week?",
            "What would help MASH screening weigh the age of the children in the household, not only the incident?",
        ),
        rank=1,
        rank_reason="Still happening every week across three agencies, and the risk falls on the youngest children.",
    ),
    DemoFinding(
        statement="Mental health services' missed-appointments rule treats a parent of a baby disengaging as a "
        "choice rather than a signal, and does not prompt contact with health visiting or children's services.",
        category="human_management_system",
        valence=RISK,
        episodes=(4,),
        how_it_showed="The mother was discharged from perinatal mental health after two missed appointments, with "
        "a letter to the GP only.",
        evidence_not_one_off="The trust's policy applies the same rule to every adult patient; the case group "
        "said it is applied as written.",
        sources=(EvidenceSource.REVIEW_TEAM, EvidenceSource.CASE_GROUP),
        prevalence_local="Every discharge for non-attendance in the trust follows the rule.",
        prevalence_national="Research on missed appointments in child safeguarding reviews finds the same pattern.",
        why_it_matters="A parent's withdrawal from a service can be the first sign that things are getting worse "
        "for the children.",
        summary="Missed appointments are read as a choice, not as information about the household.",
        questions=(
            "What would have to change for a missed-appointments decision to include the children in the household?",
        ),
        rank=2,
        rank_reason="One agency can change it quickly, and it is a routine decision made many times a week.",
    ),
    DemoFinding(
        statement="When a partner is always present, the routine question about domestic abuse is put off "
        "indefinitely; nothing ensures it is asked later.",
        category="family_professional",
        valence=RISK,
        episodes=(1, 7),
        how_it_showed="At the antenatal, new-birth and 9-month contacts the partner was present and the question "
        "was deferred each time.",
        evidence_not_one_off="Health visitors in the case group described the same difficulty with many families.",
        sources=(EvidenceSource.CASE_GROUP, EvidenceSource.RESEARCH),
        prevalence_local="Health visiting has no record of how often the enquiry is deferred.",
        prevalence_national="Routine enquiry studies report low completion where partners attend contacts.",
        why_it_matters="The question is the main way universal services learn of domestic abuse.",
        summary="A deferred question has no way back onto the agenda.",
        questions=("How can the board be assured that a deferred enquiry about domestic abuse is asked later?",),
        rank=3,
        rank_reason="Widespread, but health visiting is already piloting a prompt in its records.",
    ),
    DemoFinding(
        statement="Invitations to team-around-the-family meetings go to shared inboxes nobody owns, so key agencies "
        "are missing without anyone noticing.",
        category="human_tool",
        valence=RISK,
        episodes=(6,),
        how_it_showed="Neither health visiting nor the GP came to the team-around-the-family meeting; both "
        "invitations went to shared inboxes.",
        evidence_not_one_off="Early help's own records show shared-inbox invitations for most meetings this year.",
        sources=(EvidenceSource.DATA,),
        prevalence_local="Most early help meetings this year.",
        prevalence_national="Not known.",
        why_it_matters="A plan made without the agencies who see the children is a plan built on part of the picture.",
        summary="The tool hides who is missing.",
        questions=("What would help early help know, before a meeting, which agencies will not be there?",),
        rank=4,
        rank_reason="Easy to fix, and early help has started to change it.",
    ),
    DemoFinding(
        statement="Once a family is seen as “a mother with depression who is engaging”, new information (a child's "
        "words, a bruise, “he has moved out”) is read within that picture.",
        category="human_reasoning",
        valence=RISK,
        episodes=(5, 6, 7),
        how_it_showed="Child E's words, the November incident and the bruise at the 9-month review were each read "
        "as fitting the picture already formed.",
        evidence_not_one_off="The review team saw the same reading in three agencies' records.",
        sources=(EvidenceSource.REVIEW_TEAM, EvidenceSource.RESEARCH),
        prevalence_local="Not measured.",
        prevalence_national="A well-known pattern in research on human judgement in child protection.",
        why_it_matters="A first judgement that is never revisited makes new signals easy to explain away.",
        summary="Nothing in the system prompts a fresh look when new information arrives.",
        questions=(
            "What would help practitioners and supervisors revisit a first judgement when something new happens?",
        ),
        rank=5,
        rank_reason="Hard to change directly; it depends on supervision, which the board is already reviewing.",
    ),
    DemoFinding(
        statement="When a child's voice is in the records at all, it is because a school recorded what the child "
        "said and early help worked with the child directly; nothing in the system makes such work routine.",
        category="family_professional",
        valence=GOOD,
        episodes=(3, 6),
        how_it_showed="The school recorded Child E's words in June and early help worked with her directly.",
        evidence_not_one_off="The case group said direct work depends on individual practitioners' time.",
        sources=(EvidenceSource.CASE_GROUP,),
        prevalence_local="Varies by school and early help worker.",
        prevalence_national="Reviews often find the child's voice missing.",
        why_it_matters="The child's own account is the evidence most often missing from multi-agency decisions.",
        summary="Good practice that depends on individuals.",
        questions=("How can the board make the school's and early help's practice the usual way of working?",),
        rank=6,
        rank_reason="Good practice to build on rather than a risk to fix first.",
    ),
)


def load_findings_demo(*, review: Review, lead: User, origin: Origin) -> dict[str, int]:
    """Write the demo's findings and rank them. Does nothing if the review has findings already."""
    existing = Finding.objects.filter(review=review).count()
    if existing:
        return {"findings": existing}
    episodes = {episode.number: episode for episode in KeyPracticeEpisode.objects.filter(review=review)}
    choices = {}
    for spec in FINDINGS:
        finding = services.finding_create(
            review=review,
            details=FindingDetails(
                statement=spec.statement,
                category=spec.category,
                valence=spec.valence,
                episodes=[episodes[number] for number in spec.episodes],
                how_it_showed=spec.how_it_showed,
                evidence_not_one_off=spec.evidence_not_one_off,
                evidence_sources=[str(source) for source in spec.sources],
                prevalence_local=spec.prevalence_local,
                prevalence_national=spec.prevalence_national,
                why_it_matters=spec.why_it_matters,
                summary=spec.summary,
            ),
            by=lead,
            origin=origin,
        )
        for text in spec.questions:
            services.board_question_add(finding=finding, text=text, by=lead, origin=origin)
        choices[finding.number] = RankChoice(spec.rank, spec.rank_reason, finding.version)
    services.ranking_save(review=review, choices=choices, by=lead, origin=origin)
    return {"findings": len(FINDINGS)}


# --- After the review (shared/demo/scenario.md, "Board response and actions") -------------------------------

RESPONSES = {
    1: "The board accepts this finding. Police and children's social care will add health visiting to the "
    "notification route for every household with a child under two, and the board will check each quarter that "
    "health visitors hear of a notification within a week.",
    2: "The board accepts this finding. The mental health trust will revise its missed-appointments policy so that "
    "a decision to discharge a parent of a young child includes contact with health visiting or children's "
    "services.",
    3: "The board accepts this finding and asks health visiting to report on its pilot prompt for a deferred "
    "enquiry about domestic abuse before deciding on wider action.",
    4: "The board accepts this finding. Early help will send team-around-the-family invitations to named people, "
    "not shared inboxes, and check who attends.",
}


@dataclass(frozen=True)
class DemoAction:
    finding: int
    question: int | None
    action: str
    agency: str
    role: str
    # Days from the day the demo loads, so the overdue action is always overdue and the others are not.
    due_in_days: int
    success_measure: str
    status: str
    evidence: str = ""
    next_review_in_days: int | None = None
    # (days ago, status then, note, next review in days from the load day)
    progress: tuple[tuple[int, str, str, int | None], ...] = ()


ACTIONS = (
    DemoAction(
        finding=1,
        question=1,
        action="Add health visiting to the notification route for police domestic-abuse notifications about "
        "households with a child under two.",
        agency="Police",
        role="Detective inspector, MASH, with the children's social care MASH manager",
        due_in_days=120,
        success_measure="Nine in ten notifications about a household with a child under two reach health visiting "
        "within a week, in a quarterly dip sample.",
        status=ActionStatus.IN_PROGRESS,
        next_review_in_days=30,
        progress=(
            (
                20,
                ActionStatus.IN_PROGRESS,
                "The new route is agreed by police and children's social care; health visiting's secure inbox is "
                "being set up. The first dip sample is planned for next quarter.",
                30,
            ),
        ),
    ),
    DemoAction(
        finding=2,
        question=1,
        action="Revise the missed-appointments policy so that discharging a parent of a child under five prompts "
        "contact with health visiting or children's services.",
        agency="Perinatal mental health",
        role="Head of perinatal mental health services",
        due_in_days=-30,
        success_measure="The revised policy is in use, and an audit of discharges for non-attendance shows the "
        "children's services were contacted each time.",
        status=ActionStatus.IN_PROGRESS,
        next_review_in_days=14,
    ),
    DemoAction(
        finding=3,
        question=1,
        action="Report to the board on the pilot prompt in health visiting records for a deferred enquiry about "
        "domestic abuse.",
        agency="Health visiting",
        role="Named nurse for safeguarding children",
        due_in_days=180,
        success_measure="The board has the pilot's results: how often a deferred enquiry was asked at a later contact.",
        status=ActionStatus.NOT_STARTED,
    ),
    DemoAction(
        finding=4,
        question=1,
        action="Send team-around-the-family invitations to named people instead of shared inboxes, and record who "
        "accepts.",
        agency="Early help",
        role="Early help service manager",
        due_in_days=-60,
        success_measure="Every invitation goes to a named person, and the agencies invited come to the meeting.",
        status=ActionStatus.IMPACT_EVIDENCED,
        evidence="An audit of ten team-around-the-family meetings found every invitation sent to a named person, "
        "and health visiting or the GP at nine of the ten meetings.",
        progress=(
            (
                90,
                ActionStatus.IN_PROGRESS,
                "Named-person invitations in use since last month; the audit of ten meetings has started.",
                45,
            ),
            (
                45,
                ActionStatus.IMPACT_EVIDENCED,
                "The audit of ten meetings is complete: every invitation went to a named person.",
                None,
            ),
        ),
    ),
)


def load_board_demo(*, review: Review, recorder: User, origin: Origin) -> dict[str, int]:
    """The board's responses to findings 1 to 4 and an action plan with an action in each state, one overdue,
    recorded by the partnership's business manager. Does nothing if the board has responded already."""
    existing = BoardResponse.objects.filter(finding__review=review).count()
    if existing:
        return {"responses": existing, "actions": ActionPlanItem.objects.filter(review=review).count()}
    today = timezone.localdate()
    findings = {finding.number: finding for finding in Finding.objects.filter(review=review)}
    agencies = {agency.name: agency for agency in Agency.objects.filter(partnership=review.partnership_id)}
    for number, text in RESPONSES.items():
        board_services.board_response_save(
            finding=findings[number],
            details=ResponseDetails(
                text=text, agreed_on=today - dt.timedelta(days=100), ready_for_publication=number != 3
            ),
            expected_version=None,
            by=recorder,
            origin=origin,
        )
    for spec in ACTIONS:
        finding = findings[spec.finding]
        question = finding.board_questions.filter(order=spec.question).first() if spec.question else None
        item = board_services.action_create(
            review=review,
            details=ActionDetails(
                finding=finding,
                board_question=question,
                action=spec.action,
                owner_agency=agencies[spec.agency],
                owner_role=spec.role,
                due_date=today + dt.timedelta(days=spec.due_in_days),
                success_measure=spec.success_measure,
                status=ActionStatus.NOT_STARTED if spec.progress else spec.status,
                evidence_of_impact="" if spec.progress else spec.evidence,
                next_review_on=None
                if spec.next_review_in_days is None or spec.progress
                else today + dt.timedelta(days=spec.next_review_in_days),
            ),
            by=recorder,
            origin=origin,
        )
        for days_ago, status, note, next_in in spec.progress:
            last = (days_ago, status, note, next_in) == spec.progress[-1]
            board_services.action_review_record(
                item=item,
                expected_version=item.version,
                details=ProgressDetails(
                    reviewed_on=today - dt.timedelta(days=days_ago),
                    status=status,
                    note=note,
                    next_review_on=today + dt.timedelta(days=next_in) if next_in is not None else None,
                    evidence_of_impact=spec.evidence if last else "",
                ),
                by=recorder,
                origin=origin,
            )
            item.refresh_from_db()
    return {"responses": len(RESPONSES), "actions": len(ACTIONS)}
