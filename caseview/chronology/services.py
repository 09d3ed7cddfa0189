"""Writes for agency returns and the merged chronology.

An agency's return is imported all or nothing: the whole file is validated first and nothing is stored
unless every row is good. Entries stay with the agency and the lead reviewers until the return is released;
release stamps the agency on each entry and offers candidate links to entries from other agencies.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from collections.abc import Callable, Iterable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from caseview.accounts.models import User
from caseview.chronology import exports, selectors
from caseview.chronology.analysis import LinkColumns, find_candidate_links_in
from caseview.chronology.dates import AgencyDate, DateError, format_agency_date, parse_agency_date, parse_time
from caseview.chronology.importing import REQUIRED_FIELDS, ParsedEntry, Validation, column_samples, validate_table
from caseview.chronology.models import (
    PRECISION_ORDER,
    AgencyReturn,
    ChronologyEntry,
    ColumnMapping,
    EntryComment,
    EntryLink,
    ReturnUpload,
)
from caseview.chronology.tables import MAX_UPLOAD_BYTES, TableError, read_table
from caseview.core import audit, parallel
from caseview.core.audit import Event, Origin
from caseview.core.bulk import PreparedInsert, collector_paused, insert_columns, insert_prepared, prepare_insert
from caseview.core.jobs import JobFailed, Progress, job_start, no_progress
from caseview.core.models import Job, StaleEdit
from caseview.core.parallel import Later
from caseview.reviews.models import Agency, Review

# Past this many rows an import runs in the background with a progress bar; past this size, so does the check.
BACKGROUND_ROWS = 2000
BACKGROUND_BYTES = 1_000_000
PREVIEW_ROWS = 10
_BATCH = 10_000


def return_request(
    *,
    review: Review,
    agencies: Iterable[Agency],
    by: User,
    origin: Origin,
    due_date: dt.date | None = None,
    note: str = "",
) -> list[AgencyReturn]:
    """Ask agencies for their returns. An agency already asked keeps its return; new ones are created."""
    created = []
    with transaction.atomic():
        for agency in agencies:
            if agency.partnership_id != review.partnership_id:
                raise ValidationError({"agencies": f"{agency.name} is not one of this partnership's agencies"})
            agency_return, was_created = AgencyReturn.objects.get_or_create(
                review=review,
                agency=agency,
                defaults={"requested_by": by, "due_date": due_date, "note": note.strip()},
            )
            if was_created:
                created.append(agency_return)
                review.agencies.add(agency)
                audit.record(
                    event=Event.RETURN_REQUESTED,
                    actor=by,
                    origin=origin,
                    review=review,
                    obj=agency_return,
                    summary=f"Asked {agency.name} for its return" + (f" by {due_date:%d/%m/%Y}" if due_date else ""),
                )
    return created


def return_for_agency(*, review: Review, agency: Agency, by: User | None, origin: Origin) -> AgencyReturn:
    """The agency's return in this review, asked for now if nobody had asked yet (used by the command line)."""
    existing = AgencyReturn.objects.filter(review=review, agency=agency).first()
    if existing:
        return existing
    with transaction.atomic():
        agency_return = AgencyReturn.objects.create(review=review, agency=agency, requested_by=by)
        review.agencies.add(agency)
        audit.record(
            event=Event.RETURN_REQUESTED,
            actor=by,
            origin=origin,
            review=review,
            obj=agency_return,
            summary=f"Started {agency.name}'s return",
        )
    return agency_return


def _refuse_if_released(agency_return: AgencyReturn) -> None:
    if agency_return.is_released:
        raise ValidationError(
            f"{agency_return.agency.name}'s return has been released into the review. Changes to it are now "
            "made to the entries in the chronology."
        )


def validate_file(*, data: bytes, filename: str, mapping: dict[str, str] | None) -> Validation:
    """Read and check a whole file. Raises TableError when it is not a file we can read at all."""
    with collector_paused():
        return validate_table(read_table(data, filename), mapping or None)


