"""`caseview report build`: the review's report for one audience, in one format, written to a file."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from caseview.core.commands import cli_origin
from caseview.reports import rendering, services
from caseview.reports.models import ReportAudience
from caseview.reviews.models import Review


class Command(BaseCommand):
    help = "Build the review's report: `caseview report build --review REF --audience A --format F -o PATH`"

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        build = actions.add_parser("build", help="assemble the report from the data as it is now and write one file")
        build.add_argument("--review", required=True, help="the review's reference")
        build.add_argument("--audience", required=True, choices=ReportAudience.values)
        build.add_argument("--format", required=True, choices=rendering.FORMATS)
        build.add_argument("-o", "--output", required=True, help="the file to write")
        build.add_argument("--json", action="store_true", help="print a machine-readable summary")

    def handle(self, *args: Any, **options: Any) -> None:
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
            self.stdout.write(json.dumps({"ok": True, **result}, indent=2))
        else:
            self.stdout.write(f"Wrote the {result['audience']} report for {result['review']} to {result['output']}")

    def _build(self, **options: Any) -> dict[str, Any]:
        review = Review.objects.filter(reference=options["review"]).first()
        if review is None:
            raise CommandError(f"No review {options['review']}")
        data = services.report_file(
            review=review, audience=options["audience"], file_format=options["format"], origin=cli_origin()
        )
        output = Path(options["output"])
        try:
            output.write_bytes(data)
        except OSError as exc:
            raise CommandError(f"Could not write {output}: {exc.strerror}") from exc
        return {
            "review": review.reference,
            "audience": options["audience"],
            "format": options["format"],
            "output": str(output),
            "bytes": len(data),
        }
