"""The publication check: each kind of identifier it finds, where, with what fix; and what it must leave alone."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from weasyprint import HTML

from caseview.reports.check import Hit, UnreadableFile, check_document, check_text, nhs_number_valid
from caseview.reports.registry import Terms, check_terms
from caseview.reports.tests.helpers import registry_for
from conftest import Personas

pytestmark = pytest.mark.django_db


@pytest.fixture
def terms(personas: Personas) -> Terms:
    registry_for(personas)
    return check_terms(personas.review)


def _found(text: str, terms: Terms) -> list[tuple[str, str]]:
    return [(hit.kind, hit.text) for hit in check_text(text=text, terms=terms)]


def _one(text: str, terms: Terms) -> Hit:
    hits = check_text(text=text, terms=terms)
    assert len(hits) == 1, hits
    return hits[0]


def test_it_finds_a_registered_name_and_suggests_the_pseudonym(terms: Terms) -> None:
    hit = _one("The school spoke to Rosalind Brightwater that week.", terms)
    assert (hit.kind, hit.text) == ("name", "Rosalind Brightwater")
    assert hit.fix == "Use the pseudonym or position label: Mother"
    assert hit.where == "Line 1"
    assert "[Rosalind Brightwater]" in hit.context


def test_it_finds_a_name_in_any_case_and_across_a_line_break(terms: Terms) -> None:
    assert _found("KAYLA BRIGHTWATER was seen.\nLater Oona\nFeatherstonehaugh visited.", terms) == [
        ("name", "KAYLA BRIGHTWATER"),
        ("name", "Oona Featherstonehaugh"),
    ]


def test_it_finds_the_parts_of_a_name(terms: Terms) -> None:
    assert _found("Kayla said so. Oona wrote it down.", terms) == [("name", "Kayla"), ("name", "Oona")]


def test_it_offers_each_person_for_a_surname_they_share(terms: Terms) -> None:
    hit = _one("The Brightwater family moved.", terms)
    assert hit.fix == "Use the pseudonym or position label of the person meant: Child K or Mother"


def test_it_finds_registered_places_organisations_and_rare_details(terms: Terms) -> None:
    hits = check_text(
        text="They lived at 12 Quillon Close; she went to Hazelmere Primary. They were triplets.", terms=terms
    )
    assert [(hit.kind, hit.text, hit.fix) for hit in hits] == [
        ("place", "12 Quillon Close", "Use the generic description: the family home"),
        ("organisation", "Hazelmere Primary", "Use the generic description: the primary school"),
        ("rare_detail", "triplets", "Leave it out, or say instead: siblings"),
    ]


def test_it_finds_postcodes(terms: Terms) -> None:
    hit = _one("Letters went to WB4 2XT and nowhere else.", terms)
    assert (hit.kind, hit.text, hit.fix) == ("postcode", "WB4 2XT", "Remove the postcode")
    assert _found("Post to M1 1AE or EC1A 1BB.", terms) == [("postcode", "M1 1AE"), ("postcode", "EC1A 1BB")]


def test_it_finds_street_addresses(terms: Terms) -> None:
    hit = _one("The family moved to 21 Plover Road in May.", terms)
    assert (hit.kind, hit.text) == ("address", "21 Plover Road")
    assert _found("A flat at 4b Long Acre Street.", terms) == [("address", "4b Long Acre Street.")]


@pytest.mark.parametrize("written", ["943 476 5919", "943-476-5919", "9434765919"])
def test_it_finds_nhs_numbers_spaced_or_not(terms: Terms, written: str) -> None:
    hit = _one(f"Her NHS number is {written}.", terms)
    assert (hit.kind, hit.text, hit.fix) == ("nhs_number", written, "Remove the NHS number")


def test_it_checks_nhs_numbers_with_modulus_11() -> None:
    assert nhs_number_valid("9434765919")
    assert not nhs_number_valid("9434765918")
    assert not nhs_number_valid("1234567890")  # its check digit would be 10: no NHS number has it


@pytest.mark.parametrize("written", ["AB 12 34 56 C", "AB123456C", "JG103759A"])
def test_it_finds_national_insurance_numbers(terms: Terms, written: str) -> None:
    hit = _one(f"His number {written} was on the form.", terms)
    assert (hit.kind, hit.text) == ("ni_number", written)


@pytest.mark.parametrize(
    "written", ["01632 960123", "07700 900123", "+44 7700 900123", "(020) 7946 0958", "0300 123 4567"]
)
def test_it_finds_phone_numbers(terms: Terms, written: str) -> None:
    hit = _one(f"Call {written} today.", terms)
    assert (hit.kind, hit.text, hit.fix) == ("phone", written, "Remove the phone number")


def test_it_finds_email_addresses(terms: Terms) -> None:
    hit = _one("She wrote to family.worker@westbrook.example.org on Monday.", terms)
    assert (hit.kind, hit.text) == ("email", "family.worker@westbrook.example.org")


@pytest.mark.parametrize(
    "sentence", ["Baby J was born on 22 April 2025.", "DOB: 22/04/2025", "Date of birth 2025-04-22"]
)
def test_it_finds_dates_of_birth(terms: Terms, sentence: str) -> None:
    hit = _one(sentence, terms)
    assert hit.kind == "date_of_birth"
    assert hit.fix == "Remove the date of birth; give an age if it matters"


@pytest.mark.parametrize(
    ("sentence", "found", "fix"),
    [
        ("On 4 March 2019 the visit happened.", "4 March 2019", "Use the month and year only: March 2019"),
        ("On 04/03/2019 the visit happened.", "04/03/2019", "Use the month and year only: March 2019"),
        ("On 3rd April 2019 the visit happened.", "3rd April 2019", "Use the month and year only: April 2019"),
        ("On June 5th, 2025 the visit happened.", "June 5th, 2025", "Use the month and year only: June 2025"),
        ("On 4 March they met again.", "4 March", "Use the month only: March"),
    ],
)
def test_it_finds_exact_dates_and_suggests_the_month(terms: Terms, sentence: str, found: str, fix: str) -> None:
    hit = _one(sentence, terms)
    assert (hit.kind, hit.text, hit.fix) == ("exact_date", found, fix)


def test_it_finds_school_and_surgery_names(terms: Terms) -> None:
    hits = check_text(
        text="She moved from Oakfield Junior School to St Anne's Academy; the family used Brook Lane Surgery, "
        "Riverside Medical Practice and Westgate Health Centre. Her brother went to Little Acorns Nursery.",
        terms=terms,
    )
    assert [(hit.kind, hit.text) for hit in hits] == [
        ("organisation", "Oakfield Junior School"),
        ("organisation", "St Anne's Academy"),
        ("organisation", "Brook Lane Surgery"),
        ("organisation", "Riverside Medical Practice"),
        ("organisation", "Westgate Health Centre"),
        ("organisation", "Little Acorns Nursery"),
    ]
    assert hits[2].fix == "Use a generic description, like “the GP practice”"


def test_it_leaves_alone_what_may_be_published(terms: Terms) -> None:
    text = (
        "Child K and her Mother were seen by Health visitor 1 at the family home. The primary school told the GP "
        "practice in March 2019; during 2019 nothing changed. The Primary School and the primary school logged it. "
        "Each School in the area. A reference 1234567890 failed the check. Option 4 may be best. In March 12 people "
        "met. Finding 3.4.1 stands. A bright water feature; kayla is not capitalised as a name. Eleven visits that "
        "day; section 47 enquiries; 38 notifications; the London Road office."
    )
    assert check_text(text=text, terms=terms) == []


def test_it_does_not_flag_a_name_part_inside_a_position_label(personas: Personas) -> None:
    from caseview.reviews import services
    from caseview.reviews.models import Membership

    membership = Membership.objects.get(review=personas.review, user=personas.reviewer)
    membership.delete()
    personas.reviewer.full_name = "Designated Okonjo"
    personas.reviewer.save()
    services.membership_add(
        review=personas.review,
        user=personas.reviewer,
        role="review_team",
        position="Designated nurse",
        by=personas.admin,
        origin=__import__("conftest").TEST_ORIGIN,
    )
    terms = check_terms(personas.review)
    assert _found("The Designated nurse agreed. Designated Okonjo wrote it.", terms) == [("name", "Designated Okonjo")]
    assert _found("Designated Okonjo's colleague; Okonjo said so.", terms) == [
        ("name", "Designated Okonjo"),
        ("name", "Okonjo"),
    ]


# --- files --------------------------------------------------------------------------------------------------


def _docx() -> bytes:
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "Draft for Rosalind Brightwater"
    document.add_heading("Background", level=1)
    document.add_paragraph("The family is known to several services.")
    document.add_paragraph("Kayla went to Hazelmere Primary School.")
    document.add_heading("Chronology", level=1)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Date"
    table.cell(0, 1).text = "What happened"
    table.cell(1, 0).text = "04/03/2019"
    table.cell(1, 1).text = "Home visit"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_it_reads_a_word_document_with_paragraphs_tables_and_headers(terms: Terms) -> None:
    kind, hits = check_document(data=_docx(), terms=terms)
    assert kind == "docx"
    assert [(hit.kind, hit.text, hit.where) for hit in hits] == [
        ("name", "Kayla", "Paragraph 3, under “Background”"),
        ("organisation", "Hazelmere Primary School", "Paragraph 3, under “Background”"),
        ("exact_date", "04/03/2019", "Table 1, row 2, column 1, under “Chronology”"),
        ("name", "Rosalind Brightwater", "Header of section 1"),
    ]


_NAMESPACES = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml"'
)


def _word_with_hidden_corners() -> bytes:
    """A Word document with names where body paragraphs do not show them: tracked changes (and their author),
    a text box (drawn twice, as Word does, for newer and older readers), a table inside a cell, a comment, a
    footnote, an even-page header and the document's properties."""
    document = docx.Document()
    document.core_properties.author = "Oona Featherstonehaugh"
    document.settings.odd_and_even_pages_header_footer = True
    document.sections[0].even_page_header.paragraphs[0].text = "Copy for Quillon Close"
    paragraph = document.add_paragraph("Reviewed by the team.")
    document.add_comment(paragraph.runs, text="Ask Rosalind about this", author="A reviewer", initials="AR")
    outer = document.add_table(rows=1, cols=1)
    outer.cell(0, 0).add_table(rows=1, cols=1).cell(0, 0).text = "Inner cell: Hazelmere Primary"
    buffer = io.BytesIO()
    document.save(buffer)
    box = "<w:txbxContent><w:p><w:r><w:t>Box: Kayla</w:t></w:r></w:p></w:txbxContent>"
    extra = (
        f'<w:p {_NAMESPACES}><w:ins w:id="91" w:author="Oona Featherstonehaugh" w:date="2026-01-01T00:00:00Z">'
        "<w:r><w:t>Added </w:t></w:r></w:ins>"
        '<w:del w:id="92" w:author="A reviewer" w:date="2026-01-01T00:00:00Z"><w:r><w:delText>Brightwater</w:delText>'
        "</w:r></w:del><w:r><w:t> text</w:t></w:r></w:p>"
        f'<w:p {_NAMESPACES}><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx>{box}'
        f"</wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict><v:textbox>{box}</v:textbox></w:pict>"
        '</mc:Fallback></mc:AlternateContent></w:r><w:r><w:footnoteReference w:id="1"/></w:r></w:p>'
    )
    footnotes = (
        f"<w:footnotes {_NAMESPACES}>"
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:id="1"><w:p><w:r><w:t>Told by 07700 900123.</w:t></w:r></w:p></w:footnote></w:footnotes>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            if not item.filename.endswith((".xml", ".rels")):
                target.writestr(item, source.read(item.filename))
                continue
            data = source.read(item.filename).decode()
            if item.filename == "word/document.xml":
                data = data.replace("<w:sectPr", extra + "<w:sectPr", 1)
            elif item.filename == "word/_rels/document.xml.rels":
                data = data.replace(
                    "</Relationships>",
                    '<Relationship Id="rIdNotes" Target="footnotes.xml" Type="http://schemas.openxmlformats.org'
                    '/officeDocument/2006/relationships/footnotes"/></Relationships>',
                )
            elif item.filename == "[Content_Types].xml":
                data = data.replace(
                    "</Types>",
                    '<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-'
                    'officedocument.wordprocessingml.footnotes+xml"/></Types>',
                )
            target.writestr(item, data)
        target.writestr("word/footnotes.xml", footnotes)
    return out.getvalue()


def test_it_reads_every_corner_of_a_word_document_where_a_name_can_hide(terms: Terms) -> None:
    kind, hits = check_document(data=_word_with_hidden_corners(), terms=terms)
    assert kind == "docx"
    assert sorted((hit.kind, hit.text, hit.where) for hit in hits) == sorted(
        [
            ("name", "Brightwater", "Paragraph 2"),
            ("name", "Kayla", "Text box 1"),
            ("organisation", "Hazelmere Primary", "Table 1, row 1, column 1"),
            ("name", "Oona Featherstonehaugh", "Tracked changes in the body, made by"),
            ("place", "Quillon Close", "Even-page header of section 1"),
            ("name", "Rosalind", "Comment 1"),
            ("phone", "07700 900123", "Footnote 1"),
            ("name", "Oona Featherstonehaugh", "Document properties, author"),
        ]
    )


def test_it_reads_a_pdf_page_by_page(terms: Terms) -> None:
    pdf = HTML(
        string="<p>The report.</p><p style='page-break-before: always'>Page two</p><p>Call 07700 900123.</p>"
    ).write_pdf()
    kind, hits = check_document(data=pdf, terms=terms)
    assert kind == "pdf"
    assert [(hit.kind, hit.text, hit.where) for hit in hits] == [("phone", "07700 900123", "Page 2, line 2")]


def test_it_reads_a_web_page_skipping_scripts(terms: Terms) -> None:
    page = (
        b"<!doctype html><html><head><title>Child K</title><style>p{}</style>"
        b"<script>var name = 'Kayla Brightwater';</script></head><body><h1>Findings</h1>"
        b"<p>Nothing here.</p><p>Email <a href='#'>k@example.org</a> please.</p>"
        b"<img src='x.png' alt='Drawing by Kayla'></body></html>"
    )
    kind, hits = check_document(data=page, terms=terms)
    assert kind == "html"
    assert [(hit.kind, hit.text, hit.where) for hit in hits] == [
        ("email", "k@example.org", "Paragraph 2, under “Findings”"),
        ("name", "Kayla", "Image description, under “Findings”"),
    ]


def test_it_reads_plain_text_by_line(terms: Terms) -> None:
    kind, hits = check_document(data=b"Line one.\nLine two with WB4 2XT.\n", terms=terms)
    assert kind == "text"
    assert [(hit.kind, hit.where) for hit in hits] == [("postcode", "Line 2")]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a Word document, PDF, web page or plain text file"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 50, "old-style Word document"),
        (b"PK\x03\x04" + b"\x00" * 50, "damaged"),
        (b"", "empty"),
        (b"%PDF-1.7\nnot really", "could not be read as a PDF"),
    ],
)
def test_it_refuses_files_it_cannot_read_with_a_clear_message(terms: Terms, data: bytes, message: str) -> None:
    with pytest.raises(UnreadableFile, match=message):
        check_document(data=data, terms=terms)


def test_it_keeps_a_web_paragraph_with_line_breaks_together(terms: Terms) -> None:
    kind, hits = check_document(data=b"<p>Seen: Kayla<br>Brightwater.</p><p>Then WB4 2XT.</p>", terms=terms)
    assert kind == "html"
    assert [(hit.text, hit.where) for hit in hits] == [("Kayla Brightwater", "Paragraph 1"), ("WB4 2XT", "Paragraph 2")]