def saved_mapping(agency: Agency) -> dict[str, str]:
    saved = ColumnMapping.objects.filter(agency=agency).first()
    return dict(saved.columns) if saved else {}


def upload_receive(
    *, agency_return: AgencyReturn, filename: str, data: bytes, by: User, origin: Origin
) -> ReturnUpload:
    """Keep an uploaded file, encrypted, until it is checked and imported or discarded."""
    _refuse_if_released(agency_return)
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError(
            {
                "file": f"{filename} is {len(data) / 1_048_576:.1f} MB; the largest file we take is "
                f"{MAX_UPLOAD_BYTES // 1_048_576} MB. Split the return into smaller files."
            }
        )
    if not data:
        raise ValidationError({"file": f"{filename} is empty"})
    with transaction.atomic():
        upload = ReturnUpload.objects.create(
            agency_return=agency_return,
            uploaded_by=by,
            filename=filename[:255],
            size=len(data),
            content=data,
            mapping=saved_mapping(agency_return.agency),
        )
        audit.record(
            event=Event.RETURN_UPLOADED,
            actor=by,
            origin=origin,
            review=agency_return.review,
            obj=upload,
            summary=f"Uploaded {filename} for {agency_return.agency.name}'s return",
        )
    return upload


def _preview(entries: list[ParsedEntry]) -> list[dict[str, Any]]:
    return [
        {
            "row": entry.row_number,
            "date": format_agency_date(
                entry.date.start,
                entry.date.precision,
                entry.date.uncertain,
                entry.date.end,
                entry.date.end_precision,
                entry.date.time,
            ),
            "description": entry.description,
            "source": entry.source,
            "people": entry.people,
        }
        for entry in entries[:PREVIEW_ROWS]
    ]


def upload_check(*, upload_id: str, progress: Progress = no_progress) -> dict[str, Any]:
    """Validate an uploaded file with its mapping and record what was found. Stores no entries."""
    upload = ReturnUpload.objects.select_related("agency_return__agency").get(pk=upload_id)
    progress(0, 1, "Reading the file")
    try:
        table = read_table(bytes(upload.content), upload.filename)
    except TableError as exc:
        upload.status = ReturnUpload.Status.INVALID
        upload.errors = [{"row": "", "column": "", "value": upload.filename, "reason": str(exc)}]
        upload.save(update_fields=["status", "errors"])
        return {"status": upload.status}
    progress(0, 1, f"Checking {len(table.rows):,} rows")
    validation = validate_table(table, upload.mapping or None)
    upload.file_kind = table.kind
    upload.encoding = table.encoding or ""
    upload.headers = [str(header) for header in validation.headers]
    upload.samples = (
        column_samples(table.rows, validation.header_row, upload.headers) if validation.header_row is not None else {}
    )
    upload.missing_fields = list(validation.missing_fields)
    upload.errors = [
        {"row": e.row, "column": e.column, "value": e.value, "reason": e.reason} for e in validation.errors
    ]
    upload.row_count = len(validation.entries)
    upload.preview = _preview(validation.entries)
    if validation.missing_fields:
        upload.status = ReturnUpload.Status.NEEDS_MAPPING
    elif validation.errors:
        upload.status = ReturnUpload.Status.INVALID
    else:
        upload.status = ReturnUpload.Status.VALID
    upload.save()
    progress(1, 1, "Checked")
    return {"status": upload.status, "rows": upload.row_count, "errors": len(upload.errors)}


