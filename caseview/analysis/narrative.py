"""The narrative of multi-agency perspectives (method.md §3.4.1 and §3.5): its reads and writes.

The narrative is told period by period (or episode by episode). Each section sets the facts of the chronology
in its period beside each person's perspective from the conversations, in columns by agency or by person, and
never merges them into one story; the reviewers write their own text around them and mark where accounts
agree, differ, where one party held information another did not, and where a record and a recollection
differ. Sections are shared with the case group for checking: its practitioners read them and comment, the
reviewers answer and change the text, and every change of a shared section's text is kept as a version.

Participants are named by label only. A participant who withdrew is left out, and every section says so; one
who withdrew consent to be quoted is named but not quoted, as in the key practice episode table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from caseview.accounts.models import User
from caseview.analysis.models import (
    KeyPracticeEpisode,
    MarkKind,
    NarrativeComment,
    NarrativeMark,
    NarrativeSection,
    NarrativeVersion,
)
from caseview.analysis.selectors import period_text, sees_whole_analysis
from caseview.chronology.analysis import entry_span
from caseview.chronology.models import CHRONOLOGICAL, ChronologyEntry
from caseview.chronology.selectors import ChronologyFilter, entry_date_text, filtered_entries, released_entries
from caseview.conversations.models import Perspective
from caseview.core import audit
from caseview.core.audit import Event, Origin
from caseview.core.models import StaleEdit
from caseview.people.models import ConsentScope, Participant
from caseview.people.selectors import Withdrawal, participant_of, withdrawals
from caseview.reviews.models import Agency, Membership, Review
from caseview.reviews.rules import role_label

BY_AGENCY = "agency"
BY_PERSON = "person"
COLUMN_CHOICES = {BY_AGENCY: "By agency", BY_PERSON: "By person"}
FAMILY_COLUMN = "family"

SHARED_FIRST = "Shared with the case group for checking"

# --- Reads -------------------------------------------------------------------------------------------------


def sections_visible_to(*, user: Any, review: Review) -> QuerySet[NarrativeSection]:
    """Reviewers see every section; a case-group practitioner only those shared with the case group."""
    sections = NarrativeSection.objects.filter(review=review).select_related("episode")
    if sees_whole_analysis(user=user, review=review):
        return sections
    return sections.filter(shared_with_case_group=True)


def section_for(*, user: Any, review: Review, section_id: Any) -> NarrativeSection:
    section = sections_visible_to(user=user, review=review).filter(pk=section_id).first()
    if section is None:
        raise Http404("No such section")
    return section


def section_period(section: NarrativeSection) -> tuple[dt.date, dt.date]:
    """The first and last day of the section: its own period, or its episode's."""
    if section.period_start is not None:
        return section.period_start, section.period_end or section.period_start
    episode = section.episode
    assert episode is not None  # a section has a period or an episode (a database constraint)
    return episode.period_start, episode.period_end or episode.period_start


def section_entries(*, section: NarrativeSection) -> list[ChronologyEntry]:
    """The facts: the released chronology entries in the section's period, and its episode's own entries."""
    start, end = section_period(section)
    entries = filtered_entries(review=section.review, filters=ChronologyFilter(start=start, end=end))
    if section.episode_id is not None:
        in_episode = released_entries(review=section.review).filter(episodes=section.episode_id)
        entries = (entries | in_episode.select_related("agency")).distinct().order_by(*CHRONOLOGICAL)
    return list(entries)


def _candidate_perspectives(section: NarrativeSection, entries: Sequence[ChronologyEntry]) -> QuerySet[Perspective]:
    """Turning points that happened in the period, cite one of its entries, or are linked to its episode."""
    start, end = section_period(section)
    belongs = Q(happened_on__range=(start, end)) | Q(entries__in=[entry.pk for entry in entries])
    if section.episode_id is not None:
        belongs |= Q(episodes=section.episode_id)
    ids = Perspective.objects.filter(review=section.review).filter(belongs).values("pk")
    return (
        Perspective.objects.filter(pk__in=ids)
        .select_related("participant__agency")
        .prefetch_related(Prefetch("entries", queryset=ChronologyEntry.objects.order_by(*CHRONOLOGICAL)))
        .order_by("happened_on", "participant__label", "number")
    )


