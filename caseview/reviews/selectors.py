"""Reads, always filtered by who is asking."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from caseview.accounts.models import User
from caseview.core.models import AuditEvent
from caseview.reviews.models import Agency, Membership, Partnership, Review
from caseview.reviews.rules import is_member


def reviews_visible_to(*, user: User) -> QuerySet[Review]:
    """Reviews the user holds a role in, or administers through their partnership."""
    if not user.is_authenticated:
        return Review.objects.none()
    if user.is_superuser:
        return Review.objects.select_related("partnership")
    return (
        Review.objects.filter(Q(memberships__user=user) | Q(partnership__administrators=user))
        .select_related("partnership")
        .distinct()
    )


def review_for(*, user: Any, reference: str) -> Review:
    """The review with this reference if the user has any standing in it; otherwise 404, as if it did not exist."""
    review = Review.objects.select_related("partnership").filter(reference=reference.upper()).first()
    if review is None or not is_member(user, review):
        raise Http404("No such review")
    return review


def partnerships_administered_by(*, user: User) -> QuerySet[Partnership]:
    if not user.is_authenticated:
        return Partnership.objects.none()
    if user.is_superuser:
        return Partnership.objects.all()
    return user.administered_partnerships.all()


def partnership_people(*, partnership: Partnership) -> QuerySet[User]:
    """Accounts a partnership's administrator looks after: anyone with a standing there, or made there."""
    return (
        User.objects.filter(
            Q(memberships__review__partnership=partnership)
            | Q(administered_partnerships=partnership)
            | Q(partnerships_led=partnership)
            | Q(home_partnership=partnership)
        )
        .distinct()
        .order_by("username")
    )


def partnership_person(*, partnership: Partnership, user_id: int) -> User:
    person = partnership_people(partnership=partnership).filter(pk=user_id).first()
    if person is None:
        raise Http404("No such person in this partnership")
    return person


def partnerships_user_can_start_reviews_in(*, user: User) -> QuerySet[Partnership]:
    """Partnerships this person administers or has been commissioned to lead reviews for."""
    if user.is_superuser:
        return Partnership.objects.all()
    return Partnership.objects.filter(Q(administrators=user) | Q(lead_reviewers=user)).distinct()


def agencies_for(*, partnership: Partnership) -> QuerySet[Agency]:
    return Agency.objects.filter(partnership=partnership)


def members_of(*, review: Review) -> QuerySet[Membership]:
    return review.memberships.select_related("user", "agency", "added_by").order_by(
        "role", "position", "user__username"
    )


def membership_for(*, review: Review, membership_id: Any) -> Membership:
    membership = review.memberships.select_related("user").filter(pk=membership_id).first()
    if membership is None:
        raise Http404("No such member")
    return membership


def audit_for_review(*, review: Review) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(review=review).select_related("actor")


def audit_visible_to(*, user: User) -> QuerySet[AuditEvent]:
    """Everything for an installation administrator; a partnership administrator's partnerships otherwise.

    Sign-ins belong to no partnership, so a partnership administrator sees those of people who hold a role
    in one of their reviews or administer one of their partnerships.
    """
    events = AuditEvent.objects.select_related("actor", "review", "partnership")
    if user.is_superuser:
        return events
    partnerships = list(user.administered_partnerships.values_list("pk", flat=True))
    if not partnerships:
        return events.none()
    people = User.objects.filter(
        Q(memberships__review__partnership__in=partnerships) | Q(administered_partnerships__in=partnerships)
    ).values("pk")
    return events.filter(Q(partnership__in=partnerships) | Q(partnership__isnull=True, actor__in=people))


def can_see_partnership_audit(*, user: User) -> bool:
    return user.is_authenticated and (user.is_superuser or user.administered_partnerships.exists())


def users_by_username(*, username: str) -> User | None:
    return User.objects.filter(username__iexact=username.strip(), is_active=True).first()
