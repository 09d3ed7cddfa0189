"""Reads for the information flow: who told whom what and when, the information one agency held that another
did not, and the review as one agency or person knew it on a date (the "as known" hindsight guard).

Only the released chronology counts, and only the reviewers read any of this (`reviews.view_information_flow`).

Dates. An entry's date may be a month, a year, a range or uncertain: it counts as *on or before* a day only
when its last possible day is (`entry_span`), so "June 2025" is not yet known on 15 June 2025. A
communication was known to its recipient from `Communication.known_on` (the day it was received or read,
else the day it was sent); one not received was never known.

Held but not shared. An *item* is a released chronology entry. Agency X *held* an item before day D when
  - it is X's own entry, dated before D; or
  - a communication X received before D conveys it (names it in `conveys`), whoever sent it.
Agency Y *had* an item by D when it is Y's own entry, or a communication Y received on or before D conveys
it. What X held before D that Y did not have by D is "held but not shared". An agency receives what is
addressed to it or to one of its participants.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from caseview.analysis.models import Communication, Receipt
from caseview.analysis.selectors import usable_perspectives
from caseview.chronology.analysis import entry_span
from caseview.chronology.models import ChronologyEntry
from caseview.chronology.selectors import entry_date_text, released_entries
from caseview.conversations.models import Perspective
from caseview.people.models import Participant
from caseview.reviews.models import Agency, Review, Sector

AGENCY = "agency"
PARTICIPANT = "participant"
SECTOR_ORDER = {value: number for number, value in enumerate(Sector.values)}

End = Agency | Participant  # what a communication's sender or recipient is


# --- Parties: the agencies and people at either end of a communication ---------------------------------------


@dataclass(frozen=True)
class Party:
    """An agency or a participant, as the information flow names them."""

    key: str  # "agency:<uuid>" or "participant:<uuid>", the value forms and links use
    name: str
    kind: str  # AGENCY or PARTICIPANT
    agency_id: Any  # the agency it belongs to: itself, a practitioner's agency, or None for the family
    order: tuple[int, int, str]  # agencies by sector then name, then people by label

    @property
    def is_agency(self) -> bool:
        return self.kind == AGENCY

    @property
    def pk(self) -> str:
        return self.key.split(":", 1)[1]


def agency_party(agency: Agency) -> Party:
    return Party(
        key=f"{AGENCY}:{agency.pk}",
        name=agency.name,
        kind=AGENCY,
        agency_id=agency.pk,
        order=(0, SECTOR_ORDER.get(agency.sector, len(SECTOR_ORDER)), agency.name),
    )


def participant_party(participant: Participant) -> Party:
    return Party(
        key=f"{PARTICIPANT}:{participant.pk}",
        name=participant.label,
        kind=PARTICIPANT,
        agency_id=participant.agency_id,
        order=(1, 0, participant.label),
    )


def sender(communication: Communication) -> Party:
    if communication.from_agency is not None:
        return agency_party(communication.from_agency)
    assert communication.from_participant is not None
    return participant_party(communication.from_participant)


def recipient(communication: Communication) -> Party:
    if communication.to_agency is not None:
        return agency_party(communication.to_agency)
    assert communication.to_participant is not None
    return participant_party(communication.to_participant)


def party_agencies(*, review: Review) -> QuerySet[Agency]:
    """The agencies a communication can come from or go to: those in the review's scope (the partnership's
    when none is set), and any with released entries or named in a communication already."""
    in_scope = review.agencies.all()
    agencies = in_scope if in_scope.exists() else Agency.objects.filter(partnership=review.partnership)
    used = Communication.objects.filter(review=review)
    named = Q(pk__in=used.values("from_agency")) | Q(pk__in=used.values("to_agency"))
    recorded = Q(pk__in=released_entries(review=review).values("agency"))
    return Agency.objects.filter(Q(pk__in=agencies.values("pk")) | named | recorded).order_by("name")


def parties(*, review: Review) -> list[Party]:
    """Every agency and participant of the review, agencies first (by sector, then name), then people."""
    found = [agency_party(agency) for agency in party_agencies(review=review)]
    found += [participant_party(participant) for participant in Participant.objects.filter(review=review)]
    return sorted(found, key=lambda party: party.order)


def party_for(*, review: Review, key: str) -> Party | None:
    """The party a form or a link names, if it is one of this review's."""
    return next((party for party in parties(review=review) if party.key == key), None)


