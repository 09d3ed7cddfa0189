from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from caseview.analysis import selectors, services
from caseview.analysis.forms import (
    AppraisalForm,
    EntryFilterForm,
    EpisodeEditForm,
    EpisodeForm,
    FactorEditForm,
    FactorForm,
    FrameworkItemForm,
    OutcomeForm,
    QuestionForm,
    ReferenceForm,
    episode_initial,
)
from caseview.analysis.language import check
from caseview.analysis.models import ContributoryFactor, FactorGroup, KeyPracticeEpisode
from caseview.chronology.selectors import ChronologyFilter, entry_date_text, filtered_entries, released_entries
from caseview.core.audit import Origin
from caseview.core.forms import keep_typed_changes
from caseview.core.models import StaleEdit
from caseview.core.views import AuthenticatedRequest
from caseview.reviews.access import partnership_admin_view, review_view
from caseview.reviews.models import Partnership, Review
from caseview.reviews.views import apply_errors, review_context

ENTRIES_PER_PAGE = 200


def page_context(request: AuthenticatedRequest, review: Review, title: str, **extra: Any) -> dict[str, Any]:
    return review_context(request, review, "analysis", title, **extra)


def episode_for_page(request: AuthenticatedRequest, review: Review, number: int) -> KeyPracticeEpisode:
    return selectors.episode_for(user=request.user, review=review, number=number)


def _to_episode(review: Review, episode: KeyPracticeEpisode, anchor: str = "") -> HttpResponse:
    url = reverse("analysis:episode", args=[review.reference, episode.number])
    return redirect(f"{url}#{anchor}" if anchor else url)


def outcome_on_page(request: AuthenticatedRequest, review: Review, where: str) -> dict[str, Any]:
    """The outcome stays hidden unless the reviewer asks to see it on this page (?outcome=show); showing it
    is audited."""
    outcome = selectors.outcome_of(review=review)
    shown = outcome is not None and request.GET.get("outcome") == "show"
    if shown:
        services.outcome_shown(review=review, by=request.user, origin=Origin.from_request(request), where=where)
    return {"outcome": outcome, "outcome_shown": shown}


def language_note(*texts: str) -> str:
    found = sum(len(check(text)) for text in texts)
    if not found:
        return ""
    return f" The language check found {found} phrase{'s' if found != 1 else ''} to look at again: see the suggestions."


# --- Home, framework, outcome ------------------------------------------------------------------------------


@review_view("reviews.view_analysis")
def home(request: AuthenticatedRequest, review: Review) -> HttpResponse:
    whole = selectors.sees_whole_analysis(user=request.user, review=review)
    context = page_context(
        request,
        review,
        "Analysis",
        episodes=selectors.episodes_visible_to(user=request.user, review=review),
        whole=whole,
        outcome=selectors.outcome_of(review=review) if whole else None,
        framework=selectors.current_framework(),
    )
    return render(request, "analysis/home.html", context)


@review_view("reviews.view_analysis")
def framework(request: AuthenticatedRequest, review: Review) -> HttpResponse:
    context = page_context(
        request,
        review,
        "Contributory factor framework",
        framework=selectors.current_framework(),
        levels=selectors.framework_levels(partnership=review.partnership),
        partnership=review.partnership,
    )
    return render(request, "analysis/framework.html", context)


def _outcome_initial(review: Review) -> dict[str, Any]:
    current = selectors.outcome_of(review=review)
    return {"text": current.text, "version": current.version} if current else {"text": "", "version": None}


@review_view("reviews.edit_analysis")
@require_http_methods(["GET", "POST"])
def outcome(request: AuthenticatedRequest, review: Review) -> HttpResponse:
    form = OutcomeForm(request.POST or None, initial=_outcome_initial(review))
    if request.method == "POST" and form.is_valid():
        try:
            services.outcome_save(
                review=review,
                text=form.cleaned_data["text"],
                expected_version=form.cleaned_data["version"],
                by=request.user,
                origin=Origin.from_request(request),
            )
        except StaleEdit as exc:
            keep_typed_changes(form, saved=_outcome_initial(review), problem=exc)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Outcome saved. It stays off the appraisal screens unless you choose to show it.")
            return redirect("analysis:home", review.reference)
    return render(request, "analysis/outcome.html", page_context(request, review, "The outcome", form=form))