def upload_map_columns(*, upload: ReturnUpload, mapping: dict[str, str], by: User, origin: Origin) -> ReturnUpload:
    """Save which column holds which field, for this upload and the agency's next ones, and check again."""
    missing = [field for field in REQUIRED_FIELDS if not mapping.get(field)]
    if missing:
        raise ValidationError(dict.fromkeys(missing, "Choose the column that holds this"))
    unknown = {field: header for field, header in mapping.items() if header and header not in upload.headers}
    if unknown:
        raise ValidationError({field: f"The file has no column called {header}" for field, header in unknown.items()})
    chosen = {field: header for field, header in mapping.items() if header}
    agency = upload.agency_return.agency
    with transaction.atomic():
        ColumnMapping.objects.update_or_create(agency=agency, defaults={"columns": chosen, "updated_by": by})
        upload.mapping = chosen
        upload.save(update_fields=["mapping"])
        audit.record(
            event=Event.COLUMNS_MAPPED,
            actor=by,
            origin=origin,
            review=upload.agency_return.review,
            obj=agency,
            summary=f"Matched the columns of {agency.name}'s files",
            detail={"columns": chosen},
        )
    upload_check(upload_id=str(upload.pk))
    upload.refresh_from_db()
    return upload


def upload_discard(*, upload: ReturnUpload, by: User, origin: Origin) -> None:
    with transaction.atomic():
        # Nothing from the file is kept: not the file, nor the rows, problems and values shown while checking it.
        upload.status = ReturnUpload.Status.DISCARDED
        upload.content = b""
        upload.preview, upload.errors, upload.samples = [], [], {}
        upload.save(update_fields=["status", "content", "preview", "errors", "samples"])
        audit.record(
            event=Event.UPLOAD_DISCARDED,
            actor=by,
            origin=origin,
            review=upload.agency_return.review,
            obj=upload,
            summary=f"Discarded {upload.filename}",
        )


def _entry_fields(agency_return: AgencyReturn, parsed: ParsedEntry) -> dict[str, Any]:
    """A parsed row as ChronologyEntry field values (by attribute name), for one entry or a bulk insert."""
    date = parsed.date
    return {
        "review_id": agency_return.review_id,
        "agency_return_id": agency_return.pk,
        "agency_id": agency_return.agency_id,
        "date_start": date.start,
        "date_precision": date.precision,
        "date_uncertain": date.uncertain,
        "date_end": date.end,
        "date_end_precision": date.end_precision or "",
        "time": date.time,
        "precision_rank": PRECISION_ORDER[date.precision],
        "sequence": parsed.sequence,
        "row_number": parsed.row_number,
        "description": parsed.description,
        "source": parsed.source[:500],
        "people": parsed.people[:500],
        "significant": parsed.significant,
        "original_date_text": parsed.original_date_text[:100],
    }


def _entry_columns(entries: list[ParsedEntry]) -> dict[str, list[Any]]:
    """Parsed rows as ChronologyEntry columns, as _entry_fields gives each one (built column by column: no dict
    per row on a 100,000-row import)."""
    dates = [parsed.date for parsed in entries]
    return {
        "date_start": [date.start for date in dates],
        "date_precision": [date.precision for date in dates],
        "date_uncertain": [date.uncertain for date in dates],
        "date_end": [date.end for date in dates],
        "date_end_precision": [date.end_precision or "" for date in dates],
        "time": [date.time for date in dates],
        "precision_rank": [PRECISION_ORDER[date.precision] for date in dates],
        "sequence": [parsed.sequence for parsed in entries],
        "row_number": [parsed.row_number for parsed in entries],
        "description": [parsed.description for parsed in entries],
        "source": [parsed.source[:500] for parsed in entries],
        "people": [parsed.people[:500] for parsed in entries],
        "significant": [parsed.significant for parsed in entries],
        "original_date_text": [parsed.original_date_text[:100] for parsed in entries],
    }


def _move_return(
    agency_return: AgencyReturn,
    status: str,
    *,
    event: Event,
    by: User | None,
    origin: Origin,
    summary: str,
    **fields: Any,
) -> None:
    """Give a return its new status and fields, bump its version and record why, in the caller's transaction."""
    agency_return.status = status
    for name, value in fields.items():
        setattr(agency_return, name, value)
    agency_return.version = F("version") + 1
    agency_return.save()
    audit.record(event=event, actor=by, origin=origin, review=agency_return.review, obj=agency_return, summary=summary)


