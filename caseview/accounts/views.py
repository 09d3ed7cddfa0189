from __future__ import annotations

import base64
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from caseview.accounts import services
from caseview.accounts.forms import CodeForm, SetPasswordForm, SetupCodeForm, SignInForm
from caseview.core import audit
from caseview.core.audit import Event, Origin
from caseview.core.views import AuthenticatedRequest, public_view, signed_in_view


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(candidate, {request.get_host()}, request.is_secure()):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)


@public_view
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(_next_url(request))
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        user = authenticate(request, username=username, password=form.cleaned_data["password"])
        origin = Origin.from_request(request)
        if getattr(request, "axes_locked_out", False):
            return locked_out(request, None, {"username": username})
        if user is None:
            audit.record(
                event=Event.SIGN_IN_FAILED,
                actor=None,
                actor_username=username[:150],
                origin=origin,
                summary=f"Failed sign-in as {username[:100]}",
            )
            form.add_error("username", "Enter a correct username and password")
        else:
            login(request, user)
            audit.record(event=Event.SIGNED_IN, actor=user, origin=origin, summary="Signed in with a password")
            return redirect(_next_url(request))
    return render(request, "accounts/sign_in.html", {"form": form, "next": _next_url(request), "page_title": "Sign in"})


def locked_out(request: HttpRequest, response: HttpResponse | None, credentials: dict[str, Any] | None) -> HttpResponse:
    """What django-axes shows once a username and address are locked out; the lockout itself is audited.

    Called twice for one refused attempt (by `sign_in` and again by axes' middleware), so the first response is
    kept on the request and handed back the second time: one refused attempt, one audit event.
    """
    earlier: HttpResponse | None = getattr(request, "_caseview_locked_out_response", None)
    if earlier is not None:
        return earlier
    username = (credentials or {}).get("username", "") or request.POST.get("username", "")
    audit.record(
        event=Event.LOCKED_OUT,
        actor=None,
        actor_username=str(username)[:150],
        origin=Origin.from_request(request),
        summary=f"Sign-in refused: {str(username)[:100]} is locked out after repeated failures",
    )
    context = {
        "page_title": "You cannot sign in at the moment",
        "minutes": int(settings.AXES_COOLOFF_TIME * 60),
    }
    refusal = render(request, "accounts/locked_out.html", context, status=429)
    request._caseview_locked_out_response = refusal  # type: ignore[attr-defined]
    return refusal


@public_view
@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        audit.record(
            event=Event.SIGNED_OUT,
            actor=request.user,
            origin=Origin.from_request(request),
            summary="Signed out",
        )
    logout(request)
    messages.info(request, "You have signed out")
    return redirect("accounts:sign-in")


def _qr_svg(device: TOTPDevice, username: str) -> str:
    qr = segno.make(device.config_url, error="m")
    return qr.svg_inline(
        scale=5, omitsize=True, title=f"QR code to add caseview for {username} to your authenticator app"
    )


@signed_in_view
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    if not user.is_verified() and services.has_confirmed_totp(user):
        # Replacing an authenticator needs the old one first, or a password alone would be enough to swap it.
        return redirect(f"{reverse('accounts:two-factor-verify')}?{urlencode({'next': _next_url(request)})}")
    device_id = request.session.get("totp_setup_device")
    device = TOTPDevice.objects.filter(pk=device_id, user=user, confirmed=False).first() if device_id else None
    if device is None or request.method == "GET":
        device = services.totp_start_enrolment(user=user)
        request.session["totp_setup_device"] = device.pk
    form = SetupCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.totp_confirm_enrolment(
                user=user,
                device=device,
                token=form.cleaned_data["token"],
                origin=Origin.from_request(request),
            )
        except ValidationError as exc:
            form.add_error("token", exc.message_dict.get("token", exc.messages))
        else:
            del request.session["totp_setup_device"]
            otp_login(request, device)
            request.session["backup_codes"] = codes
            return redirect(f"{reverse('accounts:backup-codes')}?{urlencode({'next': _next_url(request)})}")
    context = {
        "form": form,
        "qr": mark_safe(_qr_svg(device, user.get_username())),  # noqa: S308 - segno's own SVG markup
        "secret": " ".join(_base32(device.bin_key)[i : i + 4] for i in range(0, 32, 4)),
        "next": _next_url(request),
        "page_title": "Set up your authenticator app",
        "nav_section": "account",
    }
    return render(request, "accounts/two_factor_setup.html", context)


def _base32(key: bytes) -> str:
    return base64.b32encode(key).decode().rstrip("=")


@signed_in_view
@require_http_methods(["GET", "POST"])
def backup_codes(request: AuthenticatedRequest) -> HttpResponse:
    if request.method == "POST":
        if not request.user.is_verified():
            return redirect("accounts:two-factor-verify")
        request.session["backup_codes"] = services.backup_codes_regenerate(
            user=request.user,
            origin=Origin.from_request(request),
        )
        return redirect("accounts:backup-codes")
    codes = request.session.pop("backup_codes", None)
    if not codes:
        return redirect("accounts:account")
    context = {
        "codes": codes,
        "next": _next_url(request),
        "page_title": "Your backup codes",
        "nav_section": "account",
    }
    return render(request, "accounts/backup_codes.html", context)


@signed_in_view
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: AuthenticatedRequest) -> HttpResponse:
    if request.user.is_verified():
        return redirect(_next_url(request))
    if not services.has_confirmed_totp(request.user):
        return redirect(f"{reverse('accounts:two-factor-setup')}?{urlencode({'next': _next_url(request)})}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = services.second_factor_verify(
            user=request.user,
            token=form.cleaned_data["token"],
            origin=Origin.from_request(request),
        )
        if device is None:
            form.add_error("token", "The code is not right. Check your app and try again, or use a backup code")
        else:
            otp_login(request, device)
            return HttpResponseRedirect(_next_url(request))
    context = {"form": form, "next": _next_url(request), "page_title": "Enter your security code"}
    return render(request, "accounts/two_factor_verify.html", context)


@signed_in_view
def account(request: AuthenticatedRequest) -> HttpResponse:
    context = {
        "page_title": "Your account",
        "nav_section": "account",
        "has_totp": services.has_confirmed_totp(request.user),
        "needs_2fa": services.needs_second_factor(request.user),
    }
    return render(request, "accounts/account.html", context)


@public_view
@require_http_methods(["GET", "POST"])
def set_password(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """Choose a password from a one-time link a partnership administrator gave you."""
    person = services.user_for_password_setup(uidb64=uidb64, token=token)
    if person is None:
        return render(
            request, "accounts/set_password_expired.html", {"page_title": "This link has expired"}, status=404
        )
    form = SetPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_set(
                user=person, password=form.cleaned_data["password"], origin=Origin.from_request(request)
            )
        except ValidationError as exc:
            form.add_error("password", exc.messages)
        else:
            messages.success(request, "Your password is set. Sign in with it now.")
            return redirect("accounts:sign-in")
    context = {"form": form, "person": person, "page_title": "Choose your password"}
    return render(request, "accounts/set_password.html", context)
