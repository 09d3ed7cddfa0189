"""The demo review's seven key practice episodes (shared/demo/scenario.md), appraised and explained.

Each episode is made of the demo chronology's entries (found by agency and date), appraised against what was
expected at the time, and explained by contributory factors coded to the framework, through the same
services the web pages use. Turning points, when the conversations demo has recorded them, are linked by
participant and date. Everything here is invented.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from caseview.accounts.models import User
from caseview.analysis import services
from caseview.analysis.models import (
    AppraisalReference,
    Certainty,
    ContributoryFactorType,
    Effect,
    IdentifiedBy,
    KeyPracticeEpisode,
    Significance,
    Valence,
)
from caseview.chronology.models import ChronologyEntry
from caseview.chronology.selectors import released_entries
from caseview.conversations.models import Perspective
from caseview.core.audit import Origin
from caseview.people.models import Participant
from caseview.reviews.models import Agency, Review

D = dt.date

OUTCOME = (
    "On 9 February 2026 Baby J, aged ten months, was brought to hospital with a skull fracture; a skeletal survey "
    "found healing rib fractures two to four weeks old."
)

HV = "Health visiting"
MASH = "Children's social care"
SCHOOL = "Fernside Primary School"
EH = "Early help"

NICE_DA = ("guidance", "NICE public health guideline PH50: Domestic violence and abuse: multi-agency working", 2014, "")
NICE_MH = ("guidance", "NICE clinical guideline CG192: Antenatal and postnatal mental health", 2014, "")
WORKING_TOGETHER = ("guidance", "Working Together to Safeguard Children", 2023, "")
BRUISING = ("procedure", "Westbrook Safeguarding Children Partnership: bruising in babies protocol", 2023, "")
THRESHOLDS = ("procedure", "Westbrook Safeguarding Children Partnership: threshold guidance", 2024, "")
MISSED = ("procedure", "Perinatal mental health service: missed appointments policy", 2024, "")


@dataclass(frozen=True)
class Factor:
    item: str  # the framework item's key
    effect: str
    significance: str
    description: str
    evidence: tuple[tuple[str, dt.date], ...] = ()  # (agency, date) of entries the factor cites


@dataclass(frozen=True)
class Episode:
    title: str
    start: dt.date
    end: dt.date | None
    valence: str
    description: str
    entries: tuple[tuple[str, dt.date], ...]  # (agency, date): a month-only or uncertain date by its first day
    expected: str
    compared: str
    certainty: str
    certainty_reason: str
    factors: tuple[Factor, ...]
    references: tuple[tuple[str, str, int, str], ...] = ()
    questions: tuple[str, ...] = ()
    turning_points: tuple[tuple[str, dt.date], ...] = ()  # (participant label, date)
    complete: bool = True
    shared: bool = False
    participants: tuple[str, ...] = ()


EPISODES = (
    Episode(
        title="Antenatal and new-birth contacts: the question about domestic abuse deferred",
        start=D(2025, 1, 14),
        end=D(2025, 5, 2),
        valence=Valence.PROBLEMATIC,
        description="At booking, at a later antenatal contact and at the new-birth visit the mother's partner was "
        "present, so the routine question about domestic abuse was noted to ask next time, each time.",
        entries=(
            ("Maternity", D(2025, 1, 14)),
            ("Maternity", D(2025, 3, 1)),
            ("Maternity", D(2025, 4, 22)),
            (HV, D(2025, 5, 2)),
        ),
        expected="Routine enquiry about domestic abuse at booking and again later in pregnancy, asked when the "
        "woman is seen on her own; where that is not possible, a plan to see her alone.",
        compared="The question was deferred appropriately each time the partner was present, and the deferral was "
        "recorded. Nothing carried the deferral forward as a task: no contact was arranged to see the mother "
        "alone, and the new-birth visit met the same situation.",
        certainty=Certainty.CONFIDENT,
        certainty_reason="",
        factors=(
            Factor(
                "family_availability",
                Effect.HINDERED,
                Significance.HIGH,
                "The partner came to every contact, so the mother was never available on her own.",
                (("Maternity", D(2025, 1, 14)), (HV, D(2025, 5, 2))),
            ),
            Factor(
                "org_policies",
                Effect.HINDERED,
                Significance.HIGH,
                "The records have a place to note 'ask at next contact' but nothing that makes the next contact "
                "ask, or that passes the open question to health visiting.",
                (("Maternity", D(2025, 1, 14)),),
            ),
            Factor(
                "work_workload",
                Effect.HINDERED,
                Significance.MEDIUM,
                "Booking appointments are short and full; arranging a separate contact alone takes time that is "
                "not allowed for.",
            ),
        ),
        references=(NICE_DA,),
        questions=("How often is the routine question deferred locally, and what happens to it afterwards?",),
        participants=("Community midwife 1", "Health visitor 1", "Mother"),
        shared=True,
    ),
    Episode(
        title="MASH screening of the March police notification",
        start=D(2025, 3, 10),
        end=D(2025, 3, 11),
        valence=Valence.PROBLEMATIC,
        description="The police attended a report of shouting; both adults denied an incident. MASH screened the "
        "notification the next day: no further action, a letter to the mother. Midwifery, health visiting and "
        "the school were not told.",
        entries=(("Police", D(2025, 3, 10)), (MASH, D(2025, 3, 11))),
        expected="Screening that considers who lives in the household, including an unborn baby, and shares the "
        "notification with the universal services who see the family.",
        compared="The screening decision followed the form, which asks about the incident's severity. The "
        "pregnancy was not considered and the services who would see the baby were not told.",
        certainty=Certainty.SOME_UNCERTAINTY,
        certainty_reason="The screening record is brief, and the MASH social worker on duty that day has left.",
        factors=(
            Factor(
                "org_policies",
                Effect.HINDERED,
                Significance.HIGH,
                "The MASH screening form scores the incident's severity, not who lives in the household.",
                ((MASH, D(2025, 3, 11)),),
            ),
            Factor(
                "interagency_communication",
                Effect.HINDERED,
                Significance.HIGH,
                "Health visiting and midwifery are not on the route for police domestic abuse notifications.",
                (("Police", D(2025, 3, 10)), (MASH, D(2025, 3, 11))),
            ),
        ),
        references=(WORKING_TOGETHER, THRESHOLDS),
        questions=("Would a screener at the time have known of the pregnancy from the systems they could see?",),
        participants=("MASH social worker 1",),
    ),
    Episode(
        title="The school's response to Child E's words in June",
        start=D(2025, 6, 5),
        end=None,
        valence=Valence.MIXED,
        description="Child E told the teaching assistant that her mother's partner had shouted at her mother and "
        "broken the TV. It was "
        "written down; the designated safeguarding lead spoke to the mother, who said it was an accident. The "
        "school decided to monitor.",
        entries=((SCHOOL, D(2025, 6, 5)),),
        expected="A careful record of the child's own words, a conversation with the parent where safe, and a "
        "decision about the threshold, taking advice where unsure.",
        compared="The record of Child E's words and the open conversation with the mother were good practice, and "
        "made the October referral possible. The decision to monitor was made within the school, without "
        "advice from anyone who might have known more about the household.",
        certainty=Certainty.CONFIDENT,
        certainty_reason="",
        factors=(
            Factor(
                "personal_knowledge",
                Effect.SUPPORTED,
                Significance.HIGH,
                "The teaching assistant wrote down Child E's exact words, which is why they are in the records.",
                ((SCHOOL, D(2025, 6, 5)),),
            ),
            Factor(
                "family_relationship",
                Effect.SUPPORTED,
                Significance.MEDIUM,
                "The mother was open with the designated safeguarding lead, who had known the family for years.",
            ),
            Factor(
                "interagency_roles_thresholds",
                Effect.HINDERED,
                Significance.MEDIUM,
                "On its own the disclosure did not seem to meet the threshold, and the school had no easy way to "
                "ask whether others knew of concerns.",
                ((SCHOOL, D(2025, 6, 5)),),
            ),
        ),
        references=(THRESHOLDS,),
        questions=("What do designated safeguarding leads do locally when a concern seems below the threshold?",),
        turning_points=(("Designated safeguarding lead", D(2025, 6, 5)),),
        participants=("Designated safeguarding lead", "Teaching assistant 1", "Child E"),
        shared=True,
    ),
    Episode(
        title="Discharge from perinatal mental health after two missed appointments",
        start=D(2025, 10, 6),
        end=None,
        valence=Valence.PROBLEMATIC,
        description="The mother missed a second appointment and was discharged to the GP under the missed "
        "appointments policy, with a letter to the GP only.",
        entries=(("Perinatal mental health", D(2025, 5, 20)), ("Perinatal mental health", D(2025, 10, 6))),
        expected="For a parent of a baby, missed appointments considered for what they might mean for the baby, "
        "and other professionals involved with the baby told before discharge.",
        compared="The discharge followed the policy. The policy treats missed appointments as the patient's choice "
        "and asks for a letter to the GP only, so health visiting did not learn of it.",
        certainty=Certainty.CONFIDENT,
        certainty_reason="",
        factors=(
            Factor(
                "org_policies",
                Effect.HINDERED,
                Significance.HIGH,
                "The missed appointments policy counts a parent's disengagement as a choice, not a possible risk to "
                "the children in the household.",
                (("Perinatal mental health", D(2025, 10, 6)),),
            ),
            Factor(
                "family_engagement",
                Effect.HINDERED,
                Significance.MEDIUM,
                "The mother wanted to be seen as coping, and had said her partner was supportive.",
                (("Perinatal mental health", D(2025, 5, 20)),),
            ),
        ),
        references=(NICE_MH, MISSED),
        questions=("What would have to change for a missed appointments decision to include the children?",),
        participants=("Perinatal mental health nurse 1", "Mother"),
    ),
    Episode(
        title="The response to the November incident: step-down to early help",
        start=D(2025, 11, 10),
        end=D(2025, 11, 12),
        valence=Valence.PROBLEMATIC,
        description="The partner pushed the mother, bruising her arm, with both children present. MASH screened "
        "the notification the next morning and, as early help was already open, stepped the case down without "
        "a strategy discussion. Early help and the school were told by phone; health visiting was not.",
        entries=(("Police", D(2025, 11, 10)), (MASH, D(2025, 11, 11)), (EH, D(2025, 11, 11)), (EH, D(2025, 11, 12))),
        expected="A second domestic abuse incident in a household with a baby considered for a strategy "
        "discussion, with the partner's history checked and everyone working with the baby told.",
        compared="The step-down was a proportionate reading of the form and of the open early help case, but the "
        "partner's conviction and the school's June record were not part of the picture, and health visiting "
        "was not told.",
        certainty=Certainty.SOME_UNCERTAINTY,
        certainty_reason="How much the screener could have found in the time available is contested by the MASH team.",
        factors=(
            Factor(
                "work_workload",
                Effect.HINDERED,
                Significance.MEDIUM,
                "Thirty-eight notifications came in that morning.",
                ((MASH, D(2025, 11, 11)),),
            ),
            Factor(
                "org_policies",
                Effect.HINDERED,
                Significance.HIGH,
                "The screening form scores the incident's severity, not who lives in the household.",
                ((MASH, D(2025, 11, 11)),),
            ),
            Factor(
                "interagency_sharing_tools",
                Effect.HINDERED,
                Significance.HIGH,
                "The partner's 2021 conviction, held by another police area, was not linked to the household's "
                "address.",
                (("Police", D(2025, 11, 10)),),
            ),
            Factor(
                "personal_mindset",
                Effect.HINDERED,
                Significance.MEDIUM,
                "Once the partner had moved out, the risk was read as lower.",
                ((EH, D(2025, 11, 12)),),
            ),
        ),
        references=(WORKING_TOGETHER, THRESHOLDS),
        questions=("How do screeners locally learn about a partner's history from another police area?",),
        turning_points=(("MASH social worker 1", D(2025, 11, 11)),),
        participants=("MASH social worker 1", "Response officer 1", "Family worker 1"),
        shared=True,
    ),
    Episode(
        title="Early help's work with the family and the team-around-the-family meeting",
        start=D(2025, 11, 3),
        end=D(2026, 1, 8),
        valence=Valence.GOOD,
        description="The family worker built a trusting relationship with the mother and worked directly with "
        "Child E, whose drawings are the one place her own view is written down. The team-around-the-family "
        "meeting went ahead without health visiting, whose invitation went to a shared inbox, or the police.",
        entries=(
            (EH, D(2025, 11, 3)),
            (EH, D(2025, 11, 12)),
            (EH, D(2025, 12, 2)),
            (SCHOOL, D(2025, 12, 19)),
            (EH, D(2026, 1, 8)),
        ),
        expected="A relationship-based early help assessment that hears the child directly, and a "
        "team-around-the-family meeting with every agency working with the children.",
        compared="The relationship with the mother and the direct work with Child E were strong. The meeting's "
        "plan was sound for those present; health visiting and the police were missing without anyone "
        "noticing.",
        certainty=Certainty.CONFIDENT,
        certainty_reason="",
        factors=(
            Factor(
                "family_relationship",
                Effect.SUPPORTED,
                Significance.HIGH,
                "The family worker's trusting relationship with the mother kept the family engaged with early help.",
                ((EH, D(2025, 11, 3)), (EH, D(2026, 1, 8))),
            ),
            Factor(
                "personal_knowledge",
                Effect.SUPPORTED,
                Significance.HIGH,
                "Direct work with Child E, through her drawings, recorded her own view.",
                ((EH, D(2026, 1, 8)),),
            ),
            Factor(
                "interagency_sharing_tools",
                Effect.HINDERED,
                Significance.MEDIUM,
                "The invitation to health visiting went to a shared team inbox nobody owns.",
                ((EH, D(2025, 12, 2)),),
            ),
            Factor(
                "work_staffing",
                Effect.HINDERED,
                Significance.LOW,
                "The family worker was on leave over Christmas with no cover, so the school's email waited.",
                ((SCHOOL, D(2025, 12, 19)),),
            ),
        ),
        questions=("What makes direct work with children like this routine rather than the exception?",),
        turning_points=(("Family worker 1", D(2026, 1, 8)),),
        participants=("Family worker 1", "Child E", "Mother"),
        shared=True,
    ),
    Episode(
        title="The 9-month review: a bruise on a crawling baby's ear",
        start=D(2026, 1, 19),
        end=None,
        valence=Valence.PROBLEMATIC,
        description="At the late 9-month review the health visitor saw a bruise behind Baby J's ear; the mother "
        "said he fell against the cot. A body map was completed and the explanation accepted, without "
        "consulting the safeguarding lead.",
        entries=((HV, D(2026, 1, 19)),),
        expected="Bruising on a baby's ear considered under the bruising protocol and discussed with the "
        "safeguarding lead, whatever the baby's mobility.",
        compared="The body map was good practice. The explanation was accepted on the protocol's wording as the "
        "health visitor understood it, and without knowing of the November incident.",
        certainty=Certainty.CONFIDENT,
        certainty_reason="",
        factors=(
            Factor(
                "work_workload",
                Effect.HINDERED,
                Significance.HIGH,
                "Eleven visits that day.",
                ((HV, D(2026, 1, 19)),),
            ),
            Factor(
                "org_policies",
                Effect.HINDERED,
                Significance.HIGH,
                "The bruising protocol's wording is about babies who are not yet mobile; Baby J was crawling.",
                ((HV, D(2026, 1, 19)),),
            ),
            Factor(
                "interagency_communication",
                Effect.HINDERED,
                Significance.HIGH,
                "Health visiting is not on the police notification route, so the November incident was unknown.",
            ),
            Factor(
                "personal_attention",
                Effect.HINDERED,
                Significance.MEDIUM,
                "The health visitor was watching the mother's mood, which had improved.",
                ((HV, D(2026, 1, 19)),),
            ),
        ),
        references=(BRUISING,),
        questions=("How do health visitors locally read the protocol's wording about mobility?",),
        turning_points=(("Health visitor 1", D(2026, 1, 19)),),
        participants=("Health visitor 1", "Baby J", "Mother"),
        complete=False,
    ),
)


def demo_entry(review: Review, agencies: dict[str, Agency], agency: str, day: dt.date) -> ChronologyEntry:
    """The released entry of that agency on that day, or in that month for a month-only or uncertain date."""
    entries = released_entries(review=review).filter(agency=agencies[agency])
    found = (
        entries.filter(date_start=day).first()
        or entries.filter(date_start__year=day.year, date_start__month=day.month).first()
    )
    if found is None:
        raise RuntimeError(f"The demo chronology has no {agency} entry on {day:%d/%m/%Y}")
    return found


def load_analysis_demo(*, review: Review, lead: User, origin: Origin) -> dict[str, int]:
    """Create the demo's seven episodes with their appraisals, factors, references and questions, and the
    outcome. Does nothing if the review has episodes already."""
    if KeyPracticeEpisode.objects.filter(review=review).exists():
        return {"episodes": KeyPracticeEpisode.objects.filter(review=review).count()}
    agencies = {agency.name: agency for agency in Agency.objects.filter(partnership=review.partnership)}
    items = {item.key: item for item in ContributoryFactorType.objects.filter(group__framework__current=True)}
    participants = {participant.label: participant for participant in Participant.objects.filter(review=review)}
    services.outcome_save(review=review, text=OUTCOME, expected_version=None, by=lead, origin=origin)
    for spec in EPISODES:
        entries = [demo_entry(review, agencies, agency, day) for agency, day in spec.entries]
        perspectives = [
            found
            for label, day in spec.turning_points
            if (found := Perspective.objects.filter(review=review, participant__label=label, happened_on=day).first())
        ]
        episode = services.episode_create(
            review=review,
            title=spec.title,
            period_start=spec.start,
            period_end=spec.end,
            valence=spec.valence,
            description=spec.description,
            identified_by=IdentifiedBy.TURNING_POINT if perspectives else IdentifiedBy.REVIEWERS,
            agencies=list({entry.agency_id: entry.agency for entry in entries}.values()),
            participants=[participants[label] for label in spec.participants if label in participants],
            entries=entries,
            perspectives=perspectives,
            by=lead,
            origin=origin,
        )
        for kind, title, year, citation in spec.references:
            services.reference_add(
                episode=episode,
                kind=AppraisalReference.Kind(kind),
                title=title,
                year=year,
                citation=citation,
                by=lead,
                origin=origin,
            )
        for factor in spec.factors:
            services.factor_add(
                episode=episode,
                factor_type=items[factor.item],
                effect=factor.effect,
                significance=factor.significance,
                description=factor.description,
                entries=[demo_entry(review, agencies, agency, day) for agency, day in factor.evidence],
                by=lead,
                origin=origin,
            )
        for question in spec.questions:
            services.question_add(episode=episode, text=question, by=lead, origin=origin)
        episode = services.appraisal_save(
            episode=episode,
            expected_version=episode.version,
            expected_practice=spec.expected,
            practice_compared=spec.compared,
            certainty=spec.certainty,
            certainty_reason=spec.certainty_reason,
            by=lead,
            origin=origin,
        )
        if spec.complete:
            services.episode_complete(episode=episode, by=lead, origin=origin)
        if spec.shared:
            services.episode_share(episode=episode, shared=True, by=lead, origin=origin)
    return {"episodes": len(EPISODES)}
