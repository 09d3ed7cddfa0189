"""The participant's own check: their record, in the words of their guide, to comment on, correct and agree.

Every page here is for the record's own participant only. Another conversation's id gives 404, so that nobody
learns whose records exist; members who do not check a record of their own (reviewers, the board) get 403.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from caseview.conversations import checking
from caseview.conversations.check_forms import AgreeForm, CommentForm, SectionCorrectionForm, TurningPointCorrectionForm
from caseview.conversations.guide import guide_for
from caseview.conversations.models import Conversation, RecordStatus
from caseview.core.audit import Origin
from caseview.core.forms import keep_typed_changes
from caseview.core.models import StaleEdit
from caseview.core.views import AuthenticatedRequest
from caseview.reviews.access import review_view
from caseview.reviews.models import Review
from caseview.reviews.views import apply_errors, review_context

PERMISSION = "reviews.check_own_record"


def _context(request: AuthenticatedRequest, review: Review, title: str, **extra: Any) -> dict[str, Any]:
    return review_context(request, review, "conversations", title, **extra)


def _record_url(conversation: Conversation, anchor: str = "") -> str:
    url = reverse("conversations:check", args=[conversation.review.reference, conversation.pk])
    return f"{url}#{anchor}" if anchor else url


def _not_open(request: AuthenticatedRequest, conversation: Conversation, message: str = "") -> HttpResponse:
    """Back to the record, saying why it cannot be changed now (still being written, or agreed and locked)."""
    if not message:
        message = (
            checking.wording_for(conversation).still_writing
            if conversation.record_status == RecordStatus.DRAFT
            else "This record has been agreed, so it can no longer be changed here."
        )
    messages.info(request, message)
    return redirect(_record_url(conversation))


@review_view(PERMISSION)
def my_records(request: AuthenticatedRequest, review: Review) -> HttpResponse:
    conversations = checking.own_conversations(user=request.user, review=review)
    context = _context(request, review, "Your record", conversations=conversations)
    return render(request, "conversations/check/my_records.html", context)


@review_view(PERMISSION)
def check(request: AuthenticatedRequest, review: Review, conversation_id: UUID) -> HttpResponse:
    conversation = checking.own_conversation(user=request.user, review=review, conversation_id=conversation_id)
    record = checking.own_record(conversation=conversation)
    open_to_check = conversation.record_status == RecordStatus.WITH_PARTICIPANT
    if conversation.record_status != RecordStatus.DRAFT:
        checking.record_viewed(conversation=conversation, by=request.user, origin=Origin.from_request(request))
    context = _context(
        request,
        review,
        record.wording.heading,
        record=record,
        conversation=conversation,
        wording=record.wording,
        open_to_check=open_to_check,
        fingerprint=checking.record_fingerprint(conversation) if open_to_check else "",
    )
    return render(request, "conversations/check/record.html", context)


@review_view(PERMISSION)
@require_http_methods(["GET", "POST"])
def comment(request: AuthenticatedRequest, review: Review, conversation_id: UUID) -> HttpResponse:
    conversation = checking.own_conversation(user=request.user, review=review, conversation_id=conversation_id)
    if conversation.record_status != RecordStatus.WITH_PARTICIPANT:
        return _not_open(request, conversation)
    wording = checking.wording_for(conversation)
    targets = checking.comment_targets(conversation=conversation)
    chosen = request.GET.get("on", "record")
    form = CommentForm(
        request.POST or None,
        initial={"on": chosen if chosen in dict(targets) else "record"},
        targets=targets,
        wording=wording,
    )
    if request.method == "POST" and form.is_valid():
        on: str = form.cleaned_data["on"]
        section_key = on.removeprefix("section:") if on.startswith("section:") else ""
        perspective = None
        if on.startswith("turning-point:"):
            perspective = conversation.perspectives.get(number=int(on.removeprefix("turning-point:")))
        try:
            checking.comment_add(
                conversation=conversation,
                text=form.cleaned_data["text"],
                section_key=section_key,
                perspective=perspective,
                by=request.user,
                origin=Origin.from_request(request),
            )
        except checking.NotOpenToCheck as exc:
            return _not_open(request, conversation, exc.messages[0])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Thank you. Your comment is saved, and the reviewers will see it.")
            anchor = f"turning-point-{perspective.number}" if perspective else f"section-{section_key or 'record'}"
            return redirect(_record_url(conversation, anchor))
    context = _context(request, review, "Add a comment", form=form, conversation=conversation, wording=wording)
    return render(request, "conversations/check/comment.html", context)


@review_view(PERMISSION)
@require_http_methods(["GET", "POST"])
def correct_section(
    request: AuthenticatedRequest, review: Review, conversation_id: UUID, section_key: str
) -> HttpResponse:
    conversation = checking.own_conversation(user=request.user, review=review, conversation_id=conversation_id)
    section = guide_for(conversation.guide).section(section_key)
    if section is None:
        raise Http404("No such section")
    if conversation.record_status != RecordStatus.WITH_PARTICIPANT:
        return _not_open(request, conversation)

    def as_it_stands() -> dict[str, Any]:
        written = conversation.sections.filter(key=section_key).first()
        return {"notes": written.notes if written else "", "version": written.version if written else 0}

    form = SectionCorrectionForm(request.POST or None, initial=as_it_stands(), section=section)
    if request.method == "POST" and form.is_valid():
        try:
            checking.section_correct(
                conversation=conversation,
                section_key=section_key,
                notes=form.cleaned_data["notes"],
                note=form.cleaned_data["note"],
                expected_version=form.cleaned_data["version"],
                by=request.user,
                origin=Origin.from_request(request),
            )
        except checking.NotOpenToCheck as exc:
            return _not_open(request, conversation, exc.messages[0])
        except StaleEdit as exc:
            keep_typed_changes(form, saved=as_it_stands(), problem=exc)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Thank you. Your correction is saved, and the reviewers will see what changed.")
            return redirect(_record_url(conversation, f"section-{section_key}"))
    checking.record_viewed(
        conversation=conversation, by=request.user, origin=Origin.from_request(request), part=section.title
    )
    context = _context(
        request, review, f"Correct: {section.title}", form=form, conversation=conversation, guide_section=section
    )
    return render(request, "conversations/check/correct_section.html", context)


@review_view(PERMISSION)
@require_http_methods(["GET", "POST"])
def correct_turning_point(
    request: AuthenticatedRequest, review: Review, conversation_id: UUID, number: int
) -> HttpResponse:
    conversation = checking.own_conversation(user=request.user, review=review, conversation_id=conversation_id)
    perspective = conversation.perspectives.filter(number=number).first()
    if perspective is None:
        raise Http404("No such turning point")
    if conversation.record_status != RecordStatus.WITH_PARTICIPANT:
        return _not_open(request, conversation)
    guide = guide_for(conversation.guide)
    wording = checking.wording_for(conversation)

    def as_it_stands() -> dict[str, Any]:
        perspective.refresh_from_db()
        fields = checking.turning_point_fields(guide)
        return {**{name: getattr(perspective, name) for name in fields}, "version": perspective.version}

    form = TurningPointCorrectionForm(request.POST or None, initial=as_it_stands(), guide=guide, wording=wording)
    if request.method == "POST" and form.is_valid():
        try:
            checking.turning_point_correct(
                perspective=perspective,
                expected_version=form.cleaned_data["version"],
                note=form.cleaned_data["note"],
                by=request.user,
                origin=Origin.from_request(request),
                **form.changes(),
            )
        except checking.NotOpenToCheck as exc:
            return _not_open(request, conversation, exc.messages[0])
        except StaleEdit as exc:
            keep_typed_changes(form, saved=as_it_stands(), problem=exc)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Thank you. Your correction is saved, and the reviewers will see what changed.")
            return redirect(_record_url(conversation, f"turning-point-{number}"))
    checking.record_viewed(
        conversation=conversation, by=request.user, origin=Origin.from_request(request), part=f"turning point {number}"
    )
    context = _context(
        request,
        review,
        f"Correct: {wording.turning_point} {number}",
        form=form,
        conversation=conversation,
        wording=wording,
        number=number,
    )
    return render(request, "conversations/check/correct_turning_point.html", context)


@review_view(PERMISSION)
@require_http_methods(["GET", "POST"])
def agree(request: AuthenticatedRequest, review: Review, conversation_id: UUID) -> HttpResponse:
    conversation = checking.own_conversation(user=request.user, review=review, conversation_id=conversation_id)
    if conversation.record_status != RecordStatus.WITH_PARTICIPANT:
        return _not_open(request, conversation)
    wording = checking.wording_for(conversation)
    # The record's page links here with the fingerprint of what it showed: agreement is to the words read there.
    seen = request.GET.get("seen") or checking.record_fingerprint(conversation)
    form = AgreeForm(request.POST or None, initial={"fingerprint": seen}, wording=wording)
    if request.method == "POST" and form.is_valid():
        try:
            checking.record_agree(
                conversation=conversation,
                seen_fingerprint=form.cleaned_data["fingerprint"],
                by=request.user,
                origin=Origin.from_request(request),
            )
        except (checking.NotOpenToCheck, StaleEdit) as exc:
            return _not_open(request, conversation, exc.messages[0])
        messages.success(request, "Thank you. You have agreed your record.")
        return redirect(_record_url(conversation))
    context = _context(request, review, "Agree your record", form=form, conversation=conversation, wording=wording)
    return render(request, "conversations/check/agree.html", context)
