from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from caseview.core.views import AuthenticatedRequest
from caseview.reviews.access import review_view
from caseview.reviews.models import Review
from caseview.reviews.views import review_context


@review_view("reviews.view_meetings")
def list(request: AuthenticatedRequest, review: Review) -> HttpResponse:
    return render(request, "meetings/list.html", review_context(request, review, "meetings", "Meetings"))
