"""map_ahead: results in order, worked out by forked copies where it may fork, here otherwise."""

from __future__ import annotations

import multiprocessing.process
import os
import time

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


def where_and_sum(numbers: list[int]) -> tuple[int, int]:
    return os.getpid(), sum(numbers)


def fails_in_a_copy(parent: int) -> int:
    if os.getpid() != parent:
        raise RuntimeError("the copy failed")
    return os.getpid()


def test_later_works_it_out_in_a_forked_copy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "may_fork", lambda: True)
    with parallel.Later(where_and_sum, list(range(1000))) as later:
        pid, total = later.result()
    assert pid != os.getpid() and total == sum(range(1000))


def test_later_works_it_out_here_when_the_copy_fails_or_it_may_not_fork(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "may_fork", lambda: True)
    assert parallel.Later(fails_in_a_copy, os.getpid()).result() == os.getpid()
    monkeypatch.setattr(parallel, "may_fork", lambda: False)
    assert parallel.Later(where_and_sum, [1, 2]).result() == (os.getpid(), 3)


def test_later_stops_its_copy_when_the_block_ends_first(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "may_fork", lambda: True)
    with parallel.Later(time.sleep, 30) as later:
        process = later._process
    assert process is not None and not process.is_alive()


def test_later_works_it_out_here_when_no_process_can_be_started(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "may_fork", lambda: True)

    def refused(self: object) -> None:
        raise OSError("Resource temporarily unavailable")

    monkeypatch.setattr(multiprocessing.process.BaseProcess, "start", refused)
    assert parallel.Later(where_and_sum, [4, 5]).result() == (os.getpid(), 9)
