"""The publication check: what in a public report could still identify someone.

A document (Word, PDF, web page or plain text) is read into segments, each with its place in the document
(page and line, paragraph and nearest heading, table cell). The segments are joined and scanned once by each
detector: the registry's real names and their parts, places, organisations and rare details (one pattern for
them all), and patterns for postcodes, street addresses, NHS numbers, National Insurance numbers, phone
numbers, email addresses, dates of birth, exact dates, and school and surgery names. Each hit says where it
is and how to fix it.
"""

from __future__ import annotations

import bisect
import datetime as dt
import io
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from html.parser import HTMLParser
from typing import Any

from caseview.reports.models import EntryKind
from caseview.reports.registry import Terms, normalised

MAX_FILE_BYTES = 20 * 1024 * 1024

KIND_LABELS = {
    "name": "Name of a person",
    "place": "Place",
    "organisation": "Organisation",
    "rare_detail": "Rare detail",
    "postcode": "Postcode",
    "address": "Street address",
    "nhs_number": "NHS number",
    "ni_number": "National Insurance number",
    "phone": "Phone number",
    "email": "Email address",
    "date_of_birth": "Date of birth",
    "exact_date": "Exact date",
}
FILE_TYPES = {"docx": "Word document", "pdf": "PDF", "html": "Web page", "text": "Plain text"}

# Between segments: matches no pattern's letters, digits or spaces, so no hit spans two segments.
_JOIN = "\x00"


class UnreadableFile(Exception):
    """The file is not a Word document, PDF, web page or text file caseview can read; the message says why."""


@dataclass(frozen=True)
class Segment:
    """A stretch of a document's text and where it is; `by_line` adds the line within it to each hit."""

    text: str
    where: str
    by_line: bool = False


@dataclass(frozen=True)
class Hit:
    kind: str
    text: str
    where: str
    context: str
    fix: str

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def key(self) -> tuple[str, str]:
        """What an override matches: the kind and the text, normalised."""
        return override_key(self.kind, self.text)

    def as_dict(self) -> dict[str, str]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Hit:
        return cls(**{name: str(data.get(name, "")) for name in ("kind", "text", "where", "context", "fix")})


def override_key(kind: str, text: str) -> tuple[str, str]:
    """Numbers compare without their spaces and hyphens; words without case or extra spaces."""
    if kind in {"nhs_number", "ni_number", "phone", "postcode"}:
        return kind, re.sub(r"[\s()-]", "", text).casefold()
    return kind, normalised(text)


# --- reading documents ---------------------------------------------------------------------------------------


def sniff(data: bytes) -> str:
    """The file's type from its content (never its name): docx, pdf, html or text."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                if "word/document.xml" in archive.namelist():
                    return "docx"
        except zipfile.BadZipFile as exc:
            raise UnreadableFile("The file looks like a Word document but is damaged") from exc
        raise UnreadableFile("The file is a ZIP archive, not a Word document (.docx)")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnreadableFile("The file is an old-style Word document (.doc): save it as .docx and check that")
    if b"\x00" in data[:8192]:
        raise UnreadableFile("The file is not a Word document, PDF, web page or plain text file")
    head = _decode(data[:4096]).lstrip("\ufeff \t\r\n").lower()
    if head.startswith(("<!doctype html", "<html")) or re.search(r"<(?:body|p|h[1-6]|div|table)\b", head):
        return "html"
    return "text"


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_document(data: bytes) -> tuple[str, list[Segment]]:
    """The file's type and its text in segments. Raises UnreadableFile for anything else."""
    if len(data) > MAX_FILE_BYTES:
        raise UnreadableFile(f"The file is larger than the {MAX_FILE_BYTES // 1_048_576} MB limit")
    if not data:
        raise UnreadableFile("The file is empty")
    kind = sniff(data)
    readers: dict[str, Callable[[bytes], list[Segment]]] = {
        "docx": docx_segments,
        "pdf": pdf_segments,
        "html": html_segments,
        "text": text_segments,
    }
    return kind, readers[kind](data)


def text_segments(data: bytes) -> list[Segment]:
    return [Segment(_decode(data), "", by_line=True)]


