"""After the review: the board's response to each finding, the action plan, and the board dashboard across
reviews. Reading is not audited; every write and every export is."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from caseview.core.audit import Origin
from caseview.core.charts import bar_chart_svg
from caseview.core.forms import keep_typed_changes
from caseview.core.models import StaleEdit
from caseview.core.views import AuthenticatedRequest
from caseview.findings import board_exports, board_selectors, board_services, selectors
from caseview.findings.board_forms import (
    ActionEditForm,
    ActionFilterForm,
    ActionForm,
    ProgressForm,
    ResponseForm,
    action_initial,
    response_initial,
)
from caseview.findings.models import ActionPlanItem
from caseview.reviews.access import partnership_view, review_view
from caseview.reviews.models import Review
from caseview.reviews.views import apply_errors, review_context


def _context(request: AuthenticatedRequest, review: Review, title: str, **extra: Any) -> dict[str, Any]:
    return review_context(request, review, "board", title, **extra)


def _to_action(review: Review, item: ActionPlanItem) -> HttpResponse:
    return redirect("board:action", review.reference, item.number)


# --- The board's response ----------------------------------------------------------------------------------


@review_view("reviews.view_board_response")
def responses(request: AuthenticatedRequest, review: Review) -> HttpResponse:
    rows = board_selectors.responses_of(review=review)
    context = _context(request, review, "Board response", rows=rows)
    return render(request, "findings/board/responses.html", context)


@review_view("reviews.record_board_response")
@require_http_methods(["GET", "POST"])
def response_edit(request: AuthenticatedRequest, review: Review, number: int) -> HttpResponse:
    finding = selectors.finding_for(review=review, number=number)
    current = board_selectors.response_for(finding=finding)
    form = ResponseForm(request.POST or None, initial=response_initial(current))
    if request.method == "POST" and form.is_valid():
        try:
            board_services.board_response_save(
                finding=finding,
                details=form.details(),
                expected_version=form.cleaned_data["version"],
                by=request.user,
                origin=Origin.from_request(request),
            )
        except StaleEdit as exc:
            keep_typed_changes(form, saved=response_initial(board_selectors.response_for(finding=finding)), problem=exc)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"The board's response to finding {finding.number} saved.")
            return redirect(f"{reverse('board:responses', args=[review.reference])}#finding-{finding.number}")
    title = f"Board response to finding {finding.number}"
    return render(
        request, "findings/board/response_form.html", _context(request, review, title, form=form, finding=finding)
    )


# --- The action plan ---------------------------------------------------------------------------------------


@review_view("reviews.view_board_response")
def action_plan(request: AuthenticatedRequest, review: Review) -> HttpResponse:
    form = ActionFilterForm(request.GET or None, review=review)
    status, agency = "", None
    if form.is_valid():
        status, agency = form.cleaned_data["status"], form.cleaned_data["agency"]
    actions = board_selectors.actions_of(review=review, status=status, agency=agency)
    overdue = sum(item.is_overdue for item in board_selectors.actions_of(review=review))
    filtered = bool(status or agency)
    caption = f"{len(actions)} action{'s' if len(actions) != 1 else ''}{' matching the filter' if filtered else ''}"
    context = _context(
        request,
        review,
        "Action plan",
        form=form,
        actions=actions,
        caption=caption,
        overdue_count=overdue,
        filtered=filtered,
    )
    return render(request, "findings/board/action_plan.html", context)


@review_view("reviews.view_board_response")
def action_plan_xlsx(request: AuthenticatedRequest, review: Review) -> HttpResponse:
    content = board_exports.action_plan_xlsx(
        board_selectors.actions_of(review=review), title=f"{review.reference}: action plan"
    )
    board_services.action_plan_exported(review=review, by=request.user, origin=Origin.from_request(request))
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{review.reference}-action-plan.xlsx"'
    return response


def _action_form_page(
    request: AuthenticatedRequest, review: Review, form: ActionForm, item: ActionPlanItem | None
) -> HttpResponse:
    title = f"Change action {item.number}" if item else "Add an action"
    return render(request, "findings/board/action_form.html", _context(request, review, title, form=form, item=item))


@review_view("reviews.record_board_response")
@require_http_methods(["GET", "POST"])
def action_create(request: AuthenticatedRequest, review: Review) -> HttpResponse:
    initial: dict[str, Any] = {}
    wanted = request.GET.get("finding", "")
    if wanted.isdigit():
        initial["finding"] = selectors.findings_of(review=review).filter(number=int(wanted)).first()
    form = ActionForm(request.POST or None, review=review, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            item = board_services.action_create(
                review=review, details=form.details(), by=request.user, origin=Origin.from_request(request)
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Action {item.number} added to the action plan.")
            return _to_action(review, item)
    return _action_form_page(request, review, form, None)


@review_view("reviews.view_board_response")
def action_detail(request: AuthenticatedRequest, review: Review, number: int) -> HttpResponse:
    item = board_selectors.action_for(review=review, number=number)
    context = _context(
        request, review, f"Action {item.number}", item=item, progress=board_selectors.progress_of(item=item)
    )
    return render(request, "findings/board/action.html", context)


@review_view("reviews.record_board_response")
@require_http_methods(["GET", "POST"])
def action_edit(request: AuthenticatedRequest, review: Review, number: int) -> HttpResponse:
    item = board_selectors.action_for(review=review, number=number)
    form = ActionEditForm(request.POST or None, review=review, initial=action_initial(item))
    if request.method == "POST" and form.is_valid():
        try:
            item = board_services.action_update(
                item=item,
                expected_version=form.cleaned_data["version"],
                details=form.details(),
                by=request.user,
                origin=Origin.from_request(request),
            )
        except StaleEdit as exc:
            keep_typed_changes(
                form, saved=action_initial(board_selectors.action_for(review=review, number=number)), problem=exc
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Action {item.number} saved.")
            return _to_action(review, item)
    return _action_form_page(request, review, form, item)


@review_view("reviews.record_board_response")
@require_http_methods(["GET", "POST"])
def action_progress(request: AuthenticatedRequest, review: Review, number: int) -> HttpResponse:
    item = board_selectors.action_for(review=review, number=number)
    form = ProgressForm(request.POST or None, initial={"status": item.status, "version": item.version})
    if request.method == "POST" and form.is_valid():
        try:
            board_services.action_review_record(
                item=item,
                expected_version=form.cleaned_data["version"],
                details=form.details(),
                by=request.user,
                origin=Origin.from_request(request),
            )
        except StaleEdit as exc:
            item.refresh_from_db()
            keep_typed_changes(form, saved={"status": item.status, "version": item.version}, problem=exc)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Review of progress on action {item.number} recorded.")
            return _to_action(review, item)
    title = f"Review progress on action {item.number}"
    return render(request, "findings/board/progress_form.html", _context(request, review, title, form=form, item=item))


# --- The board dashboard, across reviews -------------------------------------------------------------------


@partnership_view("partnerships.board_dashboard")
def dashboard(request: AuthenticatedRequest) -> HttpResponse:
    board = board_selectors.dashboard_for(user=request.user)
    categories = [(pattern.later_label, count) for pattern, count in board.by_category]
    statuses = [(label, count) for _, label, count in board.by_status] + [("Overdue", len(board.overdue))]
    context = {
        "board": board,
        "statuses": statuses,
        "category_chart": bar_chart_svg(categories, title="Findings by kind of pattern", id_prefix="findings-chart"),
        "status_chart": bar_chart_svg(
            statuses,
            title="Actions by status, and overdue",
            id_prefix="actions-chart",
            colours={"Overdue": "#d4351c"},  # GOV.UK red: these need attention
        ),
        "page_title": "Board dashboard",
        "nav_section": "board",
    }
    return render(request, "findings/board/dashboard.html", context)
