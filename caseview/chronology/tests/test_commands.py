"""`caseview chronology import|export`: output, --json, all or nothing, and a non-zero exit on failure."""

from __future__ import annotations

import csv
import io
import json
from io import StringIO
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest
from django.core.management import call_command

from caseview.chronology import selectors
from caseview.chronology.models import AgencyReturn, ChronologyEntry, EntryLink
from caseview.core import parallel
from caseview.core.audit import Event
from caseview.core.models import AuditEvent
from conftest import Personas

pytestmark = pytest.mark.django_db

GOOD = (
    "Date,Details,Source\n"
    "10/03/2019 22:15,Domestic incident: partner pushed mother; notification to MASH,Police incident log\n"
    "June 2019,Intelligence check on the partner,Police intelligence\n"
)
HEALTH = "Date,Details,Source\n11/03/2019,MASH notification of the domestic incident: partner pushed mother,HV record\n"
BAD = "Date,Details,Source\n04/03/2019,Home visit,Police log\n31/02/2019,Phone call,Police log\n05/03/2019,Letter,\n"


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("chronology", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def fails(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    with pytest.raises(SystemExit) as caught:
        call_command("chronology", *args, stdout=out, stderr=err)
    assert caught.value.code == 1
    return out.getvalue(), err.getvalue()


def write(tmp_path: Path, name: str, content: str) -> str:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return str(path)


def import_args(path: str, agency: str = "Police", *extra: str) -> list[str]:
    return ["import", "--review", "CK2019", "--agency", agency, path, *extra]


def as_json(text: str) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(text)
    return result


# import


def test_it_imports_and_releases_a_good_file(personas: Personas, tmp_path: Path) -> None:
    run(*import_args(write(tmp_path, "hv.csv", HEALTH), "health visiting"))
    out, err = run(*import_args(write(tmp_path, "police.csv", GOOD)))
    assert out.strip() == "Imported 2 entries for Police (released into the review); 1 candidate links found"
    assert err == ""
    police = AgencyReturn.objects.get(review=personas.review, agency=personas.police)
    assert police.status == AgencyReturn.Status.RELEASED and police.source_filename == "police.csv"
    assert selectors.released_entries(review=personas.review).filter(agency=personas.police).count() == 2
    link = EntryLink.objects.get(review=personas.review)
    assert {link.first.agency, link.second.agency} == {personas.police, personas.health}
    imported = AuditEvent.objects.get(event=Event.RETURN_IMPORTED, summary__contains="police.csv")
    assert imported.actor is None and imported.user_agent.startswith("caseview command line")


def test_json_output_says_what_was_stored(personas: Personas, tmp_path: Path) -> None:
    out, _ = run(*import_args(write(tmp_path, "police.csv", GOOD), "Police", "--json"))
    result = as_json(out)
    assert result["ok"] is True
    assert (result["entries"], result["candidates"], result["released"]) == (2, 0, True)
    assert result["return"] == str(AgencyReturn.objects.get(agency=personas.police).pk)


def test_hold_imports_without_releasing(personas: Personas, tmp_path: Path) -> None:
    out, _ = run(*import_args(write(tmp_path, "police.csv", GOOD), "Police", "--hold", "--json"))
    result = as_json(out)
    assert (result["ok"], result["entries"], result["released"]) == (True, 2, False)
    police = AgencyReturn.objects.get(agency=personas.police)
    assert police.status == AgencyReturn.Status.DRAFT
    assert police.entries.count() == 2
    assert not selectors.released_entries(review=personas.review).exists()
    text, _ = run(*import_args(write(tmp_path, "police2.csv", GOOD), "Police", "--hold"))
    assert "held back, not released" in text


def test_dry_run_checks_and_stores_nothing(personas: Personas, tmp_path: Path) -> None:
    out, _ = run(*import_args(write(tmp_path, "police.csv", GOOD), "Police", "--dry-run"))
    assert "police.csv is good: 2 entries would be imported (dry run: nothing stored)" in out
    result = as_json(run(*import_args(write(tmp_path, "police.csv", GOOD), "Police", "--dry-run", "--json"))[0])
    assert (result["ok"], result["dry_run"], result["entries"], result["released"]) == (True, True, 2, False)
    assert not ChronologyEntry.objects.exists()
    assert not AgencyReturn.objects.exists()


def test_a_bad_file_prints_every_problem_and_stores_nothing(personas: Personas, tmp_path: Path) -> None:
    out, err = fails(*import_args(write(tmp_path, "police.csv", BAD)))
    assert out == ""
    assert "caseview: police.csv has 2 problem(s); nothing was stored" in err
    assert "row 3, column Date: '31/02/2019': 31/02/2019 is not a date" in err
    assert "row 4, column Source: '': Every entry needs a source of information" in err
    assert not ChronologyEntry.objects.exists()
    assert not AgencyReturn.objects.exists()


def test_a_bad_file_in_json_lists_the_errors(personas: Personas, tmp_path: Path) -> None:
    out, _ = fails(*import_args(write(tmp_path, "police.csv", BAD), "Police", "--json"))
    result = as_json(out)
    assert result["ok"] is False
    assert {"row": 3, "column": "Date", "value": "31/02/2019", "reason": "31/02/2019 is not a date"} in result["errors"]
    assert len(result["errors"]) == 2
    assert not ChronologyEntry.objects.exists()


def test_a_mapping_file_names_unusual_columns(personas: Personas, tmp_path: Path) -> None:
    path = write(tmp_path, "odd.csv", "When it was,Narrative text,Recorded in system\n04/03/2019,Visit,Police log\n")
    out, err = fails(*import_args(path))
    assert "could not find the column for" in err and "--mapping" in err
    assert "When it was" in err
    mapping = write(
        tmp_path,
        "map.json",
        json.dumps({"date": "When it was", "description": "Narrative text", "source": "Recorded in system"}),
    )
    out, _ = run(*import_args(path, "Police", "--mapping", mapping))
    assert "Imported 1 entries for Police" in out
    assert ChronologyEntry.objects.get().description == "Visit"


@pytest.mark.parametrize(
    ("content", "message"),
    [("not json", "could not be read as JSON"), ('["date"]', "must hold an object")],
)
def test_a_broken_mapping_file_is_refused(personas: Personas, tmp_path: Path, content: str, message: str) -> None:
    path = write(tmp_path, "police.csv", GOOD)
    _, err = fails(*import_args(path, "Police", "--mapping", write(tmp_path, "map.json", content)))
    assert message in err
    assert not ChronologyEntry.objects.exists()


def test_an_unknown_agency_is_refused_with_the_known_ones(personas: Personas, tmp_path: Path) -> None:
    _, err = fails(*import_args(write(tmp_path, "police.csv", GOOD), "Fire service"))
    assert "Testshire Safeguarding Partnership has no agency called Fire service" in err
    assert "Health visiting" in err and "Police" in err
    out, _ = fails(*import_args(write(tmp_path, "police.csv", GOOD), "Fire service", "--json"))
    assert as_json(out)["ok"] is False
    assert not AgencyReturn.objects.exists()


def test_an_unknown_review_is_refused(personas: Personas, tmp_path: Path) -> None:
    path = write(tmp_path, "police.csv", GOOD)
    _, err = fails("import", "--review", "XX0000", "--agency", "Police", path)
    assert "There is no review with the reference XX0000" in err
    assert not ChronologyEntry.objects.exists()


def test_a_missing_file_is_refused(personas: Personas, tmp_path: Path) -> None:
    _, err = fails(*import_args(str(tmp_path / "nowhere.csv")))
    assert "There is no file at" in err


def test_an_unreadable_file_is_refused(personas: Personas, tmp_path: Path) -> None:
    path = tmp_path / "return.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a spreadsheet")
    _, err = fails(*import_args(str(path)))
    assert err.startswith("caseview: ")
    assert not ChronologyEntry.objects.exists()


def several(tmp_path: Path, *extra: str, police: str = GOOD) -> list[str]:
    return [
        "import",
        "--review",
        "CK2019",
        "--return",
        "Health visiting",
        write(tmp_path, "hv.csv", HEALTH),
        "--return",
        "Police",
        write(tmp_path, "police.csv", police),
        *extra,
    ]


def test_several_returns_import_together(personas: Personas, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "may_fork", lambda: True)  # checked by forked copies, as on a real machine
    out, err = run(*several(tmp_path))
    assert out.splitlines() == [
        "Imported 1 entries for Health visiting",
        "Imported 2 entries for Police",
        "3 entries from 2 returns (released into the review); 1 candidate links found",
    ]
    assert err == ""
    for agency in (personas.health, personas.police):
        agency_return = AgencyReturn.objects.get(review=personas.review, agency=agency)
        assert agency_return.status == AgencyReturn.Status.RELEASED
    assert [e.description for e in selectors.released_entries(review=personas.review)] == [
        "Domestic incident: partner pushed mother; notification to MASH",
        "MASH notification of the domestic incident: partner pushed mother",
        "Intelligence check on the partner",
    ]
    assert EntryLink.objects.filter(review=personas.review).count() == 1
    assert AuditEvent.objects.filter(event=Event.RETURN_IMPORTED).count() == 2


def test_several_returns_in_json(personas: Personas, tmp_path: Path) -> None:
    result = as_json(run(*several(tmp_path, "--json", "--hold"))[0])
    assert (result["ok"], result["entries"], result["released"], result["candidates"]) == (True, 3, False, 0)
    police = AgencyReturn.objects.get(agency=personas.police)
    assert police.status == AgencyReturn.Status.DRAFT
    assert {"agency": "Police", "file": "police.csv", "entries": 2, "return": str(police.pk)} in result["returns"]


def test_several_returns_in_a_dry_run_store_nothing(personas: Personas, tmp_path: Path) -> None:
    out, _ = run(*several(tmp_path, "--dry-run"))
    assert out.strip() == "All 2 files are good: 3 entries would be imported (dry run: nothing stored)"
    assert not AgencyReturn.objects.exists()
    assert not ChronologyEntry.objects.exists()


def test_one_bad_file_among_several_stores_nothing(personas: Personas, tmp_path: Path) -> None:
    _, err = fails(*several(tmp_path, police=BAD))
    assert "caseview: 1 of the files have problems; nothing was stored. police.csv has 2 problem(s)" in err
    assert "police.csv, row 3, column Date: '31/02/2019': 31/02/2019 is not a date" in err
    assert not ChronologyEntry.objects.exists()
    assert not AgencyReturn.objects.exists()
    result = as_json(fails(*several(tmp_path, "--json", police=BAD))[0])
    assert result["errors"][0] == {
        "row": 3,
        "column": "Date",
        "value": "31/02/2019",
        "reason": "31/02/2019 is not a date",
        "file": "police.csv",
    }


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--agency", "Police"], "not both"),
        (["--mapping", "map.json"], "--mapping is for one file"),
        (["--return", "Police", "police.csv"], "only one file"),
    ],
)
def test_several_returns_refuse_what_cannot_be_meant(
    personas: Personas, tmp_path: Path, extra: list[str], message: str
) -> None:
    write(tmp_path, "map.json", "{}")
    extra = [str(tmp_path / word) if word.endswith((".json", ".csv")) else word for word in extra]
    _, err = fails(*several(tmp_path, *extra))
    assert message in err
    assert not AgencyReturn.objects.exists()