# --- Creating episodes -------------------------------------------------------------------------------------


def entry_choice_page(request: AuthenticatedRequest, review: Review, exclude: KeyPracticeEpisode | None = None) -> Any:
    form = EntryFilterForm(request.GET or None, review=review)
    filters = ChronologyFilter()
    if form.is_valid():
        data = form.cleaned_data
        filters = ChronologyFilter(
            agencies=list(data["agency"]),
            text=data["q"].strip(),
            start=data["start"],
            end=data["end"],
        )
    entries = filtered_entries(review=review, filters=filters)
    if exclude is not None:
        entries = entries.exclude(episodes=exclude)
    page = Paginator(entries, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "filter_form": form,
        "page": page,
        "rows": [(entry, entry_date_text(entry)) for entry in page.object_list],
        "query": query.urlencode(),
        "filtered": bool(request.GET),
    }


@review_view("reviews.edit_analysis")
def select_entries(request: AuthenticatedRequest, review: Review) -> HttpResponse:
    context = page_context(
        request,
        review,
        "Create an episode from chronology entries",
        **entry_choice_page(request, review),
        action=reverse("analysis:episode-create", args=[review.reference]),
        method="get",
        button="Continue with the chosen entries",
    )
    return render(request, "analysis/select_entries.html", context)


