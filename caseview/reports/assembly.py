"""The report as one document model, assembled from the review's data and its narrative parts for one audience
(method §3.8), then drawn by the renderers as HTML, Word and PDF. What each audience may see is decided here,
once, so the three formats cannot disagree:

- team: real identities (for the review team only), the whole analysis;
- board: pseudonymised, the whole analysis;
- public: pseudonymised, minimal family detail, no staff names (positions only), no place names.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from caseview.analysis.models import SIGNIFICANCE_ORDER, ContributoryFactor
from caseview.analysis.selectors import period_text
from caseview.findings.selectors import findings_of, ranked
from caseview.meetings.models import Meeting
from caseview.people.models import Participant, ParticipantKind, ParticipationStatus
from caseview.reports.models import NarrativePart, ReportAudience, ReportNarrative
from caseview.reports.registry import check_terms, identifier, pseudonymise
from caseview.reviews.models import Agency, Review, Role, Sector

TEAM = ReportAudience.TEAM.value
BOARD = ReportAudience.BOARD.value
PUBLIC = ReportAudience.PUBLIC.value

MARKINGS = {
    TEAM: "Review team version: names real people. Not for circulation beyond the review team.",
    BOARD: "Board version: pseudonymised. Confidential to the board.",
    PUBLIC: "Public version: pseudonymised, with minimal family detail.",
}


# --- The document model ------------------------------------------------------------------------------------


@dataclass
class Paragraph:
    text: str
    kind: str = "paragraph"


@dataclass
class Items:
    items: list[str]
    numbered: bool = False
    kind: str = "items"


@dataclass
class Table:
    caption: str
    header: list[str]
    rows: list[list[str]]
    # Each column's share of the width, in per cent: long text gets the room, so the table runs to fewer pages.
    widths: tuple[int, ...] = ()
    kind: str = "table"


@dataclass
class Finding:
    """One finding in full (method §3.7), numbered in the report's order, with its questions for the board."""

    number: int
    statement: str
    category: str
    parts: list[tuple[str, str]]
    questions: list[str]
    kind: str = "finding"


Block = Paragraph | Items | Table | Finding
KINDS: dict[str, Callable[..., Block]] = {"paragraph": Paragraph, "items": Items, "table": Table, "finding": Finding}


@dataclass
class Section:
    key: str
    title: str
    level: int
    blocks: list[Block] = field(default_factory=list)

    def text(self) -> str:
        """The section as plain lines, for reading what changed between versions."""
        lines: list[str] = []
        for block in self.blocks:
            if isinstance(block, Paragraph):
                lines.append(block.text)
            elif isinstance(block, Items):
                lines.extend(f"{n}. {item}" if block.numbered else f"- {item}" for n, item in enumerate(block.items, 1))
            elif isinstance(block, Table):
                lines.append(block.caption)
                lines.extend(" | ".join(row) for row in [block.header, *block.rows])
            else:
                lines.append(f"Finding {block.number}: {block.statement}")
                lines.append(f"Kind of pattern: {block.category}")
                lines.extend(f"{heading}: {text}" for heading, text in block.parts)
                lines.extend(f"{block.number}.{n} {question}" for n, question in enumerate(block.questions, 1))
        return "\n".join(lines)


@dataclass
class Document:
    reference: str
    title: str
    audience: str
    marking: str
    sections: list[Section]

    @property
    def contents(self) -> list[Section]:
        return [section for section in self.sections if section.level == 1]

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> Document:
        data = json.loads(text)
        sections = []
        for section in data.pop("sections"):
            blocks = []
            for block in section.pop("blocks"):
                if block["kind"] == "finding":
                    block["parts"] = [tuple(part) for part in block["parts"]]
                elif block["kind"] == "table":
                    block["widths"] = tuple(block.get("widths", ()))
                blocks.append(KINDS[block["kind"]](**block))
            sections.append(Section(blocks=blocks, **section))
        return cls(sections=sections, **data)

    @property
    def column_widths(self) -> list[int]:
        """Every column width its tables use (the HTML's stylesheet gives each a class: inline styles are refused
        by the app's content security policy)."""
        tables = [block for section in self.sections for block in section.blocks if isinstance(block, Table)]
        return sorted({width for table in tables for width in table.widths})

    def text(self) -> str:
        return "\n\n".join(f"{section.title}\n{section.text()}" for section in self.sections)

    def section(self, key: str) -> Section | None:
        return next((section for section in self.sections if section.key == key), None)


# --- Assembly ----------------------------------------------------------------------------------------------


def _apply_registry(review: Review, text: str, audience: str) -> str:
    """Text as this audience may read it, through the review's pseudonym registry: for the board and the public
    every real name, place and rare detail becomes its pseudonym, position label or generic description; for the
    team (who see identities) it is reversed, so "Mother" in the reviewers' words reads as her real name."""
    if not text:
        return text
    cache: dict[str, Any] = review.__dict__.setdefault("_report_registry", {})
    if audience == TEAM:
        if "identify" not in cache:
            cache["identify"] = identifier(review)
        return str(cache["identify"](text))
    if "terms" not in cache:
        cache["terms"] = check_terms(review)
    return pseudonymise(review=review, text=text, terms=cache["terms"])


