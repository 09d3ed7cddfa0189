"""The audit trail: a stable, numbered list of events and the one function that writes them.

Numbers are stored in the database and exported, so they never change meaning: add new ones, never renumber.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import models
from django.http import HttpRequest
from django.utils import timezone

from caseview.core.models import AuditEvent

if TYPE_CHECKING:
    from caseview.accounts.models import User
    from caseview.reviews.models import Partnership, Review


class Event(models.IntegerChoices):
    SIGNED_IN = 1, "Signed in"
    SIGN_IN_FAILED = 2, "Sign-in failed"
    SIGNED_OUT = 3, "Signed out"
    LOCKED_OUT = 4, "Locked out after repeated failures"
    SECOND_FACTOR_ENROLLED = 5, "Second factor set up"
    SECOND_FACTOR_VERIFIED = 6, "Second factor verified"
    SECOND_FACTOR_FAILED = 7, "Second factor failed"
    BACKUP_CODE_USED = 8, "Backup code used"
    BACKUP_CODES_REGENERATED = 9, "Backup codes replaced"
    SECOND_FACTOR_RESET = 10, "Second factor reset by an administrator"
    USER_CREATED = 20, "Account created"
    PASSWORD_CHANGED = 21, "Password changed"
    PARTNERSHIP_CREATED = 30, "Partnership created"
    PARTNERSHIP_ADMIN_ADDED = 31, "Partnership administrator added"
    AGENCY_CREATED = 32, "Agency added"
    PARTNERSHIP_LEAD_REVIEWER_ADDED = 33, "Lead reviewer commissioned by the partnership"
    REVIEW_CREATED = 40, "Review created"
    REVIEW_UPDATED = 41, "Review details changed"
    REVIEW_STAGE_CHANGED = 42, "Review moved to a new stage"
    REVIEW_QUESTION_ADDED = 43, "Review question added"
    REVIEW_QUESTION_CHANGED = 44, "Review question changed"
    REVIEW_QUESTION_REMOVED = 45, "Review question removed"
    MEMBER_ADDED = 50, "Role given"
    MEMBER_ROLE_CHANGED = 51, "Role changed"
    MEMBER_REMOVED = 52, "Role removed"
    RETURN_REQUESTED = 60, "Agency return requested"
    RETURN_UPLOADED = 61, "Agency return file uploaded"
    RETURN_IMPORTED = 62, "Agency return imported"
    RETURN_RELEASED = 63, "Agency return released into the review"
    RETURN_ENTRY_ADDED = 64, "Entry added to an agency return"
    ENTRY_CHANGED = 65, "Chronology entry changed"
    ENTRY_COMMENTED = 66, "Comment on a chronology entry"
    LINK_CONFIRMED = 67, "Entries confirmed as the same event"
    LINK_REJECTED = 68, "Entries marked as different events"
    CHRONOLOGY_EXPORTED = 69, "Chronology exported"
    COLUMNS_MAPPED = 70, "Columns matched for an agency's files"
    UPLOAD_DISCARDED = 71, "Uploaded file discarded"
    PARTICIPANT_ADDED = 100, "Participant added"
    PARTICIPANT_CHANGED = 101, "Participant's details changed"
    PARTICIPANT_REMOVED = 102, "Participant removed"
    IDENTITY_VIEWED = 103, "Real identity of a participant viewed"
    CONSENT_RECORDED = 104, "Consent recorded"
    CONSENT_WITHDRAWN = 105, "Consent withdrawn"
    LETTER_TEMPLATE_CHANGED = 110, "Letter wording changed for the partnership"
    LETTER_PREPARED = 111, "Letter prepared for a participant"
    LETTER_DOWNLOADED = 112, "Letter downloaded"
    LETTER_SENT = 113, "Letter recorded as sent"
    CONVERSATION_SCHEDULED = 120, "Conversation arranged"
    CONVERSATION_CHANGED = 121, "Conversation arrangements changed"
    RECORD_VIEWED = 122, "Conversation record read"
    RECORD_CHANGED = 123, "Conversation record changed"
    PERSPECTIVE_ADDED = 124, "Turning point added to a record"
    PERSPECTIVE_CHANGED = 125, "Turning point changed"
    PERSPECTIVE_REMOVED = 126, "Turning point removed"
    RECORD_SHARED = 127, "Record shared with the participant to check"
    RECORD_COMMENTED = 128, "Comment on a conversation record"
    RECORD_CORRECTED = 129, "Participant corrected their record"
    RECORD_AGREED = 130, "Participant agreed their record"
    RECORD_REOPENED = 131, "Agreed record reopened as a new version"
    RECORD_EXPORTED = 132, "Conversation records or perspectives exported"
    FILE_ATTACHED = 135, "File attached to a conversation"
    FILE_OPENED = 136, "Conversation file opened"
    FILE_PURGED = 137, "Conversation file deleted at the end of its retention"
    FILE_RETENTION_CHANGED = 138, "Date to delete a conversation file changed"
    MEETING_ARRANGED = 140, "Meeting arranged"
    MEETING_CHANGED = 141, "Meeting details changed"
    MEETING_INVITATIONS_CHANGED = 142, "Meeting invitations changed"
    MEETING_ATTENDANCE_RECORDED = 143, "Meeting attendance recorded"
    FRAMEWORK_ITEM_ADDED = 150, "Contributory factor added to a partnership's framework"
    FRAMEWORK_ITEM_REMOVED = 151, "Contributory factor removed from a partnership's framework"
    EPISODE_CREATED = 152, "Key practice episode created"
    EPISODE_CHANGED = 153, "Key practice episode changed"
    EPISODE_EVIDENCE_CHANGED = 154, "Entries or turning points linked to an episode changed"
    EPISODE_APPRAISED = 155, "Appraisal of an episode changed"
    APPRAISAL_REFERENCE_ADDED = 156, "Reference added to an appraisal"
    APPRAISAL_REFERENCE_REMOVED = 157, "Reference removed from an appraisal"
    FACTOR_ADDED = 158, "Contributory factor added to an episode"
    FACTOR_CHANGED = 159, "Contributory factor changed"
    FACTOR_REMOVED = 160, "Contributory factor removed from an episode"
    OPEN_QUESTION_ADDED = 161, "Open question added to an episode"
    OPEN_QUESTION_REMOVED = 162, "Open question removed from an episode"
    EPISODE_COMPLETED = 163, "Episode marked complete"
    EPISODE_REOPENED = 164, "Episode reopened"
    EPISODE_SHARING_CHANGED = 165, "Episode shared with the case group, or sharing stopped"
    EPISODE_REMOVED = 166, "Key practice episode removed"
    KPE_TABLE_EXPORTED = 167, "Key practice episode table exported"
    TURNING_POINTS_READ = 168, "Turning points read in the analysis"
    OUTCOME_RECORDED = 169, "Outcome recorded"
    OUTCOME_SHOWN = 170, "Outcome shown on an appraisal screen"
    INDEPENDENT_APPRAISAL_SAVED = 240, "Independent appraisal of an episode saved as a draft"
    INDEPENDENT_CODE_ADDED = 241, "Factor code added to an independent appraisal"
    INDEPENDENT_CODE_REMOVED = 242, "Factor code removed from an independent appraisal"
    INDEPENDENT_APPRAISAL_SUBMITTED = 243, "Independent appraisal submitted and locked"
    INDEPENDENT_APPRAISALS_COMPARED = 244, "Other reviewers' independent appraisals read, to compare"
    AGREEMENT_STATISTICS_VIEWED = 245, "Agreement between reviewers viewed"
    NARRATIVE_SECTION_ADDED = 200, "Narrative section added"
    NARRATIVE_SECTION_CHANGED = 201, "Narrative section changed"
    NARRATIVE_SECTION_REMOVED = 202, "Narrative section removed"
    NARRATIVE_MARK_ADDED = 203, "Mark added to the narrative"
    NARRATIVE_MARK_REMOVED = 204, "Mark removed from the narrative"
    NARRATIVE_SHARING_CHANGED = 205, "Narrative shared with the case group, or sharing stopped"
    NARRATIVE_COMMENTED = 206, "Case group comment on the narrative"
    NARRATIVE_COMMENT_ANSWERED = 207, "Response to a case group comment on the narrative"
    NARRATIVE_EXPORTED = 208, "Narrative exported"
    COMMUNICATION_RECORDED = 220, "Communication recorded on a chronology entry"
    COMMUNICATION_CHANGED = 221, "Communication changed"
    COMMUNICATION_REMOVED = 222, "Communication removed"
    INFORMATION_FLOW_EXPORTED = 223, "Information flow exported"
    FINDING_CREATED = 300, "Finding created"
    FINDING_CHANGED = 301, "Finding changed"
    BOARD_QUESTION_ADDED = 302, "Question for the board added"
    BOARD_QUESTION_CHANGED = 303, "Question for the board changed"
    BOARD_QUESTION_REMOVED = 304, "Question for the board removed"
    FINDINGS_RANKED = 305, "Findings ranked"
    FINDINGS_EXPORTED = 306, "Findings exported"
    PARALLEL_PROCESS_ADDED = 320, "Parallel process recorded"
    PARALLEL_PROCESS_CHANGED = 321, "Parallel process changed"
    PARALLEL_PROCESS_REMOVED = 322, "Parallel process removed"
    NO_PARALLEL_PROCESSES_CONFIRMED = 323, "Confirmed that no parallel process runs alongside the review"
    FAMILY_DECISION_RECORDED = 324, "Decision about involving the family recorded"
    FAMILY_DECISION_CHANGED = 325, "Decision about involving the family changed"
    GATE_OVERRIDDEN = 326, "Quality gate overridden"
    GATE_OVERRIDE_WITHDRAWN = 327, "Quality gate override withdrawn"
    QUALITY_MARKER_ASSESSED = 328, "Quality marker self-assessed"
    BOARD_RESPONSE_RECORDED = 340, "Board response to a finding recorded"
    BOARD_RESPONSE_CHANGED = 341, "Board response to a finding changed"
    ACTION_ADDED = 342, "Action added to the action plan"
    ACTION_CHANGED = 343, "Action in the action plan changed"
    ACTION_PROGRESS_REVIEWED = 344, "Progress on an action reviewed"
    ACTION_PLAN_EXPORTED = 345, "Action plan exported"
    REGISTRY_ENTRY_ADDED = 400, "Place, organisation or rare detail added to the pseudonym registry"
    REGISTRY_ENTRY_CHANGED = 401, "Pseudonym registry entry changed"
    REGISTRY_ENTRY_REMOVED = 402, "Pseudonym registry entry removed"
    REGISTRY_IDENTITIES_VIEWED = 403, "Real names and places in the pseudonym registry viewed"
    PUBLICATION_CHECKED = 404, "Publication check run on a document"
    PUBLICATION_CHECK_VIEWED = 405, "Publication check results read"
    PUBLICATION_HIT_OVERRIDDEN = 406, "Publication check finding overridden by a lead reviewer"
    REPORT_NARRATIVE_CHANGED = 420, "Narrative part of the report changed"
    REPORT_BUILT = 421, "Report version built"
    REPORT_SHARED = 422, "Report draft shared for comment, or sharing stopped"
    REPORT_COMMENTED = 423, "Comment on a shared report draft"
    REPORT_SIGNED_OFF = 424, "Report version signed off"
    REPORT_FINALISED = 425, "Report version final and locked"
    REPORT_DOWNLOADED = 426, "Report version downloaded"
    REVIEW_EXPORTED = 427, "Review exported as JSON"
    REPORT_PUBLISHED = 428, "Public report published"
    REPORT_SENT_TO_PANEL = 429, "Public report sent to the Panel and the Secretary of State"
    REPORT_IN_REPOSITORY = 430, "Published report sent to the national case review repository"
    REPORT_NOT_PUBLISHED = 431, "Decision not to publish the report; improvements published instead"
    AUDIT_VIEWED = 90, "Audit trail viewed"
    AUDIT_EXPORTED = 91, "Audit trail exported"
    DEMO_LOADED = 99, "Demo data loaded"


@dataclass(frozen=True)
class Origin:
    """Where an action came from: the web (with an address) or a command line."""

    ip_address: str | None = None
    user_agent: str = ""

    @classmethod
    def from_request(cls, request: HttpRequest) -> Origin:
        return cls(ip_address=client_ip(request), user_agent=request.headers.get("user-agent", "")[:300])


CLI = Origin(user_agent="caseview command line")


def client_ip(request: HttpRequest) -> str | None:
    from django.conf import settings

    proxies: int = getattr(settings, "AXES_IPWARE_PROXY_COUNT", 0)
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None


def record(
    *,
    event: Event,
    actor: User | None,
    origin: Origin,
    summary: str,
    review: Review | None = None,
    partnership: Partnership | None = None,
    obj: models.Model | None = None,
    detail: dict[str, Any] | None = None,
    actor_username: str = "",
) -> AuditEvent:
    """Write one audit event. Callers that change data call this inside their own atomic block."""
    if review is not None and partnership is None:
        partnership = review.partnership
    return AuditEvent.objects.create(
        occurred_at=timezone.now(),
        event=event,
        actor=actor if actor is not None and actor.pk else None,
        actor_username=actor.get_username() if actor is not None and actor.pk else actor_username,
        partnership=partnership,
        review=review,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        summary=summary[:500],
        detail=detail or {},
        ip_address=origin.ip_address,
        user_agent=origin.user_agent,
    )
