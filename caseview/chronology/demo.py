"""The demo review's agency returns, in the shapes agencies really send them (shared/demo/scenario.md).

Each file is built here and then goes through the same upload, check, import and release as a real one, so
the demo exercises the real path. Everything in them is invented.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from typing import Any
from xml.sax.saxutils import escape

from openpyxl import Workbook

from caseview.accounts.models import User
from caseview.chronology import services
from caseview.chronology.models import AgencyReturn, ReturnUpload
from caseview.core.audit import Origin
from caseview.reviews.models import Agency, Review

D = dt.date
T = dt.datetime

MATERNITY = [  # XLSX with two title rows and real date cells
    (
        D(2025, 1, 14),
        "Booking appointment at 12 weeks. Mother reports past depression; on sertraline. Partner present "
        "throughout, so the routine question about domestic abuse was not asked; 'ask at next contact' noted.",
        "Maternity record, booking",
    ),
    (
        "?late March 2025",
        "Antenatal contact. Partner present again; routine enquiry about domestic abuse deferred again.",
        "Maternity record, antenatal notes",
    ),
    (D(2025, 4, 22), "Baby J born at 38 weeks, well. Discharged home with mother.", "Maternity record, delivery"),
]

POLICE = [  # CSV in Windows-1252 with date-times in one column
    (
        "10/03/2025 22:15",
        "Neighbour reports shouting at the flat. Officers attend; both adults deny any incident; DASH "
        "risk assessment declined. Child E present, asleep. Domestic incident notification sent to MASH for "
        "information.",
        "Police incident log",
        "Mother; mother's partner; Child E",
    ),
    (
        "June 2025",
        "Researcher notes the partner's 2021 conviction for assaulting a former partner (another police "
        "area) while checking an unrelated matter; not linked to the household's address.",
        "Police intelligence record",
        "Mother's partner",
    ),
    (
        "10/11/2025 23:05",
        "Domestic incident: partner pushed mother, bruising to her arm. Partner arrested, released "
        "under investigation; DASH medium. Both children present. Police notification to MASH about the domestic "
        "incident.",
        "Police incident log £ custody record",
        "Mother; mother's partner; Child E; Baby J",
    ),
    (
        "09/02/2026 14:30",
        "Joint investigation with children's social care begins after Baby J's admission.",
        "Police investigation log",
        "Baby J",
    ),
]

SOCIAL_CARE = [  # XLSX, header on the first row, separate "Source of information" column
    (
        D(2025, 3, 11),
        "MASH screens the police domestic incident notification: no further action; letter to mother. "
        "Midwifery, health visiting and school not told.",
        "MASH screening record",
    ),
    (
        D(2025, 11, 11),
        "MASH screening of the police notification about the domestic incident: no strategy discussion; "
        "stepped down to early help as it is already open. Early help and school told by phone; health visiting not "
        "told.",
        "MASH screening record",
    ),
    (
        D(2026, 2, 9),
        "Hospital referral: Baby J, skull fracture. Strategy discussion; section 47 enquiry; Child E to "
        "her grandmother.",
        "Children's social care case record",
    ),
    (D(2026, 2, 11), "Serious incident notification sent to the national Panel.", "Notification record"),
]

HEALTH_VISITING = [  # plain UTF-8 CSV
    (
        "02/05/2025",
        "New-birth visit. Partner present. Mother low; Edinburgh postnatal depression score 14. Referral to "
        "perinatal mental health with consent. Domestic abuse enquiry not possible.",
        "Health visiting record",
    ),
    ("01/07/2025", "8-week review (late): Baby J thriving; mother's mood improving.", "Health visiting record"),
    ("14/10/2025", "Planned contact: no access. Card left.", "Health visiting record"),
    (
        "19/01/2026",
        "9-month review (late): bruise behind Baby J's ear; mother says he fell against the cot. Body map "
        "completed; explanation accepted; safeguarding lead not consulted.",
        "Health visiting record, body map",
    ),
]

SCHOOL = [  # CSV with ordinal dates
    (
        "5th June 2025",
        'Child E tells the teaching assistant "Craig shouted at Mummy and broke the TV". Logged; the DSL '
        "speaks to mother, who says it was an accident; decision to monitor.",
        "Safeguarding log",
    ),
    ("30th September 2025", "Child E's attendance 85% for September.", "Attendance record"),
    (
        "20th October 2025",
        'DSL refers to early help: Child E tired and withdrawn, says "Craig gets angry".',
        "Early help referral form",
    ),
    (
        "19th December 2025",
        "Child E says the partner was at home over the weekend. DSL emails the family worker, who "
        "is on leave until 6 January.",
        "Safeguarding log; email",
    ),
]

EARLY_HELP = [  # XLSX with its own column names, matched once by the mapping
    (
        D(2025, 11, 3),
        "Family worker's first home visit; mother agrees to an early help assessment; mentions 'arguments'.",
        "Early help case record",
    ),
    (
        D(2025, 11, 11),
        "Phone call from MASH about the police notification of the domestic incident; early help "
        "already open, so the case is stepped down to us.",
        "Early help case record",
    ),
    (D(2025, 11, 12), "Home visit; mother says the partner has moved out to his mother's.", "Early help case record"),
    (
        D(2025, 12, 2),
        "Team-around-the-family meeting: school, early help, mother. Health visitor invited through a "
        "shared team inbox; not seen. Police not invited. Plan: parenting support, referral to the domestic abuse "
        "service.",
        "TAF meeting minutes",
    ),
    (
        D(2026, 1, 8),
        "Family worker reads the school's email; visits; mother says the partner comes only to see Baby "
        "J. Child E's drawings 'my house' and 'who helps me' kept on file.",
        "Early help case record",
    ),
]

GP = [  # ODS
    ("03/02/2025", "Medication review; sertraline continued.", "GP record"),
    ("15/07/2025", "Baby J's immunisations; no concerns.", "GP record"),
    ("25/11/2025", "Mother attends: low mood; says partner has moved out. Sertraline increased.", "GP record"),
    ("28/01/2026", "Baby J seen with a cold; examined clothed; no injuries recorded.", "GP record"),
]

PERINATAL = [  # CSV with a separate time column
    (
        "20/05/2025",
        "10:00",
        "Assessment: moderate postnatal depression; care coordinator allocated; mother describes "
        "partner as supportive.",
        "Perinatal mental health record",
    ),
    (
        "06/10/2025",
        "",
        "Mother misses a second appointment; discharged to the GP under the missed-appointments policy; "
        "letter to the GP only.",
        "Perinatal mental health record; discharge letter",
    ),
]


def _xlsx(header: list[str], rows: list[tuple[Any, ...]], titles: list[str] = ()) -> bytes:  # type: ignore[assignment]
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for title in titles:
        sheet.append([title])
    sheet.append(header)
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _csv(header: list[str], rows: list[tuple[Any, ...]], encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def _ods(header: list[str], rows: list[tuple[Any, ...]]) -> bytes:
    """A minimal OpenDocument spreadsheet: the parts LibreOffice and calamine need, nothing more."""

    def cell(value: Any) -> str:
        return f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p></table:table-cell>'

    body = "".join(f"<table:table-row>{''.join(cell(v) for v in row)}</table:table-row>" for row in [header, *rows])
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="Return">{body}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def demo_files() -> dict[str, tuple[str, bytes, dict[str, str] | None]]:
    """Agency name -> (file name, bytes, the column mapping its author matches once, if any)."""
    return {
        "Maternity": (
            "maternity-return.xlsx",
            _xlsx(
                ["Date", "Details", "Source"],
                MATERNITY,
                ["Westbrook Maternity Services", "Chronology return for review CE2026 (Child E)"],
            ),
            None,
        ),
        "Police": (
            "police-return.csv",
            _csv(["Occurrence date", "Summary", "Source of information", "Persons involved"], POLICE, "cp1252"),
            None,
        ),
        "Children's social care": (
            "csc-chronology.xlsx",
            _xlsx(["Date of contact", "Details", "Source of information"], SOCIAL_CARE),
            None,
        ),
        "Health visiting": ("hv-return.csv", _csv(["Date", "Details", "Source"], HEALTH_VISITING), None),
        "Fernside Primary School": ("school-return.csv", _csv(["Date", "What happened", "Source"], SCHOOL), None),
        "Early help": (
            "early-help.xlsx",
            _xlsx(["Visit on", "Worker's note", "Recorded in"], EARLY_HELP),
            {"date": "Visit on", "description": "Worker's note", "source": "Recorded in"},
        ),
        "GP practice": ("gp-return.ods", _ods(["Date", "Details", "Source"], GP), None),
        "Perinatal mental health": (
            "perinatal.csv",
            _csv(["Date", "Time", "Details", "Source"], PERINATAL),
            None,
        ),
    }


def load_chronology_demo(*, review: Review, lead: User, author: User, origin: Origin) -> dict[str, int]:
    """Ask every agency for its return, upload the demo files, import them and release most of them."""
    if review.agency_returns.filter(status=AgencyReturn.Status.RELEASED).exists():
        return {"returns": review.agency_returns.count()}
    agencies = {agency.name: agency for agency in Agency.objects.filter(partnership=review.partnership)}
    services.return_request(
        review=review,
        agencies=[agencies[name] for name in [*demo_files(), "Housing association", "Domestic abuse service"]],
        due_date=D(2026, 4, 17),
        note="Every contact with the family from 1 January 2025 to 9 February 2026, with the source of each entry.",
        by=lead,
        origin=origin,
    )
    for name, (filename, data, mapping) in demo_files().items():
        agency_return = AgencyReturn.objects.get(review=review, agency=agencies[name])
        who = author if name == "Health visiting" else lead
        upload = services.upload_receive(
            agency_return=agency_return, filename=filename, data=data, by=who, origin=origin
        )
        services.upload_check(upload_id=str(upload.pk))
        upload.refresh_from_db()
        if upload.status == ReturnUpload.Status.NEEDS_MAPPING and mapping:
            upload = services.upload_map_columns(upload=upload, mapping=mapping, by=who, origin=origin)
        if upload.status != ReturnUpload.Status.VALID:
            raise RuntimeError(f"The demo's {filename} did not validate: {upload.status} {upload.errors[:3]}")
        services.upload_import(
            upload_id=str(upload.pk),
            by_id=who.pk,
            origin={"ip_address": origin.ip_address or "", "user_agent": origin.user_agent},
        )
        services.return_release(agency_return=agency_return, by=who, origin=origin, candidates_now=True)
    housing = AgencyReturn.objects.get(review=review, agency=agencies["Housing association"])
    services.return_entry_add(
        agency_return=housing,
        date_text="22/09/2025",
        time_text="",
        people="Mother",
        description="Neighbour complains of noise. Housing officer visits; notes a hole in a wall; no safeguarding "
        "referral (the policy asks for one only on a child's disclosure).",
        source="Housing officer's visit note",
        significant=False,
        by=lead,
        origin=origin,
    )
    services.return_release(agency_return=housing, by=lead, origin=origin, candidates_now=True)
    # The domestic abuse service's return is typed but not yet released: it stays with the agency for now.
    abuse = AgencyReturn.objects.get(review=review, agency=agencies["Domestic abuse service"])
    services.return_entry_add(
        agency_return=abuse,
        date_text="15/12/2025",
        time_text="",
        people="Mother",
        description="Referral received from early help; mother declines by phone: 'things are fine now'.",
        source="Referral log",
        significant=False,
        by=lead,
        origin=origin,
    )
    return {"returns": review.agency_returns.count()}
