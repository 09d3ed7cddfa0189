from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from caseview.core.audit import Origin
from caseview.core.forms import keep_typed_changes
from caseview.core.models import StaleEdit
from caseview.core.views import AuthenticatedRequest
from caseview.meetings import selectors, services
from caseview.meetings.forms import AttendanceForm, InvitationsForm, MeetingForm
from caseview.meetings.models import Meeting
from caseview.people.selectors import participants_in, withdrawn_participant_ids
from caseview.reviews.access import review_view
from caseview.reviews.models import Review
from caseview.reviews.rules import can
from caseview.reviews.views import apply_errors, review_context


@review_view("reviews.view_meetings")
def list(request: AuthenticatedRequest, review: Review) -> HttpResponse:
    upcoming, past = selectors.upcoming_and_past(user=request.user, review=review)
    context = review_context(request, review, "meetings", "Meetings", upcoming=upcoming, past=past)
    return render(request, "meetings/list.html", context)


@review_view("reviews.manage_meetings")
@require_http_methods(["GET", "POST"])
def arrange(request: AuthenticatedRequest, review: Review) -> HttpResponse:
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_arrange(
                review=review, by=request.user, origin=Origin.from_request(request), **form.service_values()
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"{meeting.title} arranged. Now invite people to it.")
            return redirect("meetings:invitations", review.reference, meeting.pk)
    context = review_context(request, review, "meetings", "Arrange a meeting", form=form)
    return render(request, "meetings/meeting_form.html", context)


@review_view("reviews.view_meetings")
def meeting(request: AuthenticatedRequest, review: Review, meeting_id: str) -> HttpResponse:
    found = selectors.meeting_for(user=request.user, review=review, meeting_id=meeting_id)
    context = review_context(
        request,
        review,
        "meetings",
        found.title,
        meeting=found,
        invitees=selectors.invitees(meeting=found, user=request.user),
    )
    return render(request, "meetings/meeting.html", context)


def _initial(meeting: Meeting) -> dict[str, Any]:
    initial: dict[str, Any] = {name: getattr(meeting, name) for name in services.EDITABLE_FIELDS}
    initial["starts_at"] = meeting.starts_at.strftime("%H:%M") if meeting.starts_at else ""
    initial["version"] = meeting.version
    return initial


@review_view("reviews.manage_meetings")
@require_http_methods(["GET", "POST"])
def edit(request: AuthenticatedRequest, review: Review, meeting_id: str) -> HttpResponse:
    found = selectors.meeting_for(user=request.user, review=review, meeting_id=meeting_id)
    form = MeetingForm(request.POST or None, initial=_initial(found), editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(
                meeting=found,
                expected_version=form.cleaned_data["version"] or 0,
                by=request.user,
                origin=Origin.from_request(request),
                **form.service_values(),
            )
        except StaleEdit as exc:
            found.refresh_from_db()
            keep_typed_changes(form, saved=_initial(found), problem=exc)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"{found.title} saved")
            return redirect("meetings:meeting", review.reference, found.pk)
    context = review_context(request, review, "meetings", f"Change {found.title}", form=form, meeting=found)
    return render(request, "meetings/meeting_form.html", context)


def _invited(meeting: Meeting) -> dict[str, Any]:
    current = meeting.invitations.all()
    return {
        "participants": [inv.participant_id for inv in current if inv.participant_id],
        "members": [inv.member_id for inv in current if inv.member_id],
        "version": meeting.version,
    }


@review_view("reviews.manage_meetings")
@require_http_methods(["GET", "POST"])
def invitations(request: AuthenticatedRequest, review: Review, meeting_id: str) -> HttpResponse:
    found = selectors.meeting_for(user=request.user, review=review, meeting_id=meeting_id)
    options: dict[str, Any] = {
        "participants": participants_in(review=review).order_by("kind", "label"),
        "members": selectors.invitable_members(review=review),
        "withdrawn_ids": withdrawn_participant_ids(review=review),
        "show_names": can(request.user, "reviews.view_identities", review),
    }
    form = InvitationsForm(request.POST or None, initial=_invited(found), **options)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.meeting_invitations_set(
                meeting=found,
                participants=data["participants"],
                members=data["members"],
                invited_on=data["invited_on"],
                expected_version=data["version"],
                by=request.user,
                origin=Origin.from_request(request),
            )
        except StaleEdit as exc:
            found.refresh_from_db()
            keep_typed_changes(form, saved=_invited(found), problem=exc)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Invitations to {found.title} saved")
            return redirect("meetings:meeting", review.reference, found.pk)
    context = review_context(request, review, "meetings", f"Invite people to {found.title}", form=form, meeting=found)
    return render(request, "meetings/invitations.html", context)


@review_view("reviews.manage_meetings")
@require_http_methods(["GET", "POST"])
def attendance(request: AuthenticatedRequest, review: Review, meeting_id: str) -> HttpResponse:
    found = selectors.meeting_for(user=request.user, review=review, meeting_id=meeting_id)
    invitees = selectors.invitees(meeting=found, user=request.user)
    form = AttendanceForm(request.POST or None, invitees=invitees, initial={"version": found.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_attendance_record(
                meeting=found,
                attendance=form.attendance(),
                expected_version=form.cleaned_data["version"],
                by=request.user,
                origin=Origin.from_request(request),
            )
        except StaleEdit as exc:
            messages.warning(request, exc.messages[0])
            return redirect("meetings:attendance", review.reference, found.pk)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Attendance at {found.title} recorded")
            return redirect("meetings:meeting", review.reference, found.pk)
    context = review_context(
        request, review, "meetings", f"Who came to {found.title}", form=form, meeting=found, invitees=invitees
    )
    return render(request, "meetings/attendance.html", context)
