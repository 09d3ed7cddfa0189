"""`caseview report build` writes the review's report for one audience in one format; `caseview report check`
runs the publication check on any DOCX, PDF, HTML or text file (see caseview.reports.check_cli)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from caseview.core.commands import cli_origin
from caseview.reports import rendering, services
from caseview.reports.check_cli import run_check
from caseview.reports.check_services import blocking_hits
from caseview.reports.models import ReportAudience
from caseview.reviews.models import Review


class Command(BaseCommand):
    help = "Reports: `build` writes the report for an audience; `check` runs the publication check on a file"

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        build = actions.add_parser("build", help="assemble the report from the data as it is now and write one file")
        build.add_argument("--review", required=True, help="the review's reference")
        build.add_argument("--audience", required=True, choices=ReportAudience.values)
        build.add_argument("--format", required=True, choices=rendering.FORMATS)
        build.add_argument("-o", "--output", required=True, help="the file to write")
        build.add_argument("--json", action="store_true", help="print a machine-readable summary")
        check = actions.add_parser("check", help="find what could identify someone in a public report")
        check.add_argument("file", help="a DOCX, PDF, HTML or plain text file")
        check.add_argument("--review", required=True, help="the review's reference, whose registry to use")
        check.add_argument("--json", action="store_true", help="print machine-readable JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "check":
            code = run_check(
                file=options["file"],
                review=options["review"],
                as_json=options["json"],
                stdout=self.stdout,
                stderr=self.stderr,
            )
            if code:
                sys.exit(code)
            return
        as_json = options["json"]
        try:
            result = self._build(**options)
        except CommandError as exc:
            if as_json:
                self.stdout.write(json.dumps({"ok": False, "error": str(exc)}))
            else:
                self.stderr.write(f"caseview: {exc}")
            sys.exit(1)
        if as_json:
            self.stdout.write(json.dumps(result, indent=2))
        elif result["ok"]:
            self.stdout.write(f"Wrote the {result['audience']} report for {result['review']} to {result['output']}")
        else:
            for hit in result["hits"]:
                self.stdout.write(f"{hit['where']}: {hit['kind_label']} “{hit['text']}”: {hit['fix']}")
            self.stderr.write(
                f"caseview: the public report fails the publication check ({len(result['hits'])} to resolve); "
                "nothing was written"
            )
        if not result["ok"]:
            sys.exit(1)

    def _build(self, **options: Any) -> dict[str, Any]:
        review = Review.objects.filter(reference=options["review"]).first()
        if review is None:
            raise CommandError(f"No review {options['review']}")
        data = services.report_file(
            review=review, audience=options["audience"], file_format=options["format"], origin=cli_origin()
        )
        summary: dict[str, Any] = {
            "review": review.reference,
            "audience": options["audience"],
            "format": options["format"],
        }
        if options["audience"] == ReportAudience.PUBLIC:
            # A public report that could identify someone is not written anywhere, so it cannot be sent on by mistake.
            hits = blocking_hits(review=review, data=data)
            if hits:
                found = [{**hit.as_dict(), "kind_label": hit.kind_label} for hit in hits]
                return {"ok": False, **summary, "passed": False, "hits": found}
        output = Path(options["output"])
        try:
            output.write_bytes(data)
        except OSError as exc:
            raise CommandError(f"Could not write {output}: {exc.strerror}") from exc
        return {"ok": True, **summary, "output": str(output), "bytes": len(data)}
