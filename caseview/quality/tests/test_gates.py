"""Each readiness gate, passing and failing, with the problems it lists and where each links."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from caseview.analysis.models import KeyPracticeEpisode, Valence
from caseview.analysis.tests.helpers import episode
from caseview.conversations.models import Conversation
from caseview.findings import board_services
from caseview.findings import services as findings_services
from caseview.findings.models import ActionPlanItem, Finding, FindingValence
from caseview.findings.services import FindingDetails
from caseview.people import services as people_services
from caseview.people.models import FamilyInvolvementDecision, ParticipantKind, ParticipationStatus
from caseview.quality.gates import BY_CODE, GATES, GateResult, labels_named
from caseview.quality.tests.builders import Ready, hindsight, ready_review
from caseview.reports import services as report_services
from caseview.reports.models import NarrativePart, ReportNarrative
from caseview.reviews import parallel_services
from caseview.reviews import services as review_services
from caseview.reviews.models import NoParallelProcesses, ParallelProcessKind, ParallelProcessStatus, Review
from conftest import TEST_ORIGIN, Personas

pytestmark = pytest.mark.django_db


def _gate(code: str, review: Review) -> GateResult:
    return BY_CODE[code].check(review)


def _texts(result: GateResult) -> list[str]:
    return [problem.text for problem in result.problems]


def _urls(result: GateResult) -> list[str]:
    return [link.url for problem in result.problems for link in problem.links]


@pytest.fixture
def ready(personas: Personas) -> Ready:
    return ready_review(personas)


def test_it_lists_ten_gates_each_serving_quality_markers() -> None:
    assert [gate.code for gate in GATES] == [f"G{number}" for number in range(1, 11)]
    assert all(gate.title and gate.checks and gate.markers for gate in GATES)
    assert all(1 <= number <= 18 for gate in GATES for number in gate.markers)


def test_it_passes_g1_to_g8_on_a_review_with_everything_recorded(ready: Ready) -> None:
    for code in ("G1", "G2", "G3", "G4", "G5", "G6", "G7", "G8"):
        assert _gate(code, ready.review).passed, (code, _texts(_gate(code, ready.review)))


def test_it_fails_g1_without_questions_or_a_reason_for_the_case(ready: Ready) -> None:
    ready.review.questions.all().delete()
    Review.objects.filter(pk=ready.review.pk).update(case_selection_reason="  ")
    ready.review.refresh_from_db()
    result = _gate("G1", ready.review)
    assert not result.passed
    assert _texts(result) == [
        "The review has no question it is curious to answer.",
        "The reason for choosing this case is not recorded.",
    ]
    assert _urls(result) == ["/reviews/CK2019/questions/new/", "/reviews/CK2019/edit/"]


def test_it_fails_g2_when_the_purpose_does_not_say_learning(ready: Ready) -> None:
    Review.objects.filter(pk=ready.review.pk).update(purpose_statement="To find out who was at fault.")
    ready.review.refresh_from_db()
    result = _gate("G2", ready.review)
    assert _texts(result) == ["The purpose statement does not say that the aim is learning."]
    assert _urls(result) == ["/reviews/CK2019/edit/"]


def test_it_fails_g2_until_parallel_processes_are_recorded_or_confirmed_none(ready: Ready, personas: Personas) -> None:
    NoParallelProcesses.objects.all().delete()
    result = _gate("G2", ready.review)
    assert len(result.problems) == 1 and "Parallel processes are not recorded" in result.problems[0].text
    assert _urls(result) == ["/reviews/CK2019/parallel-processes/"]
    parallel_services.parallel_process_add(
        review=ready.review,
        kind=ParallelProcessKind.CORONER,
        description="Inquest",
        status=ParallelProcessStatus.EXPECTED,
        by=personas.lead,
        origin=TEST_ORIGIN,
    )
    assert _gate("G2", ready.review).passed


def test_it_fails_g3_for_a_practitioner_without_a_held_conversation(ready: Ready, personas: Personas) -> None:
    Conversation.objects.filter(pk=ready.conversation.pk).update(status=Conversation.Status.PLANNED)
    manager = people_services.participant_add(
        review=ready.review,
        by=personas.lead,
        origin=TEST_ORIGIN,
        kind=ParticipantKind.MANAGER,
        label="Team manager 1",
        agency=personas.police,
        position="Team manager",
    )
    people_services.participant_add(
        review=ready.review,
        by=personas.lead,
        origin=TEST_ORIGIN,
        kind=ParticipantKind.FAMILY,
        label="Mother",
        relationship="Mother",
    )
    result = _gate("G3", ready.review)
    assert _texts(result) == [
        "Health visitor 1: a conversation is arranged but not yet recorded as held.",
        "Team manager 1: no conversation record, and no record that they are not taking part.",
    ]
    visitor, team_manager = result.problems
    assert [link.url for link in visitor.links] == [
        f"/reviews/CK2019/conversations/{ready.conversation.pk}/arrangements/",
        f"/reviews/CK2019/participants/{ready.practitioner.pk}/edit/",
    ]
    assert team_manager.links[0].url == f"/reviews/CK2019/conversations/new/?participant={manager.pk}"


def test_it_passes_g3_for_a_practitioner_who_declined_or_was_not_able(ready: Ready, personas: Personas) -> None:
    for label, status, reason in (
        ("Outreach worker 1", ParticipationStatus.DECLINED, ""),
        ("GP 1", ParticipationStatus.UNABLE, "Long-term sick leave"),
    ):
        people_services.participant_add(
            review=ready.review,
            by=personas.lead,
            origin=TEST_ORIGIN,
            kind=ParticipantKind.PRACTITIONER,
            label=label,
            agency=personas.health,
            position="Worker",
            participation_status=status,
            non_participation_reason=reason,
        )
    assert _gate("G3", ready.review).passed


def test_it_fails_g4_until_the_family_decision_is_recorded(ready: Ready) -> None:
    FamilyInvolvementDecision.objects.all().delete()
    result = _gate("G4", ready.review)
    assert _texts(result) == ["The decision about which family members to involve, how, and why, is not recorded."]
    assert _urls(result) == ["/reviews/CK2019/participants/family-decision/"]


def test_it_fails_g5_for_each_problematic_or_mixed_episode_without_a_factor(ready: Ready, personas: Personas) -> None:
    mixed = hindsight(episode(personas, title="The school's response", valence=Valence.MIXED), personas)
    hindsight(episode(personas, title="Early help's work", valence=Valence.GOOD), personas)
    hindsight(episode(personas, title="Not yet judged", valence=Valence.UNCERTAIN), personas)
    result = _gate("G5", ready.review)
    assert _texts(result) == [
        f"Episode {mixed.number} (The school's response) is mixed and has no contributory factor explaining it."
    ]
    assert _urls(result) == [f"/reviews/CK2019/analysis/episodes/{mixed.number}/factors/new/"]


def test_it_fails_g5_and_g6_on_a_review_with_no_episodes(personas: Personas) -> None:
    for code in ("G5", "G6"):
        assert _texts(_gate(code, personas.review)) == ["The review has no key practice episodes yet."]


def test_it_fails_g6_for_an_appraisal_without_the_hindsight_separation(ready: Ready, personas: Personas) -> None:
    hindsight(ready.episode, personas, known_later="", hindsight_checked=False, hindsight_note="")
    second = episode(personas, title="The 9-month review", valence=Valence.GOOD)
    result = _gate("G6", ready.review)
    assert _texts(result) == [
        "Episode 1 (The new-birth visit): the appraisal lacks what became known later and the hindsight check.",
        f"Episode {second.number} (The 9-month review): the appraisal lacks what was known at the time, what "
        "became known later and the hindsight check.",
    ]
    assert _urls(result)[0] == "/reviews/CK2019/analysis/episodes/1/appraisal/#hindsight"


def _another_finding(personas: Personas, **changes: Any) -> Finding:
    values: dict[str, Any] = {
        "statement": "Invitations go to shared inboxes that nobody owns.",
        "category": "human_tool",
        "valence": FindingValence.RISK,
    }
    values.update(changes)
    return findings_services.finding_create(
        review=personas.review, details=FindingDetails(**values), by=personas.lead, origin=TEST_ORIGIN
    )


def test_it_fails_g7_for_a_finding_without_episodes_or_evidence_it_is_not_a_one_off(
    ready: Ready, personas: Personas
) -> None:
    second = _another_finding(personas)
    result = _gate("G7", ready.review)
    assert _texts(result) == [
        f"Finding {second.number} has no episode it rests on and no evidence that it is not a one-off."
    ]
    assert _urls(result) == [f"/reviews/CK2019/findings/{second.number}/edit/"]


def test_it_fails_g7_for_a_finding_the_language_check_flags(ready: Ready, personas: Personas) -> None:
    second = _another_finding(
        personas,
        statement="The health visitor failed to ask about domestic abuse.",
        episodes=[ready.episode],
        evidence_not_one_off="Audit",
    )
    assert _texts(_gate("G7", ready.review)) == [
        f"Finding {second.number}: the language check flags 1 phrase as blaming or counterfactual."
    ]


def test_it_fails_g7_for_a_finding_that_names_a_participant(ready: Ready, personas: Personas) -> None:
    second = _another_finding(
        personas,
        statement="Health visitor 1 works in a service where no time is given to follow-up.",
        how_it_showed="Health visitor 1 had eleven visits that day.",
        episodes=[ready.episode],
        evidence_not_one_off="Audit",
    )
    assert _texts(_gate("G7", ready.review)) == [
        f"Finding {second.number} names someone in the case (Health visitor 1): a finding is about the system, "
        "not a person."
    ]


def test_it_matches_labels_as_whole_words_with_their_capitals() -> None:
    labels = ["Mother", "Child E", "GP 1"]
    assert labels_named("When Mother was seen alone", labels) == ["Mother"]
    assert labels_named("a mother with depression; Child Ella; GP 12", labels) == []


def test_it_fails_g7_and_g8_on_a_review_with_no_findings(personas: Personas) -> None:
    for code in ("G7", "G8"):
        assert _texts(_gate(code, personas.review)) == ["The review has no findings yet."]
        assert _urls(_gate(code, personas.review)) == ["/reviews/CK2019/findings/new/"]


def test_it_fails_g8_for_unranked_findings_and_findings_without_questions(ready: Ready, personas: Personas) -> None:
    second = _another_finding(personas, episodes=[ready.episode], evidence_not_one_off="Audit")
    result = _gate("G8", ready.review)
    assert _texts(result) == [
        f"Finding {second.number} is not ranked.",
        f"Finding {second.number} has no question for the board.",
    ]
    assert _urls(result) == [
        "/reviews/CK2019/findings/rank/",
        f"/reviews/CK2019/findings/{second.number}/#board-questions",
    ]
    Finding.objects.filter(review=ready.review).update(rank=None)
    assert _texts(_gate("G8", ready.review))[0] == "Findings 1 and 2 are not ranked."


def test_it_fails_g9_until_the_latest_public_version_passes_the_publication_check(
    ready: Ready, personas: Personas
) -> None:
    nine = _gate("G9", ready.review)
    assert _texts(nine) == ["No public version of the report has been built yet."]
    assert _urls(nine) == ["/reviews/CK2019/report/"]
    agency = review_services.agency_add(
        partnership=personas.partnership, name="Fernside Primary School", by=personas.admin, origin=TEST_ORIGIN
    )
    ReportNarrative.objects.create(review=ready.review, part=NarrativePart.SUMMARY, text=f"{agency.name} saw it.")
    public = report_services.version_build(review=ready.review, audience="public", by=personas.lead, origin=TEST_ORIGIN)
    nine = _gate("G9", ready.review)
    assert _texts(nine) == ["The publication check finds 1 thing in public version 1 that could identify someone."]
    assert _urls(nine) == [f"/reviews/CK2019/report/publication-check/{public.publication_check_id}/"]
    ReportNarrative.objects.filter(review=ready.review).update(text="The primary school saw it.")
    report_services.version_build(review=ready.review, audience="public", by=personas.lead, origin=TEST_ORIGIN)
    assert _gate("G9", ready.review).passed


def _respond(finding: Finding, personas: Personas, agreed_on: dt.date | None = dt.date(2026, 1, 20)) -> None:
    board_services.board_response_save(
        finding=finding,
        details=board_services.ResponseDetails(text="The board will audit screening.", agreed_on=agreed_on),
        expected_version=None,
        by=personas.board,
        origin=TEST_ORIGIN,
    )


def _act(finding: Finding, personas: Personas, next_review_on: dt.date | None) -> ActionPlanItem:
    return board_services.action_create(
        review=finding.review,
        details=board_services.ActionDetails(
            finding=finding,
            action="Audit ten screening decisions",
            owner_agency=personas.health,
            owner_role="Named nurse",
            due_date=dt.date(2026, 9, 30),
            success_measure="Health visitors told within a week in nine of ten",
            next_review_on=next_review_on,
        ),
        by=personas.board,
        origin=TEST_ORIGIN,
    )


def test_it_fails_g10_until_each_finding_has_an_agreed_response_and_each_risk_an_action(
    ready: Ready, personas: Personas
) -> None:
    number = ready.finding.number
    result = _gate("G10", ready.review)
    assert _texts(result) == [
        f"Finding {number} has no agreed board response.",
        f"Finding {number} creates risk but has no action in the action plan.",
    ]
    assert _urls(result) == [
        f"/reviews/CK2019/findings/{number}/response/",
        f"/reviews/CK2019/actions/new/?finding={number}",
    ]
    _respond(ready.finding, personas, agreed_on=None)
    assert _texts(_gate("G10", ready.review))[0] == f"Finding {number} has no agreed board response.", "a draft"


def test_it_fails_g10_while_an_open_action_has_no_review_date_and_passes_once_monitored(
    ready: Ready, personas: Personas
) -> None:
    _respond(ready.finding, personas)
    item = _act(ready.finding, personas, next_review_on=None)
    result = _gate("G10", ready.review)
    assert _texts(result) == [f"Action {item.number} is open but has no date for its next review."]
    assert _urls(result) == [f"/reviews/CK2019/actions/{item.number}/edit/"]
    ActionPlanItem.objects.filter(pk=item.pk).update(next_review_on=dt.date(2026, 12, 1))
    assert _gate("G10", ready.review).passed


def test_it_does_not_ask_for_an_action_on_a_finding_that_supports_good_practice(
    ready: Ready, personas: Personas
) -> None:
    _respond(ready.finding, personas)
    Finding.objects.filter(pk=ready.finding.pk).update(valence=FindingValence.SUPPORTS)
    assert _gate("G10", ready.review).passed


def test_it_fails_g10_when_there_are_no_findings(ready: Ready) -> None:
    Finding.objects.filter(review=ready.review).delete()
    assert _texts(_gate("G10", ready.review)) == ["The review has no findings for the board to respond to."]


def test_it_counts_every_episode_in_g6_whatever_its_valence(ready: Ready, personas: Personas) -> None:
    assert KeyPracticeEpisode.objects.filter(review=ready.review).count() == 1
    good = hindsight(episode(personas, title="Good", valence=Valence.GOOD), personas)
    assert good.hindsight_checked and _gate("G6", ready.review).passed
