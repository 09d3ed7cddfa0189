from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser

from caseview.core.commands import JsonCommand, cli_origin
from caseview.reviews import selectors, services
from caseview.reviews.models import Review, Role


class Command(JsonCommand):
    help = "Manage roles in a review. `caseview member add --review REF --user U --role ROLE`"

    def add_command_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["add"])
        parser.add_argument("--review", required=True, help="the review's reference")
        parser.add_argument("--user", required=True, help="the username")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--position", default="", help='how reports name them, like "Health visitor 1"')

    def run(self, **options: Any) -> dict[str, Any]:
        review = Review.objects.filter(reference=options["review"].strip().upper()).first()
        if review is None:
            raise CommandError(f"There is no review with the reference {options['review']}")
        user = selectors.users_by_username(username=options["user"])
        if user is None:
            raise CommandError(f"There is no active account with the username {options['user']}")
        membership = services.membership_add(
            review=review,
            user=user,
            role=options["role"],
            position=options["position"],
            by=None,
            origin=cli_origin(),
        )
        return {"review": review.reference, "user": user.username, "role": membership.role}

    def describe(self, result: dict[str, Any]) -> str:
        return f"{result['user']} is now {Role(result['role']).label.lower()} in {result['review']}"
