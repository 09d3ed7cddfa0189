"""Agreement between reviewers: independent appraisals of an episode, their comparison, and the agreement
statistics across the review (reads and writes; the arithmetic is in agreement_stats).

Two or more reviewers appraise an episode on their own: how practice was (the valence) and the framework items
they would code it to. Blindness is kept here, not in the pages: until a reviewer has submitted their own
independent appraisal of an episode, nothing here gives them anyone else's (only how many others have
submitted). A submitted appraisal is locked. Practitioners and everyone without `edit_analysis` see none.

Agreement on factor codes treats every item of the framework (the current one and the partnership's own, plus
any item either reviewer used) as a yes/no decision per episode, so an item neither reviewer used counts as
agreement. That is the usual way, and it makes kappa comparable between episodes; the positive agreement
beside it (of the codes either used, how many both used) leaves those joint absences out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import combinations
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Prefetch, QuerySet
from django.utils import timezone

from caseview.accounts.models import User
from caseview.analysis import selectors, services
from caseview.analysis.agreement_stats import (
    Agreement,
    PositiveAgreement,
    cohen_kappa,
    contingency,
    positive_agreement,
)
from caseview.analysis.models import (
    NEEDS_EXPLANATION,
    ContributoryFactor,
    ContributoryFactorType,
    Effect,
    IndependentAppraisal,
    IndependentCode,
    KeyPracticeEpisode,
    Valence,
)
from caseview.core import audit
from caseview.core.audit import Event, Origin
from caseview.core.models import StaleEdit
from caseview.reviews.models import Review
from caseview.reviews.rules import can

# --- Reads ------------------------------------------------------------------------------------------------


def _appraisals() -> QuerySet[IndependentAppraisal]:
    codes = IndependentCode.objects.select_related("factor_type__group")
    return IndependentAppraisal.objects.select_related("reviewer", "episode").prefetch_related(
        Prefetch("codes", queryset=codes)
    )


def own_appraisal(*, user: Any, episode: KeyPracticeEpisode) -> IndependentAppraisal | None:
    """The user's own independent appraisal of the episode, draft or submitted, if they have started one."""
    return _appraisals().filter(episode=episode, reviewer=user).first()


def appraisals_visible_to(*, user: Any, episode: KeyPracticeEpisode) -> list[IndependentAppraisal]:
    """The submitted independent appraisals of the episode the user may read: none until their own is
    submitted (and none ever without `edit_analysis`); then all of them, their own first."""
    if not can(user, "reviews.edit_analysis", episode.review):
        return []
    submitted = list(_appraisals().filter(episode=episode, submitted_at__isnull=False))
    if not any(appraisal.reviewer_id == user.pk for appraisal in submitted):
        return []
    return sorted(submitted, key=lambda appraisal: (appraisal.reviewer_id != user.pk, appraisal.submitted_at))


def others_submitted(*, user: Any, episode: KeyPracticeEpisode) -> int:
    """How many other reviewers have submitted an independent appraisal of the episode: the one thing about
    theirs a reviewer may know before submitting their own."""
    return (
        IndependentAppraisal.objects.filter(episode=episode, submitted_at__isnull=False).exclude(reviewer=user).count()
    )


@dataclass(frozen=True)
class EpisodeStatus:
    episode: KeyPracticeEpisode
    mine: IndependentAppraisal | None
    others: int

    @property
    def can_compare(self) -> bool:
        return self.mine is not None and self.mine.submitted and self.others > 0


def episode_statuses(*, user: Any, review: Review) -> list[EpisodeStatus]:
    """Every episode with where the user's own independent appraisal stands and how many others submitted."""
    mine = {
        appraisal.episode_id: appraisal
        for appraisal in IndependentAppraisal.objects.filter(reviewer=user, episode__review=review)
    }
    submitted: dict[Any, int] = {}
    for episode_id in (
        IndependentAppraisal.objects.filter(episode__review=review, submitted_at__isnull=False)
        .exclude(reviewer=user)
        .values_list("episode_id", flat=True)
    ):
        submitted[episode_id] = submitted.get(episode_id, 0) + 1
    return [
        EpisodeStatus(episode, mine.get(episode.pk), submitted.get(episode.pk, 0))
        for episode in selectors.episodes_visible_to(user=user, review=review)
    ]


