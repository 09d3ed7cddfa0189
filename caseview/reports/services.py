"""Writing the report: its narrative parts, building versions (in the background, with progress), sharing a draft
with the case group and the family for comment, their comments, and sign-off. Every write is audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from caseview.accounts.models import User
from caseview.core import audit
from caseview.core.audit import Event, Origin
from caseview.core.jobs import Progress, job_start, no_progress
from caseview.core.models import Job, StaleEdit
from caseview.core.working_days import add_working_days
from caseview.quality.selectors import publication_readiness
from caseview.reports import interchange, rendering
from caseview.reports.assembly import Document, assemble
from caseview.reports.check_services import blocking_hits, check_run
from caseview.reports.models import (
    NarrativePart,
    ReportAudience,
    ReportComment,
    ReportNarrative,
    ReportVersion,
    SignOff,
    VersionStatus,
)
from caseview.reviews.models import Review, Role, Stage
from caseview.reviews.rules import roles_in
from caseview.reviews.services import allowed_next_stages, review_stage_change

# Versions that may leave the review team: the team version names real people.
SHAREABLE = {ReportAudience.BOARD.value, ReportAudience.PUBLIC.value}


def narrative_save(
    *, review: Review, part: str, text: str, expected_version: int | None, by: User, origin: Origin
) -> ReportNarrative:
    """Save one narrative part. `expected_version` is the version the writer started from (None for a part not yet
    written); someone else's save since then is refused, so no change is lost."""
    if part not in NarrativePart.values:
        raise ValidationError({"part": "Choose a part of the report that reviewers write"})
    with transaction.atomic():
        current = ReportNarrative.objects.select_for_update().filter(review=review, part=part).first()
        if current is not None and current.version != expected_version:
            raise StaleEdit(f"Someone else changed “{current.get_part_display()}” while you were writing.")
        if current is None:
            current = ReportNarrative(review=review, part=part, text=text.strip(), updated_by=by)
        else:
            current.text = text.strip()
            current.version += 1
            current.updated_by = by
        current.save()
        audit.record(
            event=Event.REPORT_NARRATIVE_CHANGED,
            actor=by,
            origin=origin,
            review=review,
            obj=current,
            summary=f"Wrote the report's “{current.get_part_display()}”",
            detail={"part": part, "version": current.version},
        )
    return current


def build_start(*, review: Review, audience: str, by: User, origin: Origin) -> Job:
    """Build a new version for `audience` in the background; the job's page shows its progress."""
    if audience not in ReportAudience.values:
        raise ValidationError({"audience": "Choose who the report is for"})
    return job_start(
        kind="report_build",
        description=f"Building the {audience} version of the report for {review.reference}",
        function="caseview.reports.services.build_work",
        arguments={
            "review_id": str(review.pk),
            "audience": audience,
            "user_id": by.pk,
            "ip_address": origin.ip_address,
            "user_agent": origin.user_agent,
        },
        created_by=by,
        review=review,
        next_url=reverse("reports:home", args=[review.reference]),
    )


def build_work(
    *,
    review_id: str,
    audience: str,
    user_id: int,
    ip_address: str | None,
    user_agent: str,
    progress: Progress = no_progress,
) -> dict[str, Any]:
    """The background job: assemble, draw the three formats, keep them as the next version."""
    review = Review.objects.get(pk=review_id)
    by = User.objects.get(pk=user_id)
    origin = Origin(ip_address=ip_address, user_agent=user_agent)
    version = version_build(review=review, audience=audience, by=by, origin=origin, progress=progress)
    return {"version": str(version.pk), "number": version.number}


