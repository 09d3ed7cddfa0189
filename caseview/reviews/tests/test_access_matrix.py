"""Every URL of the project, for every persona: who gets the page, who gets 403, who gets 404.

The expected answer comes from each view's declared access rule and the permission table in rules.py, so a
new URL without a rule fails here, and a view that checks less than its rule says fails here too.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from caseview.accounts.services import password_setup_token
from caseview.analysis import agreement, flow_services, narrative
from caseview.analysis import services as analysis_services
from caseview.analysis.models import (
    Channel,
    Communication,
    ContributoryFactorType,
    Effect,
    FactorGroup,
    IndependentCode,
    KeyPracticeEpisode,
    MarkKind,
    NarrativeSection,
    Significance,
    Valence,
)
from caseview.chronology import services as chronology_services
from caseview.chronology.models import ChronologyEntry, EntryLink
from caseview.conversations import services as conversation_services
from caseview.conversations.models import Audience, Conversation, Letter, LetterKind, Perspective, RecordVersion
from caseview.conversations.records import record_snapshot
from caseview.conversations.tests.own_records import practitioner_record
from caseview.core.models import Job
from caseview.findings import board_services
from caseview.findings import services as findings_services
from caseview.findings.models import ActionPlanItem, ActionStatus, BoardQuestion, Finding, FindingValence
from caseview.meetings import services as meeting_services
from caseview.meetings.models import MeetingKind
from caseview.people import services as people_services
from caseview.people.models import ConsentScope, Participant, ParticipantKind
from caseview.reports import check_services, registry_services
from caseview.reports import services as report_services
from caseview.reports.models import (
    EntryKind,
    NarrativePart,
    PublicationCheck,
    RegistryEntry,
    ReportAudience,
    ReportVersion,
)
from caseview.reviews import parallel_services
from caseview.reviews.access import PARTNERSHIP_RULES
from caseview.reviews.models import ParallelProcess, ParallelProcessKind, ParallelProcessStatus
from caseview.reviews.rules import PERMISSIONS, can, roles_in
from conftest import PERSONA_NAMES, TEST_ORIGIN, Personas, verified_client

# Views that only take POST: whoever could reach them gets 405 for a GET.
POST_ONLY = {
    "accounts:sign-out",
    "partnerships:person-setup-link",
    "partnerships:person-reset-second-factor",
    "chronology:entry-comment",
    "chronology:link-decide",
    "chronology:return-upload",
    "chronology:return-release",
    "conversations:letter-sent",
    "partnerships:letter-reset",
    "analysis:perspective-episode",
    "analysis:perspective-link",
    "analysis:episode-entry-remove",
    "analysis:episode-perspective-remove",
    "analysis:episode-complete",
    "analysis:episode-share",
    "analysis:episode-remove",
    "analysis:reference-add",
    "analysis:reference-remove",
    "analysis:factor-remove",
    "analysis:question-add",
    "analysis:question-remove",
    "findings:question-add",
    "findings:question-remove",
    "partnership-factors:item-remove",
    "analysis:independent-code-add",
    "analysis:independent-code-remove",
    "analysis:independent-submit",
    "analysis:independent-carry",
    "analysis:narrative-share",
    "analysis:narrative-section-remove",
    "analysis:narrative-section-share",
    "analysis:narrative-mark-remove",
    "analysis:narrative-comment",
    "analysis:communication-remove",
    "reviews:parallel-process-remove",
    "reviews:parallel-processes-none",
    "quality:override-withdraw",
    "quality:marker-assess",
    "publication:registry-remove",
    "publication:check-override",
    "reports:build",
    "reports:share",
    "reports:sign-off",
    "reports:publish",
    "reports:sent-to-panel",
    "reports:repository-submitted",
    "reports:not-published",
}
# Pages of one agency's return: its own authors (here the police contact) and lead reviewers only.
POLICE_RETURN_PAGES = {
    "chronology:return",
    "chronology:upload",
    "chronology:return-entry-add",
    "chronology:return-upload",
    "chronology:return-release",
    "analysis:perspective-episode",
    "analysis:perspective-link",
    "analysis:episode-entry-remove",
    "analysis:episode-perspective-remove",
    "analysis:episode-complete",
    "analysis:episode-share",
    "analysis:episode-remove",
    "analysis:reference-add",
    "analysis:reference-remove",
    "analysis:factor-remove",
    "analysis:question-add",
    "analysis:question-remove",
    "partnership-factors:item-remove",
}
# Pages of one conversation record that its participant checks: here the practitioner's; the parent, who checks
# a record of their own, is not even told it exists.
OWN_RECORD_PAGES = {
    "conversations:check",
    "conversations:check-comment",
    "conversations:check-section",
    "conversations:check-turning-point",
    "conversations:check-agree",
}
# A meeting's page: those who arrange meetings, and those invited (here the practitioner, not the parent).
INVITED_ONLY_PAGES = {"meetings:meeting"}
# The review team's list of conversations sends a participant on to their own records.
SENDS_PARTICIPANTS_ON = {"conversations:list"}
# Signed-in pages that bounce a person with nothing to show back somewhere else.
REDIRECTS_WHEN_NOTHING_TO_SHOW = {"accounts:backup-codes", "accounts:two-factor-verify", "accounts:sign-in"}


@dataclass
class Route:
    name: str
    pattern: str
    callback: Any


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[Route]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield Route(name=f"{namespace}{entry.name}", pattern=prefix + str(entry.pattern), callback=entry.callback)


def all_routes() -> list[Route]:
    return list(_walk(get_resolver().url_patterns))


def _url(route: Route, personas: Personas) -> str:
    membership = personas.review.memberships.get(user=personas.practitioner)
    uidb64, token = password_setup_token(user=personas.practitioner)
    job = Job.objects.get_or_create(
        kind="test",
        description="A job the lead reviewer started",
        function="caseview.core.jobs.no_progress",
        created_by=personas.lead,
        status=Job.Status.SUCCEEDED,
    )[0]
    chronology = _chronology(personas)
    people = _people(personas)
    letter = _letter(personas)
    conversation = _conversation(personas)
    analysis = _analysis(personas, chronology["entry"], conversation["perspective"])
    independent = _agreement(personas)
    told = _narrative(personas, chronology["entry"], conversation["perspective"])
    flow = _flow(personas, chronology["entry"])
    finding = _findings(personas)
    process = _parallel(personas)
    _board(personas)
    publication = _publication(personas)
    report = _report(personas)
    values = {
        "<uuid:conversation_id>": str(_own_record(personas).pk),
        "<slug:section_key>": "overview",
        "<uuid:job_id>": str(job.pk),
        "<uuid:return_id>": str(chronology["return"]),
        "<uuid:upload_id>": str(chronology["upload"]),
        "<uuid:entry_id>": str(chronology["entry"]),
        "<int:link_id>": str(chronology["link"]),
        "<str:fmt>": "csv",
        "<uuid:participant_id>": str(people["participant"]),
        "<str:scope>": ConsentScope.TAKING_PART.value,
        "<uuid:meeting_id>": str(people["meeting"]),
        "<uuid:perspective_id>": str(conversation["perspective"]),
        "<uuid:file_id>": str(conversation["file"]),
        "<int:version>": "1",
        "<str:reference>": personas.review.reference,
        "<int:number>": "1",
        "<uuid:membership_id>": str(membership.pk),
        "<uuid:partnership_id>": str(personas.partnership.pk),
        "<int:user_id>": str(personas.practitioner.pk),
        "<str:uidb64>": uidb64,
        "<str:token>": token,
        "<uuid:letter_id>": str(letter.pk),
        "<str:letter_kind>": LetterKind.INTRODUCTION.value,
        "<str:audience>": Audience.FAMILY.value,
        "<uuid:reference_id>": str(analysis["reference"]),
        "<uuid:factor_id>": str(analysis["factor"]),
        "<uuid:question_id>": str(analysis["question"]),
        "<uuid:item_id>": str(analysis["item"]),
        "<uuid:code_id>": str(independent["code"]),
        "<uuid:section_id>": str(told["section"]),
        "<uuid:mark_id>": str(told["mark"]),
        "<uuid:comment_id>": str(told["comment"]),
        "<uuid:communication_id>": str(flow["communication"]),
        "<uuid:board_question_id>": str(finding["board_question"]),
        "<uuid:process_id>": str(process.pk),
        "<str:gate>": "G9",
        "<uuid:registry_entry_id>": str(publication["entry"]),
        "<uuid:check_id>": str(publication["check"]),
        "<uuid:report_version_id>": str(report.pk),
        "<slug:part>": NarrativePart.WHY_THIS_CASE.value,
        "<slug:file_format>": "html",
    }
    url = "/" + route.pattern
    for placeholder, value in values.items():
        url = url.replace(placeholder, value)
    assert "<" not in url, f"test_access_matrix does not know how to fill in {url}"
    return url


def _own_record(personas: Personas) -> Conversation:
    """The practitioner's conversation record, shared with them to check."""
    return Conversation.objects.filter(participant__user=personas.practitioner).first() or practitioner_record(personas)