def party_label(party: Party, agencies: dict[Any, str]) -> str:
    """How a choice list names a party: an agency by its name, a person with their agency or as family."""
    if party.is_agency:
        return party.name
    return f"{party.name} ({agencies[party.agency_id]})" if party.agency_id in agencies else f"{party.name} (family)"


def end_for(*, review: Review, key: str) -> End | None:
    """The agency or participant a form's value names ("agency:<uuid>", "participant:<uuid>"), if the review's."""
    kind, _, pk = key.partition(":")
    try:
        if kind == AGENCY:
            return Agency.objects.filter(partnership=review.partnership, pk=pk).first()
        if kind == PARTICIPANT:
            return Participant.objects.filter(review=review, pk=pk).select_related("agency").first()
    except ValidationError:  # not a UUID
        return None
    return None


def end_key(end: End) -> str:
    return agency_party(end).key if isinstance(end, Agency) else participant_party(end).key


def party_choices(*, review: Review) -> list[tuple[str, str]]:
    agencies = dict(Agency.objects.filter(partnership=review.partnership).values_list("pk", "name"))
    return [(party.key, party_label(party, agencies)) for party in parties(review=review)]


# --- Communications ----------------------------------------------------------------------------------------


def communications(*, review: Review) -> QuerySet[Communication]:
    """The review's communications recorded on released entries, in the order they were sent, with what each
    conveys (released entries only)."""
    return (
        Communication.objects.filter(review=review, entry__in=released_entries(review=review))
        .select_related(
            "entry__agency", "from_agency", "to_agency", "from_participant__agency", "to_participant__agency"
        )
        .prefetch_related(
            Prefetch(
                "conveys",
                queryset=released_entries(review=review).select_related("agency").order_by("date_start", "sequence"),
            )
        )
        .order_by("sent_on", "created_at")
    )


def entry_communications(*, entry: ChronologyEntry) -> QuerySet[Communication]:
    return communications(review=entry.review).filter(entry=entry)


def communication_for(*, review: Review, communication_id: Any) -> Communication:
    found = communications(review=review).filter(pk=communication_id).first()
    if found is None:
        raise Http404("No such communication")
    return found


def receiving_agency(communication: Communication) -> Agency | None:
    """The agency that received it: the one it was addressed to, or the agency of the person it was addressed
    to (None for a family member)."""
    if communication.to_agency is not None:
        return communication.to_agency
    assert communication.to_participant is not None
    return communication.to_participant.agency


def received_by(communication: Communication) -> Any:
    """The id of `receiving_agency`."""
    agency = receiving_agency(communication)
    return agency.pk if agency is not None else None


def involves(communication: Communication, party: Party) -> bool:
    """Whether the party sent or received it: an agency through any of its people too."""
    ends = (sender(communication), recipient(communication))
    if party.is_agency:
        return any(end.agency_id == party.agency_id for end in ends)
    return any(end.key == party.key for end in ends)


@dataclass(frozen=True)
class FlowFilter:
    party: Party | None = None
    start: dt.date | None = None
    end: dt.date | None = None

    @property
    def active(self) -> bool:
        return bool(self.party or self.start or self.end)


def entry_line(entry: ChronologyEntry) -> str:
    return f"{entry_date_text(entry)}, {entry.agency.name}: {entry.description}"


@dataclass(frozen=True)
class FlowRow:
    """One communication as the table, the graph and the exports show it: plain values."""

    communication: Communication
    sent_on: dt.date
    received_on: dt.date | None  # when it was received or read later than it was sent
    sender: Party
    recipient: Party
    information: str
    channel: str
    received: bool
    note: str
    recorded_on: str  # the entry that records it: date and agency
    conveys: list[tuple[ChronologyEntry, str]] = field(default_factory=list)  # the entries it passed on, dated

    @property
    def receipt(self) -> str:
        if not self.received:
            return "Not received or not seen"
        if self.received_on:
            return f"Received {self.received_on.day} {self.received_on:%B %Y}"
        return "Received"


