from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from caseview.chronology import selectors, services
from caseview.chronology.analysis import silent_periods
from caseview.chronology.forms import (
    FIELD_LABELS,
    ChronologyFilterForm,
    CommentForm,
    EntryEditForm,
    EntryForm,
    LinkDecisionForm,
    MappingForm,
    RequestReturnsForm,
    TimelineForm,
    UploadForm,
)
from caseview.chronology.models import CHRONOLOGICAL, AgencyReturn, ChronologyEntry, EntryLink, ReturnUpload
from caseview.chronology.timeline import render_timeline_svg
from caseview.core.audit import Origin
from caseview.core.forms import keep_typed_changes
from caseview.core.jobs import JobFailed, job_start
from caseview.core.views import AuthenticatedRequest
from caseview.reviews.access import review_view
from caseview.reviews.models import Review
from caseview.reviews.rules import can
from caseview.reviews.views import apply_errors, review_context

ENTRIES_PER_PAGE = 200


def _entry_url(review: Review) -> Any:
    base = reverse("chronology:entry", args=[review.reference, "00000000-0000-0000-0000-000000000000"])
    prefix = base.rsplit("00000000-0000-0000-0000-000000000000", 1)[0]
    return lambda entry_id: f"{prefix}{entry_id}/"


def _filters(form: ChronologyFilterForm) -> selectors.ChronologyFilter:
    if not form.is_valid():
        return selectors.ChronologyFilter()
    data = form.cleaned_data
    return selectors.ChronologyFilter(
        agencies=list(data["agency"]),
        person=data["person"].strip(),
        text=data["q"].strip(),
        start=data["start"],
        end=data["end"],
        significant_only=data["significant"],
    )