@dataclass(frozen=True)
class Consents:
    """What withdrawals mean for the narrative: whose material is left out, and who is named but not quoted."""

    by_participant: dict[Any, list[Withdrawal]]

    @classmethod
    def of(cls, review: Review) -> Consents:
        return cls(withdrawals(review=review))

    def _withdrew(self, participant_id: Any, scope: str) -> bool:
        return any(item.scope == scope for item in self.by_participant.get(participant_id, []))

    def left_out(self, participant_id: Any) -> bool:
        return self._withdrew(participant_id, ConsentScope.TAKING_PART)

    def quotable(self, participant_id: Any) -> bool:
        return not self._withdrew(participant_id, ConsentScope.QUOTATION)

    def note(self, participant_id: Any, scope: str) -> str:
        return next(item.text for item in self.by_participant[participant_id] if item.scope == scope)


@dataclass(frozen=True)
class Column:
    key: str
    heading: str
    hint: str = ""
    family: bool = False


@dataclass
class FactView:
    entry: ChronologyEntry
    date_text: str
    marks: list[MarkView] = field(default_factory=list)


@dataclass
class PerspectiveView:
    perspective: Perspective
    quoted: bool
    marks: list[MarkView] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.perspective.participant.label

    @property
    def anchor(self) -> str:
        return f"perspective-{self.perspective.pk}"


@dataclass
class Row:
    """One moment of the section: the facts of that date, and each column's perspectives anchored to it."""

    when: str
    facts: list[FactView]
    cells: list[list[PerspectiveView]]


@dataclass(frozen=True)
class MarkView:
    number: int
    mark: NarrativeMark
    entries: list[str]
    perspectives: list[str]
    held_by: list[str]
    not_held_by: list[str]

    @property
    def tag_class(self) -> str:
        return {
            MarkKind.AGREE: "govuk-tag--green",
            MarkKind.DIFFER: "govuk-tag--orange",
            MarkKind.INFORMATION_HELD: "govuk-tag--purple",
            MarkKind.RECORD_RECOLLECTION: "govuk-tag--yellow",
        }[MarkKind(self.mark.kind)]


@dataclass
class SectionView:
    section: NarrativeSection
    period: str
    columns: list[Column]
    rows: list[Row]
    marks: list[MarkView]
    left_out: list[str]
    not_quoted: list[str]
    perspectives: list[PerspectiveView]

    @property
    def quoted(self) -> list[Perspective]:
        return [view.perspective for view in self.perspectives if view.quoted]


def _column(perspective: Perspective, columns: str) -> Column:
    participant = perspective.participant
    agency = participant.agency
    if columns == BY_PERSON:
        hint = agency.name if agency is not None else "Family" if participant.is_family else ""
        return Column(str(participant.pk), participant.label, hint, family=agency is None)
    if agency is None:
        return Column(FAMILY_COLUMN, "Family" if participant.is_family else "Others", family=True)
    return Column(str(agency.pk), agency.name)


def _mark_views(
    section: NarrativeSection, usable: dict[Any, PerspectiveView], facts: dict[Any, FactView]
) -> list[MarkView]:
    marks = section.marks.prefetch_related(
        Prefetch("entries", queryset=ChronologyEntry.objects.select_related("agency").order_by(*CHRONOLOGICAL)),
        Prefetch("perspectives", queryset=Perspective.objects.select_related("participant")),
        "held_by_agencies",
        "held_by_participants",
        "not_held_by_agencies",
        "not_held_by_participants",
    )
    views = []
    for number, mark in enumerate(marks, start=1):
        cited = [p for p in mark.perspectives.all() if p.pk in usable]
        view = MarkView(
            number=number,
            mark=mark,
            entries=[f"{entry_date_text(entry)}, {entry.agency.name}" for entry in mark.entries.all()],
            perspectives=[f"{p.participant.label}, turning point {p.number}" for p in cited],
            held_by=[a.name for a in mark.held_by_agencies.all()] + [p.label for p in mark.held_by_participants.all()],
            not_held_by=[a.name for a in mark.not_held_by_agencies.all()]
            + [p.label for p in mark.not_held_by_participants.all()],
        )
        for perspective in cited:
            usable[perspective.pk].marks.append(view)
        for entry in mark.entries.all():
            if entry.pk in facts:
                facts[entry.pk].marks.append(view)
        views.append(view)
    return views