def _chronology(personas: Personas) -> dict[str, Any]:
    """A released health visiting return and a released police return with a file waiting, and a link."""
    review = personas.review
    existing = review.agency_returns.filter(agency=personas.police).first()
    if existing:
        link = EntryLink.objects.get(review=review)
        return {"return": existing.pk, "upload": existing.uploads.get().pk, "entry": link.first_id, "link": link.pk}
    entries = []
    for agency in (personas.health, personas.police):
        agency_return = chronology_services.return_for_agency(review=review, agency=agency, by=None, origin=TEST_ORIGIN)
        entries.append(
            chronology_services.return_entry_add(
                agency_return=agency_return,
                date_text="10/11/2018",
                time_text="",
                description="Home visit",
                source="Case record",
                people="",
                significant=False,
                by=personas.lead,
                origin=TEST_ORIGIN,
            )
        )
        if agency == personas.police:
            upload = chronology_services.upload_receive(
                agency_return=agency_return,
                filename="more.csv",
                data=b"Date,Details,Source\n11/11/2018,Call,Log\n",
                by=personas.contact,
                origin=TEST_ORIGIN,
            )
        chronology_services.return_release(agency_return=agency_return, by=personas.lead, origin=TEST_ORIGIN)
    first, second = sorted(entries, key=lambda entry: entry.pk)
    # Releasing the second return offered the two visits as the same event; make sure of it either way.
    link = EntryLink.objects.get_or_create(review=review, first=first, second=second, defaults={"score": 0.9})[0]
    return {"return": agency_return.pk, "upload": upload.pk, "entry": first.pk, "link": link.pk}


