from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import include, path

from caseview.core.views import job_progress, public_view
from caseview.findings import board_views


@public_view
def home(request: HttpRequest) -> HttpResponse:
    return redirect("reviews:list" if request.user.is_authenticated else "accounts:sign-in")


@public_view
def health(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


@public_view
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "accessibility.html", {"page_title": "Accessibility statement"})


urlpatterns = [
    path("", home, name="home"),
    path("health/", health, name="health"),
    path("accessibility/", accessibility, name="accessibility"),
    path("account/", include("caseview.accounts.urls")),
    path("reviews/", include("caseview.reviews.urls")),
    path("reviews/", include("caseview.chronology.urls")),
    path("reviews/", include("caseview.people.urls")),
    path("reviews/", include("caseview.conversations.urls")),
    path("reviews/", include("caseview.meetings.urls")),
    path("reviews/", include("caseview.analysis.urls")),
    path("reviews/", include("caseview.findings.urls")),
    path("reviews/", include("caseview.quality.urls")),
    path("reviews/", include("caseview.findings.board_urls")),
    path("board/", board_views.dashboard, name="board-dashboard"),
    path("reviews/", include("caseview.reports.check_urls")),
    path("reviews/", include("caseview.reports.urls")),
    path("jobs/<uuid:job_id>/", job_progress, name="job"),
    path("partnerships/", include("caseview.reviews.partnership_urls")),
    path("partnerships/", include("caseview.analysis.partnership_urls")),
]

handler403 = "caseview.core.errors.forbidden"
handler404 = "caseview.core.errors.not_found"
handler500 = "caseview.core.errors.server_error"
