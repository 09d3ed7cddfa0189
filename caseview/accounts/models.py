from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """A person who signs in. Their roles live on each review's memberships, not here."""

    full_name = models.CharField(max_length=150, blank=True)
    # The partnership whose administrator made the account, so they can look after it before it has a role.
    home_partnership = models.ForeignKey(
        "reviews.Partnership", null=True, blank=True, on_delete=models.SET_NULL, related_name="home_accounts"
    )

    if TYPE_CHECKING:
        # Set on each request's user by django_otp.middleware.OTPMiddleware.
        def is_verified(self) -> bool: ...

    class Meta:
        ordering = ["username"]

    def __str__(self) -> str:
        return self.full_name or self.username
