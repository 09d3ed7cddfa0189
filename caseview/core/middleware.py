from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string


class RequestSizeLimitMiddleware:
    """Refuses a request body bigger than MAX_REQUEST_BYTES before anything reads it, with a page that says so."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit: int = settings.MAX_REQUEST_BYTES
        if length > limit:
            body = render_to_string(
                "errors/413.html",
                {"megabytes": length // 1_048_576, "limit": limit // 1_048_576, "service_name": settings.SERVICE_NAME},
            )
            return HttpResponse(body, status=413)
        return self.get_response(request)
