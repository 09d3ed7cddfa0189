"""Who may do what in a review. docs/roles.md shows this same table; a test keeps the two in step.

Every permission is checked against one review: a person's role there, or their being an administrator of the
review's partnership. Someone with neither gets 404 for every page of the review, as if it did not exist.
"""

from __future__ import annotations

from typing import Any

import rules

from caseview.reviews.models import Review, Role

ADMIN = "partnership_admin"

LEAD = Role.LEAD_REVIEWER.value
TEAM = Role.REVIEW_TEAM.value
PRACTITIONER = Role.PRACTITIONER.value
FAMILY = Role.FAMILY.value
BOARD = Role.BOARD.value
AGENCY_CONTACT = Role.AGENCY_CONTACT.value

# permission -> (who holds it, what it lets them do). Order matters only for the docs.
PERMISSIONS: dict[str, tuple[frozenset[str], str]] = {
    "reviews.view_review": (
        frozenset({LEAD, TEAM, PRACTITIONER, FAMILY, BOARD, AGENCY_CONTACT, ADMIN}),
        "See the review's overview: its questions, purpose, period, stage and agencies",
    ),
    "reviews.change_review": (
        frozenset({LEAD, ADMIN}),
        "Change the review's details and questions, and record the processes running alongside it",
    ),
    "reviews.change_stage": (
        frozenset({LEAD, ADMIN}),
        "Move the review to another stage",
    ),
    "reviews.view_people": (
        frozenset({LEAD, TEAM, PRACTITIONER, ADMIN}),
        "See who is in the review team and the case group, by position",
    ),
    "reviews.manage_members": (
        frozenset({LEAD, ADMIN}),
        "Give, change and remove people's roles in the review",
    ),
    "reviews.view_identities": (
        frozenset({LEAD, TEAM}),
        "See real identities behind pseudonyms and position labels",
    ),
    "reviews.view_chronology": (
        frozenset({LEAD, TEAM, PRACTITIONER}),
        "See the multi-agency chronology (a practitioner checks it as part of the case group)",
    ),
    "reviews.view_returns": (
        frozenset({LEAD, PRACTITIONER, AGENCY_CONTACT}),
        "See agency returns: a lead reviewer sees every return; a practitioner or agency contact only their "
        "own agency's, which they fill in, upload and release",
    ),
    "reviews.request_returns": (
        frozenset({LEAD}),
        "Ask agencies in scope for their returns",
    ),
    "reviews.edit_chronology": (
        frozenset({LEAD, TEAM}),
        "Correct chronology entries, mark them significant, and confirm or reject links between them",
    ),
    "reviews.comment_chronology": (
        frozenset({LEAD, TEAM, PRACTITIONER}),
        "Comment on chronology entries",
    ),
    "reviews.export_chronology": (
        frozenset({LEAD, TEAM}),
        "Export the chronology as a spreadsheet, CSV or Word document",
    ),
    "reviews.view_participants": (
        frozenset({LEAD, TEAM}),
        "See the participants: practitioners, family members and children, how they take part, their support "
        "needs and consent",
    ),
    "reviews.manage_participants": (
        frozenset({LEAD, TEAM}),
        "Add and change participants, record consent and its withdrawal, and prepare and send letters",
    ),
    "reviews.view_conversations": (
        frozenset({LEAD, TEAM, PRACTITIONER, FAMILY}),
        "See conversation records: reviewers see all; a practitioner or family member only their own",
    ),
    "reviews.record_conversations": (
        frozenset({LEAD, TEAM}),
        "Arrange conversations, write their records and turning points, attach files, share records to check",
    ),
    "reviews.check_own_record": (
        frozenset({PRACTITIONER, FAMILY}),
        "Read, comment on, correct and agree their own conversation record, and no one else's",
    ),
    "reviews.view_meetings": (
        frozenset({LEAD, TEAM, PRACTITIONER, FAMILY}),
        "See meetings: reviewers see all; a practitioner or family member those they are invited to",
    ),
    "reviews.manage_meetings": (
        frozenset({LEAD, TEAM}),
        "Arrange meetings of the review team and case group, invite people, record attendance and outputs",
    ),
    "reviews.view_analysis": (
        frozenset({LEAD, TEAM, PRACTITIONER}),
        "See the key practice episodes, their appraisals and contributory factors, the factor framework and the "
        "narrative: reviewers see everything; a case-group practitioner only what is shared with the case group "
        "for checking, with turning points named but not quoted in episodes (the narrative quotes those who "
        "agreed to be quoted), and no editing pages",
    ),
    "reviews.edit_analysis": (
        frozenset({LEAD, TEAM}),
        "Create key practice episodes, appraise and explain them with contributory factors, mark them complete, "
        "share them with the case group for checking, and record the outcome kept off appraisal screens; write "
        "the narrative, mark where accounts agree or differ, share it and answer the case group's comments; "
        "record who told whom what; appraise episodes independently and compare with other reviewers",
    ),
    "reviews.export_analysis": (
        frozenset({LEAD, TEAM}),
        "Export the key practice episode table and the narrative as Word documents, the table as a spreadsheet, "
        "and who told whom what as a spreadsheet or CSV",
    ),
    "reviews.comment_analysis": (
        frozenset({LEAD, TEAM, PRACTITIONER}),
        "Comment on the parts of the narrative shared with the case group for checking",
    ),
    "reviews.view_information_flow": (
        frozenset({LEAD, TEAM}),
        "See who told whom what and when, the information one agency held that another did not, and the review as "
        "an agency or person knew it on a date (recording communications needs edit_analysis, exporting them "
        "export_analysis)",
    ),
    "reviews.view_findings": (
        frozenset({LEAD, TEAM, PRACTITIONER, BOARD}),
        "See findings and questions for the board, and the chain of evidence down to the episodes, factors and "
        "chronology entries they rest on (turning points by participant label only, never their words)",
    ),
    "reviews.edit_findings": (
        frozenset({LEAD, TEAM}),
        "Write findings about the system, link them to episodes, add questions for the board, rank the findings "
        "and export the findings-by-episodes matrix",
    ),
    "reviews.view_quality": (
        frozenset({LEAD, TEAM, BOARD, ADMIN}),
        "See the quality gates and whether the review is ready for a public report, the self-assessment against "
        "the 18 quality markers, and the processes running alongside the review (criminal, coroner's, "
        "disciplinary and others) with their constraints",
    ),
    "reviews.assess_quality": (
        frozenset({LEAD, TEAM}),
        "Assess the review against a quality marker: answers to its questions, a rating and notes (each "
        "assessment is kept)",
    ),
    "reviews.override_quality_gates": (
        frozenset({LEAD}),
        "Override a quality gate that does not pass, with a reason, so that a public report may go ahead; and "
        "withdraw the override",
    ),
    "reviews.view_board_response": (
        frozenset({LEAD, TEAM, BOARD, ADMIN}),
        "See the board's written response to each finding and the action plan: actions, owners, due dates, "
        "status, evidence of impact and reviews of progress, with overdue actions marked; export the action plan",
    ),
    "reviews.record_board_response": (
        frozenset({LEAD, BOARD, ADMIN}),
        "Record the board's response to each finding and when it was agreed, add and change actions, and record "
        "reviews of their progress",
    ),
    "reviews.view_report": (
        frozenset({LEAD, TEAM, BOARD}),
        "See report drafts and versions for their audience, what changed between versions and the comments on them: "
        "the team version (real identities) only those who see identities; board members the board and public "
        "versions",
    ),
    "reviews.build_report": (
        frozenset({LEAD, TEAM}),
        "Write the report's narrative parts, build team, board and public versions, and share a board or public "
        "draft with the case group and the family for comment",
    ),
    "reviews.sign_off_report": (
        frozenset({LEAD, BOARD}),
        "Sign off a board or public version; signed off by a lead reviewer and a board member, it is final and locked",
    ),
    "reviews.publish_report": (
        frozenset({LEAD}),
        "Record when a final public version went to the Panel and the Secretary of State; publish it seven working "
        "days later, once the publication check finds nothing that is not let stand and every quality gate passes or "
        "is overridden, and record when it went to the national repository; or record the partners' decision not "
        "to publish it, with the reason and where the improvements are published instead",
    ),
    "reviews.comment_on_report": (
        frozenset({PRACTITIONER, FAMILY}),
        "Read a report draft shared with the case group or the family, and comment on its factual accuracy",
    ),
    "reviews.manage_pseudonyms": (
        frozenset({LEAD, TEAM}),
        "See the pseudonym registry (who and what each pseudonym, position label and generic description stands "
        "for, real text only with view_identities) and add, change and remove places, organisations and rare details",
    ),
    "reviews.check_publication": (
        frozenset({LEAD, TEAM}),
        "Run the publication check on a report file and see what in it could identify someone",
    ),
    "reviews.override_publication_check": (
        frozenset({LEAD}),
        "Let a publication check finding stand, with a reason, in this check and every later one",
    ),
    "reviews.view_audit": (
        frozenset({LEAD, ADMIN}),
        "See the review's audit trail",
    ),
}

