"""`caseview review create` and `caseview member add`: output, --json, and a non-zero exit on failure."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from caseview.core.audit import Event
from caseview.core.models import AuditEvent
from caseview.reviews.models import Membership, Partnership, Review, Role, Stage
from conftest import Personas, make_user


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def fails(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    with pytest.raises(SystemExit) as caught:
        call_command(*args, stdout=out, stderr=err)
    assert caught.value.code == 1
    return out.getvalue(), err.getvalue()


def as_json(text: str) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(text)
    return result


# review create


def test_it_creates_a_review_in_the_default_partnership(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CASEVIEW_DEFAULT_PARTNERSHIP", raising=False)
    out, _ = run("review", "create", "--ref", "bj2024", "--title", "Baby J")
    assert out.strip() == "Created review BJ2024 (Baby J) for Default partnership"
    review = Review.objects.get(reference="BJ2024")
    assert review.partnership.name == "Default partnership"
    assert review.stage == Stage.COMMISSIONED
    event = AuditEvent.objects.get(event=Event.REVIEW_CREATED)
    assert event.actor is None
    assert event.user_agent.startswith("caseview command line")


def test_it_reuses_the_default_partnership(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CASEVIEW_DEFAULT_PARTNERSHIP", raising=False)
    run("review", "create", "--ref", "AA1", "--title", "Child A")
    run("review", "create", "--ref", "BB2", "--title", "Child B")
    assert Partnership.objects.count() == 1
    assert Review.objects.filter(partnership__name="Default partnership").count() == 2


def test_the_default_partnership_is_named_by_the_environment(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASEVIEW_DEFAULT_PARTNERSHIP", "Northshire Partnership")
    run("review", "create", "--ref", "AA1", "--title", "Child A")
    assert Review.objects.get(reference="AA1").partnership.name == "Northshire Partnership"


def test_it_creates_a_named_partnership_that_is_new(db: None) -> None:
    out, _ = run("review", "create", "--ref", "BJ2024", "--title", "Baby J", "--partnership", "Westshire", "--json")
    result = as_json(out)
    assert result["ok"] is True
    assert {key: result[key] for key in ["reference", "title", "partnership", "stage"]} == {
        "reference": "BJ2024",
        "title": "Baby J",
        "partnership": "Westshire",
        "stage": "commissioned",
    }
    assert result["id"] == str(Review.objects.get(reference="BJ2024").pk)
    assert AuditEvent.objects.filter(event=Event.PARTNERSHIP_CREATED, partnership__name="Westshire").exists()


def test_it_uses_an_existing_partnership_whatever_its_case(personas: Personas) -> None:
    out, _ = run(
        "review",
        "create",
        "--ref",
        "BJ2024",
        "--title",
        "Baby J",
        "--partnership",
        "testshire safeguarding partnership",
    )
    assert Review.objects.get(reference="BJ2024").partnership == personas.partnership
    assert Partnership.objects.count() == 1
    assert "Testshire Safeguarding Partnership" in out


def test_it_takes_the_questions(db: None) -> None:
    run("review", "create", "--ref", "BJ2024", "--title", "Baby J", "--question", "One?", "--question", "Two?")
    review = Review.objects.get(reference="BJ2024")
    assert list(review.questions.values_list("number", "text")) == [(1, "One?"), (2, "Two?")]


def test_a_duplicate_reference_exits_1_with_a_message(personas: Personas) -> None:
    _, err = fails("review", "create", "--ref", "ck2019", "--title", "Again")
    assert err.strip() == "caseview: reference: There is already a review with the reference CK2019"
    assert Review.objects.filter(reference="CK2019").count() == 1


def test_a_duplicate_reference_with_json_says_so_in_json(personas: Personas) -> None:
    out, _ = fails("review", "create", "--ref", "CK2019", "--title", "Again", "--json")
    assert as_json(out) == {"ok": False, "error": "reference: There is already a review with the reference CK2019"}


def test_a_malformed_reference_exits_1(db: None) -> None:
    _, err = fails("review", "create", "--ref", "not a ref", "--title", "X")
    assert "reference:" in err
    assert not Review.objects.exists()


def test_an_empty_title_exits_1(db: None) -> None:
    _, err = fails("review", "create", "--ref", "BJ2024", "--title", "  ")
    assert "title:" in err
    assert not Review.objects.exists()


# member add


def test_it_gives_a_person_a_role(personas: Personas) -> None:
    make_user("newcomer")
    out, _ = run("member", "add", "--review", "ck2019", "--user", "NewComer", "--role", "practitioner")
    assert out.strip() == "newcomer is now case-group practitioner in CK2019"
    membership = Membership.objects.get(review=personas.review, user__username="newcomer")
    assert membership.role == Role.PRACTITIONER
    assert membership.added_by is None
    assert AuditEvent.objects.filter(event=Event.MEMBER_ADDED, object_id=str(membership.pk)).exists()


def test_it_answers_in_json(personas: Personas) -> None:
    make_user("newcomer")
    out, _ = run(
        "member", "add", "--review", "CK2019", "--user", "newcomer", "--role", "board", "--position", "Chair", "--json"
    )
    assert as_json(out) == {"ok": True, "review": "CK2019", "user": "newcomer", "role": "board"}
    assert Membership.objects.get(user__username="newcomer").position == "Chair"


def test_an_unknown_review_exits_1(personas: Personas) -> None:
    _, err = fails("member", "add", "--review", "NOPE1", "--user", "outsider", "--role", "board")
    assert err.strip() == "caseview: There is no review with the reference NOPE1"
    assert not Membership.objects.filter(user=personas.outsider).exists()


def test_an_unknown_user_exits_1(personas: Personas) -> None:
    out, _ = fails("member", "add", "--review", "CK2019", "--user", "nobody", "--role", "board", "--json")
    assert as_json(out) == {"ok": False, "error": "There is no active account with the username nobody"}


def test_a_second_role_in_the_same_review_exits_1(personas: Personas) -> None:
    _, err = fails("member", "add", "--review", "CK2019", "--user", "board", "--role", "review_team")
    assert "board already has a role in this review" in err
    assert Membership.objects.get(review=personas.review, user=personas.board).role == Role.BOARD


def test_an_unknown_role_is_refused_before_anything_is_written(personas: Personas) -> None:
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("member", "add", "--review", "CK2019", "--user", "outsider", "--role", "chair")
    assert not Membership.objects.filter(user=personas.outsider).exists()
