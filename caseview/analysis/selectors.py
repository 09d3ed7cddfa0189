"""Reads for the analysis, filtered by who is asking.

Reviewers (who may edit the analysis) see every episode and quote the turning points linked to them. A
case-group practitioner sees only the episodes the reviewers have shared for checking, with the people whose
turning points are linked named by label but not quoted: what someone said in their conversation is read
by the reviewers and by that person only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from caseview.analysis.models import (
    SIGNIFICANCE_ORDER,
    ContributoryFactor,
    ContributoryFactorType,
    Effect,
    FactorFramework,
    FactorGroup,
    KeyPracticeEpisode,
    Level,
    Outcome,
)
from caseview.chronology.models import CHRONOLOGICAL, ChronologyEntry
from caseview.chronology.selectors import entry_date_text
from caseview.conversations.models import Perspective
from caseview.people.models import ConsentScope
from caseview.people.selectors import withdrawals, withdrawn_participant_ids
from caseview.reviews.models import Partnership, Review
from caseview.reviews.rules import can


def sees_whole_analysis(*, user: Any, review: Review) -> bool:
    """Reviewers: every episode, shared or not, with the turning points quoted."""
    return can(user, "reviews.edit_analysis", review)


# --- The framework -----------------------------------------------------------------------------------------


def current_framework() -> FactorFramework | None:
    return FactorFramework.objects.filter(current=True).first()


@dataclass
class GroupView:
    group: FactorGroup
    items: list[ContributoryFactorType]


@dataclass
class LevelView:
    level: str
    label: str
    groups: list[GroupView] = field(default_factory=list)


def framework_levels(*, partnership: Partnership | None) -> list[LevelView]:
    """The current framework as levels → groups → items, with the partnership's own items in their groups."""
    framework = current_framework()
    if framework is None:
        return []
    items = ContributoryFactorType.objects.filter(group__framework=framework).filter(
        Q(partnership__isnull=True) | Q(partnership=partnership)
    )
    groups = framework.groups.prefetch_related(Prefetch("items", queryset=items.order_by("partnership", "order")))
    levels = {level.value: LevelView(level.value, level.label) for level in Level}
    for group in groups:
        levels[group.level].groups.append(GroupView(group, list(group.items.all())))
    return [level for level in levels.values() if level.groups]


def factor_types_for(*, review: Review) -> QuerySet[ContributoryFactorType]:
    """The items a factor in this review can be coded to: the current framework's and the partnership's own."""
    return (
        ContributoryFactorType.objects.filter(group__framework__current=True)
        .filter(Q(partnership__isnull=True) | Q(partnership_id=review.partnership_id))
        .select_related("group")
    )


def partnership_item(*, partnership: Partnership, item_id: Any) -> ContributoryFactorType:
    item = ContributoryFactorType.objects.filter(partnership=partnership, pk=item_id).first()
    if item is None:
        raise Http404("No such item")
    return item


# --- Episodes ----------------------------------------------------------------------------------------------


def episodes_visible_to(*, user: Any, review: Review) -> QuerySet[KeyPracticeEpisode]:
    episodes = KeyPracticeEpisode.objects.filter(review=review).annotate(factor_count=Count("factors", distinct=True))
    if sees_whole_analysis(user=user, review=review):
        return episodes
    return episodes.filter(shared_with_case_group=True)


def episode_for(*, user: Any, review: Review, number: int) -> KeyPracticeEpisode:
    episode = episodes_visible_to(user=user, review=review).filter(number=number).first()
    if episode is None:
        raise Http404("No such episode")
    return episode


def episode_entries(*, episode: KeyPracticeEpisode) -> QuerySet[ChronologyEntry]:
    return episode.entries.select_related("agency").order_by(*CHRONOLOGICAL)


def usable_perspectives(*, review: Review) -> QuerySet[Perspective]:
    """The review's turning points whose participants have not withdrawn: the ones the analysis may use."""
    return (
        Perspective.objects.filter(review=review)
        .exclude(participant_id__in=withdrawn_participant_ids(review=review))
        .select_related("participant__agency")
        .order_by("happened_on", "participant__label", "number")
    )


def episode_perspectives(*, episode: KeyPracticeEpisode) -> QuerySet[Perspective]:
    return usable_perspectives(review=episode.review).filter(episodes=episode)


def episode_factors(*, episode: KeyPracticeEpisode) -> list[ContributoryFactor]:
    """The episode's factors, most significant first, with what each cites."""
    withdrawn = withdrawn_participant_ids(review=episode.review)
    factors = list(
        episode.factors.select_related("factor_type__group").prefetch_related(
            Prefetch("entries", queryset=ChronologyEntry.objects.select_related("agency").order_by(*CHRONOLOGICAL)),
            Prefetch(
                "perspectives",
                queryset=Perspective.objects.exclude(participant_id__in=withdrawn).select_related("participant"),
            ),
        )
    )
    return sorted(factors, key=lambda factor: (SIGNIFICANCE_ORDER[factor.significance], factor.created_at))