def version_build(
    *, review: Review, audience: str, by: User | None, origin: Origin, progress: Progress = no_progress
) -> ReportVersion:
    """Assemble the report for `audience` from the data as it is now and keep it, in all three formats, as the
    audience's next version."""
    steps = 5 if audience == ReportAudience.PUBLIC else 4
    progress(0, steps, "Putting the report together from the review")
    document = assemble(review=review, audience=audience)
    progress(1, steps, "Writing the HTML")
    page = rendering.html(document)
    progress(2, steps, "Writing the Word document")
    docx = rendering.docx_bytes(document)
    progress(3, steps, "Writing the PDF")
    pdf = rendering.pdf_bytes(document, page=page)
    with transaction.atomic():
        Review.objects.select_for_update().filter(pk=review.pk).first()
        last = ReportVersion.objects.filter(review=review, audience=audience).aggregate(last=Max("number"))["last"]
        version = ReportVersion.objects.create(
            review=review,
            audience=audience,
            number=(last or 0) + 1,
            document=document.to_json(),
            html=page.encode(),
            docx=docx,
            pdf=pdf,
            created_by=by,
        )
        audit.record(
            event=Event.REPORT_BUILT,
            actor=by,
            origin=origin,
            review=review,
            obj=version,
            summary=f"Built the {audience} version {version.number} of the report",
            detail={"audience": audience, "number": version.number},
        )
        if audience == ReportAudience.PUBLIC:
            progress(4, steps, "Checking that nobody can be identified")
            version.publication_check = check_run(
                review=review, data=page.encode(), source=f"{version} of the report (HTML)", by=by, origin=origin
            )
            version.save(update_fields=["publication_check"])
    progress(steps, steps, "Done")
    return version


# Working Together: the report goes to the Panel and the Secretary of State at least this many working days before
# it is published.
PANEL_NOTICE_WORKING_DAYS = 7


def earliest_publication(version: ReportVersion) -> dt.date | None:
    """The first day this version may be published, counted from the day it went to the Panel; None until then."""
    if version.sent_to_panel_on is None:
        return None
    return add_working_days(version.sent_to_panel_on, PANEL_NOTICE_WORKING_DAYS)


def publication_blockers(*, version: ReportVersion) -> list[str]:
    """What stands between this version and publication, in words a lead reviewer can act on; empty when it may
    be published. The check runs again on the version's own text, so an override made since counts; gate G9,
    which asks the same of the latest public version, is left to that."""
    if version.audience != ReportAudience.PUBLIC:
        return ["Only the public version of the report is published."]
    if version.published_at:
        return [f"{version} was published on {version.published_at:%d %B %Y}."]
    if version.not_published_on:
        return [f"The safeguarding partners decided on {version.not_published_on:%-d %B %Y} not to publish {version}."]
    reasons = []
    if not version.is_final:
        reasons.append("A lead reviewer and a board member must both sign this version off.")
    hits = blocking_hits(review=version.review, data=bytes(version.html))
    if hits:
        count = len(hits)
        reasons.append(
            f"The publication check found {count} thing{'s' if count != 1 else ''} that could identify someone: "
            "fix the text and build again, or a lead reviewer lets each one stand with a reason."
        )
    failing = [status.gate.code for status in publication_readiness(version.review, leave_out={"G9"}).failing]
    if failing:
        reasons.append(
            f"Quality gate{'s' if len(failing) != 1 else ''} {', '.join(failing)} "
            f"{'do' if len(failing) != 1 else 'does'} not pass and {'are' if len(failing) != 1 else 'is'} not "
            "overridden."
        )
    earliest = earliest_publication(version)
    if earliest is None:
        reasons.append(
            "Record the day this version went to the Child Safeguarding Practice Review Panel and the Secretary of "
            f"State: it is published at least {PANEL_NOTICE_WORKING_DAYS} working days after."
        )
    elif timezone.localdate() < earliest:
        reasons.append(
            f"It went to the Panel and the Secretary of State on {version.sent_to_panel_on:%-d %B %Y}: it may be "
            f"published from {earliest:%-d %B %Y}, {PANEL_NOTICE_WORKING_DAYS} working days later."
        )
    return reasons


def _locked_with_review(version: ReportVersion) -> ReportVersion:
    # Final versions too (unlike _locked, for drafts): these steps come after sign-off.
    return ReportVersion.objects.select_for_update(of=("self",)).select_related("review").get(pk=version.pk)


