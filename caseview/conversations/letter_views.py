"""Pages for letters: a participant's letters in a review, and a partnership's own wording of the six letters."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from caseview.conversations import letter_selectors as selectors
from caseview.conversations import letter_services as services
from caseview.conversations.letter_forms import LetterChoiceForm, LetterSentForm, TemplateForm, VersionForm
from caseview.conversations.letters import PLACEHOLDERS, Wording, html
from caseview.conversations.models import Audience, Letter, LetterKind
from caseview.core.audit import Origin
from caseview.core.models import StaleEdit
from caseview.core.views import AuthenticatedRequest
from caseview.people.models import Participant
from caseview.people.selectors import participant_for
from caseview.reviews.access import partnership_admin_view, review_view
from caseview.reviews.models import Partnership, Review
from caseview.reviews.views import apply_errors, review_context


def _context(
    request: AuthenticatedRequest, review: Review, participant: Participant, title: str, **extra: Any
) -> dict[str, Any]:
    return review_context(request, review, "participants", title, participant=participant, **extra)


def _letter_title(kind: str, audience: str) -> str:
    return f"{LetterKind(kind).label} for {Audience(audience).label.lower()}"


# --- a participant's letters --------------------------------------------------------------------------


@review_view("reviews.manage_participants")
def participant_letters(request: AuthenticatedRequest, review: Review, participant_id: str) -> HttpResponse:
    participant = participant_for(user=request.user, review=review, participant_id=participant_id)
    context = _context(
        request,
        review,
        participant,
        f"Letters to {participant.label}",
        letters=selectors.letters_for(participant=participant),
    )
    return render(request, "conversations/letters/list.html", context)


@review_view("reviews.manage_participants")
@require_http_methods(["GET", "POST"])
def letter_new(request: AuthenticatedRequest, review: Review, participant_id: str) -> HttpResponse:
    """Choose a letter (a GET form, so the choice can be changed), see it filled in, then prepare it (POST)."""
    participant = participant_for(user=request.user, review=review, participant_id=participant_id)
    initial = {
        "audience": selectors.default_audience(participant),
        "conversation_date": selectors.next_conversation_date(participant),
        "support_contact": selectors.contact_for(request.user),
    }
    data = request.POST if request.method == "POST" else (request.GET if "kind" in request.GET else None)
    form = LetterChoiceForm(data, initial=initial)
    if form.is_bound and form.is_valid() and "change" not in request.GET:
        choice = {
            name: form.cleaned_data[name] for name in ("kind", "audience", "conversation_date", "support_contact")
        }
        origin = Origin.from_request(request)
        if request.method == "POST":
            letter = services.letter_prepare(participant=participant, by=request.user, origin=origin, **choice)
            messages.success(request, f"{letter.get_kind_display()} prepared. Download it, send it, then record it")
            return redirect("conversations:letter", review.reference, participant.pk, letter.pk)
        wording = services.letter_preview(participant=participant, by=request.user, origin=origin, **choice)
        context = _context(
            request,
            review,
            participant,
            f"Preview: {_letter_title(choice['kind'], choice['audience'])}",
            form=form,
            letter_html=html(wording, audience=choice["audience"], heading_level=2),
            change_query=f"{request.GET.urlencode()}&change=1",
        )
        return render(request, "conversations/letters/preview.html", context)
    context = _context(request, review, participant, f"Prepare a letter to {participant.label}", form=form)
    return render(request, "conversations/letters/choose.html", context)


def _letter_page(
    request: AuthenticatedRequest, review: Review, participant: Participant, letter: Letter, sent_form: LetterSentForm
) -> HttpResponse:
    services.letter_read(letter=letter, by=request.user, origin=Origin.from_request(request))
    context = _context(
        request,
        review,
        participant,
        f"{letter.get_kind_display()} to {participant.label}",
        letter=letter,
        sent_form=sent_form,
        letter_html=html(Wording(letter.subject, letter.body), audience=letter.audience, heading_level=3),
    )
    return render(request, "conversations/letters/letter.html", context)


@review_view("reviews.manage_participants")
def letter_detail(request: AuthenticatedRequest, review: Review, participant_id: str, letter_id: str) -> HttpResponse:
    participant = participant_for(user=request.user, review=review, participant_id=participant_id)
    letter = selectors.letter_for(participant=participant, letter_id=letter_id)
    return _letter_page(
        request,
        review,
        participant,
        letter,
        LetterSentForm(initial={"version": letter.version, "sent_on": timezone.localdate()}),
    )


@review_view("reviews.manage_participants")
@require_POST
def letter_sent(request: AuthenticatedRequest, review: Review, participant_id: str, letter_id: str) -> HttpResponse:
    participant = participant_for(user=request.user, review=review, participant_id=participant_id)
    letter = selectors.letter_for(participant=participant, letter_id=letter_id)
    form = LetterSentForm(request.POST)
    if form.is_valid():
        try:
            services.letter_mark_sent(
                letter=letter,
                sent_on=form.cleaned_data["sent_on"],
                sent_how=form.cleaned_data["sent_how"],
                expected_version=form.cleaned_data["version"],
                by=request.user,
                origin=Origin.from_request(request),
            )
        except StaleEdit as exc:
            messages.warning(request, exc.messages[0])
            return redirect("conversations:letter", review.reference, participant.pk, letter.pk)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"{letter.get_kind_display()} to {participant.label} recorded as sent")
            return redirect("conversations:letters", review.reference, participant.pk)
    return _letter_page(request, review, participant, letter, form)


def _download(
    request: AuthenticatedRequest, review: Review, participant_id: str, letter_id: str, fmt: str
) -> HttpResponse:
    participant = participant_for(user=request.user, review=review, participant_id=participant_id)
    letter = selectors.letter_for(participant=participant, letter_id=letter_id)
    file = services.letter_download(letter=letter, fmt=fmt, by=request.user, origin=Origin.from_request(request))
    response = HttpResponse(file.content, content_type=file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
    response["Cache-Control"] = "no-store"
    return response


@review_view("reviews.manage_participants")
def letter_docx(request: AuthenticatedRequest, review: Review, participant_id: str, letter_id: str) -> HttpResponse:
    return _download(request, review, participant_id, letter_id, "docx")


@review_view("reviews.manage_participants")
def letter_pdf(request: AuthenticatedRequest, review: Review, participant_id: str, letter_id: str) -> HttpResponse:
    return _download(request, review, participant_id, letter_id, "pdf")


# --- a partnership's wording --------------------------------------------------------------------------


def _partnership_context(partnership: Partnership, title: str, **extra: Any) -> dict[str, Any]:
    return {"partnership": partnership, "page_title": title, "heading": title, "nav_section": "partnerships", **extra}


@partnership_admin_view
def template_list(request: AuthenticatedRequest, partnership: Partnership) -> HttpResponse:
    context = _partnership_context(partnership, "Letters", wordings=selectors.wordings_for(partnership=partnership))
    return render(request, "partnerships/letters.html", context)


@partnership_admin_view
@require_http_methods(["GET", "POST"])
def template_edit(
    request: AuthenticatedRequest, partnership: Partnership, letter_kind: str, audience: str
) -> HttpResponse:
    kind, audience = selectors.letter_choice(letter_kind, audience)
    current = selectors.wording_for(partnership=partnership, kind=kind, audience=audience)
    initial = {"subject": current.wording.subject, "body": current.wording.body, "version": current.version}
    form = TemplateForm(request.POST if request.method == "POST" else None, initial=initial)
    theirs = None
    if request.method == "POST" and form.is_valid():
        try:
            services.template_save(
                partnership=partnership,
                kind=kind,
                audience=audience,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                expected_version=form.cleaned_data["version"],
                by=request.user,
                origin=Origin.from_request(request),
            )
        except StaleEdit as exc:
            # Saving again now means to replace their wording with this one.
            data = request.POST.copy()
            data["version"] = str(current.version)
            form = TemplateForm(data)
            form.is_valid()
            form.add_error(None, exc.messages)
            theirs = current
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Your wording of the {_letter_title(kind, audience).lower()} is saved")
            return redirect("partnerships:letters", partnership.pk)
    context = _partnership_context(
        partnership,
        _letter_title(kind, audience),
        form=form,
        current=current,
        theirs=theirs,
        reset_form=VersionForm(initial={"version": current.version}),
        placeholders=PLACEHOLDERS,
    )
    return render(request, "partnerships/letters_edit.html", context)


@partnership_admin_view
@require_POST
def template_reset(
    request: AuthenticatedRequest, partnership: Partnership, letter_kind: str, audience: str
) -> HttpResponse:
    kind, audience = selectors.letter_choice(letter_kind, audience)
    form = VersionForm(request.POST)
    if not form.is_valid():
        messages.warning(request, "Open the letter again and then go back to caseview's wording")
        return redirect("partnerships:letter-edit", partnership.pk, kind, audience)
    try:
        services.template_reset(
            partnership=partnership,
            kind=kind,
            audience=audience,
            expected_version=form.cleaned_data["version"],
            by=request.user,
            origin=Origin.from_request(request),
        )
    except ValidationError as exc:
        messages.warning(request, exc.messages[0])
        return redirect("partnerships:letter-edit", partnership.pk, kind, audience)
    messages.success(request, f"The {_letter_title(kind, audience).lower()} uses caseview's wording again")
    return redirect("partnerships:letters", partnership.pk)
