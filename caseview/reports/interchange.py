"""The whole review as JSON for national repositories, in the documented, versioned format of
docs/review-export.schema.json. Board and public exports carry no real identities; the public export leaves out the
chronology and the detail of the analysis, names agencies by their kind, and keeps family detail to labels."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from caseview.analysis.selectors import episode_factors
from caseview.chronology.selectors import chronological_entries, entry_date_text
from caseview.findings.models import ActionPlanItem, BoardResponse, Finding
from caseview.findings.selectors import findings_of, ranked
from caseview.reports.assembly import PUBLIC, _apply_registry
from caseview.reports.models import ReportAudience, ReportNarrative, ReportVersion
from caseview.reviews.models import Agency, Review, Sector

FORMAT = "caseview-review-export"
FORMAT_VERSION = "1.0"
AUDIENCES = (ReportAudience.BOARD.value, ReportAudience.PUBLIC.value)


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _publication(review: Review) -> dict[str, Any] | None:
    published = (
        ReportVersion.objects.filter(review=review, audience=ReportAudience.PUBLIC, published_at__isnull=False)
        .order_by("-published_at")
        .first()
    )
    if published is None or published.published_at is None:
        return None
    return {
        "sent_to_panel_on": _date(published.sent_to_panel_on),
        "published_on": _date(timezone.localtime(published.published_at).date()),
        "publication_url": published.publication_url or None,
        "repository_submitted_on": _date(published.repository_submitted_on),
    }


def review_json(*, review: Review, audience: str) -> dict[str, Any]:
    """The review for `audience` ('board' or 'public') as plain JSON-able values."""
    if audience not in AUDIENCES:
        raise ValueError("Exports are for the board or the public: the team's real identities never leave caseview")
    public = audience == PUBLIC

    def text(value: str) -> str:
        return _apply_registry(review, value.strip(), audience)

    def agency(value: Agency | None) -> str | None:
        if value is None:
            return None
        return Sector(value.sector).label if public else value.name

    data: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "audience": audience,
        "exported_at": timezone.now().isoformat(),
        "review": {
            "reference": review.reference,
            "title": review.title,
            "trigger": review.trigger,
            "variant": review.variant,
            "stage": review.stage,
            "period_start": _date(review.period_start),
            "period_end": _date(review.period_end),
            "purpose": text(review.purpose_statement),
            "questions": [text(question.text) for question in review.questions.all()],
        },
        "agencies": sorted({agency(item) or "" for item in review.agencies.all()}),
        "participants": [
            {
                "label": participant.label,
                "kind": participant.kind,
                "agency": agency(participant.agency),
                "took_part": participant.participation_status,
                "how": participant.participation_mode,
            }
            for participant in review.participants.select_related("agency").order_by("kind", "label")
        ],
        "episodes": [],
        "findings": [],
        "report": {narrative.part: text(narrative.text) for narrative in ReportNarrative.objects.filter(review=review)},
        "publication": _publication(review),
    }
    if not public:
        data["chronology"] = [
            {
                "date": entry_date_text(entry),
                "date_start": _date(entry.date_start),
                "date_precision": entry.date_precision,
                "date_uncertain": entry.date_uncertain,
                "agency": agency(entry.agency),
                "description": text(entry.description),
                "source": text(entry.source),
            }
            for entry in chronological_entries(review=review).select_related("agency")
        ]
    for episode in review.episodes.order_by("number"):
        item: dict[str, Any] = {
            "number": episode.number,
            "title": text(episode.title),
            "period_start": _date(episode.period_start),
            "period_end": _date(episode.period_end),
            "valence": episode.valence,
            "factors": [
                {
                    "code": factor.factor_type.code,
                    "effect": factor.effect,
                    "significance": factor.significance,
                    **({} if public else {"description": text(factor.description)}),
                }
                for factor in episode_factors(episode=episode)
            ],
        }
        if not public:
            item |= {
                "description": text(episode.description),
                "expected_practice": text(episode.expected_practice),
                "practice_compared": text(episode.practice_compared),
            }
        data["episodes"].append(item)
    findings = ranked(findings_of(review=review).select_related("board_response"))
    responses = {finding.pk: _response_shown(finding, public=public) for finding in findings}
    for finding in findings:
        data["findings"].append(
            {
                "number": finding.number,
                "rank": finding.rank,
                "statement": text(finding.statement),
                "category": finding.category,
                "category_label": finding.pattern.later_label,
                "valence": finding.valence,
                "episodes": sorted(episode.number for episode in finding.episodes.all()),
                "how_it_showed": text(finding.how_it_showed),
                "evidence_not_one_off": text(finding.evidence_not_one_off),
                "prevalence_local": text(finding.prevalence_local),
                "prevalence_national": text(finding.prevalence_national),
                "why_it_matters": text(finding.why_it_matters),
                "summary": text(finding.summary),
                "board_questions": [text(question.text) for question in finding.board_questions.all()],
                "board_response": _response_json(responses[finding.pk], text),
            }
        )
    data["actions"] = [
        {
            "number": item.number,
            "finding": item.finding.number,
            "board_question": item.board_question.order if item.board_question else None,
            "action": text(item.action),
            "owner": agency(item.owner_agency),
            "owner_role": text(item.owner_role),
            "due_date": _date(item.due_date),
            "success_measure": text(item.success_measure),
            "status": item.status,
            "evidence_of_impact": text(item.evidence_of_impact),
        }
        for item in ActionPlanItem.objects.filter(review=review)
        .select_related("finding", "board_question", "owner_agency")
        .order_by("number")
        # The public sees an action once the board's response to its finding may be published.
        if responses.get(item.finding_id) is not None or not public
    ]
    return data


def _response_shown(finding: Finding, *, public: bool) -> BoardResponse | None:
    """The board's agreed response to a finding; for the public, only once the board has agreed to publish it."""
    response: BoardResponse | None = getattr(finding, "board_response", None)
    if response is None or response.agreed_on is None or (public and not response.ready_for_publication):
        return None
    return response


def _response_json(response: BoardResponse | None, text: Callable[[str], str]) -> dict[str, Any] | None:
    return {"text": text(response.text), "agreed_on": _date(response.agreed_on)} if response else None
