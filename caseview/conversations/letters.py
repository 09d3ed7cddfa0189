"""The letters a review sends before anyone takes part: caseview's own wording, and how a letter is rendered.

Two letters (the introductory letter of Appendix 1 and the briefing before a conversation of Appendix 2), each
written for three audiences: practitioners and managers, parents and carers, and children and young people.
A partnership may replace any of the six with its own wording (see letter_services.template_save).

Wording is plain text with a little structure, so that a partnership can edit it in a text box:

    ## A heading
    A paragraph. A line break inside a paragraph is kept (for greetings and sign-offs).
    - an item in a list
    | A table's header cell | another |
    | a cell                | another |

and placeholders such as {participant_name}, filled in by our own substitution: nothing in the wording is ever
run as code, and every value is escaped when it is written out as HTML, Word or PDF.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from docx import Document
from docx.enum.text import WD_BREAK
from docx.shared import Pt

from caseview.conversations.models import Audience, LetterKind

PLACEHOLDERS: dict[str, str] = {
    "participant_name": "The name the letter greets: their real name where it is recorded, else their label",
    "participant_label": 'How the review\'s reports name them, like "Health visitor 1" or "Mother"',
    "review_title": 'The review\'s pseudonymous title, like "Child K"',
    "review_reference": "The review's reference, like CK2019",
    "partnership": "The safeguarding partnership that commissioned the review",
    "lead_reviewer_names": "The lead reviewers' names",
    "conversation_date": "When the conversation is planned, or that a date will be agreed",
    "support_contact": "Who to contact with questions or for support",
    "letter_date": "The date the letter is prepared",
}

_PLACEHOLDER = re.compile(r"\{([^{}\n]*)\}")
# Characters Word and XML cannot hold, and line breaks: a value is one line of text, never structure.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Wording:
    subject: str
    body: str


def unknown_placeholders(text: str) -> list[str]:
    """The placeholders in `text` that caseview cannot fill, in the order they first appear."""
    found = [match.group(1) for match in _PLACEHOLDER.finditer(text)]
    return list(dict.fromkeys(name for name in found if name not in PLACEHOLDERS))


def check_wording(*, subject: str, body: str) -> None:
    """Refuse wording that uses a placeholder caseview does not know, saying which and where."""
    errors = {}
    for name, text in (("subject", subject), ("body", body)):
        unknown = unknown_placeholders(text)
        if unknown:
            listed = ", ".join(f"{{{placeholder}}}" for placeholder in unknown)
            errors[name] = f"caseview does not know {listed}: use only the placeholders listed beside the wording"
    if errors:
        raise ValidationError(errors)


def clean_value(value: str) -> str:
    """A value as one line of plain text, without characters that Word documents cannot hold."""
    return _SPACE.sub(" ", _CONTROL.sub("", value)).strip()


def clean_wording(text: str) -> str:
    """Wording as plain lines, without characters that Word documents cannot hold.

    Text pasted from Word carries its line breaks as vertical tabs: they become line breaks.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n").split("\n")
    return "\n".join(_CONTROL.sub("", line).rstrip() for line in lines).strip()


def fill(text: str, values: Mapping[str, str]) -> str:
    """Put the values in place of the placeholders. A placeholder with no value is left as it was written."""
    return _PLACEHOLDER.sub(lambda match: clean_value(values.get(match.group(1), match.group(0))), text)


# --- structure ------------------------------------------------------------------------------------------


@dataclass
class Block:
    """One piece of a letter: a heading, a paragraph (its lines), a list (its items) or a table (its rows)."""

    kind: str
    lines: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


