"""Pages of the narrative of multi-agency perspectives: the reviewers write it and mark it, share it with the
case group, and answer the case group's comments; the case group's practitioners read what is shared and
comment on it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from caseview.analysis import narrative, narrative_exports
from caseview.analysis.models import NarrativeSection
from caseview.analysis.narrative_forms import CommentForm, MarkForm, RespondForm, SectionForm
from caseview.analysis.selectors import sees_whole_analysis, withdrawal_notes
from caseview.analysis.services import turning_points_read
from caseview.analysis.views import language_note
from caseview.core.audit import Origin
from caseview.core.forms import keep_typed_changes
from caseview.core.models import StaleEdit
from caseview.core.views import AuthenticatedRequest
from caseview.people.selectors import participants_in
from caseview.reviews.access import review_view
from caseview.reviews.models import Review
from caseview.reviews.views import apply_errors, review_context


def _columns(request: AuthenticatedRequest) -> str:
    by = request.GET.get("by", narrative.BY_AGENCY)
    return by if by in narrative.COLUMN_CHOICES else narrative.BY_AGENCY


def page_context(request: AuthenticatedRequest, review: Review, title: str, **extra: Any) -> dict[str, Any]:
    return review_context(request, review, "analysis", title, **extra)


def _section(request: AuthenticatedRequest, review: Review, section_id: Any) -> NarrativeSection:
    return narrative.section_for(user=request.user, review=review, section_id=section_id)


def _to_section(review: Review, section: NarrativeSection, anchor: str = "") -> HttpResponse:
    url = reverse("analysis:narrative-section", args=[review.reference, section.pk])
    return redirect(f"{url}#{anchor}" if anchor else url)


def _views(
    request: AuthenticatedRequest, review: Review, sections: list[NarrativeSection], columns: str, where: str
) -> list[narrative.SectionView]:
    """The sections as shown, with reading the words of participants they quote audited."""
    consents = narrative.Consents.of(review)
    views = [narrative.section_view(section=section, columns=columns, consents=consents) for section in sections]
    turning_points_read(
        review=review,
        by=request.user,
        origin=Origin.from_request(request),
        perspectives=[perspective for view in views for perspective in view.quoted],
        where=where,
    )
    return views


def _toggle(request: AuthenticatedRequest, columns: str) -> list[dict[str, Any]]:
    return [
        {"value": value, "label": label, "current": value == columns, "query": f"?by={value}"}
        for value, label in narrative.COLUMN_CHOICES.items()
    ]


@review_view("reviews.view_analysis")
def narrative_page(request: AuthenticatedRequest, review: Review) -> HttpResponse:
    columns = _columns(request)
    whole = sees_whole_analysis(user=request.user, review=review)
    sections = list(narrative.sections_visible_to(user=request.user, review=review))
    context = page_context(
        request,
        review,
        "Narrative",
        views=_views(request, review, sections, columns, "the narrative"),
        columns=columns,
        toggle=_toggle(request, columns),
        whole=whole,
        unshared=sum(not section.shared_with_case_group for section in sections),
        withdrawals=withdrawal_notes(review=review),
    )
    return render(request, "analysis/narrative/narrative.html", context)


@review_view("reviews.view_analysis")
def section_page(request: AuthenticatedRequest, review: Review, section_id: Any) -> HttpResponse:
    return _section_page(request, review, _section(request, review, section_id), CommentForm())


def _section_page(
    request: AuthenticatedRequest,
    review: Review,
    section: NarrativeSection,
    comment_form: CommentForm,
    status: int = 200,
) -> HttpResponse:
    columns = _columns(request)
    view = _views(request, review, [section], columns, f"narrative section {section.order}")[0]
    context = page_context(
        request,
        review,
        f"{section.order}. {section.title}",
        view=view,
        part=section,
        columns=columns,
        toggle=_toggle(request, columns),
        whole=sees_whole_analysis(user=request.user, review=review),
        comments=narrative.comments_of(section=section),
        comment_form=comment_form,
        versions=section.versions.count(),
    )
    return render(request, "analysis/narrative/section.html", context, status=status)


@review_view("reviews.edit_analysis")
@require_http_methods(["GET", "POST"])
def section_add(request: AuthenticatedRequest, review: Review) -> HttpResponse:
    form = SectionForm(request.POST or None, review=review)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            section = narrative.section_add(
                review=review,
                title=data["title"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                episode=data["episode"],
                text=data["text"],
                order=data["order"],
                by=request.user,
                origin=Origin.from_request(request),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Section {section.order} added.{language_note(section.text)}")
            return _to_section(review, section)
    context = page_context(request, review, "Add a section to the narrative", form=form, part=None)
    return render(request, "analysis/narrative/section_form.html", context)


def _section_initial(section: NarrativeSection) -> dict[str, Any]:
    return {
        "title": section.title,
        "period_start": section.period_start,
        "period_end": section.period_end,
        "episode": section.episode,
        "text": section.text,
        "order": section.order,
        "version": section.version,
    }


@review_view("reviews.edit_analysis")
@require_http_methods(["GET", "POST"])
def section_edit(request: AuthenticatedRequest, review: Review, section_id: Any) -> HttpResponse:
    section = _section(request, review, section_id)
    form = SectionForm(request.POST or None, initial=_section_initial(section), review=review, section=section)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            section = narrative.section_update(
                section=section,
                expected_version=data["version"],
                title=data["title"],
                order=data["order"] or section.order,
                period_start=data["period_start"],
                period_end=data["period_end"],
                episode=data["episode"],
                text=data["text"],
                reason=data.get("reason") or "",
                by=request.user,
                origin=Origin.from_request(request),
            )
        except StaleEdit as exc:
            keep_typed_changes(form, saved=_section_initial(_section(request, review, section_id)), problem=exc)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Section {section.order} saved.{language_note(section.text)}")
            return _to_section(review, section)
    context = page_context(request, review, f"Change section {section.order}", form=form, part=section)
    return render(request, "analysis/narrative/section_form.html", context)


@review_view("reviews.edit_analysis")
@require_POST
def section_remove(request: AuthenticatedRequest, review: Review, section_id: Any) -> HttpResponse:
    section = _section(request, review, section_id)
    if request.POST.get("confirm") != "yes":
        messages.warning(request, f"Tick the box to confirm you want to remove section {section.order}")
        return _to_section(review, section, "remove")
    try:
        narrative.section_remove(section=section, by=request.user, origin=Origin.from_request(request))
    except ValidationError as exc:
        messages.warning(request, exc.messages[0])
        return _to_section(review, section)
    messages.success(request, f"Section {section.order} removed")
    return redirect("analysis:narrative", review.reference)


@review_view("reviews.edit_analysis")
@require_POST
def section_share(request: AuthenticatedRequest, review: Review, section_id: Any) -> HttpResponse:
    section = _section(request, review, section_id)
    shared = request.POST.get("shared") == "yes"
    narrative.section_share(section=section, shared=shared, by=request.user, origin=Origin.from_request(request))
    messages.success(
        request,
        f"Section {section.order} is shared with the case group for checking"
        if shared
        else f"Section {section.order} is no longer shared with the case group",
    )
    return _to_section(review, section)


@review_view("reviews.edit_analysis")
@require_POST
def narrative_share(request: AuthenticatedRequest, review: Review) -> HttpResponse:
    count = narrative.narrative_share(review=review, by=request.user, origin=Origin.from_request(request))
    if count:
        messages.success(request, f"Shared {count} section{'s' if count != 1 else ''} with the case group")
    else:
        messages.success(request, "Every section is already shared with the case group")
    return redirect("analysis:narrative", review.reference)


def _mark_form(request: AuthenticatedRequest, review: Review, section: NarrativeSection) -> MarkForm:
    entries, perspectives = narrative.section_choices(section=section)
    return MarkForm(
        request.POST or None,
        review=review,
        entries=entries,
        perspectives=perspectives,
        participants=list(participants_in(review=review)),
    )


@review_view("reviews.edit_analysis")
@require_http_methods(["GET", "POST"])
def mark_add(request: AuthenticatedRequest, review: Review, section_id: Any) -> HttpResponse:
    section = _section(request, review, section_id)
    form = _mark_form(request, review, section)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            narrative.mark_add(
                section=section,
                kind=data["kind"],
                note=data["note"],
                entries=list(data["entries"]),
                perspectives=list(data["perspectives"]),
                held_by_agencies=list(data["held_by_agencies"]),
                held_by_participants=list(data["held_by_participants"]),
                not_held_by_agencies=list(data["not_held_by_agencies"]),
                not_held_by_participants=list(data["not_held_by_participants"]),
                by=request.user,
                origin=Origin.from_request(request),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Mark added.{language_note(data['note'])}")
            return _to_section(review, section, "marks")
    turning_points_read(
        review=review,
        by=request.user,
        origin=Origin.from_request(request),
        perspectives=list(form.fields["perspectives"].queryset),  # type: ignore[attr-defined]
        where=f"the mark form of narrative section {section.order}",
    )
    context = page_context(request, review, f"Mark accounts in section {section.order}", form=form, part=section)
    return render(request, "analysis/narrative/mark_form.html", context, status=400 if form.errors else 200)


@review_view("reviews.edit_analysis")
@require_POST
def mark_remove(request: AuthenticatedRequest, review: Review, section_id: Any, mark_id: Any) -> HttpResponse:
    section = _section(request, review, section_id)
    mark = narrative.mark_for(section=section, mark_id=mark_id)
    narrative.mark_remove(mark=mark, by=request.user, origin=Origin.from_request(request))
    messages.success(request, "Mark removed")
    return _to_section(review, section, "marks")


@review_view("reviews.comment_analysis")
@require_POST
def comment_add(request: AuthenticatedRequest, review: Review, section_id: Any) -> HttpResponse:
    section = _section(request, review, section_id)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            comment = narrative.comment_add(
                section=section, text=form.cleaned_data["text"], by=request.user, origin=Origin.from_request(request)
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Comment {comment.number} sent to the reviewers")
            return _to_section(review, section, "comments")
    return _section_page(request, review, section, form, status=400)


@review_view("reviews.edit_analysis")
@require_http_methods(["GET", "POST"])
def comment_respond(request: AuthenticatedRequest, review: Review, section_id: Any, comment_id: Any) -> HttpResponse:
    section = _section(request, review, section_id)
    comment = narrative.comment_for(section=section, comment_id=comment_id)
    initial = {
        "response": comment.response,
        "text": section.text,
        "version": comment.version,
        "section_version": section.version,
    }
    form = RespondForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            narrative.comment_respond(
                comment=comment,
                expected_version=data["version"],
                section_version=data["section_version"],
                response=data["response"],
                text=data["text"],
                by=request.user,
                origin=Origin.from_request(request),
            )
        except StaleEdit as exc:
            messages.warning(request, exc.messages[0])
            return redirect("analysis:narrative-respond", review.reference, section.pk, comment.pk)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Comment {comment.number} answered.{language_note(data['text'])}")
            return _to_section(review, section, "comments")
    context = page_context(
        request, review, f"Answer comment {comment.number}", form=form, part=section, comment=comment
    )
    return render(request, "analysis/narrative/respond.html", context)


@review_view("reviews.view_analysis")
def history(request: AuthenticatedRequest, review: Review, section_id: Any) -> HttpResponse:
    section = _section(request, review, section_id)
    context = page_context(
        request,
        review,
        f"History of section {section.order}",
        part=section,
        versions=list(narrative.versions_of(section=section)),
        comments=narrative.comments_of(section=section),
    )
    return render(request, "analysis/narrative/history.html", context)


@review_view("reviews.export_analysis")
def narrative_export(request: AuthenticatedRequest, review: Review) -> HttpResponse:
    columns = _columns(request)
    consents = narrative.Consents.of(review)
    views = [
        narrative.section_view(section=section, columns=columns, consents=consents)
        for section in narrative.sections_visible_to(user=request.user, review=review)
    ]
    content = narrative_exports.docx_bytes(
        views,
        title=f"{review.reference}: narrative of multi-agency perspectives",
        subtitle=f"{review.title}. Perspectives in columns {narrative.COLUMN_CHOICES[columns].lower()}.",
        notes=withdrawal_notes(review=review),
    )
    narrative.narrative_exported(
        review=review, by=request.user, origin=Origin.from_request(request), sections=views, columns=columns
    )
    response = HttpResponse(content, content_type=narrative_exports.DOCX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{review.reference}-narrative.docx"'
    return response
