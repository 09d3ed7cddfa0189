"""Independent appraisals: blind until one's own is submitted, locked once submitted, compared side by side, an
agreed code carried into the episode's factors, and agreement worked out for each pair of reviewers."""

from __future__ import annotations

from fractions import Fraction

import pytest
from django.core.exceptions import ValidationError

from caseview.accounts.models import User
from caseview.analysis import agreement, selectors, services
from caseview.analysis.agreement_stats import cohen_kappa
from caseview.analysis.models import (
    ContributoryFactorType,
    FactorGroup,
    IndependentAppraisal,
    Significance,
    Valence,
)
from caseview.analysis.tests.agreement_helpers import HINDERED, SUPPORTED, appraise_independently
from caseview.analysis.tests.helpers import episode, item
from caseview.core.audit import Event
from caseview.core.models import AuditEvent, StaleEdit
from caseview.reviews import services as review_services
from conftest import TEST_ORIGIN, Personas, make_user


def events(kind: Event) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(event=kind).order_by("id"))


def third_reviewer(personas: Personas) -> User:
    user = make_user("second_lead")
    review_services.membership_add(
        review=personas.review, user=user, role="review_team", by=personas.lead, origin=TEST_ORIGIN
    )
    return user


# --- Blind until submitted ---------------------------------------------------------------------------------


def test_a_reviewer_cannot_read_anothers_appraisal_before_submitting_their_own(personas: Personas) -> None:
    made = episode(personas)
    lead = appraise_independently(made, personas.lead, Valence.PROBLEMATIC, [("work_workload", HINDERED)])
    appraise_independently(made, personas.reviewer, Valence.MIXED, [("org_policies", HINDERED)], submit=False)

    assert agreement.appraisals_visible_to(user=personas.reviewer, episode=made) == []
    assert agreement.comparison(user=personas.reviewer, episode=made).rows == []
    assert agreement.others_submitted(user=personas.reviewer, episode=made) == 1, "that others did is all they know"
    # The lead, who submitted, does not see the reviewer's draft either.
    assert agreement.appraisals_visible_to(user=personas.lead, episode=made) == [lead]

    reviewer = agreement.appraisal_submit(episode=made, by=personas.reviewer, origin=TEST_ORIGIN)
    assert agreement.appraisals_visible_to(user=personas.reviewer, episode=made) == [reviewer, lead], "own first"
    assert agreement.appraisals_visible_to(user=personas.lead, episode=made) == [lead, reviewer]


def test_practitioners_never_see_independent_appraisals(personas: Personas) -> None:
    made = episode(personas)
    appraise_independently(made, personas.lead, Valence.GOOD)
    appraise_independently(made, personas.reviewer, Valence.GOOD)
    # Even one somehow made in their name stays hidden: reading them needs edit_analysis.
    IndependentAppraisal.objects.create(episode=made, reviewer=personas.practitioner, valence="good")
    IndependentAppraisal.objects.filter(reviewer=personas.practitioner).update(submitted_at=made.created_at)
    for user in (personas.practitioner, personas.board, personas.outsider):
        assert agreement.appraisals_visible_to(user=user, episode=made) == []


def test_the_statuses_say_how_many_others_submitted_and_nothing_else(personas: Personas) -> None:
    first, second = episode(personas), episode(personas, title="The strategy meeting")
    appraise_independently(first, personas.lead, Valence.GOOD)
    appraise_independently(second, personas.lead, Valence.GOOD, submit=False)
    appraise_independently(first, personas.reviewer, Valence.GOOD, submit=False)
    rows = {
        status.episode.number: status
        for status in agreement.episode_statuses(user=personas.reviewer, review=personas.review)
    }
    assert (rows[1].others, rows[1].mine is not None, rows[1].can_compare) == (1, True, False)
    assert (rows[2].others, rows[2].mine, rows[2].can_compare) == (0, None, False), "a draft of the lead is not counted"


# --- Locked once submitted ---------------------------------------------------------------------------------


