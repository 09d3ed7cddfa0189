"""The review's pseudonym registry and its publication checks.

People come into the registry by themselves (participants by their label, members of the review by their
position); places, organisations and rare details are added by hand. The real text is encrypted; only the
replacement is stored in clear, because that is what every output shows.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from caseview.core.fields import EncryptedTextField
from caseview.core.models import Record


class EntryKind(models.TextChoices):
    PERSON = "person", "Person"
    PLACE = "place", "Place"
    ORGANISATION = "organisation", "Organisation"
    RARE_DETAIL = "rare_detail", "Rare detail"


class EntrySource(models.TextChoices):
    PARTICIPANT = "participant", "From the participants"
    MEMBER = "member", "From the review's members"
    MANUAL = "manual", "Added by hand"


class RegistryEntry(Record):
    """Something added by hand: a place, an organisation, a rare detail, or another name for a person."""

    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, related_name="registry_entries")
    kind = models.CharField(max_length=20, choices=EntryKind.choices)
    real_text = EncryptedTextField()
    # Other ways the same thing is written, one a line: "Fernside Primary", "Fernside".
    variants = EncryptedTextField(blank=True)
    replacement = models.CharField(
        max_length=200, help_text='What outputs say instead, like "the family home" or "the primary school"'
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["kind", "replacement"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.replacement}"

    @property
    def variant_list(self) -> list[str]:
        return [line.strip() for line in self.variants.splitlines() if line.strip()]


class PublicationCheck(Record):
    """One run of the publication check over a document, and what it found."""

    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, related_name="publication_checks")
    source = models.CharField(max_length=255, help_text="The file name, or what was checked")
    file_type = models.CharField(max_length=10)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    checked_at = models.DateTimeField()
    # The hits as JSON. They quote what could identify someone, so they are encrypted like the registry.
    hits_json = EncryptedTextField(blank=True)
    hit_count = models.PositiveIntegerField(default=0)
    passed = models.BooleanField(help_text="Nothing found that is not overridden")

    class Meta:
        ordering = ["-checked_at"]

    def __str__(self) -> str:
        return f"{self.source} ({self.checked_at:%Y-%m-%d %H:%M})"


class HitOverride(Record):
    """A lead reviewer's decision that a found text may be published, with the reason.

    It applies to the same kind and text in every later check of the review.
    """

    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, related_name="publication_overrides")
    kind = models.CharField(max_length=30)
    # The found text, normalised (see check.normalise); encrypted, so matched in Python, not in SQL.
    text = EncryptedTextField()
    reason = models.TextField()
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    overridden_at = models.DateTimeField()
    publication_check = models.ForeignKey(
        PublicationCheck, null=True, blank=True, on_delete=models.SET_NULL, related_name="overrides"
    )

    class Meta:
        ordering = ["overridden_at"]

    def __str__(self) -> str:
        return f"Override of a {self.kind} hit"
