"""docs/roles.md shows the permission table that rules.py enforces; this keeps the two in step."""

from __future__ import annotations

from pathlib import Path

from caseview.reviews.access import PARTNERSHIP_RULES
from caseview.reviews.rules import ADMIN, AGENCY_CONTACT, BOARD, FAMILY, LEAD, PERMISSIONS, PRACTITIONER, TEAM

DOC = Path(__file__).resolve().parents[3] / "docs" / "roles.md"
COLUMNS = [
    (LEAD, "Lead reviewer"),
    (TEAM, "Review team"),
    (PRACTITIONER, "Practitioner"),
    (FAMILY, "Family"),
    (BOARD, "Board"),
    (AGENCY_CONTACT, "Agency contact"),
    (ADMIN, "Partnership admin"),
]


def permission_table() -> str:
    header = "| Permission | What it allows | " + " | ".join(label for _, label in COLUMNS) + " |"
    rule = "|---|---|" + "---|" * len(COLUMNS)
    rows = [
        f"| `{name}` | {purpose} | " + " | ".join("yes" if role in roles else "–" for role, _ in COLUMNS) + " |"
        for name, (roles, purpose) in PERMISSIONS.items()
    ]
    return "\n".join([header, rule, *rows])


def partnership_table() -> str:
    rows = [f"| `{name}` | {purpose} |" for name, (_, purpose) in PARTNERSHIP_RULES.items()]
    return "\n".join(["| Rule | Who |", "|---|---|", *rows])


def test_it_documents_the_permission_table_that_is_enforced() -> None:
    text = DOC.read_text()
    assert permission_table() in text, (
        "docs/roles.md is out of step with caseview/reviews/rules.py; paste in:\n\n" + permission_table()
    )


def test_it_documents_the_partnership_rules() -> None:
    assert partnership_table() in DOC.read_text(), "docs/roles.md is out of step; paste in:\n\n" + partnership_table()