def test_a_submitted_appraisal_is_locked(personas: Personas) -> None:
    made = episode(personas)
    submitted = appraise_independently(made, personas.lead, Valence.MIXED, [("work_workload", HINDERED)], note="Busy")
    code = submitted.codes.get()
    attempts = [
        lambda: agreement.appraisal_save(
            episode=made, valence="good", note="", expected_version=None, by=personas.lead, origin=TEST_ORIGIN
        ),
        lambda: agreement.code_add(
            episode=made, factor_type=item("org_policies"), effect=HINDERED, by=personas.lead, origin=TEST_ORIGIN
        ),
        lambda: agreement.code_remove(code=code, by=personas.lead, origin=TEST_ORIGIN),
        lambda: agreement.appraisal_submit(episode=made, by=personas.lead, origin=TEST_ORIGIN),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError, match="was submitted, so it cannot be changed"):
            attempt()
    submitted.refresh_from_db()
    assert (submitted.valence, submitted.note, submitted.codes.count()) == ("mixed", "Busy", 1)
    assert submitted.submitted_at is not None


def test_submitting_needs_a_valence_and_a_problem_needs_a_code(personas: Personas) -> None:
    made = episode(personas)
    with pytest.raises(ValidationError) as empty:
        agreement.appraisal_submit(episode=made, by=personas.lead, origin=TEST_ORIGIN)
    assert "valence" in empty.value.message_dict
    assert not IndependentAppraisal.objects.exists(), "a refused submission starts nothing"
    appraise_independently(made, personas.lead, Valence.PROBLEMATIC, submit=False)
    with pytest.raises(ValidationError, match="code at least one factor"):
        agreement.appraisal_submit(episode=made, by=personas.lead, origin=TEST_ORIGIN)
    good = appraise_independently(made, personas.reviewer, Valence.GOOD)
    assert good.submitted, "good practice may be submitted without a code"


def test_codes_come_from_this_reviews_framework_once_each(personas: Personas) -> None:
    made = episode(personas)
    other = review_services.partnership_create(name="Elsewhere", by=None, origin=TEST_ORIGIN)
    theirs = services.framework_item_add(
        partnership=other,
        group=FactorGroup.objects.get(key="conditions_of_work", framework__current=True),
        label="Their own item",
        by=personas.admin,
        origin=TEST_ORIGIN,
    )
    with pytest.raises(ValidationError) as refused:
        agreement.code_add(episode=made, factor_type=theirs, effect=HINDERED, by=personas.lead, origin=TEST_ORIGIN)
    assert "factor_type" in refused.value.message_dict
    with pytest.raises(ValidationError) as no_effect:
        agreement.code_add(
            episode=made, factor_type=item("org_policies"), effect="", by=personas.lead, origin=TEST_ORIGIN
        )
    assert "effect" in no_effect.value.message_dict
    agreement.code_add(
        episode=made, factor_type=item("org_policies"), effect=HINDERED, by=personas.lead, origin=TEST_ORIGIN
    )
    with pytest.raises(ValidationError, match="already"):
        agreement.code_add(
            episode=made, factor_type=item("org_policies"), effect=SUPPORTED, by=personas.lead, origin=TEST_ORIGIN
        )


def test_a_stale_draft_is_refused(personas: Personas) -> None:
    made = episode(personas)
    draft = appraise_independently(made, personas.lead, Valence.GOOD, submit=False)
    agreement.appraisal_save(
        episode=made, valence="mixed", note="", expected_version=draft.version, by=personas.lead, origin=TEST_ORIGIN
    )
    with pytest.raises(StaleEdit):
        agreement.appraisal_save(
            episode=made, valence="good", note="", expected_version=draft.version, by=personas.lead, origin=TEST_ORIGIN
        )


def test_every_step_is_audited(personas: Personas) -> None:
    made = episode(personas)
    appraise_independently(
        made, personas.lead, Valence.MIXED, [("work_workload", HINDERED), ("org_policies", HINDERED)]
    )
    assert [len(events(kind)) for kind in (Event.INDEPENDENT_APPRAISAL_SAVED, Event.INDEPENDENT_CODE_ADDED)] == [1, 2]
    [submitted] = events(Event.INDEPENDENT_APPRAISAL_SUBMITTED)
    assert submitted.detail == {"valence": "mixed", "codes": 2}
    draft = appraise_independently(made, personas.reviewer, Valence.MIXED, [("work_workload", HINDERED)], submit=False)
    agreement.code_remove(code=draft.codes.get(), by=personas.reviewer, origin=TEST_ORIGIN)
    [removed] = events(Event.INDEPENDENT_CODE_REMOVED)
    assert removed.actor == personas.reviewer and removed.review == personas.review


# --- Comparing ---------------------------------------------------------------------------------------------


