"""The report benchmark (issue 7): building a large review's report in all three formats, against python-docx and
WeasyPrint drawing the same text directly.

    python bench/bench_report.py [--entries 5000] [--episodes 40] [--findings 12] [--participants 60] [--repeat 3]

Makes a review of the given size in a SQLite file database (chronology entries in released returns, episodes each
resting on entries and carrying contributory factors, findings with questions for the board, participants with
real names), then times, in the same process, best of `--repeat`:

Best of `--repeat` by wall clock, and processor time beside it.

- caseview: services.version_build for the board audience, the fullest: assemble the report from the database,
  draw it as HTML, Word and PDF, and store the three files, encrypted, as a new version.
- baseline: the same assembled text (made once, outside the timing) written straight to a Word file with
  python-docx (a heading per section, a paragraph per paragraph, a table per table) and to a PDF with WeasyPrint
  from the plainest HTML of the same text.

The target (issue 7) is caseview's time at most 1.5 times the baseline's. It exits 0 whatever the ratio (a
benchmark reports; it is not a test) and non-zero when either side fails.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import io
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TARGET_RATIO = 1.5


def setup(db_path: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "caseview.settings_test"
    os.environ["CASEVIEW_SQLITE_PATH"] = db_path
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def make_review(*, entries: int, episodes: int, findings: int, participants: int) -> Any:
    from caseview.accounts.models import User
    from caseview.analysis.models import ContributoryFactor, ContributoryFactorType, KeyPracticeEpisode
    from caseview.chronology.models import AgencyReturn, ChronologyEntry
    from caseview.core.audit import Origin
    from caseview.findings.models import BoardQuestion, Finding
    from caseview.findings.typology import TYPOLOGY
    from caseview.people.models import Participant
    from caseview.reviews import services as reviews
    from caseview.reviews.models import Role

    origin = Origin(ip_address="127.0.0.1", user_agent="caseview benchmark")
    partnership = reviews.partnership_create(name="Benchshire Safeguarding Partnership", by=None, origin=origin)
    lead = User.objects.create_user(username="bench-lead", email="bench-lead@example.invalid", password=None)
    reviews.partnership_lead_reviewer_add(partnership=partnership, user=lead, by=None, origin=origin)
    review = reviews.review_create(
        partnership=partnership,
        reference="BENCH2026",
        title="Child B",
        questions=["How well did agencies share what they knew?", "How are children's own words heard?"],
        purpose_statement="Learning about the local system.",
        period_start=dt.date(2024, 1, 1),
        period_end=dt.date(2026, 1, 1),
        by=lead,
        origin=origin,
        lead_reviewer=lead,
    )
    agencies = [
        reviews.agency_add(partnership=partnership, name=f"Agency {n}", by=lead, origin=origin) for n in range(12)
    ]
    board = User.objects.create_user(username="bench-board", email="bench-board@example.invalid", password=None)
    reviews.membership_add(review=review, user=board, role=Role.BOARD, by=lead, origin=origin, position="Chair")
    returns = [
        AgencyReturn.objects.create(review=review, agency=agency, status=AgencyReturn.Status.RELEASED)
        for agency in agencies
    ]
    start = dt.date(2024, 1, 1)
    ChronologyEntry.objects.bulk_create(
        [
            ChronologyEntry(
                review=review,
                agency_return=returns[n % len(returns)],
                agency=agencies[n % len(agencies)],
                date_start=start + dt.timedelta(days=n % 700),
                sequence=n,
                description=f"Contact {n}: home visit; the family talked about how things were going at home.",
                source="Case record",
            )
            for n in range(entries)
        ],
        batch_size=1000,
    )
    people = Participant.objects.bulk_create(
        [
            Participant(
                review=review,
                kind="practitioner" if n % 3 else "family",
                label=f"Practitioner {n}" if n % 3 else f"Family member {n}",
                real_name=f"Person Surname{n}",
                agency=agencies[n % len(agencies)] if n % 3 else None,
                position="Social worker" if n % 3 else "",
                relationship="" if n % 3 else "Relative",
                participation_mode="conversation",
                participation_status="took_part",
            )
            for n in range(participants)
        ]
    )
    stored = list(ChronologyEntry.objects.filter(review=review).only("pk"))
    factor_types = list(ContributoryFactorType.objects.filter(partnership=None)[:20])
    made = []
    for n in range(1, episodes + 1):
        episode = KeyPracticeEpisode.objects.create(
            review=review,
            number=n,
            title=f"Episode {n}: a decision at a turning point",
            period_start=start + dt.timedelta(days=n * 15),
            valence="problematic" if n % 2 else "good",
            description=f"What happened in episode {n}, who took part and which agency. " * 3,
            expected_practice="What the procedure then asked for. " * 4,
            practice_compared=f"Practice in episode {n} compared with what was expected at the time. " * 4,
        )
        episode.entries.set(stored[n * 10 : n * 10 + 10])
        episode.participants.set(people[n % len(people) : n % len(people) + 2])
        for k in range(3):
            ContributoryFactor.objects.create(
                episode=episode,
                factor_type=factor_types[(n + k) % len(factor_types)],
                effect="hindered",
                significance="high",
                description="Workload and the way the form asks its questions. " * 2,
            )
        made.append(episode)
    for n in range(1, findings + 1):
        finding = Finding.objects.create(
            review=review,
            number=n,
            rank=n,
            statement=f"Finding {n}: there is a tendency for information about adults to stop at one service.",
            category=TYPOLOGY[n % len(TYPOLOGY)].code,
            valence="creates_risk",
            how_it_showed="How it showed in this case. " * 6,
            evidence_not_one_off="The case group and an audit of twenty cases. " * 4,
            prevalence_local="Around sixty households a month. " * 2,
            prevalence_national="National reviews report the same. " * 2,
            why_it_matters="The professionals who see the baby most often do not know. " * 3,
            summary="Information stops at the screening step.",
        )
        finding.episodes.set(made[n : n + 3])
        for k in range(1, 4):
            BoardQuestion.objects.create(finding=finding, order=k, text=f"How will the board know ({n}.{k})?")
    return review, lead


def baseline(document: Any) -> dict[str, int]:
    """The same text written straight to Word and PDF, without caseview's structure, styles or storage."""
    from docx import Document as new_word_document
    from weasyprint import HTML

    from caseview.reports.assembly import Finding, Items, Paragraph, Table

    word = new_word_document()
    parts = [f"<h1>{html.escape(document.title)}</h1>"]
    for section in document.sections:
        word.add_heading(section.title, level=section.level)
        parts.append(f"<h2>{html.escape(section.title)}</h2>")
        for block in section.blocks:
            if isinstance(block, Paragraph):
                word.add_paragraph(block.text)
                parts.append(f"<p>{html.escape(block.text)}</p>")
            elif isinstance(block, Items):
                for item in block.items:
                    word.add_paragraph(item)
                parts.append("<ul>" + "".join(f"<li>{html.escape(item)}</li>" for item in block.items) + "</ul>")
            elif isinstance(block, Table):
                table = word.add_table(rows=0, cols=len(block.header))
                rows = [block.header, *block.rows]
                for row in rows:
                    for cell, text in zip(table.add_row().cells, row, strict=True):
                        cell.text = text
                parts.append(
                    "<table>"
                    + "".join("<tr>" + "".join(f"<td>{html.escape(t)}</td>" for t in row) + "</tr>" for row in rows)
                    + "</table>"
                )
            elif isinstance(block, Finding):
                for title, text in block.parts:
                    word.add_paragraph(title)
                    word.add_paragraph(text)
                    parts.append(f"<h3>{html.escape(title)}</h3><p>{html.escape(text)}</p>")
                for question in block.questions:
                    word.add_paragraph(question)
                    parts.append(f"<p>{html.escape(question)}</p>")
    out = io.BytesIO()
    word.save(out)
    pdf = HTML(string="<html><body>" + "".join(parts) + "</body></html>").write_pdf()
    return {"docx": len(out.getvalue()), "pdf": len(pdf)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=5000)
    parser.add_argument("--episodes", type=int, default=40)
    parser.add_argument("--findings", type=int, default=12)
    parser.add_argument("--participants", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="caseview-bench-report-") as folder:
        setup(str(Path(folder) / "bench.sqlite3"))
        from caseview.core.audit import CLI
        from caseview.reports import services
        from caseview.reports.assembly import assemble

        made = time.perf_counter()
        review, lead = make_review(
            entries=args.entries, episodes=args.episodes, findings=args.findings, participants=args.participants
        )
        print(
            f"Review: {args.entries:,} chronology entries, {args.episodes} episodes, {args.findings} findings, "
            f"{args.participants} participants (made in {time.perf_counter() - made:.1f} s)"
        )
        document = assemble(review=review, audience="board")
        ours, theirs, ours_cpu, theirs_cpu = [], [], [], []
        try:
            for _ in range(args.repeat):
                started, cpu = time.perf_counter(), time.process_time()
                sizes = baseline(document)
                theirs.append(time.perf_counter() - started)
                theirs_cpu.append(time.process_time() - cpu)
                started, cpu = time.perf_counter(), time.process_time()
                version = services.version_build(review=review, audience="board", by=lead, origin=CLI)
                ours.append(time.perf_counter() - started)
                ours_cpu.append(time.process_time() - cpu)
        except Exception as exc:  # a benchmark reports what failed, then fails
            print(f"Failed: {exc!r}")
            return 1
        best_ours, best_theirs = min(ours), min(theirs)
        print(
            f"caseview (assemble from the database, HTML + DOCX + PDF, stored): {best_ours:.2f} s "
            f"(DOCX {len(bytes(version.docx)):,} bytes, PDF {len(bytes(version.pdf)):,} bytes)"
        )
        print(
            f"baseline (python-docx and WeasyPrint directly, same text): {best_theirs:.2f} s "
            f"(DOCX {sizes['docx']:,} bytes, PDF {sizes['pdf']:,} bytes)"
        )
        ratio = best_ours / best_theirs
        verdict = "within" if ratio <= TARGET_RATIO else "OVER"
        print(f"Ratio: {ratio:.2f} ({verdict} the target of {TARGET_RATIO})")
        # Processor time too: on a busy machine it says more than the wall clock about the work itself.
        print(
            f"Processor time: caseview {min(ours_cpu):.2f} s, baseline {min(theirs_cpu):.2f} s, "
            f"ratio {min(ours_cpu) / min(theirs_cpu):.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
