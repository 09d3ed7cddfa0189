"""The readiness page, publication_readiness, and overriding a gate: lead reviewers only, with a reason, and
withdrawable."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from caseview.core.audit import Event
from caseview.core.models import AuditEvent
from caseview.quality import services
from caseview.quality.models import GateOverride
from caseview.quality.selectors import publication_readiness
from caseview.quality.tests.builders import Ready, ready_review
from conftest import TEST_ORIGIN, Personas, verified_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready(personas: Personas) -> Ready:
    return ready_review(personas)


def test_it_is_not_ready_while_any_gate_fails_and_ready_once_each_passes_or_is_overridden(
    ready: Ready, personas: Personas
) -> None:
    state = publication_readiness(ready.review)
    assert (state.ready, state.passed_count, [status.gate.code for status in state.failing]) == (
        False,
        8,
        ["G9", "G10"],
    )
    for gate in ("G9", "G10"):
        services.gate_override(
            review=ready.review, gate=gate, reason="Agreed with the board", by=personas.lead, origin=TEST_ORIGIN
        )
    state = publication_readiness(ready.review)
    assert state.ready and state.passed_count == 8 and state.overridden_count == 2
    assert all(status.cleared for status in state.gates)


def test_it_records_an_override_with_who_when_and_why_and_audits_it(ready: Ready, personas: Personas) -> None:
    override = services.gate_override(
        review=ready.review,
        gate="G9",
        reason="  The report is checked by hand.  ",
        by=personas.lead,
        origin=TEST_ORIGIN,
    )
    assert (override.reason, override.overridden_by, override.in_force) == (
        "The report is checked by hand.",
        personas.lead,
        True,
    )
    event = AuditEvent.objects.get(event=Event.GATE_OVERRIDDEN)
    assert event.detail == {"gate": "G9", "reason": "The report is checked by hand."}


def test_it_refuses_an_override_without_a_reason_of_a_passing_gate_or_twice(ready: Ready, personas: Personas) -> None:
    with pytest.raises(ValidationError) as caught:
        services.gate_override(review=ready.review, gate="G9", reason=" ", by=personas.lead, origin=TEST_ORIGIN)
    assert caught.value.message_dict == {"reason": ["Give the reason for overriding the gate"]}
    with pytest.raises(ValidationError) as caught:
        services.gate_override(review=ready.review, gate="G1", reason="Why not", by=personas.lead, origin=TEST_ORIGIN)
    assert caught.value.message_dict == {"gate": ["Gate G1 passes: there is nothing to override"]}
    services.gate_override(review=ready.review, gate="G9", reason="Once", by=personas.lead, origin=TEST_ORIGIN)
    with pytest.raises(ValidationError):
        services.gate_override(review=ready.review, gate="G9", reason="Twice", by=personas.lead, origin=TEST_ORIGIN)
    assert GateOverride.objects.count() == 1


def test_it_withdraws_an_override_and_keeps_it_in_the_history(ready: Ready, personas: Personas) -> None:
    services.gate_override(review=ready.review, gate="G9", reason="First", by=personas.lead, origin=TEST_ORIGIN)
    services.gate_override_withdraw(review=ready.review, gate="G9", by=personas.lead, origin=TEST_ORIGIN)
    assert not publication_readiness(ready.review).ready
    services.gate_override(review=ready.review, gate="G9", reason="Second", by=personas.lead, origin=TEST_ORIGIN)
    assert [item.in_force for item in GateOverride.objects.order_by("overridden_at")] == [False, True]
    assert AuditEvent.objects.filter(event=Event.GATE_OVERRIDE_WITHDRAWN).count() == 1
    with pytest.raises(ValidationError):
        services.gate_override_withdraw(review=ready.review, gate="G1", by=personas.lead, origin=TEST_ORIGIN)


def test_an_override_stops_counting_once_the_gate_passes(ready: Ready, personas: Personas) -> None:
    ready.review.questions.all().delete()
    services.gate_override(review=ready.review, gate="G1", reason="Agreed", by=personas.lead, origin=TEST_ORIGIN)
    assert publication_readiness(ready.review).gates[0].overridden
    ready.review.questions.create(number=1, text="How well do agencies share?")
    first = publication_readiness(ready.review).gates[0]
    assert first.passed and not first.overridden


def test_the_page_shows_counts_tags_and_each_problem_linking_to_its_fix(ready: Ready, personas: Personas) -> None:
    ready.review.questions.all().delete()
    page = verified_client(personas.lead).get("/reviews/CK2019/quality/").content.decode()
    assert "7 of 10 gates passed" in page
    assert page.count('govuk-tag--green">Passed') == 7
    assert page.count('govuk-tag--red">Not passed') == 3
    assert "The review has no question it is curious to answer." in page
    assert 'href="/reviews/CK2019/questions/new/">Add a question</a>' in page
    assert 'href="/reviews/CK2019/quality/gates/G9/override/"' in page


def test_the_page_shows_an_override_with_who_when_and_why(ready: Ready, personas: Personas) -> None:
    services.gate_override(
        review=ready.review, gate="G10", reason="The board meets next week", by=personas.lead, origin=TEST_ORIGIN
    )
    page = verified_client(personas.reviewer).get("/reviews/CK2019/quality/").content.decode()
    assert "8 of 10 gates passed, 1 overridden" in page
    assert "Overridden</strong>" in page
    assert "By lead on" in page and "The board meets next week" in page
    assert "Withdraw the override" not in page, "only a lead reviewer withdraws"


def test_the_board_reads_the_problems_without_links_it_cannot_follow(ready: Ready, personas: Personas) -> None:
    ready.review.questions.all().delete()
    page = verified_client(personas.board).get("/reviews/CK2019/quality/").content.decode()
    assert "The review has no question it is curious to answer." in page
    assert "/questions/new/" not in page
    assert "No public version of the report has been built yet." in page
    assert "Build the public report" not in page, "the board does not build reports"
    assert f'href="/reviews/CK2019/findings/{ready.finding.number}/response/"' in page, "but records its response"
    assert "/override/" not in page


def test_a_lead_reviewer_overrides_and_withdraws_through_the_pages(ready: Ready, personas: Personas) -> None:
    client = verified_client(personas.lead)
    form = client.get("/reviews/CK2019/quality/gates/G9/override/")
    assert "No public version of the report has been built yet." in form.content.decode()
    empty = client.post("/reviews/CK2019/quality/gates/G9/override/", {"reason": ""})
    assert "There is a problem" in empty.content.decode() and not GateOverride.objects.exists()
    done = client.post("/reviews/CK2019/quality/gates/G9/override/", {"reason": "Checked by hand"})
    assert done["Location"] == "/reviews/CK2019/quality/"
    assert GateOverride.objects.get().reason == "Checked by hand"
    client.post("/reviews/CK2019/quality/gates/G9/override/withdraw/")
    assert not GateOverride.objects.get().in_force
    assert "nothing to override" in client.get("/reviews/CK2019/quality/gates/G1/override/").content.decode()
    assert client.get("/reviews/CK2019/quality/gates/G11/override/").status_code == 404


@pytest.mark.parametrize("persona", ["reviewer", "board", "admin"])
def test_only_a_lead_reviewer_may_override(ready: Ready, personas: Personas, persona: str) -> None:
    client = verified_client(personas.by_name(persona))
    assert client.post("/reviews/CK2019/quality/gates/G9/override/", {"reason": "Mine"}).status_code == 403
    assert not GateOverride.objects.exists()
