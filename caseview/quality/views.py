from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from caseview.core.audit import Origin
from caseview.core.charts import bar_chart_svg
from caseview.core.views import AuthenticatedRequest
from caseview.quality import selectors, services
from caseview.quality.forms import AssessmentForm, OverrideForm
from caseview.quality.gates import BY_CODE, Gate
from caseview.quality.markers import MARKERS, Marker
from caseview.quality.markers import marker as marker_numbered
from caseview.reviews.access import review_view
from caseview.reviews.models import Review
from caseview.reviews.rules import can
from caseview.reviews.views import apply_errors, review_context

# GOV.UK colours by rating: green, yellow, red, grey; light grey for markers not assessed yet.
RATING_COLOURS = {
    "met": "#00703c",
    "partly_met": "#ffdd00",
    "not_met": "#d4351c",
    "not_applicable": "#505a5f",
    "not_assessed": "#b1b4b6",
}


def _context(request: AuthenticatedRequest, review: Review, title: str, **extra: Any) -> dict[str, Any]:
    return review_context(request, review, "quality", title, **extra)


def _gate(code: str) -> Gate:
    gate = BY_CODE.get(code.upper())
    if gate is None:
        raise Http404("No such gate")
    return gate


def _marker(number: int) -> Marker:
    found = marker_numbered(number)
    if found is None:
        raise Http404("No such quality marker")
    return found


@review_view("reviews.view_quality")
def readiness(request: AuthenticatedRequest, review: Review) -> HttpResponse:
    state = selectors.publication_readiness(review)
    # A problem's links are shown to those who may follow them; others read the problem alone.
    followable = {
        id(link): can(request.user, link.permission, review)
        for status in state.gates
        for problem in status.result.problems
        for link in problem.links
    }
    rows = [
        {
            "status": status,
            "problems": [
                (problem, [link for link in problem.links if followable[id(link)]])
                for problem in status.result.problems
            ],
        }
        for status in state.gates
    ]
    context = _context(
        request,
        review,
        "Quality",
        readiness=state,
        rows=rows,
        history=[item for item in selectors.override_history(review=review) if not item.in_force],
    )
    return render(request, "quality/readiness.html", context)


@review_view("reviews.override_quality_gates")
@require_http_methods(["GET", "POST"])
def gate_override(request: AuthenticatedRequest, review: Review, gate: str) -> HttpResponse:
    found = _gate(gate)
    result = found.check(review)
    in_force = selectors.overrides_in_force(review=review).get(found.code)
    form = OverrideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.gate_override(
                review=review,
                gate=found.code,
                reason=form.cleaned_data["reason"],
                by=request.user,
                origin=Origin.from_request(request),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Gate {found.code} overridden. The reason is shown on the readiness page.")
            return redirect("quality:readiness", review.reference)
    context = _context(
        request,
        review,
        f"Override gate {found.code}",
        gate=found,
        result=result,
        in_force=in_force,
        form=form,
    )
    return render(request, "quality/override.html", context)


@review_view("reviews.override_quality_gates")
@require_POST
def gate_override_withdraw(request: AuthenticatedRequest, review: Review, gate: str) -> HttpResponse:
    found = _gate(gate)
    try:
        services.gate_override_withdraw(
            review=review, gate=found.code, by=request.user, origin=Origin.from_request(request)
        )
    except ValidationError as exc:
        messages.warning(request, exc.messages[0])
    else:
        messages.success(request, f"The override of gate {found.code} is withdrawn.")
    return redirect("quality:readiness", review.reference)


@review_view("reviews.view_quality")
def marker_list(request: AuthenticatedRequest, review: Review) -> HttpResponse:
    summary = selectors.marker_summary(review=review)
    context = _context(
        request,
        review,
        "Quality markers",
        summary=summary,
        chart=bar_chart_svg(
            [(label, count) for _, label, count in summary.counts],
            title="Quality markers by latest rating",
            id_prefix="ratings",
            colours={label: RATING_COLOURS[rating] for rating, label, _ in summary.counts},
            scale_to=len(MARKERS),
        ),
        total=len(MARKERS),
    )
    return render(request, "quality/markers.html", context)


def _marker_page(
    request: AuthenticatedRequest, review: Review, marker: Marker, form: AssessmentForm | None, status: int = 200
) -> HttpResponse:
    history = selectors.marker_history(review=review, number=marker.number)
    if form is None and can(request.user, "reviews.assess_quality", review):
        latest = history[0] if history else None
        initial: dict[str, Any] = {}
        if latest is not None:
            initial = {f"answer_{number}": answer for number, answer in enumerate(latest.answers, start=1)}
            initial |= {"rating": latest.rating, "notes": latest.notes}
        form = AssessmentForm(initial=initial, marker=marker)
    context = _context(
        request,
        review,
        f"Quality marker {marker.number}: {marker.name}",
        marker=marker,
        form=form,
        history=[(item, list(zip(marker.questions, item.answers, strict=False))) for item in history],
        previous=marker_numbered(marker.number - 1),
        next=marker_numbered(marker.number + 1),
    )
    return render(request, "quality/marker.html", context, status=status)


@review_view("reviews.view_quality")
def marker_detail(request: AuthenticatedRequest, review: Review, number: int) -> HttpResponse:
    return _marker_page(request, review, _marker(number), None)


@review_view("reviews.assess_quality")
@require_POST
def marker_assess(request: AuthenticatedRequest, review: Review, number: int) -> HttpResponse:
    found = _marker(number)
    form = AssessmentForm(request.POST, marker=found)
    if form.is_valid():
        try:
            services.marker_assess(
                review=review,
                marker=found.number,
                answers=form.answers(),
                rating=form.cleaned_data["rating"],
                notes=form.cleaned_data["notes"],
                by=request.user,
                origin=Origin.from_request(request),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Assessment of marker {found.number} saved.")
            return redirect("quality:marker", review.reference, found.number)
    return _marker_page(request, review, found, form, status=400)
