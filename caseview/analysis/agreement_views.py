"""Pages of the agreement between reviewers: each reviewer's blind appraisal of an episode, the comparison once
submitted, and the agreement statistics across the review. Reviewers only (`edit_analysis`)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from caseview.analysis import agreement, selectors, services
from caseview.analysis.agreement_forms import CarryForm, IndependentAppraisalForm, IndependentCodeForm
from caseview.analysis.models import IndependentAppraisal, KeyPracticeEpisode
from caseview.analysis.views import episode_for_page, language_note, outcome_on_page, page_context
from caseview.chronology.selectors import entry_date_text
from caseview.core.audit import Origin
from caseview.core.models import StaleEdit
from caseview.core.views import AuthenticatedRequest
from caseview.reviews.access import review_view
from caseview.reviews.models import Review
from caseview.reviews.views import apply_errors


def _to_independent(review: Review, episode: KeyPracticeEpisode, anchor: str = "") -> HttpResponse:
    url = reverse("analysis:independent", args=[review.reference, episode.number])
    return redirect(f"{url}#{anchor}" if anchor else url)


def _to_compare(review: Review, episode: KeyPracticeEpisode, anchor: str = "") -> HttpResponse:
    url = reverse("analysis:independent-compare", args=[review.reference, episode.number])
    return redirect(f"{url}#{anchor}" if anchor else url)


@review_view("reviews.edit_analysis")
def overview(request: AuthenticatedRequest, review: Review) -> HttpResponse:
    context = page_context(
        request,
        review,
        "Agreement between reviewers",
        statuses=agreement.episode_statuses(user=request.user, review=review),
    )
    return render(request, "analysis/agreement/overview.html", context)


# --- A reviewer's own blind appraisal ----------------------------------------------------------------------


def _appraisal_initial(mine: IndependentAppraisal | None) -> dict[str, Any]:
    return {"valence": mine.valence, "note": mine.note, "version": mine.version} if mine else {}


def _code_form(request: AuthenticatedRequest, review: Review, mine: IndependentAppraisal | None) -> IndependentCodeForm:
    """The items still to choose from: the framework's and the partnership's own, less those coded already."""
    factor_types = selectors.factor_types_for(review=review)
    if mine is not None:
        factor_types = factor_types.exclude(pk__in=[code.factor_type_id for code in mine.codes.all()])
    data = request.POST if request.method == "POST" and "factor_type" in request.POST else None
    return IndependentCodeForm(data, factor_types=factor_types)


def _independent_page(
    request: AuthenticatedRequest,
    review: Review,
    episode: KeyPracticeEpisode,
    *,
    form: IndependentAppraisalForm | None = None,
    code_form: IndependentCodeForm | None = None,
    submit_errors: dict[str, list[str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The episode's facts as they were known at the time, beside the reviewer's own appraisal. Not the team's
    appraisal or factors, nor anyone else's independent appraisal: only how many others have submitted."""
    mine = agreement.own_appraisal(user=request.user, episode=episode)
    perspectives = list(selectors.episode_perspectives(episode=episode))
    where = f"the independent appraisal of episode {episode.number}"
    services.turning_points_read(
        review=review, by=request.user, origin=Origin.from_request(request), perspectives=perspectives, where=where
    )
    code_form = code_form or _code_form(request, review, mine)
    context = page_context(
        request,
        review,
        f"Your independent appraisal of episode {episode.number}",
        episode=episode,
        mine=mine,
        codes=list(mine.codes.all()) if mine else [],
        others=agreement.others_submitted(user=request.user, episode=episode),
        form=form or IndependentAppraisalForm(initial=_appraisal_initial(mine)),
        code_form=code_form,
        grouped=code_form.grouped_factor_types(),
        submit_errors=[(part, message) for part, items in (submit_errors or {}).items() for message in items],
        period=selectors.period_text(episode.period_start, episode.period_end),
        entries=[(entry, entry_date_text(entry)) for entry in selectors.episode_entries(episode=episode)],
        perspectives=perspectives,
        **outcome_on_page(request, review, where),
    )
    return render(request, "analysis/agreement/independent.html", context, status=status)


@review_view("reviews.edit_analysis")
@require_http_methods(["GET", "POST"])
def independent(request: AuthenticatedRequest, review: Review, number: int) -> HttpResponse:
    episode = episode_for_page(request, review, number)
    if request.method == "GET":
        return _independent_page(request, review, episode)
    form = IndependentAppraisalForm(request.POST)
    if form.is_valid():
        try:
            agreement.appraisal_save(
                episode=episode,
                valence=form.cleaned_data["valence"],
                note=form.cleaned_data["note"],
                expected_version=form.cleaned_data["version"],
                by=request.user,
                origin=Origin.from_request(request),
            )
        except StaleEdit as exc:
            messages.warning(request, exc.messages[0])
            return _to_independent(review, episode)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, f"Your draft is saved. Only you can see it.{language_note(form.cleaned_data['note'])}"
            )
            return _to_independent(review, episode, "codes")
    return _independent_page(request, review, episode, form=form, status=400)


