from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase

from caseview.reviews import selectors
from caseview.reviews.models import Review
from caseview.reviews.rules import PERMISSIONS

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
            if not request.user.has_perm(permission, review):
                raise PermissionDenied
            return view(request, review, *args, **kwargs)

        wrapped = login_required(wrapper)
        wrapped.access_rule = permission  # type: ignore[attr-defined]
        return wrapped

    return decorator
