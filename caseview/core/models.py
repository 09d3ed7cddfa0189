"""The pieces every app stands on: record base classes and the audit trail."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class Record(models.Model):
    """A piece of case data: a UUID, when it was made and changed, and a version for stale-edit checks."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """One thing somebody did or read, kept for as long as the installation lives.

    Written only by `caseview.core.audit.record`, inside the same transaction as the change it describes.
    """

    id = models.BigAutoField(primary_key=True)
    occurred_at = models.DateTimeField(db_index=True)
    event = models.PositiveSmallIntegerField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The username at the time, so the trail still reads true if an account is renamed or removed.
    actor_username = models.CharField(max_length=150, blank=True)
    partnership = models.ForeignKey(
        "reviews.Partnership", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review = models.ForeignKey("reviews.Review", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    summary = models.CharField(max_length=500)
    detail = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["review", "-occurred_at"])]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_username or 'system'}: {self.summary}"

    @property
    def event_label(self) -> str:
        from caseview.core.audit import Event

        try:
            return Event(self.event).label
        except ValueError:
            return f"Event {self.event}"