# export


@pytest.fixture
def chronology(personas: Personas, tmp_path: Path) -> Personas:
    run(*import_args(write(tmp_path, "hv.csv", HEALTH), "Health visiting"))
    run(*import_args(write(tmp_path, "police.csv", GOOD + "2019,=cmd,Police log\n")))
    return personas


def test_csv_to_standard_output(chronology: Personas) -> None:
    out, _ = run("export", "--review", "CK2019", "--format", "csv", "-o", "-")
    assert not out.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 4
    assert {"date", "precision", "uncertain", "time", "agency", "source", "description", "link_group"} <= set(rows[0])
    by_description = {row["description"]: row for row in rows}
    assert by_description["Intelligence check on the partner"]["date"] == "2019-06"
    assert by_description["Intelligence check on the partner"]["precision"] == "month"
    assert by_description["'=cmd"]["date"] == "2019"
    incident = by_description["Domestic incident: partner pushed mother; notification to MASH"]
    assert (incident["time"], incident["agency"]) == ("22:15", "Police")
    notification = by_description["MASH notification of the domestic incident: partner pushed mother"]
    assert incident["link_group"] and incident["link_group"] == notification["link_group"]
    assert AuditEvent.objects.filter(event=Event.CHRONOLOGY_EXPORTED, actor=None).count() == 1