def _day(value: dt.date | None, audience: str) -> str:
    """A date as this audience may read it: the public report gives the month and year only (App. 2: an exact
    date can identify a family where the month will do)."""
    if value is None:
        return "not recorded"
    return f"{value:%B %Y}" if audience == PUBLIC else f"{value.day} {value:%B %Y}"


class _Assembler:
    def __init__(self, review: Review, audience: str) -> None:
        if audience not in ReportAudience.values:
            raise ValueError(f"No such audience: {audience}")
        self.review = review
        self.audience = audience
        self.narratives = {n.part: n.text for n in ReportNarrative.objects.filter(review=review)}
        self.participants = list(review.participants.select_related("agency").order_by("kind", "label"))

    def clean(self, text: str) -> str:
        return _apply_registry(self.review, text.strip(), self.audience)

    def narrative(self, part: NarrativePart) -> list[Block]:
        text = self.clean(self.narratives.get(part.value, ""))
        if not text:
            return [Paragraph(f"[{part.label}: not written yet]")]
        return [Paragraph(paragraph.strip()) for paragraph in text.split("\n\n") if paragraph.strip()]

    def agency_name(self, agency: Agency | None) -> str:
        """The agency as this audience may read it: the public sees the kind of agency, never a named (often
        placed) organisation like "Fernside Primary School"."""
        if agency is None:
            return ""
        return Sector(agency.sector).label if self.audience == PUBLIC else agency.name

    def person(self, participant: Participant) -> str:
        if self.audience == TEAM and participant.real_name.strip():
            return f"{participant.real_name.strip()} ({participant.label})"
        return participant.label

    # --- Sections ---

    def document(self) -> Document:
        return Document(
            reference=self.review.reference,
            title=f"{self.review.title}: a local child safeguarding practice review",
            audience=self.audience,
            marking=MARKINGS[self.audience],
            sections=list(self.sections()),
        )

    def sections(self) -> Iterator[Section]:
        yield Section("introduction", "1. Introduction", 1, [Paragraph(self.clean(self.review.purpose_statement))])
        yield Section("why-this-case", "Why this case", 2, self.narrative(NarrativePart.WHY_THIS_CASE))
        yield Section("summary", "A brief summary of the case", 2, self.narrative(NarrativePart.SUMMARY))
        yield Section("family", "The family", 2, self.family())
        yield Section("timeframe", "The timeframe", 2, [Paragraph(self.timeframe())])
        questions = [self.clean(q.text) for q in self.review.questions.all()]
        yield Section("questions", "The questions the review asked", 2, [Items(questions, numbered=True)])
        yield Section("methodology", "2. Methodology", 1, [])
        yield Section("approach", "The approach", 2, self.narrative(NarrativePart.APPROACH))
        yield Section("review-team", "The review team", 2, self.review_team())
        yield Section("case-group", "The case group and how people took part", 2, self.case_group())
        yield Section("family-involvement", "How the family took part", 2, self.family_involvement())
        yield Section("limitations", "Limitations", 2, self.narrative(NarrativePart.LIMITATIONS))
        findings = ranked(findings_of(review=self.review))
        yield Section("findings", "3. Findings", 1, [])
        yield Section("overview", "An overview appraisal of practice", 2, self.narrative(NarrativePart.OVERVIEW))
        yield Section("window", "How the case is a window on the system", 2, self.narrative(NarrativePart.WINDOW))
        summary = [self.clean(finding.statement) for finding in findings]
        yield Section(
            "findings-list", "The findings", 2, [Items(summary, numbered=True)] if summary else [Paragraph("None.")]
        )
        for number, finding in enumerate(findings, 1):
            block = self.finding(number, finding)
            yield Section(f"finding-{number}", f"Finding {number}: {block.statement}", 2, [block])
        yield Section("appendices", "Appendices", 1, [])
        yield Section("process", "Appendix A: the review's process", 2, [self.process()])
        yield Section("membership", "Appendix B: membership by role", 2, [self.membership()])
        if self.audience != PUBLIC:
            yield Section("episodes", "Appendix C: key practice episodes", 2, [self.episodes()])

    def family(self) -> list[Block]:
        family = [p for p in self.participants if p.is_family]
        if self.audience == PUBLIC:
            # Minimal family detail (QM 14): who they are in the report, nothing more.
            return [Paragraph("The report names the family by these pseudonyms: " + ", ".join(p.label for p in family))]
        rows = [
            [self.person(p), self.clean(p.relationship) or p.get_kind_display(), str(p.age) if p.age else ""]
            for p in family
        ]
        return [Table("The family, as the report names them", ["Name in the report", "Who", "Age"], rows, (40, 45, 15))]

    def timeframe(self) -> str:
        start, end = self.review.period_start, self.review.period_end
        return f"The review looked at practice from {_day(start, self.audience)} to {_day(end, self.audience)}."

    def review_team(self) -> list[Block]:
        lines = []
        for membership in self.review.memberships.filter(
            role__in=[Role.LEAD_REVIEWER, Role.REVIEW_TEAM]
        ).select_related("user", "agency"):
            role = "Lead reviewer" if membership.role == Role.LEAD_REVIEWER else "Review team member"
            described = ", ".join(
                part
                for part in (
                    str(membership.user) if self.audience == TEAM else "",
                    membership.position,
                    self.agency_name(membership.agency),
                )
                if part
            )
            lines.append(f"{role}: {described}" if described else role)
        return [*self.narrative(NarrativePart.TEAM_INDEPENDENCE), Items(lines)]

    def took_part(self, participant: Participant) -> str:
        status = ParticipationStatus(participant.participation_status)
        if status == ParticipationStatus.TOOK_PART or status == ParticipationStatus.TAKING_PART:
            return participant.get_participation_mode_display()
        if status in {ParticipationStatus.DECLINED, ParticipationStatus.UNABLE, ParticipationStatus.WITHDRAWN}:
            reason = self.clean(participant.non_participation_reason)
            if reason and self.audience != PUBLIC:
                return f"{status.label}: {reason}"
            return status.label
        return status.label

    def case_group(self) -> list[Block]:
        staff = [p for p in self.participants if p.kind in {ParticipantKind.PRACTITIONER, ParticipantKind.MANAGER}]
        rows = [[self.person(p), self.agency_name(p.agency), self.took_part(p)] for p in staff]
        return [Table("The case group", ["Position", "Agency", "How they took part"], rows, (35, 30, 35))]

    def family_involvement(self) -> list[Block]:
        family = [p for p in self.participants if p.is_family]
        return [
            *self.narrative(NarrativePart.FAMILY_INVOLVEMENT),
            Items([f"{p.label}: {self.took_part(p)}" for p in family]),
        ]

    def finding(self, number: int, finding: Any) -> Finding:
        parts = [
            ("How it showed in this case", finding.how_it_showed),
            ("How we know it is not peculiar to this case", finding.evidence_not_one_off),
            ("How widespread it is locally", finding.prevalence_local),
            ("How widespread it is nationally", finding.prevalence_national),
            ("Why it matters", finding.why_it_matters),
            ("Summary", finding.summary),
        ]
        return Finding(
            number=number,
            statement=self.clean(finding.statement),
            category=finding.pattern.later_label,
            parts=[(heading, self.clean(text)) for heading, text in parts if text.strip()],
            questions=[self.clean(question.text) for question in finding.board_questions.all()],
        )

    def process(self) -> Table:
        rows: list[tuple[dt.date, str]] = [
            (change.changed_at.date(), f"The review moved to “{change.get_to_stage_display()}”")
            for change in self.review.stage_changes.all()
        ]
        rows += [
            (meeting.held_on, f"{meeting.get_kind_display()}: {self.clean(meeting.title)}")
            for meeting in Meeting.objects.filter(review=self.review)
        ]
        rows.sort(key=lambda row: row[0])
        return Table(
            "The review's process",
            ["Date", "What happened"],
            [[_day(day, self.audience), what] for day, what in rows],
            (25, 75),
        )

    def membership(self) -> Table:
        rows = []
        for membership in self.review.memberships.select_related("user", "agency").order_by("role", "position"):
            if membership.role in {Role.PRACTITIONER, Role.FAMILY, Role.AGENCY_CONTACT}:
                continue
            who = str(membership.user) if self.audience == TEAM else membership.position or "Position not recorded"
            rows.append([membership.get_role_display(), who, self.agency_name(membership.agency)])
        for participant in self.participants:
            group = "Family" if participant.is_family else "Case group"
            rows.append([group, self.person(participant), self.agency_name(participant.agency)])
        return Table("Membership by role", ["Role", "Who", "Agency"], rows, (25, 40, 35))

    def episodes(self) -> Table:
        # Only what the table shows, in two queries: the analysis's own KPE rows also gather every entry and
        # turning point each factor cites, which the report's table does not print.
        factors: dict[Any, list[ContributoryFactor]] = {}
        for factor in ContributoryFactor.objects.filter(episode__review=self.review).select_related(
            "factor_type__group"
        ):
            factors.setdefault(factor.episode_id, []).append(factor)
        rows = []
        for episode in self.review.episodes.order_by("number"):
            cited = sorted(
                factors.get(episode.pk, []), key=lambda f: (SIGNIFICANCE_ORDER[f.significance], f.created_at)
            )
            rows.append(
                [
                    f"{episode.number}. {self.clean(episode.title)}",
                    period_text(episode.period_start, episode.period_end),
                    episode.get_valence_display(),
                    self.clean(episode.practice_compared),
                    "; ".join(f"{factor.factor_type.code}: {self.clean(factor.description)}" for factor in cited),
                ]
            )
        header = ["Episode", "When", "Appraisal", "Practice compared with what was expected", "Contributory factors"]
        return Table("Key practice episodes", header, rows, (17, 11, 12, 30, 30))


def assemble(*, review: Review, audience: str) -> Document:
    """The report for `audience` ('team', 'board' or 'public'), from the review's data as it is now."""
    return _Assembler(review, audience).document()
