from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from caseview.analysis.language import check
from caseview.core.audit import Origin
from caseview.core.forms import keep_typed_changes
from caseview.core.models import StaleEdit
from caseview.core.views import AuthenticatedRequest
from caseview.reports import rendering, selectors, services
from caseview.reports.assembly import Document
from caseview.reports.forms import (
    BuildForm,
    CommentForm,
    NarrativeForm,
    NotPublishedForm,
    PublishForm,
    RepositorySubmittedForm,
    SentToPanelForm,
    ShareForm,
)
from caseview.reports.models import NarrativePart, ReportAudience, ReportNarrative, ReportVersion, SignOff
from caseview.reviews.access import review_view
from caseview.reviews.models import Review
from caseview.reviews.rules import can
from caseview.reviews.views import apply_errors, review_context


def _context(request: AuthenticatedRequest, review: Review, title: str, **extra: Any) -> dict[str, Any]:
    return review_context(request, review, "report", title, **extra)


@review_view("reviews.view_report")
def home(request: AuthenticatedRequest, review: Review) -> HttpResponse:
    audiences = selectors.audiences_for(user=request.user, review=review)
    versions = list(selectors.versions_visible_to(user=request.user, review=review))
    groups = [
        {
            "audience": audience,
            "label": ReportAudience(audience).label,
            "versions": [version for version in versions if version.audience == audience],
        }
        for audience in audiences
    ]
    context = _context(
        request,
        review,
        "Report",
        groups=groups,
        narratives=selectors.narratives_of(review=review),
        building=can(request.user, "reviews.build_report", review),
    )
    return render(request, "reports/home.html", context)


def _narrative_initial(narrative: ReportNarrative | None) -> dict[str, Any]:
    return {"text": narrative.text if narrative else "", "version": narrative.version if narrative else None}


