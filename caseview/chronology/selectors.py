"""Reads for agency returns and the chronology, filtered by who is asking."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import CharField, Count, Q, QuerySet
from django.db.models.functions import Cast
from django.http import Http404

from caseview.chronology.analysis import LinkColumns
from caseview.chronology.dates import DAY, MONTH, YEAR, format_agency_date
from caseview.chronology.models import CHRONOLOGICAL, AgencyReturn, ChronologyEntry, EntryLink, ReturnUpload
from caseview.chronology.rows import EntryRow
from caseview.core.bulk import collector_paused
from caseview.reviews.models import Agency, Membership, Review, Role
from caseview.reviews.rules import can

AUTHOR_ROLES = {Role.PRACTITIONER.value, Role.AGENCY_CONTACT.value}


def _author_agency_ids(user: Any, review: Review) -> set[Any]:
    """The agencies whose returns this person writes: their own agency, as practitioner or agency contact."""
    return set(
        Membership.objects.filter(review=review, user=user, role__in=AUTHOR_ROLES, agency__isnull=False).values_list(
            "agency_id", flat=True
        )
    )


def returns_visible_to(*, user: Any, review: Review) -> QuerySet[AgencyReturn]:
    """Every return for a lead reviewer; a practitioner's or agency contact's own agency's otherwise."""
    returns = AgencyReturn.objects.filter(review=review).select_related("agency").annotate(entry_count=Count("entries"))
    if can(user, "reviews.request_returns", review):
        return returns
    return returns.filter(agency_id__in=_author_agency_ids(user, review))


def return_for(*, user: Any, review: Review, return_id: Any) -> AgencyReturn:
    found = returns_visible_to(user=user, review=review).filter(pk=return_id).first()
    if found is None:
        raise Http404("No such return")
    return found


def can_author_return(*, user: Any, agency_return: AgencyReturn) -> bool:
    """Lead reviewers, and the agency's own practitioners and contacts, fill in and release its return."""
    review = agency_return.review
    if can(user, "reviews.request_returns", review):
        return True
    return agency_return.agency_id in _author_agency_ids(user, review)


def upload_for(*, agency_return: AgencyReturn, upload_id: Any) -> ReturnUpload:
    upload = agency_return.uploads.filter(pk=upload_id).exclude(status=ReturnUpload.Status.DISCARDED).first()
    if upload is None:
        raise Http404("No such upload")
    return upload


def released_entries(*, review: Review) -> QuerySet[ChronologyEntry]:
    return ChronologyEntry.objects.filter(review=review, agency_return__status=AgencyReturn.Status.RELEASED)


def chronological_entries(*, review: Review, agency: Any = None) -> QuerySet[ChronologyEntry]:
    """The released chronology in its order, or one agency's part of it: what exports hold."""
    entries = released_entries(review=review)
    if agency is not None:
        entries = entries.filter(agency=agency)
    return entries.order_by(*CHRONOLOGICAL)


@dataclass
class ChronologyFilter:
    agencies: Sequence[Agency] = ()
    person: str = ""
    text: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    significant_only: bool = False

    def only_agency(self) -> Agency | None:
        """The agency when the filter asks for one agency's entries and nothing else."""
        return self.agencies[0] if len(self.agencies) == 1 and not self._others() else None

    def describe(self) -> str:
        """What the filter keeps, in words, for the title of an export of it; empty when it keeps everything."""
        agencies = ", ".join(agency.name for agency in self.agencies)
        return "; ".join(part for part in [agencies, *self._others()] if part)

    def _others(self) -> list[str]:
        parts = [f"person “{self.person}”" if self.person else "", f"words “{self.text}”" if self.text else ""]
        parts += [f"from {self.start:%-d %B %Y}" if self.start else "", f"to {self.end:%-d %B %Y}" if self.end else ""]
        parts.append("significant entries only" if self.significant_only else "")
        return [part for part in parts if part]


