"""Reading findings, and the chain of evidence both ways: down from a finding to the episodes, contributory
factors, chronology entries and turning points it rests on; up from an entry or a turning point to the findings
that rest on it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from caseview.analysis.models import ContributoryFactor, KeyPracticeEpisode
from caseview.analysis.selectors import usable_perspectives
from caseview.chronology.models import CHRONOLOGICAL, ChronologyEntry
from caseview.chronology.selectors import entry_date_text
from caseview.conversations.models import Perspective
from caseview.findings.models import Finding
from caseview.people.selectors import withdrawn_participant_ids
from caseview.reviews.models import Review


def findings_of(*, review: Review) -> QuerySet[Finding]:
    return Finding.objects.filter(review=review).prefetch_related("board_questions", "episodes")


def ranked(findings: QuerySet[Finding] | list[Finding]) -> list[Finding]:
    """Ranked findings first, most needing improvement first; those not ranked yet after them, by number."""
    return sorted(findings, key=lambda item: (item.rank is None, item.rank or 0, item.number))


def finding_for(*, review: Review, number: int) -> Finding:
    finding = findings_of(review=review).filter(number=number).first()
    if finding is None:
        raise Http404("No such finding")
    return finding


# --- Down the chain ----------------------------------------------------------------------------------------


@dataclass
class EntryLink:
    entry: ChronologyEntry

    @property
    def date_text(self) -> str:
        return entry_date_text(self.entry)


@dataclass
class FactorLink:
    factor: ContributoryFactor
    entries: list[EntryLink]
    perspectives: list[Perspective]


@dataclass
class EpisodeLink:
    episode: KeyPracticeEpisode
    entries: list[EntryLink]
    perspectives: list[Perspective]
    factors: list[FactorLink]


@dataclass
class Chain:
    episodes: list[EpisodeLink] = field(default_factory=list)
    # Where the evidence comes from: each agency whose records it cites, each person whose account it cites.
    agencies: list[str] = field(default_factory=list)
    people: list[str] = field(default_factory=list)

    @property
    def source_count(self) -> int:
        return len(self.agencies) + len(self.people)

    @property
    def single_source(self) -> bool:
        """All the evidence comes from one agency's records, or from one person's account (or there is none)."""
        return self.source_count <= 1

    @property
    def single_source_text(self) -> str:
        if not self.source_count:
            return "It rests on no chronology entry or turning point yet."
        if self.agencies:
            return f"All its evidence comes from one agency's records: {self.agencies[0]}."
        return f"All its evidence comes from one person's account: {self.people[0]}."


def _entries(queryset: QuerySet[ChronologyEntry]) -> list[EntryLink]:
    return [EntryLink(entry) for entry in queryset.select_related("agency").order_by(*CHRONOLOGICAL)]


def chain_of(*, finding: Finding) -> Chain:
    """The finding's evidence, episode by episode. Turning points of participants who withdrew are left out."""
    withdrawn = withdrawn_participant_ids(review=finding.review)
    usable = Perspective.objects.exclude(participant_id__in=withdrawn).select_related("participant__agency")
    episodes = finding.episodes.order_by("number").prefetch_related(
        Prefetch("perspectives", queryset=usable.order_by("happened_on", "participant__label", "number")),
        Prefetch(
            "factors",
            queryset=ContributoryFactor.objects.select_related("factor_type").prefetch_related(
                Prefetch("perspectives", queryset=usable.order_by("participant__label", "number"))
            ),
        ),
    )
    chain = Chain()
    agencies: dict[Any, str] = {}
    people: dict[Any, str] = {}
    for episode in episodes:
        factors = [
            FactorLink(factor, _entries(factor.entries.all()), list(factor.perspectives.all()))
            for factor in episode.factors.all()
        ]
        link = EpisodeLink(episode, _entries(episode.entries.all()), list(episode.perspectives.all()), factors)
        chain.episodes.append(link)
        for entry_link in [*link.entries, *(item for factor in factors for item in factor.entries)]:
            agencies[entry_link.entry.agency_id] = entry_link.entry.agency.name
        for perspective in [*link.perspectives, *(item for factor in factors for item in factor.perspectives)]:
            people[perspective.participant_id] = perspective.participant.label
    chain.agencies = sorted(agencies.values())
    chain.people = sorted(people.values())
    return chain


# --- Up the chain ------------------------------------------------------------------------------------------


def findings_resting_on_entry(*, entry: ChronologyEntry) -> list[Finding]:
    """The findings whose episodes, or those episodes' contributory factors, cite this entry."""
    found = Finding.objects.filter(review_id=entry.review_id).filter(
        Q(episodes__entries=entry) | Q(episodes__factors__entries=entry)
    )
    return ranked(list(found.distinct()))


def perspective_for(*, review: Review, perspective_id: Any) -> Perspective:
    perspective = usable_perspectives(review=review).filter(pk=perspective_id).first()
    if perspective is None:
        raise Http404("No such turning point")
    return perspective


def findings_resting_on_perspective(*, perspective: Perspective) -> list[Finding]:
    found = Finding.objects.filter(review_id=perspective.review_id).filter(
        Q(episodes__perspectives=perspective) | Q(episodes__factors__perspectives=perspective)
    )
    return ranked(list(found.distinct()))


# --- The findings-by-episodes matrix -----------------------------------------------------------------------


@dataclass
class MatrixRow:
    finding: Finding
    cells: list[bool]


@dataclass
class Matrix:
    episodes: list[KeyPracticeEpisode]
    rows: list[MatrixRow]


def matrix_of(*, review: Review) -> Matrix:
    episodes = list(KeyPracticeEpisode.objects.filter(review=review).order_by("number"))
    rows = []
    for finding in ranked(findings_of(review=review)):
        linked = {episode.pk for episode in finding.episodes.all()}
        rows.append(MatrixRow(finding, [episode.pk in linked for episode in episodes]))
    return Matrix(episodes, rows)
