"""Importing cases from CSV and XLSX files (docs/en/daily-use.md, "Importing earlier records").

Real files in the formats Excel writes, real vaults; values are checked
through the Desk API after the import."""

from __future__ import annotations

import hashlib
import random
import re
import subprocess
import sys
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import PASSPHRASE, run_cli
from tests.portable import posix_only
from vp_desk.domain.models import CaseInput, OrganisationInput
from vp_desk.services import importer, synthetic
from vp_desk.services.desk import Desk

ORG = "Stichting Voorbeeld"
SECRET = "ZQX-geheim-9931"

DUTCH_CSV = (
    "geopend;gesloten;rol;gedrag;relatie;hulp;doorverwijzing;vervolg;kanaal;"
    "contactmomenten;minuten;notities\r\n"
    # Dutch labels, D-M-YYYY, several values with | and with commas in a quoted cell
    '3-2-2025;10-3-2025;Melder (betrokkene);"Pesten|Intimidatie";Collega;'
    '"Opvang, Advies en meedenken";'
    '"Hulpverlening (huisarts, psycholoog, maatschappelijk werk)|Bedrijfsarts";'
    'Zelf opgelost;Telefoon;3;100;"Fictieve notitie\r\nover twee regels"\r\n'
    # codes instead of labels, odd case and spaces, an open case, defaults
    "05-01-2026;;  getuige ;ARBEIDSCONFLICT;leidinggevende;opvang;;;persoonlijk;;;\r\n"
    # a label with commas in a single-valued column, zero contact moments
    '7-1-2026;8-1-2026;Informatievraag;overig;"Derde (klant, patiënt, leerling, leverancier)";'
    "Informatie over procedures;;Geen vervolg / melder ziet af;Schriftelijk;0;0;\r\n"
)


@pytest.fixture
def folder(data_dir) -> Path:
    """A data folder with one organisation, closed again (the CLI opens it)."""
    with Desk.create(data_dir, PASSPHRASE) as desk:
        desk.add_organisation(OrganisationInput(ORG, employees=120))
    return data_dir


def _open(folder: Path) -> Desk:
    return Desk.open(folder, PASSPHRASE)


def _cases(folder: Path) -> list:
    with _open(folder) as desk:
        org = desk.find_organisation(ORG)
        return [desk.get_case(org.id, s.id) for s in reversed(desk.list_cases(org.id))]


def _hashes(*paths: Path) -> dict[str, str]:
    result = {}
    for path in paths:
        files = sorted(path.iterdir()) if path.is_dir() else [path]
        for f in files:
            if f.is_file():
                result[str(f)] = hashlib.sha256(f.read_bytes()).hexdigest()
    return result


def test_dutch_excel_csv_imports_with_every_value(folder, tmp_path):
    path = tmp_path / "meldingen.csv"
    path.write_bytes(b"\xef\xbb\xbf" + DUTCH_CSV.encode("utf-8"))
    result = run_cli("import", ORG, str(path), data_dir=folder)
    assert result.returncode == 0, result.stderr
    assert "Imported 3 cases" in result.stdout

    first, second, third = _cases(folder)
    assert (first.code, first.opened, first.closed, first.status) == (
        "2025-001",
        date(2025, 2, 3),
        date(2025, 3, 10),
        "closed",
    )
    assert first.behaviours == ("bullying", "intimidation")
    assert first.primary_behaviour == "bullying"
    assert first.contact_role == "affected"
    assert first.relation == "colleague"
    assert set(first.help) == {"initial_support", "advice"}
    assert set(first.referrals) == {"care", "occupational_physician"}
    assert first.outcome == "resolved_self"
    assert first.channel == "phone"
    assert first.notes == "Fictieve notitie\nover twee regels"
    # 100 minutes over 3 contact moments, from opened to closed
    assert [c.minutes for c in first.consultations] == [34, 33, 33]
    assert [c.date for c in first.consultations] == [
        date(2025, 2, 3),
        date(2025, 2, 21),
        date(2025, 3, 10),
    ]
    assert all(c.channel == "phone" for c in first.consultations)

    assert (second.code, second.status, second.closed) == ("2026-001", "open", None)
    assert second.contact_role == "witness" and second.behaviours == ("work_conflict",)
    assert second.relation == "manager" and second.channel == "in_person"
    assert [(c.date, c.minutes) for c in second.consultations] == [(date(2026, 1, 5), 0)]

    assert third.code == "2026-002"
    assert third.relation == "third_party" and third.outcome == "no_follow_up"
    assert third.consultations == ()