@dataclass(frozen=True)
class CodeRow:
    """One framework item in the comparison: what each reviewer (in column order) said it did, if they coded it."""

    factor_type: ContributoryFactorType
    effects: tuple[str | None, ...]
    names: tuple[str, ...]
    in_episode: bool

    @property
    def by_all(self) -> bool:
        return all(effect is not None for effect in self.effects)

    @property
    def agreed(self) -> bool:
        """Everyone coded it, with the same effect: a code that can be carried into the episode's factors."""
        return self.by_all and len(set(self.effects)) == 1

    @property
    def agreed_effect(self) -> str:
        return str(self.effects[0]) if self.agreed else ""

    @property
    def cells(self) -> list[tuple[str, str]]:
        """(reviewer, what they said the factor did, or "" when they did not code it), in column order."""
        labels = dict(Effect.choices)
        return [
            (name, str(labels[effect]) if effect else "") for name, effect in zip(self.names, self.effects, strict=True)
        ]

    @property
    def status(self) -> str:
        everyone = "Both" if len(self.effects) == 2 else "All"
        if self.agreed:
            return f"{everyone} reviewers"
        if self.by_all:
            return f"{everyone} reviewers, with different effects"
        coded = [name for name, effect in zip(self.names, self.effects, strict=True) if effect is not None]
        return f"Only {' and '.join(coded)}"


@dataclass(frozen=True)
class Comparison:
    appraisals: list[IndependentAppraisal]
    rows: list[CodeRow]

    @property
    def valences_agree(self) -> bool:
        return len({appraisal.valence for appraisal in self.appraisals}) == 1

    @property
    def agreed_rows(self) -> list[CodeRow]:
        return [row for row in self.rows if row.agreed]

    @property
    def agreed_in_episode(self) -> list[CodeRow]:
        return [row for row in self.agreed_rows if row.in_episode]


def _framework_order(item: ContributoryFactorType) -> tuple[Any, ...]:
    return (item.group.order, item.partnership_id is not None, item.order, item.label)


def comparison(*, user: Any, episode: KeyPracticeEpisode) -> Comparison:
    """The submitted independent appraisals the user may read (see `appraisals_visible_to`), side by side: one
    row per item anyone coded, in framework order."""
    appraisals = appraisals_visible_to(user=user, episode=episode)
    names = tuple(reviewer_name(appraisal.reviewer) for appraisal in appraisals)
    items: dict[Any, ContributoryFactorType] = {}
    for appraisal in appraisals:
        items.update({code.factor_type_id: code.factor_type for code in appraisal.codes.all()})
    coded = [{code.factor_type_id: code.effect for code in appraisal.codes.all()} for appraisal in appraisals]
    in_episode = set(episode.factors.values_list("factor_type_id", flat=True))
    rows = [
        CodeRow(item, tuple(codes.get(item.pk) for codes in coded), names, item.pk in in_episode)
        for item in sorted(items.values(), key=_framework_order)
    ]
    return Comparison(appraisals, rows)


def reviewer_name(user: User) -> str:
    return str(user)


# --- Agreement across the review --------------------------------------------------------------------------

VALENCES = tuple(Valence.values)


@dataclass
class PairAgreement:
    """How far two reviewers agree over the episodes both submitted an independent appraisal of."""

    first: User
    second: User
    episodes: list[KeyPracticeEpisode] = field(default_factory=list)
    valence_pairs: list[tuple[str, str]] = field(default_factory=list)
    code_pairs: list[tuple[bool, bool]] = field(default_factory=list)
    same_effect: int = 0
    # Whether the viewer may see which valence each chose, in the table of counts: only when they have
    # submitted their own appraisal of every one of these episodes (so could compare each anyway).
    detail_visible: bool = False

    @property
    def names(self) -> tuple[str, str]:
        return reviewer_name(self.first), reviewer_name(self.second)

    @cached_property
    def valence(self) -> Agreement:
        return cohen_kappa(self.valence_pairs)

    @cached_property
    def valence_table(self) -> list[tuple[str, list[int]]]:
        labels = dict(Valence.choices)
        table = contingency(self.valence_pairs, VALENCES)
        return [(labels[value], row) for value, row in zip(VALENCES, table, strict=True)]

    @property
    def valence_labels(self) -> list[str]:
        return [str(label) for label in Valence.labels]

    @cached_property
    def codes(self) -> Agreement:
        return cohen_kappa(self.code_pairs)

    @cached_property
    def codes_positive(self) -> PositiveAgreement:
        return positive_agreement(self.code_pairs)