@review_view("reviews.view_chronology")
def chronology(request: AuthenticatedRequest, review: Review) -> HttpResponse:
    form = ChronologyFilterForm(request.GET or None, review=review)
    entries = selectors.filtered_entries(review=review, filters=_filters(form))
    page = Paginator(entries, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    groups = selectors.link_groups(review=review)
    # Groups hold candidates too: the table says "Linked" only for entries a reviewer has confirmed a link for
    # (it said "Linked" for unchecked candidates, which reads as a decision nobody made).
    confirmed_pairs = EntryLink.objects.filter(review=review, status=EntryLink.Status.CONFIRMED)
    confirmed = {entry_id for pair in confirmed_pairs.values_list("first_id", "second_id") for entry_id in pair}
    silent: list[Any] = []
    silent_days = form.cleaned_data.get("silent_days") if form.is_valid() else None
    if silent_days:
        rows = selectors.entry_rows(review=review, entries=selectors.released_entries(review=review))
        # Within the period the filter asks for, as the timeline does (it listed gaps from the whole review
        # period even when the page showed only "from 15 June 2019").
        silent = silent_periods(
            rows,
            min_days=silent_days,
            period_start=form.cleaned_data["start"] or review.period_start,
            period_end=form.cleaned_data["end"] or review.period_end,
        )
    query = request.GET.copy()
    query.pop("page", None)
    context = review_context(
        request,
        review,
        "chronology",
        "Chronology",
        form=form,
        page=page,
        rows=[(entry, selectors.entry_date_text(entry), groups.get(str(entry.pk))) for entry in page.object_list],
        silent=silent,
        silent_days=silent_days,
        query=query.urlencode(),
        confirmed_ids=confirmed,
        candidate_count=EntryLink.objects.filter(review=review, status=EntryLink.Status.CANDIDATE).count(),
        returns=selectors.returns_visible_to(user=request.user, review=review)
        if can(request.user, "reviews.view_returns", review)
        else None,
        filtered=bool(request.GET),
    )
    return render(request, "chronology/chronology.html", context)


@review_view("reviews.view_chronology")
def timeline(request: AuthenticatedRequest, review: Review) -> HttpResponse:
    form = TimelineForm(request.GET or None, initial={"start": review.period_start, "end": review.period_end})
    start = review.period_start
    end = review.period_end
    silent_days = None
    if form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
        silent_days = form.cleaned_data["silent_days"]
    rows = selectors.entry_rows(
        review=review, entries=selectors.released_entries(review=review), url_for=_entry_url(review)
    )
    if rows and (start is None or end is None):
        start = start or min(row.date_start for row in rows)
        end = end or max((row.date_end or row.date_start) for row in rows)
    start = start or timezone.localdate().replace(month=1, day=1)
    end = end or timezone.localdate()
    if end < start:
        form.add_error("end", "The end of the period must be on or after its start")
        start, end = end, start
    in_period = [row for row in rows if row.date_start <= end and (row.date_end or row.date_start) >= start]
    lanes = selectors.review_lanes(review=review)
    silent = silent_periods(rows, min_days=silent_days, period_start=start, period_end=end) if silent_days else []
    # A group, not an image: the marks inside are links that keyboard and screen-reader users must reach.
    svg = render_timeline_svg(in_period, start=start, end=end, lanes=lanes, silent=silent, role="group")
    context = review_context(
        request,
        review,
        "chronology",
        "Timeline",
        form=form,
        svg=svg,
        start=start,
        end=end,
        silent=silent,
        table=[(row, _row_date(row)) for row in in_period],
    )
    return render(request, "chronology/timeline.html", context)


def _row_date(row: Any) -> str:
    from caseview.chronology.dates import format_agency_date

    return format_agency_date(
        row.date_start, row.date_precision, row.date_uncertain, row.date_end, row.date_end_precision, row.time
    )


@review_view("reviews.view_chronology")
@require_http_methods(["GET", "POST"])
def entry(request: AuthenticatedRequest, review: Review, entry_id: str) -> HttpResponse:
    item = selectors.entry_for(review=review, entry_id=entry_id)
    can_edit = can(request.user, "reviews.edit_chronology", review)
    edit_form = None
    if can_edit:
        edit_form = EntryEditForm(request.POST if request.method == "POST" else None, initial=_entry_initial(item))
        if request.method == "POST" and edit_form.is_valid():
            data = edit_form.cleaned_data
            try:
                services.entry_update(
                    entry=item,
                    expected_version=data["version"],
                    by=request.user,
                    origin=Origin.from_request(request),
                    date_text=data["date_text"],
                    time_text=data["time_text"],
                    description=data["description"],
                    source=data["source"],
                    people=data["people"],
                    significant=data["significant"],
                )
            except services.StaleEdit as exc:
                item.refresh_from_db()
                keep_typed_changes(edit_form, saved=_entry_initial(item), problem=exc)
            except ValidationError as exc:
                apply_errors(edit_form, exc)
            else:
                messages.success(request, "Entry saved")
                return redirect("chronology:entry", review.reference, item.pk)
    elif request.method == "POST":
        raise PermissionDenied
    links = []
    for link in selectors.links_of(entry=item):
        other = link.second if link.first_id == item.pk else link.first
        links.append({"link": link, "other": other, "other_date": selectors.entry_date_text(other)})
    context = review_context(
        request,
        review,
        "chronology",
        f"{item.agency.name}: {selectors.entry_date_text(item)}",
        item=item,
        edit_form=edit_form,
        can_edit=can_edit,
        links=links,
        comments=item.comments.select_related("author"),
        comment_form=CommentForm() if can(request.user, "reviews.comment_chronology", review) else None,
    )
    return render(request, "chronology/entry.html", context)


def _entry_initial(item: ChronologyEntry) -> dict[str, Any]:
    return {
        "date_text": selectors.entry_date_input(item),
        "time_text": item.time.strftime("%H:%M") if item.time else "",
        "description": item.description,
        "source": item.source,
        "people": item.people,
        "significant": item.significant,
        "version": item.version,
    }


@review_view("reviews.comment_chronology")
@require_POST
def entry_comment(request: AuthenticatedRequest, review: Review, entry_id: str) -> HttpResponse:
    item = selectors.entry_for(review=review, entry_id=entry_id)
    form = CommentForm(request.POST)
    if form.is_valid():
        services.entry_comment_add(
            entry=item, text=form.cleaned_data["text"], by=request.user, origin=Origin.from_request(request)
        )
        messages.success(request, "Comment added")
    else:
        messages.warning(request, "Enter your comment")
    return redirect("chronology:entry", review.reference, item.pk)


@review_view("reviews.view_chronology")
def links(request: AuthenticatedRequest, review: Review) -> HttpResponse:
    status = request.GET.get("status", EntryLink.Status.CANDIDATE)
    if status not in EntryLink.Status.values:
        status = EntryLink.Status.CANDIDATE
    found = selectors.links_for(review=review, status=status)
    page = Paginator(found, 25).get_page(request.GET.get("page"))
    context = review_context(
        request,
        review,
        "chronology",
        "The same event in several returns",
        page=page,
        status=status,
        statuses=EntryLink.Status.choices,
        pairs=[_in_date_order(link) for link in page.object_list],
        can_decide=can(request.user, "reviews.edit_chronology", review),
        form=LinkDecisionForm(),
    )
    return render(request, "chronology/links.html", context)


def _in_date_order(link: EntryLink) -> tuple[EntryLink, Any, str, Any, str]:
    """A pair with its earlier account on the left, whichever way round the link stores them."""
    left, right = sorted((link.first, link.second), key=lambda e: (e.date_start, e.precision_rank, e.time or dt.time()))
    return link, left, selectors.entry_date_text(left), right, selectors.entry_date_text(right)


@review_view("reviews.edit_chronology")
@require_POST
def link_decide(request: AuthenticatedRequest, review: Review, link_id: int) -> HttpResponse:
    link = EntryLink.objects.filter(review=review, pk=link_id).select_related("review").first()
    if link is None:
        raise Http404("No such link")
    form = LinkDecisionForm(request.POST)
    if not form.is_valid():
        messages.warning(request, "Say whether these are the same event")
        return redirect(request.POST.get("back") or reverse("chronology:links", args=[review.reference]))
    decision = form.cleaned_data["decision"]
    services.link_decide(
        link=link,
        same_event=decision != "different",
        relation="" if decision == "different" else decision,
        note=form.cleaned_data["note"],
        by=request.user,
        origin=Origin.from_request(request),
    )
    messages.success(request, "Decision recorded")
    back = request.POST.get("back", "")
    if back.startswith(f"/reviews/{review.reference}/"):
        return redirect(back)
    return redirect("chronology:links", review.reference)


@review_view("reviews.export_chronology")
def export(request: AuthenticatedRequest, review: Review, fmt: str) -> HttpResponse:
    if fmt not in services.EXPORT_TYPES:
        raise Http404("No such format")
    # The same filters as the chronology page: an export holds what the page shows (one agency's return is the
    # agency filter alone).
    form = ChronologyFilterForm(request.GET or None, review=review)
    if form.is_bound and not form.is_valid():
        if "agency" in form.errors:
            raise Http404("No such agency in this chronology")
        problems = "; ".join(
            f"{form.fields[name].label if name in form.fields else 'Filters'}: {' '.join(map(str, errors))}"
            for name, errors in form.errors.items()
        )
        return HttpResponseBadRequest(f"The export's filters are not right ({problems}). Nothing was exported.")
    export = services.chronology_export(
        review=review,
        fmt=fmt,
        agency=None,
        filters=_filters(form),
        by=request.user,
        origin=Origin.from_request(request),
    )
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response


# Agency returns


@review_view("reviews.view_returns")
def returns(request: AuthenticatedRequest, review: Review) -> HttpResponse:
    context = review_context(
        request,
        review,
        "chronology",
        "Agency returns",
        returns=selectors.returns_visible_to(user=request.user, review=review),
        can_request=can(request.user, "reviews.request_returns", review),
    )
    return render(request, "chronology/returns.html", context)


@review_view("reviews.request_returns")
@require_http_methods(["GET", "POST"])
def returns_request(request: AuthenticatedRequest, review: Review) -> HttpResponse:
    form = RequestReturnsForm(request.POST or None, review=review)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.return_request(
                review=review,
                agencies=form.cleaned_data["agencies"],
                due_date=form.cleaned_data["due_date"],
                note=form.cleaned_data["note"],
                by=request.user,
                origin=Origin.from_request(request),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, f"Asked {len(created)} agenc{'y' if len(created) == 1 else 'ies'} for their returns"
            )
            return redirect("chronology:returns", review.reference)
    context = review_context(request, review, "chronology", "Ask agencies for their returns", form=form)
    return render(request, "chronology/returns_request.html", context)


def _authorable_return(request: AuthenticatedRequest, review: Review, return_id: str) -> AgencyReturn:
    agency_return = selectors.return_for(user=request.user, review=review, return_id=return_id)
    if not selectors.can_author_return(user=request.user, agency_return=agency_return):
        raise PermissionDenied
    return agency_return


@review_view("reviews.view_returns")
def return_detail(request: AuthenticatedRequest, review: Review, return_id: str) -> HttpResponse:
    agency_return = selectors.return_for(user=request.user, review=review, return_id=return_id)
    entries = agency_return.entries.order_by(*CHRONOLOGICAL)
    page = Paginator(entries, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    context = review_context(
        request,
        review,
        "chronology",
        f"{agency_return.agency.name} return",
        agency_return=agency_return,
        page=page,
        rows=[(item, selectors.entry_date_text(item)) for item in page.object_list],
        can_author=selectors.can_author_return(user=request.user, agency_return=agency_return),
        upload_form=UploadForm(),
        uploads=agency_return.uploads.exclude(status__in=[ReturnUpload.Status.DISCARDED, ReturnUpload.Status.IMPORTED])[
            :5
        ],
    )
    return render(request, "chronology/return.html", context)


@review_view("reviews.view_returns")
@require_POST
def return_upload(request: AuthenticatedRequest, review: Review, return_id: str) -> HttpResponse:
    agency_return = _authorable_return(request, review, return_id)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        context = review_context(
            request,
            review,
            "chronology",
            f"{agency_return.agency.name} return",
            agency_return=agency_return,
            page=None,
            rows=[],
            can_author=True,
            upload_form=form,
            uploads=[],
        )
        return render(request, "chronology/return.html", context, status=400)
    uploaded = form.cleaned_data["file"]
    try:
        data = uploaded.read(services.MAX_UPLOAD_BYTES + 1)
        upload = services.upload_receive(
            agency_return=agency_return,
            filename=uploaded.name,
            data=data,
            by=request.user,
            origin=Origin.from_request(request),
        )
    except ValidationError as exc:
        apply_errors(form, exc)
        context = review_context(
            request,
            review,
            "chronology",
            f"{agency_return.agency.name} return",
            agency_return=agency_return,
            page=None,
            rows=[],
            can_author=True,
            upload_form=form,
            uploads=[],
        )
        return render(request, "chronology/return.html", context, status=400)
    upload_url = reverse("chronology:upload", args=[review.reference, agency_return.pk, upload.pk])
    if upload.size > services.BACKGROUND_BYTES:
        job = job_start(
            kind="chronology.check",
            description=f"Checking {upload.filename}",
            function="caseview.chronology.services.upload_check",
            arguments={"upload_id": str(upload.pk)},
            created_by=request.user,
            review=review,
            next_url=upload_url,
        )
        return redirect("job", job.pk)
    services.upload_check(upload_id=str(upload.pk))
    return redirect(upload_url)


@review_view("reviews.view_returns")
@require_http_methods(["GET", "POST"])
def upload(request: AuthenticatedRequest, review: Review, return_id: str, upload_id: str) -> HttpResponse:
    agency_return = _authorable_return(request, review, return_id)
    item = selectors.upload_for(agency_return=agency_return, upload_id=upload_id)
    mapping_form = None
    if item.status in {ReturnUpload.Status.NEEDS_MAPPING, ReturnUpload.Status.INVALID} or request.GET.get("map"):
        mapping_form = MappingForm(
            request.POST if request.method == "POST" and request.POST.get("action") == "map" else None,
            headers=item.headers,
            initial_mapping=item.mapping,
        )
    if request.method == "POST":
        action = request.POST.get("action")
        origin = Origin.from_request(request)
        if action == "discard":
            services.upload_discard(upload=item, by=request.user, origin=origin)
            messages.success(request, f"{item.filename} discarded; nothing from it was stored")
            return redirect("chronology:return", review.reference, agency_return.pk)
        if action == "map" and mapping_form is not None and mapping_form.is_valid():
            try:
                item = services.upload_map_columns(
                    upload=item, mapping=mapping_form.mapping(), by=request.user, origin=origin
                )
            except ValidationError as exc:
                apply_errors(mapping_form, exc)
            else:
                return redirect("chronology:upload", review.reference, agency_return.pk, item.pk)
        if action == "import" and item.status == ReturnUpload.Status.VALID:
            arguments = {
                "upload_id": str(item.pk),
                "by_id": request.user.pk,
                "origin": {"ip_address": origin.ip_address or "", "user_agent": origin.user_agent},
            }
            return_url = reverse("chronology:return", args=[review.reference, agency_return.pk])
            if item.row_count > services.BACKGROUND_ROWS:
                job = job_start(
                    kind="chronology.import",
                    description=f"Importing {item.filename}",
                    function="caseview.chronology.services.upload_import",
                    arguments=arguments,
                    created_by=request.user,
                    review=review,
                    next_url=return_url,
                )
                return redirect("job", job.pk)
            try:
                result = services.upload_import(**arguments)  # type: ignore[arg-type]
            except (JobFailed, ValidationError) as exc:
                messages.warning(request, " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))
                return redirect("chronology:upload", review.reference, agency_return.pk, item.pk)
            messages.success(request, f"Imported {result['entries']:,} entries. Check them, then release the return.")
            return redirect(return_url)
    context = review_context(
        request,
        review,
        "chronology",
        f"Check {item.filename}",
        agency_return=agency_return,
        item=item,
        mapping_form=mapping_form,
        field_labels=FIELD_LABELS,
        shown_errors=item.errors[:500],
    )
    return render(request, "chronology/upload.html", context)


@review_view("reviews.view_returns")
@require_http_methods(["GET", "POST"])
def return_entry_add(request: AuthenticatedRequest, review: Review, return_id: str) -> HttpResponse:
    agency_return = _authorable_return(request, review, return_id)
    form = EntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.return_entry_add(
                agency_return=agency_return, by=request.user, origin=Origin.from_request(request), **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Entry added")
            if request.POST.get("another"):
                return redirect("chronology:return-entry-add", review.reference, agency_return.pk)
            return redirect("chronology:return", review.reference, agency_return.pk)
    context = review_context(
        request,
        review,
        "chronology",
        f"Add an entry to the {agency_return.agency.name} return",
        agency_return=agency_return,
        form=form,
    )
    return render(request, "chronology/entry_add.html", context)


@review_view("reviews.view_returns")
@require_POST
def return_release(request: AuthenticatedRequest, review: Review, return_id: str) -> HttpResponse:
    agency_return = _authorable_return(request, review, return_id)
    try:
        result = services.return_release(
            agency_return=agency_return, by=request.user, origin=Origin.from_request(request)
        )
    except ValidationError as exc:
        messages.warning(request, exc.messages[0])
    else:
        if can(request.user, "reviews.view_chronology", review):
            after = (
                "Entries from other agencies that may record the same events are being looked for; they appear "
                "under 'The same event in several returns'."
            )
        else:
            after = "The review team and the case group now see them in the review's chronology."
        messages.success(request, f"Released {result['entries']:,} entries into the review. {after}")
    return redirect("chronology:return", review.reference, agency_return.pk)