def filtered_entries(*, review: Review, filters: ChronologyFilter) -> QuerySet[ChronologyEntry]:
    entries = released_entries(review=review).select_related("agency")
    if filters.agencies:
        entries = entries.filter(agency__in=filters.agencies)
    if filters.person:
        entries = entries.filter(people__icontains=filters.person)
    if filters.text:
        entries = entries.filter(Q(description__icontains=filters.text) | Q(source__icontains=filters.text))
    if filters.start:
        # An imprecise date belongs to the period if any part of it does: June 2019 is in 15 June onwards.
        entries = entries.filter(_reaches(filters.start))
    if filters.end:
        entries = entries.filter(date_start__lte=filters.end)
    if filters.significant_only:
        entries = entries.filter(significant=True)
    return entries.order_by(*CHRONOLOGICAL)


def _reaches(start: dt.date) -> Q:
    """Entries whose last possible day is on or after `start`: a date (or a range's end) is stored as the first
    day of its precision, so June 2019 reaches 15 June 2019 and 2019 reaches any day of that year."""
    firsts = {DAY: start, MONTH: start.replace(day=1), YEAR: start.replace(month=1, day=1)}
    single = Q()
    ranged = Q()
    for precision, first in firsts.items():
        single |= Q(date_precision=precision, date_start__gte=first)
        ranged |= Q(date_end_precision=precision, date_end__gte=first)
    return (Q(date_end__isnull=True) & single) | (Q(date_end__isnull=False) & ranged)


def entry_for(*, review: Review, entry_id: Any) -> ChronologyEntry:
    entry = released_entries(review=review).select_related("agency", "agency_return").filter(pk=entry_id).first()
    if entry is None:
        raise Http404("No such entry")
    return entry


def entry_date_text(entry: ChronologyEntry) -> str:
    return format_agency_date(
        entry.date_start,
        entry.date_precision,
        entry.date_uncertain,
        entry.date_end,
        entry.date_end_precision or None,
        entry.time,
    )


def entry_date_input(entry: ChronologyEntry) -> str:
    """The entry's date as someone would type it back into the edit form (without the time)."""
    return (
        format_agency_date(
            entry.date_start,
            entry.date_precision,
            entry.date_uncertain,
            entry.date_end,
            entry.date_end_precision or None,
        )
        if entry.date_precision != DAY or entry.date_uncertain or entry.date_end
        else entry.date_start.strftime("%d/%m/%Y")
    )