def agreement_by_pair(*, user: Any, review: Review) -> list[PairAgreement]:
    """For each pair of reviewers who both submitted independent appraisals of at least one episode: their
    valences and their yes/no decisions on every framework item, episode by episode."""
    by_episode: dict[Any, dict[Any, IndependentAppraisal]] = {}
    for appraisal in (
        _appraisals().filter(episode__review=review, submitted_at__isnull=False).order_by("episode__number")
    ):
        by_episode.setdefault(appraisal.episode_id, {})[appraisal.reviewer_id] = appraisal
    usable = set(selectors.factor_types_for(review=review).values_list("pk", flat=True))
    pairs: dict[tuple[Any, Any], PairAgreement] = {}
    for appraisals in by_episode.values():
        ordered = sorted(appraisals.values(), key=lambda appraisal: (reviewer_name(appraisal.reviewer), appraisal.pk))
        for a, b in combinations(ordered, 2):
            pair = pairs.setdefault((a.reviewer_id, b.reviewer_id), PairAgreement(a.reviewer, b.reviewer))
            pair.episodes.append(a.episode)
            pair.valence_pairs.append((a.valence, b.valence))
            codes_a = {code.factor_type_id: code.effect for code in a.codes.all()}
            codes_b = {code.factor_type_id: code.effect for code in b.codes.all()}
            for item in usable | codes_a.keys() | codes_b.keys():
                pair.code_pairs.append((item in codes_a, item in codes_b))
            pair.same_effect += sum(1 for item, effect in codes_a.items() if codes_b.get(item) == effect)
    submitted_by_viewer = set(
        IndependentAppraisal.objects.filter(
            episode__review=review, reviewer=user, submitted_at__isnull=False
        ).values_list("episode_id", flat=True)
    )
    for pair in pairs.values():
        pair.detail_visible = all(episode.pk in submitted_by_viewer for episode in pair.episodes)
    return sorted(pairs.values(), key=lambda pair: pair.names)


# --- Writes -----------------------------------------------------------------------------------------------

LOCKED = "Your independent appraisal of episode {number} was submitted, so it cannot be changed."


def _own_for_update(*, episode: KeyPracticeEpisode, by: User) -> IndependentAppraisal:
    """The reviewer's own appraisal of the episode, started if need be, locked for this transaction; refused
    once submitted."""
    appraisal, _ = IndependentAppraisal.objects.get_or_create(episode=episode, reviewer=by)
    appraisal = IndependentAppraisal.objects.select_for_update().get(pk=appraisal.pk)
    if appraisal.submitted:
        raise ValidationError(LOCKED.format(number=episode.number))
    return appraisal


def _bump(appraisal: IndependentAppraisal, fields: Sequence[str] = ()) -> None:
    appraisal.version = F("version") + 1
    appraisal.save(update_fields=["version", "updated_at", *fields])
    appraisal.refresh_from_db()


def appraisal_save(
    *,
    episode: KeyPracticeEpisode,
    valence: str,
    note: str,
    expected_version: int | None,
    by: User,
    origin: Origin,
) -> IndependentAppraisal:
    """Save the reviewer's own draft: how practice was (may still be blank) and their note."""
    if valence and valence not in Valence.values:
        raise ValidationError({"valence": "Say whether practice was good, problematic, mixed or uncertain"})
    with transaction.atomic():
        appraisal = _own_for_update(episode=episode, by=by)
        if expected_version is not None and appraisal.version != expected_version:
            raise StaleEdit(
                "Your independent appraisal was saved from another window since you opened this one. It is shown "
                "as saved: make your changes again on top of it."
            )
        appraisal.valence = valence
        appraisal.note = note.strip()
        _bump(appraisal, ["valence", "note"])
        audit.record(
            event=Event.INDEPENDENT_APPRAISAL_SAVED,
            actor=by,
            origin=origin,
            review=episode.review,
            obj=appraisal,
            summary=f"Saved their independent appraisal of episode {episode.number} as a draft",
        )
    return appraisal


def code_add(
    *, episode: KeyPracticeEpisode, factor_type: ContributoryFactorType | None, effect: str, by: User, origin: Origin
) -> IndependentCode:
    """Code the reviewer's own appraisal to a framework item, saying whether it supported good practice or made
    problems more likely."""
    errors: dict[str, str] = {}
    if factor_type is None or not selectors.factor_types_for(review=episode.review).filter(pk=factor_type.pk).exists():
        errors["factor_type"] = "Choose the factor from the framework: its level, group and item"
    if effect not in Effect.values:
        errors["effect"] = "Say whether the factor supported good practice or made problems more likely"
    if errors:
        raise ValidationError(errors)
    assert factor_type is not None
    with transaction.atomic():
        appraisal = _own_for_update(episode=episode, by=by)
        if appraisal.codes.filter(factor_type=factor_type).exists():
            raise ValidationError({"factor_type": f"You have coded “{factor_type.label}” already"})
        code = IndependentCode.objects.create(appraisal=appraisal, factor_type=factor_type, effect=effect)
        _bump(appraisal)
        audit.record(
            event=Event.INDEPENDENT_CODE_ADDED,
            actor=by,
            origin=origin,
            review=episode.review,
            obj=appraisal,
            summary=f"Added a factor code to their independent appraisal of episode {episode.number}",
            detail={"factor_type": str(factor_type.pk), "effect": effect},
        )
    return code