def _people(personas: Personas) -> dict[str, Any]:
    """The practitioner as participant Health visitor 1, who agreed to take part, invited to a case group meeting."""
    review = personas.review
    participant = review.participants.filter(label="Health visitor 1").first()
    if participant is None:
        participant = people_services.participant_add(
            review=review,
            by=personas.lead,
            origin=TEST_ORIGIN,
            kind=ParticipantKind.PRACTITIONER,
            label="Health visitor 1",
            agency=personas.health,
            position="Health visitor",
            user=personas.practitioner,
        )
        people_services.consent_record(
            participant=participant,
            scope=ConsentScope.TAKING_PART,
            agreed=True,
            given_on=dt.date(2026, 3, 2),
            by=personas.lead,
            origin=TEST_ORIGIN,
        )
        meeting = meeting_services.meeting_arrange(
            review=review,
            by=personas.lead,
            origin=TEST_ORIGIN,
            kind=MeetingKind.CASE_GROUP,
            title="Case group meeting 1",
            held_on=dt.date(2026, 4, 14),
        )
        meeting_services.meeting_invitations_set(
            meeting=meeting,
            participants=[participant],
            members=[],
            invited_on=dt.date(2026, 3, 3),
            expected_version=meeting.version,
            by=personas.lead,
            origin=TEST_ORIGIN,
        )
    return {"participant": participant.pk, "meeting": review.meetings.get().pk}


def _letter(personas: Personas) -> Letter:
    """An introductory letter prepared for the practitioner's participant record (see _people)."""
    participant = Participant.objects.get(review=personas.review, label="Health visitor 1")
    return participant.letters.first() or Letter.objects.create(
        participant=participant,
        kind=LetterKind.INTRODUCTION,
        audience=Audience.PRACTITIONER,
        subject="A review you are invited to take part in",
        body="Dear Health visitor 1,\n\nThank you.",
    )


def _conversation(personas: Personas) -> dict[str, Any]:
    """The practitioner's own record (see _own_record), with a file and a kept first version."""
    existing = _own_record(personas)
    if not existing.files.exists():
        conversation_services.file_attach(
            conversation=existing, kind="notes", name="notes.txt", data=b"Notes", by=personas.lead, origin=TEST_ORIGIN
        )
        RecordVersion.objects.create(
            conversation=existing,
            number=1,
            snapshot=json.dumps(record_snapshot(existing)),
            status="agreed",
            made_by=personas.practitioner,
            made_at=timezone.now(),
        )
    return {
        "conversation": existing.pk,
        "perspective": existing.perspectives.get().pk,
        "file": existing.files.get().pk,
    }


