"""Analyses over a merged chronology: silent periods and candidate links between agencies' accounts.

Pure functions over `EntryRow`s: no database access, so they run the same on a review of 30 entries and on a
benchmark of 100,000.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import gc
import math
import os
import pickle
import re
import threading
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from collections.abc import Set as AbstractSet
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import chain
from typing import Protocol, TypeVar

from caseview.chronology.dates import MONTH, YEAR
from caseview.chronology.rows import EntryRow

ANY_AGENCY = "Any agency"


class Dated(Protocol):
    """What entry_span reads of a row: an EntryRow, or a lighter row read for one analysis."""

    @property
    def date_start(self) -> dt.date: ...
    @property
    def date_precision(self) -> str: ...
    @property
    def date_end(self) -> dt.date | None: ...
    @property
    def date_end_precision(self) -> str | None: ...


class Linkable(Dated, Protocol):
    """What find_candidate_links reads of a row (selectors.analysis_rows reads only this)."""

    @property
    def id(self) -> str: ...
    @property
    def agency_id(self) -> str: ...
    @property
    def description(self) -> str: ...


# --- Dates as spans ----------------------------------------------------------------------------------------


def _first_day(day: dt.date, precision: str | None) -> dt.date:
    if precision == YEAR:
        return day.replace(month=1, day=1)
    if precision == MONTH:
        return day.replace(day=1)
    return day


def _last_day(day: dt.date, precision: str | None) -> dt.date:
    if precision == YEAR:
        return day.replace(month=12, day=31)
    if precision == MONTH:
        return day.replace(day=calendar.monthrange(day.year, day.month)[1])
    return day


def entry_span(row: Dated) -> tuple[dt.date, dt.date]:
    """The first and last day an entry's date can mean: a month entry covers its month, a year entry its year,
    a range runs from its start to the last day of its end (at the end's own precision)."""
    first = _first_day(row.date_start, row.date_precision)
    if row.date_end is not None:
        last = _last_day(row.date_end, row.date_end_precision or row.date_precision)
    else:
        last = _last_day(row.date_start, row.date_precision)
    return first, max(first, last)


# --- Silent periods ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SilentPeriod:
    """A span with no recorded contact: from one agency (`agency_id`) or, when `agency_id` is None, from any."""

    agency_id: str | None
    agency: str
    start: dt.date  # the day after the last contact (or the review period's first day)
    end: dt.date  # the day before the next contact (or the review period's last day)
    days: int


def _merge(spans: Iterable[tuple[dt.date, dt.date]]) -> list[tuple[dt.date, dt.date]]:
    merged: list[tuple[dt.date, dt.date]] = []
    for first, last in sorted(spans):
        if merged and first <= merged[-1][1] + dt.timedelta(days=1):
            if last > merged[-1][1]:
                merged[-1] = (merged[-1][0], last)
        else:
            merged.append((first, last))
    return merged


def _gaps(
    spans: list[tuple[dt.date, dt.date]],
    *,
    period_start: dt.date | None,
    period_end: dt.date | None,
    min_days: int,
    agency_id: str | None,
    agency: str,
) -> list[SilentPeriod]:
    one = dt.timedelta(days=1)
    merged = _merge(spans)
    # Each gap runs from the day after one covered span to the day before the next. The review period's edges
    # act as spans that end the day before it starts and begin the day after it ends.
    edges: list[tuple[dt.date | None, dt.date | None]] = []
    previous_end: dt.date | None = period_start - one if period_start is not None else None
    for first, last in merged:
        edges.append((previous_end, first))
        previous_end = last
    edges.append((previous_end, period_end + one if period_end is not None else None))
    found = []
    for before, after in edges:
        if before is None or after is None:
            continue
        start, end = before + one, after - one
        days = (end - start).days + 1
        if days > min_days:
            found.append(SilentPeriod(agency_id=agency_id, agency=agency, start=start, end=end, days=days))
    return found


def silent_periods(
    rows: Sequence[EntryRow],
    *,
    min_days: int,
    period_start: dt.date | None,
    period_end: dt.date | None,
    per_agency: bool = True,
) -> list[SilentPeriod]:
    """Spans longer than `min_days` days with no entry from an agency (one lane per agency found in `rows`)
    and with no entry from any agency (`agency_id` None, agency "Any agency"), sorted by start.

    An imprecise date counts as contact over its whole month or year, a range over its whole length. Spans are
    clipped to the review period; without a `period_start` (`period_end`) there is no gap before the first
    (after the last) entry. An agency with entries only outside the period is silent for the whole period.
    """
    if period_start is not None and period_end is not None and period_end < period_start:
        return []
    lanes: dict[str, list[tuple[dt.date, dt.date]]] = {}
    names: dict[str, str] = {}
    everyone: list[tuple[dt.date, dt.date]] = []
    for row in rows:
        first, last = entry_span(row)
        names.setdefault(row.agency_id, row.agency)
        lane = lanes.setdefault(row.agency_id, [])
        if period_start is not None and last < period_start:
            continue
        if period_end is not None and first > period_end:
            continue
        if period_start is not None:
            first = max(first, period_start)
        if period_end is not None:
            last = min(last, period_end)
        lane.append((first, last))
        everyone.append((first, last))

    found = []
    if rows:
        found += _gaps(
            everyone,
            period_start=period_start,
            period_end=period_end,
            min_days=min_days,
            agency_id=None,
            agency=ANY_AGENCY,
        )
    if per_agency:
        for agency_id, spans in lanes.items():
            if not spans and (period_start is None or period_end is None):
                continue  # nothing in the period and no period to measure against
            found += _gaps(
                spans,
                period_start=period_start,
                period_end=period_end,
                min_days=min_days,
                agency_id=agency_id,
                agency=names[agency_id],
            )
    found.sort(key=lambda period: (period.start, period.agency_id is not None, period.agency.casefold(), period.end))
    return found


# --- Candidate links ---------------------------------------------------------------------------------------

# Same-day accounts are more likely to be the same event; the bonus is small so that the text still decides.
SAME_DAY_BONUS = 0.1
NEXT_DAY_BONUS = 0.05
# The text score: mostly the weighted overlap coefficient (a two-line note of a phone call about an incident
# should match the police's full account of it), a quarter weighted Jaccard similarity (near-duplicates).
JACCARD_SHARE = 0.25
# Blocking: a pair is compared only when one of the lighter description's rarest words (as many as prefix
# filtering needs, at most this many, and only words in at most COMMON_SHARE of all entries, or COMMON_FLOOR
# entries in a small review) occurs in the other. A cap of 3 missed the very pairs the method cares about (a
# police log of an incident and a two-line note of the phone call about it share their commoner words), and
# measured no faster on 100,000 entries than leaving prefix filtering to decide.
BLOCKING_WORDS = 40
COMMON_SHARE = 0.05
COMMON_FLOOR = 50

_WORD = re.compile(r"[^\W_]+")
_SUFFIXES = ("ings", "ing", "ed", "es", "s")
STOP_WORDS = frozenset(
    """
    a about above after again against all already also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had has have
    having he her here hers herself him himself his how i if in into is it its itself just me more most my
    myself no nor not now of off on once only or other our ours ourselves out over own same she should so
    some such than that the their theirs them themselves then there these they this those through to too
    under until up very was we were what when where which while who whom why will with would you your yours
    yourself yourselves s t re ve ll d m o y
    """.split()  # noqa: SIM905
)


def _stem(word: str) -> str:
    # A deliberately crude stemmer: enough that "screens", "screened" and "screening" meet.
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    return word


def _is_stop(word: str) -> bool:
    return word in STOP_WORDS or (len(word) == 1 and not word.isdigit())


def words(text: str) -> list[str]:
    """The content words of a description, lower-cased and stemmed, stop words dropped, in order."""
    return [_stem(w) for w in _WORD.findall(text.casefold()) if not _is_stop(w)]


@dataclass(frozen=True, slots=True)
class _Doc:
    tokens: AbstractSet[int]  # token ids, numbered rarest first across the rows being compared
    weight: float  # the sum of its tokens' weights
    keys: Sequence[int]  # its blocking words: its rarest, as find_candidate_links explains


def _text_similarity(a: _Doc, b: _Doc, weights: Sequence[float]) -> float:
    """How alike two descriptions are, 0..1: mostly a weighted overlap coefficient (how much of the shorter is
    in the longer) and partly a weighted Jaccard similarity; the overlap is halved when only one word is
    shared. Rare words weigh more than common ones. Never more than the weighted overlap coefficient."""
    shared = a.tokens & b.tokens
    if not shared:
        return 0.0
    common = sum(map(weights.__getitem__, shared))
    # Called for every pair compared (hundreds of thousands): conditionals, not min(), which costs a call.
    a_weight, b_weight = a.weight, b.weight
    jaccard = common / (a_weight + b_weight - common)
    overlap = common / (a_weight if a_weight < b_weight else b_weight)
    if len(shared) == 1:
        overlap /= 2
    score = JACCARD_SHARE * jaccard + (1 - JACCARD_SHARE) * overlap
    return score if score < 1.0 else 1.0


def _documents(rows: Sequence[Linkable], min_text_score: float) -> tuple[list[_Doc], list[float]]:
    findall = _WORD.findall
    # Chronologies repeat descriptions word for word (a template's wording, "Did not attend"): each distinct
    # one is read once, and its _Doc is shared by every row holding it.
    slots: dict[str, int] = {}
    slot_of = [slots.setdefault(row.description, len(slots)) for row in rows]
    raw_sets = [set(findall(description.casefold())) for description in slots]
    # Each distinct raw word is stemmed once. Word frequencies are counted per raw word (in every row holding
    # it) and summed per stem (a description holding both "visit" and "visits" counts twice: close enough).
    raw_frequency = Counter(chain.from_iterable(raw_sets))
    for slot, rows_holding in Counter(slot_of).items():
        if rows_holding > 1:
            for raw in raw_sets[slot]:
                raw_frequency[raw] += rows_holding - 1
    stems: dict[str, str] = {}
    frequency: Counter[str] = Counter()
    for raw, count in raw_frequency.items():
        if not _is_stop(raw):
            stems[raw] = stem = _stem(raw)
            frequency[stem] += count
    # Token ids are ranks by rarity, so that sorting a description's ids puts its rarest words first.
    ranked = sorted(frequency, key=lambda stem: (frequency[stem], stem))
    ids = {stem: rank for rank, stem in enumerate(ranked)}
    known = dict.fromkeys(raw_frequency, -1)
    for raw, stem in stems.items():
        known[raw] = ids[stem]
    n = len(rows)
    weights = [math.log(1 + n / frequency[stem]) for stem in ranked]
    common_from = bisect.bisect_right([frequency[stem] for stem in ranked], max(COMMON_FLOOR, COMMON_SHARE * n))
    weight_of = weights.__getitem__
    docs = []
    for raw_set in raw_sets:
        tokens = set(map(known.__getitem__, raw_set))
        tokens.discard(-1)
        ordered = sorted(tokens)
        total = sum(map(weight_of, ordered))
        keys = ordered[:BLOCKING_WORDS]
        # Only its rarest words up to where the remaining words weigh less than min_text_score of the whole:
        # a description sharing none of them has a weighted overlap coefficient below min_text_score.
        limit = total * (1 - min_text_score) + 1e-9
        if len(keys) > 1 and sum(map(weight_of, keys[:-1])) > limit:
            running = 0.0
            for cut, t in enumerate(keys, 1):
                running += weight_of(t)
                if running > limit:
                    del keys[cut:]
                    break
        if keys and keys[-1] >= common_from:
            keys = [t for t in keys if t < common_from]
        docs.append(_Doc(tokens=tokens, weight=total, keys=keys))
    return [docs[slot] for slot in slot_of], weights


def find_candidate_links(
    rows: Sequence[Linkable], *, window_days: int = 2, threshold: float = 0.35
) -> list[tuple[str, str, float]]:
    """Pairs of entries from different agencies that may record the same event: dates within `window_days` of
    each other (for months, years and ranges: their spans within `window_days`) and descriptions alike.
    Returns (id_a, id_b, score) with id_a < id_b and score in 0..1 (the text's similarity, plus a small bonus
    for the same or the next day) at or above `threshold`, best first.

    It does not compare every pair. Each word is indexed with the days of the entries that hold it. Of two
    descriptions, the lighter (by total word weight) looks up its *blocking words* (its rarest, leaving
    out words found in more than 5% of all entries) among the entries within its window, and only those are
    compared. With up to 40 words this is exact (prefix filtering, as in set-similarity joins: a description
    sharing none of its rarest words with another cannot reach the threshold); for longer descriptions it
    misses only pairs alike in their commoner words, which are weak evidence anyway. A word that only the
    entry's own agency uses is not looked up (it cannot find another agency's entry). About O(n·w) for n
    entries and w entries in a window; from PARALLEL_FROM entries the sweep is shared with a forked process.
    """
    if not rows:
        return []
    with _collector_paused():
        return _candidate_links(rows, window=max(0, window_days), threshold=threshold)


# From this many entries the sweep is shared with a second process (on a machine with a second core): on
# 100,000 entries it takes the sweep from about 1.1 s to 0.65 s, forking included.
PARALLEL_FROM = 20_000

_Found = TypeVar("_Found")


def _shared(work: Callable[[Sequence[int]], list[_Found]], items: list[int]) -> list[_Found]:
    """work(items), computed half here and half in a forked copy of this process, when that is possible.

    The copy shares the parent's memory (copy on write): it reads the index built here, sends back what it
    found (pickled, through a pipe) and ends with os._exit, so that it runs no clean-up of the parent's (its
    database connection, its buffered output). Only from a process with a single thread (forking one with
    more can leave the copy holding another thread's lock) and on a system that can fork. Should the copy fail,
    its half is done here: the result never depends on it.
    """
    if not _may_fork():
        return work(items)
    mine, theirs = items[0::2], items[1::2]  # interleaved: both halves get entries of every period
    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return work(items)
    if pid == 0:  # the copy
        status = 1
        try:
            os.close(read_end)
            with os.fdopen(write_end, "wb") as out:
                pickle.dump(work(theirs), out, protocol=pickle.HIGHEST_PROTOCOL)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    incoming = os.fdopen(read_end, "rb")
    try:
        found = work(mine)
        sent = incoming.read()
    finally:
        incoming.close()  # first, so that a copy still writing stops (broken pipe) before it is waited for
        _, status = os.waitpid(pid, 0)
    if status == 0 and sent:
        return found + pickle.loads(sent)  # noqa: S301 - written by our own fork, just now
    return found + work(theirs)


def _may_fork() -> bool:
    if not hasattr(os, "fork") or threading.active_count() > 1:
        return False
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return cores > 1


@contextmanager
def _collector_paused() -> Iterator[None]:
    # The sweep builds a few containers per entry and frees none until the end: the cyclic garbage collector
    # would walk them again and again for nothing (a fifth of the time on 100,000 entries).
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _candidate_links(rows: Sequence[Linkable], *, window: int, threshold: float) -> list[tuple[str, str, float]]:
    docs, weights = _documents(rows, max(0.0, threshold - SAME_DAY_BONUS))
    n = len(rows)
    # Each distinct date (with its precision and end) becomes a span of day numbers once: a chronology of
    # 100,000 entries over ten years has a few thousand.
    day_spans: dict[tuple[dt.date, str, dt.date | None, str | None], tuple[int, int]] = {}
    firsts, lasts = [], []
    for row in rows:
        date = (row.date_start, row.date_precision, row.date_end, row.date_end_precision)
        span = day_spans.get(date)
        if span is None:
            first_day, last_day = entry_span(row)
            span = day_spans[date] = (first_day.toordinal(), last_day.toordinal())
        firsts.append(span[0])
        lasts.append(span[1])
    agency_ids = [row.agency_id for row in rows]
    numbers: dict[str, int] = {}
    agencies = [numbers.setdefault(agency_id, len(numbers)) for agency_id in agency_ids]
    # By span: (first, last) as one int (day numbers are below 2**22), so that sorting needs no Python key call.
    span_keys = [first << 22 | last for first, last in zip(firsts, lasts, strict=True)]
    order = sorted(range(n), key=span_keys.__getitem__)
    # Of any two entries exactly one is the lighter: ties in weight are broken by position.
    lighter_rank = [0] * n
    for rank, i in enumerate(sorted(range(n), key=[doc.weight for doc in docs].__getitem__)):
        lighter_rank[i] = rank

    # Day-precise entries: for each word, the days of the entries holding it (in order) and those entries.
    point_days: list[list[int]] = [[] for _ in weights]
    point_rows: list[list[int]] = [[] for _ in weights]
    # Wider entries (months, years, ranges), by 32-day block * stride + word, over their span and the window.
    block, stride = 32, len(weights)
    wide: dict[int, list[int]] = defaultdict(list)
    wide_rows = []
    for i in order:
        first, last = firsts[i], lasts[i]
        if first == last:
            for t in docs[i].tokens:
                point_days[t].append(first)
                point_rows[t].append(i)
        else:
            wide_rows.append(i)
            for b in range((first - window) // block, (last + window) // block + 1):
                for t in docs[i].tokens:
                    wide[b * stride + t].append(i)

    # The agency using each word, or SEVERAL. A word only the entry's own agency uses cannot find it an entry
    # from another agency, so it is not looked up (in a chronology of 100,000 entries, half the lookups).
    nobody, several = -1, -2
    owner = [nobody] * len(weights)
    agency_of = agencies.__getitem__
    for t, holders in enumerate(point_rows):
        held_by = set(map(agency_of, holders))
        owner[t] = held_by.pop() if len(held_by) == 1 else several if held_by else nobody
    for i in wide_rows:
        for t in docs[i].tokens:
            if owner[t] == nobody:
                owner[t] = agencies[i]
            elif owner[t] != agencies[i]:
                owner[t] = several

    similarity = _text_similarity  # looked up once per call, so that a test can count its calls by patching
    bisect_left, bisect_right = bisect.bisect_left, bisect.bisect_right

    def sweep(part: Sequence[int]) -> list[tuple[str, str, float]]:
        found: list[tuple[str, str, float]] = []
        for i in part:
            agency = agencies[i]
            keys = [t for t in docs[i].keys if owner[t] != agency]
            if not keys:
                continue
            first, last = firsts[i], lasts[i]
            low, high = first - window, last + window
            if not wide:
                bases: Sequence[int] = ()
            elif first // block == last // block:
                bases = (first // block * stride,)
            else:
                bases = range(first // block * stride, last // block * stride + 1, stride)
            # Day-precise candidates are within the window by construction; wider ones are checked.
            candidates: set[int] = set()
            wider: set[int] = set()
            for t in keys:
                days = point_days[t]
                lo = bisect_left(days, low)
                hi = bisect_right(days, high, lo)
                if hi > lo:
                    candidates.update(point_rows[t][lo:hi])
                for base in bases:
                    hits = wide.get(base + t)
                    if hits:
                        wider.update(hits)
            if wider:
                candidates.update(j for j in wider if firsts[j] <= high and lasts[j] >= low)
            doc, rank = docs[i], lighter_rank[i]
            for j in candidates:
                if lighter_rank[j] <= rank or agencies[j] == agency:
                    continue
                score = similarity(doc, docs[j], weights)
                if first == last and firsts[j] == lasts[j]:
                    if first == firsts[j]:
                        score += SAME_DAY_BONUS
                    elif first - firsts[j] in (1, -1):
                        score += NEXT_DAY_BONUS
                    if score > 1.0:
                        score = 1.0
                if score >= threshold:
                    id_i, id_j = rows[i].id, rows[j].id
                    found.append((id_i, id_j, round(score, 3)) if id_i < id_j else (id_j, id_i, round(score, 3)))
        return found

    found = _shared(sweep, order) if n >= PARALLEL_FROM else sweep(order)
    found.sort(key=lambda link: (-link[2], link[0], link[1]))
    return found
