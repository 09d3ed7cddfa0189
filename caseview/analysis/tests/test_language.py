"""The language check: blaming and counterfactual phrases found where they are, with a suggestion each, and
nothing found inside other words."""

from __future__ import annotations

import pytest

from caseview.analysis.language import PHRASES, check, segments


@pytest.mark.parametrize(
    ("text", "phrase", "rule"),
    [
        ("The health visitor failed to refer the bruise.", "failed to refer", "failed_to"),
        ("She FAILED TO consult the lead.", "FAILED TO consult", "failed_to"),
        ("The worker neglected to record it.", "neglected to record", "failed_to"),
        ("MASH should have held a strategy discussion.", "should have", "should_have"),
        ("They shouldn't have closed the case.", "shouldn't have", "should_have"),
        ("The GP should've asked.", "should've", "should_have"),
        ("The school missed the opportunity to refer.", "missed the opportunity", "missed_opportunity"),
        ("There were missed opportunities throughout.", "missed opportunities", "missed_opportunity"),
        ("Agencies missed several key opportunities.", "missed several key opportunities", "missed_opportunity"),
        ("Staff missed the warning signs.", "missed the warning signs", "missed_signs"),
        ("It was obvious that the baby was at risk.", "It was obvious", "it_was_obvious"),
        ("It should have been clear to everyone.", "It should have been clear", "it_was_obvious"),
        ("Obviously the form was wrong.", "Obviously", "obviously"),
        ("The manager clearly should intervene.", "clearly should", "clearly_should"),
        ("That was negligent.", "negligent", "negligent"),
        ("This was negligence by the service.", "negligence", "negligent"),
        ("The injury could have been prevented.", "could have been prevented", "could_have_prevented"),
        ("It would not have happened otherwise.", "would not have happened", "could_have_prevented"),
        ("The death was preventable.", "preventable", "could_have_prevented"),
        ("If only someone had asked.", "If only", "if_only"),
        ("They ought to have visited.", "ought to have", "ought_to_have"),
        ("The delay was inexcusable.", "inexcusable", "inexcusable"),
        ("There is no excuse for this.", "no excuse", "inexcusable"),
        ("A careless assessment.", "careless", "careless"),
        ("Nobody is to blame, but", "to blame", "at_fault"),
        ("With hindsight, the bruise mattered.", "With hindsight", "hindsight"),
        ("In hindsight it looked different.", "In hindsight", "hindsight"),
    ],
)
def test_it_finds_the_phrase_where_it_is_with_a_suggestion(text: str, phrase: str, rule: str) -> None:
    flags = check(text)
    assert len(flags) == 1, flags
    flag = flags[0]
    assert flag.rule == rule
    assert flag.text == phrase
    assert text[flag.start : flag.end] == phrase
    assert flag.suggestion and flag.why


def test_it_says_how_to_put_a_failure_with_the_verb_used() -> None:
    (flag,) = check("The health visitor failed to refer.")
    assert flag.suggestion == ('Say what happened ("did not refer") and ask what made it harder to refer at the time.')
    (flag,) = check("The baby failed to be seen.")
    assert '"was not"' in flag.suggestion


def test_it_finds_every_phrase_in_a_longer_text_in_order() -> None:
    text = "Obviously the GP should have known. If only the nurse had not failed to call."
    flags = check(text)
    assert [flag.rule for flag in flags] == ["obviously", "should_have", "if_only", "failed_to"]
    assert [text[flag.start : flag.end] for flag in flags] == ["Obviously", "should have", "If only", "failed to call"]
    assert [flag.start for flag in flags] == [0, 17, 36, 62]


@pytest.mark.parametrize(
    "text",
    [
        "The risk was non-negligible.",  # negligible is not negligent
        "She carried the bag on her shoulder, having walked.",  # shoulder
        "The should haven't word is not a phrase.",  # "should haven't" is not "should have"
        "A failedtoload error appeared.",
        "The obviousness of hindsightful reasoning.",
        "The unpreventable fall; ifonly.",
        "Preventability was discussed.",
        "The health visitor did not refer; the protocol was unclear.",
        "",
    ],
)
def test_it_does_not_flag_other_words_that_contain_a_phrase(text: str) -> None:
    assert check(text) == []


def test_overlapping_phrases_are_flagged_once_so_they_can_be_marked() -> None:
    text = "The manager clearly should have stepped in."
    flags = check(text)
    assert [flag.text for flag in flags] == ["clearly should"]
    pieces = segments(text, flags)
    assert "".join(piece for piece, _ in pieces) == text
    assert [(piece, flag.rule if flag else None) for piece, flag in pieces] == [
        ("The manager ", None),
        ("clearly should", "clearly_should"),
        (" have stepped in.", None),
    ]


def test_it_knows_the_phrases_the_issue_names() -> None:
    for rule in (
        "failed_to",
        "should_have",
        "missed_opportunity",
        "it_was_obvious",
        "obviously",
        "negligent",
        "could_have_prevented",
        "if_only",
        "ought_to_have",
        "inexcusable",
        "clearly_should",
    ):
        assert rule in PHRASES


def test_the_module_stands_without_django() -> None:
    import ast
    from pathlib import Path

    import caseview.analysis.language as language

    tree = ast.parse(Path(language.__file__).read_text())
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not any(name.startswith("django") or name.startswith("caseview") for name in imported)