def _analysis(personas: Personas, entry_id: Any, perspective_id: Any) -> dict[str, Any]:
    """Episode 1 (the number `<int:number>` becomes), shared with the case group so that its practitioners may
    open it, with the practitioner's turning point (see _conversation), a reference, a factor and a question;
    and a partnership's own framework item."""
    review = personas.review
    episode = KeyPracticeEpisode.objects.filter(review=review, number=1).first()
    if episode is None:
        perspective = Perspective.objects.get(pk=perspective_id)
        episode = analysis_services.episode_create(
            review=review,
            title="The home visit",
            period_start=dt.date(2018, 11, 10),
            valence=Valence.PROBLEMATIC,
            entries=[ChronologyEntry.objects.get(pk=entry_id)],
            perspectives=[perspective],
            by=personas.lead,
            origin=TEST_ORIGIN,
        )
        analysis_services.episode_share(episode=episode, shared=True, by=personas.lead, origin=TEST_ORIGIN)
        analysis_services.reference_add(
            episode=episode,
            kind="guidance",
            title="Working Together",
            year=2018,
            citation="",
            by=personas.lead,
            origin=TEST_ORIGIN,
        )
        analysis_services.factor_add(
            episode=episode,
            factor_type=ContributoryFactorType.objects.get(key="work_workload"),
            effect=Effect.HINDERED,
            significance=Significance.HIGH,
            description="Eleven visits that day",
            by=personas.lead,
            origin=TEST_ORIGIN,
        )
        analysis_services.question_add(episode=episode, text="Is this usual?", by=personas.lead, origin=TEST_ORIGIN)
        analysis_services.framework_item_add(
            partnership=personas.partnership,
            group=FactorGroup.objects.get(key="conditions_of_work", framework__current=True),
            label="Hot-desking",
            by=personas.admin,
            origin=TEST_ORIGIN,
        )
    return {
        "reference": episode.references.get().pk,
        "factor": episode.factors.get().pk,
        "question": episode.open_questions.get().pk,
        "item": ContributoryFactorType.objects.get(partnership=personas.partnership).pk,
    }


def _agreement(personas: Personas) -> dict[str, Any]:
    """The lead's independent appraisal of episode 1 (see _analysis), a draft with one factor code."""
    code = IndependentCode.objects.filter(appraisal__reviewer=personas.lead).first()
    if code is None:
        code = agreement.code_add(
            episode=KeyPracticeEpisode.objects.get(review=personas.review, number=1),
            factor_type=ContributoryFactorType.objects.get(key="work_workload"),
            effect=Effect.HINDERED,
            by=personas.lead,
            origin=TEST_ORIGIN,
        )
    return {"code": code.pk}


def _narrative(personas: Personas, entry_id: Any, perspective_id: Any) -> dict[str, Any]:
    """A narrative section telling episode 1 (see _analysis), shared with the case group so that its
    practitioners may open it, with a mark on the practitioner's turning point and a comment from them."""
    section = NarrativeSection.objects.filter(review=personas.review).first()
    if section is None:
        section = narrative.section_add(
            review=personas.review,
            title="Autumn 2018",
            period_start=dt.date(2018, 9, 1),
            period_end=dt.date(2018, 11, 30),
            episode=KeyPracticeEpisode.objects.get(review=personas.review, number=1),
            by=personas.lead,
            origin=TEST_ORIGIN,
        )
        narrative.mark_add(
            section=section,
            kind=MarkKind.RECORD_RECOLLECTION,
            note="The record and her memory of the visit differ",
            entries=[ChronologyEntry.objects.get(pk=entry_id)],
            perspectives=[Perspective.objects.get(pk=perspective_id)],
            by=personas.lead,
            origin=TEST_ORIGIN,
        )
        section = narrative.section_share(section=section, shared=True, by=personas.lead, origin=TEST_ORIGIN)
        narrative.comment_add(section=section, text="That is right", by=personas.practitioner, origin=TEST_ORIGIN)
    return {"section": section.pk, "mark": section.marks.get().pk, "comment": section.comments.get().pk}


