"""Meetings through the web: who sees which, arranging, inviting and recording attendance."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from caseview.core.audit import Event
from caseview.core.models import AuditEvent
from caseview.meetings import services
from caseview.meetings.models import Invitation, Meeting, MeetingKind
from caseview.people import services as people_services
from caseview.people.models import Participant
from caseview.people.tests.helpers import health_visitor, mother
from caseview.reviews.tests.helpers import date_parts
from conftest import TEST_ORIGIN, Personas, verified_client

pytestmark = pytest.mark.django_db

BASE = "/reviews/CK2019/meetings"


def text(response: Any) -> str:
    return str(response.content.decode())


def arranged(personas: Personas, title: str, held_on: dt.date) -> Meeting:
    return services.meeting_arrange(
        review=personas.review,
        by=personas.lead,
        origin=TEST_ORIGIN,
        kind=MeetingKind.CASE_GROUP,
        title=title,
        held_on=held_on,
        agenda="Check the narrative",
    )


def invited(personas: Personas, meeting: Meeting, participants: list[Participant], with_reviewer: bool = False) -> None:
    meeting.refresh_from_db()
    services.meeting_invitations_set(
        meeting=meeting,
        participants=participants,
        members=list(personas.review.memberships.filter(user=personas.reviewer)) if with_reviewer else [],
        invited_on=dt.date(2026, 3, 3),
        expected_version=meeting.version,
        by=personas.lead,
        origin=TEST_ORIGIN,
    )


def linked_visitor(personas: Personas) -> Participant:
    return people_services.participant_link_account(
        participant=health_visitor(personas), user=personas.practitioner, by=personas.lead, origin=TEST_ORIGIN
    )


def test_a_practitioner_sees_only_the_meetings_they_are_invited_to(personas: Personas) -> None:
    visitor = linked_visitor(personas)
    parent = mother(personas)
    theirs = arranged(personas, "Case group meeting 1", timezone.localdate() + dt.timedelta(days=7))
    invited(personas, theirs, [visitor, parent], with_reviewer=True)
    not_theirs = arranged(personas, "Review team analysis", timezone.localdate() - dt.timedelta(days=7))
    invited(personas, not_theirs, [parent])

    client = verified_client(personas.practitioner)
    html = text(client.get(f"{BASE}/"))
    assert "Case group meeting 1" in html and "Review team analysis" not in html
    assert client.get(f"{BASE}/{not_theirs.pk}/").status_code == 404

    html = text(client.get(f"{BASE}/{theirs.pk}/"))
    assert "Health visitor 1" in html and "Mother" in html and "Review-team member" in html
    for secret in ("Hannah Vale", "Leanne Marsh", "Reviewer Testperson", "reviewer"):
        assert secret not in html
    assert "Change who is invited" not in html and f"{BASE}/{theirs.pk}/edit/" not in html
    assert f"/participants/{visitor.pk}/" not in html
    # Read-only: the writing pages refuse them.
    for page in ("edit", "invitations", "attendance"):
        assert client.post(f"{BASE}/{theirs.pk}/{page}/", {}).status_code == 403
    assert client.post(f"{BASE}/arrange/", {}).status_code == 403


def test_a_family_member_not_linked_or_invited_sees_no_meetings(personas: Personas) -> None:
    meeting = arranged(personas, "Case group meeting 1", dt.date(2026, 4, 14))
    invited(personas, meeting, [mother(personas)])
    client = verified_client(personas.parent)
    html = text(client.get(f"{BASE}/"))
    assert "Case group meeting 1" not in html and "No meetings coming up." in html
    assert client.get(f"{BASE}/{meeting.pk}/").status_code == 404


@pytest.mark.parametrize(("persona", "status"), [("board", 403), ("contact", 403), ("outsider", 404)])
def test_others_cannot_see_meetings(personas: Personas, persona: str, status: int) -> None:
    meeting = arranged(personas, "Case group meeting 1", dt.date(2026, 4, 14))
    client = verified_client(personas.by_name(persona))
    assert client.get(f"{BASE}/").status_code == status
    assert client.get(f"{BASE}/{meeting.pk}/").status_code == status


def test_the_review_team_sees_every_meeting_upcoming_and_past(personas: Personas) -> None:
    today = timezone.localdate()
    arranged(personas, "Soon", today + dt.timedelta(days=1))
    arranged(personas, "Today", today)
    arranged(personas, "Long ago", today - dt.timedelta(days=30))
    arranged(personas, "Last week", today - dt.timedelta(days=7))
    html = text(verified_client(personas.reviewer).get(f"{BASE}/"))
    upcoming = html.split('id="upcoming"')[1].split("</table>")[0]
    past = html.split('id="past"')[1].split("</table>")[0]
    assert upcoming.index("Today") < upcoming.index("Soon")
    assert past.index("Last week") < past.index("Long ago")
    assert "Long ago" not in upcoming and "Soon" not in past


def test_the_lead_arranges_a_meeting_then_invites_people(personas: Personas) -> None:
    client = verified_client(personas.lead)
    form = {
        "kind": "case_group",
        "title": "Case group meeting 1",
        "starts_at": "2pm",
        "place": "Room 2",
        "agenda": "Narrative",
        **date_parts("held_on", dt.date(2026, 4, 14)),
    }
    html = text(client.post(f"{BASE}/arrange/", {**form, "starts_at": "half two"}))
    assert "Enter the start time like 10:00, 14:30 or 2pm" in html
    html = text(client.post(f"{BASE}/arrange/", {**form, "title": "", **date_parts("held_on", None)}))
    assert 'href="#id_title"' in html and 'href="#id_held_on_0"' in html
    assert not Meeting.objects.exists()

    response = client.post(f"{BASE}/arrange/", form)
    meeting = Meeting.objects.get()
    assert response["Location"] == f"{BASE}/{meeting.pk}/invitations/"
    assert (meeting.starts_at, meeting.held_on) == (dt.time(14), dt.date(2026, 4, 14))

    visitor = health_visitor(personas)
    lead_member = personas.review.memberships.get(user=personas.lead)
    html = text(client.get(f"{BASE}/{meeting.pk}/invitations/"))
    assert "Health visitor 1 (Practitioner, Health visiting)" in html
    assert "Lead reviewer (Lead Testperson)" in html
    assert str(personas.review.memberships.get(user=personas.practitioner).pk) not in html
    response = client.post(
        f"{BASE}/{meeting.pk}/invitations/",
        {
            "participants": [str(visitor.pk)],
            "members": [str(lead_member.pk)],
            "version": "1",
            **date_parts("invited_on", dt.date(2026, 3, 3)),
        },
    )
    assert response.status_code == 302
    assert meeting.invitations.count() == 2
    assert AuditEvent.objects.filter(event=Event.MEETING_INVITATIONS_CHANGED, actor=personas.lead).exists()


def test_a_stale_invitation_form_is_refused(personas: Personas) -> None:
    meeting = arranged(personas, "Case group meeting 1", dt.date(2026, 4, 14))
    invited(personas, meeting, [mother(personas)])
    response = verified_client(personas.lead).post(
        f"{BASE}/{meeting.pk}/invitations/", {"version": "1", **date_parts("invited_on", dt.date(2026, 3, 3))}
    )
    assert response.status_code == 200
    html = text(response)
    assert "Your changes are below and are not saved yet" in html
    assert "Saved by someone else while you were editing:" in html and "Mother" in html
    assert meeting.invitations.count() == 1


def test_the_lead_records_attendance_and_outputs(personas: Personas) -> None:
    meeting = arranged(personas, "Case group meeting 1", dt.date(2026, 4, 14))
    invited(personas, meeting, [health_visitor(personas), mother(personas)])
    meeting.refresh_from_db()
    visitor, parent = meeting.invitations.order_by("participant__label")
    client = verified_client(personas.lead)
    html = text(client.post(f"{BASE}/{meeting.pk}/attendance/", {"version": str(meeting.version)}))
    assert "Say whether Health visitor 1 attended" in html
    response = client.post(
        f"{BASE}/{meeting.pk}/attendance/",
        {
            "version": str(meeting.version),
            f"attendance_{visitor.pk}": "attended",
            f"attendance_{parent.pk}": "absent",
        },
    )
    assert response.status_code == 302
    assert dict(meeting.invitations.values_list("participant__label", "attendance")) == {
        "Health visitor 1": Invitation.Attendance.ATTENDED,
        "Mother": Invitation.Attendance.DID_NOT_ATTEND,
    }

    meeting.refresh_from_db()
    edit = text(client.get(f"{BASE}/{meeting.pk}/edit/"))
    assert 'value="Case group meeting 1"' in edit
    response = client.post(
        f"{BASE}/{meeting.pk}/edit/",
        {
            "kind": "case_group",
            "title": "Case group meeting 1",
            "outputs": "Narrative checked",
            "version": str(meeting.version),
            **date_parts("held_on", dt.date(2026, 4, 14)),
        },
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.outputs == "Narrative checked"
    assert "Narrative checked" in text(client.get(f"{BASE}/{meeting.pk}/"))


def test_a_stale_meeting_edit_is_refused(personas: Personas) -> None:
    meeting = arranged(personas, "Case group meeting 1", dt.date(2026, 4, 14))
    services.meeting_update(meeting=meeting, expected_version=1, by=personas.reviewer, origin=TEST_ORIGIN, place="Hall")
    response = verified_client(personas.lead).post(
        f"{BASE}/{meeting.pk}/edit/",
        {"kind": "case_group", "title": "Mine", "version": "1", **date_parts("held_on", dt.date(2026, 4, 14))},
    )
    html = text(response)
    assert "Someone else changed Case group meeting 1" in html
    # The lead's title stays in its box; the reviewer's place is shown under the empty one; nothing is saved.
    assert 'value="Mine"' in html
    assert "Saved by someone else while you were editing:" in html and "Hall" in html
    meeting.refresh_from_db()
    assert meeting.title == "Case group meeting 1"