def test_the_comparison_lines_the_codes_up_and_reading_it_is_audited(personas: Personas) -> None:
    made = episode(personas)
    lead = appraise_independently(
        made,
        personas.lead,
        Valence.MIXED,
        [("org_policies", HINDERED), ("work_workload", HINDERED), ("personal_knowledge", SUPPORTED)],
    )
    reviewer = appraise_independently(
        made,
        personas.reviewer,
        Valence.PROBLEMATIC,
        [("work_workload", HINDERED), ("personal_knowledge", HINDERED), ("family_availability", HINDERED)],
    )
    found = agreement.comparison(user=personas.lead, episode=made)
    assert found.appraisals == [lead, reviewer]
    assert not found.valences_agree
    status = {row.factor_type.key: row.status for row in found.rows}
    assert status == {
        "family_availability": "Only Reviewer Testperson",
        "personal_knowledge": "Both reviewers, with different effects",
        "org_policies": "Only Lead Testperson",
        "work_workload": "Both reviewers",
    }
    [agreed] = found.agreed_rows
    assert agreed.factor_type.key == "work_workload" and agreed.agreed_effect == HINDERED
    assert [row.factor_type.key for row in found.rows][:2] == ["family_availability", "personal_knowledge"], (
        "in framework order"
    )

    agreement.comparison_read(episode=made, appraisals=found.appraisals, by=personas.lead, origin=TEST_ORIGIN)
    [read] = events(Event.INDEPENDENT_APPRAISALS_COMPARED)
    assert read.detail == {"appraisals": [str(reviewer.pk)]}
    assert "Reviewer Testperson" in read.summary
    agreement.comparison_read(episode=made, appraisals=[lead], by=personas.lead, origin=TEST_ORIGIN)
    assert len(events(Event.INDEPENDENT_APPRAISALS_COMPARED)) == 1, "reading only one's own is not an event"


def test_an_agreed_code_is_carried_into_the_episodes_factors(personas: Personas) -> None:
    made = episode(personas)
    appraise_independently(
        made, personas.lead, Valence.MIXED, [("work_workload", HINDERED), ("org_policies", HINDERED)]
    )
    appraise_independently(made, personas.reviewer, Valence.MIXED, [("work_workload", HINDERED)])
    factor = agreement.carry_code(
        episode=made,
        factor_type=item("work_workload"),
        significance=Significance.HIGH,
        description="Eleven visits that day",
        by=personas.reviewer,
        origin=TEST_ORIGIN,
    )
    assert (factor.factor_type.key, factor.effect, factor.significance) == ("work_workload", HINDERED, "high")
    assert len(events(Event.FACTOR_ADDED)) == 1, "through the analysis's own service"
    with pytest.raises(ValidationError, match="already"):
        agreement.carry_code(
            episode=made,
            factor_type=item("work_workload"),
            significance=Significance.HIGH,
            description="Again",
            by=personas.lead,
            origin=TEST_ORIGIN,
        )
    with pytest.raises(ValidationError, match="Only a code every reviewer agreed on"):
        agreement.carry_code(
            episode=made,
            factor_type=item("org_policies"),
            significance=Significance.HIGH,
            description="Only the lead coded it",
            by=personas.lead,
            origin=TEST_ORIGIN,
        )
    assert made.factors.count() == 1


def test_nothing_is_carried_by_someone_who_has_not_submitted(personas: Personas) -> None:
    made = episode(personas)
    appraise_independently(made, personas.lead, Valence.MIXED, [("work_workload", HINDERED)])
    appraise_independently(made, personas.reviewer, Valence.MIXED, [("work_workload", HINDERED)])
    outsider_to_it = third_reviewer(personas)
    with pytest.raises(ValidationError):
        agreement.carry_code(
            episode=made,
            factor_type=item("work_workload"),
            significance=Significance.HIGH,
            description="Eleven visits",
            by=outsider_to_it,
            origin=TEST_ORIGIN,
        )
    assert not made.factors.exists()


def test_an_item_coded_in_an_independent_appraisal_stays_in_the_framework(personas: Personas) -> None:
    own = services.framework_item_add(
        partnership=personas.partnership,
        group=FactorGroup.objects.get(key="conditions_of_work", framework__current=True),
        label="Hot-desking",
        by=personas.admin,
        origin=TEST_ORIGIN,
    )
    made = episode(personas)
    agreement.code_add(episode=made, factor_type=own, effect=HINDERED, by=personas.lead, origin=TEST_ORIGIN)
    with pytest.raises(ValidationError, match="independent appraisals"):
        services.framework_item_remove(item=own, by=personas.admin, origin=TEST_ORIGIN)
    assert ContributoryFactorType.objects.filter(pk=own.pk).exists()


