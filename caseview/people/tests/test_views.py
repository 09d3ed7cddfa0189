"""The participants register, participant pages, consent and withdrawal through the web."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from caseview.core.audit import Event
from caseview.core.models import AuditEvent
from caseview.people import services
from caseview.people.models import Consent, Participant, ParticipantKind, ParticipationStatus
from caseview.people.tests.helpers import agreed, child, health_visitor, mother
from caseview.reviews.tests.helpers import date_parts, other_partnership
from conftest import TEST_ORIGIN, Personas, verified_client

pytestmark = pytest.mark.django_db

BASE = "/reviews/CK2019/participants"


def text(response: Any) -> str:
    return str(response.content.decode())


def practitioner_form(**changes: Any) -> dict[str, Any]:
    return {
        "label": "Health visitor 1",
        "real_name": "Hannah Vale",
        "position": "Health visitor",
        "participation_mode": "conversation",
        "participation_status": "not_yet_invited",
        **date_parts("involved_from", dt.date(2025, 5, 2)),
        **date_parts("involved_to", None),
        **changes,
    }


def family_form(**changes: Any) -> dict[str, Any]:
    return {
        "label": "Mother",
        "relationship": "Mother of Child K",
        "participation_mode": "to_be_agreed",
        "participation_status": "not_yet_invited",
        **changes,
    }


# Who may open the pages


@pytest.mark.parametrize(
    ("persona", "status"), [("board", 403), ("contact", 403), ("practitioner", 403), ("parent", 403), ("outsider", 404)]
)
def test_only_the_review_team_opens_the_register_and_participants(
    personas: Personas, persona: str, status: int
) -> None:
    participant = health_visitor(personas)
    client = verified_client(personas.by_name(persona))
    for url in (f"{BASE}/", f"{BASE}/{participant.pk}/", f"{BASE}/{participant.pk}/real-name/"):
        assert client.get(url).status_code == status, url
    response = client.post(f"{BASE}/add/?kind=family", family_form(label="Someone"))
    assert response.status_code == status
    response = client.post(f"{BASE}/{participant.pk}/consent/", {"scope": "taking_part", "agreed": "yes"})
    assert response.status_code == status
    assert Participant.objects.count() == 1
    assert not Consent.objects.exists()
    assert not AuditEvent.objects.filter(event=Event.IDENTITY_VIEWED).exists()


def test_a_participant_of_another_review_is_not_found_here(personas: Personas) -> None:
    elsewhere = other_partnership()
    theirs = services.participant_add(
        review=elsewhere.review,
        by=elsewhere.lead,
        origin=TEST_ORIGIN,
        kind=ParticipantKind.FAMILY,
        label="Mother",
        relationship="Mother of M",
    )
    client = verified_client(personas.lead)
    assert client.get(f"{BASE}/{theirs.pk}/").status_code == 404
    assert client.get(f"{BASE}/{theirs.pk}/edit/").status_code == 404


# The register


def test_the_register_groups_participants_and_shows_withdrawals(personas: Personas) -> None:
    visitor = health_visitor(personas, should_have_been_involved=True)
    parent = mother(personas, participation_status=ParticipationStatus.DECLINED)
    young = child(personas)
    consent = agreed(personas, visitor)
    services.consent_withdraw(consent=consent, withdrawn_on=dt.date(2026, 3, 9), by=None, origin=TEST_ORIGIN)
    html = text(verified_client(personas.reviewer).get(f"{BASE}/"))
    practitioners = html.split('id="practitioners"')[1].split("</table>")[0]
    family = html.split('id="family"')[1].split("</table>")[0]
    children = html.split('id="children"')[1].split("</table>")[0]
    assert visitor.label in practitioners and "Health visiting" in practitioners and ">Yes<" in practitioners
    assert parent.label in family and "Mother of Child K" in family and "Chose not to take part" in family
    assert young.label in children and "Age 8" in children
    assert "Health visitor 1 withdrew on 9 March 2026: nothing they told the review is used" in html
    assert "Hannah Vale" not in html and "Leanne Marsh" not in html


# Adding


def test_adding_asks_for_the_kind_first(personas: Personas) -> None:
    client = verified_client(personas.lead)
    html = text(client.get(f"{BASE}/add/"))
    assert "Who are you adding?" in html and "govuk-error-summary" not in html
    html = text(client.get(f"{BASE}/add/?kind=neighbour"))
    assert "Choose who you are adding" in html and "govuk-error-summary" in html
    html = text(client.get(f"{BASE}/add/?kind=child"))
    assert "Add a child or young person" in html
    assert 'name="age"' in html and 'name="child_agreement"' in html and 'name="agency"' not in html
    html = text(client.get(f"{BASE}/add/?kind=practitioner"))
    assert 'name="agency"' in html and 'name="age"' not in html and 'name="relationship"' not in html


def test_the_lead_adds_a_practitioner(personas: Personas) -> None:
    response = verified_client(personas.lead).post(
        f"{BASE}/add/?kind=practitioner", practitioner_form(agency=str(personas.health.pk))
    )
    participant = Participant.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{BASE}/{participant.pk}/"
    assert (participant.kind, participant.label, participant.agency, participant.real_name) == (
        ParticipantKind.PRACTITIONER,
        "Health visitor 1",
        personas.health,
        "Hannah Vale",
    )
    assert participant.involved_from == dt.date(2025, 5, 2)
    assert AuditEvent.objects.filter(event=Event.PARTICIPANT_ADDED, actor=personas.lead).exists()


def test_what_a_kind_needs_is_asked_for_by_field(personas: Personas) -> None:
    client = verified_client(personas.lead)
    html = text(client.post(f"{BASE}/add/?kind=practitioner", practitioner_form(position="")))
    assert 'href="#id_agency"' in html and "Choose the agency they work for" in html
    assert 'href="#id_position"' in html
    html = text(client.post(f"{BASE}/add/?kind=child", family_form(label="Child E")))
    assert 'href="#id_age"' in html and 'href="#id_child_agreement_0"' in html and 'href="#id_supporter"' in html
    html = text(client.post(f"{BASE}/add/?kind=child", family_form(label="Child E", age="eight")))
    assert "Enter their age as a number, like 8" in html
    assert not Participant.objects.exists()


def test_a_label_already_used_is_a_clear_error(personas: Personas) -> None:
    mother(personas)
    html = text(verified_client(personas.lead).post(f"{BASE}/add/?kind=family", family_form(label="MOTHER")))
    assert "There is already a participant labelled &quot;MOTHER&quot; in this review" in html
    assert 'href="#id_label"' in html
    assert Participant.objects.count() == 1


def test_choosing_not_to_take_part_asks_for_their_reason_or_that_they_gave_none(personas: Personas) -> None:
    client = verified_client(personas.lead)
    declined = family_form(participation_status="declined")
    html = text(client.post(f"{BASE}/add/?kind=family", declined))
    assert "Record their reason in their words, or tick" in html
    assert "If they gave a reason, record it in their words. They do not have to give one." in html
    assert not Participant.objects.exists()

    html = text(
        client.post(f"{BASE}/add/?kind=family", {**declined, "non_participation_reason": "x", "no_reason_given": "on"})
    )
    assert "Either record their reason or tick this box, not both" in html

    response = client.post(f"{BASE}/add/?kind=family", {**declined, "no_reason_given": "on"}, follow=True)
    participant = Participant.objects.get()
    assert (participant.participation_status, participant.non_participation_reason) == ("declined", "")
    assert "They did not give a reason. They do not have to." in text(response)


def test_a_reason_given_is_shown_in_their_words(personas: Personas) -> None:
    mother(personas, participation_status=ParticipationStatus.DECLINED, non_participation_reason="Too soon after court")
    html = text(verified_client(personas.lead).get(f"{BASE}/{Participant.objects.get().pk}/"))
    assert "Too soon after court" in html and "They did not give a reason" not in html


# The participant's page and their real name


def test_the_real_name_is_shown_only_when_asked_for_and_each_look_is_recorded(personas: Personas) -> None:
    participant = health_visitor(personas)
    client = verified_client(personas.reviewer)
    html = text(client.get(f"{BASE}/{participant.pk}/"))
    assert "Hannah Vale" not in html and "Show real name" in html
    assert "Needs a quiet room after night shifts" in html
    assert not AuditEvent.objects.filter(event=Event.IDENTITY_VIEWED).exists()

    html = text(client.get(f"{BASE}/{participant.pk}/real-name/"))
    assert '<dd class="govuk-summary-list__value" id="real-name">Hannah Vale</dd>' in html
    assert AuditEvent.objects.filter(event=Event.IDENTITY_VIEWED, actor=personas.reviewer).count() == 1
    # The edit form never shows it either.
    assert "Hannah Vale" not in text(client.get(f"{BASE}/{participant.pk}/edit/"))


# Changing


def edit_data(participant: Participant, **changes: Any) -> dict[str, Any]:
    participant.refresh_from_db()
    current = {
        "label": participant.label,
        "real_name": "",
        "agency": str(participant.agency_id),
        "position": participant.position,
        "kind": participant.kind,
        "version": str(participant.version),
    }
    return practitioner_form(**{**current, **changes})


def test_the_lead_changes_a_participants_details(personas: Personas) -> None:
    participant = health_visitor(personas)
    client = verified_client(personas.lead)
    response = client.post(f"{BASE}/{participant.pk}/edit/", edit_data(participant, kind="manager", position="Lead HV"))
    assert response.status_code == 302
    participant.refresh_from_db()
    assert (participant.kind, participant.position, participant.real_name) == ("manager", "Lead HV", "Hannah Vale")


def test_a_stale_edit_is_refused_and_shows_the_other_change(personas: Personas) -> None:
    participant = health_visitor(personas)
    stale = edit_data(participant, position="Mine")
    services.participant_update(
        participant=participant, expected_version=1, by=personas.reviewer, origin=TEST_ORIGIN, position="Theirs"
    )
    response = verified_client(personas.lead).post(f"{BASE}/{participant.pk}/edit/", stale)
    html = text(response)
    assert response.status_code == 200
    assert "Someone else changed Health visitor 1&#x27;s details" in html
    assert 'value="Mine"' in html, "the lead's typing is kept"
    assert "Saved by someone else while you were editing:" in html and "Theirs" in html
    participant.refresh_from_db()
    assert participant.position == "Theirs"


# Linking an account


def test_the_lead_links_a_participant_to_a_practitioners_account(personas: Personas) -> None:
    participant = health_visitor(personas)
    client = verified_client(personas.lead)
    membership = personas.review.memberships.get(user=personas.practitioner)
    html = text(client.get(f"{BASE}/{participant.pk}/account/"))
    assert "Case-group practitioner, Health visiting" in html
    assert str(personas.review.memberships.get(user=personas.parent).pk) not in html
    response = client.post(f"{BASE}/{participant.pk}/account/", {"membership": str(membership.pk)})
    assert response.status_code == 302
    participant.refresh_from_db()
    assert participant.user == personas.practitioner
    client.post(f"{BASE}/{participant.pk}/account/", {"membership": "none"})
    participant.refresh_from_db()
    assert participant.user is None


# Consent


def test_the_lead_records_consent_and_a_withdrawal_after_confirming_it(personas: Personas) -> None:
    participant = mother(personas)
    client = verified_client(personas.lead)
    response = client.post(
        f"{BASE}/{participant.pk}/consent/",
        {
            "scope": "taking_part",
            "agreed": "yes",
            "how_given": "Signed form",
            **date_parts("given_on", dt.date(2026, 3, 2)),
        },
    )
    assert response.status_code == 302
    consent = Consent.objects.get(participant=participant)
    assert (consent.scope, consent.agreed, consent.given_on) == ("taking_part", True, dt.date(2026, 3, 2))

    url = f"{BASE}/{participant.pk}/consent/taking_part/withdraw/"
    html = text(client.get(url))
    assert "Nothing Mother told the review will be used in any output made from now on" in html
    html = text(client.post(url, {**date_parts("withdrawn_on", dt.date(2026, 3, 1)), "reason": ""}))
    assert "The date they withdrew must be on or after they agreed (2 March 2026)" in html
    response = client.post(url, {**date_parts("withdrawn_on", dt.date(2026, 3, 9)), "reason": "Too hard right now"})
    assert response.status_code == 302
    consent.refresh_from_db()
    assert (consent.withdrawn_on, consent.withdrawal_reason) == (dt.date(2026, 3, 9), "Too hard right now")

    html = text(client.get(f"{BASE}/{participant.pk}/"))
    assert "Mother withdrew on 9 March 2026: nothing they told the review is used" in html
    assert "Their reason: Too hard right now" in html
    assert "already withdrew this on 9 March 2026" in text(client.get(url))
    assert client.get(f"{BASE}/{participant.pk}/consent/quotation/withdraw/").status_code == 404


def test_a_childs_consent_asks_who_gave_it(personas: Personas) -> None:
    young = child(personas)
    client = verified_client(personas.lead)
    assert 'name="given_by"' in text(client.get(f"{BASE}/{young.pk}/consent/"))
    assert 'name="given_by"' not in text(client.get(f"{BASE}/{mother(personas).pk}/consent/"))
    html = text(
        client.post(
            f"{BASE}/{young.pk}/consent/",
            {"scope": "taking_part", "agreed": "yes", **date_parts("given_on", dt.date(2026, 3, 2))},
        )
    )
    assert "Enter who gave consent with the child&#x27;s assent" in html
    assert not Consent.objects.filter(participant=young).exists()
