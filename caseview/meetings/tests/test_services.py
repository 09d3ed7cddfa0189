"""Meetings through the service layer: arranging, changing, invitations and attendance, each audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import UUIDField

from caseview.core.audit import Event
from caseview.core.models import AuditEvent, StaleEdit
from caseview.meetings import services
from caseview.meetings.forms import parse_time
from caseview.meetings.models import Invitation, Meeting, MeetingKind
from caseview.people import services as people_services
from caseview.people.tests.helpers import health_visitor, mother
from caseview.reviews.models import Membership
from caseview.reviews.tests.helpers import other_partnership
from conftest import TEST_ORIGIN, Personas

pytestmark = pytest.mark.django_db

Attendance = Invitation.Attendance


def arranged(personas: Personas, **changes: object) -> Meeting:
    values: dict[str, object] = {
        "kind": MeetingKind.CASE_GROUP,
        "title": "Case group meeting 1",
        "held_on": dt.date(2026, 4, 14),
        "agenda": "Check the narrative of Child K's first year",
        **changes,
    }
    return services.meeting_arrange(review=personas.review, by=personas.lead, origin=TEST_ORIGIN, **values)  # type: ignore[arg-type]


def team(personas: Personas, name: str) -> Membership:
    return personas.review.memberships.get(user__username=name)


def invite(personas: Personas, meeting: Meeting, participants: list[object], members: list[Membership]) -> Meeting:
    meeting.refresh_from_db()
    return services.meeting_invitations_set(
        meeting=meeting,
        participants=participants,  # type: ignore[arg-type]
        members=members,
        invited_on=dt.date(2026, 3, 3),
        expected_version=meeting.version,
        by=personas.lead,
        origin=TEST_ORIGIN,
    )


def test_it_arranges_a_meeting_and_records_it(personas: Personas) -> None:
    meeting = arranged(personas, starts_at=dt.time(10), place=" Room 2 ")
    assert (meeting.title, meeting.place, meeting.starts_at) == ("Case group meeting 1", "Room 2", dt.time(10))
    event = AuditEvent.objects.get(event=Event.MEETING_ARRANGED)
    assert (event.actor, event.review, event.summary) == (
        personas.lead,
        personas.review,
        "Arranged Case group meeting 1 on 14 April 2026",
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT agenda FROM meetings_meeting WHERE id = %s", [UUIDField().get_db_prep_value(meeting.pk, connection)]
        )
        assert "narrative" not in cursor.fetchone()[0]


def test_a_meeting_needs_a_kind_a_title_and_a_date(personas: Personas) -> None:
    with pytest.raises(ValidationError) as caught:
        arranged(personas, kind="party", title=" ", held_on=None)
    assert set(caught.value.message_dict) == {"kind", "title", "held_on"}
    assert not Meeting.objects.exists()


def test_it_changes_a_meeting_and_records_outputs_without_repeating_them(personas: Personas) -> None:
    meeting = arranged(personas)
    changed = services.meeting_update(
        meeting=meeting,
        expected_version=1,
        by=personas.reviewer,
        origin=TEST_ORIGIN,
        place="Civic Centre",
        outputs="Narrative checked; two turning points added",
    )
    assert (changed.version, changed.place, changed.outputs) == (
        2,
        "Civic Centre",
        "Narrative checked; two turning points added",
    )
    event = AuditEvent.objects.get(event=Event.MEETING_CHANGED)
    assert event.detail["changes"] == {
        "place": {"from": "", "to": "Civic Centre"},
        "outputs": {"from": False, "to": True},
    }
    with pytest.raises(StaleEdit):
        services.meeting_update(meeting=meeting, expected_version=1, by=personas.lead, origin=TEST_ORIGIN, place="X")
    with pytest.raises(TypeError):
        services.meeting_update(meeting=meeting, expected_version=2, by=personas.lead, origin=TEST_ORIGIN, review=None)


def test_invitations_become_exactly_those_chosen(personas: Personas) -> None:
    meeting = arranged(personas)
    visitor, parent = health_visitor(personas), mother(personas)
    invite(personas, meeting, [visitor, parent], [team(personas, "reviewer")])
    assert meeting.invitations.count() == 3
    event = AuditEvent.objects.get(event=Event.MEETING_INVITATIONS_CHANGED)
    assert event.detail == {
        "added": ["Health visitor 1", "Mother", "Review-team member"],
        "removed": [],
        "invited_on": "2026-03-03",
    }
    first = meeting.invitations.get(participant=visitor)
    first.attendance = Attendance.APOLOGIES
    first.save()

    # The mother's invitation is taken back, the lead is added; the health visitor keeps hers as it was.
    meeting = invite(personas, meeting, [visitor], [team(personas, "reviewer"), team(personas, "lead")])
    assert meeting.version == 3
    assert set(meeting.invitations.values_list("participant__label", "member__user__username")) == {
        ("Health visitor 1", None),
        (None, "reviewer"),
        (None, "lead"),
    }
    assert meeting.invitations.get(participant=visitor).attendance == Attendance.APOLOGIES
    latest = AuditEvent.objects.filter(event=Event.MEETING_INVITATIONS_CHANGED).first()
    assert latest is not None and (latest.detail["added"], latest.detail["removed"]) == (["Lead reviewer"], ["Mother"])


def test_only_the_review_team_and_this_reviews_participants_are_invited(personas: Personas) -> None:
    meeting = arranged(personas)
    with pytest.raises(ValidationError) as caught:
        invite(personas, meeting, [], [team(personas, "practitioner")])
    assert set(caught.value.message_dict) == {"members"}
    elsewhere = other_partnership()
    theirs = people_services.participant_add(
        review=elsewhere.review, by=None, origin=TEST_ORIGIN, kind="family", label="Mother", relationship="Mother"
    )
    with pytest.raises(ValidationError) as caught:
        invite(personas, meeting, [theirs], [])
    assert set(caught.value.message_dict) == {"participants"}
    assert not meeting.invitations.exists()


def test_new_invitations_need_the_date_they_were_sent(personas: Personas) -> None:
    meeting = arranged(personas)
    with pytest.raises(ValidationError) as caught:
        services.meeting_invitations_set(
            meeting=meeting,
            participants=[mother(personas)],
            members=[],
            invited_on=None,
            expected_version=1,
            by=personas.lead,
            origin=TEST_ORIGIN,
        )
    assert caught.value.message_dict == {"invited_on": ["Enter the date the invitations were sent"]}


def test_invitations_from_a_stale_form_are_refused(personas: Personas) -> None:
    meeting = arranged(personas)
    invite(personas, meeting, [mother(personas)], [])
    with pytest.raises(StaleEdit):
        services.meeting_invitations_set(
            meeting=meeting,
            participants=[],
            members=[],
            invited_on=None,
            expected_version=1,
            by=personas.reviewer,
            origin=TEST_ORIGIN,
        )
    assert meeting.invitations.count() == 1


def test_attendance_is_recorded_per_invitee(personas: Personas) -> None:
    meeting = invite(personas, arranged(personas), [health_visitor(personas), mother(personas)], [])
    visitor, parent = meeting.invitations.order_by("participant__label")
    meeting = services.meeting_attendance_record(
        meeting=meeting,
        attendance={visitor.pk: Attendance.ATTENDED, parent.pk: Attendance.APOLOGIES},
        expected_version=meeting.version,
        by=personas.reviewer,
        origin=TEST_ORIGIN,
    )
    assert dict(meeting.invitations.values_list("participant__label", "attendance")) == {
        "Health visitor 1": "attended",
        "Mother": "apologies",
    }
    event = AuditEvent.objects.get(event=Event.MEETING_ATTENDANCE_RECORDED)
    assert event.detail["changes"]["Mother"] == {"from": "unknown", "to": "apologies"}
    with pytest.raises(ValidationError):
        services.meeting_attendance_record(
            meeting=meeting,
            attendance={visitor.pk: "asleep"},
            expected_version=meeting.version,
            by=personas.lead,
            origin=TEST_ORIGIN,
        )
    with pytest.raises(ValidationError):
        services.meeting_attendance_record(
            meeting=meeting,
            attendance={visitor.pk + parent.pk + 100: "attended"},
            expected_version=meeting.version,
            by=personas.lead,
            origin=TEST_ORIGIN,
        )
    with pytest.raises(StaleEdit):
        services.meeting_attendance_record(
            meeting=meeting, attendance={}, expected_version=1, by=personas.lead, origin=TEST_ORIGIN
        )


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("10:00", dt.time(10)),
        ("14.30", dt.time(14, 30)),
        ("2pm", dt.time(14)),
        ("2:15 PM", dt.time(14, 15)),
        ("12am", dt.time(0)),
        ("9:05am", dt.time(9, 5)),
        ("14", None),
        ("25:00", None),
        ("13pm", None),
        ("noon", None),
    ],
)
def test_start_times_are_read_as_people_write_them(typed: str, expected: dt.time | None) -> None:
    assert parse_time(typed) == expected