def section_view(*, section: NarrativeSection, columns: str, consents: Consents) -> SectionView:
    """The section as the pages and the export show it: facts beside perspectives, in columns, with marks."""
    entries = section_entries(section=section)
    facts = {entry.pk: FactView(entry, entry_date_text(entry)) for entry in entries}
    # Each moment is keyed by its first day and its date as written, so "June 2025" is not "1 June 2025".
    moments: dict[tuple[dt.date, str], tuple[list[FactView], dict[str, list[PerspectiveView]]]] = {}
    fact_moment: dict[Any, tuple[dt.date, str]] = {}
    for fact in facts.values():
        key = (entry_span(fact.entry)[0], fact.date_text)
        moments.setdefault(key, ([], {}))[0].append(fact)
        fact_moment[fact.entry.pk] = key

    start, _ = section_period(section)
    left_out: dict[Any, str] = {}
    not_quoted: dict[Any, str] = {}
    usable: dict[Any, PerspectiveView] = {}
    found_columns: dict[str, Column] = {}
    for perspective in _candidate_perspectives(section, entries):
        participant_id = perspective.participant_id
        if consents.left_out(participant_id):
            left_out[participant_id] = consents.note(participant_id, ConsentScope.TAKING_PART)
            continue
        quoted = consents.quotable(participant_id)
        if not quoted:
            not_quoted[participant_id] = consents.note(participant_id, ConsentScope.QUOTATION)
        view = PerspectiveView(perspective, quoted)
        usable[perspective.pk] = view
        cited = [fact_moment[entry.pk] for entry in perspective.entries.all() if entry.pk in fact_moment]
        if perspective.happened_on is not None:
            key = (perspective.happened_on, f"{perspective.happened_on.day} {perspective.happened_on:%B %Y}")
        else:
            key = min(cited) if cited else (start, f"{start.day} {start:%B %Y}")
        column = _column(perspective, columns)
        found_columns.setdefault(column.key, column)
        moments.setdefault(key, ([], {}))[1].setdefault(column.key, []).append(view)

    ordered = sorted(moments.items(), key=lambda item: item[0])
    # Columns read left to right in the order their first perspective comes in the period; on the same day,
    # agencies before the family.
    column_order: list[str] = []
    for _, (_, cells) in ordered:
        new = [found_columns[key] for key in cells if key not in column_order]
        column_order.extend(column.key for column in sorted(new, key=lambda column: (column.family, column.heading)))
    column_list = [found_columns[key] for key in column_order]
    rows = [
        Row(when=text, facts=fact_list, cells=[cells.get(column.key, []) for column in column_list])
        for (_, text), (fact_list, cells) in ordered
    ]
    return SectionView(
        section=section,
        period=period_text(*section_period(section)),
        columns=column_list,
        rows=rows,
        marks=_mark_views(section, usable, facts),
        left_out=list(left_out.values()),
        not_quoted=list(not_quoted.values()),
        perspectives=list(usable.values()),
    )


def section_choices(*, section: NarrativeSection) -> tuple[list[ChronologyEntry], list[Perspective]]:
    """What a mark in this section may link: its facts, and the perspectives it shows (never a withdrawn one's)."""
    entries = section_entries(section=section)
    consents = Consents.of(section.review)
    perspectives = [p for p in _candidate_perspectives(section, entries) if not consents.left_out(p.participant_id)]
    return entries, perspectives