def parse(body: str) -> list[Block]:
    blocks: list[Block] = []
    current: Block | None = None
    for raw in body.splitlines():
        line = raw.strip()
        if not line:
            current = None
        elif line.startswith("## "):
            blocks.append(Block("heading", [line[3:].strip()]))
            current = None
        elif line.startswith("- "):
            if current is None or current.kind != "list":
                current = Block("list")
                blocks.append(current)
            current.lines.append(line[2:].strip())
        elif line.startswith("|"):
            if current is None or current.kind != "table":
                current = Block("table")
                blocks.append(current)
            current.rows.append([cell.strip() for cell in line.strip("|").split("|")])
        else:
            if current is None or current.kind != "paragraph":
                current = Block("paragraph")
                blocks.append(current)
            current.lines.append(line)
    for block in blocks:
        if block.kind == "table":
            width = max(len(row) for row in block.rows)
            block.rows = [row + [""] * (width - len(row)) for row in block.rows]
    return blocks


# --- output ---------------------------------------------------------------------------------------------


def html(wording: Wording, *, audience: str, heading_level: int = 1) -> str:
    """The letter as an HTML fragment (escaped by the template), headed by its subject at `heading_level`."""
    context = {
        "subject": wording.subject,
        "blocks": parse(wording.body),
        "audience": audience,
        "subject_tag": f"h{heading_level}",
        "section_tag": f"h{heading_level + 1}",
    }
    return render_to_string("conversations/letters/_letter.html", context)


def pdf_bytes(wording: Wording, *, audience: str, title: str) -> bytes:
    """The letter as a PDF (A4). Letters to children are larger and roomier, with their headings in boxes."""
    from weasyprint import HTML

    document = render_to_string(
        "conversations/letters/letter_pdf.html",
        {"letter": html(wording, audience=audience), "audience": audience, "title": title},
    )
    return HTML(string=document, url_fetcher=_fetch_nothing).write_pdf()


def _fetch_nothing(url: str, *args: object, **kwargs: object) -> None:
    # A letter needs nothing from outside; this stops a crafted address in the wording from being fetched.
    raise ValueError(f"Letters do not load {url}")


def docx_bytes(wording: Wording, *, audience: str, title: str) -> bytes:
    """The letter as a Word document: its subject in Heading 1, sections in Heading 2, lists and tables
    in Word's own styles. Letters to children use larger type."""
    document = Document()
    document.core_properties.title = title[:255]
    normal = document.styles["Normal"]
    normal.font.size = Pt(14 if audience == Audience.CHILD else 11)
    if audience == Audience.CHILD:
        normal.paragraph_format.line_spacing = 1.3
        for level, size in ((1, 22), (2, 17)):
            document.styles[f"Heading {level}"].font.size = Pt(size)
    document.add_heading(wording.subject, level=1)
    for block in parse(wording.body):
        if block.kind == "heading":
            document.add_heading(block.lines[0], level=2)
        elif block.kind == "list":
            for item in block.lines:
                document.add_paragraph(item, style="List Bullet")
        elif block.kind == "table":
            table = document.add_table(rows=0, cols=len(block.rows[0]))
            table.style = document.styles["Table Grid"]
            for number, row in enumerate(block.rows):
                for cell, text in zip(table.add_row().cells, row, strict=True):
                    cell.paragraphs[0].add_run(text).bold = number == 0
        else:
            paragraph = document.add_paragraph()
            for number, line in enumerate(block.lines):
                run = paragraph.add_run(line)
                if number < len(block.lines) - 1:
                    run.add_break(WD_BREAK.LINE)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- caseview's wording ---------------------------------------------------------------------------------
# Written for caseview, after the outlines of Appendices 1 and 2 of the method (docs: method.md §3.2.4, §3.3.2).