def pdf_segments(data: bytes) -> list[Segment]:
    """Each page's text, from poppler's pdftotext."""
    program = shutil.which("pdftotext")
    if program is None:
        raise UnreadableFile("PDFs cannot be read on this server: it needs pdftotext (Debian's poppler-utils)")
    try:
        result = subprocess.run(  # noqa: S603 - our own fixed arguments; the file goes in on standard input
            [program, "-q", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, timeout=300, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise UnreadableFile("The PDF took too long to read") from exc
    if result.returncode != 0:
        raise UnreadableFile("The file could not be read as a PDF: it may be damaged or protected by a password")
    pages = result.stdout.decode("utf-8", errors="replace").split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return [Segment(page, f"Page {number}", by_line=True) for number, page in enumerate(pages, 1)]


def docx_segments(data: bytes) -> list[Segment]:
    """Everything a Word document holds that a reader (or anyone opening the file) could see: body paragraphs
    and table cells in document order, each with its number and nearest heading, text boxes, then headers and
    footers, footnotes, endnotes, comments, and the document's properties. Tracked changes are read too, the
    deleted text with them, and the names of whoever made them: "accept all changes" may not have been done."""
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds for a damaged package
        raise UnreadableFile("The file could not be read as a Word document: it may be damaged") from exc
    segments: list[Segment] = []
    heading = ""
    paragraphs = tables = 0

    def under() -> str:
        return f", under “{heading}”" if heading else ""

    body = document.element.body
    for child in body.iterchildren():
        tag = _local(child)
        if tag == "p":
            text = _word_text(child)
            if not text.strip():
                continue
            paragraphs += 1
            style = _paragraph_style(document, child)
            if style.startswith("Heading") or style == "Title":
                heading = text.strip()[:80]
                segments.append(Segment(text, f"Heading “{heading}”"))
            else:
                segments.append(Segment(text, f"Paragraph {paragraphs}{under()}"))
        elif tag == "tbl":
            tables += 1
            segments.extend(_table_segments(child, f"Table {tables}", under()))
    segments.extend(_text_boxes(body, "Text box"))
    segments.extend(_authors(body, "Tracked changes in the body"))
    places = _header_places(document)
    parts = sorted(document.part.package.iter_parts(), key=lambda part: str(part.partname))
    for part in parts:
        name = str(part.partname).rsplit("/", 1)[-1]
        match = _WORD_PARTS.fullmatch(name)
        if match is None or not str(part.partname).startswith("/word/"):
            continue
        # python-docx has already parsed the parts it knows (headers, footers, comments); the rest are bytes.
        root = part.element if hasattr(part, "element") else _xml(part.blob)
        label = places.get(str(part.partname)) or f"{_PART_LABELS[match['kind']]} ({name})"
        if match["kind"] in {"header", "footer"}:
            segments.extend(_part_segments(root, label))
        else:
            # Footnotes and endnotes with ids below 1 are the separators Word draws; the rest are numbered in order,
            # as Word shows them.
            counted = 0
            for note in root.iterchildren():
                note_id = note.get(_w("id"), "")
                if _local(note) not in {"footnote", "endnote", "comment"}:
                    continue
                if match["kind"] != "comments" and (not note_id.lstrip("-").isdigit() or int(note_id) < 1):
                    continue
                counted += 1
                where = f"{_PART_LABELS[match['kind']].rstrip('s')} {counted}"
                author = " ".join(filter(None, (note.get(_w("author")), note.get(_w("initials")))))
                text = "\n".join(filter(str.strip, (_word_text(p) for p in note.iter(_w("p")))))
                if author:
                    segments.append(Segment(author, f"{where}, its author"))
                if text.strip():
                    segments.append(Segment(text, where))
        segments.extend(_authors(root, f"Tracked changes in {label.lower()}"))
    properties = document.core_properties
    for label, value in (
        ("title", properties.title),
        ("subject", properties.subject),
        ("author", properties.author),
        ("last saved by", properties.last_modified_by),
        ("keywords", properties.keywords),
        ("comments", properties.comments),
        ("category", properties.category),
    ):
        if value and value.strip():
            segments.append(Segment(value, f"Document properties, {label}"))
    return segments


def _header_places(document: Any) -> dict[str, str]:
    """Each header and footer part by where Word shows it: "Header of section 1", "First-page footer of ..."."""
    places: dict[str, str] = {}
    for number, section in enumerate(document.sections, 1):
        for name, part in (
            ("Header", section.header),
            ("Footer", section.footer),
            ("First-page header", section.first_page_header),
            ("First-page footer", section.first_page_footer),
            ("Even-page header", section.even_page_header),
            ("Even-page footer", section.even_page_footer),
        ):
            if not part.is_linked_to_previous:
                places.setdefault(str(part.part.partname), f"{name} of section {number}")
    return places


_WORD_PARTS = re.compile(r"(?P<kind>header|footer|footnotes|endnotes|comments)(?P<number>\d*)\.xml")
_PART_LABELS = {
    "header": "Header",
    "footer": "Footer",
    "footnotes": "Footnotes",
    "endnotes": "Endnotes",
    "comments": "Comments",
}
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_TEXT = {"t", "delText"}
_BREAKS = {"br", "cr"}


def _w(name: str) -> str:
    return f"{{{_W}}}{name}"


def _local(element: Any) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _xml(blob: bytes) -> Any:
    from lxml import etree

    # No entities, no network: a document is read, never trusted.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        return etree.fromstring(blob, parser)
    except etree.XMLSyntaxError as exc:
        raise UnreadableFile("The Word document is damaged: one of its parts is not well-formed") from exc


def _word_text(element: Any) -> str:
    """The text under `element` as Word shows it, inserted and deleted text alike, leaving out text boxes (read
    on their own) and the copy Word keeps for older readers (mc:Fallback), which would repeat them."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        for child in node.iterchildren():
            tag = _local(child)
            if tag == "txbxContent" or (tag == "Fallback" and child.tag == f"{{{_MC}}}Fallback"):
                continue
            if tag in _TEXT and child.tag.startswith(f"{{{_W}}}"):
                parts.append(child.text or "")
            elif tag == "tab" and child.tag == _w("tab"):
                parts.append("\t")
            elif tag in _BREAKS and child.tag.startswith(f"{{{_W}}}"):
                parts.append("\n")
            elif tag == "p" and parts and child.tag == _w("p"):
                parts.append("\n")
                walk(child)
            else:
                walk(child)

    walk(element)
    return "".join(parts)


def _paragraph_style(document: Any, paragraph: Any) -> str:
    found = paragraph.find(f"{_w('pPr')}/{_w('pStyle')}")
    style_id = found.get(_w("val")) if found is not None else None
    if not style_id:
        return ""
    try:
        return str(document.styles.get_by_id(style_id, 1).name or "")  # 1: WD_STYLE_TYPE.PARAGRAPH
    except (KeyError, ValueError):
        return str(style_id)


def _table_segments(table: Any, name: str, under: str) -> Iterator[Segment]:
    # A cell's whole text: its paragraphs and any table inside it. A merged cell (gridSpan) is one w:tc.
    for row_number, row in enumerate(table.iterchildren(_w("tr")), 1):
        column_number = 1
        for cell in row.iterchildren(_w("tc")):
            text = _word_text(cell)
            if text.strip():
                yield Segment(text, f"{name}, row {row_number}, column {column_number}{under}")
            span = cell.find(f"{_w('tcPr')}/{_w('gridSpan')}")
            width = span.get(_w("val"), "") if span is not None else ""
            column_number += int(width) if width.isdigit() else 1


def _part_segments(root: Any, label: str) -> Iterator[Segment]:
    tables = 0
    for child in root.iterchildren():
        tag = _local(child)
        if tag == "p":
            text = _word_text(child)
            if text.strip():
                yield Segment(text, label)
        elif tag == "tbl":
            tables += 1
            yield from _table_segments(child, f"{label}, table {tables}", "")
    yield from _text_boxes(root, f"{label}, text box")


def _text_boxes(root: Any, label: str) -> Iterator[Segment]:
    number = 0
    for box in root.iter(_w("txbxContent")):
        if any(_local(a) == "Fallback" for a in box.iterancestors()):
            continue
        number += 1
        text = _word_text(box)
        if text.strip():
            yield Segment(text, f"{label} {number}")


def _authors(root: Any, label: str) -> Iterator[Segment]:
    """The names tracked changes are signed with (insertions, deletions, formatting changes)."""
    names = dict.fromkeys(
        author
        for change in root.iter(_w("ins"), _w("del"), _w("rPrChange"), _w("pPrChange"))
        if (author := change.get(_w("author")))
    )
    for name in names:
        yield Segment(name, f"{label}, made by")


_BLOCKS = {
    "p", "li", "td", "th", "dt", "dd", "div", "section", "article", "blockquote", "pre", "figcaption", "caption",
    "h1", "h2", "h3", "h4", "h5", "h6", "title", "tr", "table", "ul", "ol", "header", "footer", "main", "nav",
}  # fmt: skip
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_SKIPPED = {"script", "style", "noscript", "template"}


class _HtmlText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.segments: list[Segment] = []
        self.buffer: list[str] = []
        self.skipping = 0
        self.heading = ""
        self.paragraphs = 0
        self.in_heading = False
        self.in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.buffer.append("\n")
        elif tag in _SKIPPED:
            self.skipping += 1
        elif tag in _BLOCKS:
            self.flush()
            self.in_heading = tag in _HEADINGS
            self.in_title = tag == "title"
        if tag in {"img", "area", "input"}:
            for name, value in attrs:
                if name in {"alt", "title"} and value and value.strip():
                    self.segments.append(Segment(value, f"Image description{self.under()}"))

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCKS:
            self.flush()

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.buffer.append(data)

    def under(self) -> str:
        return f", under “{self.heading}”" if self.heading else ""

    def flush(self) -> None:
        text = "".join(self.buffer)
        self.buffer = []
        if not text.strip():
            return
        if self.in_title:
            self.segments.append(Segment(text, "Page title"))
        elif self.in_heading:
            self.heading = " ".join(text.split())[:80]
            self.segments.append(Segment(text, f"Heading “{self.heading}”"))
        else:
            self.paragraphs += 1
            self.segments.append(Segment(text, f"Paragraph {self.paragraphs}{self.under()}"))
        self.in_heading = self.in_title = False


def html_segments(data: bytes) -> list[Segment]:
    """Visible text block by block (scripts and styles skipped), and image descriptions."""
    parser = _HtmlText()
    parser.feed(_decode(data))
    parser.close()
    parser.flush()
    return parser.segments


# --- detectors -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Found:
    start: int
    end: int
    kind: str
    fix: str


_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
    "December",
)  # fmt: skip
_MONTH_NUMBER = {name.casefold(): number for number, name in enumerate(_MONTHS, 1)} | {
    name[:3].casefold(): number for number, name in enumerate(_MONTHS, 1)
}
_MONTH_NUMBER["sept"] = 9
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)"  # noqa: E501
_YEAR = r"(?:19|20)[0-9]{2}"

# Each pattern starts on its first character, with no look-behind: the scan starts it only where a run of
# digits begins (or a few letters before one), and checks what stands before it itself. One pass over the
# text finds the runs of digits; every number, date, phone number, postcode and address starts at one.
POSTCODE = re.compile(
    r"[A-PR-UWYZ](?:[0-9][0-9A-HJKPSTUW]?|[A-HK-Y][0-9][0-9ABEHMNPRVWXY]?) ?[0-9][ABD-HJLNP-UW-Z]{2}(?![A-Za-z0-9])"
)
ADDRESS = re.compile(
    r"[0-9]{1,4}[A-Za-z]?,?[ \t]+(?:[A-Z][a-z'’-]+[ \t]+){1,3}"
    r"(?:Road|Street|Avenue|Close|Lane|Drive|Way|Court|Crescent|Gardens|Place|Terrace|Grove|Row|Square|Mews|Walk|"
    r"Rise|Hill|View|Green|Parade|Rd|St|Ave)\b\.?"
)
NHS_NUMBER = re.compile(r"([0-9]{3})([ -]?)([0-9]{3})\2([0-9]{4})(?![0-9-])")
NI_NUMBER = re.compile(r"[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?[0-9]{2} ?[0-9]{2} ?[0-9]{2} ?[A-D](?![A-Za-z0-9])")
_NI_NEVER = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}
PHONE = re.compile(r"(?:\+44[ \t]?(?:\(0\)[ \t]?)?|\(0|0)[1237](?:[ \t)-]{0,2}[0-9]){8,9}(?![0-9])")
_EMAIL_DOMAIN = re.compile(r"@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_EMAIL_LOCAL = re.compile(r"[A-Za-z0-9._%+'-]+$")
DAY_MONTH = re.compile(
    rf"(?P<day>[0-9]{{1,2}})(?:st|nd|rd|th)?(?:[ \t]+of)?[ \t]+(?P<month>{_MONTH})\b\.?(?:,?[ \t]+(?P<year>{_YEAR})\b)?"
)
MONTH_DAY = re.compile(
    rf"(?P<month>{_MONTH})\.?[ \t]+(?P<day>[0-9]{{1,2}})"
    rf"(?:(?:st|nd|rd|th)\b(?:,?[ \t]+(?P<year>{_YEAR})\b)?|,?[ \t]+(?P<year2>{_YEAR})\b)"
)
_MONTH_BEFORE = re.compile(rf"(?<![A-Za-z]){_MONTH}\.?[ \t]+$")
NUMERIC_DATE = re.compile(
    r"(?P<day>[0-9]{1,2})(?P<sep>[/.-])(?P<month>[0-9]{1,2})(?P=sep)(?P<year>[0-9]{4}|[0-9]{2})(?![0-9/])"
)
ISO_DATE = re.compile(rf"(?P<year>{_YEAR})-(?P<month>[01][0-9])-(?P<day>[0-3][0-9])(?![0-9-])")
# Written as one digit then more, so that the engine skips to the next digit without trying each place.
_DIGITS = re.compile(r"[0-9][0-9]*")
_SENTENCE_END = re.compile(r"[.;!?\n]\s|\x00")
_BIRTH = re.compile(r"(?i)\b(?:born|birth|birthday|d\.?o\.?b)\b")
ORGANISATION_SUFFIX = re.compile(
    r"(?:School|Academy|Nursery|Surgery|Health Centre|Medical Practice|Medical Centre|Children['’]s Centre|"
    r"College|Hospital)\b"
)
_NAME_BEFORE = re.compile(r"(?:[A-Z][\w'’&-]*[ \t]+){1,5}$")
# Words that start a capitalised run without naming anything, and words every school or surgery shares.
_LEADING = {
    "the", "a", "an", "this", "that", "these", "those", "our", "her", "his", "their", "its", "at", "in", "on", "from",
    "to", "and", "of", "for", "with", "by", "local", "each", "every", "any", "one", "new", "same", "another",
}  # fmt: skip
_GENERIC = {
    "primary", "secondary", "junior", "infant", "infants", "high", "grammar", "community", "free", "special",
    "nursery", "general", "district", "children's", "children’s", "gp", "c", "e", "ce", "rc", "church", "england",
    "catholic", "independent", "state", "village", "city", "town", "county",
}  # fmt: skip
_ORGANISATION_FIX = {
    "School": "the school (or the primary school)",
    "Academy": "the school",
    "Nursery": "the nursery",
    "Surgery": "the GP practice",
    "Health Centre": "the health centre",
    "Medical Practice": "the GP practice",
    "Medical Centre": "the GP practice",
    "College": "the college",
    "Hospital": "the hospital",
    "Children's Centre": "the children's centre",
}


def nhs_number_valid(digits: str) -> bool:
    """The NHS number's modulus 11 check: weights 10 down to 2, and 11 minus the remainder as the check digit."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    remainder = sum(int(digit) * weight for digit, weight in zip(digits[:9], range(10, 1, -1), strict=True)) % 11
    check = 11 - remainder
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def _registry(text: str, terms: Terms) -> Iterator[_Found]:
    for start, end, term in terms.matches(text):
        if term.kind == EntryKind.PERSON:
            if len(term.replacements) == 1:
                fix = f"Use the pseudonym or position label: {term.replacement}"
            else:
                fix = "Use the pseudonym or position label of the person meant: " + _or(term.replacements)
            yield _Found(start, end, "name", fix)
        elif term.kind == EntryKind.RARE_DETAIL:
            yield _Found(start, end, "rare_detail", f"Leave it out, or say instead: {term.replacement}")
        else:
            yield _Found(start, end, term.kind, f"Use the generic description: {term.replacement}")


def _or(items: tuple[str, ...]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def _free(text: str, start: int, also: str = "") -> bool:
    """Whether nothing that belongs to the same word or number stands just before `start`."""
    if start <= 0:
        return start == 0
    char = text[start - 1]
    return not (char.isalnum() or char == "_" or char in also)


def _at_digits(text: str) -> Iterator[_Found]:
    """Everything that contains a number, found from where each run of digits begins. Cheap tests on the
    run and its neighbours decide which patterns are worth trying there."""
    for run in _DIGITS.finditer(text):
        start, end = run.span()
        length = end - start
        before = text[start - 1] if start else " "
        if length == 3 and _free(text, start, "-"):
            match = NHS_NUMBER.match(text, start)
            if match and nhs_number_valid(match.group(1) + match.group(3) + match.group(4)):
                yield _Found(start, match.end(), "nhs_number", "Remove the NHS number")
        if length == 10 and _free(text, start, "-") and nhs_number_valid(run.group()):
            yield _Found(start, end, "nhs_number", "Remove the NHS number")
        if text[start] == "0" or (before == "+" and run.group() == "44"):
            phone_start = start - 1 if before in "+(" else start
            if _free(text, phone_start, "+"):
                match = PHONE.match(text, phone_start)
                if match:
                    yield _Found(phone_start, match.end(), "phone", "Remove the phone number")
        if length <= 4 and _free(text, start):
            match = ADDRESS.match(text, start)
            if match:
                yield _Found(start, match.end(), "address", "Remove the address, or say “the family home” or similar")
        yield from _dates_at(text, start, end)
        if before.isupper() or before == " ":
            yield from _letters_before(text, start)


def _letters_before(text: str, start: int) -> Iterator[_Found]:
    """Postcodes and National Insurance numbers, which start with letters just before the digits."""
    for back in (2, 1):
        begin = start - back
        if begin >= 0 and text[begin].isupper() and _free(text, begin):
            match = POSTCODE.match(text, begin)
            if match:
                yield _Found(begin, match.end(), "postcode", "Remove the postcode")
                break
    for back in (3, 2):
        begin = start - back
        if begin >= 0 and text[begin].isupper() and _free(text, begin):
            match = NI_NUMBER.match(text, begin)
            if match and match.group()[:2] not in _NI_NEVER:
                yield _Found(begin, match.end(), "ni_number", "Remove the National Insurance number")
                break


def _dates_at(text: str, start: int, end: int) -> Iterator[_Found]:
    length = end - start
    after = text[end : end + 1]
    matches = []
    if after in {"/", ".", "-"} and _free(text, start, "/.-"):
        matches.append(NUMERIC_DATE.match(text, start) if length <= 2 else ISO_DATE.match(text, start))
    if length <= 2 and _free(text, start):
        matches.append(DAY_MONTH.match(text, start))
    if start >= 4 and text[start - 1] in " \t" and (text[start - 2].isalpha() or text[start - 2] == "."):
        month = _MONTH_BEFORE.search(text, max(0, start - 12), start)
        if month:
            matches.append(MONTH_DAY.match(text, month.start()))
    for match in matches:
        if match is not None:
            found = _date(text, match)
            if found:
                yield found


def _date(text: str, match: re.Match[str]) -> _Found | None:
    parts = match.groupdict()
    month_text = parts["month"]
    month = int(month_text) if month_text.isdigit() else _MONTH_NUMBER[month_text.casefold()]
    day = int(parts["day"])
    year_text = parts.get("year") or parts.get("year2")
    year = int(year_text) if year_text else None
    if year is not None and year < 100:
        year += 2000 if year < 70 else 1900
    try:
        dt.date(year or 2000, month, day)
    except ValueError:
        return None
    # Only the words just before the date, in the same sentence, say whose birth it is.
    before = _SENTENCE_END.split(text[max(0, match.start() - 40) : match.start()])[-1]
    if _BIRTH.search(before):
        return _Found(
            match.start(), match.end(), "date_of_birth", "Remove the date of birth; give an age if it matters"
        )
    month_name = _MONTHS[month - 1]
    fix = f"Use the month and year only: {month_name} {year}" if year else f"Use the month only: {month_name}"
    return _Found(match.start(), match.end(), "exact_date", fix)


def _emails(text: str) -> Iterator[_Found]:
    for match in _EMAIL_DOMAIN.finditer(text):
        local = _EMAIL_LOCAL.search(text, max(0, match.start() - 64), match.start())
        if local is not None:
            yield _Found(local.start(), match.end(), "email", "Remove the email address")


def _organisations(text: str) -> Iterator[_Found]:
    """School, surgery and similar names: capitalised words before the suffix, unless every one is generic."""
    for match in ORGANISATION_SUFFIX.finditer(text):
        if not _free(text, match.start()):
            continue
        before = _NAME_BEFORE.search(text, max(0, match.start() - 80), match.start())
        if before is None:
            continue
        words = list(re.finditer(r"\S+", before.group()))
        while words and words[0].group().casefold() in _LEADING:
            words.pop(0)
        if not [word for word in words if word.group().casefold() not in _GENERIC | _LEADING]:
            continue
        generic = _ORGANISATION_FIX.get(match.group().replace("’", "'"), "the school")
        yield _Found(
            before.start() + words[0].start(),
            match.end(),
            "organisation",
            f"Use a generic description, like “{generic}”",
        )


# The order decides between two hits of the same length on the same text: what the registry knows comes first.
def _detectors(terms: Terms) -> list[Callable[[str], Iterator[_Found]]]:
    return [lambda text: _registry(text, terms), _at_digits, _emails, _organisations]


def scan(segments: list[Segment], terms: Terms) -> list[Hit]:
    """Every hit in the segments, in document order. Where two hits overlap the longer one stands."""
    text = _JOIN.join(segment.text for segment in segments)
    starts = []
    offset = 0
    for segment in segments:
        starts.append(offset)
        offset += len(segment.text) + len(_JOIN)
    found: list[tuple[int, int, _Found]] = []
    for rank, detector in enumerate(_detectors(terms)):
        found.extend((-(item.end - item.start), rank, item) for item in detector(text))
    found.sort(key=lambda row: (row[0], row[1], row[2].start))
    taken: list[tuple[int, int]] = []
    kept: list[_Found] = []
    for _length, _rank, item in found:
        index = bisect.bisect_left(taken, (item.start, item.end))
        before = taken[index - 1] if index else None
        after = taken[index] if index < len(taken) else None
        if (before and before[1] > item.start) or (after and after[0] < item.end):
            continue
        taken.insert(index, (item.start, item.end))
        kept.append(item)
    kept.sort(key=lambda item: item.start)
    lines: dict[int, list[int]] = {}
    return [_hit(item, text, segments, starts, lines) for item in kept]


def _hit(item: _Found, text: str, segments: list[Segment], starts: list[int], lines: dict[int, list[int]]) -> Hit:
    index = bisect.bisect_right(starts, item.start) - 1
    segment, base = segments[index], starts[index]
    offset, end = item.start - base, item.end - base
    where = segment.where
    if segment.by_line:
        if index not in lines:
            lines[index] = [match.start() for match in re.finditer("\n", segment.text)]
        line = f"line {bisect.bisect_left(lines[index], offset) + 1}"
        where = f"{where}, {line}" if where else line.capitalize()
    # Up to 40 characters each side, on the same line where the segment goes by lines.
    first = max(0, offset - 40)
    last = min(len(segment.text), end + 40)
    if segment.by_line:
        first = max(first, segment.text.rfind("\n", 0, offset) + 1)
        line_end = segment.text.find("\n", end)
        last = min(last, line_end) if line_end != -1 else last
    found = " ".join(text[item.start : item.end].split())
    context = " ".join(f"{segment.text[first:offset]}[{found}]{segment.text[end:last]}".split())
    context = f"{'…' if first > 0 and segment.text[first - 1] != chr(10) else ''}{context}"
    context += "…" if last < len(segment.text) and segment.text[last] != "\n" else ""
    return Hit(kind=item.kind, text=found, where=where, context=context, fix=item.fix)


def check_text(*, text: str, terms: Terms) -> list[Hit]:
    """The hits in plain text, by line."""
    return scan([Segment(text, "", by_line=True)], terms)


def check_document(*, data: bytes, terms: Terms) -> tuple[str, list[Hit]]:
    """The file's type and the hits in it. Raises UnreadableFile."""
    kind, segments = read_document(data)
    return kind, scan(segments, terms)
