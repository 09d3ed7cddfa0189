"""Findings, their questions for the board, ranking, and the chain of evidence both ways."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from caseview.analysis.models import Effect, Significance
from caseview.analysis.services import factor_add
from caseview.analysis.tests.helpers import episode, item, released, turning_point
from caseview.core.audit import Event
from caseview.core.models import AuditEvent, StaleEdit
from caseview.findings import selectors, services
from caseview.findings.models import Finding, FindingValence
from caseview.findings.services import FindingDetails, RankChoice
from conftest import TEST_ORIGIN, Personas, verified_client

pytestmark = pytest.mark.django_db


def _finding(personas: Personas, **changes: Any) -> Finding:
    values: dict[str, Any] = {
        "statement": "There is a tendency to put off the question about domestic abuse when a partner is present",
        "category": "family_professional",
        "valence": FindingValence.RISK,
    }
    values.update(changes)
    return services.finding_create(
        review=personas.review, details=FindingDetails(**values), by=personas.lead, origin=TEST_ORIGIN
    )


@pytest.fixture
def evidence(personas: Personas) -> dict[str, Any]:
    """Episode 1 on a health visiting entry, with the health visitor's turning point; episode 2 on a police
    entry, explained by a factor that cites another police entry."""
    entries = released(personas)
    point = turning_point(personas, entries=[entries["New-birth"]])
    first = episode(personas, entries=[entries["New-birth"]], perspectives=[point])
    second = episode(personas, title="MASH screening", entries=[entries["Domestic"], entries["Neighbour"]])
    factor_add(
        episode=second,
        factor_type=item("work_workload"),
        effect=Effect.HINDERED,
        significance=Significance.HIGH,
        description="Notifications screened on severity alone",
        entries=[entries["Neighbour"]],
        by=personas.lead,
        origin=TEST_ORIGIN,
    )
    return {"entries": entries, "perspective": point, "first": first, "second": second}


def test_it_writes_a_finding_linked_to_episodes_and_audits_it(personas: Personas, evidence: dict[str, Any]) -> None:
    finding = _finding(personas, episodes=[evidence["first"], evidence["second"]], evidence_sources=["audit", "data"])
    assert finding.number == 1
    assert sorted(finding.episodes.values_list("number", flat=True)) == [1, 2]
    assert finding.pattern.later_label == "Family–professional interaction"
    assert finding.source_labels == ["Audit", "Data"]
    assert AuditEvent.objects.filter(event=Event.FINDING_CREATED, review=personas.review).count() == 1
    assert _finding(personas).number == 2


def test_it_refuses_a_finding_without_statement_or_kind(personas: Personas) -> None:
    with pytest.raises(ValidationError) as caught:
        _finding(personas, statement=" ", category="blame")
    assert set(caught.value.message_dict) == {"statement", "category"}


def test_it_refuses_a_stale_edit(personas: Personas) -> None:
    finding = _finding(personas)
    details = FindingDetails(statement="Changed", category="human_tool", valence="creates_risk")
    services.finding_update(finding=finding, expected_version=1, details=details, by=personas.lead, origin=TEST_ORIGIN)
    with pytest.raises(StaleEdit):
        services.finding_update(
            finding=finding, expected_version=1, details=details, by=personas.reviewer, origin=TEST_ORIGIN
        )
    changed = AuditEvent.objects.get(event=Event.FINDING_CHANGED)
    assert set(changed.detail) == {"statement", "category"}


def test_it_keeps_questions_for_the_board_in_order(personas: Personas) -> None:
    finding = _finding(personas)
    first = services.board_question_add(
        finding=finding, text="How can the board be assured?", by=personas.lead, origin=TEST_ORIGIN
    )
    services.board_question_add(finding=finding, text="What would help?", by=personas.lead, origin=TEST_ORIGIN)
    services.board_question_remove(question=first, by=personas.lead, origin=TEST_ORIGIN)
    assert [(q.order, q.text) for q in finding.board_questions.all()] == [(1, "What would help?")]
    with pytest.raises(ValidationError):
        services.board_question_add(finding=finding, text="  ", by=personas.lead, origin=TEST_ORIGIN)


def test_it_ranks_every_finding_once_with_a_reason(personas: Personas) -> None:
    one, two = _finding(personas), _finding(personas, statement="Shared inboxes nobody owns", category="human_tool")
    with pytest.raises(ValidationError) as caught:
        services.ranking_save(
            review=personas.review,
            choices={1: RankChoice(1, "Still happening", 1), 2: RankChoice(1, "", 1)},
            by=personas.lead,
            origin=TEST_ORIGIN,
        )
    assert caught.value.message_dict == {
        "rank_2": ["Rank 1 is given to more than one finding: use each once"],
        "reason_2": ["Say why finding 2 is ranked where it is"],
    }
    services.ranking_save(
        review=personas.review,
        choices={1: RankChoice(2, "Partly fixed already", 1), 2: RankChoice(1, "Every week, across agencies", 1)},
        by=personas.lead,
        origin=TEST_ORIGIN,
    )
    assert [finding.number for finding in selectors.ranked(selectors.findings_of(review=personas.review))] == [2, 1]
    one.refresh_from_db()
    assert (one.rank, one.rank_reason) == (2, "Partly fixed already")
    ranked = AuditEvent.objects.get(event=Event.FINDINGS_RANKED)
    assert ranked.summary == "Ranked the findings: 2, 1"
    with pytest.raises(StaleEdit):
        services.ranking_save(
            review=personas.review,
            choices={1: RankChoice(1, "a", 1), 2: RankChoice(2, "b", two.version)},
            by=personas.lead,
            origin=TEST_ORIGIN,
        )


def test_the_chain_goes_down_to_entries_factors_and_turning_points(
    personas: Personas, evidence: dict[str, Any]
) -> None:
    finding = _finding(personas, episodes=[evidence["first"], evidence["second"]])
    chain = selectors.chain_of(finding=finding)
    first, second = chain.episodes
    assert [link.entry for link in first.entries] == [evidence["entries"]["New-birth"]]
    assert first.perspectives == [evidence["perspective"]]
    assert [link.entry for link in second.factors[0].entries] == [evidence["entries"]["Neighbour"]]
    assert chain.agencies == sorted([personas.health.name, personas.police.name])
    assert chain.people == ["Health visitor 1"]
    assert not chain.single_source


def test_the_chain_goes_up_from_an_entry_and_a_turning_point(personas: Personas, evidence: dict[str, Any]) -> None:
    on_both = _finding(personas, episodes=[evidence["first"], evidence["second"]])
    on_second = _finding(personas, episodes=[evidence["second"]])
    _finding(personas)
    entries = evidence["entries"]
    assert selectors.findings_resting_on_entry(entry=entries["New-birth"]) == [on_both]
    # Through episode 2's factor, when the episode itself no longer lists the entry.
    evidence["second"].entries.remove(entries["Neighbour"])
    assert selectors.findings_resting_on_entry(entry=entries["Neighbour"]) == [on_both, on_second]
    assert selectors.findings_resting_on_perspective(perspective=evidence["perspective"]) == [on_both]
    point = evidence["perspective"]
    base = f"/reviews/{personas.review.reference}"
    turning = verified_client(personas.lead).get(
        f"{base}/conversations/{point.conversation_id}/turning-points/{point.pk}/"
    )
    assert f"{base}/findings/turning-points/{point.pk}/" in turning.content.decode()
    page = verified_client(personas.practitioner).get(
        f"/reviews/{personas.review.reference}/chronology/entries/{entries['Neighbour'].pk}/"
    )
    assert "Findings resting on this" in page.content.decode()
    assert f"/findings/{on_second.number}/" in page.content.decode()


def test_it_flags_a_finding_that_rests_on_one_source_only(personas: Personas, evidence: dict[str, Any]) -> None:
    police_only = _finding(personas, episodes=[evidence["second"]])
    chain = selectors.chain_of(finding=police_only)
    assert chain.single_source
    assert chain.single_source_text == f"All its evidence comes from one agency's records: {personas.police.name}."
    page = verified_client(personas.lead).get(f"/reviews/{personas.review.reference}/findings/{police_only.number}/")
    assert "Rests on one source only" in page.content.decode()
    assert selectors.chain_of(finding=_finding(personas)).single_source, "no evidence at all is flagged too"
    both = _finding(personas, episodes=[evidence["first"], evidence["second"]])
    page = verified_client(personas.lead).get(f"/reviews/{personas.review.reference}/findings/{both.number}/")
    assert "Rests on one source only" not in page.content.decode()


def test_a_board_member_sees_findings_but_no_conversation_record(personas: Personas, evidence: dict[str, Any]) -> None:
    secret = "The new-birth visit, when I could not ask about domestic abuse"
    finding = _finding(personas, episodes=[evidence["first"]])
    services.board_question_add(finding=finding, text="How will the board know?", by=personas.lead, origin=TEST_ORIGIN)
    board = verified_client(personas.board)
    base = f"/reviews/{personas.review.reference}"
    page = board.get(f"{base}/findings/{finding.number}/").content.decode()
    assert finding.statement in page and "How will the board know?" in page
    assert "Health visitor 1, turning point 1" in page
    assert secret not in page
    assert "/conversations/" not in page, "no way into a conversation record"
    assert "Domestic abuse enquiry not possible".lower() not in page.lower(), (
        "no chronology text without view_chronology"
    )
    up = board.get(f"{base}/findings/turning-points/{evidence['perspective'].pk}/").content.decode()
    assert f"/findings/{finding.number}/" in up and secret not in up
    conversation = evidence["perspective"].conversation
    assert board.get(f"{base}/conversations/{conversation.pk}/").status_code in {403, 404}
    assert board.get(f"{base}/findings/new/").status_code == 403


def test_a_practitioner_reads_findings_without_changing_them(personas: Personas) -> None:
    finding = _finding(personas, statement="Professionals failed to ask")
    client = verified_client(personas.practitioner)
    base = f"/reviews/{personas.review.reference}/findings"
    page = client.get(f"{base}/{finding.number}/").content.decode()
    assert "Professionals failed to ask" in page
    assert "Change the finding" not in page and "Language check" not in page
    assert client.get(f"{base}/{finding.number}/edit/").status_code == 403
    assert client.post(f"{base}/{finding.number}/questions/", {"text": "Why?"}).status_code == 403
    assert client.get(f"{base}/rank/").status_code == 403


def test_the_language_check_advises_on_the_findings_text(personas: Personas) -> None:
    client = verified_client(personas.lead)
    base = f"/reviews/{personas.review.reference}/findings"
    response = client.post(
        f"{base}/new/",
        {"statement": "The health visitor failed to ask", "category": "human_reasoning", "valence": "creates_risk"},
        follow=True,
    )
    page = response.content.decode()
    assert "Finding 1 written" in page and "The language check found 1 phrase" in page
    assert '<mark class="cv-flagged">failed to ask</mark>' in page
    assert Finding.objects.get(review=personas.review).statement == "The health visitor failed to ask"


def test_the_views_write_rank_and_refuse_a_stale_edit(personas: Personas, evidence: dict[str, Any]) -> None:
    client = verified_client(personas.lead)
    base = f"/reviews/{personas.review.reference}/findings"
    form = {"statement": "Inboxes nobody owns", "category": "human_tool", "valence": "creates_risk"}
    client.post(f"{base}/new/", form | {"episodes": [str(evidence["first"].pk), str(evidence["second"].pk)]})
    client.post(f"{base}/new/", form | {"statement": "Notifications screened on severity alone"})
    client.post(f"{base}/1/questions/", {"text": "What would help?"})
    assert Finding.objects.get(number=1).board_questions.get().text == "What would help?"
    stale = client.post(f"{base}/1/edit/", form | {"version": "0"}, follow=True)
    assert "Someone else changed finding 1" in stale.content.decode()
    refused = client.post(f"{base}/rank/", {"rank_1": "1", "reason_1": "x", "version_1": "1", "version_2": "1"})
    assert "Give finding 2 a rank from 1 to 2" in refused.content.decode()
    client.post(
        f"{base}/rank/",
        {"rank_1": "2", "reason_1": "Fixed", "version_1": "1", "rank_2": "1", "reason_2": "Weekly", "version_2": "1"},
    )
    assert list(Finding.objects.order_by("rank").values_list("number", flat=True)) == [2, 1]


def test_the_matrix_exports_formula_safe(personas: Personas, evidence: dict[str, Any]) -> None:
    _finding(personas, statement='=HYPERLINK("x")', episodes=[evidence["second"]])
    client = verified_client(personas.lead)
    base = f"/reviews/{personas.review.reference}/findings"
    assert "Yes" in client.get(f"{base}/matrix/").content.decode()
    response = client.get(f"{base}/matrix.xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][4:] == ("Episode 1: The new-birth visit", "Episode 2: MASH screening")
    assert rows[1][2] == '\'=HYPERLINK("x")'
    assert rows[1][4:] in {("", "Yes"), (None, "Yes")}
    assert AuditEvent.objects.filter(event=Event.FINDINGS_EXPORTED).exists()