def store_entries(
    *,
    agency_return: AgencyReturn,
    validation: Validation,
    filename: str,
    by: User | None,
    origin: Origin,
    progress: Progress = no_progress,
) -> int:
    """Replace the return's entries with a validated file's, in one transaction: all or nothing."""
    if not validation.ok:
        raise ValidationError("The file has problems; nothing was stored")
    total = len(validation.entries)
    same = _same_for_return(agency_return)

    def insert() -> None:
        for start in range(0, total, _BATCH):
            batch = validation.entries[start : start + _BATCH]
            insert_columns(ChronologyEntry, len(batch), _entry_columns(batch), same)
            progress(min(start + _BATCH, total), total, f"Stored {min(start + _BATCH, total):,} of {total:,} entries")

    _replace_entries(agency_return, total, insert, filename=filename, by=by, origin=origin)
    return total


def _same_for_return(agency_return: AgencyReturn) -> dict[str, Any]:
    """What every entry of a return holds the same."""
    return {
        "review_id": agency_return.review_id,
        "agency_return_id": agency_return.pk,
        "agency_id": agency_return.agency_id,
    }


def _replace_entries(
    agency_return: AgencyReturn,
    total: int,
    insert: Callable[[], None],
    *,
    filename: str,
    by: User | None,
    origin: Origin,
) -> None:
    _refuse_if_released(agency_return)
    with transaction.atomic():
        AgencyReturn.objects.select_for_update().filter(pk=agency_return.pk).exists()
        agency_return.entries.all().delete()
        insert()
        _move_return(
            agency_return,
            AgencyReturn.Status.DRAFT,
            event=Event.RETURN_IMPORTED,
            by=by,
            origin=origin,
            summary=f"Imported {total:,} entries from {filename} into {agency_return.agency.name}'s return",
            source_filename=filename[:255],
            imported_by=by,
            imported_at=timezone.now(),
        )
    agency_return.refresh_from_db()


@dataclass(frozen=True)
class ReturnFile:
    """One agency's return as a file, for returns_import."""

    agency: Agency
    filename: str
    data: bytes
    mapping: dict[str, str] | None = None


@dataclass
class CheckedFile:
    """What checking one file found: `problem` when it could not be read at all, otherwise its validation
    (without its entries) and, when it is good, its entries as rows ready to insert."""

    filename: str
    problem: str = ""
    validation: Validation | None = None
    count: int = 0
    rows: PreparedInsert | None = None

    @property
    def ok(self) -> bool:
        return not self.problem and self.validation is not None and self.validation.ok


class ReturnsRefused(Exception):
    """Some of the files have problems; nothing was stored."""

    def __init__(self, refused: list[CheckedFile]) -> None:
        super().__init__(", ".join(checked.filename for checked in refused))
        self.refused = refused


def _check_file(job: tuple[ReturnFile, dict[str, Any] | None]) -> CheckedFile:
    """Read and check a file and, when it is good and `same` says which return it goes into, prepare its rows.
    No database access: it runs in a forked copy of the process where there is a spare core."""
    file, same = job
    try:
        validation = validate_file(data=file.data, filename=file.filename, mapping=file.mapping)
    except TableError as exc:
        return CheckedFile(file.filename, problem=str(exc))
    entries, validation.entries = validation.entries, []  # sent back as prepared rows: much cheaper to pickle
    checked = CheckedFile(file.filename, validation=validation, count=len(entries))
    if validation.ok and same is not None:
        with collector_paused():
            checked.rows = prepare_insert(ChronologyEntry, len(entries), _entry_columns(entries), same)
    return checked