@review_view("reviews.edit_analysis")
@require_POST
def code_add(request: AuthenticatedRequest, review: Review, number: int) -> HttpResponse:
    episode = episode_for_page(request, review, number)
    form = _code_form(request, review, agreement.own_appraisal(user=request.user, episode=episode))
    if form.is_valid():
        try:
            code = agreement.code_add(
                episode=episode,
                factor_type=form.cleaned_data["factor_type"],
                effect=form.cleaned_data["effect"],
                by=request.user,
                origin=Origin.from_request(request),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"“{code.factor_type.label}” added to your codes")
            return _to_independent(review, episode, "codes")
    return _independent_page(request, review, episode, code_form=form, status=400)


@review_view("reviews.edit_analysis")
@require_POST
def code_remove(request: AuthenticatedRequest, review: Review, number: int, code_id: Any) -> HttpResponse:
    episode = episode_for_page(request, review, number)
    code = agreement.own_code(user=request.user, episode=episode, code_id=code_id)
    if code is None:
        raise Http404("No such code")
    try:
        agreement.code_remove(code=code, by=request.user, origin=Origin.from_request(request))
    except ValidationError as exc:
        messages.warning(request, exc.messages[0])
    else:
        messages.success(request, f"“{code.factor_type.label}” removed from your codes")
    return _to_independent(review, episode, "codes")


@review_view("reviews.edit_analysis")
@require_POST
def submit(request: AuthenticatedRequest, review: Review, number: int) -> HttpResponse:
    episode = episode_for_page(request, review, number)
    try:
        agreement.appraisal_submit(episode=episode, by=request.user, origin=Origin.from_request(request))
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"submit": exc.messages}
        return _independent_page(request, review, episode, submit_errors=errors, status=400)
    others = agreement.others_submitted(user=request.user, episode=episode)
    if others:
        messages.success(request, "Your independent appraisal is submitted and locked. Compare it with the others'.")
        return _to_compare(review, episode)
    messages.success(
        request,
        "Your independent appraisal is submitted and locked. You can compare it once another reviewer submits theirs.",
    )
    return _to_independent(review, episode)


# --- Comparing ---------------------------------------------------------------------------------------------


def _compare_page(
    request: AuthenticatedRequest,
    review: Review,
    episode: KeyPracticeEpisode,
    *,
    carry_form: tuple[Any, CarryForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    """Everyone's submitted appraisal side by side, once the reviewer's own is submitted; until then, how many
    others have submitted and nothing more."""
    mine = agreement.own_appraisal(user=request.user, episode=episode)
    found = agreement.comparison(user=request.user, episode=episode)
    agreement.comparison_read(
        episode=episode, appraisals=found.appraisals, by=request.user, origin=Origin.from_request(request)
    )
    carry_forms = {
        row.factor_type.pk: CarryForm(prefix=str(row.factor_type.pk))
        for row in found.agreed_rows
        if not row.in_episode and len(found.appraisals) > 1
    }
    if carry_form is not None:
        carry_forms[carry_form[0]] = carry_form[1]
    context = page_context(
        request,
        review,
        f"Compare independent appraisals of episode {episode.number}",
        episode=episode,
        mine=mine,
        others=agreement.others_submitted(user=request.user, episode=episode),
        comparison=found,
        columns=[(appraisal, agreement.reviewer_name(appraisal.reviewer)) for appraisal in found.appraisals],
        carry=[
            (row, carry_forms[row.factor_type.pk]) for row in found.agreed_rows if row.factor_type.pk in carry_forms
        ],
        period=selectors.period_text(episode.period_start, episode.period_end),
    )
    return render(request, "analysis/agreement/compare.html", context, status=status)


@review_view("reviews.edit_analysis")
def compare(request: AuthenticatedRequest, review: Review, number: int) -> HttpResponse:
    return _compare_page(request, review, episode_for_page(request, review, number))


@review_view("reviews.edit_analysis")
@require_POST
def carry(request: AuthenticatedRequest, review: Review, number: int, item_id: Any) -> HttpResponse:
    episode = episode_for_page(request, review, number)
    row = next(
        (row for row in agreement.comparison(user=request.user, episode=episode).rows if row.factor_type.pk == item_id),
        None,
    )
    if row is None:
        raise Http404("No such code")
    form = CarryForm(request.POST, prefix=str(item_id))
    if form.is_valid():
        try:
            agreement.carry_code(
                episode=episode,
                factor_type=row.factor_type,
                significance=form.cleaned_data["significance"],
                description=form.cleaned_data["description"],
                by=request.user,
                origin=Origin.from_request(request),
            )
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                messages.warning(request, exc.messages[0])
                return _to_compare(review, episode, "carry")
            apply_errors(form, exc)
        else:
            note = language_note(form.cleaned_data["description"])
            messages.success(request, f"“{row.factor_type.label}” added to the episode's contributory factors.{note}")
            return _to_compare(review, episode, "carry")
    return _compare_page(request, review, episode, carry_form=(item_id, form), status=400)


# --- Across the review -------------------------------------------------------------------------------------


@review_view("reviews.edit_analysis")
def statistics(request: AuthenticatedRequest, review: Review) -> HttpResponse:
    pairs = agreement.agreement_by_pair(user=request.user, review=review)
    agreement.statistics_viewed(review=review, pairs=pairs, by=request.user, origin=Origin.from_request(request))
    context = page_context(
        request,
        review,
        "Agreement statistics",
        pairs=pairs,
        items=selectors.factor_types_for(review=review).count(),
    )
    return render(request, "analysis/agreement/statistics.html", context)