def _flow(personas: Personas, entry_id: Any) -> dict[str, Any]:
    """A communication from the police to health visiting, recorded on the entry of `_chronology`."""
    entry = ChronologyEntry.objects.get(pk=entry_id)
    communication = Communication.objects.filter(entry=entry).first() or flow_services.communication_add(
        entry=entry,
        sent_on=dt.date(2018, 11, 10),
        sender=personas.police,
        recipient=personas.health,
        information="Notification",
        channel=Channel.NOTIFICATION,
        conveys=[entry],
        by=personas.lead,
        origin=TEST_ORIGIN,
    )
    return {"communication": communication.pk}


def _findings(personas: Personas) -> dict[str, Any]:
    """Finding 1, resting on episode 1 (see _analysis), with one question for the board."""
    question = BoardQuestion.objects.filter(finding__review=personas.review, finding__number=1).first()
    if question is None:
        finding = findings_services.finding_create(
            review=personas.review,
            details=findings_services.FindingDetails(
                statement="Home visits are booked with no time to follow up what they find",
                category="human_management_system",
                valence=FindingValence.RISK,
                episodes=[KeyPracticeEpisode.objects.get(review=personas.review, number=1)],
            ),
            by=personas.lead,
            origin=TEST_ORIGIN,
        )
        question = findings_services.board_question_add(
            finding=finding, text="How will the board know?", by=personas.lead, origin=TEST_ORIGIN
        )
    return {"board_question": question.pk}


def _parallel(personas: Personas) -> ParallelProcess:
    """A police investigation running alongside the review."""
    return ParallelProcess.objects.filter(review=personas.review).first() or parallel_services.parallel_process_add(
        review=personas.review,
        kind=ParallelProcessKind.CRIMINAL,
        description="Police investigation into the injuries",
        status=ParallelProcessStatus.UNDER_WAY,
        by=personas.lead,
        origin=TEST_ORIGIN,
    )


def _board(personas: Personas) -> None:
    """Action 1 (the number `<int:number>` becomes) on finding 1 (see _findings), with a review of its progress."""
    if ActionPlanItem.objects.filter(review=personas.review, number=1).exists():
        return
    item = board_services.action_create(
        review=personas.review,
        details=board_services.ActionDetails(
            finding=Finding.objects.get(review=personas.review, number=1),
            action="Book follow-up time after every home visit",
            owner_agency=personas.health,
            owner_role="Health visiting team manager",
            due_date=dt.date(2027, 3, 31),
            success_measure="Follow-up recorded within a week",
        ),
        by=personas.lead,
        origin=TEST_ORIGIN,
    )
    board_services.action_review_record(
        item=item,
        expected_version=item.version,
        details=board_services.ProgressDetails(
            reviewed_on=dt.date(2026, 6, 1), status=ActionStatus.IN_PROGRESS, note="Started"
        ),
        by=personas.lead,
        origin=TEST_ORIGIN,
    )


def _publication(personas: Personas) -> dict[str, Any]:
    """A place in the pseudonym registry, and a publication check of a text file that found it."""
    entry = RegistryEntry.objects.filter(review=personas.review).first() or registry_services.entry_add(
        review=personas.review,
        kind=EntryKind.PLACE,
        real_text="Alder Court",
        replacement="the family home",
        by=personas.lead,
        origin=TEST_ORIGIN,
    )
    checked = PublicationCheck.objects.filter(review=personas.review).first() or check_services.check_run(
        review=personas.review,
        data=b"They lived at Alder Court.",
        source="report.txt",
        by=personas.lead,
        origin=TEST_ORIGIN,
    )
    return {"entry": entry.pk, "check": checked.pk}


def _report(personas: Personas) -> ReportVersion:
    """A board version of the report, shared with the case group and the family for comment."""
    version = ReportVersion.objects.filter(review=personas.review).first()
    if version is None:
        version = report_services.version_build(
            review=personas.review, audience=ReportAudience.BOARD, by=personas.lead, origin=TEST_ORIGIN
        )
        version = report_services.version_share(
            version=version, case_group=True, family=True, by=personas.lead, origin=TEST_ORIGIN
        )
    return version


def test_it_gives_every_url_an_access_rule() -> None:
    missing = [route.name for route in all_routes() if not getattr(route.callback, "access_rule", None)]
    assert missing == [], (
        f"These URLs have no access rule (wrap the view in one of caseview.core.views' decorators): {missing}"
    )


def test_it_uses_only_rules_that_exist() -> None:
    known = {"public", "signed_in", "own_job", "partnerships.administer_one", *PERMISSIONS, *PARTNERSHIP_RULES}
    rules_by_name = {route.name: route.callback.access_rule for route in all_routes()}
    assert {name: rule for name, rule in rules_by_name.items() if rule not in known} == {}