@review_view("reviews.build_report")
@require_http_methods(["GET", "POST"])
def narrative_edit(request: AuthenticatedRequest, review: Review, part: str) -> HttpResponse:
    narrative = selectors.narrative_of(review=review, part=part)
    form = NarrativeForm(request.POST or None, initial=_narrative_initial(narrative))
    if request.method == "POST" and form.is_valid():
        try:
            narrative = services.narrative_save(
                review=review,
                part=part,
                text=form.cleaned_data["text"],
                expected_version=form.cleaned_data["version"],
                by=request.user,
                origin=Origin.from_request(request),
            )
        except StaleEdit as exc:
            keep_typed_changes(
                form, saved=_narrative_initial(selectors.narrative_of(review=review, part=part)), problem=exc
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            flags = check(narrative.text)
            if flags:
                messages.warning(
                    request,
                    f"Saved. The language check found {len(flags)} phrase{'s' if len(flags) != 1 else ''} to look "
                    "at again: see the suggestions below.",
                )
                return redirect("reports:narrative", review.reference, part)
            messages.success(request, f"“{narrative.get_part_display()}” saved.")
            return redirect("reports:home", review.reference)
    title = NarrativePart(part).label
    flags = check(narrative.text) if narrative else []
    context = _context(request, review, title, form=form, flags=flags, narrative=narrative)
    return render(request, "reports/narrative.html", context)


@review_view("reviews.build_report")
@require_POST
def build(request: AuthenticatedRequest, review: Review) -> HttpResponse:
    form = BuildForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose who the report is for.")
        return redirect("reports:home", review.reference)
    job = services.build_start(
        review=review, audience=form.cleaned_data["audience"], by=request.user, origin=Origin.from_request(request)
    )
    return redirect("job", job.pk)


def _version_page(
    request: AuthenticatedRequest,
    review: Review,
    version: ReportVersion,
    share_form: ShareForm | None = None,
    publication_forms: dict[str, Any] | None = None,
) -> HttpResponse:
    previous = selectors.previous_of(version)
    document = Document.from_json(version.document)
    signed = list(version.sign_offs.select_related("signed_by"))
    shareable = version.audience in services.SHAREABLE and not version.is_final
    context = _context(
        request,
        review,
        f"{version} of the report",
        version=version,
        document=document,
        previous=previous,
        changes=selectors.changes(version=version, previous=previous) if previous else [],
        comments=version.comments.select_related("made_by"),
        sign_offs=signed,
        can_share=shareable and can(request.user, "reviews.build_report", review),
        can_sign=shareable
        and can(request.user, "reviews.sign_off_report", review)
        and all(item.signed_by_id != request.user.pk for item in signed),
        signed_roles={item.signed_as for item in signed},
        roles=SignOff.As,
        share_form=share_form
        or ShareForm(initial={"case_group": version.shared_with_case_group, "family": version.shared_with_family}),
        formats=rendering.FORMATS,
        publication=_publication(request, version, publication_forms or {}),
    )
    return render(request, "reports/version.html", context)


def _publication(request: AuthenticatedRequest, version: ReportVersion, forms: dict[str, Any]) -> dict[str, Any] | None:
    """For a public version: its check as built, what still stands between it and publication, and the forms
    that record its way out: sent to the Panel, published, sent to the national repository."""
    if version.audience != ReportAudience.PUBLIC:
        return None
    blockers = services.publication_blockers(version=version)
    return {
        "check": version.publication_check,
        "blockers": blockers,
        "earliest": services.earliest_publication(version),
        "can_publish": can(request.user, "reviews.publish_report", version.review),
        **{key: forms.get(key) or form_class() for key, form_class in PUBLICATION_FORMS.items()},
        "errors": [form for form in forms.values() if form.errors],
    }


PUBLICATION_FORMS: dict[str, type[django_forms.Form]] = {
    "panel_form": SentToPanelForm,
    "publish_form": PublishForm,
    "not_published_form": NotPublishedForm,
    "repository_form": RepositorySubmittedForm,
}


def _publication_step(
    form_key: str, write: Callable[..., ReportVersion], done: Callable[[ReportVersion], str]
) -> Callable[..., HttpResponseBase]:
    """The view for one step in a public version's way out (sent to the Panel, published, not published, in the
    repository): the form's answers go to `write`; what it refuses shows in the form, with the error summary."""

    @review_view("reviews.publish_report")
    @require_POST
    def step(request: AuthenticatedRequest, review: Review, report_version_id: Any) -> HttpResponse:
        version = selectors.version_for(user=request.user, review=review, version_id=report_version_id)
        form = PUBLICATION_FORMS[form_key](request.POST)
        if form.is_valid():
            try:
                version = write(
                    version=version, by=request.user, origin=Origin.from_request(request), **form.cleaned_data
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, done(version))
                return redirect("reports:version", review.reference, version.pk)
        return _version_page(request, review, version, publication_forms={form_key: form})

    return step


sent_to_panel = _publication_step(
    "panel_form",
    services.version_sent_to_panel,
    lambda version: (
        f"{version} went to the Panel; it may be published from {services.earliest_publication(version):%-d %B %Y}."
    ),
)
publish = _publication_step(
    "publish_form", services.version_publish, lambda version: f"{version} of the report is published."
)
not_published = _publication_step(
    "not_published_form", services.version_not_published, lambda version: f"{version} is recorded as not published."
)
repository_submitted = _publication_step(
    "repository_form",
    services.version_repository_submitted,
    lambda version: f"{version} is recorded as sent to the national case review repository.",
)


@review_view("reviews.view_report")
def version_detail(request: AuthenticatedRequest, review: Review, report_version_id: Any) -> HttpResponse:
    version = selectors.version_for(user=request.user, review=review, version_id=report_version_id)
    if version.audience == ReportAudience.TEAM:
        services.team_version_read(version=version, by=request.user, origin=Origin.from_request(request))
    return _version_page(request, review, version)


@review_view("reviews.view_report")
def download(request: AuthenticatedRequest, review: Review, report_version_id: Any, file_format: str) -> HttpResponse:
    if file_format not in rendering.FORMATS:
        raise Http404("No such format")
    version = selectors.version_for(user=request.user, review=review, version_id=report_version_id)
    services.download_record(
        version=version, file_format=file_format, by=request.user, origin=Origin.from_request(request)
    )
    response = HttpResponse(bytes(getattr(version, file_format)), content_type=rendering.CONTENT_TYPES[file_format])
    name = f"{review.reference}-report-{version.audience}-v{version.number}.{file_format}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@review_view("reviews.build_report")
@require_POST
def share(request: AuthenticatedRequest, review: Review, report_version_id: Any) -> HttpResponse:
    version = selectors.version_for(user=request.user, review=review, version_id=report_version_id)
    form = ShareForm(request.POST)
    if form.is_valid():
        try:
            version = services.version_share(
                version=version,
                case_group=form.cleaned_data["case_group"],
                family=form.cleaned_data["family"],
                by=request.user,
                origin=Origin.from_request(request),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            shared = version.shared_with_case_group or version.shared_with_family
            messages.success(request, f"{version} is shared for comment." if shared else f"{version} is not shared.")
            return redirect("reports:version", review.reference, version.pk)
    return _version_page(request, review, version, share_form=form)


@review_view("reviews.sign_off_report")
@require_POST
def sign_off(request: AuthenticatedRequest, review: Review, report_version_id: Any) -> HttpResponse:
    version = selectors.version_for(user=request.user, review=review, version_id=report_version_id)
    try:
        version = services.sign_off(version=version, by=request.user, origin=Origin.from_request(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, f"{version} is signed off and final." if version.is_final else f"You signed off {version}."
        )
    return redirect("reports:version", review.reference, version.pk)


@review_view("reviews.comment_on_report")
def shared_list(request: AuthenticatedRequest, review: Review) -> HttpResponse:
    versions = selectors.shared_versions_for(user=request.user, review=review)
    return render(request, "reports/shared_list.html", _context(request, review, "Report drafts", versions=versions))


@review_view("reviews.comment_on_report")
@require_http_methods(["GET", "POST"])
def shared_draft(request: AuthenticatedRequest, review: Review, report_version_id: Any) -> HttpResponse:
    version = selectors.shared_version_for(user=request.user, review=review, version_id=report_version_id)
    document = Document.from_json(version.document)
    form = CommentForm(request.POST or None, document=document)
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_add(
                version=version,
                section_key=form.cleaned_data["section_key"],
                text=form.cleaned_data["text"],
                by=request.user,
                origin=Origin.from_request(request),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Thank you: your comment is with the review team.")
            return redirect("reports:shared-draft", review.reference, version.pk)
    context = _context(
        request,
        review,
        f"Draft report: {version.get_audience_label().lower()} version {version.number}",
        version=version,
        document=document,
        form=form,
        my_comments=version.comments.filter(made_by=request.user),
    )
    return render(request, "reports/shared_draft.html", context)
