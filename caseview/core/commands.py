"""Shared shape for caseview's commands: `--json` output, plain errors and a non-zero exit on failure."""

from __future__ import annotations

import getpass
import json
import sys
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from caseview.core.audit import Origin


def cli_origin() -> Origin:
    try:
        who = getpass.getuser()
    except (KeyError, OSError):
        who = "unknown"
    return Origin(user_agent=f"caseview command line (system user {who})")


def validation_text(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "; ".join(f"{field}: {' '.join(messages)}" for field, messages in exc.message_dict.items())
    return " ".join(exc.messages)


class JsonCommand(BaseCommand):
    """Subclasses implement `run(**options) -> dict` and `describe(result) -> str`."""

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="print machine-readable JSON")
        self.add_command_arguments(parser)

    def add_command_arguments(self, parser: CommandParser) -> None:
        pass

    def handle(self, *args: Any, **options: Any) -> None:
        as_json = options["json"]
        try:
            result = self.run(**options)
        except ValidationError as exc:
            self.fail(validation_text(exc), as_json)
        except CommandError as exc:
            self.fail(str(exc), as_json)
        if as_json:
            self.stdout.write(json.dumps({"ok": True, **result}, indent=2, default=str))
        else:
            self.stdout.write(self.describe(result))

    def fail(self, message: str, as_json: bool) -> None:
        if as_json:
            self.stdout.write(json.dumps({"ok": False, "error": message}))
        else:
            self.stderr.write(f"caseview: {message}")
        sys.exit(1)

    def run(self, **options: Any) -> dict[str, Any]:
        raise NotImplementedError

    def describe(self, result: dict[str, Any]) -> str:
        return json.dumps(result, default=str)
