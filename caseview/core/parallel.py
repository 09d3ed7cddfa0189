"""Using the machine's other cores for work that needs no database: forked copies of this process."""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Generic, TypeVar, cast

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
    """function(item) for each item, in order, worked out ahead by forked copies of this process, one per core
    (the caller mostly waits for them), where may_fork allows; otherwise here, one at a time as they are asked
    for.

    `function` must be a module's own function and touch no database: a copy shares this process's open
    connections and must not use them. Items and results travel pickled. Should the caller stop early, the
    copies are stopped."""
    if len(items) < 2 or not may_fork():
        yield from map(function, items)
        return
    with multiprocessing.get_context("fork").Pool(min(len(items), cores())) as pool:
        yield from pool.imap(function, items)


class Later(Generic[Result]):
    """function(*args) worked out in a forked copy of this process while the caller goes on, where may_fork
    allows; result() waits for it. Otherwise (or should the copy fail) result() works it out here.

    The copy reads `args` from the memory it shares with this process (nothing is pickled on the way in);
    only the result travels back, pickled. The same rules as map_ahead's: no database in `function`. Used as
    a context manager, it stops a copy still working when the block ends before asking for the result."""

    def __init__(self, function: Callable[..., Result], *args: Any) -> None:
        self._function, self._args = function, args
        self._process: Any = None
        if may_fork():
            context = multiprocessing.get_context("fork")
            self._receive, send = context.Pipe(duplex=False)
            process = context.Process(target=_send_result, args=(send, function, args), daemon=True)
            try:
                process.start()
                self._process = process
            except OSError:  # no process to be had (a limit on processes, or on memory): result() works it out
                self._receive.close()
            send.close()

    def result(self) -> Result:
        process, self._process = self._process, None
        if process is not None:
            try:
                done, value = self._receive.recv()
            except EOFError:  # the copy died
                done, value = False, None
            finally:
                self._receive.close()
                process.join()
            if done:
                return cast(Result, value)
        return self._function(*self._args)

    def __enter__(self) -> Later[Result]:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._process is not None:
            self._process.terminate()
            self._process.join()
            self._receive.close()
            self._process = None


def _send_result(connection: Any, function: Callable[..., Any], args: tuple[Any, ...]) -> None:
    try:
        result = (True, function(*args))
    except Exception:  # the caller works it out again, and sees the exception there
        result = (False, None)
    connection.send(result)
    connection.close()
