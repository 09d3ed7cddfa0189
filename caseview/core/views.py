"""Access decorators. Every view in the project wears exactly one, and a test fails for any that does not.

`access_rule` on the view says who may reach it; the role-by-URL test reads it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponseBase

if TYPE_CHECKING:
    from caseview.accounts.models import User

View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def public_view(view: View) -> View:
    """Reachable without signing in (sign-in itself, health checks)."""
    view.access_rule = "public"  # type: ignore[attr-defined]
    return view


def signed_in_view(view: View) -> View:
    """Reachable by anyone signed in; shows only their own things."""
    wrapped = login_required(view)
    wrapped.access_rule = "signed_in"  # type: ignore[attr-defined]
    return wrapped


class AuthenticatedRequest(HttpRequest):
    """A request from a signed-in person: what views behind `signed_in_view` or `review_view` receive."""

    user: User