def flow_rows(*, review: Review, filters: FlowFilter = FlowFilter()) -> list[FlowRow]:
    """The communications that involve the filter's party and were sent in its period, oldest first."""
    rows = []
    for communication in communications(review=review):
        if filters.start and communication.sent_on < filters.start:
            continue
        if filters.end and communication.sent_on > filters.end:
            continue
        if filters.party and not involves(communication, filters.party):
            continue
        rows.append(
            FlowRow(
                communication=communication,
                sent_on=communication.sent_on,
                received_on=communication.received_on,
                sender=sender(communication),
                recipient=recipient(communication),
                information=communication.information,
                channel=communication.get_channel_display(),
                received=communication.received,
                note=communication.note,
                recorded_on=f"{entry_date_text(communication.entry)}, {communication.entry.agency.name}",
                conveys=[(entry, entry_date_text(entry)) for entry in communication.conveys.all()],
            )
        )
    return rows


# --- Dates -------------------------------------------------------------------------------------------------


def on_or_before(entry: ChronologyEntry, day: dt.date) -> bool:
    """Whether the entry certainly happened on or before `day`: its last possible day is not later."""
    return entry_span(entry)[1] <= day


def _chronological(entry: ChronologyEntry) -> tuple[Any, ...]:
    return (entry.date_start, entry.precision_rank, entry.time is not None, entry.time or dt.time.min, entry.sequence)


# --- Information held but not shared -----------------------------------------------------------------------


@dataclass
class Held:
    """An entry an agency held: its own (`brought_by` None) or brought to it by a communication it received.
    `missed` lists communications to the agency acting that would have carried it but were not received."""

    entry: ChronologyEntry
    date_text: str
    brought_by: Communication | None = None
    missed: list[Communication] = field(default_factory=list)

    @property
    def told_by(self) -> str:
        """Who told the agency holding it: the sender of `brought_by`."""
        return sender(self.brought_by).name if self.brought_by is not None else ""


@dataclass
class HeldBy:
    agency: Agency
    items: list[Held]


def held_not_shared(*, review: Review, agency: Agency, on: dt.date) -> list[HeldBy]:
    """What each other agency held before `on` that `agency` did not have by `on` (the module's definition),
    grouped by the agency holding it (by name), each group's entries in chronological order."""
    received = [
        c for c in communications(review=review).filter(receipt=Receipt.RECEIVED, sent_on__lte=on) if c.known_on <= on
    ]
    had = {
        entry.pk
        for communication in received
        if received_by(communication) == agency.pk
        for entry in communication.conveys.all()
    }

    def wanting(entry: ChronologyEntry) -> bool:
        return entry.agency_id != agency.pk and entry.pk not in had

    holders: dict[Any, Agency] = {}
    held: dict[Any, dict[Any, Held]] = defaultdict(dict)
    earlier = released_entries(review=review).filter(date_start__lt=on).select_related("agency")
    for entry in earlier:
        if entry_span(entry)[1] < on and wanting(entry):
            holders[entry.agency_id] = entry.agency
            held[entry.agency_id][entry.pk] = Held(entry=entry, date_text=entry_date_text(entry))
    for communication in sorted(received, key=lambda c: (c.known_on, c.sent_on)):
        receiver = receiving_agency(communication)
        if receiver is None or receiver.pk == agency.pk or communication.known_on >= on:
            continue
        holder = receiver.pk
        holders[holder] = receiver
        for entry in communication.conveys.all():
            if wanting(entry) and entry.agency_id != holder and entry.pk not in held[holder]:
                held[holder][entry.pk] = Held(entry=entry, date_text=entry_date_text(entry), brought_by=communication)

    missed: dict[Any, list[Communication]] = defaultdict(list)
    not_received = communications(review=review).filter(receipt=Receipt.NOT_RECEIVED, sent_on__lte=on)
    for communication in not_received:
        if received_by(communication) == agency.pk:
            for entry in communication.conveys.all():
                missed[entry.pk].append(communication)
    groups = []
    for holder, items in held.items():
        if not items:
            continue
        for item in items.values():
            item.missed = missed.get(item.entry.pk, [])
        groups.append(
            HeldBy(agency=holders[holder], items=sorted(items.values(), key=lambda i: _chronological(i.entry)))
        )
    return sorted(groups, key=lambda group: group.agency.name)


