"""`caseview retention purge [--dry-run] [--json]`: delete conversation files whose retention date has passed."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from caseview.conversations import services
from caseview.core.commands import JsonCommand, cli_origin


class Command(JsonCommand):
    help = (
        "Delete the contents of conversation files kept past their retention date, keeping a note of each. "
        "`caseview retention purge [--dry-run]`; run it daily."
    )

    def add_command_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["purge"])
        parser.add_argument("--dry-run", action="store_true", help="say what would be deleted, and delete nothing")

    def run(self, **options: Any) -> dict[str, Any]:
        dry_run = options["dry_run"]
        purged = services.files_purge(origin=cli_origin(), dry_run=dry_run)
        return {
            "dry_run": dry_run,
            "count": len(purged),
            "files": [
                {
                    "id": item.file_id,
                    "review": item.review,
                    "participant": item.participant,
                    "kind": item.kind,
                    "size": item.size,
                    "retain_until": item.retain_until.isoformat(),
                }
                for item in purged
            ],
        }

    def describe(self, result: dict[str, Any]) -> str:
        files = result["files"]
        if not files:
            return "No file is past its retention date: nothing to delete"
        verb = "Would delete" if result["dry_run"] else "Deleted"
        lines = [
            f"{verb} {len(files)} file{'s' if len(files) != 1 else ''}"
            + (" (dry run: nothing was changed)" if result["dry_run"] else "")
        ]
        lines += [
            f"  {item['review']}: {item['kind'].lower()} from the conversation with {item['participant']} "
            f"(kept until {item['retain_until']}, {item['size']:,} bytes)"
            for item in files
        ]
        return "\n".join(lines)