def _not_after_today(day: dt.date, field: str, what: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: f"The date {what} must be today or in the past"})


def _record_step(
    current: ReportVersion,
    changes: dict[str, Any],
    *,
    event: Event,
    summary: str,
    detail: dict[str, Any],
    by: User,
    origin: Origin,
    stage: str | None = None,
) -> ReportVersion:
    """Save one step of a locked public version's way out, move the review on to `stage` when that is its next
    step (a review whose stages were not kept up is left where it is), and audit it."""
    for name, value in changes.items():
        setattr(current, name, value)
    current.version += 1
    current.save(update_fields=[*changes, "version", "updated_at"])
    if stage is not None and stage in allowed_next_stages(current.review.stage):
        review_stage_change(review=current.review, to_stage=stage, by=by, origin=origin, note=summary)
    audit.record(
        event=event,
        actor=by,
        origin=origin,
        review=current.review,
        obj=current,
        summary=summary,
        detail={"number": current.number, **detail},
    )
    return current


def version_sent_to_panel(*, version: ReportVersion, sent_on: dt.date, by: User, origin: Origin) -> ReportVersion:
    """Record the day a final public version went to the Panel and the Secretary of State."""
    with transaction.atomic():
        current = _locked_with_review(version)
        if current.audience != ReportAudience.PUBLIC or not current.is_final:
            raise ValidationError({"sent_on": "Only a final public version goes to the Panel"})
        if current.published_at:
            raise ValidationError({"sent_on": f"{current} is already published"})
        _not_after_today(sent_on, "sent_on", "it was sent")
        signed = timezone.localtime(current.finalised_at).date() if current.finalised_at else None
        if signed and sent_on < signed:
            raise ValidationError(
                {"sent_on": f"The date it was sent must be on or after {signed:%-d %B %Y}, when it was signed off"}
            )
        return _record_step(
            current,
            {"sent_to_panel_on": sent_on},
            event=Event.REPORT_SENT_TO_PANEL,
            summary=f"{current} of the report sent to the Panel and the Secretary of State on {sent_on:%-d %B %Y}",
            detail={"sent_on": sent_on.isoformat()},
            by=by,
            origin=origin,
            stage=Stage.SENT_TO_PANEL,
        )


def version_publish(*, version: ReportVersion, by: User, origin: Origin, publication_url: str = "") -> ReportVersion:
    """Publish a signed-off public version: refused while the publication check finds anything not let stand,
    while a quality gate neither passes nor is overridden, or before seven working days have passed since it went
    to the Panel. `publication_url` is where the partnership publishes it, if known."""
    with transaction.atomic():
        current = _locked_with_review(version)
        reasons = publication_blockers(version=current)
        if reasons:
            raise ValidationError({"version": reasons})
        url = publication_url.strip()
        return _record_step(
            current,
            {"published_at": timezone.now(), "published_by": by, "publication_url": url},
            event=Event.REPORT_PUBLISHED,
            summary=f"Published {current} of the report",
            detail={"url": url},
            by=by,
            origin=origin,
            stage=Stage.PUBLISHED,
        )


def version_not_published(
    *,
    version: ReportVersion,
    decided_on: dt.date,
    reason: str,
    improvements_url: str,
    by: User,
    origin: Origin,
) -> ReportVersion:
    """Record the safeguarding partners' decision that publishing this final public version would be inappropriate,
    why, and where the improvements are published instead (Working Together)."""
    reason = reason.strip()
    with transaction.atomic():
        current = _locked_with_review(version)
        if current.audience != ReportAudience.PUBLIC or not current.is_final:
            raise ValidationError({"decided_on": "Only a final public version is published or not"})
        if current.published_at or current.not_published_on:
            raise ValidationError(
                {"decided_on": f"{current} is {'already published' if current.published_at else 'already decided on'}"}
            )
        errors = {}
        if decided_on > timezone.localdate():
            errors["decided_on"] = "The date of the decision must be today or in the past"
        if not reason:
            errors["reason"] = "Enter why the report is not published"
        if errors:
            raise ValidationError(errors)
        url = improvements_url.strip()
        return _record_step(
            current,
            {"not_published_on": decided_on, "not_published_reason": reason, "improvements_published_url": url},
            event=Event.REPORT_NOT_PUBLISHED,
            summary=f"Decision on {decided_on:%-d %B %Y} not to publish {current} of the report",
            detail={"decided_on": decided_on.isoformat(), "url": url},
            by=by,
            origin=origin,
            stage=Stage.NOT_PUBLISHED_IMPROVEMENTS_PUBLISHED,
        )


