"""The shape in which chronology entries travel to exports, the timeline and the analyses over them.

Selectors build these from the database in one query; everything downstream is plain Python over them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class EntryRow:
    id: str
    agency_id: str
    agency: str
    date_start: dt.date
    date_precision: str  # dates.DAY, MONTH or YEAR
    date_uncertain: bool
    date_end: dt.date | None
    date_end_precision: str | None
    time: dt.time | None
    sequence: int
    description: str
    source: str
    people: str = ""
    significant: bool = False
    link_group: str | None = None  # the id of the confirmed or candidate group of linked entries it belongs to
    url: str = ""  # the entry's page in the review, for links from the timeline
