from __future__ import annotations

import os
from typing import Any

from django.core.management.base import CommandParser

from caseview.core.commands import JsonCommand, cli_origin
from caseview.reviews import services
from caseview.reviews.models import Partnership

DEFAULT_PARTNERSHIP_ENV = "CASEVIEW_DEFAULT_PARTNERSHIP"


def default_partnership() -> Partnership:
    """The installation's default partnership, named by CASEVIEW_DEFAULT_PARTNERSHIP, made on first use."""
    name = os.environ.get(DEFAULT_PARTNERSHIP_ENV, "Default partnership")
    existing = Partnership.objects.filter(name__iexact=name).first()
    return existing or services.partnership_create(name=name, by=None, origin=cli_origin())


class Command(JsonCommand):
    help = "Manage reviews. `caseview review create --ref REF --title TITLE [--partnership NAME]`"

    def add_command_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["create"])
        parser.add_argument("--ref", required=True, help="the review's reference, like CK2019")
        parser.add_argument("--title", required=True, help='pseudonymised, like "Child K"')
        parser.add_argument("--partnership", help="the partnership's name (made if new); default: the installation's")
        parser.add_argument("--question", action="append", default=[], help="a question the review asks (repeatable)")

    def run(self, **options: Any) -> dict[str, Any]:
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

    def describe(self, result: dict[str, Any]) -> str:
        return f"Created review {result['reference']} ({result['title']}) for {result['partnership']}"