def versions_of(*, section: NarrativeSection) -> QuerySet[NarrativeVersion]:
    return section.versions.select_related("comment").order_by("-number")


def comments_of(*, section: NarrativeSection) -> list[NarrativeComment]:
    comments = list(section.comments.all())
    answered = {version.comment_id: version.number for version in section.versions.filter(comment__isnull=False)}
    for comment in comments:
        comment.answered_by_version = answered.get(comment.pk)  # type: ignore[attr-defined]
    return comments


def comment_for(*, section: NarrativeSection, comment_id: Any) -> NarrativeComment:
    comment = section.comments.filter(pk=comment_id).first()
    if comment is None:
        raise Http404("No such comment")
    return comment


def mark_for(*, section: NarrativeSection, mark_id: Any) -> NarrativeMark:
    mark = section.marks.filter(pk=mark_id).first()
    if mark is None:
        raise Http404("No such mark")
    return mark


def author_label(*, user: Any, review: Review) -> str:
    """How a commenter is named to others: their participant label, or their role and agency; never a name."""
    participant = participant_of(user=user, review=review)
    if participant is not None:
        return participant.label
    membership = Membership.objects.filter(review=review, user=user).select_related("agency").first()
    if membership is None:
        return "A member of the review"
    what = membership.position or role_label(membership.role)
    return f"{what}, {membership.agency.name}" if membership.agency else what


# --- Writes ------------------------------------------------------------------------------------------------


def _check_section(
    *, review: Review, title: str, period_start: dt.date | None, period_end: dt.date | None, episode: Any
) -> None:
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = "Enter a title for the section, like “Spring and summer 2025”"
    if period_start is None and episode is None:
        errors["period_start"] = "Enter the date the period starts, or choose the episode the section tells"
    elif period_start is None and period_end is not None:
        errors["period_start"] = "Enter the date the period starts"
    elif period_start is not None and period_end is not None and period_end < period_start:
        errors["period_end"] = "The end of the period must be on or after its start"
    if episode is not None and episode.review_id != review.pk:
        errors["episode"] = "Choose an episode of this review"
    if errors:
        raise ValidationError(errors)


def section_add(
    *,
    review: Review,
    title: str,
    by: User,
    origin: Origin,
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
    episode: KeyPracticeEpisode | None = None,
    text: str = "",
    order: int | None = None,
) -> NarrativeSection:
    """Add a section, at the end of the narrative unless given a place."""
    _check_section(review=review, title=title, period_start=period_start, period_end=period_end, episode=episode)
    with transaction.atomic():
        Review.objects.select_for_update().filter(pk=review.pk).first()
        if order is None:
            last = NarrativeSection.objects.filter(review=review).aggregate(last=Max("order"))["last"]
            order = (last or 0) + 1
        section = NarrativeSection.objects.create(
            review=review,
            order=order,
            title=title.strip(),
            period_start=period_start,
            period_end=period_end,
            episode=episode,
            text=text.strip(),
            created_by=by,
        )
        audit.record(
            event=Event.NARRATIVE_SECTION_ADDED,
            actor=by,
            origin=origin,
            review=review,
            obj=section,
            summary=f"Added narrative section {section.order}: {section.title}",
        )
    return section


def _locked(section: NarrativeSection, expected_version: int | None) -> NarrativeSection:
    current = NarrativeSection.objects.select_for_update().select_related("review").get(pk=section.pk)
    if expected_version is not None and current.version != expected_version:
        raise StaleEdit("Someone else changed this section while you were editing it.")
    return current


def _bump(section: NarrativeSection, fields: Sequence[str]) -> None:
    section.version = F("version") + 1
    section.save(update_fields=["version", "updated_at", *fields])
    section.refresh_from_db()


def _keep_version(
    section: NarrativeSection, *, reason: str, by: User, comment: NarrativeComment | None = None
) -> NarrativeVersion:
    last = section.versions.aggregate(last=Max("number"))["last"] or 0
    return NarrativeVersion.objects.create(
        section=section,
        number=last + 1,
        title=section.title,
        text=section.text,
        reason=reason,
        comment=comment,
        made_by=by,
        made_at=timezone.now(),
    )