def test_audit_row_import_is_written(folder, tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("opened,behaviours\n2026-01-02,bullying\n2026-01-03,intimidation\n")
    assert run_cli("import", ORG, str(path), data_dir=folder).returncode == 0
    with _open(folder) as desk:
        conn = desk.conn(desk.find_organisation(ORG).id)
        events = [tuple(r) for r in conn.execute("SELECT event, subject FROM audit")]
        assert ("import", "2 cases") in events
        assert desk.verify() == []


def test_one_bad_row_imports_nothing_and_names_line_and_reason(folder, tmp_path):
    path = tmp_path / "m.csv"
    path.write_text(
        "opened,behaviours,notes\n"
        "2026-01-02,bullying,fine\n"
        f'2026-01-03,pestem,"{SECRET}\nsecond line of the note"\n'
        f'2026-01-04,bullying,"{SECRET}"\n'
        f"2026-01-05,work_conflict,{SECRET}\n"
        f"31-2-2026,bullying,{SECRET}\n"
    )
    before = _hashes(folder)
    result = run_cli("import", ORG, str(path), data_dir=folder)
    assert result.returncode == 2
    assert "line 3: behaviours: Unknown value: 'pestem'." in result.stderr
    # line 7, not 6: the quoted note on line 3 spans two lines of the file
    assert "line 7: opened: Not a valid date" in result.stderr
    assert "nothing was imported" in result.stderr
    assert SECRET not in result.stderr + result.stdout
    assert "Traceback" not in result.stderr
    assert _cases(folder) == []
    assert _hashes(folder).keys() == before.keys()


def test_reasons_in_dutch(folder, tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("geopend;gedrag;gesloten\n2-1-2026;pesten;1-1-2026\n")
    result = run_cli("--lang", "nl", "import", ORG, str(path), data_dir=folder)
    assert result.returncode == 2
    assert "regel 2: gesloten: De sluitdatum ligt voor de openingsdatum." in result.stderr


def test_skip_bad_imports_the_good_rows_and_lists_the_bad(folder, tmp_path):
    path = tmp_path / "m.csv"
    path.write_text(
        "opened,behaviours,closed,outcome\n"
        "2026-01-02,bullying,,\n"
        "2026-01-03,bullying,2026-01-09,\n"  # closed without outcome
        "2026-01-04,intimidation,2026-01-05,resolved_self\n"
    )
    result = run_cli("import", ORG, str(path), "--skip-bad", data_dir=folder)
    assert result.returncode == 0, result.stderr
    assert "line 3: outcome: Choose an outcome when closing." in result.stderr
    assert "1 row(s) skipped" in result.stderr
    assert "Imported 2 cases" in result.stdout
    cases = _cases(folder)
    assert [(c.opened, c.primary_behaviour) for c in cases] == [
        (date(2026, 1, 2), "bullying"),
        (date(2026, 1, 4), "intimidation"),
    ]


def test_dry_run_changes_nothing(folder, tmp_path):
    path = tmp_path / "m.csv"
    path.write_bytes(b"\xef\xbb\xbf" + DUTCH_CSV.encode("utf-8"))
    with _open(folder) as desk:  # one existing case, so the vault is not empty
        desk.create_case(
            desk.find_organisation(ORG).id, CaseInput(opened="2026-01-01", behaviours=["bullying"])
        )
    before = _hashes(folder, path)
    result = run_cli("import", ORG, str(path), "--dry-run", data_dir=folder)
    assert result.returncode == 0, result.stderr
    assert "3 of 3 cases are valid" in result.stdout
    assert "4 contact moments" in result.stdout
    assert "Nothing was changed" in result.stdout
    assert _hashes(folder, path) == before
    assert len(_cases(folder)) == 1


def test_dry_run_with_bad_rows_reports_them_and_exits_2(folder, tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("opened,behaviours\n2026-01-02,bullying\n2026-01-03,nonsense\n")
    before = _hashes(folder, path)
    result = run_cli("import", ORG, str(path), "--dry-run", data_dir=folder)
    assert result.returncode == 2
    assert "line 3: behaviours: Unknown value: 'nonsense'." in result.stderr
    assert "1 of 2 cases are valid" in result.stdout
    assert _hashes(folder, path) == before


def test_xlsx_import_with_date_cells(folder, tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(
        [
            "Geopend",
            "Gesloten",
            "Gedrag",
            "Hulp",
            "Vervolg",
            "Kanaal",
            "Contactmomenten",
            "Minuten",
            "Notities",
        ]
    )
    sheet.append(
        [
            datetime(2025, 6, 2),
            date(2025, 6, 30),
            "Seksuele intimidatie|pesten",
            "Opvang",
            "Formele klacht",
            "Video",
            2,
            90,
            "Fictieve notitie",
        ]
    )
    sheet.append(["4-7-2025", None, "discrimination", None, None, None, None, None, 12345])
    path = tmp_path / "meldingen.xlsx"
    book.save(path)
    result = run_cli("import", ORG, str(path), data_dir=folder)
    assert result.returncode == 0, result.stderr
    first, second = _cases(folder)
    assert (first.opened, first.closed) == (date(2025, 6, 2), date(2025, 6, 30))
    assert first.behaviours == ("sexual_harassment", "bullying")
    assert first.outcome == "formal_complaint" and first.channel == "video"
    assert [(c.date, c.minutes) for c in first.consultations] == [
        (date(2025, 6, 2), 45),
        (date(2025, 6, 30), 45),
    ]
    assert first.notes == "Fictieve notitie"
    assert second.opened == date(2025, 7, 4) and second.notes == "12345"


def test_xlsx_bad_row_uses_sheet_row_numbers(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["opened", "behaviours"])
    sheet.append([date(2025, 1, 2), "bullying"])
    sheet.append([None, None])  # an empty row is skipped but still counted
    sheet.append([date(2025, 1, 3), "unheard-of"])
    path = tmp_path / "m.xlsx"
    book.save(path)
    plan = importer.plan_import(path, "en")
    assert plan.kind == "xlsx" and plan.ok_count == 1
    assert [e.message for e in plan.errors] == ["line 4: behaviours: Unknown value: 'unheard-of'."]


def test_windows_1252_file(folder, tmp_path):
    text = (
        "opened;behaviours;relation;notes\r\n"
        "2-3-2026;Discriminatie;Derde (klant, patiënt, leerling, leverancier);"
        "Fictief: gesprek in het café, € 0\r\n"
    )
    path = tmp_path / "ansi.csv"
    path.write_bytes(text.encode("cp1252"))
    result = run_cli("import", ORG, str(path), data_dir=folder)
    assert result.returncode == 0, result.stderr
    (case,) = _cases(folder)
    assert case.relation == "third_party"
    assert case.notes == "Fictief: gesprek in het café, € 0"


def test_hostile_text_in_notes_is_stored_stripped(folder, tmp_path):
    hostile = (
        "start\x1b]52;c;ZXZpbA==\x07 \x1b[2J\u009b31m [b]bold[/b] "
        "[link=https://x]y[/link] \u202egnp.exe\u2066 \x7fend"
    )
    path = tmp_path / "m.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(f'opened,behaviours,notes\n2026-01-02,bullying,"{hostile}"\n')
    result = run_cli("import", ORG, str(path), data_dir=folder)
    assert result.returncode == 0, result.stderr
    (case,) = _cases(folder)
    assert case.notes == (
        "start]52;c;ZXZpbA== [2J31m [b]bold[/b] [link=https://x]y[/link] gnp.exe end"
    )
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", case.notes)


@pytest.mark.parametrize(
    "content, expected",
    [
        (b"", "The file is empty"),
        (b"\xef\xbb\xbf\r\n\r\n", "The file is empty"),
        (b"opened,behaviours\n", "column names but no cases"),
        (b"opened,colour\n2026-01-02,red\n", "Unknown column(s): 'colour'"),
        (b"opened;geopend\n2026-01-02;2026-01-02\n", "more than once: opened / geopend"),
        (b"behaviours,notes\nbullying,x\n", "The column 'opened'"),
        (b"Lorem ipsum dolor sit amet\nconsectetur adipiscing\n", "no known column names"),
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + random.Random(5).randbytes(2000),
            "not a CSV or XLSX file",
        ),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "old Excel file (.xls)"),
        (b"PK\x03\x04" + b"not really a zip" * 10, "cannot be read as an Excel workbook"),
    ],
    ids=[
        "empty",
        "blank-lines",
        "header-only",
        "unknown-column",
        "duplicate-column",
        "no-opened",
        "prose",
        "png",
        "old-xls",
        "broken-zip",
    ],
)
def test_unusable_files_give_a_clear_error(folder, tmp_path, content, expected):
    path = tmp_path / "input.csv"
    path.write_bytes(content)
    result = run_cli("import", ORG, str(path), data_dir=folder)
    assert result.returncode == 2, result.stderr
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert _cases(folder) == []


def test_huge_and_missing_files(folder, tmp_path):
    huge = tmp_path / "huge.csv"
    with open(huge, "wb") as fh:
        fh.truncate(importer.MAX_FILE_BYTES + 1)
    result = run_cli("import", ORG, str(huge), data_dir=folder)
    assert result.returncode == 2 and "too large" in result.stderr
    result = run_cli("import", ORG, str(tmp_path / "absent.csv"), data_dir=folder)
    assert result.returncode == 2 and "does not exist" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_organisation_is_a_clear_error(folder, tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("opened,behaviours\n2026-01-02,bullying\n")
    result = run_cli("import", "No Such Org", str(path), data_dir=folder)
    assert result.returncode == 2
    assert "no organisation with that name" in result.stderr


# -- the API the TUI uses -------------------------------------------------------------------


def test_plan_and_apply_api(desk, org, tmp_path):
    path = tmp_path / "m.csv"
    path.write_text(
        "sep=;\nopened;behaviours;consultations;minutes\n"
        "2026-01-03;bullying;2;3000\n"  # too many minutes for 2
        "2026-01-02;intimidation;4;250\n"
        "2025-12-30;work_conflict;;\n"
        "2026-01-04;other;0;10\n"
    )  # minutes without contacts
    plan = importer.plan_import(path, "en")
    assert (plan.ok_count, plan.bad_count, plan.total_rows) == (2, 2, 4)
    assert [e.line for e in plan.errors] == [3, 6]
    assert plan.errors[0].fields == ("minutes",)
    assert "fit in 2 contact moment(s)" in plan.errors[0].message
    assert plan.consultation_count == 5 and plan.minutes == 250

    with pytest.raises(importer.ImportRejected):
        importer.apply_import(desk, org.id, plan)
    assert desk.count_cases(org.id) == 0

    result = importer.apply_import(desk, org.id, plan, skip_bad=True)
    # Written in order of opening date, so the codes follow the calendar.
    assert result.codes == ("2025-001", "2026-001")
    case = desk.find_case(org.id, "2026-001")
    assert case.opened == date(2026, 1, 2)
    assert [c.minutes for c in case.consultations] == [63, 63, 62, 62]


def test_split_values_keeps_labels_with_commas():
    assert importer.split_values("Care (GP, psychologist, social work), hr") == [
        "Care (GP, psychologist, social work)",
        "hr",
    ]
    assert importer.split_values(" a | b ,c|") == ["a", "b ,c"]


def test_future_dates_and_notes_too_long_are_rejected(tmp_path):
    tomorrow2 = date.today() + timedelta(days=3)
    path = tmp_path / "m.csv"
    path.write_text(
        f"opened,behaviours,notes\n{tomorrow2.isoformat()},bullying,x\n"
        f"2026-01-02,bullying,{'y' * 20_001}\n"
    )
    plan = importer.plan_import(path, "en")
    assert [e.message for e in plan.errors] == [
        "line 2: opened: This date is in the future.",
        "line 3: notes: Too long (at most 20000 characters).",
    ]


def test_synthetic_export_file_round_trips(desk, org, tmp_path):
    path = tmp_path / "synthetic.csv"
    items = synthetic.write_import_csv(path, 200, lang="nl")
    plan = importer.plan_import(path, "nl")
    assert plan.bad_count == 0 and plan.ok_count == 200
    # The import file has no follow-up column; everything else survives.
    assert [r.case for r in plan.rows] == [replace(case, follow_up=None) for case, _ in items]
    assert plan.consultation_count == sum(len(c) for _, c in items)


# -- all or nothing when the process is killed -----------------------------------------------


@posix_only
def test_import_killed_midway_leaves_nothing(tmp_path):
    """SIGKILL while the progress bar shows the write a third done: zero cases stay,
    and the integrity checks and audit chains are clean (kill9_lib checks both)."""
    from tests.stress.kill9_lib import kill_import, setup

    folder = tmp_path / "data"
    setup(folder)
    path = tmp_path / "big.csv"
    synthetic.write_import_csv(path, 6_000, lang="nl")
    outcome = kill_import(folder, random.Random(1), path, 6_000, at_percent=33)
    assert outcome.detail == "writing"  # the kill landed inside the transaction
    assert outcome.problems == []
    assert outcome.committed is False and outcome.acknowledged == 0


def test_a_long_text_in_a_code_column_is_not_echoed(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text(f"opened,outcome\n2026-01-02,{SECRET} told me all about it at length\n")
    (error,) = importer.plan_import(path, "en").errors
    assert SECRET not in error.message
    assert "a text of 46 characters (is a column shifted?)" in error.message


def test_import_and_demo_commands_do_not_import_textual():
    code = (
        "import sys\n"
        "import vp_desk.cli.import_cmd, vp_desk.cli.demo_cmd\n"
        "import vp_desk.services.importer, vp_desk.services.synthetic\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "assert not bad, bad\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
