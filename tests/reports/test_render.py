"""Every output format: opens, holds the tables, shows 'fewer than k', escapes text."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
from datetime import date

import pytest
from docx import Document

from tests.reports.test_disclosure import case
from vp_desk.reports.aggregate import from_cases
from vp_desk.reports.disclosure import protect
from vp_desk.reports.model import AnnualReport
from vp_desk.services.reporting import render

HOSTILE = (
    "<script>alert('x')</script> [klik](https://evil.example/x) **vet** "
    "\n# kop\n\n| a | b |\n\x1b[2J\x1b]52;c;aGk=\x07 é ë ï & &amp; {{x}} </td></table>"
)


def report(
    lang: str = "nl",
    name: str = "Stichting Zeeën & Co",
    signals: str = HOSTILE,
    recommendations: str = "Meer voorlichting over pesten.",
) -> AnnualReport:
    cases = (
        [case("sexual_harassment", channel="phone")]
        + [case("bullying")] * 7
        + [case("work_conflict", referrals=("hr",))] * 4
    )
    agg = from_cases(
        2026,
        cases,
        open_at_year_end=3,
        consultations=30,
        case_minutes=1350,
        activities={"awareness": (2, 210), "management_advice": (1, 60)},
    )
    return AnnualReport(
        name,
        2026,
        lang,
        protect(agg, 5, 40),
        "external",
        signals,
        recommendations,
        date(2027, 1, 15),
    )


def test_json_has_the_shape_of_the_command_line_contract():
    data = json.loads(render(report("en"), "json"))
    for key in (
        "organisation",
        "year",
        "threshold",
        "new_cases",
        "tables",
        "activities",
        "hours",
        "notes",
    ):
        assert key in data
    assert data["threshold"] == 5 and data["new_cases"] == 12
    assert set(data["hours"]) == {"cases", "activities"}
    for table in data["tables"]:
        assert {"id", "title", "multi", "total", "rows"} <= set(table)
        for row in table["rows"]:
            assert {"code", "label", "count", "suppressed"} <= set(row)
            assert (row["count"] is None) == row["suppressed"]
            assert row["suppressed"] or row["count"] == 0 or row["count"] >= 5
        if not table["multi"]:
            assert table["total"] == data["new_cases"]
    assert data["activities"][0] == {"code": "awareness", "count": 2, "minutes": 210}
    assert all(isinstance(n, str) and n for n in data["notes"])


def test_markdown_escapes_hostile_text_and_shows_fewer_than_k():
    text = render(report(), "md").decode()
    assert "minder dan 5" in text
    assert "<script>" not in text and "\\<script\\>" in text
    assert "\\[klik\\]" in text and "\\*\\*vet\\*\\*" in text
    assert "\n\\# kop" in text and "\\| a \\| b \\|" in text
    assert "\x1b" not in text and "\x07" not in text
    assert "Stichting Zeeën \\& Co" in text


def test_html_is_self_contained_and_escaped():
    text = render(report(), "html").decode()
    assert text.startswith("<!DOCTYPE html>")
    assert not re.search(r"https?://", text.replace("https://evil.example/x", ""))
    assert "https://evil.example/x" in text  # shown as text ...
    assert not re.search(r"""(src|href)\s*=""", text, re.IGNORECASE)  # ... never as a link
    assert "<script" not in text and "&lt;script&gt;" in text
    assert "</td></table>" not in text.split("<h2>Signalen</h2>")[1].split("</div>")[0]
    assert "<svg" in text and "@media print" in text
    assert "minder dan 5" in text
    assert "\x1b" not in text


def test_csv_holds_every_published_row():
    text = render(report("en", name="=HYPERLINK(1)"), "csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    by = {(r["section"], r["code"]): r for r in rows}
    assert by[("report", "organisation")]["value"] == "'=HYPERLINK(1)"
    assert by[("behaviour", "sexual_harassment")]["value"] == "fewer than 5"
    assert by[("behaviour", "sexual_harassment")]["count"] == ""
    assert by[("behaviour", "bullying")]["count"] == "7"
    assert by[("activities", "awareness")]["minutes"] == "210"
    assert by[("key_figures", "new_cases")]["count"] == "12"


def test_docx_opens_with_editable_tables():
    data = render(report(), "docx")
    doc = Document(io.BytesIO(data))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    assert "Seksuele intimidatie" in cells and "minder dan 5" in cells
    assert "Pesten" in cells and "7" in cells
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "<script>alert('x')</script>" in body  # literal text, not markup
    assert "\x1b" not in body
    assert "Aard van het gedrag" in body


@pytest.mark.skipif(
    shutil.which("pdftotext") is None,
    reason="pdftotext (poppler-utils) is not installed; "
    "apt-get install poppler-utils to run this check",
)
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_pdf_opens_and_its_text_holds_the_tables(tmp_path, lang):
    data = render(report(lang, signals="Signalen over pesten in team Zeeën."), "pdf")
    assert data.startswith(b"%PDF")
    path = tmp_path / "r.pdf"
    path.write_bytes(data)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    if lang == "nl":
        for expected in (
            "Jaarverslag vertrouwenspersoon",
            "Aard van het gedrag",
            "Pesten",
            "minder dan 5",
            "Kerncijfers",
            "Voorlichting / training",
            "Stichting Zeeën & Co",
            "team Zeeën",
        ):
            assert expected in text, expected
    else:
        for expected in (
            "Annual report",
            "Type of behaviour",
            "Bullying",
            "fewer than 5",
            "Key figures",
        ):
            assert expected in text, expected


def test_pdf_copes_with_hostile_and_unusual_text():
    weird = HOSTILE + " 😀 \u202e gespiegeld \u0000 " + "lang" * 500
    assert render(report(signals=weird), "pdf").startswith(b"%PDF")


def test_small_organisation_renders_everywhere_without_breakdown():
    agg = from_cases(2026, [case()] * 3, case_minutes=300, activities={"awareness": (1, 90)})
    small = AnnualReport("Bakkerij", 2026, "en", protect(agg, 5, 15), "external")
    md = render(small, "md").decode()
    assert "There is no breakdown" in md and "fewer than 5" in md
    for fmt in ("html", "pdf", "docx", "csv", "json"):
        assert render(small, fmt)


def test_csv_for_dutch_excel_never_starts_a_formula():
    data = render(report("nl", name="Acme;=1+1"), "csv")
    assert data.startswith(b"\xef\xbb\xbf")  # BOM
    text = data.decode("utf-8-sig")
    lines = text.split("\r\n")
    assert lines[0] == '"section";"code";"label";"value";"count";"minutes"'
    assert '"report";"organisation";"Organisatie";"Acme;\'=1+1";"";""' in lines
    # what a program splitting on ';' or ',' would see: no cell starts a formula
    for line in lines:
        for piece in re.split(r"[;,]", line):
            assert not piece.strip('"').startswith(("=", "+", "-", "@", "\t", "\r")), line
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    # every text cell is quoted: a quoted cell stays text, numbers are bare
    assert lines[2] == '"report";"year";"Jaar";2026;2026;""'
    assert rows[1][3] == "Acme;'=1+1"


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is not installed")
def test_a_draft_pdf_is_marked_on_every_page(tmp_path):
    draft = report("nl")
    draft.draft = True
    path = tmp_path / "concept.pdf"
    path.write_bytes(render(draft, "pdf"))
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = [p for p in text.split("\f") if p.strip()]
    assert len(pages) > 1
    assert text.lstrip().startswith("CONCEPT - Jaarverslag")
    assert all("CONCEPT - " in page for page in pages)


def test_csv_shows_a_complementary_hidden_cell_as_hidden_not_fewer_than_k():
    # 3 / 7 / 6 at k = 5: plain suppression would give the 3 away (total minus
    # the rest), so a second cell of k or more is hidden as well. The CSV must
    # not call that cell "fewer than 5": it holds 5 or more.
    cases = [case("sexual_harassment")] * 3 + [case("bullying")] * 7 + [case("intimidation")] * 6
    agg = from_cases(2026, cases, open_at_year_end=0, consultations=16, case_minutes=600)
    figures = protect(agg, 5, 40)
    rows = next(t for t in figures["tables"] if t["id"] == "behaviour")["rows"]
    hidden = [r["code"] for r in rows if r.get("suppressed_as") == "hidden"]
    assert hidden, "expected a complementary suppression in this table"
    rep = AnnualReport("Proef", 2026, "en", figures, "external", "", "", date(2027, 1, 15))
    text = render(rep, "csv").decode("utf-8-sig")
    by = {(r["section"], r["code"]): r for r in csv.DictReader(io.StringIO(text), delimiter=";")}
    for code in hidden:
        assert by[("behaviour", code)]["value"] == "hidden"
        assert by[("behaviour", code)]["count"] == ""
