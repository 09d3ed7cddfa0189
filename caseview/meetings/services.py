"""Writes for meetings of the review team and the case group: arranging, invitations, attendance, outputs.

Each function takes keyword-only arguments, validates, writes inside one transaction and records the audit event
in that same transaction. Callers check permission first. Invitations and attendance change the meeting's version
too, so that two people working on one meeting never silently undo each other.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from caseview.accounts.models import User
from caseview.core import audit
from caseview.core.audit import Event, Origin
from caseview.core.models import StaleEdit
from caseview.meetings.models import Invitation, Meeting, MeetingKind
from caseview.people.models import Participant
from caseview.reviews.models import Membership, Review, Role

EDITABLE_FIELDS = ("kind", "title", "held_on", "starts_at", "place", "agenda", "outputs")
# Encrypted at rest: the audit trail says they changed, not what they say.
SECRET_FIELDS = frozenset({"agenda", "outputs"})
# Members of the review who are invited as themselves; everyone else comes as a participant.
INVITABLE_ROLES = frozenset({Role.LEAD_REVIEWER.value, Role.REVIEW_TEAM.value})


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    cleaned = {name: value.strip() if isinstance(value, str) else value for name, value in values.items()}
    errors: dict[str, str] = {}
    if cleaned.get("kind") not in MeetingKind.values:
        errors["kind"] = "Choose what kind of meeting it is"
    if not cleaned.get("title"):
        errors["title"] = "Enter a title, like Case group meeting 1: checking the narrative"
    elif len(cleaned["title"]) > 200:
        errors["title"] = "The title must be 200 characters or fewer"
    if cleaned.get("held_on") is None:
        errors["held_on"] = "Enter the date of the meeting"
    if len(cleaned.get("place") or "") > 200:
        errors["place"] = "The place must be 200 characters or fewer"
    if errors:
        raise ValidationError(errors)
    return cleaned


def _plain(name: str, value: Any) -> Any:
    if name in SECRET_FIELDS:
        return bool(value)
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return value


def meeting_arrange(
    *,
    review: Review,
    by: User | None,
    origin: Origin,
    kind: str,
    title: str,
    held_on: dt.date | None,
    starts_at: dt.time | None = None,
    place: str = "",
    agenda: str = "",
) -> Meeting:
    """Arrange a meeting of the review team, the case group or the family; return the Meeting."""
    cleaned = _clean(
        {"kind": kind, "title": title, "held_on": held_on, "starts_at": starts_at, "place": place, "agenda": agenda}
    )
    with transaction.atomic():
        meeting = Meeting.objects.create(review=review, created_by=by, **cleaned)
        audit.record(
            event=Event.MEETING_ARRANGED,
            actor=by,
            origin=origin,
            review=review,
            obj=meeting,
            summary=f"Arranged {meeting.title} on {meeting.held_on:%-d %B %Y}",
            detail={"kind": meeting.kind, "held_on": meeting.held_on.isoformat()},
        )
    return meeting


def _check_version(current: Meeting, expected_version: int) -> None:
    if current.version != expected_version:
        raise StaleEdit(f"Someone else changed {current.title} while you were working on it.")


def meeting_update(*, meeting: Meeting, expected_version: int, by: User, origin: Origin, **changes: Any) -> Meeting:
    """Change a meeting's details or record what came of it (`outputs`). Refused if someone else saved it first."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"meeting_update cannot change {', '.join(sorted(unknown))}")
    with transaction.atomic():
        current = Meeting.objects.select_for_update().get(pk=meeting.pk)
        _check_version(current, expected_version)
        before = {name: getattr(current, name) for name in EDITABLE_FIELDS}
        cleaned = _clean({**before, **changes})
        changed = {
            name: {"from": _plain(name, before[name]), "to": _plain(name, cleaned[name])}
            for name in EDITABLE_FIELDS
            if before[name] != cleaned[name]
        }
        if changed:
            for name, value in cleaned.items():
                setattr(current, name, value)
            current.version = F("version") + 1
            current.save()
            current.refresh_from_db()
            audit.record(
                event=Event.MEETING_CHANGED,
                actor=by,
                origin=origin,
                review=current.review,
                obj=current,
                summary=f"Changed {current.title}: {', '.join(name.replace('_', ' ') for name in changed)}",
                detail={"changes": changed},
            )
    return current


def _bump(meeting: Meeting) -> None:
    Meeting.objects.filter(pk=meeting.pk).update(version=F("version") + 1)
    meeting.refresh_from_db(fields=["version", "updated_at"])


