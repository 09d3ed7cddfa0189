"""caseview's wording of the six letters, placeholders, and rendering to HTML, Word and PDF."""

from __future__ import annotations

import io

import docx
import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from caseview.conversations import letters
from caseview.conversations.letters import DEFAULT_WORDING, PLACEHOLDERS, Wording
from caseview.conversations.models import Audience, LetterKind

SIX = list(DEFAULT_WORDING)
VALUES = {name: f"[{name}]" for name in PLACEHOLDERS} | {"participant_name": "Leanne Marsh"}


def _filled(kind: str, audience: str) -> Wording:
    wording = DEFAULT_WORDING[(kind, audience)]
    return Wording(letters.fill(wording.subject, VALUES), letters.fill(wording.body, VALUES))


def _text(wording: Wording) -> str:
    return " ".join(f"{wording.subject} {wording.body}".split())


def _pdf_text(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())


def test_there_are_six_letters_two_kinds_for_three_audiences() -> None:
    assert set(DEFAULT_WORDING) == {(kind, audience) for kind in LetterKind.values for audience in Audience.values}


@pytest.mark.parametrize(("kind", "audience"), SIX)
def test_caseviews_wording_uses_only_known_placeholders_and_greets_the_person(kind: str, audience: str) -> None:
    wording = DEFAULT_WORDING[(kind, audience)]
    letters.check_wording(subject=wording.subject, body=wording.body)
    assert "{participant_name}" in wording.body
    assert "{support_contact}" in wording.body
    assert "{conversation_date}" in wording.body


def test_the_introductory_letter_to_practitioners_explains_the_systems_approach() -> None:
    text = _text(_filled(LetterKind.INTRODUCTION, Audience.PRACTITIONER))
    assert "systems approach" in text
    assert "does not sit in judgement" in text
    assert "made sense at the time" in text
    assert "what works well" in text
    table = next(
        block
        for block in letters.parse(DEFAULT_WORDING[("introduction", "practitioner")].body)
        if block.kind == "table"
    )
    assert table.rows[0] == ["A traditional review", "A systems review"]
    assert len(table.rows) == 5 and all(len(row) == 2 for row in table.rows)
    for part in ("one-to-one conversation", "case group", "Timetable", "Support"):
        assert part in text


def test_the_briefing_for_practitioners_covers_what_appendix_2_asks() -> None:
    text = _text(_filled(LetterKind.BRIEFING, Audience.PRACTITIONER))
    assert "not criticism and it is not blame" in text
    assert "interim report" in text and "final report" in text
    assert "confidential within the group" in text
    assert "described by their position" in text
    assert "does not name the town" in text
    assert "pseudonyms" in text
    assert "record the conversation" in text and "correct them" in text
    assert "you will be called [participant_label]" in text


@pytest.mark.parametrize("kind", LetterKind.values)
def test_letters_to_parents_say_they_can_bring_someone_stop_and_lose_nothing(kind: str) -> None:
    text = _text(_filled(kind, Audience.FAMILY))
    assert "bring someone with you" in text
    assert "stop" in text
    assert "will not change the services or support" in text


def _sentence_lengths(wording: Wording) -> list[int]:
    lines = [line for block in letters.parse(wording.body) for line in block.lines]
    sentences = [s for line in lines for s in line.replace("!", ".").replace("?", ".").split(".") if s.strip()]
    return [len(sentence.split()) for sentence in sentences]


@pytest.mark.parametrize("kind", LetterKind.values)
def test_letters_to_children_are_short_and_say_who_to_talk_to(kind: str) -> None:
    child = _sentence_lengths(DEFAULT_WORDING[(kind, Audience.CHILD)])
    practitioner = _sentence_lengths(DEFAULT_WORDING[(kind, Audience.PRACTITIONER)])
    assert max(child) <= 18
    assert sum(child) / len(child) < 0.6 * sum(practitioner) / len(practitioner)
    assert sum(child) < 0.6 * sum(practitioner)
    text = _text(_filled(kind, Audience.CHILD))
    assert "talk to [support_contact]" in text
    assert "Childline" in text
    assert "stop when you want" in text


def test_unknown_placeholders_are_refused_with_the_known_ones_listed() -> None:
    with pytest.raises(ValidationError) as caught:
        letters.check_wording(subject="Hello {first_name}", body="Dear {participant_name}, {Review title} {__class__}")
    errors = caught.value.message_dict
    assert "{first_name}" in errors["subject"][0]
    assert "{Review title}" in errors["body"][0] and "{__class__}" in errors["body"][0]