@review_view("reviews.edit_analysis")
@require_http_methods(["GET", "POST"])
def episode_create(request: AuthenticatedRequest, review: Review) -> HttpResponse:
    chosen_ids = request.POST.getlist("entries") if request.method == "POST" else request.GET.getlist("entries")
    try:
        entries = list(released_entries(review=review).filter(pk__in=chosen_ids).select_related("agency"))
    except ValidationError as exc:  # an id that is not a UUID
        raise Http404("No such entry") from exc
    start, end = services.entries_period(entries)
    initial = {
        "period_start": start,
        "period_end": end,
        "agencies": list({entry.agency_id: entry.agency for entry in entries}.values()),
    }
    form = EpisodeForm(request.POST or None, initial=initial, review=review)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            episode = services.episode_create(
                review=review,
                title=data["title"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                description=data["description"],
                valence=data["valence"],
                identified_by=data["identified_by"],
                agencies=list(data["agencies"]),
                participants=list(data["participants"]),
                entries=entries,
                by=request.user,
                origin=Origin.from_request(request),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Episode {episode.number} created. Next, appraise it.")
            return _to_episode(review, episode)
    context = page_context(
        request,
        review,
        "Create a key practice episode",
        form=form,
        entries=[(entry, entry_date_text(entry)) for entry in entries],
    )
    return render(request, "analysis/episode_form.html", context)


@review_view("reviews.edit_analysis")
def perspectives(request: AuthenticatedRequest, review: Review) -> HttpResponse:
    found = list(selectors.usable_perspectives(review=review).prefetch_related("episodes"))
    services.turning_points_read(
        review=review,
        by=request.user,
        origin=Origin.from_request(request),
        perspectives=found,
        where="the list of turning points for the analysis",
    )
    context = page_context(
        request,
        review,
        "Turning points",
        perspectives=found,
        episodes=selectors.episodes_visible_to(user=request.user, review=review),
        withdrawals=selectors.withdrawal_notes(review=review),
    )
    return render(request, "analysis/perspectives.html", context)


def _perspective(review: Review, perspective_id: Any) -> Any:
    perspective = selectors.usable_perspectives(review=review).filter(pk=perspective_id).first()
    if perspective is None:
        raise Http404("No such turning point")
    return perspective


@review_view("reviews.edit_analysis")
@require_POST
def perspective_episode(request: AuthenticatedRequest, review: Review, perspective_id: Any) -> HttpResponse:
    perspective = _perspective(review, perspective_id)
    try:
        episode = services.kpe_from_perspective(
            perspective=perspective, by=request.user, origin=Origin.from_request(request)
        )
    except ValidationError as exc:
        messages.warning(request, exc.messages[0])
        return redirect("analysis:perspectives", review.reference)
    messages.success(
        request,
        f"Episode {episode.number} created from {perspective.participant.label}'s turning point. Check its "
        "details, then appraise it.",
    )
    return _to_episode(review, episode)


@review_view("reviews.edit_analysis")
@require_POST
def perspective_link(request: AuthenticatedRequest, review: Review, perspective_id: Any) -> HttpResponse:
    perspective = _perspective(review, perspective_id)
    number = request.POST.get("episode", "")
    if not number.isdigit():
        messages.warning(request, "Choose the episode to link the turning point to")
        return redirect("analysis:perspectives", review.reference)
    episode = episode_for_page(request, review, int(number))
    services.episode_perspective_add(
        episode=episode, perspective=perspective, by=request.user, origin=Origin.from_request(request)
    )
    messages.success(request, f"Linked {perspective.participant.label}'s turning point to episode {episode.number}")
    return _to_episode(review, episode, "perspectives")


# --- An episode --------------------------------------------------------------------------------------------


def _episode_page(
    request: AuthenticatedRequest,
    review: Review,
    episode: KeyPracticeEpisode,
    *,
    completion_errors: dict[str, list[str]] | None = None,
    question_form: QuestionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    whole = selectors.sees_whole_analysis(user=request.user, review=review)
    linked_perspectives = list(selectors.episode_perspectives(episode=episode))
    if whole:
        services.turning_points_read(
            review=review,
            by=request.user,
            origin=Origin.from_request(request),
            perspectives=linked_perspectives,
            where=f"episode {episode.number}",
        )
    context = page_context(
        request,
        review,
        f"Episode {episode.number}: {episode.title}",
        episode=episode,
        whole=whole,
        period=selectors.period_text(episode.period_start, episode.period_end),
        entries=[(entry, entry_date_text(entry)) for entry in selectors.episode_entries(episode=episode)],
        perspectives=linked_perspectives,
        factors=[
            (factor, [(entry, entry_date_text(entry)) for entry in factor.entries.all()])
            for factor in selectors.episode_factors(episode=episode)
        ],
        references=episode.references.all(),
        questions=episode.open_questions.all(),
        question_form=question_form or QuestionForm(),
        completion_errors=[
            (part, message) for part, messages_ in (completion_errors or {}).items() for message in messages_
        ],
        problems=services.completion_problems(episode=episode),
    )
    return render(request, "analysis/episode.html", context, status=status)


@review_view("reviews.view_analysis")
def episode(request: AuthenticatedRequest, review: Review, number: int) -> HttpResponse:
    return _episode_page(request, review, episode_for_page(request, review, number))


@review_view("reviews.edit_analysis")
@require_http_methods(["GET", "POST"])
def episode_edit(request: AuthenticatedRequest, review: Review, number: int) -> HttpResponse:
    item = episode_for_page(request, review, number)
    form = EpisodeEditForm(request.POST or None, initial=episode_initial(item), review=review)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.episode_update(
                episode=item,
                expected_version=data["version"],
                title=data["title"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                description=data["description"],
                valence=data["valence"],
                identified_by=data["identified_by"],
                agencies=list(data["agencies"]),
                participants=list(data["participants"]),
                by=request.user,
                origin=Origin.from_request(request),
            )
        except StaleEdit as exc:
            keep_typed_changes(form, saved=episode_initial(episode_for_page(request, review, number)), problem=exc)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Episode {item.number} saved")
            return _to_episode(review, item)
    context = page_context(request, review, f"Change episode {item.number}", form=form, episode=item, entries=None)
    return render(request, "analysis/episode_form.html", context)


@review_view("reviews.edit_analysis")
@require_http_methods(["GET", "POST"])
def episode_entries(request: AuthenticatedRequest, review: Review, number: int) -> HttpResponse:
    item = episode_for_page(request, review, number)
    if request.method == "POST":
        ids = request.POST.getlist("entries")
        try:
            chosen = list(released_entries(review=review).filter(pk__in=ids))
        except ValidationError as exc:
            raise Http404("No such entry") from exc
        if not chosen:
            messages.warning(request, "Choose at least one entry to link")
            return redirect("analysis:episode-entries", review.reference, item.number)
        added = services.episode_entries_add(
            episode=item, entries=chosen, by=request.user, origin=Origin.from_request(request)
        )
        messages.success(request, f"Linked {added} entr{'y' if added == 1 else 'ies'} to episode {item.number}")
        return _to_episode(review, item, "entries")
    context = page_context(
        request,
        review,
        f"Link entries to episode {item.number}",
        **entry_choice_page(request, review, exclude=item),
        episode=item,
        action=reverse("analysis:episode-entries", args=[review.reference, item.number]),
        method="post",
        button="Link the chosen entries",
    )
    return render(request, "analysis/select_entries.html", context)


@review_view("reviews.edit_analysis")
@require_POST
def episode_entry_remove(request: AuthenticatedRequest, review: Review, number: int, entry_id: Any) -> HttpResponse:
    item = episode_for_page(request, review, number)
    entry = item.entries.filter(pk=entry_id).first()
    if entry is None:
        raise Http404("No such entry in this episode")
    services.episode_entry_remove(episode=item, entry=entry, by=request.user, origin=Origin.from_request(request))
    messages.success(request, "Entry unlinked from the episode")
    return _to_episode(review, item, "entries")


@review_view("reviews.edit_analysis")
@require_POST
def episode_perspective_remove(
    request: AuthenticatedRequest, review: Review, number: int, perspective_id: Any
) -> HttpResponse:
    item = episode_for_page(request, review, number)
    perspective = item.perspectives.filter(pk=perspective_id).select_related("participant").first()
    if perspective is None:
        raise Http404("No such turning point in this episode")
    services.episode_perspective_remove(
        episode=item, perspective=perspective, by=request.user, origin=Origin.from_request(request)
    )
    messages.success(request, "Turning point unlinked from the episode")
    return _to_episode(review, item, "perspectives")


@review_view("reviews.edit_analysis")
@require_POST
def episode_complete(request: AuthenticatedRequest, review: Review, number: int) -> HttpResponse:
    item = episode_for_page(request, review, number)
    origin = Origin.from_request(request)
    if request.POST.get("action") == "reopen":
        services.episode_reopen(episode=item, by=request.user, origin=origin)
        messages.success(request, f"Episode {item.number} reopened")
        return _to_episode(review, item)
    try:
        services.episode_complete(episode=item, by=request.user, origin=origin)
    except ValidationError as exc:
        return _episode_page(request, review, item, completion_errors=exc.message_dict, status=400)
    messages.success(request, f"Episode {item.number} marked complete")
    return _to_episode(review, item)


@review_view("reviews.edit_analysis")
@require_POST
def episode_share(request: AuthenticatedRequest, review: Review, number: int) -> HttpResponse:
    item = episode_for_page(request, review, number)
    shared = request.POST.get("shared") == "yes"
    services.episode_share(episode=item, shared=shared, by=request.user, origin=Origin.from_request(request))
    messages.success(
        request,
        f"Episode {item.number} is shared with the case group for checking"
        if shared
        else f"Episode {item.number} is no longer shared with the case group",
    )
    return _to_episode(review, item)


@review_view("reviews.edit_analysis")
@require_POST
def episode_remove(request: AuthenticatedRequest, review: Review, number: int) -> HttpResponse:
    item = episode_for_page(request, review, number)
    if request.POST.get("confirm") != "yes":
        messages.warning(request, f"Tick the box to confirm you want to remove episode {item.number}")
        return _to_episode(review, item, "remove")
    try:
        services.episode_remove(episode=item, by=request.user, origin=Origin.from_request(request))
    except ValidationError as exc:
        messages.warning(request, exc.messages[0])
        return _to_episode(review, item)
    messages.success(request, f"Episode {number} removed")
    return redirect("analysis:home", review.reference)


# --- Appraisal ---------------------------------------------------------------------------------------------


def _appraisal_initial(item: KeyPracticeEpisode) -> dict[str, Any]:
    return {
        "expected_practice": item.expected_practice,
        "practice_compared": item.practice_compared,
        "certainty": item.certainty,
        "certainty_reason": item.certainty_reason,
        "known_at_the_time": item.known_at_the_time,
        "known_later": item.known_later,
        "hindsight_checked": item.hindsight_checked,
        "hindsight_note": item.hindsight_note,
        "version": item.version,
    }


def _appraisal_page(
    request: AuthenticatedRequest,
    review: Review,
    item: KeyPracticeEpisode,
    form: AppraisalForm,
    reference_form: ReferenceForm,
    status: int = 200,
) -> HttpResponse:
    """The appraisal beside what was known at the time: the episode's entries and its turning points with
    what each person knew then (never what they learned later), and the outcome hidden unless asked for."""
    linked = list(selectors.episode_perspectives(episode=item))
    services.turning_points_read(
        review=review,
        by=request.user,
        origin=Origin.from_request(request),
        perspectives=linked,
        where=f"the appraisal of episode {item.number}",
    )
    context = page_context(
        request,
        review,
        f"Appraise episode {item.number}",
        episode=item,
        form=form,
        reference_form=reference_form,
        references=item.references.all(),
        period=selectors.period_text(item.period_start, item.period_end),
        entries=[(entry, entry_date_text(entry)) for entry in selectors.episode_entries(episode=item)],
        perspectives=linked,
        **outcome_on_page(request, review, f"the appraisal of episode {item.number}"),
    )
    return render(request, "analysis/appraisal.html", context, status=status)


@review_view("reviews.edit_analysis")
@require_http_methods(["GET", "POST"])
def appraisal(request: AuthenticatedRequest, review: Review, number: int) -> HttpResponse:
    item = episode_for_page(request, review, number)
    form = AppraisalForm(request.POST or None, initial=_appraisal_initial(item))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.appraisal_save(
                episode=item,
                expected_version=data["version"],
                expected_practice=data["expected_practice"],
                practice_compared=data["practice_compared"],
                certainty=data["certainty"],
                certainty_reason=data["certainty_reason"],
                known_at_the_time=data["known_at_the_time"],
                known_later=data["known_later"],
                hindsight_checked=data["hindsight_checked"],
                hindsight_note=data["hindsight_note"],
                by=request.user,
                origin=Origin.from_request(request),
            )
        except StaleEdit as exc:
            keep_typed_changes(form, saved=_appraisal_initial(episode_for_page(request, review, number)), problem=exc)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            note = language_note(data["expected_practice"], data["practice_compared"], data["certainty_reason"])
            messages.success(request, f"Appraisal saved.{note}")
            return _to_episode(review, item, "appraisal")
    return _appraisal_page(request, review, item, form, ReferenceForm())


@review_view("reviews.edit_analysis")
@require_POST
def reference_add(request: AuthenticatedRequest, review: Review, number: int) -> HttpResponse:
    item = episode_for_page(request, review, number)
    form = ReferenceForm(request.POST)
    if form.is_valid():
        try:
            services.reference_add(
                episode=item, by=request.user, origin=Origin.from_request(request), **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Reference added")
            return redirect(reverse("analysis:appraisal", args=[review.reference, item.number]) + "#references")
    return _appraisal_page(request, review, item, AppraisalForm(initial=_appraisal_initial(item)), form, status=400)


@review_view("reviews.edit_analysis")
@require_POST
def reference_remove(request: AuthenticatedRequest, review: Review, number: int, reference_id: Any) -> HttpResponse:
    item = episode_for_page(request, review, number)
    reference = item.references.filter(pk=reference_id).first()
    if reference is None:
        raise Http404("No such reference")
    services.reference_remove(reference=reference, by=request.user, origin=Origin.from_request(request))
    messages.success(request, "Reference removed")
    return redirect(reverse("analysis:appraisal", args=[review.reference, item.number]) + "#references")


# --- Explanation: contributory factors ---------------------------------------------------------------------


def _factor_form(
    request: AuthenticatedRequest, review: Review, item: KeyPracticeEpisode, form_class: type[FactorForm], **kwargs: Any
) -> FactorForm:
    return form_class(
        request.POST or None,
        factor_types=selectors.factor_types_for(review=review),
        entries=selectors.episode_entries(episode=item),
        perspectives=selectors.episode_perspectives(episode=item),
        **kwargs,
    )


def _factor_page(
    request: AuthenticatedRequest,
    review: Review,
    item: KeyPracticeEpisode,
    form: FactorForm,
    title: str,
    factor: ContributoryFactor | None = None,
) -> HttpResponse:
    if "perspectives" in form.fields:
        services.turning_points_read(
            review=review,
            by=request.user,
            origin=Origin.from_request(request),
            perspectives=list(form.fields["perspectives"].queryset),  # type: ignore[attr-defined]
            where=f"the contributory factor form of episode {item.number}",
        )
    context = page_context(
        request,
        review,
        title,
        episode=item,
        form=form,
        factor=factor,
        grouped=form.grouped_factor_types(),
        **outcome_on_page(request, review, f"the contributory factors of episode {item.number}"),
    )
    return render(request, "analysis/factor_form.html", context)


def _factor_values(form: FactorForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "factor_type": data["factor_type"],
        "effect": data["effect"],
        "significance": data["significance"],
        "description": data["description"],
        "entries": list(data.get("entries") or []),
        "perspectives": list(data.get("perspectives") or []),
    }


@review_view("reviews.edit_analysis")
@require_http_methods(["GET", "POST"])
def factor_add(request: AuthenticatedRequest, review: Review, number: int) -> HttpResponse:
    item = episode_for_page(request, review, number)
    form = _factor_form(request, review, item, FactorForm)
    if request.method == "POST" and form.is_valid():
        values = _factor_values(form)
        try:
            services.factor_add(episode=item, by=request.user, origin=Origin.from_request(request), **values)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Contributory factor added.{language_note(values['description'])}")
            return _to_episode(review, item, "factors")
    return _factor_page(request, review, item, form, f"Add a contributory factor to episode {item.number}")


def _factor(item: KeyPracticeEpisode, factor_id: Any) -> ContributoryFactor:
    factor = item.factors.select_related("factor_type__group").filter(pk=factor_id).first()
    if factor is None:
        raise Http404("No such factor")
    return factor


def _factor_initial(factor: ContributoryFactor) -> dict[str, Any]:
    return {
        "factor_type": factor.factor_type_id,
        "effect": factor.effect,
        "significance": factor.significance,
        "description": factor.description,
        "entries": list(factor.entries.all()),
        "perspectives": list(factor.perspectives.all()),
        "version": factor.version,
    }


@review_view("reviews.edit_analysis")
@require_http_methods(["GET", "POST"])
def factor_edit(request: AuthenticatedRequest, review: Review, number: int, factor_id: Any) -> HttpResponse:
    item = episode_for_page(request, review, number)
    factor = _factor(item, factor_id)
    form = _factor_form(request, review, item, FactorEditForm, initial=_factor_initial(factor))
    if request.method == "POST" and form.is_valid():
        values = _factor_values(form)
        try:
            services.factor_update(
                factor=factor,
                expected_version=form.cleaned_data["version"],
                by=request.user,
                origin=Origin.from_request(request),
                **values,
            )
        except StaleEdit as exc:
            keep_typed_changes(form, saved=_factor_initial(_factor(item, factor_id)), problem=exc)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Contributory factor saved.{language_note(values['description'])}")
            return _to_episode(review, item, "factors")
    return _factor_page(request, review, item, form, f"Change a contributory factor of episode {item.number}", factor)


@review_view("reviews.edit_analysis")
@require_POST
def factor_remove(request: AuthenticatedRequest, review: Review, number: int, factor_id: Any) -> HttpResponse:
    item = episode_for_page(request, review, number)
    factor = _factor(item, factor_id)
    try:
        services.factor_remove(factor=factor, by=request.user, origin=Origin.from_request(request))
    except ValidationError as exc:
        messages.warning(request, exc.messages[0])
    else:
        messages.success(request, "Contributory factor removed")
    return _to_episode(review, item, "factors")


# --- Open questions ----------------------------------------------------------------------------------------


@review_view("reviews.edit_analysis")
@require_POST
def question_add(request: AuthenticatedRequest, review: Review, number: int) -> HttpResponse:
    item = episode_for_page(request, review, number)
    form = QuestionForm(request.POST)
    if form.is_valid():
        services.question_add(
            episode=item, text=form.cleaned_data["text"], by=request.user, origin=Origin.from_request(request)
        )
        messages.success(request, "Question added")
        return _to_episode(review, item, "questions")
    return _episode_page(request, review, item, question_form=form, status=400)


@review_view("reviews.edit_analysis")
@require_POST
def question_remove(request: AuthenticatedRequest, review: Review, number: int, question_id: Any) -> HttpResponse:
    item = episode_for_page(request, review, number)
    question = item.open_questions.filter(pk=question_id).first()
    if question is None:
        raise Http404("No such question")
    services.question_remove(question=question, by=request.user, origin=Origin.from_request(request))
    messages.success(request, "Question removed")
    return _to_episode(review, item, "questions")


# --- The KPE table -----------------------------------------------------------------------------------------


@review_view("reviews.view_analysis")
def table(request: AuthenticatedRequest, review: Review) -> HttpResponse:
    whole = selectors.sees_whole_analysis(user=request.user, review=review)
    episodes = list(selectors.episodes_visible_to(user=request.user, review=review))
    if whole:
        services.turning_points_read(
            review=review,
            by=request.user,
            origin=Origin.from_request(request),
            perspectives=[p for episode in episodes for p in selectors.episode_perspectives(episode=episode)],
            where="the key practice episode table",
        )
    context = page_context(
        request,
        review,
        "Key practice episode table",
        rows=selectors.kpe_rows(review=review, episodes=episodes, quote_perspectives=whole),
        withdrawals=selectors.withdrawal_notes(review=review),
        whole=whole,
    )
    return render(request, "analysis/table.html", context)


@review_view("reviews.export_analysis")
def table_export(request: AuthenticatedRequest, review: Review, fmt: str) -> HttpResponse:
    export = services.kpe_table_export(review=review, fmt=fmt, by=request.user, origin=Origin.from_request(request))
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response


# --- A partnership's own framework items -------------------------------------------------------------------


@partnership_admin_view
@require_http_methods(["GET", "POST"])
def partnership_framework(request: AuthenticatedRequest, partnership: Partnership) -> HttpResponse:
    framework_now = selectors.current_framework()
    groups = framework_now.groups.all() if framework_now else FactorGroup.objects.none()
    form = FrameworkItemForm(request.POST or None, groups=groups)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.framework_item_add(
                partnership=partnership,
                group=data["group"],
                label=data["label"],
                detail=data["detail"],
                by=request.user,
                origin=Origin.from_request(request),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"“{item.label}” added to {item.group.label} for {partnership.name}'s reviews")
            return redirect("partnership-factors:framework", partnership.pk)
    context = {
        "partnership": partnership,
        "page_title": "Contributory factor framework",
        "heading": "Contributory factor framework",
        "nav_section": "partnerships",
        "framework": framework_now,
        "levels": selectors.framework_levels(partnership=partnership),
        "form": form,
        "can_add": True,
    }
    return render(request, "analysis/partnership_framework.html", context)


@partnership_admin_view
@require_POST
def partnership_item_remove(request: AuthenticatedRequest, partnership: Partnership, item_id: Any) -> HttpResponse:
    item = selectors.partnership_item(partnership=partnership, item_id=item_id)
    try:
        services.framework_item_remove(item=item, by=request.user, origin=Origin.from_request(request))
    except ValidationError as exc:
        messages.warning(request, exc.messages[0])
    else:
        messages.success(request, f"“{item.label}” removed")
    return redirect("partnership-factors:framework", partnership.pk)
