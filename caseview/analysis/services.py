"""Writes for the analysis: the factor framework, key practice episodes, their appraisal and explanation.

Each function validates, writes inside one transaction and records the audit event in that same transaction.
Callers check permission first; these functions check that what they are given belongs to the review.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.apps import apps as global_apps
from django.apps.registry import Apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone

from caseview.accounts.models import User
from caseview.analysis import exports, framework, selectors
from caseview.analysis.models import (
    AppraisalReference,
    Certainty,
    ContributoryFactor,
    ContributoryFactorType,
    Effect,
    FactorGroup,
    IdentifiedBy,
    KeyPracticeEpisode,
    OpenQuestion,
    Outcome,
    Significance,
    Valence,
)
from caseview.chronology.analysis import entry_span
from caseview.chronology.models import ChronologyEntry
from caseview.chronology.selectors import released_entries
from caseview.conversations.models import Perspective
from caseview.core import audit
from caseview.core.audit import Event, Origin
from caseview.core.models import StaleEdit
from caseview.people.models import Participant
from caseview.reviews.models import Agency, Partnership, Review

# --- The framework -----------------------------------------------------------------------------------------


def framework_install(*, data: framework.FrameworkData = framework.STANDARD, apps: Apps = global_apps) -> bool:
    """Install a version of the framework, unless it is installed already, and make it the current one.

    Runs after every `migrate` (and every test database flush), so the framework is there on a fresh
    installation; `apps` lets it run with the models as the migrations left them. Returns whether it
    installed anything.
    """
    frameworks = apps.get_model("analysis", "FactorFramework")
    groups = apps.get_model("analysis", "FactorGroup")
    items = apps.get_model("analysis", "ContributoryFactorType")
    if frameworks.objects.filter(version=data.version).exists():
        return False
    with transaction.atomic():
        frameworks.objects.filter(current=True).update(current=False)
        installed = frameworks.objects.create(version=data.version, title=data.title, source=data.source, current=True)
        for order, group_data in enumerate(data.groups, start=1):
            group = groups.objects.create(
                framework=installed,
                level=group_data.level,
                key=group_data.key,
                label=group_data.label,
                verified=group_data.verified,
                note=group_data.note,
                order=order,
            )
            items.objects.bulk_create(
                items(
                    group=group,
                    key=item.key,
                    label=item.label,
                    detail=item.detail,
                    verified=item.verified,
                    order=number,
                )
                for number, item in enumerate(group_data.items, start=1)
            )
    return True


def framework_item_add(
    *, partnership: Partnership, group: FactorGroup, label: str, detail: str = "", by: User, origin: Origin
) -> ContributoryFactorType:
    """Add a partnership's own item to a group of the current framework, for that partnership's reviews."""
    label = label.strip()
    if not label:
        raise ValidationError({"label": "Enter the factor"})
    if not group.framework.current:
        raise ValidationError({"group": "Choose a group of the current framework"})
    taken = ContributoryFactorType.objects.filter(group=group, label__iexact=label).filter(
        Q(partnership__isnull=True) | Q(partnership=partnership)
    )
    if taken.exists():
        raise ValidationError({"label": f"{group.label} already has a factor called {label}"})
    with transaction.atomic():
        item = ContributoryFactorType.objects.create(
            group=group,
            label=label,
            detail=detail.strip(),
            verified=False,
            partnership=partnership,
            added_by=by,
            order=(group.items.aggregate(last=Max("order"))["last"] or 0) + 1,
        )
        audit.record(
            event=Event.FRAMEWORK_ITEM_ADDED,
            actor=by,
            origin=origin,
            partnership=partnership,
            obj=item,
            summary=f"Added “{label}” to {group.label} in the partnership's contributory factor framework",
        )
    return item


def framework_item_remove(*, item: ContributoryFactorType, by: User, origin: Origin) -> None:
    """Remove a partnership's own item, unless a factor in some review is coded to it."""
    if item.partnership_id is None:
        raise ValidationError("The framework's own items cannot be removed")
    used = item.factors.count()
    if used:
        raise ValidationError(
            f"“{item.label}” is the code of {used} contributory factor{'s' if used != 1 else ''} in reviews, so it "
            "stays. Recode those factors first if it should go."
        )
    if item.independent_codes.exists():
        raise ValidationError(
            f"“{item.label}” is a code in reviewers' independent appraisals, whose agreement it is part of, so it "
            "stays."
        )
    with transaction.atomic():
        audit.record(
            event=Event.FRAMEWORK_ITEM_REMOVED,
            actor=by,
            origin=origin,
            partnership=item.partnership,
            obj=item,
            summary=f"Removed “{item.label}” from {item.group.label} in the partnership's framework",
        )
        item.delete()


