"""Pages of the information flow: communications on chronology entries, who told whom what and when (a graph
and a table), information held but not shared, and the review as known to an agency or person on a date."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from caseview.analysis import flow_selectors, flow_services, services
from caseview.analysis.flow_forms import (
    AsKnownForm,
    CommunicationEditForm,
    CommunicationForm,
    FlowFilterForm,
    NotSharedForm,
)
from caseview.analysis.flow_graph import render_flow_svg
from caseview.analysis.flow_selectors import FlowFilter, end_key
from caseview.analysis.models import Communication
from caseview.analysis.views import entry_choice_page
from caseview.chronology.models import ChronologyEntry
from caseview.chronology.selectors import entry_date_text, entry_for
from caseview.core.audit import Origin
from caseview.core.forms import keep_typed_changes
from caseview.core.models import StaleEdit
from caseview.core.views import AuthenticatedRequest
from caseview.reviews.access import review_view
from caseview.reviews.models import Review
from caseview.reviews.rules import can
from caseview.reviews.views import apply_errors, review_context


def page_context(request: AuthenticatedRequest, review: Review, title: str, **extra: Any) -> dict[str, Any]:
    return review_context(request, review, "analysis", title, **extra)


def _filters(request: AuthenticatedRequest, review: Review) -> tuple[FlowFilterForm, FlowFilter]:
    form = FlowFilterForm(request.GET or None, review=review)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        return form, FlowFilter(party=data["party"], start=data["start"], end=data["end"])
    return form, FlowFilter()


# --- Who told whom what, and when --------------------------------------------------------------------------


@review_view("reviews.view_information_flow")
def flow(request: AuthenticatedRequest, review: Review) -> HttpResponse:
    form, filters = _filters(request, review)
    rows = flow_selectors.flow_rows(review=review, filters=filters)
    context = page_context(
        request,
        review,
        "Information flow",
        filter_form=form,
        filtered=filters.active,
        rows=rows,
        svg=render_flow_svg(rows),
        not_received=len([row for row in rows if not row.received]),
        query=request.GET.urlencode(),
    )
    return render(request, "analysis/flow/flow.html", context)


@review_view("reviews.export_analysis")
def flow_export(request: AuthenticatedRequest, review: Review, fmt: str) -> HttpResponse:
    _, filters = _filters(request, review)
    try:
        export = flow_services.flow_export(
            review=review, fmt=fmt, filters=filters, by=request.user, origin=Origin.from_request(request)
        )
    except ValidationError as exc:
        raise Http404("No such format") from exc
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response


@review_view("reviews.edit_analysis")
def choose_entry(request: AuthenticatedRequest, review: Review) -> HttpResponse:
    context = page_context(request, review, "Record a communication", **entry_choice_page(request, review))
    return render(request, "analysis/flow/choose_entry.html", context)


# --- Communications on an entry ----------------------------------------------------------------------------


def _communication_values(form: CommunicationForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "sent_on": data["sent_on"],
        "sender": data["sender"],
        "recipient": data["recipient"],
        "information": data["information"],
        "channel": data["channel"],
        "receipt": data["receipt"],
        "received_on": data["received_on"],
        "note": data["note"],
        "conveys": list(data["conveys"]),
    }


def _entry_page_url(review: Review, entry: ChronologyEntry) -> str:
    return reverse("analysis:entry-communications", args=[review.reference, entry.pk])


@review_view("reviews.view_information_flow")
@require_http_methods(["GET", "POST"])
def entry_communications(request: AuthenticatedRequest, review: Review, entry_id: Any) -> HttpResponse:
    entry = entry_for(review=review, entry_id=entry_id)
    can_edit = can(request.user, "reviews.edit_analysis", review)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied
    form = None
    if can_edit:
        initial: dict[str, Any] = {"sender": end_key(entry.agency), "conveys": [entry]}
        if entry.date_precision == "day" and not entry.date_uncertain:
            initial["sent_on"] = entry.date_start
        form = CommunicationForm(request.POST or None, initial=initial, review=review, entry=entry)
        if request.method == "POST" and form.is_valid():
            try:
                flow_services.communication_add(
                    entry=entry, by=request.user, origin=Origin.from_request(request), **_communication_values(form)
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "Communication recorded")
                return redirect(_entry_page_url(review, entry))
    context = page_context(
        request,
        review,
        "Communications on an entry",
        entry=entry,
        entry_date=entry_date_text(entry),
        rows=[row for row in flow_selectors.flow_rows(review=review) if row.communication.entry_id == entry.pk],
        form=form,
        not_shared_on=flow_selectors.not_shared_start(entry=entry),
    )
    return render(request, "analysis/flow/entry.html", context, status=400 if form is not None and form.errors else 200)


def _initial(communication: Communication) -> dict[str, Any]:
    sender = communication.from_agency or communication.from_participant
    recipient = communication.to_agency or communication.to_participant
    assert sender is not None and recipient is not None
    return {
        "sent_on": communication.sent_on,
        "sender": end_key(sender),
        "recipient": end_key(recipient),
        "information": communication.information,
        "channel": communication.channel,
        "receipt": communication.receipt,
        "received_on": communication.received_on,
        "note": communication.note,
        "conveys": list(communication.conveys.all()),
        "version": communication.version,
    }


@review_view("reviews.edit_analysis")
@require_http_methods(["GET", "POST"])
def communication_edit(request: AuthenticatedRequest, review: Review, communication_id: Any) -> HttpResponse:
    communication = flow_selectors.communication_for(review=review, communication_id=communication_id)
    entry = communication.entry
    form = CommunicationEditForm(request.POST or None, initial=_initial(communication), review=review, entry=entry)
    if request.method == "POST" and form.is_valid():
        try:
            flow_services.communication_update(
                communication=communication,
                expected_version=form.cleaned_data["version"],
                by=request.user,
                origin=Origin.from_request(request),
                **_communication_values(form),
            )
        except StaleEdit as exc:
            current = flow_selectors.communication_for(review=review, communication_id=communication_id)
            keep_typed_changes(form, saved=_initial(current), problem=exc)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Communication saved")
            return redirect(_entry_page_url(review, entry))
    context = page_context(
        request,
        review,
        "Change a communication",
        entry=entry,
        entry_date=entry_date_text(entry),
        communication=communication,
        form=form,
    )
    return render(request, "analysis/flow/communication_form.html", context, status=400 if form.errors else 200)


@review_view("reviews.edit_analysis")
@require_POST
def communication_remove(request: AuthenticatedRequest, review: Review, communication_id: Any) -> HttpResponse:
    communication = flow_selectors.communication_for(review=review, communication_id=communication_id)
    entry = communication.entry
    flow_services.communication_remove(
        communication=communication, by=request.user, origin=Origin.from_request(request)
    )
    messages.success(request, "Communication removed")
    return redirect(_entry_page_url(review, entry))


# --- Information held but not shared -----------------------------------------------------------------------


@review_view("reviews.view_information_flow")
def not_shared(request: AuthenticatedRequest, review: Review) -> HttpResponse:
    """Choose an agency and the date it acted, or come from an entry (?entry=<id>): that entry's agency, from
    the first day its date can mean."""
    data = request.GET.copy()
    entry = None
    if "entry" in data:
        try:
            entry = entry_for(review=review, entry_id=data["entry"])
        except ValidationError as exc:  # not a UUID
            raise Http404("No such entry") from exc
        day = flow_selectors.not_shared_start(entry=entry)
        data["agency"] = str(entry.agency_id)
        data["on_day"], data["on_month"], data["on_year"] = str(day.day), str(day.month), str(day.year)
    form = NotSharedForm(data if ("agency" in data or "on_day" in data) else None, review=review)
    groups = None
    if form.is_bound and form.is_valid():
        groups = flow_selectors.held_not_shared(
            review=review, agency=form.cleaned_data["agency"], on=form.cleaned_data["on"]
        )
    context = page_context(
        request,
        review,
        "Information held but not shared",
        form=form,
        entry=entry,
        entry_date=entry_date_text(entry) if entry else "",
        groups=groups,
        entries=flow_selectors.not_had(groups) if groups else [],
        agency=form.cleaned_data.get("agency") if groups is not None else None,
        on=form.cleaned_data.get("on") if groups is not None else None,
    )
    return render(request, "analysis/flow/not_shared.html", context, status=400 if form.errors else 200)


# --- As known on a date ------------------------------------------------------------------------------------


@review_view("reviews.view_information_flow")
def as_known(request: AuthenticatedRequest, review: Review) -> HttpResponse:
    """The review as one agency or person knew it on a date. The outcome is never shown here."""
    form = AsKnownForm(request.GET or None, review=review)
    known = None
    if form.is_bound and form.is_valid():
        known = flow_selectors.as_known(review=review, party=form.cleaned_data["party"], on=form.cleaned_data["on"])
        services.turning_points_read(
            review=review,
            by=request.user,
            origin=Origin.from_request(request),
            perspectives=known.perspectives,
            where=f"the review as known to {known.party.name} on {_day(known.on)}",
        )
    context = page_context(request, review, "As known on a date", form=form, known=known)
    return render(request, "analysis/flow/as_known.html", context, status=400 if form.errors else 200)


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"
