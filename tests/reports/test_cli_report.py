"""``vp-desk report`` and ``vp-desk hours`` as a user runs them."""

from __future__ import annotations

import json
from datetime import date

import pytest

from tests.conftest import run_cli
from tests.portable import posix_only
from tests.reports.conftest import YEAR, add_org, case_data


@pytest.fixture
def folder(desk, data_dir):
    add_org(desk)
    desk.close()
    return data_dir


def test_report_json_on_stdout_in_the_organisations_language(folder):
    result = run_cli("report", "Acme BV", "--year", str(YEAR), "--format", "json", data_dir=folder)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["organisation"] == "Acme BV" and data["new_cases"] == 12
    assert data["tables"][0]["title"] == "Aard van het gedrag"
    english = run_cli(
        "report",
        "Acme BV",
        "--year",
        str(YEAR),
        "--format",
        "json",
        "--lang",
        "en",
        data_dir=folder,
    )
    assert json.loads(english.stdout)["tables"][0]["title"] == "Type of behaviour"


def test_binary_formats_need_an_output_file(folder, tmp_path):
    result = run_cli("report", "Acme BV", "--year", str(YEAR), "--format", "pdf", data_dir=folder)
    assert result.returncode == 2 and "--out" in result.stderr
    out = tmp_path / "jaarverslag.docx"
    result = run_cli(
        "report",
        "Acme BV",
        "--year",
        str(YEAR),
        "--format",
        "docx",
        "--out",
        str(out),
        data_dir=folder,
    )
    assert result.returncode == 0, result.stderr
    assert out.read_bytes()[:2] == b"PK"


def test_free_text_with_personal_data_is_refused_until_confirmed(folder, tmp_path):
    signals = tmp_path / "signals.txt"
    signals.write_text("Contact: fictief.persoon@example.org, BSN 111222333.", encoding="utf-8")
    result = run_cli(
        "report", "Acme BV", "--year", str(YEAR), "--signals-file", str(signals), data_dir=folder
    )
    assert result.returncode == 1
    assert "signals: an e-mail address" in result.stderr
    assert "signals: a citizen service number (BSN)" in result.stderr
    assert "example.org" not in result.stderr and "111222333" not in result.stderr
    assert "Traceback" not in result.stderr
    result = run_cli("report", "Acme BV", "--year", str(YEAR), "--confirm-text", data_dir=folder)
    assert result.returncode == 0, result.stderr
    assert "fictief.persoon@example.org" in result.stdout


def test_final_then_a_late_case_is_refused_then_withheld(folder, desk_reopen):
    first = run_cli(
        "report", "Acme BV", "--year", str(YEAR), "--final", "--format", "json", data_dir=folder
    )
    assert first.returncode == 0, first.stderr
    assert "Recorded in the ledger" in first.stderr
    with desk_reopen(folder) as desk:
        org = desk.find_organisation("Acme BV")
        desk.insert_cases(org.id, [(case_data(date(YEAR, 12, 1), "bullying"), [])], event="test")
    again = run_cli("report", "Acme BV", "--year", str(YEAR), "--format", "json", data_dir=folder)
    assert again.returncode == 1
    assert "already written" in again.stderr and "--withhold-changes" in again.stderr
    assert again.stdout == ""
    withheld = run_cli(
        "report",
        "Acme BV",
        "--year",
        str(YEAR),
        "--format",
        "json",
        "--final",
        "--withhold-changes",
        data_dir=folder,
    )
    assert withheld.returncode == 0, withheld.stderr
    assert json.loads(withheld.stdout)["new_cases"] is None
    assert "withheld" in withheld.stderr