@dataclass(frozen=True)
class NotHad:
    """One entry the agency acting did not have, with every agency that held it."""

    entry: ChronologyEntry
    date_text: str
    holders: list[str]


def not_had(groups: list[HeldBy]) -> list[NotHad]:
    """`held_not_shared`'s answer turned round: each entry once, in chronological order, with who held it."""
    found: dict[Any, NotHad] = {}
    for group in groups:
        for item in group.items:
            found.setdefault(item.entry.pk, NotHad(item.entry, item.date_text, [])).holders.append(group.agency.name)
    return sorted(found.values(), key=lambda row: _chronological(row.entry))


def not_shared_start(*, entry: ChronologyEntry) -> dt.date:
    """The day to ask "what didn't they know?" from an entry: the first day its date can mean."""
    return entry_span(entry)[0]


# --- As known on a date ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Told:
    """A communication the party had received by the date, with the entries it carried."""

    communication: Communication
    sender: Party
    carried: list[tuple[ChronologyEntry, str]]


@dataclass
class AsKnown:
    party: Party
    on: dt.date
    records_of: Agency | None  # whose records count as the party's own: the agency, or a person's agency
    own: list[tuple[ChronologyEntry, str]]
    told: list[Told]
    perspectives: list[Perspective]
    hidden_later: int  # released entries not certainly on or before the date
    hidden_unknown: int  # entries by the date that the party had not recorded or been told of
    hidden_not_received: int  # communications to the party sent by the date that it did not have by then
    hidden_turning_points: int  # the person's turning points dated after the date, or not dated


def _addressed_to(communication: Communication, party: Party) -> bool:
    """Whether it went to the party: to an agency or one of its people; to a person, or to their agency."""
    if not party.is_agency and str(communication.to_participant_id) == party.pk:
        return True
    return party.agency_id is not None and received_by(communication) == party.agency_id


def as_known(*, review: Review, party: Party, on: dt.date) -> AsKnown:
    """The review as `party` knew it on `on` (that day included): an agency's own released entries and the
    communications it had received, with the entries they carried; for a person, their agency's (if any),
    what was addressed to them, and their own turning points up to the date with what they knew at the time.
    Nothing later, nothing the party had not recorded or been told, and never what anyone learned later."""
    records_of = Agency.objects.get(pk=party.agency_id) if party.agency_id is not None else None
    released = released_entries(review=review)
    candidates = released.filter(date_start__lte=on).select_related("agency")
    by_then = [entry for entry in candidates if on_or_before(entry, on)]
    own = sorted(
        (entry for entry in by_then if records_of is not None and entry.agency_id == records_of.pk),
        key=_chronological,
    )
    told, not_received = [], 0
    for communication in communications(review=review):
        if not _addressed_to(communication, party) or communication.sent_on > on:
            continue
        if not communication.received or communication.known_on > on:
            not_received += 1
            continue
        carried = [(entry, entry_date_text(entry)) for entry in communication.conveys.all()]
        told.append(Told(communication=communication, sender=sender(communication), carried=carried))
    told.sort(key=lambda item: (item.communication.known_on, item.communication.sent_on))
    known = {entry.pk for entry in own} | {entry.pk for item in told for entry, _ in item.carried}
    perspectives: list[Perspective] = []
    hidden_turning_points = 0
    if not party.is_agency:
        theirs = usable_perspectives(review=review).filter(participant_id=party.pk)
        perspectives = [p for p in theirs if p.happened_on is not None and p.happened_on <= on]
        hidden_turning_points = len(theirs) - len(perspectives)
    return AsKnown(
        party=party,
        on=on,
        records_of=records_of,
        own=[(entry, entry_date_text(entry)) for entry in own],
        told=told,
        perspectives=perspectives,
        hidden_later=released.count() - len(by_then),
        hidden_unknown=len([entry for entry in by_then if entry.pk not in known]),
        hidden_not_received=not_received,
        hidden_turning_points=hidden_turning_points,
    )
