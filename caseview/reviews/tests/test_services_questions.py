"""The questions a review asks: adding, changing (with stale-edit refusal) and removing with renumbering."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from caseview.core.audit import Event
from caseview.core.models import AuditEvent
from caseview.reviews import services
from caseview.reviews.models import Review, ReviewQuestion
from conftest import TEST_ORIGIN, Personas, verified_client


def texts(review: Review) -> list[tuple[int, str]]:
    return list(review.questions.order_by("number").values_list("number", "text"))


def add(personas: Personas, *questions: str) -> list[ReviewQuestion]:
    return [
        services.review_question_add(review=personas.review, text=text, by=personas.lead, origin=TEST_ORIGIN)
        for text in questions
    ]


def test_it_adds_a_question_with_the_next_number(personas: Personas) -> None:
    (question,) = add(personas, "  Who knew what?  ")
    assert question.number == 2
    assert texts(personas.review) == [(1, "How well do agencies share?"), (2, "Who knew what?")]
    event = AuditEvent.objects.get(event=Event.REVIEW_QUESTION_ADDED)
    assert (event.actor, event.review, event.object_id) == (personas.lead, personas.review, str(question.pk))
    assert event.detail == {"text": "Who knew what?"}


def test_it_numbers_after_the_highest_even_with_no_questions_yet(personas: Personas) -> None:
    personas.review.questions.all().delete()
    (question,) = add(personas, "First again?")
    assert question.number == 1


def test_it_refuses_an_empty_question(personas: Personas) -> None:
    with pytest.raises(ValidationError) as caught:
        add(personas, "   ")
    assert caught.value.message_dict["text"] == ["Enter the question the review asks"]
    assert personas.review.questions.count() == 1


def test_it_changes_a_question_and_records_before_and_after(personas: Personas) -> None:
    question = personas.review.questions.get(number=1)
    updated = services.review_question_update(
        question=question,
        text="How well do agencies talk?",
        expected_version=question.version,
        by=personas.lead,
        origin=TEST_ORIGIN,
    )
    assert updated.version == question.version + 1
    assert texts(personas.review) == [(1, "How well do agencies talk?")]
    event = AuditEvent.objects.get(event=Event.REVIEW_QUESTION_CHANGED)
    assert event.detail == {"from": "How well do agencies share?", "to": "How well do agencies talk?"}
    assert event.summary == "Changed question 1"


def test_it_refuses_a_stale_change_to_a_question_and_keeps_the_first(personas: Personas) -> None:
    question = personas.review.questions.get(number=1)
    opened_at = question.version
    services.review_question_update(
        question=question,
        text="First person's words",
        expected_version=opened_at,
        by=personas.lead,
        origin=TEST_ORIGIN,
    )
    with pytest.raises(services.StaleEdit):
        services.review_question_update(
            question=question,
            text="Second person's words",
            expected_version=opened_at,
            by=personas.admin,
            origin=TEST_ORIGIN,
        )
    assert texts(personas.review) == [(1, "First person's words")]
    assert AuditEvent.objects.filter(event=Event.REVIEW_QUESTION_CHANGED).count() == 1


def test_it_refuses_to_blank_a_question(personas: Personas) -> None:
    question = personas.review.questions.get(number=1)
    with pytest.raises(ValidationError):
        services.review_question_update(
            question=question, text=" ", expected_version=question.version, by=personas.lead, origin=TEST_ORIGIN
        )
    assert texts(personas.review) == [(1, "How well do agencies share?")]


def test_removing_a_question_renumbers_the_rest(personas: Personas) -> None:
    add(personas, "Two?", "Three?", "Four?")
    second = personas.review.questions.get(number=2)
    second_id = str(second.pk)
    services.review_question_remove(question=second, by=personas.lead, origin=TEST_ORIGIN)
    assert texts(personas.review) == [(1, "How well do agencies share?"), (2, "Three?"), (3, "Four?")]
    event = AuditEvent.objects.get(event=Event.REVIEW_QUESTION_REMOVED)
    assert event.summary == "Removed question 2"
    assert event.detail == {"text": "Two?"}
    assert event.object_id == second_id


def test_a_question_added_after_a_removal_takes_the_next_free_number(personas: Personas) -> None:
    add(personas, "Two?", "Three?")
    services.review_question_remove(
        question=personas.review.questions.get(number=1), by=personas.lead, origin=TEST_ORIGIN
    )
    (question,) = add(personas, "New?")
    assert question.number == 3
    assert texts(personas.review) == [(1, "Two?"), (2, "Three?"), (3, "New?")]


# Through the web


def test_the_lead_adds_a_question_through_the_web(personas: Personas) -> None:
    response = verified_client(personas.lead).post("/reviews/CK2019/questions/new/", {"text": "Who was heard?"})
    assert response.status_code == 302
    assert texts(personas.review)[-1] == (2, "Who was heard?")


def test_the_lead_changes_a_question_through_the_web(personas: Personas) -> None:
    question = personas.review.questions.get(number=1)
    response = verified_client(personas.lead).post(
        "/reviews/CK2019/questions/1/", {"text": "Changed?", "version": question.version}
    )
    assert response.status_code == 302
    assert texts(personas.review) == [(1, "Changed?")]


def test_a_stale_change_through_the_web_shows_the_other_persons_words(personas: Personas) -> None:
    question = personas.review.questions.get(number=1)
    opened_at = question.version
    services.review_question_update(
        question=question, text="The lead's words", expected_version=opened_at, by=personas.lead, origin=TEST_ORIGIN
    )
    response = verified_client(personas.admin).post(
        "/reviews/CK2019/questions/1/", {"text": "The admin's words", "version": opened_at}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Someone else changed this question" in html
    assert "The lead&#x27;s words" in html
    assert texts(personas.review) == [(1, "The lead's words")]


def test_the_lead_removes_a_question_through_the_web(personas: Personas) -> None:
    add(personas, "Two?")
    response = verified_client(personas.lead).post("/reviews/CK2019/questions/1/", {"action": "remove"})
    assert response.status_code == 302
    assert texts(personas.review) == [(1, "Two?")]


def test_a_board_member_cannot_change_questions(personas: Personas) -> None:
    client = verified_client(personas.board)
    assert client.post("/reviews/CK2019/questions/new/", {"text": "Mine?"}).status_code == 403
    assert client.post("/reviews/CK2019/questions/1/", {"action": "remove"}).status_code == 403
    assert texts(personas.review) == [(1, "How well do agencies share?")]
