"""The demo review, "Child E" (CE2026): an invented case told through every stage (shared/demo/scenario.md).

`load_demo` creates it, or brings it back to its starting state, and one account per role. Every person,
place and event is invented.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from caseview.accounts.models import User
from caseview.accounts.services import user_create
from caseview.analysis.demo import load_analysis_demo
from caseview.analysis.demo_agreement import load_agreement_demo
from caseview.analysis.demo_flow import load_flow_demo
from caseview.analysis.demo_narrative import load_narrative_demo
from caseview.chronology.demo import load_chronology_demo
from caseview.conversations.demo import load_conversations_demo
from caseview.core import audit
from caseview.core.audit import Event, Origin
from caseview.findings.demo import load_board_demo, load_findings_demo
from caseview.people.demo import load_people_demo
from caseview.quality.demo import load_quality_demo
from caseview.reports.demo import load_reports_demo
from caseview.reports.registry_demo import load_registry_demo
from caseview.reviews import services
from caseview.reviews.models import (
    Agency,
    Membership,
    Partnership,
    Review,
    Role,
    Sector,
    Stage,
    Trigger,
    Variant,
)

PARTNERSHIP = "Westbrook Safeguarding Children Partnership"
OTHER_PARTNERSHIP = "Eastmoor Safeguarding Partnership"
REFERENCE = "CE2026"

AGENCIES: list[tuple[str, str, bool]] = [
    ("Maternity", Sector.HEALTH_ACUTE, False),
    ("Health visiting", Sector.HEALTH_COMMUNITY, False),
    ("GP practice", Sector.GP, False),
    ("Perinatal mental health", Sector.MENTAL_HEALTH, False),
    ("Fernside Primary School", Sector.EDUCATION, False),
    ("Early help", Sector.EARLY_YEARS, False),
    ("Children's social care", Sector.CHILDRENS_SOCIAL_CARE, True),
    ("Police", Sector.POLICE, True),
    ("Housing association", Sector.HOUSING, False),
    ("Domestic abuse service", Sector.VCS, False),
    ("Integrated care board", Sector.HEALTH_COMMUNITY, True),
]

QUESTIONS = [
    "How well do agencies recognise and respond to risk to a baby when a parent's partner has a history of "
    "domestic abuse?",
    "How does information about the adults in a household travel between adult services, police, health and "
    "children's services?",
    "How are an older child's own words heard when the family is known to several services?",
]

CASE_SELECTION_REASON = (
    "On 9 February 2026 Baby J, aged ten months, was brought to hospital with a skull fracture, and a skeletal "
    "survey found older rib fractures. The family was known to several services over the previous year. The "
    "rapid review on 26 February recommended a local child safeguarding practice review, and the partnership "
    "agreed on 5 March 2026. The case is a window on how information about the adults in a household reaches "
    "the professionals who see a baby most often."
)

PURPOSE = (
    "The purpose of this review is learning: to understand how the local multi-agency system helped and "
    "hindered the professionals working with this family, and why their actions made sense to them at the "
    "time. It is not to hold individuals or agencies to account; other processes do that. A police "
    "investigation runs in parallel."
)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: str | None
    agency: str | None
    position: str
    what: str


# Invented names for the demo's staff accounts; none is a real person.
ACCOUNTS = [
    DemoAccount("lead", "Sam Okafor", Role.LEAD_REVIEWER, None, "Lead reviewer 1", "lead reviewer of CE2026"),
    DemoAccount(
        "reviewer",
        "Priya Nandra",
        Role.REVIEW_TEAM,
        "Integrated care board",
        "Designated nurse",
        "review-team member of CE2026",
    ),
    DemoAccount(
        "practitioner",
        "Jo Whitfield",
        Role.PRACTITIONER,
        "Health visiting",
        "Health visitor 1",
        "case-group practitioner in CE2026",
    ),
    DemoAccount("parent", "Leanne Marsh", Role.FAMILY, None, "Mother", "family member (the mother) in CE2026"),
    DemoAccount(
        "board",
        "Martin Hale",
        Role.BOARD,
        "Children's social care",
        "Partnership board member",
        "board member for CE2026",
    ),
    DemoAccount(
        "contact",
        "Kim Ashby",
        Role.AGENCY_CONTACT,
        "Police",
        "Police disclosure officer",
        "agency contact for the police return in CE2026",
    ),
    DemoAccount(
        "outsider",
        "Chris Dale",
        None,
        None,
        "",
        "no role in CE2026 (lead reviewer of another partnership's review)",
    ),
    DemoAccount("admin", "Ruth Ellery", None, None, "", "Westbrook partnership administrator (business manager)"),
]


def _account(spec: DemoAccount, password: str, origin: Origin) -> User:
    user = User.objects.filter(username=spec.username).first()
    if user is None:
        user = user_create(
            username=spec.username,
            email=f"{spec.username}@demo.caseview.invalid",
            full_name=spec.full_name,
            password=password,
            by=None,
            origin=origin,
            check_password=False,
        )
    else:
        user.set_password(password)
        user.full_name = spec.full_name
        user.is_active = True
        user.save(update_fields=["password", "full_name", "is_active"])
    return user


# What the lead reviewer wrote as the demo review moved on, stage by stage.
STAGE_NOTES = {
    Stage.PREPARATION: "Demo: case group identified and letters sent",
    Stage.DATA_COLLECTION: "Demo: agency returns requested",
    Stage.ANALYSIS: "Demo: returns released and conversations held",
    Stage.VALIDATION: "Demo: episodes appraised and explained; taken back to the case group",
    Stage.FINDINGS_PRIORITISED: "Demo: six findings agreed and ranked",
    Stage.DRAFTING: "Demo: drafting the report",
    Stage.QUALITY_ASSURANCE_SIGNOFF: "Demo: board and public versions signed off",
    Stage.BOARD_RESPONSE: "Demo: the board is responding to the findings",
}


def load_demo(*, password: str, origin: Origin) -> dict[str, object]:
    """Create or refresh the demo partnership, review CE2026 and one account per role."""
    with transaction.atomic():
        partnership = Partnership.objects.filter(name=PARTNERSHIP).first() or services.partnership_create(
            name=PARTNERSHIP, by=None, origin=origin
        )
        agencies: dict[str, Agency] = {
            name: Agency.objects.filter(partnership=partnership, name=name).first()
            or services.agency_add(
                partnership=partnership,
                name=name,
                sector=sector,
                is_safeguarding_partner=partner,
                by=None,
                origin=origin,
            )
            for name, sector, partner in AGENCIES
        }
        users = {spec.username: _account(spec, password, origin) for spec in ACCOUNTS}
        if not partnership.administrators.filter(pk=users["admin"].pk).exists():
            services.partnership_admin_add(partnership=partnership, user=users["admin"], by=None, origin=origin)
        if not partnership.lead_reviewers.filter(pk=users["lead"].pk).exists():
            services.partnership_lead_reviewer_add(partnership=partnership, user=users["lead"], by=None, origin=origin)

        review = Review.objects.filter(reference=REFERENCE).first()
        in_scope = [agencies[name] for name, _, _ in AGENCIES if name != "Integrated care board"]
        details: dict[str, Any] = {
            "title": "Child E",
            "case_selection_reason": CASE_SELECTION_REASON,
            "trigger": Trigger.SERIOUS_INCIDENT,
            "variant": Variant.FULL,
            "period_start": dt.date(2025, 1, 1),
            "period_end": dt.date(2026, 2, 9),
            "purpose_statement": PURPOSE,
        }
        if review is None:
            review = services.review_create(
                partnership=partnership,
                reference=REFERENCE,
                questions=QUESTIONS,
                agencies=in_scope,
                by=users["admin"],
                origin=origin,
                **details,
            )
        else:
            review = services.review_update(
                review=review,
                expected_version=review.version,
                agencies=in_scope,
                by=users["admin"],
                origin=origin,
                **details,
            )
            if [q.text for q in review.questions.all()] != QUESTIONS:
                review.questions.all().delete()
                for text in QUESTIONS:
                    services.review_question_add(review=review, text=text, by=users["admin"], origin=origin)

        for spec in ACCOUNTS:
            user = users[spec.username]
            agency = agencies[spec.agency] if spec.agency else None
            existing = Membership.objects.filter(review=review, user=user).first()
            # Put back the demo's own arrangement, and take away any role given since to an account that has none.
            if existing and (
                spec.role is None
                or existing.role != spec.role
                or existing.position != spec.position
                or existing.agency_id != (agency.pk if agency else None)
            ):
                existing.delete()
                existing = None
            if spec.role is None:
                continue
            if existing is None:
                services.membership_add(
                    review=review,
                    user=user,
                    role=spec.role,
                    agency=agency,
                    position=spec.position,
                    by=users["admin"],
                    origin=origin,
                )

        def reached(stage: Stage) -> None:
            # Each stage's work is loaded, then the review moves on, as its lead reviewer would move it.
            if services.STAGE_ORDER.index(review.stage) < services.STAGE_ORDER.index(stage):
                services.review_stage_change(
                    review=review, to_stage=stage, by=users["lead"], origin=origin, note=STAGE_NOTES[stage]
                )

        reached(Stage.PREPARATION)
        reached(Stage.DATA_COLLECTION)
        load_chronology_demo(review=review, lead=users["lead"], author=users["practitioner"], origin=origin)
        people = load_people_demo(review=review, users=users, agencies=agencies, origin=origin)
        load_conversations_demo(review=review, people=people, users=users, origin=origin)
        reached(Stage.ANALYSIS)
        load_analysis_demo(review=review, lead=users["lead"], origin=origin)
        load_flow_demo(review=review, lead=users["lead"], origin=origin)
        load_agreement_demo(review=review, lead=users["lead"], origin=origin)
        load_narrative_demo(review=review, lead=users["lead"], origin=origin)
        reached(Stage.VALIDATION)
        load_findings_demo(review=review, lead=users["lead"], origin=origin)
        reached(Stage.FINDINGS_PRIORITISED)
        load_quality_demo(review=review, lead=users["lead"], origin=origin)
        reached(Stage.DRAFTING)
        load_registry_demo(review=review, lead=users["lead"], origin=origin)
        load_reports_demo(review=review, lead=users["lead"], board=users["board"], origin=origin)
        reached(Stage.QUALITY_ASSURANCE_SIGNOFF)
        load_board_demo(review=review, recorder=users["admin"], origin=origin)
        reached(Stage.BOARD_RESPONSE)

        # A second partnership's review shows that nothing crosses between partnerships.
        other = Partnership.objects.filter(name=OTHER_PARTNERSHIP).first() or services.partnership_create(
            name=OTHER_PARTNERSHIP, by=None, origin=origin
        )
        if not Review.objects.filter(reference="EM2025").exists():
            services.review_create(
                partnership=other,
                reference="EM2025",
                title="Young Person M",
                by=None,
                origin=origin,
                trigger=Trigger.GOOD_PRACTICE,
                variant=Variant.MID_RANGE,
                questions=[
                    "What made the transition from children's to adult services work well for this young person?"
                ],
                purpose_statement="Learning from practice that families and practitioners were positive about.",
                lead_reviewer=users["outsider"],
            )
        audit.record(
            event=Event.DEMO_LOADED,
            actor=None,
            origin=origin,
            review=review,
            summary="Loaded or refreshed the demo review CE2026",
        )
    return {
        "review": REFERENCE,
        "url": f"/reviews/{REFERENCE}/",
        "password": password,
        "accounts": [{"username": spec.username, "is": spec.what} for spec in ACCOUNTS],
    }
