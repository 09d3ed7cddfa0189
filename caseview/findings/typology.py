"""The six-part typology of underlying patterns (method §3.6, Appendix 6), with the category labels later
Learning Together reports used for the same patterns. Data in code: it is the method's, not a partnership's."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PatternType:
    code: str
    label: str
    later_label: str
    examples: tuple[str, ...]

    @property
    def both_labels(self) -> str:
        return f"{self.later_label} ({self.label.lower()})"


TYPOLOGY: tuple[PatternType, ...] = (
    PatternType(
        "human_tool",
        "Patterns in how people and tools work together",
        "Tools",
        (
            "assessment forms that capture little about the quality or depth of an assessment",
            "forms that discourage recording reasoning, unease or gaps in understanding",
            "an assessment framework whose focus on need discourages spelling out risk",
            "a case-management cycle in which revising an assessment interrupts the flow of practice",
        ),
    ),
    PatternType(
        "human_management_system",
        "Patterns in how people and the management system work together",
        "Management systems",
        (
            "resources not matching demand",
            "difficulty getting expert assessments",
            "gaps in service provision",
            "funding disputes, with practitioners filling the gap",
            "performance indicators that “borrow from safety”",
            "trade-offs between competing priorities",
            "supervision",
        ),
    ),
    PatternType(
        "multiagency_incidents_crises",
        "Patterns in multi-agency communication and collaboration in response to incidents or crises",
        "Multi-agency working in response to incidents and crises",
        (
            "organisational culture around setting priorities",
            "the wider needs of the children missed in a child protection response",
            "reserve capacity",
            "how much it matters that people know each other",
            "referral procedures and whether feedback is the norm",
        ),
    ),
    PatternType(
        "multiagency_longer_term",
        "Patterns in multi-agency communication and collaboration in assessment and longer-term work",
        "Multi-agency working in longer-term work",
        (
            "assessment and planning understood as a one-off event rather than a process",
            "clarity of roles and responsibilities",
            "how much responsibility is shared; who is responsible for thinking",
            "what should be shared, and how much",
        ),
    ),
    PatternType(
        "family_professional",
        "Patterns in family–professional interaction",
        "Family–professional interaction",
        (
            "engagement and disguised or partial compliance",
            "hostility and intimidation",
            "the worker–parent relationship pulling attention away from the child",
            "the child's voice",
        ),
    ),
    PatternType(
        "human_reasoning",
        "Patterns in human judgement and reasoning",
        "Human reasoning: cognitive and emotional biases",
        (
            "failing to revise first judgements",
            "optimism",
            "fixed thinking",
            "how emotion affects reasoning",
        ),
    ),
)

BY_CODE = {pattern.code: pattern for pattern in TYPOLOGY}
CHOICES = [(pattern.code, pattern.both_labels) for pattern in TYPOLOGY]
