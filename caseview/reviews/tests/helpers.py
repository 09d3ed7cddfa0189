"""Small builders shared by the reviews tests: a second partnership with its own people, and form data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from django.http import StreamingHttpResponse

from caseview.accounts.models import User
from caseview.core.models import AuditEvent
from caseview.reviews import services
from caseview.reviews.models import Agency, Partnership, Review
from conftest import TEST_ORIGIN, make_user


@dataclass
class OtherPartnership:
    partnership: Partnership
    admin: User
    lead: User
    agency: Agency
    review: Review


def other_partnership() -> OtherPartnership:
    """A second partnership, with its own administrator, agency and review EM2025 led by its own lead."""
    partnership = services.partnership_create(name="Eastshire Partnership", by=None, origin=TEST_ORIGIN)
    admin = make_user("eastadmin")
    services.partnership_admin_add(partnership=partnership, user=admin, by=None, origin=TEST_ORIGIN)
    lead = make_user("eastlead")
    agency = services.agency_add(partnership=partnership, name="Eastshire Police", by=None, origin=TEST_ORIGIN)
    review = services.review_create(
        partnership=partnership,
        reference="EM2025",
        title="Young Person M",
        questions=["What made the transition work well?"],
        agencies=[agency],
        by=admin,
        origin=TEST_ORIGIN,
        lead_reviewer=lead,
    )
    return OtherPartnership(partnership=partnership, admin=admin, lead=lead, agency=agency, review=review)


def agency(partnership: Partnership, name: str) -> Agency:
    """The partnership's agency of this name, added if it has none yet."""
    existing = Agency.objects.filter(partnership=partnership, name=name).first()
    return existing or services.agency_add(partnership=partnership, name=name, by=None, origin=TEST_ORIGIN)


def date_parts(name: str, value: dt.date | None) -> dict[str, str]:
    """The three boxes of a GOV.UK date input, as a browser posts them."""
    if value is None:
        return {f"{name}_day": "", f"{name}_month": "", f"{name}_year": ""}
    return {f"{name}_day": str(value.day), f"{name}_month": str(value.month), f"{name}_year": str(value.year)}


def edit_form_data(review: Review, *, version: int | None = None, **changes: Any) -> dict[str, Any]:
    """What the edit page posts for `review`, with `changes` applied."""
    review.refresh_from_db()
    values: dict[str, Any] = {
        "title": review.title,
        "case_selection_reason": review.case_selection_reason,
        "trigger": review.trigger,
        "variant": review.variant,
        "purpose_statement": review.purpose_statement,
        "period_start": review.period_start,
        "period_end": review.period_end,
        "agencies": [str(a.pk) for a in review.agencies.all()],
        **changes,
    }
    data = {key: value for key, value in values.items() if key not in {"period_start", "period_end"}}
    data.update(date_parts("period_start", values["period_start"]))
    data.update(date_parts("period_end", values["period_end"]))
    data["version"] = str(review.version if version is None else version)
    return data


def streamed_text(response: Any) -> str:
    """The body of a streamed response (a CSV export), without the byte-order mark spreadsheets want."""
    assert isinstance(response, StreamingHttpResponse), type(response)
    return b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[arg-type]


def summaries(**filters: Any) -> list[str]:
    return list(AuditEvent.objects.filter(**filters).order_by("id").values_list("summary", flat=True))


class _FormFields(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {key: value or "" for key, value in attrs}
        name = found.get("name", "")
        if tag == "input" and name and found.get("type") not in {"submit", "button"}:
            if found.get("type") in {"radio", "checkbox"} and "checked" not in found:
                return
            self.data.setdefault(name, []).append(found.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self.data.setdefault(name, []).append("")
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in found:
            self.data.setdefault(self._select, []).append(found.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.data[self._textarea][-1] += data


def form_fields(html: str) -> dict[str, list[str]]:
    """What a browser would submit from the page's forms, as rendered (the first textarea newline dropped)."""
    parser = _FormFields()
    parser.feed(html)
    return {
        name: [value[1:] if value.startswith("\n") else value for value in values]
        for name, values in parser.data.items()
    }
