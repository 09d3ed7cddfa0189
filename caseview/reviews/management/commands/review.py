from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from caseview.core.commands import JsonCommand, cli_origin
from caseview.reports import interchange
from caseview.reports import services as report_services
from caseview.reviews import services
from caseview.reviews.models import Partnership, Review

DEFAULT_PARTNERSHIP_ENV = "CASEVIEW_DEFAULT_PARTNERSHIP"


def default_partnership() -> Partnership:
    """The installation's default partnership, named by CASEVIEW_DEFAULT_PARTNERSHIP, made on first use."""
    name = os.environ.get(DEFAULT_PARTNERSHIP_ENV, "Default partnership")
    existing = Partnership.objects.filter(name__iexact=name).first()
    return existing or services.partnership_create(name=name, by=None, origin=cli_origin())


class Command(JsonCommand):
    help = (
        "Manage reviews. `caseview review create --ref REF --title TITLE [--partnership NAME]`; "
        "`caseview review export --review REF --audience board|public -o FILE.json`"
    )

    def add_command_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["create", "export"])
        parser.add_argument("--ref", help="create: the review's reference, like CK2019")
        parser.add_argument("--title", help='create: pseudonymised, like "Child K"')
        parser.add_argument("--partnership", help="the partnership's name (made if new); default: the installation's")
        parser.add_argument("--question", action="append", default=[], help="a question the review asks (repeatable)")
        parser.add_argument("--review", help="export: the review's reference")
        parser.add_argument("--audience", choices=interchange.AUDIENCES, help="export: who the export is for")
        parser.add_argument("-o", "--output", help="export: the JSON file to write (docs/review-export.schema.json)")

    def run(self, **options: Any) -> dict[str, Any]:
        if options["action"] == "export":
            return self.export(**options)
        missing = [f"--{name}" for name in ("ref", "title") if not options[name]]
        if missing:
            raise CommandError(f"review create needs {' and '.join(missing)}")
        origin = cli_origin()
        if options["partnership"]:
            partnership = Partnership.objects.filter(name__iexact=options["partnership"].strip()).first()
            if partnership is None:
                partnership = services.partnership_create(name=options["partnership"], by=None, origin=origin)
        else:
            partnership = default_partnership()
        review = services.review_create(
            partnership=partnership,
            reference=options["ref"],
            title=options["title"],
            questions=options["question"],
            by=None,
            origin=origin,
        )
        return {
            "reference": review.reference,
            "title": review.title,
            "partnership": partnership.name,
            "stage": review.stage,
            "id": str(review.pk),
        }

    def export(self, **options: Any) -> dict[str, Any]:
        missing = [f"--{name}" for name in ("review", "audience", "output") if not options[name]]
        if missing:
            raise CommandError(f"review export needs {', '.join(missing)}")
        review = Review.objects.filter(reference=options["review"]).first()
        if review is None:
            raise CommandError(f"No review {options['review']}")
        data = report_services.review_export(review=review, audience=options["audience"], origin=cli_origin())
        output = Path(options["output"])
        try:
            output.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"Could not write {output}: {exc.strerror}") from exc
        return {
            "exported": review.reference,
            "audience": options["audience"],
            "output": str(output),
            "format_version": data["format_version"],
        }

    def describe(self, result: dict[str, Any]) -> str:
        if "exported" in result:
            return f"Exported {result['exported']} for the {result['audience']} to {result['output']}"
        return f"Created review {result['reference']} ({result['title']}) for {result['partnership']}"
