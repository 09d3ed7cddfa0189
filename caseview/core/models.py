"""The pieces every app stands on: record base classes and the audit trail."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models


class StaleEdit(ValidationError):
    """Somebody else saved this record since the form was opened: refused, so that no change is lost."""


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


class Job(models.Model):
    """A long piece of work (an import, a report build) run by a background worker, with its progress.

    Started with `caseview.core.jobs.job_start`; the person who started it watches `/jobs/<id>/`.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Finished"
        FAILED = "failed", "Failed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=60)
    description = models.CharField(max_length=200)
    function = models.CharField(max_length=200, help_text="Dotted path of the function that does the work")
    arguments = models.JSONField(default=dict)
    review = models.ForeignKey("reviews.Review", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=300, blank=True)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    next_url = models.CharField(max_length=300, blank=True, help_text="Where to go when it has finished")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.description} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        if self.status == self.Status.SUCCEEDED:
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.SUCCEEDED, self.Status.FAILED}