# --- Episodes ----------------------------------------------------------------------------------------------


def _check_belongs(
    review: Review,
    *,
    agencies: Iterable[Agency] = (),
    participants: Iterable[Participant] = (),
    entries: Iterable[ChronologyEntry] = (),
    perspectives: Iterable[Perspective] = (),
) -> None:
    errors: dict[str, str] = {}
    if any(agency.partnership_id != review.partnership_id for agency in agencies):
        errors["agencies"] = "Choose agencies of this review's partnership"
    if any(participant.review_id != review.pk for participant in participants):
        errors["participants"] = "Choose participants of this review"
    entry_ids = {entry.pk for entry in entries}
    if entry_ids and released_entries(review=review).filter(pk__in=entry_ids).count() != len(entry_ids):
        errors["entries"] = "Choose entries of this review's chronology (released by their agency)"
    if any(perspective.review_id != review.pk for perspective in perspectives):
        errors["perspectives"] = "Choose turning points of this review's conversations"
    if errors:
        raise ValidationError(errors)


def _check_details(
    *, title: str, period_start: dt.date | None, period_end: dt.date | None, valence: str, identified_by: str
) -> None:
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = "Enter a title for the episode"
    if period_start is None:
        errors["period_start"] = "Enter the date the episode starts"
    elif period_end is not None and period_end < period_start:
        errors["period_end"] = "The end of the period must be on or after its start"
    if valence not in Valence.values:
        errors["valence"] = "Say whether practice was good, problematic, mixed or uncertain"
    if identified_by not in IdentifiedBy.values:
        errors["identified_by"] = "Say who identified the episode"
    if errors:
        raise ValidationError(errors)


def entries_period(entries: Sequence[ChronologyEntry]) -> tuple[dt.date | None, dt.date | None]:
    """The period an episode made of these entries starts as: from the first day their dates can mean to the
    last (a month-only date runs to the month's end); no end when that is one day; (None, None) for none."""
    if not entries:
        return None, None
    spans = [entry_span(entry) for entry in entries]
    first, last = min(start for start, _ in spans), max(end for _, end in spans)
    return first, (last if last != first else None)


def episode_create(
    *,
    review: Review,
    title: str,
    period_start: dt.date | None,
    valence: str,
    by: User,
    origin: Origin,
    period_end: dt.date | None = None,
    description: str = "",
    identified_by: str = IdentifiedBy.REVIEWERS,
    agencies: Sequence[Agency] = (),
    participants: Sequence[Participant] = (),
    entries: Sequence[ChronologyEntry] = (),
    perspectives: Sequence[Perspective] = (),
) -> KeyPracticeEpisode:
    """Create the review's next episode (numbered 1, 2, 3 … in the order they are made)."""
    _check_details(
        title=title, period_start=period_start, period_end=period_end, valence=valence, identified_by=identified_by
    )
    _check_belongs(review, agencies=agencies, participants=participants, entries=entries, perspectives=perspectives)
    assert period_start is not None  # _check_details refuses an episode without a start
    with transaction.atomic():
        # Holding the review's row numbers episodes one at a time, on PostgreSQL as on SQLite.
        Review.objects.select_for_update().filter(pk=review.pk).first()
        number = (KeyPracticeEpisode.objects.filter(review=review).aggregate(last=Max("number"))["last"] or 0) + 1
        episode = KeyPracticeEpisode.objects.create(
            review=review,
            number=number,
            title=title.strip(),
            period_start=period_start,
            period_end=period_end,
            description=description.strip(),
            valence=valence,
            identified_by=identified_by,
            created_by=by,
        )
        episode.agencies.set(agencies)
        episode.participants.set(participants)
        episode.entries.set(entries)
        episode.perspectives.set(perspectives)
        audit.record(
            event=Event.EPISODE_CREATED,
            actor=by,
            origin=origin,
            review=review,
            obj=episode,
            summary=f"Created key practice episode {number}: {episode.title}",
            detail={
                "entries": [str(entry.pk) for entry in entries],
                "perspectives": [str(perspective.pk) for perspective in perspectives],
            },
        )
    return episode


