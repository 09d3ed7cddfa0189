"""`caseview chronology import|export`: agency returns from files, and the merged chronology out."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from caseview.chronology import services
from caseview.chronology.tables import MAX_UPLOAD_BYTES
from caseview.core.commands import cli_origin, validation_text
from caseview.reviews.models import Agency, Review


class Command(BaseCommand):
    help = "Import an agency's return from a file, or export the chronology"

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        imp = actions.add_parser(
            "import",
            help="import an agency's return, or several agencies' returns at once (all or nothing)",
            description="Give one return as --agency NAME FILE, or several as --return NAME FILE --return NAME FILE.",
        )
        imp.add_argument("--review", required=True, help="the review's reference")
        imp.add_argument("--agency", help="the agency's name, as the partnership knows it")
        imp.add_argument("file", nargs="?", help="XLSX, XLS, ODS or CSV")
        imp.add_argument(
            "--return",
            dest="returns",
            nargs=2,
            action="append",
            metavar=("AGENCY", "FILE"),
            help="one agency's return; repeat it to import several together (nothing is stored if any has a problem)",
        )
        imp.add_argument(
            "--mapping", help='JSON file: {"date": "Occurrence date", "description": ..., "source": ...}; one file only'
        )
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
                where = f"{error['file']}, " if "file" in error else ""
                self.stderr.write(
                    f"  {where}row {error['row']}, column {error['column']}: {error['value']!r}: {error['reason']}"
                )
        sys.exit(1)

    def _review(self, reference: str) -> Review:
        review = Review.objects.select_related("partnership").filter(reference=reference.strip().upper()).first()
        if review is None:
            raise CommandError(f"There is no review with the reference {reference}")
        return review

    def _agency(self, review: Review, name: str) -> Agency:
        agency = Agency.objects.filter(partnership=review.partnership, name__iexact=name.strip()).first()
        if agency is None:
            known = ", ".join(review.partnership.agencies.values_list("name", flat=True)) or "none yet"
            raise CommandError(f"{review.partnership.name} has no agency called {name} (it has: {known})")
        return agency

    def _import(self, **options: Any) -> dict[str, Any]:
        review = self._review(options["review"])
        if options["returns"] and (options["agency"] or options["file"]):
            raise CommandError("Give either --agency NAME FILE or --return NAME FILE (repeated), not both")
        if options["returns"]:
            pairs = options["returns"]
        elif options["agency"] and options["file"]:
            pairs = [(options["agency"], options["file"])]
        else:
            raise CommandError("Give the agency and its file: --agency NAME FILE, or --return NAME FILE")
        if options["mapping"] and len(pairs) > 1:
            raise CommandError("--mapping is for one file; import the file that needs it on its own")
        files = [self._return_file(review, name, file, options["mapping"]) for name, file in pairs]
        origin = cli_origin()
        try:
            result = services.returns_import(
                review=review,
                files=files,
                by=None,
                origin=origin,
                release=not options["hold"],
                dry_run=options["dry_run"],
            )
        except services.ReturnsRefused as refused:
            raise _refusal(refused.refused, several=len(files) > 1) from refused
        counts, candidates = result["entries"], result["candidates"]
        total = sum(counts)
        if options["dry_run"]:
            good = f"{files[0].filename} is" if len(files) == 1 else f"All {len(files)} files are"
            return {
                "dry_run": True,
                "entries": total,
                "candidates": 0,
                "released": False,
                "say": f"{good} good: {total} entries would be imported (dry run: nothing stored)",
            }
        released = "held back, not released" if options["hold"] else "released into the review"
        found = f"{candidates} candidate links found"
        if len(files) == 1:
            say = f"Imported {total} entries for {files[0].agency.name} ({released}); {found}"
        else:
            each = [
                f"Imported {count} entries for {file.agency.name}" for file, count in zip(files, counts, strict=True)
            ]
            say = "\n".join([*each, f"{total} entries from {len(files)} returns ({released}); {found}"])
        returns = [
            {"agency": file.agency.name, "file": file.filename, "entries": count, "return": str(agency_return.pk)}
            for file, count, agency_return in zip(files, counts, result["returns"], strict=True)
        ]
        return {
            "entries": total,
            "candidates": candidates,
            "released": not options["hold"],
            **({"return": returns[0]["return"]} if len(returns) == 1 else {}),
            "returns": returns,
            "say": say,
        }

    def _return_file(self, review: Review, agency_name: str, file: str, mapping_path: str | None) -> Any:
        agency = self._agency(review, agency_name)
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"There is no file at {path}")
        if path.stat().st_size > MAX_UPLOAD_BYTES:
            raise CommandError(f"{path.name} is larger than the {MAX_UPLOAD_BYTES // 1_048_576} MB limit")
        mapping = None
        if mapping_path:
            try:
                mapping = json.loads(Path(mapping_path).read_text())
            except (OSError, ValueError) as exc:
                raise CommandError(f"The mapping file could not be read as JSON: {exc}") from exc
            if not isinstance(mapping, dict) or not all(isinstance(v, str) for v in mapping.values()):
                raise CommandError('The mapping file must hold an object like {"date": "Occurrence date"}')
        return services.ReturnFile(
            agency=agency, filename=path.name, data=path.read_bytes(), mapping=mapping or services.saved_mapping(agency)
        )

    def _export(self, **options: Any) -> dict[str, Any]:
        review = self._review(options["review"])
        agency = self._agency(review, options["agency"]) if options["agency"] else None
        fmt, output = options["format"], options["output"]
        if output == "-" and (fmt != "csv" or options["json"]):
            raise CommandError("Only CSV, without --json, can be written to standard output; give a file with -o")
        export = services.chronology_export(review=review, fmt=fmt, agency=agency, by=None, origin=cli_origin())
        if output == "-":
            self.stdout.write(export.content.decode("utf-8-sig"), ending="")
            return {"entries": export.entries}
        Path(output).write_bytes(export.content)
        return {"entries": export.entries, "path": output, "say": f"Wrote {export.entries} entries to {output}"}


def _refusal(refused: list[services.CheckedFile], *, several: bool) -> _Refused:
    """Every problem of every refused file, as one refusal: the first file's message, or a count of files."""
    messages, errors = [], []
    for checked in refused:
        validation = checked.validation
        if checked.problem:
            messages.append(checked.problem)
        elif validation is not None and validation.missing_fields:
            found = ", ".join(h for h in validation.headers if h) or "none"
            messages.append(
                f"{checked.filename}: could not find the column for {', '.join(validation.missing_fields)} (the "
                f"columns are: {found}). Give a mapping with --mapping."
            )
        elif validation is not None:
            messages.append(f"{checked.filename} has {len(validation.errors)} problem(s); nothing was stored")
            errors += [
                {"row": e.row, "column": e.column, "value": e.value, "reason": e.reason}
                | ({"file": checked.filename} if several else {})
                for e in validation.errors
            ]
    if several:
        return _Refused(f"{len(refused)} of the files have problems; nothing was stored. " + " ".join(messages), errors)
    return _Refused(messages[0], errors)


class _Refused(Exception):
    def __init__(self, message: str, errors: list[dict[str, Any]]) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors
