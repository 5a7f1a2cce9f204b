"""``vp-desk report --all`` (issue 13, item 11): every organisation's report after
one unlock; refused ones listed with their reasons; nothing replaced; and the
hours against the agreed hours of the appointment terms."""

from __future__ import annotations

import json
from datetime import date

import pytest

from tests.conftest import PASSPHRASE, run_cli
from tests.reports.conftest import YEAR, add_org, case_data
from vp_desk.services import all_reports, contracts, reporting
from vp_desk.services.desk import Desk


@pytest.fixture
def three(desk, data_dir):
    """Acme (clean), Beta (a final report, then a late case), Gamma (personal data in text)."""
    acme = add_org(desk, "Acme BV")
    beta = add_org(desk, "Beta & Zonen")
    gamma = add_org(desk, "Gamma/Groep")
    reporting.export(desk, beta.id, YEAR, "json", final=True)
    desk.insert_cases(beta.id, [(case_data(date(YEAR, 12, 1), "bullying"), [])], event="test")
    reporting.save_texts(desk, gamma.id, YEAR, "Bel fictief 06-12345678 voor info.", "")
    contracts.set_terms(
        desk, acme.id, start="2024-01-01", end="2026-12-31", agreed_hours=40, kind="external"
    )
    return {"acme": acme, "beta": beta, "gamma": gamma}


def test_every_report_or_its_reason(desk, three, tmp_path):
    out = tmp_path / "reports"
    seen = []
    results = all_reports.export_all(
        desk, YEAR, "json", out, progress=lambda done, total: seen.append((done, total))
    )
    assert seen == [(1, 3), (2, 3), (3, 3)]
    by_name = {r.organisation: r for r in results}
    assert by_name["Acme BV"].written and by_name["Acme BV"].reason == ""
    assert by_name["Beta & Zonen"].reason == "ledger" and not by_name["Beta & Zonen"].written
    assert by_name["Gamma/Groep"].reason == "text" and not by_name["Gamma/Groep"].written
    assert sorted(p.name for p in out.iterdir()) == [f"jaarverslag-acme-bv-{YEAR}.json"]
    acme = json.loads((out / f"jaarverslag-acme-bv-{YEAR}.json").read_text())
    assert acme["organisation"] == "Acme BV" and acme["agreed_hours"] == 40
    assert acme["adviser"] == "external"
    # Exactly what a single report of Acme holds.
    single = reporting.export(desk, three["acme"].id, YEAR, "json")
    assert (out / f"jaarverslag-acme-bv-{YEAR}.json").read_bytes() == single.data

    # Run again: nothing is replaced; the withheld and confirmed ones go out.
    before = (out / f"jaarverslag-acme-bv-{YEAR}.json").read_bytes()
    again = all_reports.export_all(desk, YEAR, "md", out, withhold=True, confirm_text=True)
    assert all(r.written for r in again)
    assert {r.organisation: r.reason for r in again}["Beta & Zonen"] == "withheld"
    again = all_reports.export_all(desk, YEAR, "json", out)
    assert {r.reason for r in again if r.organisation == "Acme BV"} == {"exists"}
    assert (out / f"jaarverslag-acme-bv-{YEAR}.json").read_bytes() == before


def test_the_report_shows_hours_against_the_agreed_hours(desk, three):
    report = reporting.build(desk, three["acme"].id, YEAR, lang="en")
    md = reporting.render(report, "md").decode()
    assert "Hours against the appointment" in md and "of 40 agreed" in md
    nl = reporting.render(reporting.build(desk, three["acme"].id, YEAR, lang="nl"), "md").decode()
    assert "Uren t.o.v. aanstelling" in nl and "van 40 afgesproken" in nl
    plain = reporting.render(reporting.build(desk, three["gamma"].id, YEAR, lang="en"), "md")
    assert b"agreed" not in plain


def test_cli_report_all(desk, three, data_dir, tmp_path):
    desk.close()
    out = tmp_path / "jan"
    result = run_cli(
        "report",
        "--all",
        "--year",
        str(YEAR),
        "--format",
        "pdf",
        "--out-dir",
        str(out),
        data_dir=data_dir,
    )
    assert result.returncode == 1, result.stderr
    assert "1 of 3 reports written" in result.stdout
    assert "Beta & Zonen: the figures changed since the report was issued" in result.stderr
    assert "Gamma/Groep: the free text seems to contain personal data" in result.stderr
    assert "06-12345678" not in result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    pdf = out / f"jaarverslag-acme-bv-{YEAR}.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    ok = run_cli(
        "--lang",
        "nl",
        "report",
        "--all",
        "--year",
        str(YEAR),
        "--format",
        "md",
        "--out-dir",
        str(out),
        "--withhold-changes",
        "--confirm-text",
        data_dir=data_dir,
    )
    assert ok.returncode == 0, ok.stderr
    assert "3 van 3 jaarverslagen geschreven" in ok.stdout
    assert "Beta & Zonen: geschreven met de casuscijfers achtergehouden" in ok.stdout
    for args in (
        ("report", "Acme BV", "--all", "--year", str(YEAR), "--out-dir", str(out)),
        ("report", "--all", "--year", str(YEAR)),
        ("report", "--year", str(YEAR)),
    ):
        bad = run_cli(*args, data_dir=data_dir)
        assert bad.returncode == 2 and "Traceback" not in bad.stderr, (args, bad.stderr)
    with Desk.open(data_dir, PASSPHRASE) as again:
        assert len(again.organisations()) == 3
