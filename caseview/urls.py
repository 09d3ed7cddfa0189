from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import include, path

from caseview.core.views import public_view


@public_view
def home(request: HttpRequest) -> HttpResponse:
    return redirect("reviews:list" if request.user.is_authenticated else "accounts:sign-in")


@public_view
def health(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("", home, name="home"),
    path("health/", health, name="health"),
    path("account/", include("caseview.accounts.urls")),
    path("reviews/", include("caseview.reviews.urls")),
    path("partnerships/", include("caseview.reviews.partnership_urls")),
]

handler403 = "caseview.core.errors.forbidden"
handler404 = "caseview.core.errors.not_found"
handler500 = "caseview.core.errors.server_error"
