"""Reading the board's responses and the action plan, for one review and across the reviews a board member sits
on. Whether an action is overdue is always `ActionPlanItem.is_overdue`."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from caseview.accounts.models import User
from caseview.findings.models import ActionPlanItem, ActionReview, ActionStatus, BoardResponse, Finding
from caseview.findings.selectors import ranked
from caseview.findings.typology import TYPOLOGY, PatternType
from caseview.reviews.models import Agency, Review, Role
from caseview.reviews.selectors import partnerships_administered_by

# The action plan's filter: a status, or every action that is overdue.
OVERDUE = "overdue"


def response_for(*, finding: Finding) -> BoardResponse | None:
    return BoardResponse.objects.filter(finding=finding).select_related("recorded_by").first()


@dataclass
class ResponseRow:
    finding: Finding
    response: BoardResponse | None
    actions: list[ActionPlanItem]


def responses_of(*, review: Review) -> list[ResponseRow]:
    """Every finding of the review (ranked), with the board's response to it or None, and its actions."""
    findings = Finding.objects.filter(review=review).prefetch_related(
        Prefetch("actions", queryset=ActionPlanItem.objects.select_related("owner_agency").order_by("number"))
    )
    responses = {
        response.finding_id: response
        for response in BoardResponse.objects.filter(finding__review=review).select_related("recorded_by")
    }
    return [
        ResponseRow(finding, responses.get(finding.pk), list(finding.actions.all())) for finding in ranked(findings)
    ]


def _actions(review: Review) -> QuerySet[ActionPlanItem]:
    return ActionPlanItem.objects.filter(review=review).select_related("finding", "board_question", "owner_agency")


def actions_of(*, review: Review, status: str = "", agency: Agency | None = None) -> list[ActionPlanItem]:
    """The review's actions in number order; `status` is an ActionStatus value or OVERDUE."""
    actions = _actions(review).prefetch_related("progress_reviews__by").order_by("number")
    if agency is not None:
        actions = actions.filter(owner_agency=agency)
    if status in ActionStatus.values:
        actions = actions.filter(status=status)
    found = list(actions)
    if status == OVERDUE:
        found = [item for item in found if item.is_overdue]
    return found


def actions_of_finding(*, finding: Finding) -> list[ActionPlanItem]:
    return list(_actions(finding.review).filter(finding=finding).order_by("number"))


def action_for(*, review: Review, number: int) -> ActionPlanItem:
    item = _actions(review).filter(number=number).first()
    if item is None:
        raise Http404("No such action")
    return item


def progress_of(*, item: ActionPlanItem) -> list[ActionReview]:
    return list(item.progress_reviews.select_related("by"))


def owner_agencies(*, review: Review) -> QuerySet[Agency]:
    return Agency.objects.filter(partnership=review.partnership_id).order_by("name")


# --- Across reviews: the board dashboard -------------------------------------------------------------------


def board_reviews(*, user: User) -> QuerySet[Review]:
    """The reviews whose findings and actions this person sees on the dashboard: those they sit on as a board
    member, and every review of a partnership they administer. Nobody else's."""
    if not user.is_authenticated or not user.is_active:
        return Review.objects.none()
    administered = partnerships_administered_by(user=user)
    return (
        Review.objects.filter(Q(memberships__user=user, memberships__role=Role.BOARD) | Q(partnership__in=administered))
        .select_related("partnership")
        .distinct()
        .order_by("reference")
    )


def sees_board_dashboard(*, user: User) -> bool:
    return board_reviews(user=user).exists() or partnerships_administered_by(user=user).exists()


@dataclass
class ReviewSummary:
    review: Review
    findings: int = 0
    responses_agreed: int = 0
    actions: int = 0
    overdue: int = 0


@dataclass
class Dashboard:
    reviews: list[ReviewSummary]
    by_category: list[tuple[PatternType, int]]
    by_status: list[tuple[str, str, int]]
    overdue: list[ActionPlanItem] = field(default_factory=list)

    @property
    def finding_count(self) -> int:
        return sum(count for _, count in self.by_category)

    @property
    def action_count(self) -> int:
        return sum(count for _, _, count in self.by_status)


def dashboard_for(*, user: User) -> Dashboard:
    """Findings by category and actions by status across `board_reviews(user)`, with overdue actions apart."""
    reviews = list(board_reviews(user=user))
    summaries = {review.pk: ReviewSummary(review) for review in reviews}
    findings = list(Finding.objects.filter(review__in=reviews).only("review_id", "category"))
    categories = Counter(finding.category for finding in findings)
    for finding in findings:
        summaries[finding.review_id].findings += 1
    for review_id in BoardResponse.objects.filter(finding__review__in=reviews, agreed_on__isnull=False).values_list(
        "finding__review_id", flat=True
    ):
        summaries[review_id].responses_agreed += 1
    actions = list(
        ActionPlanItem.objects.filter(review__in=reviews)
        .select_related("review", "finding", "owner_agency")
        .order_by("due_date", "review__reference", "number")
    )
    statuses = Counter(item.status for item in actions)
    overdue = [item for item in actions if item.is_overdue]
    for item in actions:
        summaries[item.review_id].actions += 1
    for item in overdue:
        summaries[item.review_id].overdue += 1
    return Dashboard(
        reviews=list(summaries.values()),
        by_category=[(pattern, categories[pattern.code]) for pattern in TYPOLOGY],
        by_status=[(status.value, status.label, statuses[status.value]) for status in ActionStatus],
        overdue=overdue,
    )
