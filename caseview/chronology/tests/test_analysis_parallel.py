"""The candidate search shared with a forked process finds exactly what one process finds."""

from __future__ import annotations

import datetime as dt
import os
import random
from typing import Any

import pytest

from caseview.chronology import analysis
from caseview.chronology.rows import EntryRow

WORDS = [
    "visit",
    "home",
    "mother",
    "child",
    "baby",
    "school",
    "police",
    "referral",
    "assessment",
    "meeting",
    "strategy",
    "bruise",
]


def rows(n: int) -> list[EntryRow]:
    rng = random.Random(7)
    vocabulary = [f"word{i}" for i in range(400)]
    start = dt.date(2020, 1, 1)
    made = []
    for i in range(n):
        text = " ".join(rng.sample(vocabulary, 5) + rng.sample(WORDS, 3))
        made.append(
            EntryRow(
                id=f"{i:08d}",
                agency_id=str(i % 6),
                agency=f"Agency {i % 6}",
                date_start=start + dt.timedelta(days=rng.randrange(200)),
                date_precision="day",
                date_uncertain=False,
                date_end=None,
                date_end_precision=None,
                time=None,
                sequence=i,
                description=text,
                source="Record",
            )
        )
    return made


def test_the_shared_search_finds_what_one_process_finds(monkeypatch: pytest.MonkeyPatch) -> None:
    data = rows(3000)
    monkeypatch.setattr(analysis, "PARALLEL_FROM", 10**9)
    alone = analysis.find_candidate_links(data)
    forks = []
    real_fork = analysis.os.fork

    def counting_fork() -> int:
        forks.append(1)
        return real_fork()

    monkeypatch.setattr(analysis, "PARALLEL_FROM", 1000)
    monkeypatch.setattr(analysis.os, "fork", counting_fork)
    monkeypatch.setattr(analysis, "_may_fork", lambda: True)
    shared = analysis.find_candidate_links(data)
    assert forks, "the search was not shared with a second process"
    assert alone and sorted(shared) == sorted(alone)


def test_a_copy_that_fails_leaves_its_chunks_to_the_parent(monkeypatch: pytest.MonkeyPatch) -> None:
    data = rows(3000)
    monkeypatch.setattr(analysis, "PARALLEL_FROM", 10**9)
    alone = analysis.find_candidate_links(data)
    parent = os.getpid()
    sweep = analysis._Search._sweep
    swept = []

    def failing_in_the_copy(self: analysis._Search, *args: Any) -> Any:
        if os.getpid() != parent:
            raise RuntimeError("the copy failed")
        swept.append(1)
        return sweep(self, *args)

    monkeypatch.setattr(analysis._Search, "_sweep", failing_in_the_copy)
    monkeypatch.setattr(analysis, "PARALLEL_FROM", 1000)
    monkeypatch.setattr(analysis, "_may_fork", lambda: True)
    assert sorted(analysis.find_candidate_links(data)) == sorted(alone)
    assert len(swept) == analysis.CHUNKS  # every chunk, here


def test_the_order_of_the_rows_does_not_matter(monkeypatch: pytest.MonkeyPatch) -> None:
    data = rows(3000)
    monkeypatch.setattr(analysis, "PARALLEL_FROM", 10**9)
    found = analysis.find_candidate_links(data)
    for seed in range(3):
        shuffled = list(data)
        random.Random(seed).shuffle(shuffled)
        assert analysis.find_candidate_links(shuffled) == found
