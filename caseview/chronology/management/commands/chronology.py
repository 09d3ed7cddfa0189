"""`caseview chronology import|export`: agency returns from files, and the merged chronology out."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from caseview.chronology import services
from caseview.chronology.tables import MAX_UPLOAD_BYTES, TableError
from caseview.core.commands import cli_origin, validation_text
from caseview.reviews.models import Agency, Review


class Command(BaseCommand):
    help = "Import an agency's return from a file, or export the chronology"

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        imp = actions.add_parser("import", help="import an agency's return (all or nothing)")
        imp.add_argument("--review", required=True, help="the review's reference")
        imp.add_argument("--agency", required=True, help="the agency's name, as the partnership knows it")
        imp.add_argument("file", help="XLSX, XLS, ODS or CSV")
        imp.add_argument("--mapping", help='JSON file: {"date": "Occurrence date", "description": ..., "source": ...}')
        imp.add_argument("--dry-run", action="store_true", help="check the file and store nothing")
        imp.add_argument("--hold", action="store_true", help="import but do not release it into the review")
        imp.add_argument("--json", action="store_true", help="print machine-readable JSON")
        exp = actions.add_parser("export", help="export the merged chronology or one agency's return")
        exp.add_argument("--review", required=True)
        exp.add_argument("--format", required=True, choices=["csv", "xlsx", "docx"])
        exp.add_argument("--agency", help="only this agency's released entries")
        exp.add_argument("-o", "--output", required=True, help="file to write, or - for CSV on standard output")
        exp.add_argument("--json", action="store_true", help="print a machine-readable summary")

    def handle(self, *args: Any, **options: Any) -> None:
        as_json = options["json"]
        try:
            result = self._import(**options) if options["action"] == "import" else self._export(**options)
        except _Refused as refused:
            self._fail(refused.message, as_json, refused.errors)
        except ValidationError as exc:
            self._fail(validation_text(exc), as_json, [])
        except CommandError as exc:
            self._fail(str(exc), as_json, [])
        if as_json:
            self.stdout.write(json.dumps({"ok": True, **result}, indent=2))
        elif result.get("say"):
            self.stdout.write(result["say"])

    def _fail(self, message: str, as_json: bool, errors: list[dict[str, Any]]) -> None:
        if as_json:
            self.stdout.write(json.dumps({"ok": False, "error": message, "errors": errors}, indent=2))
        else:
            self.stderr.write(f"caseview: {message}")
            for error in errors:
                self.stderr.write(
                    f"  row {error['row']}, column {error['column']}: {error['value']!r}: {error['reason']}"
                )
        sys.exit(1)

    def _review_and_agency(self, reference: str, agency_name: str | None) -> tuple[Review, Agency | None]:
        review = Review.objects.select_related("partnership").filter(reference=reference.strip().upper()).first()
        if review is None:
            raise CommandError(f"There is no review with the reference {reference}")
        if agency_name is None:
            return review, None
        agency = Agency.objects.filter(partnership=review.partnership, name__iexact=agency_name.strip()).first()
        if agency is None:
            known = ", ".join(review.partnership.agencies.values_list("name", flat=True)) or "none yet"
            raise CommandError(f"{review.partnership.name} has no agency called {agency_name} (it has: {known})")
        return review, agency

    def _import(self, **options: Any) -> dict[str, Any]:
        review, agency = self._review_and_agency(options["review"], options["agency"])
        assert agency is not None
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"There is no file at {path}")
        if path.stat().st_size > MAX_UPLOAD_BYTES:
            raise CommandError(f"{path.name} is larger than the {MAX_UPLOAD_BYTES // 1_048_576} MB limit")
        mapping = None
        if options["mapping"]:
            try:
                mapping = json.loads(Path(options["mapping"]).read_text())
            except (OSError, ValueError) as exc:
                raise CommandError(f"The mapping file could not be read as JSON: {exc}") from exc
            if not isinstance(mapping, dict) or not all(isinstance(v, str) for v in mapping.values()):
                raise CommandError('The mapping file must hold an object like {"date": "Occurrence date"}')
        elif saved := services.saved_mapping(agency):
            mapping = saved
        try:
            validation = services.validate_file(data=path.read_bytes(), filename=path.name, mapping=mapping)
        except TableError as exc:
            raise _Refused(str(exc), []) from exc
        if validation.missing_fields:
            found = ", ".join(h for h in validation.headers if h) or "none"
            raise _Refused(
                f"{path.name}: could not find the column for {', '.join(validation.missing_fields)} (the columns are: "
                f"{found}). Give a mapping with --mapping.",
                [],
            )
        if validation.errors:
            errors = [
                {"row": e.row, "column": e.column, "value": e.value, "reason": e.reason} for e in validation.errors
            ]
            raise _Refused(f"{path.name} has {len(errors)} problem(s); nothing was stored", errors)
        count = len(validation.entries)
        if options["dry_run"]:
            return {
                "dry_run": True,
                "entries": count,
                "candidates": 0,
                "released": False,
                "say": f"{path.name} is good: {count} entries would be imported (dry run: nothing stored)",
            }
        origin = cli_origin()
        with transaction.atomic():
            agency_return = services.return_for_agency(review=review, agency=agency, by=None, origin=origin)
            services.store_entries(
                agency_return=agency_return, validation=validation, filename=path.name, by=None, origin=origin
            )
            candidates = 0
            if not options["hold"]:
                candidates = services.return_release(
                    agency_return=agency_return, by=None, origin=origin, candidates_now=True
                )["candidates"]
        released = "held back, not released" if options["hold"] else "released into the review"
        return {
            "entries": count,
            "candidates": candidates,
            "released": not options["hold"],
            "return": str(agency_return.pk),
            "say": f"Imported {count} entries for {agency.name} ({released}); {candidates} candidate links found",
        }

    def _export(self, **options: Any) -> dict[str, Any]:
        review, agency = self._review_and_agency(options["review"], options["agency"])
        fmt, output = options["format"], options["output"]
        if output == "-" and (fmt != "csv" or options["json"]):
            raise CommandError("Only CSV, without --json, can be written to standard output; give a file with -o")
        export = services.chronology_export(review=review, fmt=fmt, agency=agency, by=None, origin=cli_origin())
        if output == "-":
            self.stdout.write(export.content.decode("utf-8-sig"), ending="")
            return {"entries": export.entries}
        Path(output).write_bytes(export.content)
        return {"entries": export.entries, "path": output, "say": f"Wrote {export.entries} entries to {output}"}


class _Refused(Exception):
    def __init__(self, message: str, errors: list[dict[str, Any]]) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors
