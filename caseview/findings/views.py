from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from caseview.analysis.language import check
from caseview.core.audit import Origin
from caseview.core.forms import keep_typed_changes
from caseview.core.models import StaleEdit
from caseview.core.views import AuthenticatedRequest
from caseview.findings import board_selectors, exports, selectors, services
from caseview.findings.forms import (
    BoardQuestionEditForm,
    BoardQuestionForm,
    FindingEditForm,
    FindingForm,
    RankingForm,
    finding_initial,
)
from caseview.findings.models import BoardQuestion, Finding
from caseview.findings.services import TEXT_FIELDS, RankChoice
from caseview.findings.typology import TYPOLOGY
from caseview.reviews.access import review_view
from caseview.reviews.models import Review
from caseview.reviews.rules import can
from caseview.reviews.views import apply_errors, review_context

# What each of the finding's text fields is called where the language check reports on it.
TEXT_NAMES = {
    "statement": "the finding",
    "how_it_showed": "how it showed",
    "evidence_not_one_off": "the evidence it is not a one-off",
    "prevalence_local": "how widespread locally",
    "prevalence_national": "how widespread nationally",
    "why_it_matters": "why it matters",
    "summary": "the summary",
}


def _context(request: AuthenticatedRequest, review: Review, title: str, **extra: Any) -> dict[str, Any]:
    return review_context(request, review, "findings", title, **extra)


def _to_finding(review: Review, finding: Finding, anchor: str = "") -> HttpResponse:
    url = reverse("findings:finding", args=[review.reference, finding.number])
    return redirect(f"{url}#{anchor}" if anchor else url)


def _language_note(finding: Finding) -> str:
    found = sum(len(check(getattr(finding, name))) for name in TEXT_FIELDS)
    if not found:
        return ""
    return f" The language check found {found} phrase{'s' if found != 1 else ''} to look at again: see the suggestions."


@review_view("reviews.view_findings")
def finding_list(request: AuthenticatedRequest, review: Review) -> HttpResponse:
    findings = selectors.ranked(selectors.findings_of(review=review))
    rows = [(finding, selectors.chain_of(finding=finding)) for finding in findings]
    return render(request, "findings/list.html", _context(request, review, "Findings", rows=rows, typology=TYPOLOGY))


def _form_page(
    request: AuthenticatedRequest, review: Review, form: FindingForm, finding: Finding | None
) -> HttpResponse:
    title = f"Change finding {finding.number}" if finding else "Write a finding"
    return render(request, "findings/form.html", _context(request, review, title, form=form, finding=finding))


@review_view("reviews.edit_findings")
@require_http_methods(["GET", "POST"])
def finding_create(request: AuthenticatedRequest, review: Review) -> HttpResponse:
    form = FindingForm(request.POST or None, review=review)
    if request.method == "POST" and form.is_valid():
        try:
            finding = services.finding_create(
                review=review, details=form.details(), by=request.user, origin=Origin.from_request(request)
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, f"Finding {finding.number} written. Add its questions for the board.{_language_note(finding)}"
            )
            return _to_finding(review, finding, "board-questions")
    return _form_page(request, review, form, None)


@review_view("reviews.edit_findings")
@require_http_methods(["GET", "POST"])
def finding_edit(request: AuthenticatedRequest, review: Review, number: int) -> HttpResponse:
    finding = selectors.finding_for(review=review, number=number)
    form = FindingEditForm(request.POST or None, review=review, initial=finding_initial(finding))
    if request.method == "POST" and form.is_valid():
        try:
            finding = services.finding_update(
                finding=finding,
                expected_version=form.cleaned_data["version"],
                details=form.details(),
                by=request.user,
                origin=Origin.from_request(request),
            )
        except StaleEdit as exc:
            finding = selectors.finding_for(review=review, number=number)
            keep_typed_changes(form, saved=finding_initial(finding), problem=exc)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Finding {finding.number} saved.{_language_note(finding)}")
            return _to_finding(review, finding)
    return _form_page(request, review, form, finding)


def _finding_page(
    request: AuthenticatedRequest, review: Review, finding: Finding, question_form: BoardQuestionForm
) -> HttpResponse:
    editing = can(request.user, "reviews.edit_findings", review)
    sees_board = can(request.user, "reviews.view_board_response", review)
    texts = [(name, TEXT_NAMES[name], getattr(finding, name)) for name in TEXT_FIELDS if name != "statement"]
    context = _context(
        request,
        review,
        f"Finding {finding.number}",
        finding=finding,
        texts=texts,
        chain=selectors.chain_of(finding=finding),
        questions=list(finding.board_questions.all()),
        question_form=question_form,
        editing=editing,
        sees_entries=can(request.user, "reviews.view_chronology", review),
        sees_board=sees_board,
        response=board_selectors.response_for(finding=finding) if sees_board else None,
        actions=board_selectors.actions_of_finding(finding=finding) if sees_board else [],
    )
    return render(request, "findings/finding.html", context)


