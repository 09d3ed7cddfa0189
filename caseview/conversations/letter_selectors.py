"""Reads for letters: a partnership's wording, a participant's letters, and the values a letter is filled with."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from caseview.accounts.models import User
from caseview.conversations.letters import DEFAULT_WORDING, Wording
from caseview.conversations.models import Audience, Conversation, Letter, LetterKind, LetterTemplate
from caseview.people.models import Participant, ParticipantKind
from caseview.reviews.models import Partnership, Review, Role
from caseview.reviews.rules import can

# Until a date is chosen, the letters say this where the date would go ("We would like to meet on ...").
DATE_TO_BE_AGREED = "a date we will agree with you"
REVIEW_TEAM = "the review team"

AUDIENCE_FOR_KIND = {
    ParticipantKind.PRACTITIONER: Audience.PRACTITIONER,
    ParticipantKind.MANAGER: Audience.PRACTITIONER,
    ParticipantKind.FAMILY: Audience.FAMILY,
    ParticipantKind.CHILD: Audience.CHILD,
}


def letter_choice(kind: str, audience: str) -> tuple[LetterKind, Audience]:
    """The letter named by a URL's kind and audience, or 404."""
    if kind not in LetterKind.values or audience not in Audience.values:
        raise Http404("No such letter")
    return LetterKind(kind), Audience(audience)


@dataclass(frozen=True)
class PartnershipWording:
    kind: LetterKind
    audience: Audience
    wording: Wording
    template: LetterTemplate | None

    @property
    def is_own(self) -> bool:
        """Whether the partnership uses its own wording rather than caseview's."""
        return self.template is not None and bool(self.template.body)

    @property
    def version(self) -> int:
        return self.template.version if self.template is not None else 0


def _partnership_wording(kind: str, audience: str, template: LetterTemplate | None) -> PartnershipWording:
    if template is not None and template.body:
        wording = Wording(template.subject, template.body)
    else:
        wording = DEFAULT_WORDING[(kind, audience)]
    return PartnershipWording(LetterKind(kind), Audience(audience), wording, template)


def wording_for(*, partnership: Partnership, kind: str, audience: str) -> PartnershipWording:
    """The wording the partnership uses for one letter: its own if it has written one, else caseview's.

    A template row with an empty body means the partnership went back to caseview's wording (the row is kept so
    that its version keeps counting, and an edit made before the reset is refused as stale).
    """
    template = LetterTemplate.objects.filter(partnership=partnership, kind=kind, audience=audience).first()
    return _partnership_wording(kind, audience, template)


def wordings_for(*, partnership: Partnership) -> list[PartnershipWording]:
    """All six letters, in the order of the method: the introduction, then the briefing; each for every audience."""
    templates = {(t.kind, t.audience): t for t in LetterTemplate.objects.filter(partnership=partnership)}
    return [_partnership_wording(kind, audience, templates.get((kind, audience))) for kind, audience in DEFAULT_WORDING]


def letters_for(*, participant: Participant) -> QuerySet[Letter]:
    return participant.letters.select_related("sent_by").order_by("-created_at")


def letter_for(*, participant: Participant, letter_id: uuid.UUID | str) -> Letter:
    letter = participant.letters.filter(pk=letter_id).first()
    if letter is None:
        raise Http404("No such letter for this participant")
    return letter


def default_audience(participant: Participant) -> Audience:
    return AUDIENCE_FOR_KIND[ParticipantKind(participant.kind)]


def next_conversation_date(participant: Participant) -> str:
    """When the participant's next planned conversation is, in words, or "" when none has a date."""
    upcoming = (
        Conversation.objects.filter(
            participant=participant, status=Conversation.Status.PLANNED, scheduled_for__gte=timezone.now()
        )
        .order_by("scheduled_for")
        .first()
    )
    if upcoming is None or upcoming.scheduled_for is None:
        return ""
    when = timezone.localtime(upcoming.scheduled_for)
    return f"{when:%A} {when.day} {when:%B %Y} at {when:%H:%M}"


def contact_for(user: User) -> str:
    """How a reviewer preparing a letter can be reached: their name and email address."""
    name = user.full_name or user.get_username()
    return f"{name} ({user.email})" if user.email else name


def lead_reviewer_names(review: Review) -> str:
    leads = User.objects.filter(memberships__review=review, memberships__role=Role.LEAD_REVIEWER).order_by(
        "full_name", "username"
    )
    names = [lead.full_name or lead.get_username() for lead in leads]
    if not names:
        return REVIEW_TEAM
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def greeting_name(*, participant: Participant, user: User) -> str:
    """The name a letter greets: the person's real name, for it is sent to them, when the reader may see it."""
    if participant.real_name and can(user, "reviews.view_identities", participant.review):
        return participant.real_name
    return participant.label


def letter_values(
    *, participant: Participant, user: User, conversation_date: str, support_contact: str, today: dt.date
) -> dict[str, str]:
    """The value of every placeholder for a letter to `participant` that `user` prepares on `today`."""
    review = participant.review
    return {
        "participant_name": greeting_name(participant=participant, user=user),
        "participant_label": participant.label,
        "review_title": review.title,
        "review_reference": review.reference,
        "partnership": review.partnership.name,
        "lead_reviewer_names": lead_reviewer_names(review),
        "conversation_date": conversation_date.strip() or DATE_TO_BE_AGREED,
        "support_contact": support_contact.strip() or REVIEW_TEAM,
        "letter_date": f"{today.day} {today:%B %Y}",
    }
