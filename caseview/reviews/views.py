from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from caseview.core import audit
from caseview.core.audit import Event, Origin
from caseview.core.forms import keep_typed_changes
from caseview.core.models import AuditEvent
from caseview.core.spreadsheets import spreadsheet_safe
from caseview.core.views import AuthenticatedRequest, signed_in_view
from caseview.reviews import selectors, services
from caseview.reviews.access import partnership_view, review_view
from caseview.reviews.forms import (
    AuditFilterForm,
    MemberAddForm,
    MemberRoleForm,
    QuestionForm,
    ReviewCreateForm,
    ReviewEditForm,
    StageForm,
)
from caseview.reviews.models import NoParallelProcesses, Review, Role, Stage
from caseview.reviews.rules import PERMISSIONS, can, role_label, roles_in

# The review's own navigation, in the order of the method.
# (section, label, url name, the permission that shows it, another that shows it instead when the first is missing)
REVIEW_SECTIONS = [
    ("overview", "Overview", "reviews:overview", "reviews.view_review"),
    ("people", "People", "reviews:people", "reviews.view_people"),
    ("chronology", "Chronology", "chronology:chronology", "reviews.view_chronology"),
    ("chronology", "Agency return", "chronology:returns", "reviews.view_returns"),
    ("participants", "Participants", "people:participants", "reviews.view_participants"),
    # A practitioner or family member sees their own record here, not the reviewers' list of conversations.
    ("conversations", "Your record", "conversations:my-records", "reviews.check_own_record"),
    ("conversations", "Conversations", "conversations:list", "reviews.view_conversations"),
    ("meetings", "Meetings", "meetings:list", "reviews.view_meetings"),
    ("analysis", "Analysis", "analysis:home", "reviews.view_analysis"),
    ("findings", "Findings", "findings:list", "reviews.view_findings"),
    ("quality", "Quality", "quality:readiness", "reviews.view_quality"),
    ("report", "Report", "reports:home", "reviews.view_report"),
    # A practitioner or family member sees the drafts shared with them for comment.
    ("report", "Report", "reports:shared-list", "reviews.comment_on_report"),
    ("board", "Board response", "board:responses", "reviews.view_board_response"),
    ("audit", "Audit", "reviews:audit", "reviews.view_audit"),
]


def review_context(
    request: AuthenticatedRequest, review: Review, section: str, title: str, **extra: Any
) -> dict[str, Any]:
    held = roles_in(request.user, review)
    nav: list[dict[str, Any]] = []
    for key, label, url_name, permission in REVIEW_SECTIONS:
        # A section appears once: the agency-return entry only for those who cannot see the whole chronology.
        if can(request.user, permission, review) and key not in {item["key"] for item in nav}:
            url = reverse(url_name, args=[review.reference])
            nav.append({"key": key, "label": label, "url": url, "current": key == section})
    allowed = {name.split(".", 1)[1]: can(request.user, name, review) for name in PERMISSIONS}
    return {
        "review": review,
        "section": section,
        "review_nav": nav,
        "page_title": f"{title} – {review.reference}" if title else review.reference,
        "heading": title,
        "my_roles": sorted(role_label(role) for role in held),
        "can": allowed,
        "nav_section": "reviews",
        **extra,
    }


def apply_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@signed_in_view
def review_list(request: AuthenticatedRequest) -> HttpResponse:
    reviews = selectors.reviews_visible_to(user=request.user).order_by("reference")
    rows = [
        {"review": review, "roles": sorted(role_label(r) for r in roles_in(request.user, review))} for review in reviews
    ]
    context = {
        "rows": rows,
        "can_create": selectors.partnerships_user_can_start_reviews_in(user=request.user).exists(),
        "page_title": "Your reviews",
        "nav_section": "reviews",
    }
    return render(request, "reviews/review_list.html", context)