def returns_import(
    *,
    review: Review,
    files: list[ReturnFile],
    by: User | None,
    origin: Origin,
    release: bool = True,
    dry_run: bool = False,
) -> dict[str, Any]:
    """Import several agencies' returns at once, all or nothing: if any file has a problem, ReturnsRefused
    lists every file's problems and nothing is stored. Otherwise each return's entries are replaced by its
    file's and, with `release`, released into the review; candidate links are then looked for once, now.

    Where the machine has more than one core, forked copies of this process read and check the files, one per
    core, and then one copy looks for candidate links in the chronology as it will be while this process stores
    the returns. Returns each file's entries and return (none on a dry run) and the candidates found."""
    agencies = [file.agency for file in files]
    if len(set(agencies)) != len(agencies):
        raise ValidationError("Each agency can have only one file in an import")
    with transaction.atomic():
        agency_returns = (
            []
            if dry_run
            else [return_for_agency(review=review, agency=agency, by=by, origin=origin) for agency in agencies]
        )
        for agency_return in agency_returns:
            _refuse_if_released(agency_return)
        jobs = [(file, None if dry_run else _same_for_return(agency_returns[n])) for n, file in enumerate(files)]
        checked = list(parallel.map_ahead(_check_file, jobs))
        refused = [one for one in checked if not one.ok]
        if refused:
            raise ReturnsRefused(refused)
        counts = [one.count for one in checked]
        if dry_run:
            return {"entries": counts, "returns": [], "candidates": 0}
        # The chronology as it will be once these are released is known already: look for candidate links in
        # it (in a forked copy, where there is a core to spare) while the returns are stored.
        search = Later(_links_after_import, selectors.link_columns(review=review), checked) if release else None
        with search or nullcontext():
            for agency_return, file, one in zip(agency_returns, files, checked, strict=True):
                assert one.rows is not None
                insert = partial(insert_prepared, one.rows)
                _replace_entries(agency_return, one.count, insert, filename=file.filename, by=by, origin=origin)
            candidates = 0
            if search is not None:
                for agency_return in agency_returns:
                    _release(agency_return, by=by, origin=origin)
                candidates = _offer_links(review, search.result())
    return {"entries": counts, "returns": agency_returns, "candidates": candidates}


def upload_import(
    *, upload_id: str, by_id: int, origin: dict[str, str], progress: Progress = no_progress
) -> dict[str, Any]:
    """Import a checked upload (run directly, or as a background job for big files)."""
    upload = ReturnUpload.objects.select_related("agency_return__agency", "agency_return__review").get(pk=upload_id)
    by = User.objects.get(pk=by_id)
    where = Origin(ip_address=origin.get("ip_address"), user_agent=origin.get("user_agent", ""))
    if upload.status != ReturnUpload.Status.VALID:
        raise JobFailed(f"{upload.filename} is not ready to import ({upload.get_status_display().lower()})")
    progress(0, upload.row_count, "Checking the file again")
    validation = validate_file(data=bytes(upload.content), filename=upload.filename, mapping=upload.mapping)
    if not validation.ok:
        raise JobFailed(f"{upload.filename} has problems; nothing was stored")
    with transaction.atomic():
        count = store_entries(
            agency_return=upload.agency_return,
            validation=validation,
            filename=upload.filename,
            by=by,
            origin=where,
            progress=progress,
        )
        upload.status = ReturnUpload.Status.IMPORTED
        upload.content = b""
        upload.save(update_fields=["status", "content"])
    return {"entries": count, "return": str(upload.agency_return_id)}


