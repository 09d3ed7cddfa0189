from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from caseview.core.audit import Origin
from caseview.core.forms import keep_typed_changes
from caseview.core.models import StaleEdit
from caseview.core.views import AuthenticatedRequest
from caseview.reports import registry_services
from caseview.reports.registry import entry_for, registry_rows
from caseview.reports.registry_forms import RegistryEntryForm, entry_initial
from caseview.reviews.access import review_view
from caseview.reviews.models import Review
from caseview.reviews.rules import can
from caseview.reviews.views import apply_errors, review_context


@review_view("reviews.manage_pseudonyms")
def registry(request: AuthenticatedRequest, review: Review) -> HttpResponse:
    context = review_context(
        request,
        review,
        "report",
        "Pseudonyms",
        rows=registry_rows(review=review),
        show_real=False,
        sees_identities=can(request.user, "reviews.view_identities", review),
    )
    return render(request, "reports/registry/list.html", context)


@review_view("reviews.view_identities")
def registry_identities(request: AuthenticatedRequest, review: Review) -> HttpResponse:
    rows = registry_services.registry_with_identities(
        review=review, user=request.user, origin=Origin.from_request(request)
    )
    context = review_context(request, review, "report", "Pseudonyms", rows=rows, show_real=True, sees_identities=True)
    return render(request, "reports/registry/list.html", context)


@review_view("reviews.manage_pseudonyms")
@require_http_methods(["GET", "POST"])
def registry_add(request: AuthenticatedRequest, review: Review) -> HttpResponse:
    form = RegistryEntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry = registry_services.entry_add(
                review=review,
                kind=data["kind"],
                real_text=data["real_text"],
                variants=data["variants"],
                replacement=data["replacement"],
                by=request.user,
                origin=Origin.from_request(request),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Added “{entry.replacement}” to the registry")
            return redirect("publication:registry", review.reference)
    context = review_context(request, review, "report", "Add to the pseudonym registry", form=form, entry=None)
    return render(request, "reports/registry/form.html", context)


@review_view("reviews.manage_pseudonyms")
@require_http_methods(["GET", "POST"])
def registry_edit(request: AuthenticatedRequest, review: Review, registry_entry_id: str) -> HttpResponse:
    entry = entry_for(review=review, entry_id=registry_entry_id)
    origin = Origin.from_request(request)
    form = RegistryEntryForm(request.POST or None, initial=entry_initial(entry))
    if request.method == "GET":
        registry_services.entry_real_text(entry=entry, user=request.user, origin=origin)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry = registry_services.entry_update(
                entry=entry,
                expected_version=data["version"] or entry.version,
                kind=data["kind"],
                real_text=data["real_text"],
                variants=data["variants"],
                replacement=data["replacement"],
                by=request.user,
                origin=origin,
            )
        except StaleEdit as exc:
            entry = entry_for(review=review, entry_id=registry_entry_id)
            keep_typed_changes(form, saved=entry_initial(entry), problem=exc)
            # Theirs is shown beside this person's: a reading of the real text, recorded as the page's is.
            registry_services.entry_real_text(entry=entry, user=request.user, origin=origin)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Saved “{entry.replacement}”")
            return redirect("publication:registry", review.reference)
    context = review_context(request, review, "report", "Change a registry entry", form=form, entry=entry)
    return render(request, "reports/registry/form.html", context)


@review_view("reviews.manage_pseudonyms")
@require_POST
def registry_remove(request: AuthenticatedRequest, review: Review, registry_entry_id: str) -> HttpResponse:
    entry = entry_for(review=review, entry_id=registry_entry_id)
    registry_services.entry_remove(entry=entry, by=request.user, origin=Origin.from_request(request))
    messages.success(request, f"Removed “{entry.replacement}” from the registry")
    return redirect("publication:registry", review.reference)
