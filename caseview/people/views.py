from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from caseview.core.audit import Origin
from caseview.core.forms import keep_typed_changes
from caseview.core.models import StaleEdit
from caseview.core.views import AuthenticatedRequest
from caseview.people import selectors, services
from caseview.people.forms import (
    KIND_HEADINGS,
    AccountForm,
    ConsentForm,
    FamilyDecisionForm,
    ParticipantForm,
    ParticipantKindForm,
    WithdrawForm,
    participant_initial,
)
from caseview.people.models import (
    ConsentScope,
    FamilyInvolvementDecision,
    Participant,
    ParticipantKind,
    ParticipationMode,
    ParticipationStatus,
)
from caseview.reviews.access import review_view
from caseview.reviews.models import Review
from caseview.reviews.rules import can
from caseview.reviews.views import apply_errors, review_context


@review_view("reviews.view_participants")
def participants(request: AuthenticatedRequest, review: Review) -> HttpResponse:
    found = selectors.withdrawals(review=review)
    groups = [
        (group, [(person, found.get(person.pk, [])) for person in group.participants])
        for group in selectors.register(user=request.user, review=review)
    ]
    context = review_context(
        request,
        review,
        "participants",
        "Participants",
        groups=groups,
        withdrawals=[item for items in found.values() for item in items],
        family_decision=selectors.family_decision_of(review=review),
    )
    return render(request, "people/participants.html", context)


def _decision_initial(current: FamilyInvolvementDecision | None) -> dict[str, Any]:
    if current is None:
        return {"who_and_how": "", "reasons": "", "decided_by": "", "decided_on": None, "version": None}
    return {
        "who_and_how": current.who_and_how,
        "reasons": current.reasons,
        "decided_by": current.decided_by,
        "decided_on": current.decided_on,
        "version": current.version,
    }


@review_view("reviews.manage_participants")
@require_http_methods(["GET", "POST"])
def family_decision(request: AuthenticatedRequest, review: Review) -> HttpResponse:
    current = selectors.family_decision_of(review=review)
    form = FamilyDecisionForm(request.POST or None, initial=_decision_initial(current))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.family_decision_save(
                review=review,
                expected_version=data.pop("version"),
                by=request.user,
                origin=Origin.from_request(request),
                **data,
            )
        except StaleEdit as exc:
            keep_typed_changes(form, saved=_decision_initial(selectors.family_decision_of(review=review)), problem=exc)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "The decision about involving the family is saved")
            return redirect(reverse("people:participants", args=[review.reference]) + "#family-decision")
    title = (
        "Change the decision about involving the family"
        if current
        else "Record the decision about involving the family"
    )
    context = review_context(request, review, "participants", title, form=form, decision=current)
    return render(request, "people/family_decision.html", context)


