"""Running the publication check for a review, keeping what it found, and a lead reviewer's overrides.

`blocking_hits` is what a report's publish step asks: the hits in a document that no override covers.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from caseview.accounts.models import User
from caseview.core import audit
from caseview.core.audit import Event, Origin
from caseview.reports.check import KIND_LABELS, Hit, check_document, check_text
from caseview.reports.models import HitOverride, PublicationCheck
from caseview.reports.registry import check_terms
from caseview.reviews.models import Review
from caseview.reviews.rules import can


def hits_in(*, review: Review, text: str | None = None, data: bytes | None = None) -> list[Hit]:
    """Every hit in plain `text` or in a file's bytes (`data`), against the review's registry.
    Raises check.UnreadableFile for a file caseview cannot read."""
    terms = check_terms(review)
    if data is not None:
        return check_document(data=data, terms=terms)[1]
    return check_text(text=text or "", terms=terms)


def overrides_of(*, review: Review) -> dict[tuple[str, str], HitOverride]:
    """The review's overrides, by the (kind, normalised text) they cover."""
    found: dict[tuple[str, str], HitOverride] = {}
    for item in HitOverride.objects.filter(review=review).select_related("overridden_by"):
        found.setdefault((item.kind, item.text), item)
    return found


def blocking_hits(*, review: Review, text: str | None = None, data: bytes | None = None) -> list[Hit]:
    """The hits in the text or file that a lead reviewer has not overridden: publishing waits until this is
    empty. Raises check.UnreadableFile for a file caseview cannot read."""
    overridden = overrides_of(review=review)
    return [hit for hit in hits_in(review=review, text=text, data=data) if hit.key not in overridden]


def check_run(*, review: Review, data: bytes, source: str, by: User | None, origin: Origin) -> PublicationCheck:
    """Check a file and keep what was found. Nothing is stored when the file cannot be read
    (check.UnreadableFile)."""
    file_type, hits = check_document(data=data, terms=check_terms(review))
    overridden = overrides_of(review=review)
    blocking = [hit for hit in hits if hit.key not in overridden]
    source = (source or "document").strip()[:255]
    with transaction.atomic():
        checked = PublicationCheck.objects.create(
            review=review,
            source=source,
            file_type=file_type,
            checked_by=by,
            checked_at=timezone.now(),
            hits_json=json.dumps([hit.as_dict() for hit in hits]),
            hit_count=len(hits),
            passed=not blocking,
        )
        counts: dict[str, int] = {}
        for hit in hits:
            counts[hit.kind] = counts.get(hit.kind, 0) + 1
        audit.record(
            event=Event.PUBLICATION_CHECKED,
            actor=by,
            origin=origin,
            review=review,
            obj=checked,
            summary=f"Publication check of {source}: "
            + (f"{len(blocking)} to resolve of {len(hits)} found" if hits else "nothing found"),
            # Kinds and counts only: the trail must not quote the names it found.
            detail={"found": counts, "blocking": len(blocking), "file_type": file_type},
        )
    return checked


def hits_of(publication_check: PublicationCheck) -> list[Hit]:
    return [Hit.from_dict(item) for item in json.loads(publication_check.hits_json or "[]")]


def checks_of(*, review: Review) -> QuerySet[PublicationCheck]:
    return PublicationCheck.objects.filter(review=review).select_related("checked_by")


def check_for(*, review: Review, check_id: Any) -> PublicationCheck:
    found = checks_of(review=review).filter(pk=check_id).first()
    if found is None:
        raise Http404("No such publication check")
    return found


def check_read(*, publication_check: PublicationCheck, user: User, origin: Origin) -> list[Hit]:
    """The hits of a stored check, which quote what could identify someone: each reading is audited."""
    audit.record(
        event=Event.PUBLICATION_CHECK_VIEWED,
        actor=user,
        origin=origin,
        review=publication_check.review,
        obj=publication_check,
        summary=f"Read the publication check of {publication_check.source}",
    )
    return hits_of(publication_check)


def hit_override(
    *, publication_check: PublicationCheck, hit_number: int, reason: str, by: User, origin: Origin
) -> HitOverride:
    """A lead reviewer lets one found text be published, with a reason. It holds for the same kind and text in
    this check and every later one; the check passes once nothing else is left."""
    review = publication_check.review
    if not can(by, "reviews.override_publication_check", review):
        raise PermissionDenied("Only a lead reviewer can override the publication check")
    hits = hits_of(publication_check)
    if not 1 <= hit_number <= len(hits):
        raise ValidationError({"hit": "That finding is not in this check"})
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError({"reason": "Say why this can be published as it is"})
    hit = hits[hit_number - 1]
    kind, text = hit.key
    with transaction.atomic():
        existing = overrides_of(review=review).get((kind, text))
        if existing is not None:
            raise ValidationError({"hit": "This has already been overridden"})
        item = HitOverride.objects.create(
            review=review,
            kind=kind,
            text=text,
            reason=reason,
            overridden_by=by,
            overridden_at=timezone.now(),
            publication_check=publication_check,
        )
        overridden = overrides_of(review=review)
        passed = all(other.key in overridden for other in hits)
        PublicationCheck.objects.filter(pk=publication_check.pk).update(passed=passed)
        audit.record(
            event=Event.PUBLICATION_HIT_OVERRIDDEN,
            actor=by,
            origin=origin,
            review=review,
            obj=item,
            summary=f"Overrode a publication check finding ({KIND_LABELS.get(kind, kind).lower()}, {hit.where}) "
            f"in {publication_check.source}",
            detail={"reason": reason, "check": str(publication_check.pk), "passed": passed},
        )
    publication_check.passed = passed
    return item
