"""Agency returns and the multi-agency chronology built from them."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from caseview.chronology.dates import DAY, MONTH, YEAR
from caseview.core.fields import EncryptedBinaryField
from caseview.core.models import Record


class Precision(models.TextChoices):
    DAY = DAY, "Day"
    MONTH = MONTH, "Month"
    YEAR = YEAR, "Year"


# How a date of each precision sorts against the others on the same first day: June 2019 before 1 June 2019.
PRECISION_ORDER = {YEAR: 0, MONTH: 1, DAY: 2}

# The chronology's order: date, then precision, then time (an entry without one first, on every database:
# PostgreSQL would put it last), then its place in its return.
CHRONOLOGICAL = ("date_start", "precision_rank", models.F("time").asc(nulls_first=True), "sequence", "id")


class AgencyReturn(Record):
    """One agency's account of its contact with the family, for one review.

    It stays with the agency and the lead reviewers until the agency releases it into the review.
    """

    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        DRAFT = "draft", "Draft: not yet released"
        RELEASED = "released", "Released into the review"

    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, related_name="agency_returns")
    agency = models.ForeignKey("reviews.Agency", on_delete=models.PROTECT, related_name="returns")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.REQUESTED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_date = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True, help_text="What the lead reviewer asked for")
    source_filename = models.CharField(max_length=255, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["agency__name"]
        constraints = [models.UniqueConstraint(fields=["review", "agency"], name="one_return_per_agency")]

    def __str__(self) -> str:
        return f"{self.agency} return for {self.review.reference}"

    @property
    def is_released(self) -> bool:
        return self.status == self.Status.RELEASED


class ColumnMapping(models.Model):
    """Which column of an agency's files holds which field, saved once and reused for its next return."""

    agency = models.OneToOneField("reviews.Agency", on_delete=models.CASCADE, related_name="column_mapping")
    # field name -> the header text as the agency writes it, e.g. {"date": "Occurrence date"}
    columns = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"Columns for {self.agency}"


class ChronologyEntry(Record):
    """One event as one agency recorded it, with its date as precise as the record allows."""

    # No index of their own: the composite indexes below start with these, and every index slows an import.
    review = models.ForeignKey(
        "reviews.Review", on_delete=models.CASCADE, related_name="chronology_entries", db_index=False
    )
    agency_return = models.ForeignKey(AgencyReturn, on_delete=models.CASCADE, related_name="entries", db_index=False)
    # Stamped from the return on import, so that nobody types the agency on every row; the entry joins the
    # review's chronology when its return is released. No index: entries are read by review or by return
    # (whose agency it is), never by agency alone; only deleting an agency would look, and that is refused
    # (PROTECT) while it has returns anyway. An index would cost every import about 7% more writing.
    agency = models.ForeignKey("reviews.Agency", on_delete=models.PROTECT, related_name="+", db_index=False)
    date_start = models.DateField()
    date_precision = models.CharField(max_length=5, choices=Precision.choices, default=Precision.DAY)
    date_uncertain = models.BooleanField(default=False)
    date_end = models.DateField(null=True, blank=True)
    date_end_precision = models.CharField(max_length=5, choices=Precision.choices, blank=True)
    time = models.TimeField(null=True, blank=True)
    # Sorts a month before its first day and a year before its first month (PRECISION_ORDER).
    precision_rank = models.PositiveSmallIntegerField(default=PRECISION_ORDER[DAY])
    sequence = models.PositiveIntegerField(help_text="Order within the return: the row it came from")
    row_number = models.PositiveIntegerField(null=True, blank=True)
    description = models.TextField()
    source = models.CharField(max_length=500)
    people = models.CharField(max_length=500, blank=True, help_text="Who the entry is about or involves")
    significant = models.BooleanField(default=False)
    original_date_text = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = CHRONOLOGICAL
        verbose_name_plural = "chronology entries"
        indexes = [
            models.Index(fields=["review", "date_start", "precision_rank", "time", "sequence"]),
            models.Index(fields=["agency_return", "sequence"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(date_end__isnull=True) | models.Q(date_end__gte=models.F("date_start")),
                name="entry_range_in_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.date_start} {self.description[:40]}"


class EntryComment(models.Model):
    entry = models.ForeignKey(ChronologyEntry, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:40]


class EntryLink(models.Model):
    """Two entries that may record the same event. Offered as a candidate; a reviewer confirms or rejects it.

    Nothing is merged: a confirmed link shows the two accounts side by side, agreeing or conflicting.
    """

    class Status(models.TextChoices):
        CANDIDATE = "candidate", "Candidate"
        CONFIRMED = "confirmed", "Confirmed"
        REJECTED = "rejected", "Not the same event"

    class Relation(models.TextChoices):
        CORROBORATING = "corroborating", "The accounts agree"
        CONFLICTING = "conflicting", "The accounts conflict"

    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, related_name="entry_links")
    first = models.ForeignKey(ChronologyEntry, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(ChronologyEntry, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CANDIDATE)
    relation = models.CharField(max_length=15, choices=Relation.choices, blank=True)
    note = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-score"]
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="one_link_per_pair"),
            models.CheckConstraint(condition=~models.Q(first=models.F("second")), name="link_two_entries"),
        ]

    def __str__(self) -> str:
        return f"{self.first_id} ~ {self.second_id} ({self.status})"


class ReturnUpload(models.Model):
    """A file an agency uploaded for its return, kept (encrypted) until it is imported or discarded.

    Validation fills in what was found; nothing reaches the chronology until someone commits a valid upload.
    """

    class Status(models.TextChoices):
        RECEIVED = "received", "Being checked"
        NEEDS_MAPPING = "needs_mapping", "Columns need matching"
        INVALID = "invalid", "Has problems"
        VALID = "valid", "Ready to import"
        IMPORTED = "imported", "Imported"
        DISCARDED = "discarded", "Discarded"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    agency_return = models.ForeignKey(AgencyReturn, on_delete=models.CASCADE, related_name="uploads")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    filename = models.CharField(max_length=255)
    size = models.PositiveIntegerField()
    content = EncryptedBinaryField()
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.RECEIVED)
    mapping = models.JSONField(default=dict, blank=True)
    headers = models.JSONField(default=list, blank=True)
    missing_fields = models.JSONField(default=list, blank=True)
    errors = models.JSONField(default=list, blank=True)
    preview = models.JSONField(default=list, blank=True)
    # The first few values under each header, so that whoever matches the columns sees what each one holds.
    samples = models.JSONField(default=dict, blank=True)
    row_count = models.PositiveIntegerField(default=0)
    file_kind = models.CharField(max_length=10, blank=True)
    encoding = models.CharField(max_length=30, blank=True)

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"