@review_view("reviews.view_findings")
def finding_detail(request: AuthenticatedRequest, review: Review, number: int) -> HttpResponse:
    finding = selectors.finding_for(review=review, number=number)
    return _finding_page(request, review, finding, BoardQuestionForm())


# --- Questions for the board -------------------------------------------------------------------------------


@review_view("reviews.edit_findings")
@require_POST
def question_add(request: AuthenticatedRequest, review: Review, number: int) -> HttpResponse:
    finding = selectors.finding_for(review=review, number=number)
    form = BoardQuestionForm(request.POST)
    if form.is_valid():
        try:
            services.board_question_add(
                finding=finding, text=form.cleaned_data["text"], by=request.user, origin=Origin.from_request(request)
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Question for the board added.")
            return _to_finding(review, finding, "board-questions")
    return _finding_page(request, review, finding, form)


def _question(finding: Finding, question_id: Any) -> BoardQuestion:
    question = finding.board_questions.filter(pk=question_id).first()
    if question is None:
        raise Http404("No such question")
    return question


@review_view("reviews.edit_findings")
@require_http_methods(["GET", "POST"])
def question_edit(request: AuthenticatedRequest, review: Review, number: int, board_question_id: Any) -> HttpResponse:
    finding = selectors.finding_for(review=review, number=number)
    question = _question(finding, board_question_id)
    form = BoardQuestionEditForm(request.POST or None, initial={"text": question.text, "version": question.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.board_question_update(
                question=question,
                expected_version=form.cleaned_data["version"],
                text=form.cleaned_data["text"],
                by=request.user,
                origin=Origin.from_request(request),
            )
        except StaleEdit as exc:
            question.refresh_from_db()
            keep_typed_changes(form, saved={"text": question.text, "version": question.version}, problem=exc)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Question for the board saved.")
            return _to_finding(review, finding, "board-questions")
    title = f"Change question {question.order} on finding {finding.number}"
    return render(request, "findings/question_form.html", _context(request, review, title, form=form, finding=finding))


@review_view("reviews.edit_findings")
@require_POST
def question_remove(request: AuthenticatedRequest, review: Review, number: int, board_question_id: Any) -> HttpResponse:
    finding = selectors.finding_for(review=review, number=number)
    services.board_question_remove(
        question=_question(finding, board_question_id), by=request.user, origin=Origin.from_request(request)
    )
    messages.success(request, "Question for the board removed.")
    return _to_finding(review, finding, "board-questions")


# --- Ranking -----------------------------------------------------------------------------------------------


@review_view("reviews.edit_findings")
@require_http_methods(["GET", "POST"])
def rank(request: AuthenticatedRequest, review: Review) -> HttpResponse:
    findings = selectors.ranked(selectors.findings_of(review=review))
    form = RankingForm(request.POST or None, findings=findings)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        choices = {
            finding.number: RankChoice(
                rank=data[f"rank_{finding.number}"],
                reason=data[f"reason_{finding.number}"],
                expected_version=data[f"version_{finding.number}"],
            )
            for finding in findings
        }
        try:
            services.ranking_save(review=review, choices=choices, by=request.user, origin=Origin.from_request(request))
        except StaleEdit as exc:
            messages.warning(request, exc.messages[0])
            return redirect("findings:rank", review.reference)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Ranking saved.")
            return redirect("findings:list", review.reference)
    return render(request, "findings/rank.html", _context(request, review, "Rank the findings", form=form))


# --- The chain of evidence, up; the matrix -----------------------------------------------------------------


@review_view("reviews.view_findings")
def perspective_findings(request: AuthenticatedRequest, review: Review, perspective_id: Any) -> HttpResponse:
    perspective = selectors.perspective_for(review=review, perspective_id=perspective_id)
    findings = selectors.findings_resting_on_perspective(perspective=perspective)
    title = f"Findings resting on {perspective.participant.label}'s turning point {perspective.number}"
    context = _context(request, review, title, perspective=perspective, findings=findings)
    return render(request, "findings/perspective.html", context)


@review_view("reviews.view_findings")
def matrix(request: AuthenticatedRequest, review: Review) -> HttpResponse:
    context = _context(request, review, "Findings by episode", matrix=selectors.matrix_of(review=review))
    return render(request, "findings/matrix.html", context)


@review_view("reviews.edit_findings")
def matrix_xlsx(request: AuthenticatedRequest, review: Review) -> HttpResponse:
    content = exports.matrix_xlsx(selectors.matrix_of(review=review), title=f"{review.reference}: findings by episode")
    services.findings_exported(
        review=review, what="the findings-by-episodes matrix", by=request.user, origin=Origin.from_request(request)
    )
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{review.reference}-findings-by-episode.xlsx"'
    return response
