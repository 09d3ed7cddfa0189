"""`caseview user create`: accounts from the command line, with --json output and a non-zero exit on failure."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from caseview.accounts.models import User
from caseview.core.audit import Event
from caseview.core.models import AuditEvent

GOOD_PASSWORD = "a-long-and-unusual-passphrase-42"


def run(*args: str, stdin: str = "", monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    out, err = io.StringIO(), io.StringIO()
    call_command("user", "create", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_creates_an_account_with_a_password_from_stdin(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    out, _ = run(
        "--username", "sam", "--email", "sam@example.org", "--password-stdin",
        stdin=f"{GOOD_PASSWORD}\n", monkeypatch=monkeypatch,
    )  # fmt: skip

    user = User.objects.get(username="sam")
    assert user.email == "sam@example.org"
    assert user.check_password(GOOD_PASSWORD)
    assert not user.is_superuser
    assert "Created account sam" in out


def test_it_prints_json_when_asked(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    out, _ = run(
        "--username", "sam", "--email", "sam@example.org", "--password-stdin", "--json",
        stdin=f"{GOOD_PASSWORD}\n", monkeypatch=monkeypatch,
    )  # fmt: skip

    result = json.loads(out)
    assert result["ok"] is True
    assert result["username"] == "sam"
    assert result["admin"] is False
    assert result["has_password"] is True
    assert GOOD_PASSWORD not in out


def test_it_records_the_new_account_in_the_audit_trail(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    run("--username", "sam", "--email", "sam@example.org", monkeypatch=monkeypatch)

    event = AuditEvent.objects.get(event=Event.USER_CREATED)
    assert event.actor is None
    assert event.object_id == str(User.objects.get(username="sam").pk)
    assert "sam" in event.summary
    assert event.user_agent.startswith("caseview command line")


def test_it_makes_an_installation_administrator_with_admin(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    out, _ = run("--username", "root2", "--email", "r@example.org", "--admin", "--json", monkeypatch=monkeypatch)

    user = User.objects.get(username="root2")
    assert user.is_superuser
    assert user.is_staff
    assert json.loads(out)["admin"] is True


def test_it_leaves_the_password_unusable_without_password_stdin(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    out, _ = run("--username", "sam", "--email", "sam@example.org", monkeypatch=monkeypatch)

    assert not User.objects.get(username="sam").has_usable_password()
    assert "cannot sign in until one is set" in out


def test_it_refuses_a_duplicate_username(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    run("--username", "sam", "--email", "sam@example.org", monkeypatch=monkeypatch)

    with pytest.raises(SystemExit) as exit_info:
        run("--username", "SAM", "--email", "other@example.org", monkeypatch=monkeypatch)

    assert exit_info.value.code == 1
    assert User.objects.filter(username__iexact="sam").count() == 1
    assert AuditEvent.objects.filter(event=Event.USER_CREATED).count() == 1


def test_it_explains_a_duplicate_username(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    run("--username", "sam", "--email", "sam@example.org", monkeypatch=monkeypatch)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    out, err = io.StringIO(), io.StringIO()

    with pytest.raises(SystemExit):
        call_command("user", "create", "--username", "sam", "--email", "x@example.org", stdout=out, stderr=err)

    assert "There is already an account called sam" in err.getvalue()


def test_it_explains_a_duplicate_username_in_json(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    run("--username", "sam", "--email", "sam@example.org", monkeypatch=monkeypatch)
    out = io.StringIO()

    with pytest.raises(SystemExit) as exit_info:
        call_command("user", "create", "--username", "sam", "--json", stdout=out, stderr=io.StringIO())

    assert exit_info.value.code == 1
    result = json.loads(out.getvalue())
    assert result["ok"] is False
    assert "There is already an account called sam" in result["error"]


def test_it_refuses_a_weak_password(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    err = io.StringIO()
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))

    with pytest.raises(SystemExit) as exit_info:
        call_command("user", "create", "--username", "sam", "--password-stdin", stdout=io.StringIO(), stderr=err)

    assert exit_info.value.code == 1
    assert "too short" in err.getvalue()
    assert not User.objects.filter(username="sam").exists()


def test_it_refuses_an_empty_password_stdin(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(SystemExit) as exit_info:
        run("--username", "sam", "--password-stdin", stdin="\n", monkeypatch=monkeypatch)

    assert exit_info.value.code == 1
    assert not User.objects.filter(username="sam").exists()