def kpe_from_perspective(*, perspective: Perspective, by: User, origin: Origin) -> KeyPracticeEpisode:
    """An episode made from a participant's turning point: its moment, its date (or its entries' span), its
    participant and agency and entries, with the turning point linked. Valence stays uncertain until the
    reviewers appraise it."""
    review = perspective.review
    participant = perspective.participant
    entries = list(released_entries(review=review).filter(pk__in=perspective.entries.values("pk")))
    start, end = entries_period(entries)
    if perspective.happened_on is not None:
        start, end = perspective.happened_on, None
    if start is None:
        raise ValidationError(
            f"Turning point {perspective.number} of {participant.label} has no date and no chronology entries. "
            "Give it a date in the conversation record, or create the episode from chronology entries."
        )
    moment = " ".join(perspective.turning_point.split())
    title = moment if len(moment) <= 120 else moment[:117].rsplit(" ", 1)[0] + "…"
    agencies = {entry.agency_id: entry.agency for entry in entries}
    if participant.agency is not None:
        agencies[participant.agency.pk] = participant.agency
    return episode_create(
        review=review,
        title=title or f"Turning point {perspective.number} of {participant.label}",
        period_start=start,
        period_end=end,
        valence=Valence.UNCERTAIN,
        identified_by=IdentifiedBy.FAMILY if participant.is_family else IdentifiedBy.TURNING_POINT,
        agencies=list(agencies.values()),
        participants=[participant],
        entries=entries,
        perspectives=[perspective],
        by=by,
        origin=origin,
    )


def _locked(episode: KeyPracticeEpisode, expected_version: int | None, what: str) -> KeyPracticeEpisode:
    current = KeyPracticeEpisode.objects.select_for_update().get(pk=episode.pk)
    if expected_version is not None and current.version != expected_version:
        raise StaleEdit(f"Someone else changed {what} while you were editing it.")
    return current


def _bump(episode: KeyPracticeEpisode, fields: Sequence[str] = ()) -> None:
    episode.version = F("version") + 1
    episode.save(update_fields=["version", "updated_at", *fields])
    episode.refresh_from_db()


def completion_problems(*, episode: KeyPracticeEpisode) -> dict[str, str]:
    """What stops the episode being complete, by the part of it that needs work ("appraisal", "factors").

    The same for good practice as for problems: every episode needs its appraisal; a problematic or mixed
    one also needs at least one contributory factor to explain it (quality gate G5).
    """
    problems = {}
    if not episode.appraised:
        problems["appraisal"] = (
            f"Episode {episode.number} needs its appraisal: what practice was expected at the time, how practice "
            "compared, and how certain that judgement is"
        )
    if episode.needs_explanation and not episode.factors.exists():
        problems["factors"] = (
            f"Episode {episode.number} is {episode.get_valence_display().lower()}: add at least one contributory "
            "factor that explains it before marking it complete. An appraisal says what happened; the factors say "
            "why it made sense at the time"
        )
    return problems