# --- Across the review -------------------------------------------------------------------------------------


def test_agreement_is_worked_out_for_each_pair_over_the_episodes_both_submitted(personas: Personas) -> None:
    episodes = [episode(personas, title=f"Episode {n}") for n in (1, 2, 3, 4)]
    lead_said = [
        (Valence.GOOD, [("personal_knowledge", SUPPORTED)]),
        (Valence.PROBLEMATIC, [("work_workload", HINDERED), ("org_policies", HINDERED)]),
        (Valence.MIXED, [("org_policies", HINDERED)]),
        (Valence.GOOD, []),
    ]
    reviewer_said = [
        (Valence.GOOD, [("personal_knowledge", SUPPORTED)]),
        (Valence.PROBLEMATIC, [("work_workload", SUPPORTED)]),
        (Valence.GOOD, [("family_relationship", SUPPORTED)]),
    ]
    for made, (valence, codes) in zip(episodes, lead_said, strict=True):
        appraise_independently(made, personas.lead, valence, codes)
    for made, (valence, codes) in zip(episodes, reviewer_said, strict=False):
        appraise_independently(made, personas.reviewer, valence, codes)
    third = third_reviewer(personas)
    appraise_independently(episodes[0], third, Valence.GOOD, [("personal_knowledge", SUPPORTED)])
    appraise_independently(episodes[3], third, Valence.UNCERTAIN, submit=False)

    pairs = agreement.agreement_by_pair(user=personas.lead, review=personas.review)
    assert [pair.names for pair in pairs] == [
        ("Lead Testperson", "Reviewer Testperson"),
        ("Lead Testperson", "Second_Lead Testperson"),
        ("Reviewer Testperson", "Second_Lead Testperson"),
    ]
    both = pairs[0]
    assert [made.number for made in both.episodes] == [1, 2, 3], "episode 4 only the lead submitted"
    # Valence: agreed on 2 of 3. The lead: good, problematic, mixed; the reviewer: good twice, problematic
    # once. Chance (1x2 + 1x1 + 1x0) / 9 = 1/3, so kappa (2/3 - 1/3) / (2/3) = 1/2.
    assert (both.valence.agreed, both.valence.expected, both.valence.kappa) == (2, Fraction(1, 3), Fraction(1, 2))
    assert both.valence.interpretation == "Moderate"
    # Codes: every item of the framework, in each of the three episodes, coded or not.
    items = selectors.factor_types_for(review=personas.review).count()
    assert both.codes.items == 3 * items
    coded = (both.codes_positive.both, both.codes_positive.only_first, both.codes_positive.only_second)
    assert coded == (2, 2, 1), "personal_knowledge and work_workload both; org_policies twice by the lead; one"
    assert both.same_effect == 1, "work_workload was coded with opposite effects"
    by_hand = [(True, True)] * 2 + [(True, False)] * 2 + [(False, True)] + [(False, False)] * (3 * items - 5)
    assert both.codes == cohen_kappa(by_hand)
    assert 0 < both.codes.kappa_value < 1  # type: ignore[operator]
    assert both.valence_table[0] == ("Good practice", [1, 0, 0, 0])
    assert both.valence_table[2] == ("Mixed", [1, 0, 0, 0])

    one_episode = pairs[1]
    assert [made.number for made in one_episode.episodes] == [1]
    assert one_episode.valence.kappa is None and "at least two" in one_episode.valence.reason


def test_the_table_of_valences_is_shown_only_to_someone_who_submitted_every_episode_in_it(personas: Personas) -> None:
    first, second = episode(personas), episode(personas, title="Two")
    for made in (first, second):
        appraise_independently(made, personas.lead, Valence.GOOD)
        appraise_independently(made, personas.reviewer, Valence.GOOD)
    third = third_reviewer(personas)
    appraise_independently(first, third, Valence.GOOD)
    appraise_independently(second, third, Valence.MIXED, [("work_workload", HINDERED)], submit=False)
    [lead_view] = [
        p
        for p in agreement.agreement_by_pair(user=personas.lead, review=personas.review)
        if p.first == personas.lead and p.second == personas.reviewer
    ]
    assert lead_view.detail_visible
    third_view = agreement.agreement_by_pair(user=third, review=personas.review)
    pair = next(p for p in third_view if p.second == personas.reviewer)
    assert len(pair.episodes) == 2 and not pair.detail_visible, "the third has not submitted episode 2"
    assert pair.valence.kappa is None and pair.valence.percent == 100.0, "all good: kappa is not defined"
