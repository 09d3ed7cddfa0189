from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import CommandError, CommandParser

from caseview.accounts import services
from caseview.core.commands import JsonCommand, cli_origin


class Command(JsonCommand):
    help = "Manage accounts. `caseview user create --username U --email E [--password-stdin] [--admin]`"

    def add_command_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["create"])
        parser.add_argument("--username", required=True)
        parser.add_argument("--email", default="")
        parser.add_argument("--full-name", default="", help="the person's name, shown only to those allowed")
        parser.add_argument(
            "--password-stdin", action="store_true", help="read the password from standard input (first line)"
        )
        parser.add_argument("--admin", action="store_true", help="an installation administrator")

    def run(self, **options: Any) -> dict[str, Any]:
        password = None
        if options["password_stdin"]:
            password = sys.stdin.readline().rstrip("\r\n")
            if not password:
                raise CommandError("--password-stdin was given but standard input held no password")
        user = services.user_create(
            username=options["username"],
            email=options["email"],
            full_name=options["full_name"],
            password=password,
            is_admin=options["admin"],
            by=None,
            origin=cli_origin(),
        )
        return {
            "username": user.username,
            "email": user.email,
            "admin": user.is_superuser,
            "has_password": user.has_usable_password(),
        }

    def describe(self, result: dict[str, Any]) -> str:
        kind = "installation administrator" if result["admin"] else "account"
        extra = "" if result["has_password"] else " (no password yet: it cannot sign in until one is set)"
        return f"Created {kind} {result['username']}{extra}"
