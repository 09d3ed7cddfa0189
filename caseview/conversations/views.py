"""The review team's pages for conversations and their records. A participant checks their own record on pages
of their own (conversations:check); none of these is open to them, to the board or to agency contacts.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from caseview.conversations import files, selectors, services
from caseview.conversations.exports import HEADINGS
from caseview.conversations.forms import (
    ArrangementsForm,
    EntryFilterForm,
    FileForm,
    PerspectiveForm,
    RecordNotesForm,
    ReopenForm,
    RetentionForm,
    VersionForm,
    digest,
)
from caseview.conversations.guide import KNOWN_AT_THE_TIME, LEARNED_LATER, ConversationGuide, Section, guide_for
from caseview.conversations.models import Conversation, Perspective
from caseview.core.audit import Origin
from caseview.core.forms import keep_typed_changes
from caseview.core.models import StaleEdit
from caseview.core.views import AuthenticatedRequest
from caseview.people.selectors import participants_in, withdrawals
from caseview.reviews.access import review_view
from caseview.reviews.models import Review
from caseview.reviews.rules import can
from caseview.reviews.views import apply_errors, review_context

# Entries offered at once for linking to a turning point; past this, the reviewer narrows the period or words.
ENTRY_CHOICES = 300
# Days either side of a turning point's date that its entry chooser starts with.
ENTRY_WINDOW_DAYS = 45


def _context(request: AuthenticatedRequest, review: Review, title: str, **extra: Any) -> dict[str, Any]:
    return review_context(request, review, "conversations", title, **extra)


@review_view("reviews.view_conversations")
def conversation_list(request: AuthenticatedRequest, review: Review) -> HttpResponse:
    if not can(request.user, "reviews.record_conversations", review):
        # A practitioner or family member has one place for their own records: the pages they check them on.
        return redirect("conversations:my-records", review.reference)
    withdrawn = withdrawals(review=review)
    rows = [
        {"conversation": conversation, "withdrawals": withdrawn.get(conversation.participant_id, [])}
        for conversation in selectors.conversations_in(review=review)
    ]
    return render(request, "conversations/list.html", _context(request, review, "Conversations", rows=rows))


def _is_uuid(value: str | None) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


@review_view("reviews.record_conversations")
@require_http_methods(["GET", "POST"])
def arrange(request: AuthenticatedRequest, review: Review) -> HttpResponse:
    participants = participants_in(review=review)
    # From a participant's page the form opens with that person already chosen.
    chosen = (
        participants.filter(pk=request.GET["participant"]).first() if _is_uuid(request.GET.get("participant")) else None
    )
    form = ArrangementsForm(
        request.POST or None,
        participants=participants,
        reviewers=selectors.reviewers_of(review=review),
        initial={"participant": chosen} if chosen else None,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            conversation = services.conversation_arrange(
                review=review,
                participant=data["participant"],
                by=request.user,
                origin=Origin.from_request(request),
                guide=data["guide"],
                scheduled_for=data["scheduled_for"],
                mode=data["mode"],
                place=data["place"],
                reviewers=data["reviewers"],
                supporter_present=data["supporter_present"],
                recorded=data["recorded"],
                status=data["status"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Conversation with {conversation.participant.label} arranged")
            return redirect("conversations:record", review.reference, conversation.pk)
    context = _context(request, review, "Arrange a conversation", form=form, has_participants=participants.exists())
    return render(request, "conversations/arrange.html", context)


@review_view("reviews.record_conversations")
@require_http_methods(["GET", "POST"])
def arrangements(request: AuthenticatedRequest, review: Review, conversation_id: Any) -> HttpResponse:
    conversation = selectors.conversation_for(review=review, conversation_id=conversation_id)
    form = ArrangementsForm(
        request.POST or None,
        participants=None,
        reviewers=selectors.reviewers_of(review=review),
        conversation=conversation,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.conversation_update(
                conversation=conversation,
                expected_version=data["version"] or 0,
                by=request.user,
                origin=Origin.from_request(request),
                guide=data["guide"],
                scheduled_for=data["scheduled_for"],
                mode=data["mode"],
                place=data["place"],
                reviewers=data["reviewers"],
                supporter_present=data["supporter_present"],
                recorded=data["recorded"],
                status=data["status"],
            )
        except StaleEdit as exc:
            conversation.refresh_from_db()
            reviewers = selectors.reviewers_of(review=review)
            now = ArrangementsForm(participants=None, reviewers=reviewers, conversation=conversation)
            keep_typed_changes(form, saved=now.initial, problem=exc)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Arrangements saved")
            return redirect("conversations:record", review.reference, conversation.pk)
    title = f"Arrangements for the conversation with {conversation.participant.label}"
    return render(
        request, "conversations/arrangements.html", _context(request, review, title, form=form, item=conversation)
    )


# --- the record ------------------------------------------------------------------------------------------


def _then(review: Review, conversation: Conversation, then: str) -> str:
    """Where a button on the record page goes once the notes are saved (so no typing is lost on the way)."""
    args = [review.reference, conversation.pk]
    plain = {
        "add": "conversations:perspective-add",
        "share": "conversations:share",
        "file": "conversations:file-add",
        "arrangements": "conversations:arrangements",
        "history": "conversations:history",
    }
    with_id = {
        "perspective": "conversations:perspective",
        "entries": "conversations:perspective-entries",
        "remove": "conversations:perspective-remove",
        "retention": "conversations:file-retention",
    }
    if then in plain:
        return reverse(plain[then], args=args)
    action, _, identifier = then.partition(":")
    if action in with_id:
        try:
            return reverse(with_id[action], args=[*args, uuid.UUID(identifier)])
        except ValueError:
            pass
    return reverse("conversations:record", args=args)


def _perspective_view(perspective: Perspective, guide: ConversationGuide) -> dict[str, Any]:
    return {
        "item": perspective,
        "answers": [
            (prompt.label, getattr(perspective, prompt.field))
            for prompt in guide.turning_point_prompts
            if prompt.field not in {KNOWN_AT_THE_TIME, LEARNED_LATER}
        ],
        "entries": [
            selectors.EntryChoice(entry, selectors.entry_date_text(entry)) for entry in perspective.entries.all()
        ],
    }


def _notes_with_conflicts(
    request: AuthenticatedRequest, form: RecordNotesForm, conversation: Conversation, exc: StaleEdit
) -> tuple[RecordNotesForm, dict[str, str]]:
    """The notes form again, with the reviewer's words kept and the other person's shown beside each clash.

    The clashing sections take the other person's version, so saving again keeps the reviewer's combined words.
    """
    saved = selectors.section_notes(conversation=conversation)
    data = request.POST.copy()
    theirs = {}
    for key in exc.message_dict:
        row = saved.get(key)
        theirs[key] = row.notes if row else ""
        data[f"version_{key}"] = str(row.version if row else 0)
        data[f"shown_{key}"] = digest(theirs[key])
    again = RecordNotesForm(data, sections=form.sections, saved=saved)
    again.is_valid()
    for key, problems in exc.message_dict.items():
        again.add_error(f"notes_{key}", problems)
    return again, theirs


@review_view("reviews.record_conversations")
@require_http_methods(["GET", "POST"])
def record(request: AuthenticatedRequest, review: Review, conversation_id: Any) -> HttpResponse:
    conversation = selectors.conversation_for(review=review, conversation_id=conversation_id)
    guide = guide_for(conversation.guide)
    saved = selectors.section_notes(conversation=conversation)
    form = None
    theirs: dict[str, str] = {}
    status = 200
    if not conversation.locked:
        form = RecordNotesForm(request.POST or None, sections=guide.sections, saved=saved)
    if request.method == "POST" and form is None:
        messages.warning(request, "Nothing was saved: the record has been agreed")
        return redirect("conversations:record", review.reference, conversation.pk)
    if request.method == "POST" and form is not None:
        status = 400
        if form.is_valid():
            try:
                changed = services.record_sections_save(
                    conversation=conversation,
                    notes=form.changed_notes(),
                    expected_versions=form.versions(),
                    by=request.user,
                    origin=Origin.from_request(request),
                )
            except StaleEdit as exc:
                form, theirs = _notes_with_conflicts(request, form, conversation, exc)
                status = 409
            except ValidationError as exc:
                messages.warning(request, exc.messages[0])
                return redirect("conversations:record", review.reference, conversation.pk)
            else:
                titles = {section.key: section.title for section in guide.sections}
                if changed:
                    messages.success(request, f"Notes saved: {', '.join(titles[row.key] for row in changed)}")
                return redirect(_then(review, conversation, request.POST.get("then", "")))
    services.record_viewed(conversation=conversation, by=request.user, origin=Origin.from_request(request))
    fields = {section.key: (notes, version, shown) for section, notes, version, shown in form.rows()} if form else {}

    def rows(sections: tuple[Section, ...]) -> list[dict[str, Any]]:
        return [
            {
                "section": section,
                "notes": saved[section.key].notes if section.key in saved else "",
                "fields": fields.get(section.key),
                "theirs": theirs.get(section.key),
            }
            for section in sections
        ]

    participant = conversation.participant
    consent = selectors.recording_consent(participant=participant)
    context = _context(
        request,
        review,
        f"Conversation with {participant.label}",
        item=conversation,
        guide=guide,
        form=form,
        opening=rows(guide.opening),
        closing=rows(guide.closing),
        perspectives=[_perspective_view(p, guide) for p in selectors.perspectives_of(conversation=conversation)],
        files=selectors.files_of(conversation=conversation),
        comments=conversation.comments.select_related("author", "perspective"),
        section_titles={section.key: section.title for section in guide.sections},
        versions=selectors.versions_of(conversation=conversation),
        no_recording_consent=conversation.recorded and not (consent and consent.in_force),
        withdrawals=withdrawals(review=review).get(participant.pk, []),
    )
    return render(request, "conversations/record.html", context, status=status)


def _writable(request: AuthenticatedRequest, review: Review, conversation: Conversation) -> HttpResponse | None:
    """Back to the record, with a word why, when it is agreed and so cannot be changed here."""
    if conversation.locked:
        messages.warning(
            request,
            f"This record was agreed on {selectors.local_date(conversation.agreed_at)}: reopen it with a reason to "
            "change it",
        )
        return redirect("conversations:record", review.reference, conversation.pk)
    return None


@review_view("reviews.record_conversations")
@require_http_methods(["GET", "POST"])
def perspective_add(request: AuthenticatedRequest, review: Review, conversation_id: Any) -> HttpResponse:
    conversation = selectors.conversation_for(review=review, conversation_id=conversation_id)
    if refused := _writable(request, review, conversation):
        return refused
    guide = guide_for(conversation.guide)
    form = PerspectiveForm(request.POST or None, guide=guide)
    if request.method == "POST" and form.is_valid():
        try:
            perspective = services.perspective_add(
                conversation=conversation,
                turning_point=form.cleaned_data["turning_point"],
                happened_on=form.cleaned_data["happened_on"],
                by=request.user,
                origin=Origin.from_request(request),
                **form.answers(),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, f"Turning point {perspective.number} added. Link it to the chronology entries it is about."
            )
            return redirect("conversations:perspective-entries", review.reference, conversation.pk, perspective.pk)
    context = _context(
        request,
        review,
        f"Add a turning point: {conversation.participant.label}",
        item=conversation,
        guide=guide,
        form=form,
    )
    return render(request, "conversations/perspective.html", context)


@review_view("reviews.record_conversations")
@require_http_methods(["GET", "POST"])
def perspective(
    request: AuthenticatedRequest, review: Review, conversation_id: Any, perspective_id: Any
) -> HttpResponse:
    conversation = selectors.conversation_for(review=review, conversation_id=conversation_id)
    if refused := _writable(request, review, conversation):
        return refused
    item = selectors.perspective_for(conversation=conversation, perspective_id=perspective_id)
    guide = guide_for(conversation.guide)
    initial = {
        "turning_point": item.turning_point,
        "happened_on": item.happened_on,
        "version": item.version,
        **{prompt.field: getattr(item, prompt.field) for prompt in guide.turning_point_prompts},
    }
    form = PerspectiveForm(request.POST or None, guide=guide, initial=initial)
    theirs = None
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.perspective_update(
                perspective=item,
                expected_version=form.cleaned_data["version"] or 0,
                turning_point=form.cleaned_data["turning_point"],
                happened_on=form.cleaned_data["happened_on"],
                by=request.user,
                origin=Origin.from_request(request),
                **form.answers(),
            )
        except StaleEdit as exc:
            item.refresh_from_db()
            theirs = _perspective_view(item, guide)
            data = request.POST.copy()
            data["version"] = str(item.version)
            form = PerspectiveForm(data, guide=guide)
            form.is_valid()
            form.add_error(None, exc.messages)
            status = 409
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Turning point {item.number} saved")
            return redirect(
                reverse("conversations:record", args=[review.reference, conversation.pk]) + f"#tp-{item.number}"
            )
    services.record_viewed(
        conversation=conversation,
        by=request.user,
        origin=Origin.from_request(request),
        part=f"turning point {item.number} of the record of the conversation with {conversation.participant.label}",
    )
    context = _context(
        request,
        review,
        f"Turning point {item.number}: {conversation.participant.label}",
        item=conversation,
        guide=guide,
        form=form,
        perspective=item,
        theirs=theirs,
        headings=HEADINGS,
    )
    return render(request, "conversations/perspective.html", context, status=status)


@review_view("reviews.record_conversations")
@require_http_methods(["GET", "POST"])
def perspective_entries(
    request: AuthenticatedRequest, review: Review, conversation_id: Any, perspective_id: Any
) -> HttpResponse:
    conversation = selectors.conversation_for(review=review, conversation_id=conversation_id)
    if refused := _writable(request, review, conversation):
        return refused
    item = selectors.perspective_for(conversation=conversation, perspective_id=perspective_id)
    if request.method == "POST":
        shown = set(request.POST.getlist("shown"))
        checked = set(request.POST.getlist("link"))
        try:
            services.perspective_entries_set(
                perspective=item,
                link=checked & shown,
                unlink=shown - checked,
                by=request.user,
                origin=Origin.from_request(request),
            )
        except ValidationError as exc:
            messages.warning(request, " ".join(exc.messages))
            return redirect(request.get_full_path())
        messages.success(request, f"Chronology entries for turning point {item.number} saved")
        return redirect(
            reverse("conversations:record", args=[review.reference, conversation.pk]) + f"#tp-{item.number}"
        )
    filters = EntryFilterForm(request.GET or None)
    start = end = None
    text = ""
    around = None
    if filters.is_bound and filters.is_valid():
        start, end, text = filters.cleaned_data["start"], filters.cleaned_data["end"], filters.cleaned_data["q"]
    elif not filters.is_bound and item.happened_on:
        around = item.happened_on
        start = around - dt.timedelta(days=ENTRY_WINDOW_DAYS)
        end = around + dt.timedelta(days=ENTRY_WINDOW_DAYS)
        filters = EntryFilterForm(initial={"start": start, "end": end})
    linked = [selectors.EntryChoice(entry, selectors.entry_date_text(entry)) for entry in item.entries.all()]
    linked_ids = {choice.entry.pk for choice in linked}
    choices, total = selectors.entry_choices(review=review, start=start, end=end, text=text, limit=ENTRY_CHOICES)
    services.record_viewed(
        conversation=conversation,
        by=request.user,
        origin=Origin.from_request(request),
        part=f"turning point {item.number} of the record of the conversation with {conversation.participant.label}",
    )
    context = _context(
        request,
        review,
        f"Chronology entries for turning point {item.number}",
        item=conversation,
        perspective=item,
        filters=filters,
        filtered=filters.is_bound,
        around=around,
        window=ENTRY_WINDOW_DAYS,
        linked=linked,
        choices=[choice for choice in choices if choice.entry.pk not in linked_ids],
        total=total,
        limit=ENTRY_CHOICES,
    )
    return render(request, "conversations/perspective_entries.html", context)


@review_view("reviews.record_conversations")
@require_http_methods(["GET", "POST"])
def perspective_remove(
    request: AuthenticatedRequest, review: Review, conversation_id: Any, perspective_id: Any
) -> HttpResponse:
    conversation = selectors.conversation_for(review=review, conversation_id=conversation_id)
    if refused := _writable(request, review, conversation):
        return refused
    item = selectors.perspective_for(conversation=conversation, perspective_id=perspective_id)
    form = VersionForm(request.POST or None, initial={"version": item.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.perspective_remove(
                perspective=item,
                expected_version=form.cleaned_data["version"],
                by=request.user,
                origin=Origin.from_request(request),
            )
        except ValidationError as exc:
            messages.warning(request, exc.messages[0])
            return redirect("conversations:perspective-remove", review.reference, conversation.pk, item.pk)
        messages.success(request, f"Turning point {item.number} removed")
        return redirect("conversations:record", review.reference, conversation.pk)
    services.record_viewed(
        conversation=conversation,
        by=request.user,
        origin=Origin.from_request(request),
        part=f"turning point {item.number} of the record of the conversation with {conversation.participant.label}",
    )
    context = _context(
        request, review, f"Remove turning point {item.number}?", item=conversation, perspective=item, form=form
    )
    return render(request, "conversations/perspective_remove.html", context)


@review_view("reviews.record_conversations")
@require_http_methods(["GET", "POST"])
def share(request: AuthenticatedRequest, review: Review, conversation_id: Any) -> HttpResponse:
    conversation = selectors.conversation_for(review=review, conversation_id=conversation_id)
    if request.method == "POST":
        try:
            services.record_share(conversation=conversation, by=request.user, origin=Origin.from_request(request))
        except ValidationError as exc:
            messages.warning(request, exc.messages[0])
            return redirect("conversations:share", review.reference, conversation.pk)
        messages.success(request, f"The record is now with {conversation.participant.label} to check")
        return redirect("conversations:record", review.reference, conversation.pk)
    context = _context(request, review, f"Share the record with {conversation.participant.label}", item=conversation)
    return render(request, "conversations/share.html", context)


@review_view("reviews.record_conversations")
@require_http_methods(["GET", "POST"])
def reopen(request: AuthenticatedRequest, review: Review, conversation_id: Any) -> HttpResponse:
    conversation = selectors.conversation_for(review=review, conversation_id=conversation_id)
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_reopen(
                conversation=conversation,
                reason=form.cleaned_data["reason"],
                by=request.user,
                origin=Origin.from_request(request),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                f"The record is open again as version {conversation.record_version + 1}. The agreed version is kept "
                "in its history.",
            )
            return redirect("conversations:record", review.reference, conversation.pk)
    context = _context(request, review, "Reopen the agreed record", item=conversation, form=form)
    return render(request, "conversations/reopen.html", context)


@review_view("reviews.record_conversations")
def history(request: AuthenticatedRequest, review: Review, conversation_id: Any) -> HttpResponse:
    conversation = selectors.conversation_for(review=review, conversation_id=conversation_id)
    versions = list(selectors.versions_of(conversation=conversation))
    context = _context(
        request,
        review,
        f"History of the record: {conversation.participant.label}",
        item=conversation,
        versions=versions,
        current_kept=any(kept.number == conversation.record_version for kept in versions),
    )
    return render(request, "conversations/history.html", context)


@review_view("reviews.record_conversations")
def version(request: AuthenticatedRequest, review: Review, conversation_id: Any, version: int) -> HttpResponse:
    conversation = selectors.conversation_for(review=review, conversation_id=conversation_id)
    kept = selectors.version_for(conversation=conversation, number=version)
    snapshot = json.loads(kept.snapshot)
    guide = guide_for(snapshot.get("guide", conversation.guide))
    entries = selectors.entries_by_id(
        review=review, ids=[entry for point in snapshot.get("turning_points", []) for entry in point.get("entries", [])]
    )
    turning_points = [
        {
            "number": point["number"],
            "turning_point": point.get("turning_point", ""),
            "happened_on": point.get("happened_on"),
            "answers": [
                (prompt.label, point.get(prompt.field, ""))
                for prompt in guide.turning_point_prompts
                if prompt.field not in {KNOWN_AT_THE_TIME, LEARNED_LATER}
            ],
            "known": point.get(KNOWN_AT_THE_TIME, ""),
            "learned": point.get(LEARNED_LATER, ""),
            "entries": [entries[entry] for entry in point.get("entries", []) if entry in entries],
            "missing_entries": len([entry for entry in point.get("entries", []) if entry not in entries]),
        }
        for point in snapshot.get("turning_points", [])
    ]
    services.record_viewed(
        conversation=conversation,
        by=request.user,
        origin=Origin.from_request(request),
        part=f"version {kept.number} of the record of the conversation with {conversation.participant.label}",
    )
    context = _context(
        request,
        review,
        f"Version {kept.number} of the record: {conversation.participant.label}",
        item=conversation,
        kept=kept,
        guide=guide,
        sections=snapshot.get("sections", []),
        opening_keys={section.key for section in guide.opening},
        turning_points=turning_points,
    )
    return render(request, "conversations/version.html", context)


# --- files -----------------------------------------------------------------------------------------------


@review_view("reviews.record_conversations")
@require_http_methods(["GET", "POST"])
def file_add(request: AuthenticatedRequest, review: Review, conversation_id: Any) -> HttpResponse:
    conversation = selectors.conversation_for(review=review, conversation_id=conversation_id)
    form = FileForm(
        request.POST or None, request.FILES or None, initial={"retain_until": services.default_retain_until()}
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            uploaded = form.cleaned_data["file"]
            try:
                services.file_attach(
                    conversation=conversation,
                    kind=form.cleaned_data["kind"],
                    name=uploaded.name or "file",
                    data=uploaded.read(services.MAX_FILE_BYTES + 1),
                    retain_until=form.cleaned_data["retain_until"],
                    by=request.user,
                    origin=Origin.from_request(request),
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, f"{uploaded.name} attached, encrypted")
                return redirect(reverse("conversations:record", args=[review.reference, conversation.pk]) + "#files")
        status = 400
    context = _context(
        request,
        review,
        f"Attach a file: {conversation.participant.label}",
        item=conversation,
        form=form,
        max_mb=services.MAX_FILE_BYTES // 1_048_576,
        accepted=files.ACCEPTED,
    )
    return render(request, "conversations/file_add.html", context, status=status)


@review_view("reviews.record_conversations")
def file_download(request: AuthenticatedRequest, review: Review, conversation_id: Any, file_id: Any) -> FileResponse:
    conversation = selectors.conversation_for(review=review, conversation_id=conversation_id)
    item = selectors.file_for(conversation=conversation, file_id=file_id)
    try:
        content = services.file_open(file=item, by=request.user, origin=Origin.from_request(request))
    except ValidationError as exc:
        raise Http404(exc.messages[0]) from exc
    response = FileResponse(io.BytesIO(content), as_attachment=True, filename=item.name, content_type=item.content_type)
    response["Cache-Control"] = "no-store"
    return response


@review_view("reviews.record_conversations")
@require_http_methods(["GET", "POST"])
def file_retention(request: AuthenticatedRequest, review: Review, conversation_id: Any, file_id: Any) -> HttpResponse:
    conversation = selectors.conversation_for(review=review, conversation_id=conversation_id)
    item = selectors.file_for(conversation=conversation, file_id=file_id)
    if item.purged_at is not None:
        raise Http404("This file has been deleted")
    form = RetentionForm(request.POST or None, initial={"retain_until": item.retain_until})
    if request.method == "POST" and form.is_valid():
        try:
            services.file_retention_change(
                file=item,
                retain_until=form.cleaned_data["retain_until"],
                by=request.user,
                origin=Origin.from_request(request),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Date to delete the file saved")
            return redirect(reverse("conversations:record", args=[review.reference, conversation.pk]) + "#files")
    context = _context(
        request,
        review,
        f"When to delete the {item.get_kind_display().lower()}",
        item=conversation,
        file=item,
        form=form,
    )
    return render(request, "conversations/file_retention.html", context)


# --- exports ---------------------------------------------------------------------------------------------


@review_view("reviews.record_conversations")
def export(request: AuthenticatedRequest, review: Review, fmt: str) -> HttpResponse:
    result = services.perspectives_export(review=review, fmt=fmt, by=request.user, origin=Origin.from_request(request))
    response = HttpResponse(result.content, content_type=result.content_type)
    response["Content-Disposition"] = f'attachment; filename="{result.filename}"'
    response["Cache-Control"] = "no-store"
    return response