_INTRODUCTION_PRACTITIONER = Wording(
    subject="An invitation to take part in a review: {review_title}",
    body="""\
{letter_date}

Dear {participant_name},

{partnership} has asked for a review of how agencies worked with the family known in the review as \
{review_title}. We are writing to you because you worked with the family, or because your role means you might \
have been expected to, and we would like you to be part of the review. It is led by {lead_reviewer_names}.

## How the review will look at the case

The review uses a systems approach. This way of learning from practice is well established in healthcare and \
other fields where safety matters, and it is still quite new in work to protect children.

Reviews have often set out to find the person who got something wrong. A systems review does not sit in \
judgement on anyone's work. It asks why people acted as they did: what they knew, what they were trying to do, \
what else needed their attention, and what their tools, their team and their organisation made easy or hard. \
The aim is to understand why each action made sense at the time to the person who took it. We will look just \
as closely at what works well, so that good practice can be recognised and supported.

In short, the two ways of looking at a case differ like this:

| A traditional review | A systems review |
| Treats a person's mistake as the cause of what went wrong. \
| Treats a mistake as a sign of deeper problems in how the work is set up. |
| Explains a bad outcome by searching for failures. | Looks at ordinary, everyday work, including what went well. |
| Hunts for the wrong assessment, decision or judgement. \
| Asks how each assessment and action made sense to the person at the time. |
| Ends with what individuals should have done. | Ends with findings about the system for the partnership to act on. |

## Your part in the review

The experience and views of the people who did the work are at the heart of the review: we cannot see how \
the case looked from the inside without you. We think of the review as a joint piece of work with everyone \
involved, not something done to them.

Taking part means:
- a one-to-one conversation with one or two of the reviewers, at a time and place that suit you. We will send \
you a short briefing before it, so that you know what to expect;
- coming to meetings of the case group, where everyone involved meets the review team to check the facts, test \
our analysis and say whether what we found is typical of how things work locally;
- reading drafts of the review's reports and telling us what you think of them.

## Timetable

We would like to hold your conversation on {conversation_date}. The case group meetings will follow once the \
conversations have been held; we will give you plenty of notice of their dates.

## Support

Taking part in a review can be unsettling, particularly when a child has been harmed. Please tell your manager \
about the review, so that they can give you time for it and support you. You are welcome to bring a colleague \
or a representative to your conversation. If you have questions, or need anything to help you take part, \
please contact {support_contact}.

Thank you. We look forward to meeting you.

With best wishes,
{lead_reviewer_names}
Leading the review for {partnership}
""",
)

_INTRODUCTION_FAMILY = Wording(
    subject="A review of the help your family was given",
    body="""\
{letter_date}

Dear {participant_name},

We are writing to tell you about a review that {partnership} has asked us to carry out, and to ask whether you \
would like to be part of it. The review is led by {lead_reviewer_names}.

We know this may be a very hard time for you and your family, and that a letter like this can bring back \
painful memories. We are sorry to add to what you are going through. Please read it when you feel ready, and \
ask us about anything that is not clear.

## What the review is about

The review looks at how services such as health visitors, doctors, schools, social workers and the police \
worked with your family, and with each other. The review is called "{review_title}". We use this name instead \
of your child's real name, to protect your family's privacy.

The review is not about blaming anyone. It is not an investigation into you or your family, and it does not \
decide what happens to anyone. It is about learning how services can work better for children and families in \
future.

## How we work

In the past, reviews often tried to find the one person who made a mistake. We do not work that way:
- we do not ask "who got it wrong?" but "why did things happen the way they did?";
- we try to understand what made sense to the people in services at the time, and what got in their way;
- we look for what helped, as well as what did not, so that the good things can happen more often.

## Why your view matters

You know things about what happened that nobody else knows. Hearing how services looked from your side, what \
helped you, what did not and whether you felt listened to, is one of the most important parts of the review.

## What taking part would mean

If you would like to take part, one or two of us would meet you for a conversation. It is a conversation, not \
an interview. You choose where: at your home, somewhere else you feel comfortable, or by phone or video call. \
We would like to meet on {conversation_date}, and we can change this to suit you.
- You can bring someone with you for support, such as a relative, a friend or an advocate.
- You can take a break or stop at any time, and you do not have to answer any question you would rather not.
- Before the review is finished, we will come back to you to share what we have found and hear what you think.

## It is your choice

Whether you take part is up to you. Whatever you decide, it will not change the services or support that you \
or your children receive. You can say yes now and change your mind later. If you would rather not take part, we \
can still let you know what the review finds, if you would like that.

## Getting in touch

If you have any questions, or need anything to make taking part easier, such as an interpreter, large print \
or help with travel, please contact {support_contact}.

Thank you for reading this letter.

With kind regards,
{lead_reviewer_names}
Leading the review for {partnership}
""",
)