def test_hours_for_invoicing(folder):
    result = run_cli(
        "hours",
        "Acme BV",
        "--from",
        f"{YEAR}-01-01",
        "--to",
        f"31-3-{YEAR}",
        "--format",
        "csv",
        "--lang",
        "en",
        data_dir=folder,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.lstrip("\ufeff").splitlines()
    assert lines[0] == '"code";"label";"count";"minutes";"hours"'
    assert '"awareness";"Awareness / training";1;120;"2"' in lines
    assert '"total";"Total";"";345;"5,75"' in lines
    bad = run_cli("hours", "Acme BV", "--from", "gisteren", "--to", "2025-01-01", data_dir=folder)
    assert bad.returncode == 2 and "--from" in bad.stderr


def test_unknown_organisation_is_a_plain_error(folder):
    result = run_cli("report", "Niemand", "--year", str(YEAR), data_dir=folder)
    assert result.returncode == 2 and "no organisation" in result.stderr


def test_out_refuses_to_replace_a_file_without_force(folder, tmp_path):
    out = tmp_path / "verslag.md"
    out.write_bytes(b"earlier work")
    args = ("report", "Acme BV", "--year", str(YEAR), "--out", str(out))
    refused = run_cli(*args, data_dir=folder)
    assert refused.returncode == 2 and "already exists" in refused.stderr
    assert "--force" in refused.stderr and "Traceback" not in refused.stderr
    assert out.read_bytes() == b"earlier work"
    with_force = run_cli(*args, "--force", data_dir=folder)
    assert with_force.returncode == 0, with_force.stderr
    assert out.read_bytes().startswith(b"# CONCEPT - Jaarverslag")
    assert "draft" in with_force.stderr


@posix_only
def test_report_with_stdout_closed_is_one_sentence_and_writes_nothing(folder, desk_reopen):
    import os
    import subprocess
    import sys

    from tests.conftest import PASSPHRASE

    env = {k: v for k, v in os.environ.items() if not k.startswith("VP_DESK_")}
    env.update({"VP_DESK_KDF": "minimum", "VP_DESK_PASSPHRASE": PASSPHRASE, "VP_DESK_LANG": "en"})
    env["VP_DESK_HOME"] = str(folder)
    for command in (["report", "Acme BV", "--year", str(YEAR)], ["hours", "Acme BV"]):
        if command[0] == "hours":
            command += ["--from", f"{YEAR}-01-01", "--to", f"{YEAR}-01-31"]
        proc = subprocess.run(
            [sys.executable, "-m", "vp_desk", *command],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=env,
            text=True,
            pass_fds=(),
            preexec_fn=lambda: os.close(1),
            timeout=120,
        )
        assert proc.returncode == 2, proc.stderr
        assert "Standard output is closed" in proc.stderr
        assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    from vp_desk.reports import ledger

    with desk_reopen(folder) as desk:
        org = desk.find_organisation("Acme BV")
        assert ledger.entries(desk.index, org.id, YEAR) == []


def test_drafts_on_stdout_count_and_can_be_forgotten_with_confirmation(folder, desk_reopen):
    draft = run_cli("report", "Acme BV", "--year", str(YEAR), "--format", "csv", data_dir=folder)
    assert draft.returncode == 0, draft.stderr
    assert '"CONCEPT"' in draft.stdout and "Recorded in the ledger" in draft.stderr
    with desk_reopen(folder) as desk:
        org = desk.find_organisation("Acme BV")
        desk.insert_cases(org.id, [(case_data(date(YEAR, 12, 1), "bullying"), [])], event="test")
    refused = run_cli("report", "Acme BV", "--year", str(YEAR), data_dir=folder)
    assert refused.returncode == 1 and refused.stdout == ""
    no = run_cli("report", "Acme BV", "--year", str(YEAR), "--forget-drafts", data_dir=folder)
    assert no.returncode == 2  # no terminal to confirm on, no --yes
    forget = run_cli(
        "report", "Acme BV", "--year", str(YEAR), "--forget-drafts", "--yes", data_dir=folder
    )
    assert forget.returncode == 0 and "1 draft(s)" in forget.stderr
    assert run_cli("report", "Acme BV", "--year", str(YEAR), data_dir=folder).returncode == 0


def test_invoice_specification_on_the_command_line(folder, tmp_path):
    period = ("--from", f"{YEAR}-01-01", "--to", f"{YEAR}-03-31")
    refused = run_cli("hours", "Acme BV", *period, "--invoice", data_dir=folder)
    assert refused.returncode == 2 and "not disclosed" in refused.stderr
    day = run_cli(
        "hours",
        "Acme BV",
        "--from",
        f"{YEAR}-11-30",
        "--to",
        f"{YEAR}-11-30",
        "--invoice",
        "--disclose-case-hours",
        "yes",
        data_dir=folder,
    )
    assert day.returncode == 2 and "whole months" in day.stderr
    out = tmp_path / "specificatie.md"
    ok = run_cli(
        "hours", "Acme BV", *period, "--invoice", "--out", str(out), "--lang", "en", data_dir=folder
    )
    assert ok.returncode == 0, ok.stderr
    text = out.read_text(encoding="utf-8")
    assert "(cases and prevention combined) | 6.0 |" in text
    again = run_cli("hours", "Acme BV", *period, "--invoice", "--out", str(out), data_dir=folder)
    assert again.returncode == 2 and out.read_text(encoding="utf-8") == text


def test_free_text_examples_of_the_issue_are_refused(folder, tmp_path):
    signals = tmp_path / "signals.txt"
    signals.write_text(
        "Twee meldingen over seksuele intimidatie kwamen van mevrouw De Vries van afdeling "
        "Inkoop, de afdeling van 3 medewerkers (1012 AB 12, 06\u201312345678, 12-03-1985).",
        encoding="utf-8",
    )
    result = run_cli(
        "report", "Acme BV", "--year", str(YEAR), "--signals-file", str(signals), data_dir=folder
    )
    assert result.returncode == 1 and result.stdout == ""
    for kind in (
        "a phone number",
        "a date",
        "an address",
        "a name with a title or role",
        "a team or department with its size",
        "a number of cases below the threshold",
    ):
        assert f"signals: {kind}" in result.stderr
    assert "De Vries" not in result.stderr and "1012" not in result.stderr


def test_report_messages_follow_the_language(folder):
    dutch = run_cli("--lang", "nl", "report", "Acme BV", "--year", str(YEAR), data_dir=folder)
    assert dutch.returncode == 0, dutch.stderr
    assert "Vastgelegd in het grootboek van geschreven verslagen (2025, concept" in dutch.stderr
    assert dutch.stdout.startswith("# CONCEPT - Jaarverslag")