def section_update(
    *,
    section: NarrativeSection,
    expected_version: int,
    title: str,
    order: int,
    period_start: dt.date | None,
    period_end: dt.date | None,
    episode: KeyPracticeEpisode | None,
    text: str,
    by: User,
    origin: Origin,
    reason: str = "",
    comment: NarrativeComment | None = None,
) -> NarrativeSection:
    """Change a section. Once it has been shared with the case group, a change of its words needs a reason
    and is kept as a new version (the earlier ones stay), naming the comment it answers if any."""
    _check_section(
        review=section.review, title=title, period_start=period_start, period_end=period_end, episode=episode
    )
    with transaction.atomic():
        current = _locked(section, expected_version)
        before = {
            "title": current.title,
            "order": current.order,
            "period": [str(current.period_start or ""), str(current.period_end or "")],
            "episode": current.episode.number if current.episode else None,
            "text": current.text,
        }
        after = {
            "title": title.strip(),
            "order": order,
            "period": [str(period_start or ""), str(period_end or "")],
            "episode": episode.number if episode else None,
            "text": text.strip(),
        }
        changed = [key for key in before if before[key] != after[key]]
        if not changed:
            return current
        words_changed = before["title"] != after["title"] or before["text"] != after["text"]
        versioned = current.versions.exists()
        if versioned and words_changed and not reason.strip():
            raise ValidationError(
                {"reason": "Say why the text changed: the case group has seen it, and sees why in its history"}
            )
        current.title = str(after["title"])
        current.order = order
        current.period_start = period_start
        current.period_end = period_end
        current.episode = episode
        current.text = str(after["text"])
        _bump(current, ["title", "order", "period_start", "period_end", "episode", "text"])
        version = None
        if versioned and words_changed:
            version = _keep_version(current, reason=reason.strip(), by=by, comment=comment)
        audit.record(
            event=Event.NARRATIVE_SECTION_CHANGED,
            actor=by,
            origin=origin,
            review=current.review,
            obj=current,
            summary=f"Changed narrative section {current.order}: {', '.join(changed)}"
            + (f" (version {version.number})" if version else ""),
            detail={
                "changed": changed,
                "reason": reason.strip(),
                "version": version.number if version else None,
                "comment": comment.number if comment else None,
            },
        )
    return current


def section_remove(*, section: NarrativeSection, by: User, origin: Origin) -> None:
    """Remove a section the case group has not commented on (their comments, and what they led to, are kept)."""
    with transaction.atomic():
        current = _locked(section, None)
        if current.comments.exists():
            raise ValidationError(
                f"The case group has commented on section {current.order}, so it stays with their comments and "
                "what they led to. Stop sharing it instead if it should not be read now."
            )
        audit.record(
            event=Event.NARRATIVE_SECTION_REMOVED,
            actor=by,
            origin=origin,
            review=current.review,
            obj=current,
            summary=f"Removed narrative section {current.order}: {current.title}",
            detail={"marks": current.marks.count()},
        )
        current.delete()


def section_share(*, section: NarrativeSection, shared: bool, by: User, origin: Origin) -> NarrativeSection:
    """Share the section with the case group for checking, or stop sharing it. The first share keeps the text
    the case group was shown as version 1."""
    with transaction.atomic():
        current = _locked(section, None)
        if current.shared_with_case_group == shared:
            return current
        current.shared_with_case_group = shared
        current.shared_at = timezone.now() if shared else None
        _bump(current, ["shared_with_case_group", "shared_at"])
        if shared and not current.versions.exists():
            _keep_version(current, reason=SHARED_FIRST, by=by)
        audit.record(
            event=Event.NARRATIVE_SHARING_CHANGED,
            actor=by,
            origin=origin,
            review=current.review,
            obj=current,
            summary=f"{'Shared' if shared else 'Stopped sharing'} narrative section {current.order} with the case "
            "group",
        )
    return current