def return_entry_add(
    *,
    agency_return: AgencyReturn,
    date_text: str,
    time_text: str,
    description: str,
    source: str,
    people: str,
    significant: bool,
    by: User,
    origin: Origin,
) -> ChronologyEntry:
    """One entry typed on the web form, checked by the same rules as a file's rows."""
    _refuse_if_released(agency_return)
    errors: dict[str, str] = {}
    date: AgencyDate | None = None
    try:
        date = parse_agency_date(date_text)
        time = parse_time(time_text) if time_text.strip() else None
        if time is not None:
            date = AgencyDate(date.start, date.precision, date.uncertain, date.end, date.end_precision, time)
    except DateError as exc:
        errors["date_text" if date is None else "time_text"] = exc.reason
    if not description.strip():
        errors["description"] = "Enter what happened"
    if not source.strip():
        errors["source"] = "Every entry needs a source of information"
    if errors or date is None:
        raise ValidationError(errors)
    with transaction.atomic():
        AgencyReturn.objects.select_for_update().filter(pk=agency_return.pk).exists()
        last = agency_return.entries.order_by("-sequence").values_list("sequence", flat=True).first() or 0
        parsed = ParsedEntry(
            row_number=0,
            sequence=last + 1,
            date=date,
            description=description.strip(),
            source=source.strip(),
            people=people.strip(),
            significant=significant,
            original_date_text=date_text.strip(),
        )
        entry = ChronologyEntry(**{**_entry_fields(agency_return, parsed), "row_number": None})
        entry.save()
        if agency_return.status == AgencyReturn.Status.REQUESTED:
            agency_return.status = AgencyReturn.Status.DRAFT
            agency_return.save(update_fields=["status"])
        audit.record(
            event=Event.RETURN_ENTRY_ADDED,
            actor=by,
            origin=origin,
            review=agency_return.review,
            obj=entry,
            summary=f"Added an entry to {agency_return.agency.name}'s return",
        )
    return entry


def return_release(
    *, agency_return: AgencyReturn, by: User | None, origin: Origin, candidates_now: bool = False
) -> dict[str, int]:
    """Release the return into the review: its entries, stamped with the agency, join the chronology.

    Candidate links are then looked for across the whole chronology: at once with `candidates_now` (the
    demo), otherwise by a background job, so that several agencies releasing one after another cost one
    search, not one each. Returns the entries released and the candidates found now.
    """
    with transaction.atomic():
        count = _release(agency_return, by=by, origin=origin)
        candidates = 0
        if candidates_now:
            candidates = candidate_links_refresh(review=agency_return.review)
        else:
            candidate_links_refresh_later(review=agency_return.review, by=by)
    return {"entries": count, "candidates": candidates}


def _release(agency_return: AgencyReturn, *, by: User | None, origin: Origin) -> int:
    if agency_return.is_released:
        raise ValidationError(f"{agency_return.agency.name}'s return is already released")
    if not agency_return.entries.exists():
        raise ValidationError(f"{agency_return.agency.name}'s return has no entries to release")
    with transaction.atomic():
        count = agency_return.entries.count()
        _move_return(
            agency_return,
            AgencyReturn.Status.RELEASED,
            event=Event.RETURN_RELEASED,
            by=by,
            origin=origin,
            summary=f"Released {agency_return.agency.name}'s return ({count:,} entries) into the review",
            released_by=by,
            released_at=timezone.now(),
        )
    agency_return.refresh_from_db()
    return count


CANDIDATES_JOB = "chronology.candidates"


def candidate_links_refresh_later(*, review: Review, by: User | None) -> None:
    """Queue a search for candidate links, unless one for this review is already waiting to start."""
    if Job.objects.filter(kind=CANDIDATES_JOB, review=review, status=Job.Status.QUEUED).exists():
        return
    job_start(
        kind=CANDIDATES_JOB,
        description="Looking for the same event in several returns",
        function="caseview.chronology.services.candidate_links_job",
        arguments={"review_id": str(review.pk)},
        created_by=by,
        review=review,
    )


def candidate_links_job(*, review_id: str, progress: Progress = no_progress) -> dict[str, int]:
    review = Review.objects.get(pk=review_id)
    progress(0, 1, "Comparing entries from different agencies")
    return {"candidates": candidate_links_refresh(review=review)}


def candidate_links_refresh(*, review: Review) -> int:
    """Offer new candidate links across the released chronology. Pairs already decided are left alone."""
    with collector_paused():  # the whole chronology's rows, and what the search builds over them
        found = find_candidate_links_in(selectors.link_columns(review=review))
    return _offer_links(review, found)


