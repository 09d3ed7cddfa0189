"""Using the machine's other cores for work that needs no database: forked copies of this process."""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


def cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def may_fork() -> bool:
    """Whether work may be shared with forked copies of this process: on a system that can fork, from a process
    with a single thread (forking one with more can leave the copy holding another thread's lock), with a
    second core."""
    return hasattr(os, "fork") and threading.active_count() == 1 and cores() > 1


def map_ahead(function: Callable[[Item], Result], items: Sequence[Item]) -> Iterator[Result]:
    """function(item) for each item, in order, worked out ahead by forked copies of this process (one per core:
    the caller, busy with each result, leaves a core free while it waits for the next) where may_fork allows;
    otherwise here, one at a time as they are asked for.

    `function` must be a module's own function and touch no database: a copy shares this process's open
    connections and must not use them. Items and results travel pickled. Should the caller stop early, the
    copies are stopped."""
    if len(items) < 2 or not may_fork():
        yield from map(function, items)
        return
    with multiprocessing.get_context("fork").Pool(min(len(items), cores())) as pool:
        yield from pool.imap(function, items)