_INTRODUCTION_CHILD = Wording(
    subject="We would like to hear from you",
    body="""\
{letter_date}

Hello {participant_name},

This letter is from {lead_reviewer_names}. Our job is to find out how the grown-ups who help children can do \
their jobs better. These are people like teachers, doctors, nurses, social workers and police officers.

You are not in trouble. Nobody is in trouble because of what we are doing.

## Why we are writing to you

You know what things were like for you. Nobody else knows that as well as you do. We would like to hear about \
it, if you want to tell us.

We would like to know:
- who helped you, and how
- what did not help
- if grown-ups listened to you

## What would happen

We would meet you somewhere you feel safe and comfortable. We would like to meet on {conversation_date}.

You can bring someone you trust with you.

We will just talk. If you like, you can draw or write instead of talking.

You can have a break when you want. You can stop when you want. You do not have to answer every question.

## It is up to you

You can say yes or no. Nobody will be cross with you, whatever you choose. If you say yes, you can change your \
mind later. Saying yes or no will not change any help you get.

## Who to talk to

If you have a question, or something in this letter worries you, you can talk to {support_contact}. You can \
also talk to a grown-up you trust, like someone in your family or a teacher.

You can call Childline for free on 0800 1111 at any time, about anything.

Thank you for reading this.

From {lead_reviewer_names}
""",
)

_BRIEFING_PRACTITIONER = Wording(
    subject="Before your conversation with the review team: {review_title}",
    body="""\
{letter_date}

Dear {participant_name},

Thank you for agreeing to talk with us about your work with the family known in the review as {review_title}. \
Your conversation is planned for {conversation_date}. This note says what the conversation is for, how we will \
use what you tell us, and how we protect people's privacy.

## What the conversation is for

We want to hear your view of what was happening in and around the case: how you saw the family and your own \
role, what you were trying to do, and which parts of the wider system, such as your workload, your tools, \
your team and the other agencies, made your work easier or harder.

We will ask you for an overview of your part in the case, and then about the moments you see as turning \
points. For each one we will ask what you thought was going on, what caught your attention, what else was \
taking your time, what worried you and what options you felt you had. We are interested in what you knew and \
thought then, not in what you have learned since.

## Sharing our emerging picture

By the time we meet, we will have begun to build a picture of the case from agency records and from other \
conversations. We will share it with you, so that together we can explore where your view differs from other \
accounts, and think through the strengths and limits of the judgements you made and the actions you took.

This is not criticism and it is not blame. It is the only way we can understand what in the work environment \
helps good practice, and what gets in its way.

## How we will use what you tell us

What you tell us becomes data for the review. We will draw on it in the interim report, in the draft reports \
and in the final report. The other members of the case group will read and discuss these drafts, just as you \
will read what they told us. So we ask everyone to keep the drafts and the discussions confidential within the \
group.

## How people appear in the reports

- Nobody is named. People are described by their position; in the reports you will be called \
{participant_label}.
- The published report does not name the town, the area or any place that could show where the family lives.
- The members of the family are given pseudonyms.

## Notes of the conversation

With your agreement, we would like to record the conversation, so that our notes of what you said are \
accurate. If you would rather we did not record it, we will take written notes instead. Either way, we will \
send you the notes: you can correct them, add to them, and tell us when you agree that they are a fair record. \
Recordings are kept securely and deleted when the review no longer needs them.

## Support

Talking about a case can be hard, particularly one in which a child was harmed. You are welcome to bring a \
colleague or a representative with you, and your organisation's staff support service is there for you too. \
If you need anything before or after the conversation, please contact {support_contact}.

With best wishes,
{lead_reviewer_names}
Leading the review for {partnership}
""",
)

