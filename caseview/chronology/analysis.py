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
from collections.abc import Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import accumulate, chain
from operator import attrgetter
from typing import NamedTuple, Protocol

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


def _day_span(start: dt.date, precision: str, end: dt.date | None, end_precision: str | None) -> tuple[int, int]:
    """entry_span of such a date, as day numbers."""
    first = _first_day(start, precision)
    last = _last_day(end, end_precision or precision) if end is not None else _last_day(start, precision)
    return first.toordinal(), max(first, last).toordinal()


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


class _Doc(NamedTuple):
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


def _raw_words(texts: Iterable[str]) -> list[set[str]]:
    """Each text's distinct words as written (lower-cased; not yet stemmed, stop words still in)."""
    findall = _WORD.findall
    return [set(findall(text.casefold())) for text in texts]


@dataclass
class _Counts:
    """Words counted over the rows: in how many rows each raw word occurs, and the raw words of each agency."""

    rows_holding: Counter[str]
    by_agency: dict[int, set[str]]

    @classmethod
    def over(cls, slot_of: Sequence[int], agencies: Sequence[int], raw_sets: Sequence[set[str]]) -> _Counts:
        # Each distinct description's words once, then again for the rows that repeat it.
        rows_holding = Counter(chain.from_iterable(raw_sets))
        for slot, rows in Counter(slot_of).items():
            if rows > 1:
                for raw in raw_sets[slot]:
                    rows_holding[raw] += rows - 1
        slots_by_agency: dict[int, list[int]] = {}
        for slot, agency in set(zip(slot_of, agencies, strict=True)):
            slots_by_agency.setdefault(agency, []).append(slot)
        by_agency = {
            agency: set().union(*map(raw_sets.__getitem__, slots)) for agency, slots in slots_by_agency.items()
        }
        return cls(rows_holding, by_agency)


@dataclass
class _Vocabulary:
    """The words of the rows being compared as token ids, ranked by rarity, with their weights."""

    known: dict[str, int]  # raw word -> token id; -1 for a stop word
    weights: list[float]
    common_from: int  # token ids from here are words in more than COMMON_SHARE of the rows

    @classmethod
    def of(cls, rows_holding: Counter[str], n: int) -> _Vocabulary:
        # Each distinct raw word is stemmed once. Word frequencies are counted per raw word (in every row holding
        # it) and summed per stem (a description holding both "visit" and "visits" counts twice: close enough).
        stems: dict[str, str] = {}
        frequency: Counter[str] = Counter()
        for raw, count in rows_holding.items():
            if not _is_stop(raw):
                stems[raw] = stem = _stem(raw)
                frequency[stem] += count
        # Token ids are ranks by rarity, so that sorting a description's ids puts its rarest words first.
        ranked = sorted(frequency, key=lambda stem: (frequency[stem], stem))
        ids = {stem: rank for rank, stem in enumerate(ranked)}
        known = dict.fromkeys(rows_holding, -1)
        for raw, stem in stems.items():
            known[raw] = ids[stem]
        weights = [math.log(1 + n / frequency[stem]) for stem in ranked]
        most = max(COMMON_FLOOR, COMMON_SHARE * n)
        common_from = bisect.bisect_right([frequency[stem] for stem in ranked], most)
        return cls(known, weights, common_from)

    def doc(self, raw_set: set[str], min_text_score: float) -> _Doc:
        weight_of = self.weights.__getitem__
        tokens = set(map(self.known.__getitem__, raw_set))
        tokens.discard(-1)
        ordered = sorted(tokens)
        total = sum(map(weight_of, ordered))
        keys = ordered[:BLOCKING_WORDS]
        # Only its rarest words up to where the remaining words weigh less than min_text_score of the whole:
        # a description sharing none of them has a weighted overlap coefficient below min_text_score.
        limit = total * (1 - min_text_score) + 1e-9
        if len(keys) > 1:
            running = list(accumulate(map(weight_of, keys)))  # the same additions, in the same order, as a loop
            if running[-2] > limit:
                del keys[bisect.bisect_right(running, limit) + 1 :]  # up to the first word past the limit
        if keys and keys[-1] >= self.common_from:
            keys = [t for t in keys if t < self.common_from]
        return _Doc(tokens, total, keys)

    def owners(self, by_agency: Mapping[int, AbstractSet[str]]) -> list[int]:
        """For each token, the one agency whose entries use it, or SEVERAL (or NOBODY)."""
        owner = [NOBODY] * len(self.weights)
        known = self.known
        for agency, used in by_agency.items():
            for raw in used:
                t = known[raw]
                if t >= 0:
                    held = owner[t]
                    if held == NOBODY:
                        owner[t] = agency
                    elif held != agency:
                        owner[t] = SEVERAL
        return owner


