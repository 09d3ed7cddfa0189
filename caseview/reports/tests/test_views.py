"""The report's pages: building in the background, reading a version, downloads, sharing, comments, sign-off."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from caseview.core.audit import Event
from caseview.core.models import AuditEvent, Job
from caseview.reports import services
from caseview.reports.models import ReportComment, ReportNarrative, ReportVersion
from caseview.reports.tests.data import small_review
from caseview.reviews.models import Review, Stage
from conftest import TEST_ORIGIN, Personas

pytestmark = pytest.mark.django_db
ClientFor = Callable[..., Client]


def test_it_builds_a_version_in_the_background_and_lists_it(personas: Personas, client_for: ClientFor) -> None:
    review = small_review(personas)
    client = client_for(personas.reviewer)
    response = client.post(f"/reviews/{review.reference}/report/build/", {"audience": "public"})
    job = Job.objects.get(kind="report_build")
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert job.status == Job.Status.SUCCEEDED and job.next_url == f"/reviews/{review.reference}/report/"
    built = AuditEvent.objects.get(event=Event.REPORT_BUILT)
    assert (built.actor, built.ip_address) == (personas.reviewer, "127.0.0.1")
    version = ReportVersion.objects.get(review=review)
    assert (version.audience, version.number, version.created_by) == ("public", 1, personas.reviewer)
    page = client.get(f"/reviews/{review.reference}/report/").content.decode()
    assert "Public version 1" in page
    assert "Build a new team version" in page


def test_a_board_member_never_sees_the_team_version(personas: Personas, client_for: ClientFor) -> None:
    review = small_review(personas)
    team = services.version_build(review=review, audience="team", by=personas.lead, origin=TEST_ORIGIN)
    board = services.version_build(review=review, audience="board", by=personas.lead, origin=TEST_ORIGIN)
    client = client_for(personas.board)
    page = client.get(f"/reviews/{review.reference}/report/").content.decode()
    assert "Board version 1" in page and "Team version" not in page and "Build a new" not in page
    assert client.get(f"/reviews/{review.reference}/report/versions/{team.pk}/").status_code == 404
    assert client.get(f"/reviews/{review.reference}/report/versions/{team.pk}/download/pdf/").status_code == 404
    assert client.get(f"/reviews/{review.reference}/report/versions/{board.pk}/").status_code == 200
    assert not AuditEvent.objects.filter(event=Event.IDENTITY_VIEWED).exists()
    assert (
        client_for(personas.reviewer).get(f"/reviews/{review.reference}/report/versions/{team.pk}/").status_code == 200
    )
    assert AuditEvent.objects.get(event=Event.IDENTITY_VIEWED).actor == personas.reviewer


def test_it_downloads_each_format_and_records_it(personas: Personas, client_for: ClientFor) -> None:
    review = small_review(personas)
    version = services.version_build(review=review, audience="board", by=personas.lead, origin=TEST_ORIGIN)
    client = client_for(personas.lead)
    base = f"/reviews/{review.reference}/report/versions/{version.pk}/download"
    pdf = client.get(f"{base}/pdf/")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert pdf["Content-Disposition"] == 'attachment; filename="CK2019-report-board-v1.pdf"'
    assert client.get(f"{base}/docx/").content.startswith(b"PK")
    assert b'<h2 id="findings">3. Findings</h2>' in client.get(f"{base}/html/").content
    assert client.get(f"{base}/xlsx/").status_code == 404
    assert AuditEvent.objects.filter(event=Event.REPORT_DOWNLOADED, actor=personas.lead).count() == 3


def test_the_narrative_page_saves_and_shows_the_language_check(personas: Personas, client_for: ClientFor) -> None:
    review = small_review(personas)
    client = client_for(personas.lead)
    url = f"/reviews/{review.reference}/report/parts/overview/"
    response = client.post(url, {"text": "The health visitor failed to ask about the partner.", "version": "1"})
    assert response.status_code == 302 and response["Location"] == url
    assert ReportNarrative.objects.get(review=review, part="overview").version == 2
    page = client.get(url).content.decode()
    assert "“failed to ask”" in page and "did not ask" in page
    stale = client.post(url, {"text": "Older text", "version": "1"}, follow=True).content.decode()
    assert "Someone else changed" in stale
    assert client.get(f"/reviews/{review.reference}/report/parts/nonsense/").status_code == 404


def test_the_case_group_reads_a_shared_draft_and_comments(personas: Personas, client_for: ClientFor) -> None:
    review = small_review(personas)
    version = services.version_build(review=review, audience="board", by=personas.lead, origin=TEST_ORIGIN)
    lead = client_for(personas.lead)
    lead.post(f"/reviews/{review.reference}/report/versions/{version.pk}/share/", {"case_group": "on"})
    practitioner = client_for(personas.practitioner)
    listing = practitioner.get(f"/reviews/{review.reference}/report/shared/").content.decode()
    assert f"/reviews/{review.reference}/report/shared/{version.pk}/" in listing
    url = f"/reviews/{review.reference}/report/shared/{version.pk}/"
    empty = practitioner.post(url, {"section_key": "", "text": ""}).content.decode()
    assert "govuk-error-summary" in empty and "Enter your comment" in empty
    response = practitioner.post(url, {"section_key": "summary", "text": "It was May, not June."})
    assert response.status_code == 302
    assert ReportComment.objects.get(version=version).text == "It was May, not June."
    assert (
        "It was May, not June."
        in lead.get(f"/reviews/{review.reference}/report/versions/{version.pk}/").content.decode()
    )
    assert client_for(personas.parent).get(url).status_code == 404, "not shared with the family"


def test_sign_off_from_the_page_makes_the_version_final(personas: Personas, client_for: ClientFor) -> None:
    review = small_review(personas)
    version = services.version_build(review=review, audience="public", by=personas.lead, origin=TEST_ORIGIN)
    url = f"/reviews/{review.reference}/report/versions/{version.pk}/"
    board = client_for(personas.board)
    assert "Sign off this version" in board.get(url).content.decode()
    board.post(f"{url}sign-off/")
    client_for(personas.lead).post(f"{url}sign-off/")
    page = board.get(url).content.decode()
    assert "Signed off and final" in page and "Sign off this version" not in page


def _final_public(review: Any, personas: Personas) -> ReportVersion:
    public = services.version_build(review=review, audience="public", by=personas.lead, origin=TEST_ORIGIN)
    services.sign_off(version=public, by=personas.board, origin=TEST_ORIGIN)
    return services.sign_off(version=public, by=personas.lead, origin=TEST_ORIGIN)


def test_the_partners_decision_not_to_publish_is_recorded_and_stops_publication(
    personas: Personas, client_for: ClientFor
) -> None:
    review = small_review(personas)
    Review.objects.filter(pk=review.pk).update(stage=Stage.SENT_TO_PANEL)
    public = _final_public(review, personas)
    url = f"/reviews/{review.reference}/report/versions/{public.pk}/"
    client = client_for(personas.lead)
    assert "The partners decided not to publish it" in client.get(url).content.decode()
    today = timezone.localdate()
    blank = client.post(
        f"{url}not-published/",
        {"decided_on_day": today.day, "decided_on_month": today.month, "decided_on_year": today.year, "reason": " "},
    )
    page = blank.content.decode()
    assert blank.status_code == 200 and "Enter why the report is not published" in page
    assert '<details class="govuk-details" open>' in page, "the form stays open to show its error"
    assert ReportVersion.objects.get(pk=public.pk).not_published_on is None
    response = client.post(
        f"{url}not-published/",
        {
            "decided_on_day": today.day,
            "decided_on_month": today.month,
            "decided_on_year": today.year,
            "reason": "The child's sibling would be identified at school.",
            "improvements_url": "https://www.example.gov.uk/learning/ck2019",
        },
    )
    assert response.status_code == 302
    public.refresh_from_db()
    assert public.not_published_on == today
    assert public.improvements_published_url == "https://www.example.gov.uk/learning/ck2019"
    review.refresh_from_db()
    assert review.stage == Stage.NOT_PUBLISHED_IMPROVEMENTS_PUBLISHED
    assert AuditEvent.objects.filter(event=Event.REPORT_NOT_PUBLISHED, review=review).count() == 1
    page = client.get(url).content.decode()
    assert "Not published" in page and "The child&#x27;s sibling would be identified at school." in page
    assert "Publish this version" not in page and "The partners decided not to publish it" not in page
    home = client.get(f"/reviews/{review.reference}/report/").content.decode()
    assert '<strong class="govuk-tag govuk-tag--grey">Not published</strong>' in home, "the versions list says so"
    assert services.publication_blockers(version=public) == [
        f"The safeguarding partners decided on {today:%-d %B %Y} not to publish Public version 1."
    ]
    board = client_for(personas.board)
    assert board.post(f"{url}not-published/", {"reason": "x"}).status_code == 403, "a lead reviewer records it"


def test_a_refused_publication_says_why_in_the_error_summary(personas: Personas, client_for: ClientFor) -> None:
    review = small_review(personas)
    public = _final_public(review, personas)
    response = client_for(personas.lead).post(
        f"/reviews/{review.reference}/report/versions/{public.pk}/publish/", {"publication_url": "not an address"}
    )
    assert response.status_code == 200
    assert "Enter the address as a full web address, starting https://" in response.content.decode()
    response = client_for(personas.lead).post(f"/reviews/{review.reference}/report/versions/{public.pk}/publish/", {})
    summary = response.content.decode().split('class="govuk-error-summary"')[1].split("</ul>")[0]
    assert "Record the day this version went to the Child Safeguarding Practice Review Panel" in summary
    assert ReportVersion.objects.get(pk=public.pk).published_at is None