def episode_update(
    *,
    episode: KeyPracticeEpisode,
    expected_version: int,
    title: str,
    period_start: dt.date | None,
    period_end: dt.date | None,
    description: str,
    valence: str,
    identified_by: str,
    agencies: Sequence[Agency],
    participants: Sequence[Participant],
    by: User,
    origin: Origin,
) -> KeyPracticeEpisode:
    _check_details(
        title=title, period_start=period_start, period_end=period_end, valence=valence, identified_by=identified_by
    )
    _check_belongs(episode.review, agencies=agencies, participants=participants)
    with transaction.atomic():
        current = _locked(episode, expected_version, "this episode")
        before = {
            "title": current.title,
            "period": selectors.period_text(current.period_start, current.period_end),
            "description": current.description,
            "valence": current.valence,
            "identified_by": current.identified_by,
            "agencies": sorted(str(pk) for pk in current.agencies.values_list("pk", flat=True)),
            "participants": sorted(str(pk) for pk in current.participants.values_list("pk", flat=True)),
        }
        current.title = title.strip()
        assert period_start is not None  # _check_details refuses an episode without a start
        current.period_start = period_start
        current.period_end = period_end
        current.description = description.strip()
        current.valence = valence
        current.identified_by = identified_by
        if current.complete and current.needs_explanation and not current.factors.exists():
            raise ValidationError(
                {
                    "valence": f"Episode {current.number} is complete, and a {current.get_valence_display().lower()} "
                    "episode needs at least one contributory factor. Add one, or reopen the episode, before "
                    "changing its valence."
                }
            )
        current.agencies.set(agencies)
        current.participants.set(participants)
        after = {
            "title": current.title,
            "period": selectors.period_text(current.period_start, current.period_end),
            "description": current.description,
            "valence": current.valence,
            "identified_by": current.identified_by,
            "agencies": sorted(str(agency.pk) for agency in agencies),
            "participants": sorted(str(participant.pk) for participant in participants),
        }
        _bump(current, ["title", "period_start", "period_end", "description", "valence", "identified_by"])
        changed = {key: {"from": before[key], "to": after[key]} for key in before if before[key] != after[key]}
        if changed:
            audit.record(
                event=Event.EPISODE_CHANGED,
                actor=by,
                origin=origin,
                review=current.review,
                obj=current,
                summary=f"Changed episode {current.number}: {', '.join(changed)}",
                detail=changed,
            )
    return current


def _evidence_changed(episode: KeyPracticeEpisode, *, by: User, origin: Origin, summary: str, **detail: Any) -> None:
    audit.record(
        event=Event.EPISODE_EVIDENCE_CHANGED,
        actor=by,
        origin=origin,
        review=episode.review,
        obj=episode,
        summary=summary,
        detail=detail,
    )


def episode_entries_add(
    *, episode: KeyPracticeEpisode, entries: Sequence[ChronologyEntry], by: User, origin: Origin
) -> int:
    """Link more chronology entries to the episode. Returns how many were new to it."""
    _check_belongs(episode.review, entries=entries)
    with transaction.atomic():
        current = _locked(episode, None, "this episode")
        linked = set(current.entries.values_list("pk", flat=True))
        new = [entry for entry in entries if entry.pk not in linked]
        if new:
            current.entries.add(*new)
            _bump(current)
            _evidence_changed(
                current,
                by=by,
                origin=origin,
                summary=f"Linked {len(new)} chronology entr{'y' if len(new) == 1 else 'ies'} to episode "
                f"{current.number}",
                added_entries=[str(entry.pk) for entry in new],
            )
    return len(new)


def episode_entry_remove(*, episode: KeyPracticeEpisode, entry: ChronologyEntry, by: User, origin: Origin) -> None:
    """Unlink an entry from the episode, and from the factors of the episode that cite it."""
    with transaction.atomic():
        current = _locked(episode, None, "this episode")
        current.entries.remove(entry)
        for factor in current.factors.filter(entries=entry):
            factor.entries.remove(entry)
        _bump(current)
        _evidence_changed(
            current,
            by=by,
            origin=origin,
            summary=f"Unlinked a chronology entry from episode {current.number}",
            removed_entries=[str(entry.pk)],
        )


def episode_perspective_add(*, episode: KeyPracticeEpisode, perspective: Perspective, by: User, origin: Origin) -> None:
    _check_belongs(episode.review, perspectives=[perspective])
    with transaction.atomic():
        current = _locked(episode, None, "this episode")
        current.perspectives.add(perspective)
        current.participants.add(perspective.participant)
        _bump(current)
        _evidence_changed(
            current,
            by=by,
            origin=origin,
            summary=f"Linked turning point {perspective.number} of {perspective.participant.label} to episode "
            f"{current.number}",
            added_perspectives=[str(perspective.pk)],
        )