def version_repository_submitted(
    *, version: ReportVersion, submitted_on: dt.date, by: User, origin: Origin
) -> ReportVersion:
    """Record the day the published report went to the NSPCC's national case review repository."""
    with transaction.atomic():
        current = _locked_with_review(version)
        if not current.published_at:
            raise ValidationError({"submitted_on": "Only a published report goes to the national repository"})
        _not_after_today(submitted_on, "submitted_on", "it was sent")
        published_on = timezone.localtime(current.published_at).date()
        if submitted_on < published_on:
            raise ValidationError(
                {
                    "submitted_on": f"The date it was sent must be on or after {published_on:%-d %B %Y}, when it was "
                    "published"
                }
            )
        return _record_step(
            current,
            {"repository_submitted_on": submitted_on},
            event=Event.REPORT_IN_REPOSITORY,
            summary=f"{current} of the report sent to the national case review repository on {submitted_on:%-d %B %Y}",
            detail={"submitted_on": submitted_on.isoformat()},
            by=by,
            origin=origin,
        )


def report_file(*, review: Review, audience: str, file_format: str, origin: Origin) -> bytes:
    """The report for `audience` in one format, from the data as it is now, kept nowhere (the command line)."""
    document = assemble(review=review, audience=audience)
    data = {
        "html": lambda: rendering.html(document).encode(),
        "docx": lambda: rendering.docx_bytes(document),
        "pdf": lambda: rendering.pdf_bytes(document),
    }[file_format]()
    audit.record(
        event=Event.REPORT_BUILT,
        actor=None,
        origin=origin,
        review=review,
        summary=f"Built the {audience} report as {file_format.upper()} on the command line",
        detail={"audience": audience, "format": file_format, "kept": False},
    )
    return data


def review_export(*, review: Review, audience: str, origin: Origin) -> dict[str, Any]:
    """The whole review as JSON for `audience` ('board' or 'public'), recorded in the audit trail."""
    data = interchange.review_json(review=review, audience=audience)
    audit.record(
        event=Event.REVIEW_EXPORTED,
        actor=None,
        origin=origin,
        review=review,
        summary=f"Exported the review as JSON for the {audience}",
        detail={"audience": audience, "format_version": interchange.FORMAT_VERSION},
    )
    return data


def _locked(version: ReportVersion) -> ReportVersion:
    current = ReportVersion.objects.select_for_update().get(pk=version.pk)
    if current.is_final:
        raise ValidationError(
            {"version": "This version is signed off and final, so it cannot change: build a new version."}
        )
    return current


def version_share(*, version: ReportVersion, case_group: bool, family: bool, by: User, origin: Origin) -> ReportVersion:
    """Share a board or public draft with the case group and/or the family to comment on its factual accuracy."""
    if version.audience not in SHAREABLE:
        raise ValidationError({"version": "The team version names real people: share a board or public version."})
    with transaction.atomic():
        current = _locked(version)
        current.shared_with_case_group = case_group
        current.shared_with_family = family
        current.shared_at = timezone.now() if case_group or family else None
        current.status = VersionStatus.SHARED if case_group or family else VersionStatus.DRAFT
        current.version += 1
        current.save()
        who = [name for name, shared in (("the case group", case_group), ("the family", family)) if shared]
        audit.record(
            event=Event.REPORT_SHARED,
            actor=by,
            origin=origin,
            review=version.review,
            obj=current,
            summary=f"Shared {current} with {' and '.join(who)}" if who else f"Stopped sharing {current}",
            detail={"case_group": case_group, "family": family},
        )
    return current


