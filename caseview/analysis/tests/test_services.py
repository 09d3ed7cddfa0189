"""Key practice episodes: made from entries or a turning point, appraised, explained by coded factors with
evidence, completed only when explained, and every change audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from caseview.analysis import selectors, services
from caseview.analysis.models import (
    Certainty,
    Effect,
    IdentifiedBy,
    KeyPracticeEpisode,
    Significance,
    Valence,
)
from caseview.analysis.tests.helpers import appraise, episode, item, released, turning_point
from caseview.core.audit import Event
from caseview.core.models import AuditEvent, StaleEdit
from caseview.people.models import Consent, ConsentScope, ParticipantKind
from caseview.reviews import services as review_services
from conftest import TEST_ORIGIN, Personas


def events(kind: Event) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(event=kind).order_by("id"))


# --- Made from entries or a turning point ------------------------------------------------------------------


def test_an_episode_from_entries_takes_their_span_as_its_period(personas: Personas) -> None:
    entries = released(personas)
    chosen = [entries["New-birth"], entries["Health"]]  # 14 January 2019 and June 2019
    start, end = services.entries_period(chosen)
    assert (start, end) == (dt.date(2019, 1, 14), dt.date(2019, 6, 30)), "a month-only date runs to its last day"
    made = episode(personas, period_start=start, period_end=end, entries=chosen, agencies=[personas.health])
    assert made.number == 1
    assert set(made.entries.all()) == set(chosen)
    assert list(made.agencies.all()) == [personas.health]
    (event,) = events(Event.EPISODE_CREATED)
    assert event.summary == "Created key practice episode 1: The new-birth visit"
    assert set(event.detail["entries"]) == {str(entry.pk) for entry in chosen}


def test_episodes_are_numbered_one_after_another_within_their_review(personas: Personas) -> None:
    assert [episode(personas, title=f"Episode {n}").number for n in range(3)] == [1, 2, 3]


def test_an_episode_is_made_only_of_the_reviews_released_entries(personas: Personas) -> None:
    entries = released(personas)
    other = review_services.review_create(
        partnership=personas.partnership, reference="OT2020", title="Other", by=personas.admin, origin=TEST_ORIGIN
    )
    with pytest.raises(ValidationError) as refused:
        episode(personas, review=other, entries=[entries["Health"]])
    assert "entries" in refused.value.message_dict
    assert not KeyPracticeEpisode.objects.exists()


def test_an_episode_needs_a_title_a_start_and_a_period_in_order(personas: Personas) -> None:
    with pytest.raises(ValidationError) as refused:
        episode(personas, title=" ", period_start=dt.date(2019, 2, 1), period_end=dt.date(2019, 1, 1))
    assert refused.value.message_dict == {
        "title": ["Enter a title for the episode"],
        "period_end": ["The end of the period must be on or after its start"],
    }


def test_an_episode_from_a_turning_point_takes_its_moment_date_person_and_entries(personas: Personas) -> None:
    entries = released(personas)
    perspective = turning_point(personas, entries=[entries["New-birth"]])
    made = services.kpe_from_perspective(perspective=perspective, by=personas.lead, origin=TEST_ORIGIN)
    assert made.title == "The new-birth visit, when I could not ask about domestic abuse"
    assert (made.period_start, made.period_end) == (dt.date(2019, 1, 14), None)
    assert made.identified_by == IdentifiedBy.TURNING_POINT
    assert made.valence == Valence.UNCERTAIN, "valence waits for the appraisal"
    assert list(made.perspectives.all()) == [perspective]
    assert list(made.participants.all()) == [perspective.participant]
    assert list(made.entries.all()) == [entries["New-birth"]]
    assert list(made.agencies.all()) == [personas.health]


def test_a_turning_point_without_a_date_takes_its_entries_span(personas: Personas) -> None:
    entries = released(personas)
    perspective = turning_point(
        personas, label="Mother", kind=ParticipantKind.FAMILY, happened_on=None, entries=[entries["Domestic"]]
    )
    made = services.kpe_from_perspective(perspective=perspective, by=personas.lead, origin=TEST_ORIGIN)
    assert made.period_start == dt.date(2019, 3, 10)
    assert made.identified_by == IdentifiedBy.FAMILY


def test_a_turning_point_with_no_date_and_no_entries_says_what_to_do(personas: Personas) -> None:
    perspective = turning_point(personas, happened_on=None)
    with pytest.raises(ValidationError) as refused:
        services.kpe_from_perspective(perspective=perspective, by=personas.lead, origin=TEST_ORIGIN)
    assert "Turning point 1 of Health visitor 1 has no date and no chronology entries" in refused.value.messages[0]


def test_a_long_turning_point_is_cut_at_a_word_for_the_title(personas: Personas) -> None:
    perspective = turning_point(personas, moment="word " * 60)
    made = services.kpe_from_perspective(perspective=perspective, by=personas.lead, origin=TEST_ORIGIN)
    assert len(made.title) <= 120 and made.title.endswith("word…")


def test_entries_and_turning_points_can_be_linked_later_and_unlinked_from_factors_too(personas: Personas) -> None:
    entries = released(personas)
    made = episode(personas)
    assert (
        services.episode_entries_add(
            episode=made, entries=[entries["New-birth"], entries["Health"]], by=personas.lead, origin=TEST_ORIGIN
        )
        == 2
    )
    assert (
        services.episode_entries_add(episode=made, entries=[entries["Health"]], by=personas.lead, origin=TEST_ORIGIN)
        == 0
    )
    perspective = turning_point(personas)
    services.episode_perspective_add(episode=made, perspective=perspective, by=personas.lead, origin=TEST_ORIGIN)
    assert list(made.participants.all()) == [perspective.participant]
    factor = services.factor_add(
        episode=made,
        factor_type=item("work_workload"),
        effect=Effect.HINDERED,
        significance=Significance.HIGH,
        description="Eleven visits that day",
        entries=[entries["Health"]],
        perspectives=[perspective],
        by=personas.lead,
        origin=TEST_ORIGIN,
    )
    services.episode_entry_remove(episode=made, entry=entries["Health"], by=personas.lead, origin=TEST_ORIGIN)
    services.episode_perspective_remove(episode=made, perspective=perspective, by=personas.lead, origin=TEST_ORIGIN)
    assert list(made.entries.all()) == [entries["New-birth"]]
    assert not factor.entries.exists() and not factor.perspectives.exists()
    assert len(events(Event.EPISODE_EVIDENCE_CHANGED)) == 4


# --- Appraisal ---------------------------------------------------------------------------------------------


def test_the_appraisal_is_saved_with_its_certainty_and_audited(personas: Personas) -> None:
    made = appraise(episode(personas), personas, certainty=Certainty.CONTESTED, certainty_reason="Accounts differ")
    assert made.appraised
    assert made.get_certainty_display() == "Contested"
    (event,) = events(Event.EPISODE_APPRAISED)
    assert set(event.detail["changed"]) == {"expected_practice", "practice_compared", "certainty", "certainty_reason"}


def test_an_uncertain_or_contested_judgement_says_why(personas: Personas) -> None:
    with pytest.raises(ValidationError) as refused:
        appraise(episode(personas), personas, certainty=Certainty.SOME_UNCERTAINTY, certainty_reason=" ")
    assert refused.value.message_dict == {"certainty_reason": ["Say why the judgement is uncertain or contested"]}


def test_a_stale_appraisal_is_refused_and_nothing_is_lost(personas: Personas) -> None:
    made = episode(personas)
    stale_version = made.version
    appraise(made, personas, expected_practice="First")
    with pytest.raises(StaleEdit):
        appraise(made, personas, expected_version=stale_version, expected_practice="Second")
    made.refresh_from_db()
    assert made.expected_practice == "First"


def test_references_say_what_was_expected_at_the_time(personas: Personas) -> None:
    made = episode(personas)
    reference = services.reference_add(
        episode=made,
        kind="guidance",
        title="NICE PH50",
        year=2014,
        citation="https://www.nice.org.uk/guidance/ph50",
        by=personas.lead,
        origin=TEST_ORIGIN,
    )
    assert reference.is_url
    with pytest.raises(ValidationError) as refused:
        services.reference_add(
            episode=made, kind="rumour", title="", year=1200, citation="", by=personas.lead, origin=TEST_ORIGIN
        )
    assert set(refused.value.message_dict) == {"kind", "title", "year"}
    services.reference_remove(reference=reference, by=personas.lead, origin=TEST_ORIGIN)
    assert not made.references.exists()
    assert [e.event for e in AuditEvent.objects.filter(event__in=[156, 157]).order_by("id")] == [156, 157]


# --- Explanation -------------------------------------------------------------------------------------------


def test_a_factor_is_coded_to_the_framework_with_its_evidence(personas: Personas) -> None:
    entries = released(personas)
    perspective = turning_point(personas)
    made = episode(personas, entries=[entries["New-birth"]], perspectives=[perspective])
    factor = services.factor_add(
        episode=made,
        factor_type=item("family_availability"),
        effect=Effect.HINDERED,
        significance=Significance.HIGH,
        description="The partner came to every contact.",
        entries=[entries["New-birth"]],
        perspectives=[perspective],
        by=personas.lead,
        origin=TEST_ORIGIN,
    )
    assert factor.factor_type.code == "Frontline › Aspects of the family › Availability for meetings"
    assert list(factor.entries.all()) == [entries["New-birth"]]
    assert list(factor.perspectives.all()) == [perspective]
    (event,) = events(Event.FACTOR_ADDED)
    assert event.summary == (
        "Added a contributory factor to episode 1: Availability for meetings (made problems more likely)"
    )


def test_a_factor_cites_only_the_episodes_own_evidence_and_says_what_is_missing(personas: Personas) -> None:
    entries = released(personas)
    made = episode(personas, entries=[entries["New-birth"]])
    with pytest.raises(ValidationError) as refused:
        services.factor_add(
            episode=made,
            factor_type=None,
            effect="neutral",
            significance="enormous",
            description="",
            entries=[entries["Domestic"]],
            perspectives=[turning_point(personas)],
            by=personas.lead,
            origin=TEST_ORIGIN,
        )
    assert set(refused.value.message_dict) == {
        "factor_type",
        "effect",
        "significance",
        "description",
        "entries",
        "perspectives",
    }


def test_a_factor_can_be_changed_and_a_stale_change_is_refused(personas: Personas) -> None:
    made = episode(personas)
    factor = services.factor_add(
        episode=made,
        factor_type=item("work_workload"),
        effect=Effect.HINDERED,
        significance=Significance.LOW,
        description="Busy",
        by=personas.lead,
        origin=TEST_ORIGIN,
    )
    changed = services.factor_update(
        factor=factor,
        expected_version=factor.version,
        factor_type=item("work_staffing"),
        effect=Effect.SUPPORTED,
        significance=Significance.MEDIUM,
        description="A full team that week",
        entries=[],
        perspectives=[],
        by=personas.lead,
        origin=TEST_ORIGIN,
    )
    assert (changed.factor_type.key, changed.effect, changed.version) == ("work_staffing", Effect.SUPPORTED, 2)
    with pytest.raises(StaleEdit):
        services.factor_update(
            factor=factor,
            expected_version=1,
            factor_type=item("work_workload"),
            effect=Effect.HINDERED,
            significance=Significance.LOW,
            description="Busy",
            entries=[],
            perspectives=[],
            by=personas.lead,
            origin=TEST_ORIGIN,
        )


def test_factors_are_listed_most_significant_first(personas: Personas) -> None:
    made = episode(personas)
    for significance, key in [(Significance.LOW, "work_timing"), (Significance.HIGH, "work_workload")]:
        services.factor_add(
            episode=made,
            factor_type=item(key),
            effect=Effect.HINDERED,
            significance=significance,
            description=key,
            by=personas.lead,
            origin=TEST_ORIGIN,
        )
    assert [factor.factor_type.key for factor in selectors.episode_factors(episode=made)] == [
        "work_workload",
        "work_timing",
    ]


# --- The completion rule -----------------------------------------------------------------------------------


@pytest.mark.parametrize("valence", [Valence.PROBLEMATIC, Valence.MIXED])
def test_a_problematic_or_mixed_episode_cannot_be_complete_without_a_factor(personas: Personas, valence: str) -> None:
    made = appraise(episode(personas, valence=valence), personas)
    with pytest.raises(ValidationError) as refused:
        services.episode_complete(episode=made, by=personas.lead, origin=TEST_ORIGIN)
    assert list(refused.value.message_dict) == ["factors"]
    assert refused.value.message_dict["factors"][0].startswith(
        f"Episode 1 is {made.get_valence_display().lower()}: add at least one contributory factor"
    )
    made.refresh_from_db()
    assert not made.complete
    services.factor_add(
        episode=made,
        factor_type=item("work_workload"),
        effect=Effect.HINDERED,
        significance=Significance.HIGH,
        description="Eleven visits that day",
        by=personas.lead,
        origin=TEST_ORIGIN,
    )
    completed = services.episode_complete(episode=made, by=personas.lead, origin=TEST_ORIGIN)
    assert completed.complete and completed.completed_by == personas.lead
    assert len(events(Event.EPISODE_COMPLETED)) == 1


@pytest.mark.parametrize("valence", [Valence.GOOD, Valence.UNCERTAIN])
def test_good_or_uncertain_practice_needs_its_appraisal_but_not_a_factor(personas: Personas, valence: str) -> None:
    made = episode(personas, valence=valence)
    with pytest.raises(ValidationError) as refused:
        services.episode_complete(episode=made, by=personas.lead, origin=TEST_ORIGIN)
    assert list(refused.value.message_dict) == ["appraisal"]
    assert services.episode_complete(episode=appraise(made, personas), by=personas.lead, origin=TEST_ORIGIN).complete


def test_a_complete_episode_keeps_its_explanation(personas: Personas) -> None:
    made = appraise(episode(personas), personas)
    factor = services.factor_add(
        episode=made,
        factor_type=item("work_workload"),
        effect=Effect.HINDERED,
        significance=Significance.HIGH,
        description="Eleven visits that day",
        by=personas.lead,
        origin=TEST_ORIGIN,
    )
    made = services.episode_complete(episode=made, by=personas.lead, origin=TEST_ORIGIN)
    with pytest.raises(ValidationError, match="keeps at least one contributory factor"):
        services.factor_remove(factor=factor, by=personas.lead, origin=TEST_ORIGIN)
    with pytest.raises(ValidationError, match="keeps its whole appraisal"):
        appraise(made, personas, practice_compared="")
    with pytest.raises(ValidationError, match="Reopen it before removing it"):
        services.episode_remove(episode=made, by=personas.lead, origin=TEST_ORIGIN)
    services.episode_reopen(episode=made, by=personas.lead, origin=TEST_ORIGIN)
    services.factor_remove(factor=factor, by=personas.lead, origin=TEST_ORIGIN)
    assert not made.factors.exists()


def test_a_complete_good_episode_cannot_turn_problematic_without_a_factor(personas: Personas) -> None:
    made = appraise(episode(personas, valence=Valence.GOOD), personas)
    made = services.episode_complete(episode=made, by=personas.lead, origin=TEST_ORIGIN)
    with pytest.raises(ValidationError) as refused:
        services.episode_update(
            episode=made,
            expected_version=made.version,
            title=made.title,
            period_start=made.period_start,
            period_end=None,
            description="",
            valence=Valence.PROBLEMATIC,
            identified_by=IdentifiedBy.REVIEWERS,
            agencies=[],
            participants=[],
            by=personas.lead,
            origin=TEST_ORIGIN,
        )
    assert "needs at least one contributory factor" in refused.value.message_dict["valence"][0]
    made.refresh_from_db()
    assert made.valence == Valence.GOOD


def test_an_episodes_details_change_with_the_changes_audited(personas: Personas) -> None:
    made = episode(personas)
    changed = services.episode_update(
        episode=made,
        expected_version=made.version,
        title="The new-birth visit, 14 January",
        period_start=made.period_start,
        period_end=dt.date(2019, 2, 1),
        description="Partner present",
        valence=Valence.MIXED,
        identified_by=IdentifiedBy.CASE_GROUP,
        agencies=[personas.health],
        participants=[],
        by=personas.lead,
        origin=TEST_ORIGIN,
    )
    assert (changed.valence, changed.version) == (Valence.MIXED, 2)
    (event,) = events(Event.EPISODE_CHANGED)
    assert set(event.detail) == {"title", "period", "description", "valence", "identified_by", "agencies"}
    with pytest.raises(StaleEdit):
        services.episode_update(
            episode=made,
            expected_version=1,
            title="Again",
            period_start=made.period_start,
            period_end=None,
            description="",
            valence=Valence.GOOD,
            identified_by=IdentifiedBy.REVIEWERS,
            agencies=[],
            participants=[],
            by=personas.lead,
            origin=TEST_ORIGIN,
        )


def test_an_episode_not_yet_complete_can_be_removed_and_numbers_stay(personas: Personas) -> None:
    first, second = episode(personas), episode(personas, title="Second")
    services.question_add(episode=first, text="Is this usual?", by=personas.lead, origin=TEST_ORIGIN)
    services.episode_remove(episode=first, by=personas.lead, origin=TEST_ORIGIN)
    assert list(KeyPracticeEpisode.objects.values_list("number", flat=True)) == [second.number]
    assert episode(personas, title="Third").number == 3


# --- Sharing and who sees what -----------------------------------------------------------------------------


def test_practitioners_see_only_shared_episodes(personas: Personas) -> None:
    kept, shared = episode(personas, title="Kept"), episode(personas, title="Shared")
    services.episode_share(episode=shared, shared=True, by=personas.lead, origin=TEST_ORIGIN)
    assert list(selectors.episodes_visible_to(user=personas.practitioner, review=personas.review)) == [shared]
    assert set(selectors.episodes_visible_to(user=personas.reviewer, review=personas.review)) == {kept, shared}
    services.episode_share(episode=shared, shared=True, by=personas.lead, origin=TEST_ORIGIN)
    assert len(events(Event.EPISODE_SHARING_CHANGED)) == 1, "sharing again changes nothing"


def test_the_table_leaves_out_anyone_who_withdrew_and_does_not_quote_anyone_who_withdrew_quotation(
    personas: Personas,
) -> None:
    withdrew = turning_point(personas, label="GP 1", moment="The cold")
    unquoted = turning_point(personas, label="Midwife 1", moment="The booking")
    quoted = turning_point(personas, label="Health visitor 1", moment="The visit")
    made = episode(personas, perspectives=[withdrew, unquoted, quoted])
    for participant, scope in [(withdrew.participant, ConsentScope.TAKING_PART), (unquoted.participant, "quotation")]:
        Consent.objects.create(
            participant=participant,
            scope=scope,
            agreed=True,
            given_on=dt.date(2026, 1, 1),
            withdrawn_on=dt.date(2026, 3, 1),
        )
    (row,) = selectors.kpe_rows(review=personas.review, episodes=[made], quote_perspectives=True)
    assert sorted(row.perspectives) == ["Health visitor 1: The visit", "Midwife 1"]
    assert not any("GP 1" in source for source in row.evidence)
    notes = selectors.withdrawal_notes(review=personas.review)
    assert "GP 1 withdrew on 1 March 2026: nothing they told the review is used" in notes


# --- The outcome -------------------------------------------------------------------------------------------


def test_the_outcome_is_recorded_once_and_changed_with_a_version(personas: Personas) -> None:
    outcome = services.outcome_save(
        review=personas.review, text="Skull fracture", expected_version=None, by=personas.lead, origin=TEST_ORIGIN
    )
    changed = services.outcome_save(
        review=personas.review,
        text="Skull fracture at 10 months",
        expected_version=outcome.version,
        by=personas.lead,
        origin=TEST_ORIGIN,
    )
    assert changed.version == 2
    with pytest.raises(StaleEdit):
        services.outcome_save(
            review=personas.review, text="Again", expected_version=1, by=personas.lead, origin=TEST_ORIGIN
        )
    assert len(events(Event.OUTCOME_RECORDED)) == 2