@review_view("reviews.manage_participants")
@require_http_methods(["GET", "POST"])
def participant_add(request: AuthenticatedRequest, review: Review) -> HttpResponse:
    # Without JavaScript the form cannot change as the kind is chosen, so the kind is asked for first.
    kind_form = ParticipantKindForm(request.GET if "kind" in request.GET else None)
    if not kind_form.is_valid():
        context = review_context(request, review, "participants", "Add a participant", kind_form=kind_form)
        return render(request, "people/participant_kind.html", context)
    kind = kind_form.cleaned_data["kind"]
    form = ParticipantForm(
        request.POST or None,
        review=review,
        kind=kind,
        show_identity=can(request.user, "reviews.view_identities", review),
        initial={
            "participation_mode": ParticipationMode.TO_BE_AGREED,
            "participation_status": ParticipationStatus.NOT_YET_INVITED,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            participant = services.participant_add(
                review=review, by=request.user, origin=Origin.from_request(request), kind=kind, **form.service_values()
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"{participant.label} added")
            return redirect("people:participant", review.reference, participant.pk)
    context = review_context(
        request, review, "participants", KIND_HEADINGS[ParticipantKind(kind)], form=form, kind=kind
    )
    return render(request, "people/participant_form.html", context)


def _participant_page(
    request: AuthenticatedRequest, review: Review, participant: Participant, real_name: str | None = None
) -> HttpResponse:
    consents = list(selectors.consents_of(participant=participant))
    recorded = {consent.scope for consent in consents}
    context = review_context(
        request,
        review,
        "participants",
        participant.label,
        participant=participant,
        real_name=real_name,
        withdrawals=selectors.withdrawals(review=review).get(participant.pk, []),
        consents=consents,
        scopes_left=[label for scope, label in ConsentScope.choices if scope not in recorded],
        letters=participant.letters.all() if can(request.user, "reviews.manage_participants", review) else [],
        conversations=participant.conversations.all()
        if can(request.user, "reviews.record_conversations", review)
        else [],
        invitations=participant.invitations.select_related("meeting").order_by("meeting__held_on")
        if can(request.user, "reviews.view_meetings", review)
        else [],
    )
    return render(request, "people/participant.html", context)


@review_view("reviews.view_participants")
def participant(request: AuthenticatedRequest, review: Review, participant_id: str) -> HttpResponse:
    found = selectors.participant_for(user=request.user, review=review, participant_id=participant_id)
    return _participant_page(request, review, found)


@review_view("reviews.view_identities")
def participant_real_name(request: AuthenticatedRequest, review: Review, participant_id: str) -> HttpResponse:
    found = selectors.participant_for(user=request.user, review=review, participant_id=participant_id)
    name = selectors.real_name_of(participant=found, user=request.user, origin=Origin.from_request(request))
    return _participant_page(request, review, found, real_name=name)


@review_view("reviews.manage_participants")
@require_http_methods(["GET", "POST"])
def participant_edit(request: AuthenticatedRequest, review: Review, participant_id: str) -> HttpResponse:
    found = selectors.participant_for(user=request.user, review=review, participant_id=participant_id)
    options: dict[str, Any] = {
        "review": review,
        "kind": found.kind,
        "show_identity": can(request.user, "reviews.view_identities", review),
        "editing": True,
    }
    form = ParticipantForm(request.POST or None, initial=participant_initial(found), **options)
    if request.method == "POST" and form.is_valid():
        values = form.service_values()
        try:
            services.participant_update(
                participant=found,
                expected_version=form.cleaned_data["version"] or 0,
                by=request.user,
                origin=Origin.from_request(request),
                **values,
            )
        except StaleEdit as exc:
            found.refresh_from_db()
            keep_typed_changes(form, saved=participant_initial(found), problem=exc)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"{found.label}'s details saved")
            return redirect("people:participant", review.reference, found.pk)
    context = review_context(
        request, review, "participants", f"Change {found.label}'s details", form=form, participant=found
    )
    return render(request, "people/participant_form.html", context)


@review_view("reviews.manage_participants")
@require_http_methods(["GET", "POST"])
def participant_account(request: AuthenticatedRequest, review: Review, participant_id: str) -> HttpResponse:
    found = selectors.participant_for(user=request.user, review=review, participant_id=participant_id)
    members = list(selectors.linkable_accounts(participant=found))
    current = next((str(member.pk) for member in members if member.user_id == found.user_id), "none")
    form = AccountForm(
        request.POST or None,
        initial={"membership": current},
        members=members,
        show_identity=can(request.user, "reviews.view_identities", review),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.participant_link_account(
                participant=found, user=form.chosen_user(), by=request.user, origin=Origin.from_request(request)
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            linked = form.chosen_user() is not None
            messages.success(
                request,
                f"{found.label} can now sign in to check their own record"
                if linked
                else f"{found.label} is not linked to an account",
            )
            return redirect("people:participant", review.reference, found.pk)
    context = review_context(
        request, review, "participants", f"Link {found.label} to their account", form=form, participant=found
    )
    return render(request, "people/participant_account.html", context)


@review_view("reviews.manage_participants")
@require_http_methods(["GET", "POST"])
def consent_add(request: AuthenticatedRequest, review: Review, participant_id: str) -> HttpResponse:
    found = selectors.participant_for(user=request.user, review=review, participant_id=participant_id)
    form = ConsentForm(
        request.POST or None,
        initial={"scope": request.GET.get("scope", "")},
        is_child=found.kind == ParticipantKind.CHILD,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            consent = services.consent_record(
                participant=found,
                scope=data["scope"],
                agreed=data["agreed"],
                given_on=data["given_on"],
                how_given=data["how_given"],
                given_by=data.get("given_by", ""),
                by=request.user,
                origin=Origin.from_request(request),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Recorded: {consent.get_scope_display()}")
            return redirect("people:participant", review.reference, found.pk)
    context = review_context(
        request, review, "participants", f"Record {found.label}'s consent", form=form, participant=found
    )
    return render(request, "people/consent_form.html", context)


@review_view("reviews.manage_participants")
@require_http_methods(["GET", "POST"])
def consent_withdraw(request: AuthenticatedRequest, review: Review, participant_id: str, scope: str) -> HttpResponse:
    found = selectors.participant_for(user=request.user, review=review, participant_id=participant_id)
    consent = selectors.consent_for(participant=found, scope=scope)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_withdraw(
                consent=consent,
                withdrawn_on=form.cleaned_data["withdrawn_on"],
                reason=form.cleaned_data["reason"],
                by=request.user,
                origin=Origin.from_request(request),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Withdrawal recorded: {consent.get_scope_display()}")
            return redirect("people:participant", review.reference, found.pk)
    context = review_context(
        request,
        review,
        "participants",
        f"Withdraw {found.label}'s consent",
        form=form,
        participant=found,
        consent=consent,
    )
    return render(request, "people/consent_withdraw.html", context)
