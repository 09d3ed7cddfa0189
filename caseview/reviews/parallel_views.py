"""Pages for the processes that run alongside a review (QM 9): the list, adding and changing one, and
confirming that there are none."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from caseview.core.audit import Origin
from caseview.core.forms import keep_typed_changes
from caseview.core.models import StaleEdit
from caseview.core.views import AuthenticatedRequest
from caseview.reviews import parallel_services as services
from caseview.reviews.access import review_view
from caseview.reviews.models import ParallelProcess, Review
from caseview.reviews.parallel_forms import ParallelProcessEditForm, ParallelProcessForm
from caseview.reviews.views import apply_errors, review_context


def _initial(process: ParallelProcess) -> dict[str, Any]:
    return {name: getattr(process, name) for name in services.FIELDS} | {"version": process.version}


@review_view("reviews.view_quality")
def process_list(request: AuthenticatedRequest, review: Review) -> HttpResponse:
    context = review_context(
        request,
        review,
        "overview",
        "Parallel processes",
        processes=services.parallel_processes_of(review=review),
        confirmation=services.no_parallel_confirmation(review=review),
    )
    return render(request, "reviews/parallel_processes.html", context)


@review_view("reviews.change_review")
@require_http_methods(["GET", "POST"])
def process_add(request: AuthenticatedRequest, review: Review) -> HttpResponse:
    form = ParallelProcessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            process = services.parallel_process_add(
                review=review, by=request.user, origin=Origin.from_request(request), **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Parallel process recorded: {process.description}")
            return redirect("reviews:parallel-processes", review.reference)
    context = review_context(request, review, "overview", "Record a parallel process", form=form)
    return render(request, "reviews/parallel_process_form.html", context)


@review_view("reviews.change_review")
@require_http_methods(["GET", "POST"])
def process_edit(request: AuthenticatedRequest, review: Review, process_id: Any) -> HttpResponse:
    process = services.parallel_process_for(review=review, process_id=process_id)
    form = ParallelProcessEditForm(request.POST or None, initial=_initial(process))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.parallel_process_update(
                process=process,
                expected_version=data.pop("version"),
                by=request.user,
                origin=Origin.from_request(request),
                **data,
            )
        except StaleEdit as exc:
            process.refresh_from_db()
            keep_typed_changes(form, saved=_initial(process), problem=exc)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Parallel process saved: {data['description']}")
            return redirect("reviews:parallel-processes", review.reference)
    context = review_context(request, review, "overview", f"Change {process.description}", form=form, process=process)
    return render(request, "reviews/parallel_process_form.html", context)


@review_view("reviews.change_review")
@require_POST
def process_remove(request: AuthenticatedRequest, review: Review, process_id: Any) -> HttpResponse:
    process = services.parallel_process_for(review=review, process_id=process_id)
    services.parallel_process_remove(process=process, by=request.user, origin=Origin.from_request(request))
    messages.success(request, f"Parallel process removed: {process.description}")
    return redirect("reviews:parallel-processes", review.reference)


@review_view("reviews.change_review")
@require_POST
def processes_none(request: AuthenticatedRequest, review: Review) -> HttpResponse:
    try:
        services.no_parallel_processes_confirm(review=review, by=request.user, origin=Origin.from_request(request))
    except ValidationError as exc:
        messages.warning(request, exc.messages[0])
    else:
        messages.success(request, "Recorded: no other process runs alongside this review")
    return redirect("reviews:parallel-processes", review.reference)
