"""The review's report (method §3.8) and what keeps it anonymous.

The report: the reviewers' narrative parts, and the versions built from them and the data for each audience, with
what the case group and family said about a shared draft, and who signed a version off.

The pseudonym registry: people come into it by themselves (participants by their label, members of the review by
their position); places, organisations and rare details are added by hand. The real text is encrypted; only the
replacement is stored in clear, because that is what every output shows. And the publication checks run against it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from caseview.core.fields import EncryptedBinaryField, EncryptedTextField
from caseview.core.models import Record


class ReportAudience(models.TextChoices):
    TEAM = "team", "Review team (real identities)"
    BOARD = "board", "Board (pseudonymised, the whole analysis)"
    PUBLIC = "public", "Public (pseudonymised, minimal family detail)"


class NarrativePart(models.TextChoices):
    """The parts of the report that reviewers write; everything else comes from the data."""

    WHY_THIS_CASE = "why_this_case", "Why this case was chosen"
    SUMMARY = "summary", "A brief summary of the case"
    APPROACH = "approach", "The systems approach and how the review used it"
    TEAM_INDEPENDENCE = "team_independence", "The review team: expertise and independence"
    FAMILY_INVOLVEMENT = "family_involvement", "How the family took part"
    LIMITATIONS = "limitations", "Methodological comments and limitations"
    OVERVIEW = "overview", "Overview: an appraisal of practice in the case"
    WINDOW = "window", "How the case is a window on the local system"


class ReportNarrative(Record):
    """One narrative part of one review's report. Saved over in place; every change is in the audit trail."""

    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, related_name="report_narratives")
    part = models.CharField(max_length=30, choices=NarrativePart.choices)
    text = EncryptedTextField(blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["review", "part"]
        constraints = [models.UniqueConstraint(fields=["review", "part"], name="one_narrative_per_part")]

    def __str__(self) -> str:
        return self.get_part_display()


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SHARED = "shared", "Shared for comment"
    FINAL = "final", "Signed off and final"


class ReportVersion(Record):
    """One build of the report for one audience: the assembled text (for reading and for what changed) and the
    three files, all encrypted, since a team version names real people. A final version never changes."""

    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, related_name="report_versions")
    audience = models.CharField(max_length=10, choices=ReportAudience.choices)
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    document = EncryptedTextField(help_text="The assembled document as JSON")
    html = EncryptedBinaryField()
    docx = EncryptedBinaryField()
    pdf = EncryptedBinaryField()
    shared_with_case_group = models.BooleanField(default=False)
    shared_with_family = models.BooleanField(default=False)
    shared_at = models.DateTimeField(null=True, blank=True)
    finalised_at = models.DateTimeField(null=True, blank=True)
    # A public version is checked for anything that could identify someone as it is built.
    publication_check = models.ForeignKey(
        "reports.PublicationCheck", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Working Together: the final report goes to the Child Safeguarding Practice Review Panel and the Secretary of
    # State at least seven working days before it is published; once published, to the NSPCC's national repository.
    sent_to_panel_on = models.DateField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    publication_url = models.URLField(max_length=500, blank=True)
    repository_submitted_on = models.DateField(null=True, blank=True)
    # Or the partners decide it would be inappropriate to publish it, and publish the improvements instead.
    not_published_on = models.DateField(null=True, blank=True)
    not_published_reason = EncryptedTextField(blank=True)
    improvements_published_url = models.URLField(max_length=500, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["review", "audience", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["review", "audience", "number"], name="report_version_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_audience_label()} version {self.number}"

    def get_audience_label(self) -> str:
        return {"team": "Team", "board": "Board", "public": "Public"}[self.audience]

    @property
    def is_final(self) -> bool:
        return self.status == VersionStatus.FINAL


class ReportComment(models.Model):
    """A comment on the factual accuracy of a shared draft, on one section, from the case group or the family."""

    id = models.BigAutoField(primary_key=True)
    version = models.ForeignKey(ReportVersion, on_delete=models.CASCADE, related_name="comments")
    section_key = models.SlugField(max_length=60)
    section_title = models.CharField(max_length=200)
    text = EncryptedTextField()
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    made_at = models.DateTimeField()

    class Meta:
        ordering = ["made_at", "id"]

    def __str__(self) -> str:
        return f"Comment on {self.section_title}"


class SignOff(models.Model):
    """A lead reviewer's or a board member's sign-off of one version: who, in which role, and when."""

    class As(models.TextChoices):
        LEAD_REVIEWER = "lead_reviewer", "Lead reviewer"
        BOARD = "board", "Board member"

    id = models.BigAutoField(primary_key=True)
    version = models.ForeignKey(ReportVersion, on_delete=models.CASCADE, related_name="sign_offs")
    signed_as = models.CharField(max_length=20, choices=As.choices)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField()

    class Meta:
        ordering = ["signed_at", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "signed_by"], name="one_sign_off_per_person")]

    def __str__(self) -> str:
        return f"{self.get_signed_as_display()} sign-off"


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
