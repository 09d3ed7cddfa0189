"""The demo review's report (shared/demo/scenario.md): the narrative parts the lead reviewers wrote, and a board
version and a public version built, each signed off by the lead reviewer and the board member, and so final.
Through the same services the pages use; everything here is invented. No real names and no place names, so the
public version builds clean."""

from __future__ import annotations

from caseview.accounts.models import User
from caseview.core.audit import Origin
from caseview.reports import services
from caseview.reports.models import NarrativePart, ReportAudience, ReportNarrative, ReportVersion
from caseview.reviews.models import Review

NARRATIVES = {
    NarrativePart.WHY_THIS_CASE: (
        "In February 2026 Baby J, aged ten months, was brought to hospital with a head injury, and older injuries "
        "were found. The rapid review found that several agencies knew the family in the year before, each seeing "
        "part of the picture, and that the case raised questions about how information about the adults in a "
        "household travels between services. The partnership chose a local review using the systems approach "
        "because the learning was likely to reach well beyond this family."
    ),
    NarrativePart.SUMMARY: (
        "Child E, aged seven, lived with her mother, her baby brother Baby J, and the mother's partner, who is Baby "
        "J's father. The mother had a history of depression and was supported by maternity, health visiting, "
        "perinatal mental health and the GP. The police were called to the home twice, in March and November "
        "2025; Child E told her school about shouting and anger at home; early help worked with the family from "
        "October 2025.\n\n"
        "Information about the partner's past and about the incidents at home reached some services and not "
        "others. The professionals who saw Baby J most often did not know about the November incident when they "
        "saw him."
    ),
    NarrativePart.APPROACH: (
        "The review used the Learning Together systems approach. It asks not only what happened but why it made "
        "sense at the time to the people involved, and what in the local system made good practice harder or "
        "easier. The review team built a multi-agency chronology from the agencies' returns, held conversations "
        "with practitioners and family members, identified key practice episodes, appraised them against what "
        "was expected at the time, and explained them with contributory factors before drawing out findings "
        "about the system."
    ),
    NarrativePart.TEAM_INDEPENDENCE: (
        "Two lead reviewers, independent of the agencies involved, led the review. Senior managers from children's "
        "social care, the police, the integrated care board, education and early help made up the review team; "
        "none had any part in the case."
    ),
    NarrativePart.FAMILY_INVOLVEMENT: (
        "The mother met the lead reviewers twice. The maternal grandmother and the father of Child E took part, "
        "and Child E talked to the review with the family worker she knew present, and drew pictures of her home "
        "and of who helps her. The mother's partner chose not to take part while criminal proceedings continue."
    ),
    NarrativePart.LIMITATIONS: (
        "A police investigation ran alongside the review, so the review did not speak to the mother's partner and "
        "took care not to cover matters for the court. One agency sent a written account instead of taking part "
        "in a conversation, so its practitioner's reasoning is known only in outline."
    ),
    NarrativePart.OVERVIEW: (
        "Much of the practice in this case was careful and kind: the school recorded Child E's words exactly, and "
        "early help built a trusting relationship with the mother and wrote down Child E's own view. At the same "
        "time, the question about domestic abuse was deferred while the partner was always present, two police "
        "notifications were screened without the baby's health services being told, and a bruise on a crawling "
        "baby was accepted within a picture of a mother whose mood was improving."
    ),
    NarrativePart.WINDOW: (
        "The case shows how the local system routes information about adults: by the severity of an incident, "
        "through shared inboxes and by the rules of single services. Practitioners worked within those routes. "
        "The findings describe the routes, because they shape what any practitioner can know."
    ),
}


def load_reports_demo(*, review: Review, lead: User, board: User, origin: Origin) -> dict[str, int]:
    """Write the narrative parts once, and build a board version and a public version, each signed off by the lead
    reviewer and the board: the public one is where a newcomer finds the findings as the public will read them."""
    for part, text in NARRATIVES.items():
        if not ReportNarrative.objects.filter(review=review, part=part).exists():
            services.narrative_save(review=review, part=part, text=text, expected_version=None, by=lead, origin=origin)
    for audience in (ReportAudience.BOARD, ReportAudience.PUBLIC):
        if not ReportVersion.objects.filter(review=review, audience=audience).exists():
            version = services.version_build(review=review, audience=audience, by=lead, origin=origin)
            version = services.sign_off(version=version, by=lead, origin=origin)
            services.sign_off(version=version, by=board, origin=origin)
    return {
        "narratives": ReportNarrative.objects.filter(review=review).count(),
        "versions": ReportVersion.objects.filter(review=review).count(),
    }
