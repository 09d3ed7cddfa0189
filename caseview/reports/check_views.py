from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from caseview.core.audit import Origin
from caseview.core.views import AuthenticatedRequest
from caseview.reports import check_services
from caseview.reports.check import FILE_TYPES, MAX_FILE_BYTES, UnreadableFile
from caseview.reports.check_forms import CheckUploadForm, OverrideForm
from caseview.reports.models import PublicationCheck
from caseview.reviews.access import review_view
from caseview.reviews.models import Review
from caseview.reviews.rules import can
from caseview.reviews.views import apply_errors, review_context


@review_view("reviews.check_publication")
@require_http_methods(["GET", "POST"])
def check_page(request: AuthenticatedRequest, review: Review) -> HttpResponse:
    form = CheckUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            form.add_error("file", f"The file must be smaller than {MAX_FILE_BYTES // 1_048_576} MB")
        else:
            try:
                checked = check_services.check_run(
                    review=review,
                    data=upload.read(),
                    source=upload.name,
                    by=request.user,
                    origin=Origin.from_request(request),
                )
            except UnreadableFile as exc:
                form.add_error("file", str(exc))
            else:
                return redirect("publication:check-result", review.reference, checked.pk)
    context = review_context(
        request,
        review,
        "report",
        "Publication check",
        form=form,
        checks=check_services.checks_of(review=review)[:20],
        file_types=FILE_TYPES,
    )
    return render(request, "reports/check/check.html", context)


def _result_page(
    request: AuthenticatedRequest,
    review: Review,
    checked: PublicationCheck,
    override_form: OverrideForm | None = None,
) -> HttpResponse:
    hits = check_services.check_read(publication_check=checked, user=request.user, origin=Origin.from_request(request))
    overridden = check_services.overrides_of(review=review)
    rows: list[dict[str, Any]] = []
    for number, hit in enumerate(hits, 1):
        rows.append({"number": number, "hit": hit, "override": overridden.get(hit.key)})
    blocking = [row for row in rows if row["override"] is None]
    context = review_context(
        request,
        review,
        "report",
        f"Publication check of {checked.source}",
        checked=checked,
        rows=rows,
        blocking=len(blocking),
        file_type=FILE_TYPES.get(checked.file_type, checked.file_type),
        can_override=can(request.user, "reviews.override_publication_check", review),
        override_form=override_form,
    )
    return render(request, "reports/check/result.html", context)


@review_view("reviews.check_publication")
def check_result(request: AuthenticatedRequest, review: Review, check_id: str) -> HttpResponse:
    return _result_page(request, review, check_services.check_for(review=review, check_id=check_id))


@review_view("reviews.override_publication_check")
@require_POST
def check_override(request: AuthenticatedRequest, review: Review, check_id: str) -> HttpResponse:
    checked = check_services.check_for(review=review, check_id=check_id)
    form = OverrideForm(request.POST)
    if form.is_valid():
        try:
            check_services.hit_override(
                publication_check=checked,
                hit_number=form.cleaned_data["hit"],
                reason=form.cleaned_data["reason"],
                by=request.user,
                origin=Origin.from_request(request),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Overridden, with your reason. It holds in later checks too.")
            return redirect("publication:check-result", review.reference, checked.pk)
    return _result_page(request, review, checked, override_form=form)