def episode_perspective_remove(
    *, episode: KeyPracticeEpisode, perspective: Perspective, by: User, origin: Origin
) -> None:
    with transaction.atomic():
        current = _locked(episode, None, "this episode")
        current.perspectives.remove(perspective)
        for factor in current.factors.filter(perspectives=perspective):
            factor.perspectives.remove(perspective)
        _bump(current)
        _evidence_changed(
            current,
            by=by,
            origin=origin,
            summary=f"Unlinked turning point {perspective.number} of {perspective.participant.label} from episode "
            f"{current.number}",
            removed_perspectives=[str(perspective.pk)],
        )


# --- Appraisal ---------------------------------------------------------------------------------------------


def appraisal_save(
    *,
    episode: KeyPracticeEpisode,
    expected_version: int,
    expected_practice: str,
    practice_compared: str,
    certainty: str,
    certainty_reason: str,
    by: User,
    origin: Origin,
    known_at_the_time: str | None = None,
    known_later: str | None = None,
    hindsight_checked: bool | None = None,
    hindsight_note: str | None = None,
) -> KeyPracticeEpisode:
    """Save what practice was expected at the time, how practice compared, and how certain that is; and, when
    given, what was known at the time apart from what became known later, and the hindsight check.

    Parts may be saved as they are written; the episode is complete only once the first three are there. A
    hindsight check needs a note of the techniques used.
    """
    errors: dict[str, str] = {}
    if certainty and certainty not in Certainty.values:
        errors["certainty"] = "Choose how certain the judgement is"
    if certainty in {Certainty.SOME_UNCERTAINTY, Certainty.CONTESTED} and not certainty_reason.strip():
        errors["certainty_reason"] = "Say why the judgement is uncertain or contested"
    if hindsight_checked and not (hindsight_note or "").strip():
        errors["hindsight_note"] = (
            "Say which techniques kept hindsight out, like “outcome kept off the appraisal screen” or "
            "“appraised independently by two reviewers”"
        )
    if errors:
        raise ValidationError(errors)
    fields: dict[str, Any] = {
        "expected_practice": expected_practice.strip(),
        "practice_compared": practice_compared.strip(),
        "certainty": certainty,
        "certainty_reason": certainty_reason.strip(),
    }
    hindsight: dict[str, Any] = {
        "known_at_the_time": known_at_the_time.strip() if known_at_the_time is not None else None,
        "known_later": known_later.strip() if known_later is not None else None,
        "hindsight_checked": hindsight_checked,
        "hindsight_note": hindsight_note.strip() if hindsight_note is not None else None,
    }
    fields |= {name: value for name, value in hindsight.items() if value is not None}
    with transaction.atomic():
        current = _locked(episode, expected_version, "this appraisal")
        if current.complete and not all(
            fields[name] for name in ("expected_practice", "practice_compared", "certainty")
        ):
            raise ValidationError(
                "A complete episode keeps its whole appraisal. Reopen the episode to take part of it away."
            )
        changed = [name for name, value in fields.items() if getattr(current, name) != value]
        for name, value in fields.items():
            setattr(current, name, value)
        _bump(current, list(fields))
        if changed:
            audit.record(
                event=Event.EPISODE_APPRAISED,
                actor=by,
                origin=origin,
                review=current.review,
                obj=current,
                summary=f"Changed the appraisal of episode {current.number}",
                detail={"changed": changed},
            )
    return current


def reference_add(
    *,
    episode: KeyPracticeEpisode,
    kind: str,
    title: str,
    year: int | None,
    citation: str,
    by: User,
    origin: Origin,
) -> AppraisalReference:
    errors: dict[str, str] = {}
    if kind not in AppraisalReference.Kind.values:
        errors["kind"] = "Say whether this is guidance, research, a procedure, law or a standard"
    if not title.strip():
        errors["title"] = "Enter the title of the guidance, research or procedure"
    if year is not None and not 1800 <= year <= timezone.localdate().year:
        errors["year"] = f"Enter a year between 1800 and {timezone.localdate().year}"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        reference = AppraisalReference.objects.create(
            episode=episode, kind=kind, title=title.strip(), year=year, citation=citation.strip()
        )
        audit.record(
            event=Event.APPRAISAL_REFERENCE_ADDED,
            actor=by,
            origin=origin,
            review=episode.review,
            obj=reference,
            summary=f"Added “{reference.title}” to the appraisal of episode {episode.number}",
        )
    return reference


