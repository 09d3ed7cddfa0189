"""`caseview report check FILE --review REF [--json]` (see caseview.reports.check_cli)."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from caseview.reports.check_cli import run_check


class Command(BaseCommand):
    help = "Reports: `check` runs the publication check on a DOCX, PDF, HTML or text file"

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        check = actions.add_parser("check", help="find what could identify someone in a public report")
        check.add_argument("file", help="a DOCX, PDF, HTML or plain text file")
        check.add_argument("--review", required=True, help="the review's reference, whose registry to use")
        check.add_argument("--json", action="store_true", help="print machine-readable JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        code = run_check(
            file=options["file"],
            review=options["review"],
            as_json=options["json"],
            stdout=self.stdout,
            stderr=self.stderr,
        )
        if code:
            sys.exit(code)