def meeting_invitations_set(
    *,
    meeting: Meeting,
    participants: Iterable[Participant],
    members: Iterable[Membership],
    invited_on: dt.date | None,
    expected_version: int,
    by: User,
    origin: Origin,
) -> Meeting:
    """Make the invitation list exactly these participants and review-team members.

    Newcomers are recorded as invited on `invited_on`; those already invited keep their date and attendance;
    those left out are no longer invited. Review-team members are the review's lead reviewers and team.
    """
    wanted_participants = {participant.pk: participant for participant in participants}
    wanted_members = {member.pk: member for member in members}
    errors: dict[str, str] = {}
    if any(participant.review_id != meeting.review_id for participant in wanted_participants.values()):
        errors["participants"] = "Choose participants from this review"
    if any(
        member.review_id != meeting.review_id or member.role not in INVITABLE_ROLES
        for member in wanted_members.values()
    ):
        errors["members"] = "Choose members of this review's team"
    with transaction.atomic():
        current = Meeting.objects.select_for_update().get(pk=meeting.pk)
        _check_version(current, expected_version)
        existing = list(current.invitations.select_related("participant", "member"))
        had_participants = {inv.participant_id for inv in existing if inv.participant_id}
        had_members = {inv.member_id for inv in existing if inv.member_id}
        adding = (set(wanted_participants) - had_participants) | (set(wanted_members) - had_members)
        if adding and invited_on is None:
            errors["invited_on"] = "Enter the date the invitations were sent"
        if errors:
            raise ValidationError(errors)
        removed = [
            inv
            for inv in existing
            if (inv.participant_id and inv.participant_id not in wanted_participants)
            or (inv.member_id and inv.member_id not in wanted_members)
        ]
        Invitation.objects.filter(pk__in=[inv.pk for inv in removed]).delete()
        for pk in set(wanted_participants) - had_participants:
            Invitation.objects.create(meeting=current, participant=wanted_participants[pk], invited_on=invited_on)
        for pk in set(wanted_members) - had_members:
            Invitation.objects.create(meeting=current, member=wanted_members[pk], invited_on=invited_on)
        if adding or removed:
            _bump(current)
            added_names = sorted(
                [wanted_participants[pk].label for pk in set(wanted_participants) - had_participants]
                + [_member_name(wanted_members[pk]) for pk in set(wanted_members) - had_members]
            )
            removed_names = sorted(_invitee_name(inv) for inv in removed)
            audit.record(
                event=Event.MEETING_INVITATIONS_CHANGED,
                actor=by,
                origin=origin,
                review=current.review,
                obj=current,
                summary=f"Invitations to {current.title}: {len(added_names)} added, {len(removed_names)} removed",
                detail={
                    "added": added_names,
                    "removed": removed_names,
                    "invited_on": invited_on.isoformat() if invited_on else None,
                },
            )
    return current


def meeting_attendance_record(
    *, meeting: Meeting, attendance: Mapping[int, str], expected_version: int, by: User, origin: Origin
) -> Meeting:
    """Record who attended, sent apologies or did not attend: `attendance` maps invitation ids to answers."""
    with transaction.atomic():
        current = Meeting.objects.select_for_update().get(pk=meeting.pk)
        _check_version(current, expected_version)
        invitations = {inv.pk: inv for inv in current.invitations.select_related("participant", "member")}
        unknown = set(attendance) - set(invitations)
        if unknown:
            raise ValidationError("Record attendance only for people invited to this meeting")
        bad = [value for value in attendance.values() if value not in Invitation.Attendance.values]
        if bad:
            raise ValidationError(f"{bad[0]} is not an answer: choose attended, sent apologies or did not attend")
        changed = {}
        for pk, value in attendance.items():
            invitation = invitations[pk]
            if invitation.attendance != value:
                changed[_invitee_name(invitation)] = {"from": invitation.attendance, "to": value}
                invitation.attendance = value
                invitation.save(update_fields=["attendance"])
        if changed:
            _bump(current)
            audit.record(
                event=Event.MEETING_ATTENDANCE_RECORDED,
                actor=by,
                origin=origin,
                review=current.review,
                obj=current,
                summary=f"Recorded attendance at {current.title}",
                detail={"changes": changed},
            )
    return current


def _member_name(member: Membership) -> str:
    """How the audit trail and pages name a review-team member: their position, else their role."""
    return member.position or member.get_role_display()


def _invitee_name(invitation: Invitation) -> str:
    if invitation.participant is not None:
        return invitation.participant.label
    assert invitation.member is not None
    return _member_name(invitation.member)
