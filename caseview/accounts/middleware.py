from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from caseview.accounts import services

# Pages a signed-in person can reach before proving their second factor.
_OPEN_PREFIXES = ("/account/two-factor/", "/account/sign-out/", "/static/", "/health/")


class SecondFactorMiddleware:
    """Sends anyone who sees case data to set up or enter their second factor before anything else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(_OPEN_PREFIXES)
            and not user.is_verified()
            and services.needs_second_factor(user)
        ):
            target = "accounts:two-factor-verify" if services.has_confirmed_totp(user) else "accounts:two-factor-setup"
            return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
