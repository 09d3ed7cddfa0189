"""After the review: the board's response to each finding, the action plan with its reviews of progress and
overdue actions, its export, and the board dashboard across reviews."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any
from unittest import mock

import pytest
import time_machine
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from caseview.analysis.tests.helpers import episode
from caseview.conversations.tests.own_records import (
    KNOWN_THEN,
    LEARNED_LATER,
    OVERVIEW,
    TURNING_POINT,
    WHAT_THEY_THOUGHT,
    practitioner_record,
)
from caseview.core.audit import Event
from caseview.core.models import AuditEvent, StaleEdit
from caseview.findings import board_selectors, board_services, services
from caseview.findings.board_services import ActionDetails, ProgressDetails, ResponseDetails
from caseview.findings.models import ActionPlanItem, ActionReview, ActionStatus, BoardResponse, Finding, FindingValence
from caseview.findings.services import FindingDetails
from caseview.reviews import services as review_services
from caseview.reviews.models import Agency, Review, Role
from conftest import TEST_ORIGIN, Personas, make_user, verified_client

pytestmark = pytest.mark.django_db


def _finding(review: Review, by: Any, category: str = "human_tool", statement: str = "") -> Finding:
    return services.finding_create(
        review=review,
        details=FindingDetails(
            statement=statement or "Invitations go to shared inboxes nobody owns",
            category=category,
            valence=FindingValence.RISK,
        ),
        by=by,
        origin=TEST_ORIGIN,
    )


def _action(personas: Personas, finding: Finding, **changes: Any) -> ActionPlanItem:
    values: dict[str, Any] = {
        "finding": finding,
        "action": "Send invitations to named people",
        "owner_agency": personas.health,
        "owner_role": "Early help service manager",
        "due_date": dt.date(2026, 9, 30),
        "success_measure": "Every invitation goes to a named person",
    }
    values.update(changes)
    return board_services.action_create(
        review=finding.review, details=ActionDetails(**values), by=personas.board, origin=TEST_ORIGIN
    )


@pytest.fixture
def finding(personas: Personas) -> Finding:
    made = _finding(personas.review, personas.lead)
    services.board_question_add(finding=made, text="How will the board know?", by=personas.lead, origin=TEST_ORIGIN)
    return made


# --- The board's response ----------------------------------------------------------------------------------


def test_it_records_the_boards_response_and_audits_it(personas: Personas, finding: Finding) -> None:
    response = board_services.board_response_save(
        finding=finding,
        details=ResponseDetails(text="  The board accepts this finding.  ", agreed_on=dt.date(2026, 5, 12)),
        expected_version=None,
        by=personas.board,
        origin=TEST_ORIGIN,
    )
    assert finding.board_response == response
    assert (response.text, response.agreed_on, response.recorded_by) == (
        "The board accepts this finding.",
        dt.date(2026, 5, 12),
        personas.board,
    )
    event = AuditEvent.objects.get(event=Event.BOARD_RESPONSE_RECORDED)
    assert (event.review, event.actor, event.object_id) == (personas.review, personas.board, str(response.pk))

    board_services.board_response_save(
        finding=finding,
        details=ResponseDetails(
            text="The board accepts this finding.", agreed_on=dt.date(2026, 5, 12), ready_for_publication=True
        ),
        expected_version=1,
        by=personas.admin,
        origin=TEST_ORIGIN,
    )
    response.refresh_from_db()
    assert (response.version, response.ready_for_publication, response.recorded_by) == (2, True, personas.admin)
    changed = AuditEvent.objects.get(event=Event.BOARD_RESPONSE_CHANGED)
    assert changed.detail == {"ready_for_publication": {"from": False, "to": True}}


def test_it_writes_nothing_when_the_audit_cannot_be_written(personas: Personas, finding: Finding) -> None:
    with mock.patch("caseview.core.audit.AuditEvent.objects.create", side_effect=RuntimeError("disk full")):
        with pytest.raises(RuntimeError):
            board_services.board_response_save(
                finding=finding,
                details=ResponseDetails(text="Accepted"),
                expected_version=None,
                by=personas.board,
                origin=TEST_ORIGIN,
            )
        with pytest.raises(RuntimeError):
            _action(personas, finding)
    assert not BoardResponse.objects.exists()
    assert not ActionPlanItem.objects.exists()


def test_it_refuses_an_empty_response_a_future_agreement_or_publishing_a_draft(
    personas: Personas, finding: Finding
) -> None:
    with pytest.raises(ValidationError) as caught:
        board_services.board_response_save(
            finding=finding,
            details=ResponseDetails(text=" ", agreed_on=dt.date(2999, 1, 1)),
            expected_version=None,
            by=personas.board,
            origin=TEST_ORIGIN,
        )
    assert set(caught.value.message_dict) == {"text", "agreed_on"}
    with pytest.raises(ValidationError) as caught:
        board_services.board_response_save(
            finding=finding,
            details=ResponseDetails(text="Draft", ready_for_publication=True),
            expected_version=None,
            by=personas.board,
            origin=TEST_ORIGIN,
        )
    assert set(caught.value.message_dict) == {"ready_for_publication"}


def test_it_refuses_a_stale_response(personas: Personas, finding: Finding) -> None:
    details = ResponseDetails(text="Accepted")
    board_services.board_response_save(
        finding=finding, details=details, expected_version=None, by=personas.board, origin=TEST_ORIGIN
    )
    # Someone else opened the empty form too and saves a first response on top of the one just saved.
    with pytest.raises(StaleEdit):
        board_services.board_response_save(
            finding=finding,
            details=ResponseDetails(text="Mine"),
            expected_version=None,
            by=personas.admin,
            origin=TEST_ORIGIN,
        )
    board_services.board_response_save(
        finding=finding,
        details=ResponseDetails(text="Changed"),
        expected_version=1,
        by=personas.board,
        origin=TEST_ORIGIN,
    )
    with pytest.raises(StaleEdit):
        board_services.board_response_save(
            finding=finding,
            details=ResponseDetails(text="Also changed"),
            expected_version=1,
            by=personas.lead,
            origin=TEST_ORIGIN,
        )
    assert BoardResponse.objects.get().text == "Changed"


def test_it_shows_every_finding_with_its_response_or_none_yet(personas: Personas, finding: Finding) -> None:
    second = _finding(personas.review, personas.lead, statement="Screening weighs the incident alone")
    board_services.board_response_save(
        finding=finding,
        details=ResponseDetails(text="Early help will invite named people.", agreed_on=dt.date(2026, 5, 12)),
        expected_version=None,
        by=personas.board,
        origin=TEST_ORIGIN,
    )
    page = verified_client(personas.board).get("/reviews/CK2019/board-response/").content.decode()
    assert "Early help will invite named people." in page
    assert "12 May 2026" in page
    assert page.count("No response yet.") == 1
    assert second.statement in page
    finding_page = verified_client(personas.board).get("/reviews/CK2019/findings/1/").content.decode()
    assert "Early help will invite named people." in finding_page


def test_it_saves_a_response_from_the_form_and_refuses_a_stale_one(personas: Personas, finding: Finding) -> None:
    client = verified_client(personas.admin)
    form = {"text": "Accepted", "agreed_on_day": "12", "agreed_on_month": "5", "agreed_on_year": "2026", "version": ""}
    response = client.post("/reviews/CK2019/findings/1/response/", form)
    assert response.status_code == 302
    assert BoardResponse.objects.get().agreed_on == dt.date(2026, 5, 12)
    stale = client.post("/reviews/CK2019/findings/1/response/", form | {"text": "Other"}, follow=True)
    page = stale.content.decode()
    assert "Someone else recorded the board" in page
    assert ">Other</textarea>" in page, "what this person wrote is kept"
    assert "Saved by someone else while you were editing:" in page
    assert BoardResponse.objects.get().text == "Accepted"
    empty = client.post("/reviews/CK2019/findings/1/response/", form | {"text": "", "version": "1"})
    assert "Enter the board" in empty.content.decode()


# --- The action plan ---------------------------------------------------------------------------------------


def test_it_adds_actions_numbered_across_the_plan_and_audits_them(personas: Personas, finding: Finding) -> None:
    question = finding.board_questions.get()
    first = _action(personas, finding, board_question=question)
    other = _finding(personas.review, personas.lead, statement="Screening weighs the incident alone")
    second = _action(personas, other)
    assert (first.number, second.number) == (1, 2)
    assert list(finding.actions.all()) == [first]
    assert first.board_question == question
    assert first.status == ActionStatus.NOT_STARTED
    added = AuditEvent.objects.filter(event=Event.ACTION_ADDED).order_by("id")
    assert [event.summary for event in added] == [
        "Added action 1 on finding 1 to the action plan",
        "Added action 2 on finding 2 to the action plan",
    ]


def test_it_refuses_an_action_without_its_parts_or_with_anothers_question_or_agency(
    personas: Personas, finding: Finding
) -> None:
    with pytest.raises(ValidationError) as caught:
        _action(personas, finding, action=" ", owner_agency=None, owner_role="", due_date=None, success_measure="")
    assert set(caught.value.message_dict) == {"action", "owner_agency", "owner_role", "due_date", "success_measure"}
    other = _finding(personas.review, personas.lead)
    question = services.board_question_add(finding=other, text="Why?", by=personas.lead, origin=TEST_ORIGIN)
    elsewhere = review_services.partnership_create(name="Elsewhere", by=None, origin=TEST_ORIGIN)
    foreign = Agency.objects.create(partnership=elsewhere, name="Police")
    with pytest.raises(ValidationError) as caught:
        _action(personas, finding, board_question=question, owner_agency=foreign)
    assert set(caught.value.message_dict) == {"board_question", "owner_agency"}
    with pytest.raises(ValidationError) as caught:
        _action(personas, finding, status=ActionStatus.IMPACT_EVIDENCED)
    assert set(caught.value.message_dict) == {"evidence_of_impact"}
    assert not ActionPlanItem.objects.exists()


def test_it_changes_an_action_and_refuses_a_stale_change(personas: Personas, finding: Finding) -> None:
    item = _action(personas, finding)
    details = ActionDetails(
        finding=finding,
        action="Send invitations to named people",
        owner_agency=personas.police,
        owner_role="Inspector",
        due_date=dt.date(2026, 12, 31),
        success_measure="Every invitation goes to a named person",
    )
    changed = board_services.action_update(
        item=item, expected_version=1, details=details, by=personas.lead, origin=TEST_ORIGIN
    )
    assert (changed.version, changed.owner_agency, changed.due_date) == (2, personas.police, dt.date(2026, 12, 31))
    event = AuditEvent.objects.get(event=Event.ACTION_CHANGED)
    assert set(event.detail) == {"owner_agency", "owner_role", "due_date"}
    with pytest.raises(StaleEdit):
        board_services.action_update(
            item=item, expected_version=1, details=details, by=personas.board, origin=TEST_ORIGIN
        )


def test_it_keeps_a_history_of_reviews_of_progress(personas: Personas, finding: Finding) -> None:
    item = _action(personas, finding)
    board_services.action_review_record(
        item=item,
        expected_version=1,
        details=ProgressDetails(
            reviewed_on=dt.date(2026, 6, 1),
            status=ActionStatus.IN_PROGRESS,
            note="Half the teams have switched",
            next_review_on=dt.date(2026, 9, 1),
        ),
        by=personas.board,
        origin=TEST_ORIGIN,
    )
    item.refresh_from_db()
    board_services.action_review_record(
        item=item,
        expected_version=item.version,
        details=ProgressDetails(
            reviewed_on=dt.date(2026, 9, 1),
            status=ActionStatus.IMPACT_EVIDENCED,
            note="Audit complete",
            evidence_of_impact="An audit of 10 meetings found every invitation sent to a named person",
        ),
        by=personas.admin,
        origin=TEST_ORIGIN,
    )
    item.refresh_from_db()
    assert (item.status, item.next_review_on, item.version) == (ActionStatus.IMPACT_EVIDENCED, None, 3)
    assert item.evidence_of_impact == "An audit of 10 meetings found every invitation sent to a named person"
    history = [(entry.reviewed_on, entry.status, entry.by) for entry in board_selectors.progress_of(item=item)]
    assert history == [
        (dt.date(2026, 9, 1), ActionStatus.IMPACT_EVIDENCED, personas.admin),
        (dt.date(2026, 6, 1), ActionStatus.IN_PROGRESS, personas.board),
    ]
    events = AuditEvent.objects.filter(event=Event.ACTION_PROGRESS_REVIEWED).order_by("id")
    assert events.last().detail["status"] == {"from": "in_progress", "to": "impact_evidenced"}  # type: ignore[union-attr]
    with pytest.raises(StaleEdit):
        board_services.action_review_record(
            item=item,
            expected_version=1,
            details=ProgressDetails(reviewed_on=dt.date(2026, 9, 2), status=ActionStatus.COMPLETED, note="Late"),
            by=personas.board,
            origin=TEST_ORIGIN,
        )
    assert ActionReview.objects.count() == 2


def test_it_refuses_a_review_of_progress_without_date_or_note(personas: Personas, finding: Finding) -> None:
    item = _action(personas, finding)
    with pytest.raises(ValidationError) as caught:
        board_services.action_review_record(
            item=item,
            expected_version=1,
            details=ProgressDetails(
                reviewed_on=None, status=ActionStatus.IMPACT_EVIDENCED, note=" ", next_review_on=dt.date(2026, 1, 1)
            ),
            by=personas.board,
            origin=TEST_ORIGIN,
        )
    assert set(caught.value.message_dict) == {"reviewed_on", "note", "evidence_of_impact"}
    with pytest.raises(ValidationError) as caught:
        board_services.action_review_record(
            item=item,
            expected_version=1,
            details=ProgressDetails(
                reviewed_on=dt.date(2026, 3, 1), status="done", note="x", next_review_on=dt.date(2026, 3, 1)
            ),
            by=personas.board,
            origin=TEST_ORIGIN,
        )
    assert set(caught.value.message_dict) == {"status", "next_review_on"}


def test_an_action_turns_overdue_when_time_passes_its_due_date(personas: Personas, finding: Finding) -> None:
    with time_machine.travel(dt.datetime(2026, 9, 30, 12, 0, tzinfo=dt.UTC), tick=False):
        item = _action(personas, finding, due_date=dt.date(2026, 9, 30))
        done = _action(personas, finding, due_date=dt.date(2026, 9, 1), status=ActionStatus.COMPLETED)
        assert not item.is_overdue, "due today is not overdue yet"
        page = verified_client(personas.board).get("/reviews/CK2019/actions/").content.decode()
        assert "No action is overdue." in page
        assert "cv-overdue" not in page
    with time_machine.travel(dt.datetime(2026, 10, 1, 12, 0, tzinfo=dt.UTC), tick=False):
        item.refresh_from_db()
        assert item.is_overdue
        assert not done.is_overdue, "a completed action is never overdue"
        client = verified_client(personas.board)
        page = client.get("/reviews/CK2019/actions/").content.decode()
        assert "1 action overdue" in page
        assert page.count("cv-overdue") == 1
        assert "Overdue" in client.get("/reviews/CK2019/actions/1/").content.decode()
        assert "cv-overdue" in client.get("/reviews/CK2019/findings/1/").content.decode()
        assert "cv-overdue" in client.get("/reviews/CK2019/board-response/").content.decode()
        board = board_selectors.dashboard_for(user=personas.board)
        assert [action.number for action in board.overdue] == [1]


def test_it_filters_the_action_plan_by_status_and_agency(personas: Personas, finding: Finding) -> None:
    _action(personas, finding, action="Health action")
    _action(personas, finding, action="Police action", owner_agency=personas.police, status=ActionStatus.IN_PROGRESS)
    client = verified_client(personas.lead)
    page = client.get("/reviews/CK2019/actions/", {"status": "in_progress"}).content.decode()
    assert "Police action" in page and "Health action" not in page
    page = client.get("/reviews/CK2019/actions/", {"agency": str(personas.health.pk)}).content.decode()
    assert "Health action" in page and "Police action" not in page
    assert "1 action matching the filter" in page
    with time_machine.travel(dt.datetime(2027, 1, 1, 12, 0, tzinfo=dt.UTC), tick=False):
        # A new sign-in: the first one's session has long expired by then.
        page = verified_client(personas.lead).get("/reviews/CK2019/actions/", {"status": "overdue"}).content.decode()
        assert "Health action" in page and "Police action" in page


def test_it_exports_the_action_plan_with_formulas_neutralised(personas: Personas, finding: Finding) -> None:
    item = _action(personas, finding, action='=HYPERLINK("http://evil.invalid")', owner_role="+Manager")
    board_services.action_review_record(
        item=item,
        expected_version=1,
        details=ProgressDetails(reviewed_on=dt.date(2026, 6, 1), status=ActionStatus.IN_PROGRESS, note="-1 team left"),
        by=personas.board,
        origin=TEST_ORIGIN,
    )
    response = verified_client(personas.board).get("/reviews/CK2019/actions.xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="CK2019-action-plan.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][:9] == [
        "Action",
        "Finding",
        "Question for the board",
        "What will be done",
        "Owner agency",
        "Owner role",
        "Due date",
        "Status",
        "Overdue",
    ]
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["What will be done"] == '\'=HYPERLINK("http://evil.invalid")'
    assert row["Owner role"] == "'+Manager"
    assert row["Due date"] == "30/09/2026"
    assert row["Status"] == "In progress"
    assert row["Reviews of progress"] == "01/06/2026 (In progress): -1 team left"
    assert all(cell.data_type == "s" for line in sheet.iter_rows() for cell in line if cell.value is not None)
    assert AuditEvent.objects.filter(event=Event.ACTION_PLAN_EXPORTED, actor=personas.board).exists()


def test_it_adds_an_action_from_the_form_with_the_finding_chosen(personas: Personas, finding: Finding) -> None:
    client = verified_client(personas.board)
    page = client.get("/reviews/CK2019/actions/new/?finding=1").content.decode()
    assert f'value="{finding.pk}" selected' in page
    form = {
        "finding": str(finding.pk),
        "board_question": str(finding.board_questions.get().pk),
        "action": "Send invitations to named people",
        "owner_agency": str(personas.health.pk),
        "owner_role": "Early help manager",
        "due_date_day": "30",
        "due_date_month": "9",
        "due_date_year": "2026",
        "success_measure": "Named people invited",
        "status": "not_started",
    }
    response = client.post("/reviews/CK2019/actions/new/", form)
    assert response.status_code == 302 and response["Location"] == "/reviews/CK2019/actions/1/"
    errors = client.post(
        "/reviews/CK2019/actions/new/",
        form | {"due_date_day": "", "due_date_month": "", "due_date_year": "", "owner_role": ""},
    ).content.decode()
    assert "Enter the date the action is due" in errors
    assert "Enter the role that owns the action" in errors
    assert "govuk-error-summary" in errors
    assert ActionPlanItem.objects.count() == 1


# --- Who sees what -----------------------------------------------------------------------------------------


def test_only_those_who_record_the_response_may_write_it(personas: Personas, finding: Finding) -> None:
    _action(personas, finding)
    for name, read, write in [
        ("lead", 200, 200),
        ("reviewer", 200, 403),
        ("board", 200, 200),
        ("admin", 200, 200),
        ("practitioner", 403, 403),
        ("parent", 403, 403),
        ("contact", 403, 403),
        ("outsider", 404, 404),
    ]:
        client = verified_client(personas.by_name(name))
        for url in ("/reviews/CK2019/board-response/", "/reviews/CK2019/actions/", "/reviews/CK2019/actions/1/"):
            assert client.get(url).status_code == read, (name, url)
        for url in (
            "/reviews/CK2019/findings/1/response/",
            "/reviews/CK2019/actions/new/",
            "/reviews/CK2019/actions/1/edit/",
            "/reviews/CK2019/actions/1/progress/",
        ):
            assert client.get(url).status_code == write, (name, url)
    practitioner_page = verified_client(personas.practitioner).get("/reviews/CK2019/findings/1/").content.decode()
    assert "After the review" not in practitioner_page


def test_a_board_member_sees_findings_and_actions_but_no_conversation_record(personas: Personas) -> None:
    record = practitioner_record(personas)
    perspective = record.perspectives.get()
    kpe = episode(personas, perspectives=[perspective])
    finding = services.finding_create(
        review=personas.review,
        details=FindingDetails(
            statement="Routine enquiry is put off when a partner is present",
            category="family_professional",
            valence=FindingValence.RISK,
            episodes=[kpe],
        ),
        by=personas.lead,
        origin=TEST_ORIGIN,
    )
    board_services.board_response_save(
        finding=finding,
        details=ResponseDetails(text="Health visiting will add a prompt."),
        expected_version=None,
        by=personas.board,
        origin=TEST_ORIGIN,
    )
    _action(personas, finding, action="Add a prompt for a deferred enquiry")
    client = verified_client(personas.board)

    record_pages = [
        f"/reviews/CK2019/conversations/{record.pk}/",
        f"/reviews/CK2019/conversations/{record.pk}/versions/",
        f"/reviews/CK2019/conversations/{record.pk}/check/",
        f"/reviews/CK2019/conversations/{record.pk}/turning-points/{perspective.pk}/",
        "/reviews/CK2019/conversations/",
        "/reviews/CK2019/conversations/perspectives.xlsx",
        "/reviews/CK2019/conversations/perspectives.docx",
    ]
    for url in record_pages:
        assert client.get(url).status_code in {403, 404}, url

    seen = {
        url: client.get(url)
        for url in [
            "/reviews/CK2019/",
            "/reviews/CK2019/findings/",
            "/reviews/CK2019/findings/1/",
            "/reviews/CK2019/findings/matrix/",
            "/reviews/CK2019/board-response/",
            "/reviews/CK2019/actions/",
            "/reviews/CK2019/actions/1/",
            "/reviews/CK2019/actions.xlsx",
            "/board/",
        ]
    }
    assert {url: response.status_code for url, response in seen.items()} == dict.fromkeys(seen, 200)
    assert "Health visiting will add a prompt." in seen["/reviews/CK2019/findings/1/"].content.decode()
    assert "Add a prompt for a deferred enquiry" in seen["/reviews/CK2019/actions/"].content.decode()
    for url, response in seen.items():
        content = response.content.decode(errors="replace")
        for words in (OVERVIEW, TURNING_POINT, WHAT_THEY_THOUGHT, KNOWN_THEN, LEARNED_LATER):
            assert words not in content, (url, words)


# --- The board dashboard -----------------------------------------------------------------------------------


@pytest.fixture
def two_reviews(personas: Personas, finding: Finding) -> dict[str, Any]:
    """CK2019 (the board persona sits on it) with two findings and three actions; CK2020 in the same partnership
    and EM2025 in another, neither with the board persona, each with a finding and an action."""
    second = _finding(personas.review, personas.lead, category="human_reasoning", statement="First views stick")
    _action(personas, finding, status=ActionStatus.IN_PROGRESS, due_date=dt.date(2026, 1, 31))
    _action(personas, finding, status=ActionStatus.COMPLETED, due_date=dt.date(2026, 1, 31))
    _action(personas, second, status=ActionStatus.NOT_STARTED, due_date=dt.date(2027, 1, 31))
    sibling = review_services.review_create(
        partnership=personas.partnership, reference="CK2020", title="Child L", by=personas.admin, origin=TEST_ORIGIN
    )
    hidden = _finding(sibling, personas.admin, category="multiagency_longer_term", statement="Hidden sibling finding")
    _action(personas, hidden, action="Hidden sibling action", due_date=dt.date(2026, 1, 1))
    elsewhere = review_services.partnership_create(name="Elsewhere", by=None, origin=TEST_ORIGIN)
    foreign_agency = Agency.objects.create(partnership=elsewhere, name="Police")
    other_admin = make_user("otheradmin")
    review_services.partnership_admin_add(partnership=elsewhere, user=other_admin, by=None, origin=TEST_ORIGIN)
    foreign = review_services.review_create(
        partnership=elsewhere, reference="EM2025", title="Young Person M", by=other_admin, origin=TEST_ORIGIN
    )
    review_services.membership_add(
        review=foreign, user=other_admin, role=Role.BOARD, agency=None, by=other_admin, origin=TEST_ORIGIN
    )
    alien = _finding(foreign, other_admin, category="human_tool", statement="Foreign finding")
    board_services.action_create(
        review=foreign,
        details=ActionDetails(
            finding=alien,
            action="Foreign action",
            owner_agency=foreign_agency,
            owner_role="Chief",
            due_date=dt.date(2026, 1, 1),
            success_measure="Done",
        ),
        by=other_admin,
        origin=TEST_ORIGIN,
    )
    return {"sibling": sibling, "foreign": foreign}


def test_the_dashboard_counts_findings_and_actions_of_the_board_members_reviews_only(
    personas: Personas, two_reviews: dict[str, Any]
) -> None:
    with time_machine.travel(dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC), tick=False):
        board = board_selectors.dashboard_for(user=personas.board)
        assert [row.review.reference for row in board.reviews] == ["CK2019"]
        assert {pattern.code: count for pattern, count in board.by_category} == {
            "human_tool": 1,
            "human_management_system": 0,
            "multiagency_incidents_crises": 0,
            "multiagency_longer_term": 0,
            "family_professional": 0,
            "human_reasoning": 1,
        }
        assert {code: count for code, _, count in board.by_status} == {
            "not_started": 1,
            "in_progress": 1,
            "completed": 1,
            "impact_evidenced": 0,
            "withdrawn": 0,
        }
        assert [(item.review.reference, item.number) for item in board.overdue] == [("CK2019", 1)]

        page = verified_client(personas.board).get("/board/").content.decode()
        assert "<svg" in page and 'role="img"' in page
        assert "Findings by kind of pattern" in page and "Actions by status" in page
        assert "/reviews/CK2019/actions/1/" in page
        for hidden in ("CK2020", "EM2025", "Hidden sibling", "Foreign"):
            assert hidden not in page

        admin = board_selectors.dashboard_for(user=personas.admin)
        assert [row.review.reference for row in admin.reviews] == ["CK2019", "CK2020"]
        assert sorted((item.review.reference, item.number) for item in admin.overdue) == [
            ("CK2019", 1),
            ("CK2020", 1),
        ]
        admin_page = verified_client(personas.admin).get("/board/").content.decode()
        assert "Hidden sibling action" in admin_page and "Foreign" not in admin_page


def test_the_dashboard_is_for_board_members_and_administrators_and_linked_for_them(personas: Personas) -> None:
    for name, status in [("board", 200), ("admin", 200), ("lead", 403), ("practitioner", 403), ("outsider", 403)]:
        client = verified_client(personas.by_name(name))
        assert client.get("/board/").status_code == status, name
        header = client.get("/reviews/").content.decode()
        assert ('href="/board/"' in header) is (status == 200), name
