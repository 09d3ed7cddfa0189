"""Accounts: creating people, and their second factor (TOTP with backup codes)."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from caseview.accounts.models import User
from caseview.core import audit
from caseview.core.audit import Event, Origin

if TYPE_CHECKING:
    from caseview.reviews.models import Partnership

BACKUP_CODE_COUNT = 10


def user_create(
    *,
    username: str,
    email: str,
    password: str | None,
    by: User | None,
    origin: Origin,
    full_name: str = "",
    is_admin: bool = False,
    check_password: bool = True,
    partnership: Partnership | None = None,
) -> User:
    """Create an account. An installation administrator (`is_admin`) may create partnerships and see all."""
    username = username.strip()
    if not username:
        raise ValidationError({"username": "Enter a username"})
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": f"There is already an account called {username}"})
    user = User(
        username=username,
        email=email.strip(),
        full_name=full_name.strip(),
        is_staff=is_admin,
        is_superuser=is_admin,
        home_partnership=partnership,
    )
    if password:
        if check_password:
            validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    with transaction.atomic():
        user.save()
        audit.record(
            event=Event.USER_CREATED,
            actor=by,
            origin=origin,
            obj=user,
            partnership=partnership,
            summary=f"Created the account {user.username}" + (" (installation administrator)" if is_admin else ""),
        )
    return user


def needs_second_factor(user: User) -> bool:
    """Whether this person sees case data, so must prove a second factor when 2FA is required."""
    from caseview.reviews.rules import ROLES_SEEING_CASE_DATA

    if not settings.REQUIRE_2FA or not user.is_authenticated:
        return False
    return (
        user.is_superuser
        or user.administered_partnerships.exists()
        or user.memberships.filter(role__in=ROLES_SEEING_CASE_DATA).exists()
    )


def has_confirmed_totp(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def totp_start_enrolment(*, user: User) -> TOTPDevice:
    """An unconfirmed authenticator for this person; replaced if they start again."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def totp_confirm_enrolment(*, user: User, device: TOTPDevice, token: str, origin: Origin) -> list[str]:
    """Confirm the authenticator with a code from it; returns the backup codes, shown once."""
    if device.user_id != user.pk or device.confirmed:
        raise ValidationError({"token": "Start setting up your authenticator app again"})
    if not device.verify_token(token.replace(" ", "")):
        raise ValidationError({"token": "The code is not right: enter the 6-digit code your app shows now"})
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _replace_backup_codes(user)
        audit.record(
            event=Event.SECOND_FACTOR_ENROLLED,
            actor=user,
            origin=origin,
            obj=user,
            summary="Set up an authenticator app and received backup codes",
        )
    return codes


def backup_codes_regenerate(*, user: User, origin: Origin) -> list[str]:
    with transaction.atomic():
        codes = _replace_backup_codes(user)
        audit.record(
            event=Event.BACKUP_CODES_REGENERATED,
            actor=user,
            origin=origin,
            obj=user,
            summary="Replaced backup codes; the old ones no longer work",
        )
    return codes


def _replace_backup_codes(user: User) -> list[str]:
    device, _ = StaticDevice.objects.get_or_create(user=user, name="Backup codes", defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [f"{secrets.randbelow(10**8):08d}" for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def second_factor_verify(*, user: User, token: str, origin: Origin) -> TOTPDevice | StaticDevice | None:
    """The device that accepts this code (an authenticator code or an unused backup code), or None."""
    token = token.replace(" ", "").replace("-", "")
    for totp in TOTPDevice.objects.filter(user=user, confirmed=True):
        if totp.verify_token(token):
            audit.record(
                event=Event.SECOND_FACTOR_VERIFIED,
                actor=user,
                origin=origin,
                summary="Entered an authenticator code",
            )
            return totp
    for static in StaticDevice.objects.filter(user=user, confirmed=True):
        if static.verify_token(token):
            remaining = static.token_set.count()
            audit.record(
                event=Event.BACKUP_CODE_USED,
                actor=user,
                origin=origin,
                summary=f"Used a backup code ({remaining} left)",
            )
            return static
    audit.record(event=Event.SECOND_FACTOR_FAILED, actor=user, origin=origin, summary="Entered a wrong code")
    return None


def password_setup_token(*, user: User) -> tuple[str, str]:
    """A one-time link's parts for this person to choose a password; it stops working once the password changes."""
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    return urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)


def user_for_password_setup(*, uidb64: str, token: str) -> User | None:
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.http import urlsafe_base64_decode

    try:
        user = User.objects.get(pk=urlsafe_base64_decode(uidb64).decode(), is_active=True)
    except (User.DoesNotExist, ValueError, TypeError, OverflowError):
        return None
    return user if default_token_generator.check_token(user, token) else None


def password_set(*, user: User, password: str, origin: Origin) -> None:
    validate_password(password, user)
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        audit.record(event=Event.PASSWORD_CHANGED, actor=user, origin=origin, obj=user, summary="Chose a new password")


def second_factor_reset(*, user: User, by: User, origin: Origin, partnership: Partnership | None = None) -> None:
    """Remove someone's authenticator and backup codes, so they set up a new one at their next sign-in."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        audit.record(
            event=Event.SECOND_FACTOR_RESET,
            actor=by,
            origin=origin,
            obj=user,
            partnership=partnership,
            summary=f"Reset {user.username}'s second factor; they set up a new one at their next sign-in",
        )