def test_filling_never_evaluates_anything() -> None:
    text = "{participant_name.__class__} {0} {participant_name!r} {participant_name}"
    assert letters.fill(text, {"participant_name": "Mother"}) == (
        "{participant_name.__class__} {0} {participant_name!r} Mother"
    )


def test_a_value_is_one_line_of_text_that_cannot_add_structure() -> None:
    filled = letters.fill("Dear {participant_name},", {"participant_name": "Mother\n\n## Injected\x00\x0b"})
    assert filled == "Dear Mother ## Injected,"
    assert [block.kind for block in letters.parse(filled)] == ["paragraph"]


def test_parse_reads_headings_paragraphs_lists_and_tables() -> None:
    blocks = letters.parse("Dear you,\nline two\n\n## Heading\n- one\n- two\n\n| a | b |\n| c |\nLast")
    assert [(block.kind, block.lines or block.rows) for block in blocks] == [
        ("paragraph", ["Dear you,", "line two"]),
        ("heading", ["Heading"]),
        ("list", ["one", "two"]),
        ("table", [["a", "b"], ["c", ""]]),
        ("paragraph", ["Last"]),
    ]


def test_html_escapes_everything_it_is_given() -> None:
    wording = Wording("<b>Subject</b>", "Dear <script>alert(1)</script>,\n\n## <i>Heading</i>\n- <u>item</u>\n| <x> |")
    out = letters.html(wording, audience=Audience.FAMILY)
    assert "<script>" not in out and "<b>" not in out and "<i>" not in out and "<u>" not in out and "<x>" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "<h1" in out and "<h2" in out and "<li>" in out and "<th" in out


@pytest.mark.parametrize(("kind", "audience"), SIX)
def test_each_letter_renders_as_a_word_document(kind: str, audience: str) -> None:
    wording = _filled(kind, audience)
    document = docx.Document(io.BytesIO(letters.docx_bytes(wording, audience=audience, title="CK2019 letter")))
    paragraphs = document.paragraphs
    assert paragraphs[0].style is not None and paragraphs[0].style.name == "Heading 1"
    assert paragraphs[0].text == wording.subject
    headings = [p.text for p in paragraphs if p.style is not None and p.style.name == "Heading 2"]
    assert headings == [b.lines[0] for b in letters.parse(wording.body) if b.kind == "heading"]
    text = "\n".join(p.text for p in paragraphs)
    assert "Leanne Marsh" in text
    assert "[participant_label]" in text or kind == LetterKind.INTRODUCTION
    assert any(p.style is not None and p.style.name == "List Bullet" for p in paragraphs)
    assert document.core_properties.title == "CK2019 letter"


@pytest.mark.parametrize(("kind", "audience"), SIX)
def test_each_letter_renders_as_a_pdf(kind: str, audience: str) -> None:
    wording = _filled(kind, audience)
    content = letters.pdf_bytes(wording, audience=audience, title="CK2019 letter")
    assert content.startswith(b"%PDF")
    text = _pdf_text(content)
    assert wording.subject in text
    assert "Leanne Marsh" in text
    first_heading = next(b.lines[0] for b in letters.parse(wording.body) if b.kind == "heading")
    assert first_heading in text


def test_letters_to_children_use_larger_type() -> None:
    wording = _filled(LetterKind.INTRODUCTION, Audience.PRACTITIONER)
    child = docx.Document(io.BytesIO(letters.docx_bytes(wording, audience=Audience.CHILD, title="t")))
    adult = docx.Document(io.BytesIO(letters.docx_bytes(wording, audience=Audience.PRACTITIONER, title="t")))
    child_size = child.styles["Normal"].font.size
    adult_size = adult.styles["Normal"].font.size
    assert child_size is not None and adult_size is not None and child_size.pt > adult_size.pt
    # The same words take more pages when printed for a child.
    pages = {
        audience: len(PdfReader(io.BytesIO(letters.pdf_bytes(wording, audience=audience, title="t"))).pages)
        for audience in (Audience.CHILD, Audience.PRACTITIONER)
    }
    assert pages[Audience.CHILD] > pages[Audience.PRACTITIONER]