def _links_after_import(released: LinkColumns, checked: list[CheckedFile]) -> list[tuple[str, str, float]]:
    """The candidate links in the chronology once the checked files' entries (read from their rows ready to
    insert) join the entries already released. No database access: returns_import runs it in a forked copy."""
    columns: list[list[Any]] = [list(column) for column in released]
    for one in checked:
        assert one.rows is not None
        for values, name in zip(columns, selectors.LINK_FIELDS, strict=True):
            values += _as_text(one.rows.column(name)) if name.endswith("id") else one.rows.column(name)
    return find_candidate_links_in(LinkColumns(*columns))


def _as_text(keys: Sequence[Any]) -> Sequence[str]:
    """Ids as link_columns gives them: the database's own text for a UUID (SQLite stores it as text already)."""
    return keys if not keys or isinstance(keys[0], str) else [str(key) for key in keys]


def _offer_links(review: Review, found: list[tuple[str, str, float]]) -> int:
    """Store the candidate links found that are not linked already (whatever their status); how many."""
    # Ids stay in the database's text form (see link_columns): most pairs found on a refresh were offered
    # before, and text ids order as their UUIDs do, so the lower id still comes first. insert_columns takes
    # them as they are on SQLite (32 hex digits) and reads them as UUIDs on PostgreSQL.
    known = selectors.known_link_pairs(review=review)
    firsts, seconds, scores = [], [], []
    for first, second, score in found:
        key = (first, second) if first < second else (second, first)
        if key in known:
            continue
        known.add(key)
        firsts.append(key[0])
        seconds.append(key[1])
        scores.append(round(score, 3))
    insert_columns(
        EntryLink,
        len(scores),
        {"first_id": firsts, "second_id": seconds, "score": scores},
        {"review_id": review.pk},
    )
    return len(scores)


EDITABLE_ENTRY_FIELDS = ("description", "source", "people", "significant")


def entry_update(
    *,
    entry: ChronologyEntry,
    expected_version: int,
    by: User,
    origin: Origin,
    date_text: str | None = None,
    time_text: str | None = None,
    **changes: Any,
) -> ChronologyEntry:
    """Correct an entry. Refused if someone else saved it since `expected_version` was read."""
    unknown = set(changes) - set(EDITABLE_ENTRY_FIELDS)
    if unknown:
        raise TypeError(f"entry_update cannot change {', '.join(sorted(unknown))}")
    errors: dict[str, str] = {}
    date: AgencyDate | None = None
    if date_text is not None:
        try:
            date = parse_agency_date(date_text)
            if time_text:
                date = AgencyDate(
                    date.start, date.precision, date.uncertain, date.end, date.end_precision, parse_time(time_text)
                )
        except DateError as exc:
            errors["date_text"] = exc.reason
    if "description" in changes and not str(changes["description"]).strip():
        errors["description"] = "Enter what happened"
    if "source" in changes and not str(changes["source"]).strip():
        errors["source"] = "Every entry needs a source of information"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = ChronologyEntry.objects.select_for_update().get(pk=entry.pk)
        if current.version != expected_version:
            raise StaleEdit("Someone else changed this entry while you were editing it.")
        before = {name: getattr(current, name) for name in EDITABLE_ENTRY_FIELDS}
        before["date"] = selectors.entry_date_text(current)
        for name, value in changes.items():
            setattr(current, name, value.strip() if isinstance(value, str) else value)
        if date is not None:
            current.date_start, current.date_precision, current.date_uncertain = (
                date.start,
                date.precision,
                date.uncertain,
            )
            current.date_end, current.date_end_precision = date.end, date.end_precision or ""
            current.time = date.time
            current.precision_rank = PRECISION_ORDER[date.precision]
        after = {name: getattr(current, name) for name in EDITABLE_ENTRY_FIELDS}
        after["date"] = selectors.entry_date_text(current)
        changed = {k: {"from": before[k], "to": after[k]} for k in before if before[k] != after[k]}
        current.version = F("version") + 1
        current.save()
        current.refresh_from_db()
        if changed:
            audit.record(
                event=Event.ENTRY_CHANGED,
                actor=by,
                origin=origin,
                review=current.review,
                obj=current,
                summary=f"Changed {', '.join(changed)} of an entry from {current.agency_return.agency.name}",
                detail={"changes": changed},
            )
    return current


