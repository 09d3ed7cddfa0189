"""Recording the processes that run alongside a review (QM 9), or that none does. Every write is audited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone

from caseview.accounts.models import User
from caseview.core import audit
from caseview.core.audit import Event, Origin
from caseview.core.models import StaleEdit
from caseview.reviews.models import (
    NoParallelProcesses,
    ParallelProcess,
    ParallelProcessKind,
    ParallelProcessStatus,
    Review,
)

FIELDS = ("kind", "description", "liaison_contact", "constraints", "status")


def _clean(*, kind: str, description: str, liaison_contact: str, constraints: str, status: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if kind not in ParallelProcessKind.values:
        errors["kind"] = "Choose what kind of process it is"
    if not description.strip():
        errors["description"] = "Say what the process is, like “Police investigation into the injuries”"
    elif len(description.strip()) > 200:
        errors["description"] = "Describe the process in 200 characters or fewer"
    if status not in ParallelProcessStatus.values:
        errors["status"] = "Choose where the process stands"
    if errors:
        raise ValidationError(errors)
    return {
        "kind": kind,
        "description": description.strip(),
        "liaison_contact": liaison_contact.strip(),
        "constraints": constraints.strip(),
        "status": status,
    }


def parallel_process_add(
    *,
    review: Review,
    kind: str,
    description: str,
    status: str,
    liaison_contact: str = "",
    constraints: str = "",
    by: User,
    origin: Origin,
) -> ParallelProcess:
    """Record a process alongside the review. Any earlier "there are none" stops holding."""
    values = _clean(
        kind=kind, description=description, liaison_contact=liaison_contact, constraints=constraints, status=status
    )
    with transaction.atomic():
        NoParallelProcesses.objects.filter(review=review).delete()
        process = ParallelProcess.objects.create(review=review, created_by=by, **values)
        audit.record(
            event=Event.PARALLEL_PROCESS_ADDED,
            actor=by,
            origin=origin,
            review=review,
            obj=process,
            summary=f"Recorded a parallel process: {process.description}",
            detail={"kind": kind, "status": status},
        )
    return process


def parallel_process_update(
    *,
    process: ParallelProcess,
    expected_version: int,
    kind: str,
    description: str,
    status: str,
    liaison_contact: str,
    constraints: str,
    by: User,
    origin: Origin,
) -> ParallelProcess:
    values = _clean(
        kind=kind, description=description, liaison_contact=liaison_contact, constraints=constraints, status=status
    )
    with transaction.atomic():
        current = ParallelProcess.objects.select_for_update().select_related("review").get(pk=process.pk)
        if current.version != expected_version:
            raise StaleEdit("Someone else changed this parallel process while you were editing it.")
        # Encrypted text is named in the trail, never copied into it.
        changed = [name for name in FIELDS if getattr(current, name) != values[name]]
        for name, value in values.items():
            setattr(current, name, value)
        current.version = F("version") + 1
        current.save()
        current.refresh_from_db()
        if changed:
            audit.record(
                event=Event.PARALLEL_PROCESS_CHANGED,
                actor=by,
                origin=origin,
                review=current.review,
                obj=current,
                summary=f"Changed the parallel process {current.description}: {', '.join(changed)}",
                detail={"changed": changed},
            )
    return current


def parallel_process_remove(*, process: ParallelProcess, by: User, origin: Origin) -> None:
    with transaction.atomic():
        audit.record(
            event=Event.PARALLEL_PROCESS_REMOVED,
            actor=by,
            origin=origin,
            review=process.review,
            obj=process,
            summary=f"Removed the parallel process {process.description}",
        )
        process.delete()


def no_parallel_processes_confirm(*, review: Review, by: User, origin: Origin) -> NoParallelProcesses:
    """Record that no other process runs alongside the review. Refused while any is recorded."""
    with transaction.atomic():
        if ParallelProcess.objects.filter(review=review).exists():
            raise ValidationError(
                "Parallel processes are recorded for this review. Remove them first if none is running."
            )
        confirmation, _ = NoParallelProcesses.objects.update_or_create(
            review=review, defaults={"confirmed_by": by, "confirmed_at": timezone.now()}
        )
        audit.record(
            event=Event.NO_PARALLEL_PROCESSES_CONFIRMED,
            actor=by,
            origin=origin,
            review=review,
            summary="Confirmed that no parallel process runs alongside the review",
        )
    return confirmation


# --- Reads --------------------------------------------------------------------------------------------------


def parallel_processes_of(*, review: Review) -> list[ParallelProcess]:
    return list(ParallelProcess.objects.filter(review=review))


def parallel_process_for(*, review: Review, process_id: Any) -> ParallelProcess:
    process = ParallelProcess.objects.filter(review=review, pk=process_id).first()
    if process is None:
        raise Http404("No such parallel process")
    return process


def no_parallel_confirmation(*, review: Review) -> NoParallelProcesses | None:
    return NoParallelProcesses.objects.filter(review=review).select_related("confirmed_by").first()