def reference_remove(*, reference: AppraisalReference, by: User, origin: Origin) -> None:
    episode = reference.episode
    with transaction.atomic():
        audit.record(
            event=Event.APPRAISAL_REFERENCE_REMOVED,
            actor=by,
            origin=origin,
            review=episode.review,
            obj=reference,
            summary=f"Removed “{reference.title}” from the appraisal of episode {episode.number}",
        )
        reference.delete()


# --- Explanation: contributory factors ---------------------------------------------------------------------


def _check_factor(
    *,
    episode: KeyPracticeEpisode,
    factor_type: ContributoryFactorType | None,
    effect: str,
    significance: str,
    description: str,
    entries: Sequence[ChronologyEntry],
    perspectives: Sequence[Perspective],
) -> None:
    errors: dict[str, str] = {}
    usable = selectors.factor_types_for(review=episode.review)
    if factor_type is None or not usable.filter(pk=factor_type.pk).exists():
        errors["factor_type"] = "Choose the factor from the framework: its level, group and item"
    if effect not in Effect.values:
        errors["effect"] = "Say whether the factor supported good practice or made problems more likely"
    if significance not in Significance.values:
        errors["significance"] = "Say how significant the factor was: high, medium or low"
    if not description.strip():
        errors["description"] = "Describe how the factor shaped practice in this episode"
    own_entries = set(episode.entries.values_list("pk", flat=True))
    if any(entry.pk not in own_entries for entry in entries):
        errors["entries"] = "Cite entries linked to this episode (link more entries to the episode first)"
    own_perspectives = set(episode.perspectives.values_list("pk", flat=True))
    if any(perspective.pk not in own_perspectives for perspective in perspectives):
        errors["perspectives"] = "Cite turning points linked to this episode"
    if errors:
        raise ValidationError(errors)


def factor_add(
    *,
    episode: KeyPracticeEpisode,
    factor_type: ContributoryFactorType | None,
    effect: str,
    significance: str,
    description: str,
    by: User,
    origin: Origin,
    entries: Sequence[ChronologyEntry] = (),
    perspectives: Sequence[Perspective] = (),
) -> ContributoryFactor:
    _check_factor(
        episode=episode,
        factor_type=factor_type,
        effect=effect,
        significance=significance,
        description=description,
        entries=entries,
        perspectives=perspectives,
    )
    assert factor_type is not None
    with transaction.atomic():
        factor = ContributoryFactor.objects.create(
            episode=episode,
            factor_type=factor_type,
            effect=effect,
            significance=significance,
            description=description.strip(),
            created_by=by,
        )
        factor.entries.set(entries)
        factor.perspectives.set(perspectives)
        audit.record(
            event=Event.FACTOR_ADDED,
            actor=by,
            origin=origin,
            review=episode.review,
            obj=factor,
            summary=f"Added a contributory factor to episode {episode.number}: {factor_type.label} "
            f"({factor.get_effect_display().lower()})",
            detail={"entries": [str(e.pk) for e in entries], "perspectives": [str(p.pk) for p in perspectives]},
        )
    return factor


def factor_update(
    *,
    factor: ContributoryFactor,
    expected_version: int,
    factor_type: ContributoryFactorType | None,
    effect: str,
    significance: str,
    description: str,
    entries: Sequence[ChronologyEntry],
    perspectives: Sequence[Perspective],
    by: User,
    origin: Origin,
) -> ContributoryFactor:
    episode = factor.episode
    _check_factor(
        episode=episode,
        factor_type=factor_type,
        effect=effect,
        significance=significance,
        description=description,
        entries=entries,
        perspectives=perspectives,
    )
    assert factor_type is not None
    with transaction.atomic():
        current = ContributoryFactor.objects.select_for_update().get(pk=factor.pk)
        if current.version != expected_version:
            raise StaleEdit("Someone else changed this factor while you were editing it.")
        current.factor_type = factor_type
        current.effect = effect
        current.significance = significance
        current.description = description.strip()
        current.version = F("version") + 1
        current.save()
        current.entries.set(entries)
        current.perspectives.set(perspectives)
        current.refresh_from_db()
        audit.record(
            event=Event.FACTOR_CHANGED,
            actor=by,
            origin=origin,
            review=episode.review,
            obj=current,
            summary=f"Changed a contributory factor of episode {episode.number}: {factor_type.label}",
        )
    return current


