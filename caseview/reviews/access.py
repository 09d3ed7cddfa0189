from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponseBase

from caseview.core.views import AuthenticatedRequest
from caseview.reviews import selectors
from caseview.reviews.models import Review
from caseview.reviews.rules import PERMISSIONS, can

ReviewView = Callable[..., HttpResponseBase]


def review_view(permission: str) -> Callable[[ReviewView], ReviewView]:
    """A page of one review. Outsiders get 404; members without `permission` get 403.

    The view receives the review in place of its reference.
    """
    if permission not in PERMISSIONS:
        raise ValueError(f"{permission} is not in the permission table (caseview/reviews/rules.py)")

    def decorator(view: ReviewView) -> ReviewView:
        @wraps(view)
        def wrapper(request: HttpRequest, reference: str, *args: Any, **kwargs: Any) -> HttpResponseBase:
            review: Review = selectors.review_for(user=request.user, reference=reference)
            if not can(request.user, permission, review):
                raise PermissionDenied
            return view(request, review, *args, **kwargs)

        wrapped = login_required(wrapper)
        wrapped.access_rule = permission  # type: ignore[attr-defined]
        return wrapped

    return decorator


def _sees_board_dashboard(user: Any) -> bool:
    from caseview.findings.board_selectors import sees_board_dashboard

    return sees_board_dashboard(user=user)


# Rules that stand on a person's standing in a partnership rather than in one review.
PARTNERSHIP_RULES: dict[str, tuple[Callable[[Any], bool], str]] = {
    "partnerships.start_review": (
        lambda user: selectors.partnerships_user_can_start_reviews_in(user=user).exists(),
        "Start a review: partnership administrators, and lead reviewers the partnership has commissioned",
    ),
    "partnerships.administer": (
        lambda user: selectors.partnerships_administered_by(user=user).exists(),
        "Look after a partnership: its agencies, the lead reviewers it commissions and its people's accounts",
    ),
    "partnerships.board_dashboard": (
        _sees_board_dashboard,
        "See the board dashboard: findings by kind and actions by status across the reviews they sit on as a board "
        "member, or every review of the partnerships they administer",
    ),
    "partnerships.view_audit": (
        lambda user: selectors.can_see_partnership_audit(user=user),
        "See and export the audit trail of every review in the partnerships they administer",
    ),
}


def partnership_view(rule: str) -> Callable[[ReviewView], ReviewView]:
    """A page that needs a standing in some partnership (see PARTNERSHIP_RULES); others get 403."""
    check, _purpose = PARTNERSHIP_RULES[rule]

    def decorator(view: ReviewView) -> ReviewView:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not check(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped = login_required(wrapper)
        wrapped.access_rule = rule  # type: ignore[attr-defined]
        return wrapped

    return decorator


def partnership_admin_view(view: ReviewView) -> ReviewView:
    """A page of one partnership's administration. Anyone who does not administer it gets 404.

    The view receives the partnership in place of its id.
    """

    @wraps(view)
    def wrapper(request: AuthenticatedRequest, partnership_id: Any, *args: Any, **kwargs: Any) -> HttpResponseBase:
        partnership = selectors.partnerships_administered_by(user=request.user).filter(pk=partnership_id).first()
        if partnership is None:
            raise Http404("No such partnership")
        return view(request, partnership, *args, **kwargs)

    wrapped = login_required(wrapper)
    wrapped.access_rule = "partnerships.administer_one"  # type: ignore[attr-defined]
    return wrapped
