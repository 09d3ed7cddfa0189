"""Moving a review between the stages of method.md §6.3, through the service and the web."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from caseview.core.audit import Event
from caseview.core.models import AuditEvent
from caseview.reviews import services
from caseview.reviews.models import Review, Stage, StageChange
from conftest import TEST_ORIGIN, Personas, verified_client


def put_at(review: Review, stage: str) -> None:
    Review.objects.filter(pk=review.pk).update(stage=stage)
    review.refresh_from_db()


@pytest.mark.parametrize(
    ("current", "expected"),
    [
        (Stage.REFERRED, [Stage.DECISION_PENDING]),
        (Stage.COMMISSIONED, [Stage.PREPARATION]),
        (Stage.PREPARATION, [Stage.DATA_COLLECTION]),
        (Stage.DATA_COLLECTION, [Stage.ANALYSIS]),
        (Stage.ANALYSIS, [Stage.VALIDATION]),
        (Stage.VALIDATION, [Stage.FINDINGS_PRIORITISED, Stage.ANALYSIS]),
        (Stage.BOARD_RESPONSE, [Stage.SENT_TO_PANEL]),
        (Stage.SENT_TO_PANEL, [Stage.PUBLISHED, Stage.NOT_PUBLISHED_IMPROVEMENTS_PUBLISHED]),
        (Stage.PUBLISHED, [Stage.IMPLEMENTATION_MONITORING]),
        (Stage.NOT_PUBLISHED_IMPROVEMENTS_PUBLISHED, [Stage.IMPLEMENTATION_MONITORING]),
        (Stage.IMPLEMENTATION_MONITORING, [Stage.CLOSED]),
        (Stage.CLOSED, []),
    ],
)
def test_it_offers_the_stages_the_method_allows_next(current: str, expected: list[str]) -> None:
    assert services.allowed_next_stages(current) == [str(stage) for stage in expected]


def test_it_never_offers_a_path_from_published_to_the_other_outcome() -> None:
    assert Stage.NOT_PUBLISHED_IMPROVEMENTS_PUBLISHED not in services.allowed_next_stages(Stage.PUBLISHED)
    assert Stage.PUBLISHED not in services.allowed_next_stages(Stage.NOT_PUBLISHED_IMPROVEMENTS_PUBLISHED)


def test_every_stage_but_closed_leads_somewhere() -> None:
    for stage in Stage:
        if stage != Stage.CLOSED:
            assert services.allowed_next_stages(stage), stage


def test_it_moves_the_review_on_and_records_who_and_when(personas: Personas) -> None:
    review = personas.review
    version = review.version
    change = services.review_stage_change(
        review=review, to_stage=Stage.PREPARATION, by=personas.lead, origin=TEST_ORIGIN, note="  Agreed at panel  "
    )
    review.refresh_from_db()
    assert review.stage == Stage.PREPARATION
    assert review.version == version + 1
    stored = StageChange.objects.get(pk=change.pk)
    assert (stored.from_stage, stored.to_stage) == (Stage.COMMISSIONED, Stage.PREPARATION)
    assert stored.changed_by == personas.lead
    assert stored.changed_at is not None
    assert stored.note == "Agreed at panel"


def test_it_records_the_move_in_the_audit_trail(personas: Personas) -> None:
    change = services.review_stage_change(
        review=personas.review, to_stage=Stage.PREPARATION, by=personas.lead, origin=TEST_ORIGIN
    )
    event = AuditEvent.objects.get(review=personas.review, event=Event.REVIEW_STAGE_CHANGED)
    assert event.actor == personas.lead
    assert event.object_id == str(change.pk)
    assert event.summary == "Moved from Commissioned to Preparation"
    assert event.detail == {"from": "commissioned", "to": "preparation", "note": ""}


@pytest.mark.parametrize("target", [Stage.ANALYSIS, Stage.CLOSED, Stage.COMMISSIONED, Stage.REFERRED])
def test_it_refuses_a_jump(personas: Personas, target: str) -> None:
    with pytest.raises(ValidationError) as caught:
        services.review_stage_change(review=personas.review, to_stage=target, by=personas.lead, origin=TEST_ORIGIN)
    assert "can move to Preparation" in caught.value.message_dict["to_stage"][0]
    personas.review.refresh_from_db()
    assert personas.review.stage == Stage.COMMISSIONED
    assert personas.review.stage_changes.count() == 1
    assert not AuditEvent.objects.filter(event=Event.REVIEW_STAGE_CHANGED).exists()


def test_it_lets_validation_go_back_to_analysis(personas: Personas) -> None:
    put_at(personas.review, Stage.VALIDATION)
    services.review_stage_change(review=personas.review, to_stage=Stage.ANALYSIS, by=personas.lead, origin=TEST_ORIGIN)
    personas.review.refresh_from_db()
    assert personas.review.stage == Stage.ANALYSIS


@pytest.mark.parametrize("outcome", [Stage.PUBLISHED, Stage.NOT_PUBLISHED_IMPROVEMENTS_PUBLISHED])
def test_either_publication_outcome_leads_to_monitoring(personas: Personas, outcome: str) -> None:
    put_at(personas.review, Stage.SENT_TO_PANEL)
    services.review_stage_change(review=personas.review, to_stage=outcome, by=personas.lead, origin=TEST_ORIGIN)
    services.review_stage_change(
        review=personas.review, to_stage=Stage.IMPLEMENTATION_MONITORING, by=personas.lead, origin=TEST_ORIGIN
    )
    personas.review.refresh_from_db()
    assert personas.review.stage == Stage.IMPLEMENTATION_MONITORING


def test_a_closed_review_goes_nowhere(personas: Personas) -> None:
    put_at(personas.review, Stage.CLOSED)
    with pytest.raises(ValidationError) as caught:
        services.review_stage_change(
            review=personas.review, to_stage=Stage.IMPLEMENTATION_MONITORING, by=personas.lead, origin=TEST_ORIGIN
        )
    assert "can move to nowhere" in caught.value.message_dict["to_stage"][0]


def test_it_walks_the_whole_way_from_commissioned_to_closed(personas: Personas) -> None:
    review = personas.review
    while review.stage != Stage.CLOSED:
        services.review_stage_change(
            review=review,
            to_stage=services.allowed_next_stages(review.stage)[0],
            by=personas.lead,
            origin=TEST_ORIGIN,
        )
    path = list(review.stage_changes.values_list("to_stage", flat=True))
    assert path[0] == Stage.COMMISSIONED
    assert path[-1] == Stage.CLOSED
    assert Stage.PUBLISHED in path


# Through the web


def test_the_lead_moves_the_review_on_through_the_web(personas: Personas) -> None:
    client = verified_client(personas.lead)
    response = client.post("/reviews/CK2019/stage/", {"to_stage": Stage.PREPARATION, "note": "Case group agreed"})
    assert response.status_code == 302
    assert response["Location"] == "/reviews/CK2019/"
    personas.review.refresh_from_db()
    assert personas.review.stage == Stage.PREPARATION
    change = personas.review.stage_changes.get(to_stage=Stage.PREPARATION)
    assert change.changed_by == personas.lead
    assert change.note == "Case group agreed"
    event = AuditEvent.objects.get(event=Event.REVIEW_STAGE_CHANGED)
    assert event.actor == personas.lead


def test_the_stage_page_offers_only_the_allowed_stages(personas: Personas) -> None:
    response = verified_client(personas.lead).get("/reviews/CK2019/stage/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="preparation"' in html
    assert 'value="analysis"' not in html


def test_the_web_refuses_a_jump(personas: Personas) -> None:
    response = verified_client(personas.lead).post("/reviews/CK2019/stage/", {"to_stage": Stage.CLOSED})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    personas.review.refresh_from_db()
    assert personas.review.stage == Stage.COMMISSIONED


def test_a_review_team_member_cannot_move_the_stage(personas: Personas) -> None:
    response = verified_client(personas.reviewer).post("/reviews/CK2019/stage/", {"to_stage": Stage.PREPARATION})
    assert response.status_code == 403
    personas.review.refresh_from_db()
    assert personas.review.stage == Stage.COMMISSIONED


def test_the_overview_shows_the_stage_history_with_who_moved_it(personas: Personas) -> None:
    services.review_stage_change(
        review=personas.review, to_stage=Stage.PREPARATION, by=personas.lead, origin=TEST_ORIGIN, note="Letters sent"
    )
    response = verified_client(personas.board).get("/reviews/CK2019/")
    assert response.status_code == 200
    html = response.content.decode()
    history = html[html.index('id="stage-history"') :]
    history = history[: history.index("</ul>")]
    assert "Preparation" in history
    assert "by lead" in history
    assert "Letters sent" in history
    assert "Commissioned" in history
    assert "by admin" in history
    # Newest first.
    assert history.index("Preparation") < history.index("Commissioned")
