from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase

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


# Rules that stand on a person's standing in a partnership rather than in one review.
PARTNERSHIP_RULES: dict[str, tuple[Callable[[Any], bool], str]] = {
    "partnerships.start_review": (
        lambda user: selectors.partnerships_user_can_start_reviews_in(user=user).exists(),
        "Start a review: partnership administrators, and lead reviewers the partnership has commissioned",
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
