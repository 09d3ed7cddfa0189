from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from caseview.core.commands import JsonCommand, cli_origin
from caseview.reviews.demo import load_demo

DEFAULT_PASSWORD = "learning-together"


class Command(JsonCommand):
    help = "Create or refresh the invented demo review CE2026 (Child E) and one account per role; prints them"

    def add_command_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--password", default=DEFAULT_PASSWORD, help="password for every demo account")

    def run(self, **options: Any) -> dict[str, Any]:
        return load_demo(password=options["password"], origin=cli_origin())

    def describe(self, result: dict[str, Any]) -> str:
        width = max(len(account["username"]) for account in result["accounts"])
        lines = [
            f"Demo review {result['review']} (Child E) is ready at {result['url']}",
            f"Every demo account's password: {result['password']}",
            "",
            *(f"  {account['username']:<{width}}  {account['is']}" for account in result["accounts"]),
        ]
        return "\n".join(lines)