def outcome_of(*, review: Review) -> Outcome | None:
    return Outcome.objects.filter(review=review).first()


def period_text(start: dt.date, end: dt.date | None) -> str:
    def day(value: dt.date) -> str:
        return f"{value.day} {value:%B %Y}"

    if end is None or end == start:
        return day(start)
    return f"{day(start)} to {day(end)}"


# --- The KPE table (Appendix 4) ----------------------------------------------------------------------------


@dataclass(frozen=True)
class FactorLine:
    code: str
    verified: bool
    own_item: bool
    effect: str
    supported: bool
    significance: str
    description: str

    @property
    def text(self) -> str:
        tag = "" if self.verified else " (unverified)" if not self.own_item else " (partnership's own)"
        return f"{self.code}{tag}: {self.effect.lower()}; significance {self.significance.lower()}. {self.description}"


@dataclass(frozen=True)
class KpeRow:
    """One episode as the KPE table shows it: plain values, for the page and the exports."""

    number: int
    title: str
    period: str
    valence: str
    complete: bool
    description: str
    agencies: list[str]
    participants: list[str]
    perspectives: list[str]
    expected_practice: str
    practice_compared: str
    certainty: str
    factors: list[FactorLine]
    evidence: list[str]
    open_questions: list[str]

    @property
    def number_and_title(self) -> str:
        return f"{self.number}. {self.title}"


def _entry_evidence(entry: ChronologyEntry) -> str:
    return f"{entry_date_text(entry)}, {entry.agency.name}: {entry.source}"


def kpe_rows(*, review: Review, episodes: Iterable[KeyPracticeEpisode], quote_perspectives: bool) -> list[KpeRow]:
    """The episodes as rows of the Appendix 4 table, leaving out the turning points of anyone who withdrew."""
    usable = {p.pk: p for p in usable_perspectives(review=review)}
    unquotable = {
        participant_id
        for participant_id, items in withdrawals(review=review).items()
        if any(item.scope == ConsentScope.QUOTATION for item in items)
    }
    rows = []
    for episode in episodes:
        perspectives = [usable[p] for p in episode.perspectives.values_list("pk", flat=True) if p in usable]
        factors = episode_factors(episode=episode)
        entries = list(episode_entries(episode=episode))
        cited_perspectives: dict[Any, Perspective] = {p.pk: p for p in perspectives}
        for factor in factors:
            cited_perspectives.update({p.pk: p for p in factor.perspectives.all()})
        certainty = episode.get_certainty_display() if episode.certainty else "Not yet judged"
        if episode.certainty_reason.strip():
            certainty = f"{certainty}: {episode.certainty_reason.strip()}"
        rows.append(
            KpeRow(
                number=episode.number,
                title=episode.title,
                period=period_text(episode.period_start, episode.period_end),
                valence=episode.get_valence_display(),
                complete=episode.complete,
                description=episode.description,
                agencies=sorted(agency.name for agency in episode.agencies.all()),
                participants=sorted(participant.label for participant in episode.participants.all()),
                perspectives=[
                    f"{p.participant.label}: {p.turning_point}"
                    if quote_perspectives and p.participant_id not in unquotable
                    else p.participant.label
                    for p in perspectives
                ],
                expected_practice=episode.expected_practice,
                practice_compared=episode.practice_compared,
                certainty=certainty,
                factors=[
                    FactorLine(
                        code=factor.factor_type.code,
                        verified=factor.factor_type.verified,
                        own_item=factor.factor_type.partnership_id is not None,
                        effect=factor.get_effect_display(),
                        supported=factor.effect == Effect.SUPPORTED,
                        significance=factor.get_significance_display(),
                        description=factor.description,
                    )
                    for factor in factors
                ],
                evidence=[
                    *(_entry_evidence(entry) for entry in entries),
                    *(
                        f"Conversation with {p.participant.label}, turning point {p.number}"
                        for p in cited_perspectives.values()
                    ),
                    *(
                        f"{ref.get_kind_display()}: {ref.title}"
                        + (f" ({ref.year})" if ref.year else "")
                        + (f", {ref.citation}" if ref.citation else "")
                        for ref in episode.references.all()
                    ),
                ],
                open_questions=[question.text for question in episode.open_questions.all()],
            )
        )
    return rows


def withdrawal_notes(*, review: Review) -> list[str]:
    """What the analysis's outputs leave out because someone withdrew, by label."""
    return [item.text for items in withdrawals(review=review).values() for item in items]