_BRIEFING_FAMILY = Wording(
    subject="Before we meet: what to expect",
    body="""\
{letter_date}

Dear {participant_name},

Thank you for agreeing to talk with us. We know it is not easy, and we are grateful. We are planning to meet on \
{conversation_date}. This letter explains what will happen, so that there are no surprises.

## What we will talk about

We would like to hear about your family's experience of services: health visitors, doctors, the school, social \
workers, the police, or anyone else who was involved. We will ask what helped, what did not, and whether you \
felt listened to. There are no right or wrong answers, and we want to hear it in your own words.

We will also tell you a little about what we have learned so far from other people and from records. If your \
experience was different, we want to know: hearing every side is how we understand what really happened. We \
are not there to judge you or to blame anyone.

## Looking after you

- You can bring someone with you for support, such as a relative, a friend or an advocate.
- You can take a break at any time, or stop altogether.
- You do not have to answer any question you would rather not.
- Taking part, or deciding to stop, will not change the services or support you or your children receive.

## What happens to what you tell us

What you tell us helps us write the review's reports. A small group of people working on the review, the \
reviewers and staff from the services involved, will read the draft reports, and we ask them to keep \
everything confidential.

If you tell us something that makes us worried a child may not be safe now, we will have to tell the people \
whose job is to keep children safe. If we can, we will talk with you about it first.

## Keeping your family's privacy

- The reports will not use your name or your children's names. Your family will be given different names; in \
the reports you will be called {participant_label}.
- Staff are described by their jobs, not by their names.
- The published report will not say where you live or name your town.

## Notes of our conversation

If you agree, we will record the conversation so that we remember what you said accurately. If you would \
rather we did not, we will write notes instead. Afterwards we will show you the notes. You can correct anything \
we got wrong, add anything you forgot, and tell us when you are happy with them.

## Questions

If you have any questions, or need anything to help you take part, such as an interpreter, help with travel \
or a different place to meet, please contact {support_contact}.

With kind regards,
{lead_reviewer_names}
Leading the review for {partnership}
""",
)

_BRIEFING_CHILD = Wording(
    subject="When we meet",
    body="""\
{letter_date}

Hello {participant_name},

Thank you for saying you will talk to us. We will meet on {conversation_date}. This letter tells you what will \
happen.

## What we will talk about

We would like to hear what things were like for you. We might ask:
- who helped you
- what was good
- what was not so good
- if grown-ups listened to you

There are no right or wrong answers. You can use your own words. You can draw or write if you like.

## You are in charge

- You can bring someone you trust.
- You can have a break when you want.
- You can stop when you want.
- You do not have to answer a question if you do not want to.

Nobody will be cross with you, whatever you say.

## What we do with what you tell us

We will write down what you tell us, so we remember it properly. If you say it is OK, we might record our talk \
too. We will show you what we wrote, and you can tell us if we got anything wrong.

What you tell us helps grown-ups do their jobs better. When we write about it, we will not use your real name. \
We will call you {participant_label}. Nobody reading it will know where you live.

Sometimes we might be worried that you are not safe. If that happens, we will need to tell someone who can \
help. We will talk to you about it first if we can.

## If you are worried

If anything worries you, talk to {support_contact}, or to a grown-up you trust. You can also call Childline \
for free on 0800 1111 at any time.

See you soon,
{lead_reviewer_names}
""",
)

DEFAULT_WORDING: dict[tuple[str, str], Wording] = {
    (LetterKind.INTRODUCTION, Audience.PRACTITIONER): _INTRODUCTION_PRACTITIONER,
    (LetterKind.INTRODUCTION, Audience.FAMILY): _INTRODUCTION_FAMILY,
    (LetterKind.INTRODUCTION, Audience.CHILD): _INTRODUCTION_CHILD,
    (LetterKind.BRIEFING, Audience.PRACTITIONER): _BRIEFING_PRACTITIONER,
    (LetterKind.BRIEFING, Audience.FAMILY): _BRIEFING_FAMILY,
    (LetterKind.BRIEFING, Audience.CHILD): _BRIEFING_CHILD,
}