def factor_remove(*, factor: ContributoryFactor, by: User, origin: Origin) -> None:
    """Remove a factor. A complete problematic or mixed episode keeps at least one: reopen it first."""
    episode = factor.episode
    with transaction.atomic():
        current = _locked(episode, None, "this episode")
        if current.complete and current.needs_explanation and current.factors.count() == 1:
            raise ValidationError(
                f"Episode {current.number} is complete and {current.get_valence_display().lower()}, so it keeps at "
                "least one contributory factor. Reopen it first, or add another factor before removing this one."
            )
        audit.record(
            event=Event.FACTOR_REMOVED,
            actor=by,
            origin=origin,
            review=current.review,
            obj=factor,
            summary=f"Removed a contributory factor from episode {current.number}: {factor.factor_type.label}",
        )
        factor.delete()


# --- Open questions, completion, sharing -------------------------------------------------------------------


def question_add(*, episode: KeyPracticeEpisode, text: str, by: User, origin: Origin) -> OpenQuestion:
    if not text.strip():
        raise ValidationError({"text": "Enter the question to take to the case group"})
    with transaction.atomic():
        question = OpenQuestion.objects.create(episode=episode, text=text.strip(), created_by=by)
        audit.record(
            event=Event.OPEN_QUESTION_ADDED,
            actor=by,
            origin=origin,
            review=episode.review,
            obj=question,
            summary=f"Added an open question to episode {episode.number}",
        )
    return question


def question_remove(*, question: OpenQuestion, by: User, origin: Origin) -> None:
    episode = question.episode
    with transaction.atomic():
        audit.record(
            event=Event.OPEN_QUESTION_REMOVED,
            actor=by,
            origin=origin,
            review=episode.review,
            obj=question,
            summary=f"Removed an open question from episode {episode.number}",
        )
        question.delete()


def episode_complete(*, episode: KeyPracticeEpisode, by: User, origin: Origin) -> KeyPracticeEpisode:
    """Mark the episode complete: refused, saying why, while `completion_problems` finds anything."""
    with transaction.atomic():
        current = _locked(episode, None, "this episode")
        problems = completion_problems(episode=current)
        if problems:
            raise ValidationError(problems)
        current.complete = True
        current.completed_at = timezone.now()
        current.completed_by = by
        _bump(current, ["complete", "completed_at", "completed_by"])
        audit.record(
            event=Event.EPISODE_COMPLETED,
            actor=by,
            origin=origin,
            review=current.review,
            obj=current,
            summary=f"Marked episode {current.number} complete",
        )
    return current


def episode_reopen(*, episode: KeyPracticeEpisode, by: User, origin: Origin) -> KeyPracticeEpisode:
    with transaction.atomic():
        current = _locked(episode, None, "this episode")
        current.complete = False
        current.completed_at = None
        current.completed_by = None
        _bump(current, ["complete", "completed_at", "completed_by"])
        audit.record(
            event=Event.EPISODE_REOPENED,
            actor=by,
            origin=origin,
            review=current.review,
            obj=current,
            summary=f"Reopened episode {current.number}",
        )
    return current


def episode_share(*, episode: KeyPracticeEpisode, shared: bool, by: User, origin: Origin) -> KeyPracticeEpisode:
    """Share the episode with the case group for checking (its practitioners then see it), or stop sharing."""
    with transaction.atomic():
        current = _locked(episode, None, "this episode")
        if current.shared_with_case_group == shared:
            return current
        current.shared_with_case_group = shared
        _bump(current, ["shared_with_case_group"])
        audit.record(
            event=Event.EPISODE_SHARING_CHANGED,
            actor=by,
            origin=origin,
            review=current.review,
            obj=current,
            summary=f"{'Shared' if shared else 'Stopped sharing'} episode {current.number} with the case group",
        )
    return current