def narrative_share(*, review: Review, by: User, origin: Origin) -> int:
    """Share every section not yet shared. Returns how many were shared now."""
    with transaction.atomic():
        waiting = list(NarrativeSection.objects.filter(review=review, shared_with_case_group=False))
        for section in waiting:
            section_share(section=section, shared=True, by=by, origin=origin)
    return len(waiting)


def _check_mark(
    *,
    section: NarrativeSection,
    kind: str,
    note: str,
    entries: Sequence[ChronologyEntry],
    perspectives: Sequence[Perspective],
    held_by: Sequence[Agency | Participant],
    not_held_by: Sequence[Agency | Participant],
) -> None:
    errors: dict[str, str] = {}
    if kind not in MarkKind.values:
        errors["kind"] = "Choose what the mark says about the accounts"
    if not note.strip():
        errors["note"] = "Write a note saying what the reviewers see"
    allowed_entries, allowed_perspectives = section_choices(section=section)
    if not {entry.pk for entry in entries} <= {entry.pk for entry in allowed_entries}:
        errors["entries"] = "Choose facts shown in this section"
    if not {p.pk for p in perspectives} <= {p.pk for p in allowed_perspectives}:
        errors["perspectives"] = "Choose perspectives shown in this section"
    review = section.review
    if any(
        item.partnership_id != review.partnership_id if isinstance(item, Agency) else item.review_id != review.pk
        for item in [*held_by, *not_held_by]
    ):
        errors["held_by_agencies"] = "Choose agencies and people of this review"
    if errors:
        raise ValidationError(errors)
    if kind in {MarkKind.AGREE, MarkKind.DIFFER} and len(entries) + len(perspectives) < 2:
        errors["perspectives"] = "Choose at least two accounts or facts that agree or differ"
    if kind == MarkKind.RECORD_RECOLLECTION and not (entries and perspectives):
        errors["perspectives"] = "Choose the record (a fact) and the recollection (a perspective) that differ"
    if kind == MarkKind.INFORMATION_HELD:
        if not held_by:
            errors["held_by_agencies"] = "Choose who held the information: agencies or people"
        if not not_held_by:
            errors["not_held_by_agencies"] = "Choose who did not hold it: agencies or people"
        if {(type(item), item.pk) for item in held_by} & {(type(item), item.pk) for item in not_held_by}:
            errors["not_held_by_agencies"] = "The same party cannot both hold the information and not hold it"
    if errors:
        raise ValidationError(errors)


def mark_add(
    *,
    section: NarrativeSection,
    kind: str,
    note: str,
    by: User,
    origin: Origin,
    entries: Sequence[ChronologyEntry] = (),
    perspectives: Sequence[Perspective] = (),
    held_by_agencies: Sequence[Agency] = (),
    held_by_participants: Sequence[Participant] = (),
    not_held_by_agencies: Sequence[Agency] = (),
    not_held_by_participants: Sequence[Participant] = (),
) -> NarrativeMark:
    """Mark, in a section, what the reviewers see between accounts and facts, linking what it is about."""
    information = kind == MarkKind.INFORMATION_HELD
    held: list[Agency | Participant] = [*held_by_agencies, *held_by_participants] if information else []
    not_held: list[Agency | Participant] = [*not_held_by_agencies, *not_held_by_participants] if information else []
    _check_mark(
        section=section,
        kind=kind,
        note=note,
        entries=entries,
        perspectives=perspectives,
        held_by=held,
        not_held_by=not_held,
    )
    with transaction.atomic():
        mark = NarrativeMark.objects.create(section=section, kind=kind, note=note.strip(), created_by=by)
        mark.entries.set(entries)
        mark.perspectives.set(perspectives)
        if information:
            mark.held_by_agencies.set(held_by_agencies)
            mark.held_by_participants.set(held_by_participants)
            mark.not_held_by_agencies.set(not_held_by_agencies)
            mark.not_held_by_participants.set(not_held_by_participants)
        audit.record(
            event=Event.NARRATIVE_MARK_ADDED,
            actor=by,
            origin=origin,
            review=section.review,
            obj=mark,
            summary=f"Marked “{mark.get_kind_display().lower()}” in narrative section {section.order}",
            detail={
                "entries": [str(entry.pk) for entry in entries],
                "perspectives": [str(p.pk) for p in perspectives],
                "held_by": [item.label if isinstance(item, Participant) else item.name for item in held],
                "not_held_by": [item.label if isinstance(item, Participant) else item.name for item in not_held],
            },
        )
    return mark


