"""Reads about meetings, filtered by who is asking."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from caseview.meetings.models import Invitation, Meeting
from caseview.meetings.services import INVITABLE_ROLES
from caseview.reviews.models import Membership, Review
from caseview.reviews.rules import can


def meetings_visible_to(*, user: Any, review: Review) -> QuerySet[Meeting]:
    """Every meeting for those who arrange them; a practitioner or family member only those they are invited to.

    An invitation reaches a person through the account linked to their participant record.
    """
    meetings = Meeting.objects.filter(review=review)
    if can(user, "reviews.manage_meetings", review):
        return meetings
    if can(user, "reviews.view_meetings", review):
        return meetings.filter(invitations__participant__user=user).distinct()
    return meetings.none()


def meeting_for(*, user: Any, review: Review, meeting_id: Any) -> Meeting:
    """One meeting this person may see, or 404: to someone not invited it does not exist."""
    meeting = meetings_visible_to(user=user, review=review).filter(pk=meeting_id).first()
    if meeting is None:
        raise Http404("No such meeting")
    return meeting


def upcoming_and_past(*, user: Any, review: Review) -> tuple[list[Meeting], list[Meeting]]:
    """Meetings from today on, soonest first; and earlier ones, latest first."""
    today = timezone.localdate()
    meetings = list(meetings_visible_to(user=user, review=review).order_by("held_on", "starts_at"))
    return [m for m in meetings if m.held_on >= today], [m for m in reversed(meetings) if m.held_on < today]


@dataclass(frozen=True)
class Invitee:
    invitation: Invitation
    name: str
    detail: str


def invitees(*, meeting: Meeting, user: Any) -> list[Invitee]:
    """Who is invited, participants by label first, then the review team.

    Participants are named by label only, to everyone. Review-team members are named by position or role; those
    who may see identities see their names too.
    """
    show_names = can(user, "reviews.view_identities", meeting.review)
    found: list[Invitee] = []
    invitations = meeting.invitations.select_related("participant__agency", "member__user")
    for invitation in invitations:
        if invitation.participant is not None:
            person = invitation.participant
            detail = person.get_kind_display()
            if person.agency:
                detail = f"{detail}, {person.agency.name}"
            found.append(Invitee(invitation, person.label, detail))
        elif invitation.member is not None:
            found.append(Invitee(invitation, *member_description(invitation.member, show_names=show_names)))
    return sorted(found, key=lambda item: (item.invitation.participant_id is None, item.name.casefold()))


def member_description(member: Membership, *, show_names: bool) -> tuple[str, str]:
    """How pages name a review-team member: their position, else their role; and a line saying more."""
    role = member.get_role_display()
    more = [role] if member.position else []
    if show_names:
        more.append(member.user.full_name or member.user.username)
    return member.position or role, ", ".join(more)


def invitable_members(*, review: Review) -> QuerySet[Membership]:
    """The review team: the members who may be invited as themselves rather than as participants."""
    return (
        Membership.objects.filter(review=review, role__in=INVITABLE_ROLES)
        .select_related("user")
        .order_by("role", "position", "user__username")
    )