def link_groups(*, review: Review) -> dict[str, str]:
    """Entry id -> the id of its group of linked entries (confirmed or candidate; rejected pairs don't join)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    pairs = EntryLink.objects.filter(review=review).exclude(status=EntryLink.Status.REJECTED)
    for first, second in pairs.values_list("first_id", "second_id"):
        a, b = find(str(first)), find(str(second))
        if a != b:
            parent[max(a, b)] = min(a, b)
    return {entry: find(entry) for entry in parent}


def entry_rows(
    *, review: Review, entries: QuerySet[ChronologyEntry], url_for: Callable[[str], str] | None = None
) -> list[EntryRow]:
    """The entries as plain rows for exports, the timeline and the analyses: one query, no model objects."""
    groups = link_groups(review=review)
    fields = (
        "id",
        "agency_id",
        "agency__name",
        "date_start",
        "date_precision",
        "date_uncertain",
        "date_end",
        "date_end_precision",
        "time",
        "sequence",
        "description",
        "source",
        "people",
        "significant",
    )
    rows = []
    for values in entries.values_list(*fields).iterator(chunk_size=5000):
        (
            entry_id,
            agency_id,
            agency,
            start,
            precision,
            uncertain,
            end,
            end_precision,
            time,
            sequence,
            description,
            source,
            people,
            significant,
        ) = values
        key = str(entry_id)
        rows.append(
            EntryRow(
                id=key,
                agency_id=str(agency_id),
                agency=agency,
                date_start=start,
                date_precision=precision,
                date_uncertain=uncertain,
                date_end=end,
                date_end_precision=end_precision or None,
                time=time,
                sequence=sequence,
                description=description,
                source=source,
                people=people,
                significant=significant,
                link_group=groups.get(key),
                url=url_for(key) if url_for else "",
            )
        )
    return rows


def link_columns(*, review: Review) -> LinkColumns:
    """The review's released entries, in no particular order, column by column as the candidate-link search
    reads them: quickly (on 100,000 entries in about 0.15 s where entry_rows takes 1.6 s), since a review's
    candidates are looked for again after releases.

    Only the columns the search reads, straight from the database cursor: no model objects, no EntryRow and no
    Django converters per value. Ids and agency ids are the database's own text for a UUID, not str(uuid) (on
    SQLite: 32 hex digits, no hyphens): Django would turn every UUID column into a uuid.UUID, which str() then
    turns back. Such ids compare and sort among themselves exactly as str(uuid) ids do and uuid.UUID() reads
    them, but do not mix them with entry_rows ids. Dates stay ISO text (the search reads each distinct one
    once). The entries are read return by return (the index on the return), not in the chronology's order: the
    search does not need it, and reading through the date index visits the table all over.
    """
    released = list(
        AgencyReturn.objects.filter(review=review, status=AgencyReturn.Status.RELEASED).values_list("pk", flat=True)
    )
    rows: list[tuple[Any, ...]] = []
    if released:
        as_text: CharField[str, str] = CharField()
        entries = (
            ChronologyEntry.objects.filter(agency_return__in=released)
            .order_by()
            .annotate(**{f"{name}_text": Cast(name, as_text) for name in _READ_AS_TEXT})
            .values_list(*(f"{name}_text" if name in _READ_AS_TEXT else name for name in LINK_FIELDS))
        )
        sql, params = entries.query.sql_with_params()
        with connections[entries.db].cursor() as cursor, collector_paused():
            cursor.execute(sql, params)
            rows = cursor.fetchall()
    return LinkColumns(*zip(*rows, strict=True)) if rows else LinkColumns(*[()] * len(LINK_FIELDS))


# The entry's fields a LinkColumns holds, in its order; those read as the database's own text.
LINK_FIELDS = ("id", "agency_id", "date_start", "date_precision", "date_end", "date_end_precision", "description")
_READ_AS_TEXT = ("id", "agency_id", "date_start", "date_end")


def known_link_pairs(*, review: Review) -> set[tuple[str, str]]:
    """Every (first, second) pair already linked in the review, whatever its status, with its ids in the same
    text form as link_columns' ids (so that comparing them needs no uuid.UUID for each)."""
    as_text: CharField[str, str] = CharField()
    return set(
        EntryLink.objects.filter(review=review)
        .annotate(first_key=Cast("first_id", as_text), second_key=Cast("second_id", as_text))
        .values_list("first_key", "second_key")
    )


def links_for(*, review: Review, status: str) -> QuerySet[EntryLink]:
    return (
        EntryLink.objects.filter(review=review, status=status)
        .select_related("first__agency", "second__agency", "decided_by")
        .order_by("-score", "first__date_start")
    )


def links_of(*, entry: ChronologyEntry) -> QuerySet[EntryLink]:
    return (
        EntryLink.objects.filter(Q(first=entry) | Q(second=entry))
        .exclude(status=EntryLink.Status.REJECTED)
        .select_related("first__agency", "second__agency")
    )


def review_lanes(*, review: Review) -> list[tuple[str, str]]:
    """Agencies with released returns, in name order: the timeline's lanes."""
    returns = AgencyReturn.objects.filter(review=review, status=AgencyReturn.Status.RELEASED).select_related("agency")
    return sorted(((str(r.agency_id), r.agency.name) for r in returns), key=lambda lane: lane[1].lower())
