"""Long work in the background, with progress a person can watch.

`job_start` records a Job and hands it to the task queue (django-tasks: the database backend in production,
run by `caseview db_worker`; run at once in tests). The work itself is an ordinary function taking
keyword arguments and a `progress` callback; it returns a JSON-able dict kept as the job's result.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, Protocol

from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task

from caseview.core.models import Job

logger = logging.getLogger(__name__)


class Progress(Protocol):
    def __call__(self, done: int, total: int, message: str = "") -> None: ...


def no_progress(done: int, total: int, message: str = "") -> None:
    """For callers that run the work directly (the command line, small imports)."""


class JobFailed(Exception):
    """Raised by work that fails in a way the person should read: the message is shown to them as it is."""


def job_start(
    *,
    kind: str,
    description: str,
    function: str,
    arguments: dict[str, Any],
    created_by: Any,
    review: Any = None,
    next_url: str = "",
) -> Job:
    """Record a job and queue it.

    The queue's own record is written in the caller's transaction (the database backend), so a worker sees
    the job only once the work that asked for it has committed; in tests the job runs at once.
    """
    import_string(function)  # fail now, not in the worker, if the path is wrong
    job = Job.objects.create(
        kind=kind,
        description=description,
        function=function,
        arguments=arguments,
        created_by=created_by,
        review=review,
        next_url=next_url,
    )
    run_job.enqueue(str(job.pk))
    return job


def _progress_for(job: Job) -> Callable[[int, int, str], None]:
    last_write = 0.0

    def update(done: int, total: int, message: str = "") -> None:
        nonlocal last_write
        now = time.monotonic()
        # A write every half second at most: progress is for people, not a log.
        if now - last_write < 0.5 and done < total:
            return
        last_write = now
        Job.objects.filter(pk=job.pk).update(done=done, total=total, message=message[:300])

    return update


@task()
def run_job(job_id: str) -> None:
    job = Job.objects.get(pk=job_id)
    if job.status != Job.Status.QUEUED:
        return
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, started_at=timezone.now())
    work = import_string(job.function)
    try:
        result = work(progress=_progress_for(job), **job.arguments)
    except JobFailed as exc:
        Job.objects.filter(pk=job.pk).update(status=Job.Status.FAILED, error=str(exc), finished_at=timezone.now())
        return
    except Exception:
        logger.exception("Job %s (%s) failed", job.pk, job.kind)
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.FAILED,
            error="Something went wrong on our side and nothing was saved. Try again; if it fails again, "
            "tell your partnership's business manager.",
            finished_at=timezone.now(),
        )
        return
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.SUCCEEDED, result=result or {}, finished_at=timezone.now(), message="Done"
    )


def job_for(*, user: Any, job_id: Any) -> Job | None:
    """A job, for the person who started it only."""
    return Job.objects.filter(pk=job_id, created_by=user).first() if user.is_authenticated else None