@partnership_view("partnerships.start_review")
@require_http_methods(["GET", "POST"])
def review_create(request: AuthenticatedRequest) -> HttpResponse:
    partnerships = selectors.partnerships_user_can_start_reviews_in(user=request.user)
    form = ReviewCreateForm(request.POST or None, partnerships=partnerships)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            review = services.review_create(
                partnership=data["partnership"],
                reference=data["reference"],
                title=data["title"],
                questions=form.question_list(),
                case_selection_reason=data["case_selection_reason"],
                trigger=data["trigger"],
                variant=data["variant"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                purpose_statement=data["purpose_statement"],
                agencies=data["agencies"],
                by=request.user,
                origin=Origin.from_request(request),
                lead_reviewer=request.user
                if data["partnership"].lead_reviewers.filter(pk=request.user.pk).exists()
                else None,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Review {review.reference} created. Now give people their roles in it.")
            return redirect("reviews:people", review.reference)
    context = {"form": form, "page_title": "Create a review", "nav_section": "reviews"}
    return render(request, "reviews/review_create.html", context)


@review_view("reviews.view_review")
def overview(request: AuthenticatedRequest, review: Review) -> HttpResponse:
    context = review_context(
        request,
        review,
        "overview",
        "",
        questions=review.questions.all(),
        agencies=review.agencies.all(),
        stage_changes=review.stage_changes.select_related("changed_by").order_by("-changed_at", "-id"),
        next_stages=[Stage(value) for value in services.allowed_next_stages(review.stage)],
        stages=_stage_progress(review),
        parallel_processes=review.parallel_processes.all(),
        no_parallel=NoParallelProcesses.objects.filter(review=review).exists(),
    )
    return render(request, "reviews/overview.html", context)


def _stage_progress(review: Review) -> list[dict[str, Any]]:
    order = services.STAGE_ORDER
    current = order.index(review.stage)
    return [
        {
            "label": Stage(value).label,
            "state": "done" if i < current else "current" if i == current else "todo",
        }
        for i, value in enumerate(order)
    ]


def _review_initial(review: Review) -> dict[str, Any]:
    initial = {name: getattr(review, name) for name in services.EDITABLE_REVIEW_FIELDS}
    return {**initial, "agencies": list(review.agencies.all()), "version": review.version}


@review_view("reviews.change_review")
@require_http_methods(["GET", "POST"])
def review_edit(request: AuthenticatedRequest, review: Review) -> HttpResponse:
    form = ReviewEditForm(request.POST or None, initial=_review_initial(review), partnership=review.partnership)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.review_update(
                review=review,
                expected_version=data.pop("version"),
                agencies=data.pop("agencies"),
                by=request.user,
                origin=Origin.from_request(request),
                **data,
            )
        except services.StaleEdit as exc:
            review.refresh_from_db()
            keep_typed_changes(form, saved=_review_initial(review), problem=exc)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Review details saved")
            return redirect("reviews:overview", review.reference)
    context = review_context(request, review, "overview", "Change the review's details", form=form)
    return render(request, "reviews/review_edit.html", context)


@review_view("reviews.change_stage")
@require_http_methods(["GET", "POST"])
def stage_change(request: AuthenticatedRequest, review: Review) -> HttpResponse:
    form = StageForm(request.POST or None, options=services.allowed_next_stages(review.stage))
    if request.method == "POST" and form.is_valid():
        try:
            change = services.review_stage_change(
                review=review,
                to_stage=form.cleaned_data["to_stage"],
                note=form.cleaned_data["note"],
                by=request.user,
                origin=Origin.from_request(request),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"The review is now at: {change.get_to_stage_display()}")
            return redirect("reviews:overview", review.reference)
    context = review_context(request, review, "overview", "Move the review to another stage", form=form)
    return render(request, "reviews/stage_change.html", context)


@review_view("reviews.change_review")
@require_http_methods(["GET", "POST"])
def question_add(request: AuthenticatedRequest, review: Review) -> HttpResponse:
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            question = services.review_question_add(
                review=review,
                text=form.cleaned_data["text"],
                by=request.user,
                origin=Origin.from_request(request),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Question {question.number} added")
            return redirect("reviews:overview", review.reference)
    context = review_context(request, review, "overview", "Add a question the review asks", form=form)
    return render(request, "reviews/question_form.html", context)


@review_view("reviews.change_review")
@require_http_methods(["GET", "POST"])
def question_edit(request: AuthenticatedRequest, review: Review, number: int) -> HttpResponse:
    question = review.questions.filter(number=number).first()
    if question is None:
        raise Http404("No such question")
    if request.method == "POST" and request.POST.get("action") == "remove":
        services.review_question_remove(question=question, by=request.user, origin=Origin.from_request(request))
        messages.success(request, f"Question {number} removed")
        return redirect("reviews:overview", review.reference)
    form = QuestionForm(request.POST or None, initial={"text": question.text, "version": question.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.review_question_update(
                question=question,
                text=form.cleaned_data["text"],
                expected_version=form.cleaned_data["version"] or 0,
                by=request.user,
                origin=Origin.from_request(request),
            )
        except services.StaleEdit as exc:
            question.refresh_from_db()
            keep_typed_changes(form, saved={"text": question.text, "version": question.version}, problem=exc)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Question {number} saved")
            return redirect("reviews:overview", review.reference)
    context = review_context(request, review, "overview", f"Change question {number}", form=form, question=question)
    return render(request, "reviews/question_form.html", context)


@review_view("reviews.view_people")
def people(request: AuthenticatedRequest, review: Review) -> HttpResponse:
    members = list(selectors.members_of(review=review))
    groups = [
        ("Review team", [m for m in members if m.role in {Role.LEAD_REVIEWER, Role.REVIEW_TEAM}]),
        ("Case group: practitioners", [m for m in members if m.role == Role.PRACTITIONER]),
        ("Case group: family", [m for m in members if m.role == Role.FAMILY]),
        ("Board", [m for m in members if m.role == Role.BOARD]),
        ("Agency contacts", [m for m in members if m.role == Role.AGENCY_CONTACT]),
    ]
    context = review_context(request, review, "people", "People", groups=groups)
    return render(request, "reviews/people.html", context)


@review_view("reviews.manage_members")
@require_http_methods(["GET", "POST"])
def member_add(request: AuthenticatedRequest, review: Review) -> HttpResponse:
    form = MemberAddForm(request.POST or None, review=review)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = selectors.users_by_username(username=data["username"])
        if user is None:
            form.add_error("username", f"There is no account with the username {data['username']}")
        else:
            try:
                services.membership_add(
                    review=review,
                    user=user,
                    role=data["role"],
                    agency=data["agency"],
                    position=data["position"],
                    by=request.user,
                    origin=Origin.from_request(request),
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, f"{user.username} is now {Role(data['role']).label.lower()} in this review")
                return redirect("reviews:people", review.reference)
    context = review_context(request, review, "people", "Give someone a role", form=form)
    return render(request, "reviews/member_add.html", context)


@review_view("reviews.manage_members")
@require_http_methods(["GET", "POST"])
def member_edit(request: AuthenticatedRequest, review: Review, membership_id: str) -> HttpResponse:
    membership = selectors.membership_for(review=review, membership_id=membership_id)
    form = MemberRoleForm(request.POST or None, initial={"role": membership.role})
    if request.method == "POST":
        try:
            if request.POST.get("action") == "remove":
                services.membership_remove(membership=membership, by=request.user, origin=Origin.from_request(request))
                messages.success(request, f"{membership.user.username} no longer has a role in this review")
                return redirect("reviews:people", review.reference)
            if form.is_valid():
                services.membership_change_role(
                    membership=membership,
                    role=form.cleaned_data["role"],
                    by=request.user,
                    origin=Origin.from_request(request),
                )
                messages.success(request, f"{membership.user.username}'s role saved")
                return redirect("reviews:people", review.reference)
        except ValidationError as exc:
            apply_errors(form, exc)
    context = review_context(
        request,
        review,
        "people",
        f"Change {membership.user.username}'s role",
        form=form,
        membership=membership,
    )
    return render(request, "reviews/member_edit.html", context)


def _filtered(events: QuerySet[AuditEvent], form: AuditFilterForm) -> QuerySet[AuditEvent]:
    if form.is_valid():
        if form.cleaned_data.get("q"):
            words = form.cleaned_data["q"]
            events = events.filter(Q(summary__icontains=words) | Q(actor_username__icontains=words))
        if form.cleaned_data.get("event"):
            events = events.filter(event=form.cleaned_data["event"])
    return events


@review_view("reviews.view_audit")
def review_audit(request: AuthenticatedRequest, review: Review) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    audit.record(
        event=Event.AUDIT_VIEWED,
        actor=request.user,
        origin=Origin.from_request(request),
        review=review,
        summary="Viewed the review's audit trail",
    )
    events = _filtered(selectors.audit_for_review(review=review), form)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    context = review_context(
        request,
        review,
        "audit",
        "Audit trail",
        form=form,
        page=page,
        export_url=reverse("reviews:audit-export", args=[review.reference]),
    )
    return render(request, "reviews/audit.html", context)


@review_view("reviews.view_audit")
def review_audit_export(request: AuthenticatedRequest, review: Review) -> StreamingHttpResponse:
    form = AuditFilterForm(request.GET or None)
    return _audit_csv(
        request,
        _filtered(selectors.audit_for_review(review=review), form),
        review=review,
        filename=f"{review.reference}-audit",
    )


@partnership_view("partnerships.view_audit")
def audit_all(request: AuthenticatedRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    audit.record(
        event=Event.AUDIT_VIEWED,
        actor=request.user,
        origin=Origin.from_request(request),
        summary="Viewed the audit trail of all reviews",
    )
    events = _filtered(selectors.audit_visible_to(user=request.user), form)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "page_title": "Audit trail",
        "nav_section": "audit",
        "show_review": True,
        "export_url": reverse("reviews:audit-all-export"),
    }
    return render(request, "reviews/audit_all.html", context)


@partnership_view("partnerships.view_audit")
def audit_all_export(request: AuthenticatedRequest) -> StreamingHttpResponse:
    form = AuditFilterForm(request.GET or None)
    events = _filtered(selectors.audit_visible_to(user=request.user), form)
    return _audit_csv(request, events, review=None, filename="caseview-audit")


class _Echo:
    def write(self, value: str) -> str:
        return value


def _audit_csv(
    request: AuthenticatedRequest, events: QuerySet[AuditEvent], *, review: Review | None, filename: str
) -> StreamingHttpResponse:
    with transaction.atomic():
        count = events.count()
        audit.record(
            event=Event.AUDIT_EXPORTED,
            actor=request.user,
            origin=Origin.from_request(request),
            review=review,
            summary=f"Exported {count} audit events as CSV",
        )
    writer = csv.writer(_Echo())
    header = [
        "id",
        "when",
        "event_number",
        "event",
        "who",
        "review",
        "record_type",
        "record_id",
        "summary",
        "ip_address",
        "user_agent",
    ]

    def rows() -> Iterator[str]:
        yield "\ufeff" + writer.writerow(header)
        for event in events.order_by("occurred_at", "id").iterator(chunk_size=2000):
            yield writer.writerow(
                [
                    spreadsheet_safe(value)
                    for value in (
                        event.pk,
                        event.occurred_at.isoformat(),
                        event.event,
                        event.event_label,
                        event.actor_username,
                        event.review.reference if event.review else "",
                        event.object_type,
                        event.object_id,
                        event.summary,
                        event.ip_address or "",
                        event.user_agent,
                    )
                ]
            )

    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.csv"'
    return response