# Roles whose holders see case data, and so must use a second factor when CASEVIEW_REQUIRE_2FA is on.
ROLES_SEEING_CASE_DATA = frozenset({LEAD, TEAM, PRACTITIONER, FAMILY, BOARD, AGENCY_CONTACT, ADMIN})


def roles_in(user: Any, review: Review) -> frozenset[str]:
    """The user's standing in this review: their role, and 'partnership_admin' if they administer it."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cache: dict[Any, frozenset[str]] = user.__dict__.setdefault("_caseview_roles", {})
    if review.pk not in cache:
        held = set(review.memberships.filter(user=user).values_list("role", flat=True))
        if user.is_superuser or review.partnership.administrators.filter(pk=user.pk).exists():
            held.add(ADMIN)
        cache[review.pk] = frozenset(held)
    return cache[review.pk]


def forget_roles(user: Any) -> None:
    """Drop the per-request role cache after a membership change."""
    user.__dict__.pop("_caseview_roles", None)


def _holds(roles_allowed: frozenset[str]) -> rules.Predicate:
    @rules.predicate
    def predicate(user: Any, review: Review | None) -> bool:
        if review is None:
            return False
        return bool(roles_in(user, review) & roles_allowed)

    return predicate


for _name, (_roles, _purpose) in PERMISSIONS.items():
    rules.add_perm(_name, _holds(_roles))


def can(user: Any, permission: str, review: Review) -> bool:
    """Whether the user holds `permission` in this review.

    Asks the rules directly, not `user.has_perm`, which lets an installation superuser do anything: being
    able to administer the installation must not open every family's case data.
    """
    return bool(rules.has_perm(permission, user, review))


def is_member(user: Any, review: Review) -> bool:
    return bool(roles_in(user, review))


def role_label(role: str) -> str:
    if role == ADMIN:
        return "Partnership administrator"
    return Role(role).label
