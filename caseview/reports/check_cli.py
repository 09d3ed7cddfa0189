"""`caseview report check FILE --review REF [--json]`: the publication check from the command line.

Exit 0 when nothing is left to resolve, 1 when something is (each hit listed), 2 when the file or the review
cannot be used.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Protocol

from caseview.core.commands import cli_origin
from caseview.reports.check import MAX_FILE_BYTES, UnreadableFile
from caseview.reports.check_services import check_run, hits_of, overrides_of
from caseview.reviews.models import Review

CLEAN, FOUND, UNUSABLE = 0, 1, 2


class Writer(Protocol):
    def write(self, text: str) -> Any: ...


def run_check(*, file: str, review: str, as_json: bool, stdout: Writer, stderr: Writer) -> int:
    """Check the file against the review's registry, keep the check with the review, and say what was found."""
    found = Review.objects.select_related("partnership").filter(reference=review.strip().upper()).first()
    path = Path(file)
    problem = ""
    if found is None:
        problem = f"There is no review with the reference {review}"
    elif not path.is_file():
        problem = f"There is no file at {path}"
    elif path.stat().st_size > MAX_FILE_BYTES:
        problem = f"{path.name} is larger than the {MAX_FILE_BYTES // 1_048_576} MB limit"
    if found is None or problem:
        return _unusable(problem, as_json, stdout, stderr)
    try:
        checked = check_run(review=found, data=path.read_bytes(), source=path.name, by=None, origin=cli_origin())
    except UnreadableFile as exc:
        return _unusable(f"{path.name}: {exc}", as_json, stdout, stderr)
    overridden = overrides_of(review=found)
    rows: list[dict[str, Any]] = []
    for hit in hits_of(checked):
        override = overridden.get(hit.key)
        rows.append(
            {**hit.as_dict(), "kind_label": hit.kind_label, "overridden": override.reason if override else None}
        )
    blocking = [row for row in rows if row["overridden"] is None]
    if as_json:
        result = {"ok": True, "file": path.name, "review": found.reference, "passed": not blocking, "hits": rows}
        stdout.write(json.dumps(result, indent=2) + "\n")
    elif not rows:
        stdout.write(f"{path.name}: nothing found that could identify someone\n")
    else:
        for row in rows:
            note = f" (overridden: {row['overridden']})" if row["overridden"] else ""
            stdout.write(f"{row['where']}: {row['kind_label']} “{row['text']}”: {row['fix']}{note}\n")
        stdout.write(f"{path.name}: {len(blocking)} to resolve of {len(rows)} found\n")
    return FOUND if blocking else CLEAN


def _unusable(message: str, as_json: bool, stdout: Writer, stderr: Writer) -> int:
    if as_json:
        stdout.write(json.dumps({"ok": False, "error": message}) + "\n")
    else:
        stderr.write(f"caseview: {message}\n")
    return UNUSABLE
