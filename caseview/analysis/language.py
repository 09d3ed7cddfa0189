"""A language check for appraisal and explanation text: it flags blaming and counterfactual phrasing and
suggests another way to put it. It advises; it never blocks a save.

Pure Python, no Django, so that findings and reports can use it too. Matching is case-insensitive and on
whole words: "negligible" is not "negligent", and "should haven" is not "should have".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Flag:
    """One phrase found in a text: where it is (`start` to `end`, as in text[start:end]), why it is flagged,
    and a suggestion of how else to put it."""

    start: int
    end: int
    text: str
    rule: str
    why: str
    suggestion: str


@dataclass(frozen=True)
class _Rule:
    key: str
    pattern: re.Pattern[str]
    why: str
    suggest: Callable[[re.Match[str]], str]


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"\b(?:{pattern})\b", re.IGNORECASE)


def _fixed(text: str) -> Callable[[re.Match[str]], str]:
    return lambda _match: text


def _did_not(match: re.Match[str]) -> str:
    verb = match.group("verb").lower()
    plain = "was not" if verb == "be" else f"did not {verb}"
    return f'Say what happened ("{plain}") and ask what made it harder to {verb} at the time.'


BLAME = "It judges the person rather than describing what happened and why it made sense then."
COUNTERFACTUAL = "It imagines a different past, which hindsight makes look easier than it was."
OUTCOME = "It reads the outcome back into the decision: outcome bias."
EXPECTED_AT_THE_TIME = (
    'Say what was expected at the time and where that expectation came from ("the procedure then asked '
    'for …"), then what made it hard to do.'
)

_RULES = (
    _Rule(
        "failed_to",
        _rx(r"(?:failed|fails|failing|neglected|neglects)\s+to\s+(?P<verb>[a-z]+)"),
        BLAME,
        _did_not,
    ),
    _Rule(
        "should_have", _rx(r"(?:should(?:\s+not|n't)?\s+have|should've)"), COUNTERFACTUAL, _fixed(EXPECTED_AT_THE_TIME)
    ),
    _Rule("ought_to_have", _rx(r"ought\s+(?:not\s+)?to\s+have"), COUNTERFACTUAL, _fixed(EXPECTED_AT_THE_TIME)),
    _Rule(
        "clearly_should",
        _rx(r"clearly\s+(?:should|ought|needed)"),
        COUNTERFACTUAL,
        _fixed('Leave out "clearly" and say what the expectation was at the time, and what stood in its way.'),
    ),
    _Rule(
        "missed_opportunity",
        _rx(r"missed\s+(?:(?:an?|the|many|several|two|three|other|further|key|important)\s+)*opportunit(?:y|ies)"),
        COUNTERFACTUAL,
        _fixed(
            'Describe what happened and what was known then: "the concern was not discussed with health '
            'visiting; at that point the school saw it as …".'
        ),
    ),
    _Rule(
        "missed_signs",
        _rx(r"missed\s+(?:the\s+|all\s+the\s+)?(?:warning\s+)?(?:signs|signals|red\s+flags|cues)"),
        COUNTERFACTUAL,
        _fixed("Say what information was there, who had it, and how it looked among everything else at the time."),
    ),
    _Rule(
        "it_was_obvious",
        _rx(r"it\s+(?:was|is|should\s+have\s+been|must\s+have\s+been)\s+(?:obvious|clear|evident)"),
        OUTCOME,
        _fixed("Ask whether it was obvious then, to them, with what they knew; say what made it hard to see."),
    ),
    _Rule(
        "obviously",
        _rx(r"obviously"),
        OUTCOME,
        _fixed("Leave it out, or say what information there was and how it looked at the time."),
    ),
    _Rule(
        "could_have_prevented",
        _rx(
            r"(?:could|would|might)\s+(?:well\s+)?have\s+(?:been\s+)?(?:prevented|avoided|stopped)"
            r"|(?:could|would)\s+not\s+have\s+happened|preventable"
        ),
        OUTCOME,
        _fixed(
            "Leave the outcome out of the appraisal: say how practice compared with what was expected at the "
            "time, and how certain that judgement is."
        ),
    ),
    _Rule(
        "if_only",
        _rx(r"if\s+only"),
        COUNTERFACTUAL,
        _fixed("Say what happened and what made the other course hard to take at the time."),
    ),
    _Rule(
        "negligent",
        _rx(r"negligen(?:t|tly|ce)"),
        BLAME,
        _fixed(
            "A legal judgement, not a review's: describe the practice against what was expected at the time, and "
            "what in the system shaped it."
        ),
    ),
    _Rule(
        "inexcusable",
        _rx(r"(?:inexcusable|unforgivable|no\s+excuse)"),
        BLAME,
        _fixed("Describe the gap between what happened and what was expected, and explain it with the factors."),
    ),
    _Rule(
        "careless",
        _rx(r"(?:careless(?:ly|ness)?|incompeten(?:t|ce)|complacen(?:t|cy)|lazy|sloppy)"),
        BLAME,
        _fixed("Describe what the person did and what in their work (workload, tools, support) shaped it."),
    ),
    _Rule(
        "at_fault",
        _rx(r"(?:to\s+blame|at\s+fault|blameworthy|culpable)"),
        BLAME,
        _fixed("The review asks why it made sense at the time, not who is at fault: name the contributory factors."),
    ),
    _Rule(
        "hindsight",
        _rx(r"(?:with|in)\s+(?:the\s+benefit\s+of\s+)?hindsight"),
        OUTCOME,
        _fixed("Keep what was learned later apart from what was known then, and appraise on what was known then."),
    ),
)

PHRASES = tuple(rule.key for rule in _RULES)


def check(text: str) -> list[Flag]:
    """Every blaming or counterfactual phrase in `text`, in the order they appear.

    Where two phrases overlap ("clearly should have"), the one that starts first (or, from the same place, the
    longer) is kept, so that the flags never overlap and can be marked in the text.
    """
    found = []
    for rule in _RULES:
        for match in rule.pattern.finditer(text):
            found.append(
                Flag(
                    start=match.start(),
                    end=match.end(),
                    text=match.group(),
                    rule=rule.key,
                    why=rule.why,
                    suggestion=rule.suggest(match),
                )
            )
    kept: list[Flag] = []
    for flag in sorted(found, key=lambda flag: (flag.start, -flag.end)):
        if not kept or flag.start >= kept[-1].end:
            kept.append(flag)
    return kept


def segments(text: str, flags: list[Flag]) -> list[tuple[str, Flag | None]]:
    """The text cut into pieces, each either plain (None) or one flagged phrase: for marking the phrases."""
    pieces: list[tuple[str, Flag | None]] = []
    at = 0
    for flag in flags:
        if flag.start > at:
            pieces.append((text[at : flag.start], None))
        pieces.append((text[flag.start : flag.end], flag))
        at = flag.end
    if at < len(text):
        pieces.append((text[at:], None))
    return pieces