NOBODY, SEVERAL = -1, -2


def _distinct(texts: list[str]) -> tuple[list[str], list[int]]:
    """The distinct texts, and for each text its place among them."""
    places = {text: place for place, text in enumerate(dict.fromkeys(texts))}
    return list(places), list(map(places.__getitem__, texts))


def _documents(rows: Sequence[Linkable], min_text_score: float) -> tuple[list[_Doc], list[float]]:
    """Each row's description as a _Doc, with the token weights, over these rows."""
    texts, slot_of = _distinct([row.description for row in rows])
    raw_sets = _raw_words(texts)
    counts = _Counts.over(slot_of, _numbered([row.agency_id for row in rows]), raw_sets)
    vocabulary = _Vocabulary.of(counts.rows_holding, len(rows))
    docs = [vocabulary.doc(raw_set, min_text_score) for raw_set in raw_sets]
    return [docs[slot] for slot in slot_of], vocabulary.weights


def _numbered(values: list[str]) -> list[int]:
    """Each value as a number, the same for equal values."""
    return _distinct(values)[1]


def find_candidate_links(
    rows: Sequence[Linkable], *, window_days: int = 2, threshold: float = 0.35
) -> list[tuple[str, str, float]]:
    """Pairs of entries from different agencies that may record the same event: dates within `window_days` of
    each other (for months, years and ranges: their spans within `window_days`) and descriptions alike.
    Returns (id_a, id_b, score) with id_a < id_b and score in 0..1 (the text's similarity, plus a small bonus
    for the same or the next day) at or above `threshold`, best first. The order of `rows` does not matter.

    It does not compare every pair. Each word is indexed with the days of the entries that hold it. Of two
    descriptions, the lighter (by total word weight; between equals, the one with the lower id) looks up its
    *blocking words* (its rarest, leaving out words found in more than 5% of all entries) among the entries
    within its window, and only those are compared. With up to 40 words this is exact (prefix filtering, as
    in set-similarity joins: a description sharing none of its rarest words with another cannot reach the
    threshold); for longer descriptions it misses only pairs alike in their commoner words, which are weak
    evidence anyway. A word that only the entry's own agency uses is not looked up (it cannot find another
    agency's entry). About O(n·w) for n entries and w entries in a window. From PARALLEL_FROM entries the
    sweep is shared with a forked process, a chunk of the chronology's period at a time.
    """
    if not rows:
        return []
    with _collector_paused():
        return _Search(rows, window=max(0, window_days), threshold=threshold).run()


# From this many entries the sweep is shared with a second process (on a machine with a second core), in this
# many chunks of the chronology's period (at most 255).
PARALLEL_FROM = 20_000
CHUNKS = 48