def mark_remove(*, mark: NarrativeMark, by: User, origin: Origin) -> None:
    with transaction.atomic():
        section = mark.section
        audit.record(
            event=Event.NARRATIVE_MARK_REMOVED,
            actor=by,
            origin=origin,
            review=section.review,
            obj=mark,
            summary=f"Removed a “{mark.get_kind_display().lower()}” mark from narrative section {section.order}",
        )
        mark.delete()


def comment_add(*, section: NarrativeSection, text: str, by: User, origin: Origin) -> NarrativeComment:
    """A case group member's comment on a shared section, on the version they read."""
    if not text.strip():
        raise ValidationError({"text": "Write your comment"})
    with transaction.atomic():
        current = _locked(section, None)
        if not current.shared_with_case_group:
            raise ValidationError("This section is no longer shared with the case group for checking")
        number = (current.comments.aggregate(last=Max("number"))["last"] or 0) + 1
        comment = NarrativeComment.objects.create(
            section=current,
            number=number,
            author=by,
            author_label=author_label(user=by, review=current.review),
            on_version=current.versions.aggregate(last=Max("number"))["last"] or 1,
            text=text.strip(),
        )
        audit.record(
            event=Event.NARRATIVE_COMMENTED,
            actor=by,
            origin=origin,
            review=current.review,
            obj=comment,
            summary=f"Commented on narrative section {current.order} (comment {number})",
        )
    return comment


def comment_respond(
    *,
    comment: NarrativeComment,
    expected_version: int,
    section_version: int,
    response: str,
    text: str,
    by: User,
    origin: Origin,
) -> NarrativeComment:
    """The reviewers' response to a comment; if they change the section's text with it, the change is kept
    as a version made "after case group comment N"."""
    if not response.strip():
        raise ValidationError({"response": "Write the response the case group will read"})
    with transaction.atomic():
        current = NarrativeComment.objects.select_for_update().select_related("section__review").get(pk=comment.pk)
        if current.version != expected_version:
            raise StaleEdit(
                "Someone else answered this comment while you were writing. Their response is shown: answer again "
                "on top of it if something is missing."
            )
        section = current.section
        if text.strip() != section.text:
            section_update(
                section=section,
                expected_version=section_version,
                title=section.title,
                order=section.order,
                period_start=section.period_start,
                period_end=section.period_end,
                episode=section.episode,
                text=text,
                reason=f"After case group comment {current.number}",
                comment=current,
                by=by,
                origin=origin,
            )
        current.response = response.strip()
        current.responded_by = by
        current.responded_at = timezone.now()
        current.version = F("version") + 1
        current.save(update_fields=["response", "responded_by", "responded_at", "version", "updated_at"])
        current.refresh_from_db()
        audit.record(
            event=Event.NARRATIVE_COMMENT_ANSWERED,
            actor=by,
            origin=origin,
            review=section.review,
            obj=current,
            summary=f"Answered comment {current.number} on narrative section {section.order}",
        )
    return current


def narrative_exported(
    *, review: Review, by: User, origin: Origin, sections: Iterable[SectionView], columns: str
) -> None:
    views = list(sections)
    audit.record(
        event=Event.NARRATIVE_EXPORTED,
        actor=by,
        origin=origin,
        review=review,
        summary=f"Exported the narrative ({len(views)} section{'s' if len(views) != 1 else ''}, columns by "
        f"{columns}) as a Word document",
        detail={"perspectives": [str(p.pk) for view in views for p in view.quoted]},
    )
