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
import re
from collections import Counter
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import chain
from operator import attrgetter
from typing import Any, NamedTuple, Protocol

import numpy as np

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
    """What find_candidate_links reads of a row."""

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


def _numbered(values: Sequence[Hashable]) -> list[int]:
    """Each value as a number, the same for equal values."""
    numbers: dict[Hashable, int] = {}
    return [numbers.setdefault(value, len(numbers)) for value in values]


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
    agency's entry). About O(n·w) for n entries and w entries in a window, worked on as arrays (numpy).
    """
    return find_candidate_links_in(LinkColumns.of(rows), window_days=window_days, threshold=threshold)


class LinkColumns(NamedTuple):
    """Entries as find_candidate_links_in reads them: column by column, one value per entry in each. A date may
    be ISO text, as SQLite gives it (each distinct one is read once)."""

    ids: Sequence[str]
    agency_ids: Sequence[Hashable]
    starts: Sequence[dt.date | str]
    precisions: Sequence[str]
    ends: Sequence[dt.date | str | None]
    end_precisions: Sequence[str | None]
    descriptions: Sequence[str]

    @classmethod
    def of(cls, rows: Sequence[Linkable]) -> LinkColumns:
        return cls(
            ids=list(map(attrgetter("id"), rows)),
            agency_ids=list(map(attrgetter("agency_id"), rows)),
            starts=list(map(attrgetter("date_start"), rows)),
            precisions=list(map(attrgetter("date_precision"), rows)),
            ends=list(map(attrgetter("date_end"), rows)),
            end_precisions=list(map(attrgetter("date_end_precision"), rows)),
            descriptions=list(map(attrgetter("description"), rows)),
        )


def find_candidate_links_in(
    columns: LinkColumns, *, window_days: int = 2, threshold: float = 0.35
) -> list[tuple[str, str, float]]:
    """find_candidate_links over entries given column by column."""
    if not columns.ids:
        return []
    with _collector_paused():
        return _Search(columns, window=max(0, window_days), threshold=threshold).run()


def _as_date(value: Any) -> Any:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def _ragged(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The positions start, start + 1, ..., start + length - 1 of each (start, length), one run after another."""
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    ends = np.cumsum(lengths)
    return np.repeat(starts - (ends - lengths), lengths) + np.arange(total)