def entry_comment_add(*, entry: ChronologyEntry, text: str, by: User, origin: Origin) -> EntryComment:
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Enter your comment"})
    with transaction.atomic():
        comment = EntryComment.objects.create(entry=entry, author=by, text=text)
        audit.record(
            event=Event.ENTRY_COMMENTED,
            actor=by,
            origin=origin,
            review=entry.review,
            obj=comment,
            summary="Commented on a chronology entry",
            detail={"entry": str(entry.pk)},
        )
    return comment


def link_decide(*, link: EntryLink, same_event: bool, relation: str, note: str, by: User, origin: Origin) -> EntryLink:
    """A reviewer's decision on a candidate: the same event (agreeing or conflicting accounts), or not."""
    if same_event and relation not in EntryLink.Relation.values:
        raise ValidationError({"relation": "Say whether the two accounts agree or conflict"})
    with transaction.atomic():
        link.status = EntryLink.Status.CONFIRMED if same_event else EntryLink.Status.REJECTED
        link.relation = relation if same_event else ""
        link.note = note.strip()
        link.decided_by = by
        link.decided_at = timezone.now()
        link.save()
        audit.record(
            event=Event.LINK_CONFIRMED if same_event else Event.LINK_REJECTED,
            actor=by,
            origin=origin,
            review=link.review,
            obj=link,
            summary=(
                f"Confirmed two entries as the same event ({link.get_relation_display().lower()})"
                if same_event
                else "Marked two entries as different events"
            ),
            detail={"first": str(link.first_id), "second": str(link.second_id)},
        )
    return link


@dataclass(frozen=True)
class Export:
    content: bytes
    filename: str
    content_type: str
    entries: int


EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def chronology_export(
    *,
    review: Review,
    fmt: str,
    agency: Agency | None,
    by: User | None,
    origin: Origin,
    filters: selectors.ChronologyFilter | None = None,
) -> Export:
    """The released chronology as a file: all of it, one agency's part, or the entries a filter keeps (its title
    says which). The export is audited."""
    if fmt not in EXPORT_TYPES:
        raise ValidationError({"format": f"{fmt} is not a format we export: choose csv, xlsx or docx"})
    filters = filters or selectors.ChronologyFilter()
    if agency is not None:
        filters = dataclasses.replace(filters, agencies=[agency])
    rows = selectors.entry_rows(review=review, entries=selectors.filtered_entries(review=review, filters=filters))
    one_agency, kept = filters.only_agency(), filters.describe()
    # One agency's return by its name; otherwise the chronology, with the filters that cut it down.
    if one_agency:
        whole = exported = f"{one_agency.name} return"
        suffix = "-" + "".join(ch if ch.isalnum() else "-" for ch in one_agency.name.lower()).strip("-")
    else:
        cut = f" ({kept})" if kept else ""
        whole, exported = f"multi-agency chronology{cut}", f"merged chronology{cut}"
        suffix = "-filtered" if kept else ""
    title = f"{review.reference} {review.title}: {whole}"
    if fmt == "csv":
        buffer = io.StringIO()
        buffer.write("\ufeff")  # so that Excel reads the file as UTF-8
        exports.write_csv(rows, buffer)
        content = buffer.getvalue().encode("utf-8")
    elif fmt == "xlsx":
        content = exports.xlsx_bytes(rows, title=title)
    else:
        subtitle = f"{review.partnership.name}. Exported {timezone.localtime():%d %B %Y at %H:%M}"
        content = exports.docx_bytes(rows, title=title, subtitle=subtitle)
    audit.record(
        event=Event.CHRONOLOGY_EXPORTED,
        actor=by,
        origin=origin,
        review=review,
        summary=f"Exported the {exported} ({len(rows):,} entries) as {fmt.upper()}",
    )
    filename = f"{review.reference}-chronology{suffix}.{fmt}"
    return Export(content=content, filename=filename, content_type=EXPORT_TYPES[fmt], entries=len(rows))