def _expected(route: Route, personas: Personas, persona: str | None) -> set[int]:
    answers = _expected_for_get(route, personas, persona)
    if route.name in POST_ONLY:
        # Whoever would get the page gets "method not allowed"; refusals and sign-in redirects stay as they are.
        return {405 if status == 200 else status for status in answers if status != 302 or persona is None}
    return answers


def _expected_for_get(route: Route, personas: Personas, persona: str | None) -> set[int]:
    rule = route.callback.access_rule
    if persona is None:
        return {200, 302} if rule == "public" else {302}
    user = personas.by_name(persona)
    if route.name in REDIRECTS_WHEN_NOTHING_TO_SHOW:
        return {302}
    if rule in {"public", "signed_in"}:
        return {200, 302} if rule == "public" else {200}
    if rule == "own_job":
        return {200} if persona == "lead" else {404}
    if rule == "partnerships.administer_one":
        return {200} if personas.partnership.administrators.filter(pk=user.pk).exists() or user.is_superuser else {404}
    if rule in PARTNERSHIP_RULES:
        check, _ = PARTNERSHIP_RULES[rule]
        return {200} if check(user) else {403}
    standing = roles_in(user, personas.review)
    if not standing:
        return {404}
    if route.name in POLICE_RETURN_PAGES and can(user, rule, personas.review) and route.name not in POST_ONLY:
        return {200} if persona in {"lead", "contact"} else {404}
    if route.name in SENDS_PARTICIPANTS_ON and can(user, "reviews.check_own_record", personas.review):
        return {302}
    if route.name in OWN_RECORD_PAGES and can(user, rule, personas.review):
        return {200} if persona == "practitioner" else {404}
    if route.name in INVITED_ONLY_PAGES and can(user, rule, personas.review):
        return {200} if persona in {"lead", "reviewer", "practitioner"} else {404}
    allowed_roles, _ = PERMISSIONS[rule]
    return {200} if standing & allowed_roles else {403}


@pytest.mark.django_db
@pytest.mark.parametrize("persona", [None, *PERSONA_NAMES])
def test_it_answers_every_url_as_the_rules_say(personas: Personas, persona: str | None) -> None:
    client = Client() if persona is None else verified_client(personas.by_name(persona))
    wrong = []
    for route in all_routes():
        url = _url(route, personas)
        response = client.get(url)
        expected = _expected(route, personas, persona)
        if response.status_code not in expected:
            wrong.append(
                f"{url} ({route.callback.access_rule}): got {response.status_code}, expected {sorted(expected)}"
            )
        if persona is None and response.status_code == 302 and route.callback.access_rule != "public":
            assert response["Location"].startswith("/account/sign-in/"), url
    assert wrong == [], f"As {persona or 'an anonymous visitor'}:\n" + "\n".join(wrong)


@pytest.mark.django_db
def test_it_treats_an_unknown_review_like_one_you_cannot_see(personas: Personas) -> None:
    client = verified_client(personas.lead)
    assert client.get("/reviews/NOSUCH1/").status_code == 404
    outsider = verified_client(personas.outsider)
    assert outsider.get("/reviews/CK2019/").status_code == 404
    assert b"Child K" not in outsider.get("/reviews/").content


@pytest.mark.django_db
def test_it_keeps_one_agencys_return_from_another_agencys_practitioner(personas: Personas) -> None:
    """The POST-only pages of a return refuse its agency's outsiders too (a GET above only meets 405)."""
    police = _chronology(personas)["return"]
    practitioner = verified_client(personas.practitioner)
    for action in ("upload", "release"):
        assert practitioner.post(f"/reviews/CK2019/returns/{police}/{action}/").status_code == 404


@pytest.mark.django_db
def test_it_keeps_a_practitioners_record_from_a_parent_who_posts_to_it(personas: Personas) -> None:
    """The forms of someone else's record refuse a participant as if it did not exist (a GET above only reads)."""
    record = _own_record(personas)
    parent = verified_client(personas.parent)
    for action in ("comment/", "sections/overview/", "turning-points/1/", "agree/"):
        response = parent.post(f"/reviews/CK2019/conversations/{record.pk}/check/{action}", {"confirm": "on"})
        assert response.status_code == 404, action
    record.refresh_from_db()
    assert record.record_status == "with_participant"