def test_csv_to_a_file_has_a_byte_order_mark(chronology: Personas, tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    out, _ = run("export", "--review", "CK2019", "--format", "csv", "-o", str(target))
    assert f"Wrote 4 entries to {target}" in out
    assert target.read_bytes().startswith("\ufeff".encode())


def test_xlsx_and_docx_to_files(chronology: Personas, tmp_path: Path) -> None:
    xlsx = tmp_path / "out.xlsx"
    run("export", "--review", "CK2019", "--format", "xlsx", "-o", str(xlsx))
    book = openpyxl.load_workbook(xlsx)
    values = [cell.value for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert "Intelligence check on the partner" in values and "'=cmd" in values
    assert not any(cell.data_type == "f" for sheet in book.worksheets for row in sheet.iter_rows() for cell in row)
    word = tmp_path / "out.docx"
    out, _ = run("export", "--review", "CK2019", "--format", "docx", "-o", str(word), "--json")
    assert as_json(out) == {"ok": True, "entries": 4, "path": str(word), "say": f"Wrote 4 entries to {word}"}
    document = docx.Document(str(word))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "Intelligence check on the partner" in cells


def test_agency_limits_the_export_to_one_agency(chronology: Personas) -> None:
    out, _ = run("export", "--review", "CK2019", "--format", "csv", "--agency", "health visiting", "-o", "-")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [row["agency"] for row in rows] == ["Health visiting"]
    event = AuditEvent.objects.get(event=Event.CHRONOLOGY_EXPORTED)
    assert "Health visiting return" in event.summary


@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
def test_only_csv_goes_to_standard_output(chronology: Personas, fmt: str) -> None:
    _, err = fails("export", "--review", "CK2019", "--format", fmt, "-o", "-")
    assert "Only CSV, without --json, can be written to standard output" in err
    assert not AuditEvent.objects.filter(event=Event.CHRONOLOGY_EXPORTED).exists()


def test_export_of_an_unknown_review_or_agency_fails(chronology: Personas) -> None:
    _, err = fails("export", "--review", "XX0000", "--format", "csv", "-o", "-")
    assert "There is no review with the reference XX0000" in err
    _, err = fails("export", "--review", "CK2019", "--format", "csv", "--agency", "Fire service", "-o", "-")
    assert "has no agency called Fire service" in err
