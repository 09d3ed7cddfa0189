"""Access decorators. Every view in the project wears exactly one, and a test fails for any that does not.

`access_rule` on the view says who may reach it; the role-by-URL test reads it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import render

from caseview.core.jobs import job_for

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


@signed_in_view
def job_progress(request: AuthenticatedRequest, job_id: Any) -> HttpResponseBase:
    """How far a background job has got: a page that refreshes itself, or a fragment htmx polls."""
    job = job_for(user=request.user, job_id=job_id)
    if job is None:
        raise Http404("No such job")
    template = "core/job_progress.html#progress" if request.htmx else "core/job_progress.html"  # type: ignore[attr-defined]
    return render(request, template, {"job": job, "page_title": job.description})


# Only the person who started a job can watch it; everyone else gets 404.
job_progress.access_rule = "own_job"  # type: ignore[attr-defined]