def episode_remove(*, episode: KeyPracticeEpisode, by: User, origin: Origin) -> None:
    """Remove an episode that is not complete, with its appraisal, factors and questions. Numbers of the
    others stay as they are, since people refer to episodes by number."""
    with transaction.atomic():
        current = _locked(episode, None, "this episode")
        if current.complete:
            raise ValidationError(f"Episode {current.number} is complete. Reopen it before removing it.")
        audit.record(
            event=Event.EPISODE_REMOVED,
            actor=by,
            origin=origin,
            review=current.review,
            obj=current,
            summary=f"Removed episode {current.number}: {current.title}",
            detail={"factors": current.factors.count()},
        )
        current.delete()


# --- The outcome -------------------------------------------------------------------------------------------


def outcome_save(*, review: Review, text: str, expected_version: int | None, by: User, origin: Origin) -> Outcome:
    """Record the outcome (the incident that led to the review), to be kept off appraisal screens."""
    if not text.strip():
        raise ValidationError({"text": "Describe the outcome: the incident that led to the review"})
    with transaction.atomic():
        current = Outcome.objects.select_for_update().filter(review=review).first()
        if current is None:
            current = Outcome.objects.create(review=review, text=text.strip(), updated_by=by)
        else:
            if expected_version is not None and current.version != expected_version:
                raise StaleEdit("Someone else changed the outcome while you were editing it.")
            current.text = text.strip()
            current.updated_by = by
            current.version = F("version") + 1
            current.save()
            current.refresh_from_db()
        audit.record(
            event=Event.OUTCOME_RECORDED,
            actor=by,
            origin=origin,
            review=review,
            obj=current,
            summary="Recorded the outcome that led to the review",
        )
    return current


def outcome_shown(*, review: Review, by: User, origin: Origin, where: str) -> None:
    """Note that a reviewer chose to show the outcome on an appraisal screen: which screens showed it is part
    of how the review can say what it did to keep outcome bias out (quality marker 13)."""
    audit.record(
        event=Event.OUTCOME_SHOWN,
        actor=by,
        origin=origin,
        review=review,
        summary=f"Showed the outcome on {where}",
    )


def turning_points_read(
    *, review: Review, by: User, origin: Origin, perspectives: Sequence[Perspective], where: str
) -> None:
    """Reading what participants said is an audit event, wherever it is read."""
    if perspectives:
        audit.record(
            event=Event.TURNING_POINTS_READ,
            actor=by,
            origin=origin,
            review=review,
            summary=f"Read {len(perspectives)} turning point{'s' if len(perspectives) != 1 else ''} on {where}",
            detail={"perspectives": [str(p.pk) for p in perspectives]},
        )


# --- The KPE table as a file -------------------------------------------------------------------------------

EXPORT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class Export:
    content: bytes
    filename: str
    content_type: str


def kpe_table_export(*, review: Review, fmt: str, by: User, origin: Origin) -> Export:
    """The review's key practice episodes as the Appendix 4 table, in Word or a spreadsheet; audited."""
    if fmt not in EXPORT_TYPES:
        raise ValidationError({"format": f"{fmt} is not a format we export: choose docx or xlsx"})
    episodes = selectors.episodes_visible_to(user=by, review=review)
    rows = selectors.kpe_rows(review=review, episodes=episodes, quote_perspectives=True)
    notes = selectors.withdrawal_notes(review=review)
    title = f"{review.reference} {review.title}: key practice episodes"
    if fmt == "xlsx":
        content = exports.xlsx_bytes(rows, title=title, notes=notes)
    else:
        subtitle = f"{review.partnership.name}. Exported {timezone.localtime():%d %B %Y at %H:%M}"
        content = exports.docx_bytes(rows, title=title, subtitle=subtitle, notes=notes)
    with transaction.atomic():
        audit.record(
            event=Event.KPE_TABLE_EXPORTED,
            actor=by,
            origin=origin,
            review=review,
            summary=f"Exported the key practice episode table ({len(rows)} episodes) as {fmt.upper()}",
        )
    return Export(
        content=content, filename=f"{review.reference}-key-practice-episodes.{fmt}", content_type=EXPORT_TYPES[fmt]
    )