class _Search:
    """One find_candidate_links. The words are weighed in Python (__init__, _words), then every step after works
    on arrays, all the entries at once: the words each entry looks up, the index of words by day (and by 32-day
    block for wider dates), the pairs found through it, and their scores (_scores)."""

    BLOCK = 32
    DAY_BITS = 22  # day numbers (date.toordinal) are below 2**22

    def __init__(self, columns: LinkColumns, *, window: int, threshold: float) -> None:
        self.window, self.threshold = window, threshold
        self.n = len(columns.ids)
        self.min_text_score = max(0.0, threshold - SAME_DAY_BONUS)
        self.ids: list[str] = list(columns.ids)
        self.agencies = _numbered(columns.agency_ids)
        self.texts, self.slot_of = _distinct(list(columns.descriptions))
        self.slot_of_rows = np.array(self.slot_of, dtype=np.int64)
        # Each distinct date (with its precision and end) becomes a span of day numbers once: a chronology of
        # 100,000 entries over ten years has a few thousand.
        day_spans: dict[tuple[Any, str, Any, str | None], tuple[int, int]] = {}
        spans = []
        for date in zip(columns.starts, columns.precisions, columns.ends, columns.end_precisions, strict=True):
            span = day_spans.get(date)
            if span is None:
                start, precision, end, end_precision = date
                span = day_spans[date] = _day_span(_as_date(start), precision, _as_date(end), end_precision)
            spans.append(span)
        days = np.array(spans, dtype=np.int64).reshape(-1, 2)
        self.firsts, self.lasts = days[:, 0], days[:, 1]
        self.compared = 0  # pairs whose descriptions were compared (a test checks that it is not every pair)

    def run(self) -> list[tuple[str, str, float]]:
        self._words()
        rows_i, rows_j = self._candidates()
        self.compared = len(rows_i)
        score = self._scores(rows_i, rows_j)
        keep = np.flatnonzero(score >= self.threshold)
        ids = self.ids
        found = []
        for i, j, value in zip(rows_i[keep].tolist(), rows_j[keep].tolist(), score[keep].tolist(), strict=True):
            id_i, id_j = ids[i], ids[j]
            found.append((id_i, id_j, round(value, 3)) if id_i < id_j else (id_j, id_i, round(value, 3)))
        found.sort(key=lambda link: (-link[2], link[0], link[1]))
        return found

    def _words(self) -> None:
        """Each distinct description's words as token ids, rarest first, all in one array (`tokens`, from
        `slot_start` for `slot_length`), their weights, and which of them it looks up and which are indexed."""
        raw_sets = _raw_words(self.texts)
        counts = _Counts.over(self.slot_of, self.agencies, raw_sets)
        vocabulary = _Vocabulary.of(counts.rows_holding, self.n)
        owner = np.array(vocabulary.owners(counts.by_agency), dtype=np.int64)
        self.vocabulary_size = len(vocabulary.weights)
        known = vocabulary.known.__getitem__
        slot_tokens = []
        for raw_set in raw_sets:
            ordered = sorted(set(map(known, raw_set)))
            if ordered and ordered[0] < 0:  # a stop word
                del ordered[0]
            slot_tokens.append(ordered)
        lengths = np.fromiter(map(len, slot_tokens), dtype=np.int64, count=len(slot_tokens))
        self.tokens = tokens = np.fromiter(chain.from_iterable(slot_tokens), dtype=np.int64, count=int(lengths.sum()))
        self.slot_length, self.slot_start = lengths, np.cumsum(lengths) - lengths
        self.weights = weights = np.array(vocabulary.weights, dtype=np.float64)
        self.token_slot = token_slot = np.repeat(np.arange(len(slot_tokens)), lengths)
        weight = weights[tokens]
        # Summed rarest first, as a loop over each description's words would sum them.
        self.slot_weight = np.bincount(token_slot, weights=weight, minlength=len(slot_tokens))
        # Its blocking words: its rarest, up to the first past which the rest weigh less than min_text_score of
        # the whole (a description sharing none of them has a weighted overlap coefficient below that), at most
        # BLOCKING_WORDS, none common, and only words another agency uses too (a word of one agency only cannot
        # find another agency's entry). The running sums here are taken over the whole array, so a little slack
        # keeps every word the exact sums would (one more looked up costs only time).
        position = np.arange(len(tokens)) - self.slot_start[token_slot]
        running = np.cumsum(weight)
        before = running - weight - (running - weight)[self.slot_start][token_slot]
        limit = self.slot_weight * (1 - self.min_text_score) + 1e-6
        is_key = (position < BLOCKING_WORDS) & ((position == 0) | (before <= limit[token_slot]))
        is_key &= (tokens < vocabulary.common_from) & (owner[tokens] == SEVERAL)
        self.keys = self._per_slot(is_key)
        looked_up = np.zeros(len(weights), dtype=bool)
        looked_up[tokens[is_key]] = True
        self.indexed = self._per_slot(looked_up[tokens])

    def _per_slot(self, chosen: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The chosen tokens of each distinct description: the tokens, and each description's start and length."""
        length = np.bincount(self.token_slot[chosen], minlength=len(self.slot_length))
        return self.tokens[chosen], np.cumsum(length) - length, length

    def _of_rows(self, per_slot: tuple[np.ndarray, np.ndarray, np.ndarray], rows: np.ndarray) -> tuple[Any, Any]:
        """For each of `rows`, its description's tokens in `per_slot`: (the row of each token, the token)."""
        tokens, start, length = per_slot
        slots = self.slot_of_rows[rows]
        return np.repeat(rows, length[slots]), tokens[_ragged(start[slots], length[slots])]

    def _candidates(self) -> tuple[np.ndarray, np.ndarray]:
        """The pairs to compare: one entry (i) looks up one of its words and finds the other (j) in the index
        within its window; i is the lighter of the two and their agencies differ. Each pair once."""
        n, window, block, firsts, lasts = self.n, self.window, self.BLOCK, self.firsts, self.lasts
        point = firsts == lasts
        # Every entry's looked-up words, with the days its window covers.
        probe, key = self._of_rows(self.keys, np.arange(n))
        low, high = firsts[probe] - window, lasts[probe] + window
        # Day-precise entries, indexed by word and day: those in the window are the run between two bounds.
        posted, word = self._of_rows(self.indexed, np.flatnonzero(point))
        index = word << self.DAY_BITS | firsts[posted]
        order = np.argsort(index, kind="stable")
        index, posted = index[order], posted[order]
        lo = np.searchsorted(index, key << self.DAY_BITS | low, "left")
        hi = np.searchsorted(index, key << self.DAY_BITS | high, "right")
        found_i = [np.repeat(probe, hi - lo)]
        found_j = [posted[_ragged(lo, hi - lo)]]
        # Wider entries (months, years, ranges), indexed by 32-day block and word over their span and the
        # window; those found in the blocks an entry's own span covers are then checked against its window.
        wide = np.flatnonzero(~point)
        if len(wide):
            first_block, last_block = (firsts[wide] - window) // block, (lasts[wide] + window) // block
            count = last_block - first_block + 1
            wide_rows, blocks = np.repeat(wide, count), _ragged(first_block, count)
            posted, word = self._of_rows(self.indexed, wide_rows)
            per_row = self.indexed[2][self.slot_of_rows[wide_rows]]
            index = np.repeat(blocks, per_row) * self.vocabulary_size + word
            order = np.argsort(index, kind="stable")
            index, posted = index[order], posted[order]
            first_block, last_block = firsts[probe] // block, lasts[probe] // block
            count = last_block - first_block + 1
            query = np.repeat(np.arange(len(probe)), count)
            wanted = _ragged(first_block, count) * self.vocabulary_size + key[query]
            lo, hi = np.searchsorted(index, wanted, "left"), np.searchsorted(index, wanted, "right")
            query = np.repeat(query, hi - lo)
            other = posted[_ragged(lo, hi - lo)]
            overlapping = (firsts[other] <= high[query]) & (lasts[other] >= low[query])
            found_i.append(probe[query][overlapping])
            found_j.append(other[overlapping])
        rows_i, rows_j = np.concatenate(found_i), np.concatenate(found_j)
        rank, agencies = self._lighter_rank(), np.array(self.agencies, dtype=np.int64)
        wanted = (rank[rows_j] > rank[rows_i]) & (agencies[rows_j] != agencies[rows_i])
        pairs = np.sort(rows_i[wanted] * n + rows_j[wanted])
        pairs = pairs[np.concatenate(([True], pairs[1:] != pairs[:-1]))] if len(pairs) else pairs
        return pairs // n, pairs % n

    def _lighter_rank(self) -> np.ndarray:
        """Of any two entries exactly one is the lighter: by the weight of its words, and between equals by id."""
        weight = self.slot_weight[self.slot_of_rows].tolist()
        ids = self.ids
        by_id = sorted(range(self.n), key=ids.__getitem__)
        rank = np.empty(self.n, dtype=np.int64)
        rank[sorted(by_id, key=weight.__getitem__)] = np.arange(self.n)
        return rank

    def _scores(self, rows_i: np.ndarray, rows_j: np.ndarray) -> np.ndarray:
        """How alike each pair's descriptions are, 0..1: mostly a weighted overlap coefficient (how much of the
        shorter is in the longer) and a quarter weighted Jaccard similarity, the overlap halved when only one
        word is shared, rare words weighing more than common ones; plus the bonus for the same or the next day."""
        slot_i, slot_j = self.slot_of_rows[rows_i], self.slot_of_rows[rows_j]
        # The words they share: each word of the one with fewer, looked for among the other's (every
        # description's words, in order, as one sorted array of description * vocabulary size + token).
        size = self.vocabulary_size
        every = self.token_slot * size + self.tokens
        fewer = np.where(self.slot_length[slot_i] <= self.slot_length[slot_j], slot_i, slot_j)
        more = np.where(fewer == slot_i, slot_j, slot_i)
        pair = np.repeat(np.arange(len(rows_i)), self.slot_length[fewer])
        word = self.tokens[_ragged(self.slot_start[fewer], self.slot_length[fewer])]
        wanted = more[pair] * size + word
        place = np.minimum(np.searchsorted(every, wanted), max(len(every) - 1, 0))
        shared = every[place] == wanted if len(every) else np.zeros(len(wanted), dtype=bool)
        common = np.bincount(pair[shared], weights=self.weights[word[shared]], minlength=len(rows_i))
        in_both = np.bincount(pair[shared], minlength=len(rows_i))
        weight_i, weight_j = self.slot_weight[slot_i], self.slot_weight[slot_j]
        with np.errstate(divide="ignore", invalid="ignore"):
            jaccard = common / (weight_i + weight_j - common)
            overlap = common / np.minimum(weight_i, weight_j)
        overlap = np.where(in_both == 1, overlap / 2, overlap)
        score = np.where(in_both > 0, np.minimum(JACCARD_SHARE * jaccard + (1 - JACCARD_SHARE) * overlap, 1.0), 0.0)
        first_i, first_j = self.firsts[rows_i], self.firsts[rows_j]
        both_days = (first_i == self.lasts[rows_i]) & (first_j == self.lasts[rows_j])
        apart = np.abs(first_i - first_j)
        bonus = np.where(apart == 0, SAME_DAY_BONUS, np.where(apart == 1, NEXT_DAY_BONUS, 0.0))
        return np.where(both_days, np.minimum(score + bonus, 1.0), score)


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
