"""map_ahead: results in order, worked out by forked copies where it may fork, here otherwise."""

from __future__ import annotations

import os

import pytest

from caseview.core import parallel


def square_and_where(n: int) -> tuple[int, int]:
    return n * n, os.getpid()


def test_it_works_ahead_in_forked_copies_and_keeps_the_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "may_fork", lambda: True)
    results = list(parallel.map_ahead(square_and_where, list(range(12))))
    assert [square for square, _ in results] == [n * n for n in range(12)]
    assert all(pid != os.getpid() for _, pid in results)


def test_it_works_here_when_it_may_not_fork(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "may_fork", lambda: False)
    results = list(parallel.map_ahead(square_and_where, [1, 2, 3]))
    assert results == [(1, os.getpid()), (4, os.getpid()), (9, os.getpid())]


def test_it_may_not_fork_beside_another_thread() -> None:
    import threading

    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert parallel.may_fork() is False
    finally:
        stop.set()
        thread.join()