def shared_with(*, version: ReportVersion, user: Any) -> bool:
    """Whether this case-group practitioner or family member may read and comment on this version."""
    held = roles_in(user, version.review)
    return (Role.PRACTITIONER.value in held and version.shared_with_case_group) or (
        Role.FAMILY.value in held and version.shared_with_family
    )


def comment_add(*, version: ReportVersion, section_key: str, text: str, by: User, origin: Origin) -> ReportComment:
    """A comment on one section of a draft shared with the commenter."""
    document = Document.from_json(version.document)
    section = document.section(section_key)
    errors = {}
    if section is None:
        errors["section_key"] = "Choose a section of the report"
    if not text.strip():
        errors["text"] = "Enter your comment"
    if errors:
        raise ValidationError(errors)
    assert section is not None
    with transaction.atomic():
        current = _locked(version)
        if not shared_with(version=current, user=by):
            raise ValidationError({"version": "This draft is no longer shared with you."})
        comment = ReportComment.objects.create(
            version=current,
            section_key=section.key,
            section_title=section.title,
            text=text.strip(),
            made_by=by,
            made_at=timezone.now(),
        )
        audit.record(
            event=Event.REPORT_COMMENTED,
            actor=by,
            origin=origin,
            review=version.review,
            obj=current,
            summary=f"Commented on “{section.title}” in {current}",
            detail={"section": section.key},
        )
    return comment


def sign_off(*, version: ReportVersion, by: User, origin: Origin) -> ReportVersion:
    """Sign a board or public version off as a lead reviewer or a board member. Once a lead reviewer and a board
    member have both signed, the version is final and locked."""
    held = roles_in(by, version.review)
    signed_as = (
        SignOff.As.LEAD_REVIEWER
        if Role.LEAD_REVIEWER.value in held
        else SignOff.As.BOARD
        if Role.BOARD.value in held
        else None
    )
    if signed_as is None:
        raise ValidationError({"version": "Only lead reviewers and board members sign a report off."})
    if version.audience not in SHAREABLE:
        raise ValidationError({"version": "The board signs off the board and public versions, not the team's."})
    with transaction.atomic():
        current = _locked(version)
        if current.sign_offs.filter(signed_by=by).exists():
            raise ValidationError({"version": "You have already signed this version off."})
        SignOff.objects.create(version=current, signed_as=signed_as, signed_by=by, signed_at=timezone.now())
        audit.record(
            event=Event.REPORT_SIGNED_OFF,
            actor=by,
            origin=origin,
            review=version.review,
            obj=current,
            summary=f"Signed off {current} as {signed_as.label.lower()}",
            detail={"as": signed_as.value},
        )
        if {SignOff.As.LEAD_REVIEWER.value, SignOff.As.BOARD.value} <= set(
            current.sign_offs.values_list("signed_as", flat=True)
        ):
            current.status = VersionStatus.FINAL
            current.finalised_at = timezone.now()
            current.shared_with_case_group = current.shared_with_family = False
            current.version += 1
            current.save()
            audit.record(
                event=Event.REPORT_FINALISED,
                actor=by,
                origin=origin,
                review=version.review,
                obj=current,
                summary=f"{current} is signed off by a lead reviewer and the board, and is now final",
            )
    return current


def team_version_read(*, version: ReportVersion, by: User, origin: Origin) -> None:
    """Record that someone read a team version: it names real people, and every look at a real name is audited."""
    audit.record(
        event=Event.IDENTITY_VIEWED,
        actor=by,
        origin=origin,
        review=version.review,
        obj=version,
        summary=f"Read {version} of the report, which names real people",
    )


def download_record(*, version: ReportVersion, file_format: str, by: User, origin: Origin) -> None:
    audit.record(
        event=Event.REPORT_DOWNLOADED,
        actor=by,
        origin=origin,
        review=version.review,
        obj=version,
        summary=f"Downloaded {version} as {file_format.upper()}",
        detail={"format": file_format},
    )