def own_code(*, user: Any, episode: KeyPracticeEpisode, code_id: Any) -> IndependentCode | None:
    return IndependentCode.objects.filter(pk=code_id, appraisal__episode=episode, appraisal__reviewer=user).first()


def code_remove(*, code: IndependentCode, by: User, origin: Origin) -> None:
    episode = code.appraisal.episode
    if code.appraisal.reviewer_id != by.pk:
        raise ValidationError("You can change only your own independent appraisal")
    with transaction.atomic():
        appraisal = _own_for_update(episode=episode, by=by)
        audit.record(
            event=Event.INDEPENDENT_CODE_REMOVED,
            actor=by,
            origin=origin,
            review=episode.review,
            obj=appraisal,
            summary=f"Removed a factor code from their independent appraisal of episode {episode.number}",
            detail={"factor_type": str(code.factor_type_id), "effect": code.effect},
        )
        code.delete()
        _bump(appraisal)


def appraisal_submit(*, episode: KeyPracticeEpisode, by: User, origin: Origin) -> IndependentAppraisal:
    """Submit the reviewer's own appraisal: it needs a valence, and a problematic or mixed one a factor code
    that explains it (as an episode does to be complete). From now on it is locked, and comparable."""
    with transaction.atomic():
        appraisal = _own_for_update(episode=episode, by=by)
        if not appraisal.valence:
            raise ValidationError({"valence": "Say whether practice was good, problematic, mixed or uncertain"})
        if appraisal.valence in NEEDS_EXPLANATION and not appraisal.codes.exists():
            raise ValidationError(
                {
                    "factor_type": f"You judged practice {appraisal.get_valence_display().lower()}: code at least "
                    "one factor that explains it before submitting"
                }
            )
        appraisal.submitted_at = timezone.now()
        _bump(appraisal, ["submitted_at"])
        audit.record(
            event=Event.INDEPENDENT_APPRAISAL_SUBMITTED,
            actor=by,
            origin=origin,
            review=episode.review,
            obj=appraisal,
            summary=f"Submitted their independent appraisal of episode {episode.number}",
            detail={"valence": appraisal.valence, "codes": appraisal.codes.count()},
        )
    return appraisal


def comparison_read(
    *, episode: KeyPracticeEpisode, appraisals: Sequence[IndependentAppraisal], by: User, origin: Origin
) -> None:
    """Reading other reviewers' independent appraisals is an audit event, naming whose were read."""
    others = [appraisal for appraisal in appraisals if appraisal.reviewer_id != by.pk]
    if others:
        audit.record(
            event=Event.INDEPENDENT_APPRAISALS_COMPARED,
            actor=by,
            origin=origin,
            review=episode.review,
            obj=episode,
            summary=f"Compared independent appraisals of episode {episode.number}, reading those of "
            + ", ".join(reviewer_name(appraisal.reviewer) for appraisal in others),
            detail={"appraisals": [str(appraisal.pk) for appraisal in others]},
        )


def statistics_viewed(*, review: Review, pairs: Sequence[PairAgreement], by: User, origin: Origin) -> None:
    audit.record(
        event=Event.AGREEMENT_STATISTICS_VIEWED,
        actor=by,
        origin=origin,
        review=review,
        summary=f"Viewed the agreement between reviewers ({len(pairs)} pair{'s' if len(pairs) != 1 else ''})",
    )


def carry_code(
    *,
    episode: KeyPracticeEpisode,
    factor_type: ContributoryFactorType,
    significance: str,
    description: str,
    by: User,
    origin: Origin,
) -> ContributoryFactor:
    """Add a code every reviewer agreed on (same item, same effect) to the episode's own contributory factors,
    through the analysis's own service; refused for a code that is not agreed or is there already."""
    row = next((row for row in comparison(user=by, episode=episode).rows if row.factor_type.pk == factor_type.pk), None)
    if row is None or not row.agreed or len(row.effects) < 2:
        raise ValidationError("Only a code every reviewer agreed on, with the same effect, can be carried over")
    if row.in_episode:
        raise ValidationError(f"“{factor_type.label}” is among the episode's contributory factors already")
    return services.factor_add(
        episode=episode,
        factor_type=factor_type,
        effect=row.agreed_effect,
        significance=significance,
        description=description,
        by=by,
        origin=origin,
    )
