"""Access request (AVG art. 15): one dossier as Markdown or PDF, after a
warning, with an audit row."""

from __future__ import annotations

import logging
import shutil
import subprocess

import pytest

from tests.conftest import PASSPHRASE, run_cli
from tests.lifecycle.helpers import add_case, add_org, audit_events
from tests.portable import assert_mode
from vp_desk.services import dossier
from vp_desk.services.desk import Desk

NOTE = "Melder vertelt over vergadering; Zoë wil geen vervolg"
CONTACT = "Tweede gesprek: advies over klachtenprocedure"


@pytest.fixture
def case_setup(desk, data_dir):
    org = add_org(desk, "Inzage Klant BV")
    case = add_case(
        desk,
        org.id,
        "2025-03-03",
        closed="2025-04-10",
        notes=NOTE,
        contacts=(
            ("2025-03-04", 50, "Eerste gesprek ```code``` | pipe"),
            ("2025-03-20", 35, CONTACT),
        ),
        behaviours=("intimidation", "bullying"),
        referrals=("care", "hr"),
    )
    add_case(desk, org.id, "2025-03-05", notes="ANDER-DOSSIER niet tonen")
    return {"org": org, "case": case}


def test_markdown_has_fields_notes_contacts_and_timeline(desk, case_setup):
    org, case = case_setup["org"], case_setup["case"]
    md = dossier.render(desk, org.id, case.id, "md", "nl").decode()
    for text in (
        "# Dossier 2025-001",
        "Inzageverzoek (AVG artikel 15)",
        "| Casuscode | 2025-001 |",
        "| Geopend | 2025-03-03 |",
        "| Gesloten | 2025-04-10 |",
        "Intimidatie (hoofdzaak), Pesten",
        "Collega",
        "Advies en meedenken",
        "Hulpverlening (huisarts, psycholoog, maatschappelijk werk)",
        "Zelf opgelost",
        NOTE,
        CONTACT,
        "### 2025-03-20",
        "35 minuten · Persoonlijk",
        "| 2025-03-03 | Melding geopend |",
        "| 2025-04-10 | Melding gesloten |",
        "Eerste gesprek ```code``` | pipe",
    ):
        assert text in md, text
    assert "ANDER-DOSSIER" not in md
    # A note with backticks cannot end its fence early.
    assert "````text\nEerste gesprek ```code``` | pipe\n````" in md
    en = dossier.render(desk, org.id, case.id, "md", "en").decode()
    assert "Access request (GDPR article 15)" in en and "| Case code | 2025-001 |" in en


def test_hostile_text_is_cleaned(desk, case_setup):
    org = case_setup["org"]
    case = add_case(desk, org.id, "2025-05-01", notes="a\x1b]52;c;ZXZpbA==\x07b\u202ec")
    md = dossier.render(desk, org.id, case.id, "md", "en").decode()
    assert "\x1b" not in md and "\u202e" not in md and "\x07" not in md
    pdf = dossier.render(desk, org.id, case.id, "pdf", "en")
    assert pdf.startswith(b"%PDF")


def test_pdf_with_any_unicode_and_nothing_logged(desk, case_setup, caplog):
    org = case_setup["org"]
    case = add_case(desk, org.id, "2025-05-02", notes="Zoë — “quotes” € ✓ 😀 中文 ŁŻ")
    caplog.set_level(logging.DEBUG)
    assert dossier.render(desk, org.id, case.id, "pdf", "nl").startswith(b"%PDF")
    # A font without some glyphs must not put note text into a log line.
    assert not [r for r in caplog.records if "中" in r.getMessage()]


def test_cli_warns_first_then_writes_pdf_with_an_audit_row(desk, data_dir, case_setup, tmp_path):
    org = case_setup["org"]
    desk.close()
    out = tmp_path / "inzage.pdf"
    refused = run_cli(
        "case",
        "export",
        "Inzage Klant BV",
        "2025-001",
        "--format",
        "pdf",
        "--out",
        str(out),
        data_dir=data_dir,
    )
    assert refused.returncode == 2 and "--yes" in refused.stderr
    assert not out.exists()
    done = run_cli(
        "case",
        "export",
        "Inzage Klant BV",
        "2025-001",
        "--format",
        "pdf",
        "--out",
        str(out),
        "--yes",
        data_dir=data_dir,
    )
    assert done.returncode == 0, done.stderr
    assert out.read_bytes().startswith(b"%PDF")
    assert_mode(out, 0o600)
    assert NOTE not in done.stdout + done.stderr
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
        flat = " ".join(text.split())
        assert NOTE in flat and CONTACT in flat and "Contact moments" in flat
    md = run_cli(
        "case", "export", "Inzage Klant BV", "2025-001", "--yes", "--lang", "nl", data_dir=data_dir
    )
    assert md.returncode == 0 and NOTE in md.stdout and CONTACT in md.stdout
    missing = run_cli("case", "export", "Inzage Klant BV", "2031-009", "--yes", data_dir=data_dir)
    assert missing.returncode == 2 and "Traceback" not in missing.stderr
    with Desk.open(data_dir, PASSPHRASE) as again:
        exports = [s for e, s in audit_events(again.conn(org.id)) if e == "export"]
        assert exports == ["dossier 2025-001 pdf", "dossier 2025-001 md"]