class _Search:
    """One find_candidate_links: the rows' dates as day numbers and their distinct descriptions (__init__), the
    words weighed and indexed (_index), then the sweep, in one process or shared with a second (_shared)."""

    def __init__(self, rows: Sequence[Linkable], *, window: int, threshold: float) -> None:
        self.window, self.threshold = window, threshold
        self.n = n = len(rows)
        self.min_text_score = max(0.0, threshold - SAME_DAY_BONUS)
        self.ids: list[str] = list(map(attrgetter("id"), rows))
        self.agencies = _numbered(list(map(attrgetter("agency_id"), rows)))
        self.texts, self.slot_of = _distinct(list(map(attrgetter("description"), rows)))
        # Each distinct date (with its precision and end) becomes a span of day numbers once: a chronology of
        # 100,000 entries over ten years has a few thousand.
        day_spans: dict[tuple[dt.date, str, dt.date | None, str | None], tuple[int, int]] = {}
        firsts: list[int] = []
        lasts: list[int] = []
        for row in rows:
            date = (row.date_start, row.date_precision, row.date_end, row.date_end_precision)
            span = day_spans.get(date)
            if span is None:
                span = day_spans[date] = _day_span(*date)
            firsts.append(span[0])
            lasts.append(span[1])
        self.firsts, self.lasts = firsts, lasts
        # By span: (first, last) as one int (day numbers are below 2**22), so that sorting needs no Python key call.
        span_keys = [first << 22 | last for first, last in zip(firsts, lasts, strict=True)]
        self.order = sorted(range(n), key=span_keys.__getitem__)

    def run(self) -> list[tuple[str, str, float]]:
        self._index()
        found = self._shared() if self.n >= PARALLEL_FROM and _may_fork() else self._sweep(self.order)
        found.sort(key=lambda link: (-link[2], link[0], link[1]))
        return found

    def _index(self) -> None:
        """Each distinct description as a _Doc (its words weighed over all the rows), which of its words it looks
        up, which of two entries is the lighter, and the index of words by day."""
        raw_sets = _raw_words(self.texts)
        counts = _Counts.over(self.slot_of, self.agencies, raw_sets)
        vocabulary = _Vocabulary.of(counts.rows_holding, self.n)
        self.weights = weights = vocabulary.weights
        owner = vocabulary.owners(counts.by_agency)
        min_text_score, slot_of, ids = self.min_text_score, self.slot_of, self.ids
        slot_docs = [vocabulary.doc(raw_set, min_text_score) for raw_set in raw_sets]
        # The words an entry looks up: its blocking words other entries' agencies use too. (Of an entry's own
        # words, a word used by one agency only is its own agency's: it cannot find another agency's entry.)
        self.slot_keys = slot_keys = [[t for t in doc.keys if owner[t] == SEVERAL] for doc in slot_docs]
        # Only words some entry looks up are indexed.
        looked_up = bytearray(len(weights))
        for keys in slot_keys:
            for t in keys:
                looked_up[t] = 1
        slot_indexed = [[t for t in doc.tokens if looked_up[t]] for doc in slot_docs]
        self.docs = docs = list(map(slot_docs.__getitem__, slot_of))
        # Of any two entries exactly one is the lighter: by weight, and between equal weights by id.
        weight = [doc.weight for doc in docs]
        self.lighter_rank = lighter_rank = [0] * self.n
        for rank, j in enumerate(sorted(sorted(range(self.n), key=ids.__getitem__), key=weight.__getitem__)):
            lighter_rank[j] = rank

        firsts, lasts, window = self.firsts, self.lasts, self.window
        # Day-precise entries: for each word, the days of the entries holding it (in order) and those entries.
        point_days: list[list[int]] = [[] for _ in weights]
        point_rows: list[list[int]] = [[] for _ in weights]
        self.point_days, self.point_rows = point_days, point_rows
        # Wider entries (months, years, ranges), by 32-day block * stride + word, over their span and the window.
        self.block, self.stride = block, stride = 32, len(weights)
        wide: dict[int, list[int]] = defaultdict(list)
        self.wide = wide
        for j in self.order:
            first, last = firsts[j], lasts[j]
            indexed = slot_indexed[slot_of[j]]
            if first == last:
                for t in indexed:
                    point_days[t].append(first)
                    point_rows[t].append(j)
            else:
                for b in range((first - window) // block, (last + window) // block + 1):
                    for t in indexed:
                        wide[b * stride + t].append(j)

    def _shared(self) -> list[tuple[str, str, float]]:
        """The sweep shared with a forked copy of this process, a chunk of the chronology's period at a time.

        The copy shares the parent's memory (copy on write): the index built here. The chunks' numbers wait in a
        pipe, and each process takes the next one until none is left, so that a process kept waiting for the
        processor (on a busy machine) takes fewer. The copy sends back the chunks it took and what it found
        there (pickled, through a second pipe) and ends with os._exit, so that it runs no clean-up of the
        parent's (its database connection, its buffered output). Should the copy fail, the parent sweeps the
        chunks it did not take itself: the result never depends on the copy.
        """
        order = self.order
        size = -(-self.n // min(CHUNKS, 255))
        chunks = [order[start : start + size] for start in range(0, self.n, size)]
        tickets_read, tickets_write = os.pipe()
        os.write(tickets_write, bytes(range(len(chunks))))  # at most 255 bytes: the pipe holds them all
        os.close(tickets_write)  # so that reading past the last ticket finds the end
        results_read, results_write = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            for fd in (tickets_read, results_read, results_write):
                os.close(fd)
            return self._sweep(order)
        if pid == 0:  # the copy
            status = 1
            try:
                os.close(results_read)
                taken: list[int] = []
                found: list[tuple[str, str, float]] = []
                while ticket := os.read(tickets_read, 1):
                    taken.append(ticket[0])
                    found += self._sweep(chunks[ticket[0]])
                with os.fdopen(results_write, "wb") as out:
                    pickle.dump((taken, found), out, protocol=pickle.HIGHEST_PROTOCOL)
                status = 0
            finally:
                os._exit(status)
        os.close(results_write)
        done: set[int] = set()
        found = []
        incoming = os.fdopen(results_read, "rb")
        try:
            while ticket := os.read(tickets_read, 1):
                done.add(ticket[0])
                found += self._sweep(chunks[ticket[0]])
            sent = incoming.read()
        finally:
            os.close(tickets_read)
            incoming.close()  # first, so that a copy still writing stops (broken pipe) before it is waited for
            _, status = os.waitpid(pid, 0)
        if status == 0 and sent:
            taken, theirs = pickle.loads(sent)  # noqa: S301 - written by our own fork, just now
            done.update(taken)
            found += theirs
        for number, chunk in enumerate(chunks):
            if number not in done:
                found += self._sweep(chunk)
        return found

    def _sweep(self, probes: Iterable[int]) -> list[tuple[str, str, float]]:
        """The candidate links found by `probes`: pairs whose lighter entry is one of them."""
        firsts, lasts, agencies, window, ids = self.firsts, self.lasts, self.agencies, self.window, self.ids
        docs, weights, slot_keys, slot_of = self.docs, self.weights, self.slot_keys, self.slot_of
        lighter_rank, point_days, point_rows = self.lighter_rank, self.point_days, self.point_rows
        wide, block, stride = self.wide, self.block, self.stride
        similarity = _text_similarity  # looked up once per call, so that a test can count its calls by patching
        bisect_left, bisect_right = bisect.bisect_left, bisect.bisect_right
        threshold = self.threshold
        found: list[tuple[str, str, float]] = []
        for i in probes:
            keys = slot_keys[slot_of[i]]
            if not keys:
                continue
            agency = agencies[i]
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
                    id_i, id_j = ids[i], ids[j]
                    found.append((id_i, id_j, round(score, 3)) if id_i < id_j else (id_j, id_i, round(score, 3)))
        return found


def _may_fork() -> bool:
    """Whether to share the sweep with a forked copy: on a system that can fork, from a process with a single
    thread (forking one with more can leave the copy holding another thread's lock), with a second core."""
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
