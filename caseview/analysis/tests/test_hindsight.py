"""The hindsight separation on an episode's appraisal (quality gate G6): what was known at the time kept apart
from what became known later, and a hindsight check with the techniques used."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from caseview.analysis.tests.helpers import appraise, episode
from conftest import Personas, verified_client

pytestmark = pytest.mark.django_db


def test_it_saves_known_then_and_known_later_apart_encrypted(personas: Personas) -> None:
    saved = appraise(
        episode(personas),
        personas,
        known_at_the_time="The midwife's note",
        known_later="The partner's conviction",
        hindsight_checked=True,
        hindsight_note="Outcome kept off the screen",
    )
    assert (saved.known_at_the_time, saved.known_later, saved.hindsight_checked) == (
        "The midwife's note",
        "The partner's conviction",
        True,
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT known_at_the_time, known_later, hindsight_note FROM analysis_keypracticeepisode")
        assert "conviction" not in " ".join(cursor.fetchone())


def test_it_leaves_the_hindsight_fields_alone_when_not_given(personas: Personas) -> None:
    saved = appraise(episode(personas), personas, known_at_the_time="Then", hindsight_checked=False)
    again = appraise(saved, personas, practice_compared="Changed")
    assert (again.known_at_the_time, again.practice_compared) == ("Then", "Changed")


def test_it_refuses_a_hindsight_check_without_the_techniques_used(personas: Personas) -> None:
    with pytest.raises(ValidationError) as caught:
        appraise(episode(personas), personas, hindsight_checked=True, hindsight_note=" ")
    assert set(caught.value.message_dict) == {"hindsight_note"}


def test_the_appraisal_page_records_the_hindsight_check(personas: Personas) -> None:
    item = episode(personas)
    client = verified_client(personas.reviewer)
    page = client.get("/reviews/CK2019/analysis/episodes/1/appraisal/").content.decode()
    assert "What was known at the time" in page and "What became known later" in page
    client.post(
        "/reviews/CK2019/analysis/episodes/1/appraisal/",
        {
            "expected_practice": "",
            "practice_compared": "",
            "certainty": "",
            "certainty_reason": "",
            "known_at_the_time": "The midwife's note",
            "known_later": "Nothing came to light later",
            "hindsight_checked": "on",
            "hindsight_note": "Appraised independently by two reviewers",
            "version": item.version,
        },
    )
    item.refresh_from_db()
    assert item.hindsight_checked and item.hindsight_note == "Appraised independently by two reviewers"
    shown = client.get("/reviews/CK2019/analysis/episodes/1/").content.decode()
    assert "Done: Appraised independently by two reviewers" in shown
