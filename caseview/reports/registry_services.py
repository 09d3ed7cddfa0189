"""Changes to the pseudonym registry, and the audited look at the real names and places in it."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F

from caseview.accounts.models import User
from caseview.core import audit
from caseview.core.audit import Event, Origin
from caseview.core.models import StaleEdit
from caseview.reports.models import EntryKind, RegistryEntry
from caseview.reports.registry import RegistryRow, normalised, registry_rows
from caseview.reviews.models import Review
from caseview.reviews.rules import can


def _cleaned(kind: str, real_text: str, variants: str, replacement: str) -> tuple[str, str, str]:
    errors: dict[str, str] = {}
    if kind not in EntryKind.values:
        errors["kind"] = "Choose whether it is a person, a place, an organisation or a rare detail"
    real_text, replacement = " ".join(real_text.split()), " ".join(replacement.split())
    lines = [" ".join(line.split()) for line in variants.splitlines()]
    if not real_text:
        errors["real_text"] = "Enter the real name, place or detail as it is written"
    if not replacement:
        errors["replacement"] = 'Enter what reports say instead, like "the family home" or "the primary school"'
    elif real_text and normalised(replacement) in {normalised(real_text), *(normalised(line) for line in lines)}:
        errors["replacement"] = "The replacement must be different from the real text"
    if errors:
        raise ValidationError(errors)
    return real_text, "\n".join(dict.fromkeys(line for line in lines if line)), replacement


def entry_add(
    *, review: Review, kind: str, real_text: str, replacement: str, by: User, origin: Origin, variants: str = ""
) -> RegistryEntry:
    """Add a place, organisation, rare detail or another name for a person. `variants` is one a line."""
    real_text, variants, replacement = _cleaned(kind, real_text, variants, replacement)
    with transaction.atomic():
        entry = RegistryEntry.objects.create(
            review=review, kind=kind, real_text=real_text, variants=variants, replacement=replacement, created_by=by
        )
        audit.record(
            event=Event.REGISTRY_ENTRY_ADDED,
            actor=by,
            origin=origin,
            review=review,
            obj=entry,
            summary=f"Added {entry.get_kind_display().lower()} “{replacement}” to the pseudonym registry",
        )
    return entry


def entry_update(
    *,
    entry: RegistryEntry,
    expected_version: int,
    kind: str,
    real_text: str,
    replacement: str,
    by: User,
    origin: Origin,
    variants: str = "",
) -> RegistryEntry:
    real_text, variants, replacement = _cleaned(kind, real_text, variants, replacement)
    with transaction.atomic():
        current = RegistryEntry.objects.select_for_update().get(pk=entry.pk)
        if current.version != expected_version:
            raise StaleEdit("Someone else changed this entry while you were editing it.")
        changed = [
            name
            for name, value in (("kind", kind), ("real text", real_text), ("variants", variants))
            if getattr(current, name.replace(" ", "_")) != value
        ]
        if current.replacement != replacement:
            changed.append(f"replacement (was “{current.replacement}”)")
        current.kind, current.real_text, current.variants, current.replacement = kind, real_text, variants, replacement
        current.version = F("version") + 1
        current.save()
        current.refresh_from_db()
        if changed:
            audit.record(
                event=Event.REGISTRY_ENTRY_CHANGED,
                actor=by,
                origin=origin,
                review=current.review,
                obj=current,
                summary=f"Changed pseudonym registry entry “{replacement}”: {', '.join(changed)}",
            )
    return current


def entry_remove(*, entry: RegistryEntry, by: User, origin: Origin) -> None:
    with transaction.atomic():
        audit.record(
            event=Event.REGISTRY_ENTRY_REMOVED,
            actor=by,
            origin=origin,
            review=entry.review,
            obj=entry,
            summary=f"Removed “{entry.replacement}” from the pseudonym registry",
        )
        entry.delete()


def registry_with_identities(*, review: Review, user: User, origin: Origin) -> list[RegistryRow]:
    """The registry with its real names and places, for someone who may see identities; the look is audited."""
    if not can(user, "reviews.view_identities", review):
        raise PermissionDenied("Only people who may see identities can see real names")
    rows = registry_rows(review=review)
    audit.record(
        event=Event.REGISTRY_IDENTITIES_VIEWED,
        actor=user,
        origin=origin,
        review=review,
        summary=f"Looked at the real names and places in the pseudonym registry ({len(rows)} entries)",
    )
    return rows


def entry_real_text(*, entry: RegistryEntry, user: User, origin: Origin) -> RegistryEntry:
    """One entry opened to change it, which shows its real text: audited like any other look."""
    if not can(user, "reviews.view_identities", entry.review):
        raise PermissionDenied("Only people who may see identities can see real names")
    audit.record(
        event=Event.REGISTRY_IDENTITIES_VIEWED,
        actor=user,
        origin=origin,
        review=entry.review,
        obj=entry,
        summary=f"Opened pseudonym registry entry “{entry.replacement}”, with its real text",
    )
    return entry
