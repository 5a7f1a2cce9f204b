"""``vp-desk demo`` and the synthetic data generator behind it."""

from __future__ import annotations

import hashlib
import json
import sys
import types
from collections import Counter
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import PASSPHRASE, run_cli
from vp_desk.domain.models import CaseInput, OrganisationInput, validate_case
from vp_desk.services import synthetic
from vp_desk.services.desk import Desk

DEMO = synthetic.DEMO_PASSPHRASE
TODAY = date(2026, 3, 15)


def _dump(folder: Path) -> list:
    """Everything a user can see of the folder's content, through the Desk API."""
    with Desk.open(folder, DEMO) as desk:
        result = []
        for org in desk.organisations():
            cases = [desk.get_case(org.id, s.id) for s in desk.list_cases(org.id)]
            result.append(
                {
                    "org": replace(org, vault_id="", id=0),  # numbers are never reused
                    "cases": cases,
                    "activities": desk.list_activities(org.id),
                    "repeat": [desk.repeat_subject_count(org.id, c.id) for c in cases],
                }
            )
        return result


def _files(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file()
    }


def test_demo_is_deterministic_and_readable_with_the_demo_passphrase(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    for folder in (a, b):
        result = run_cli("demo", "--no-tui", "--data-dir", str(folder), passphrase=None)
        assert result.returncode == 0, result.stderr
        assert "Passphrase: vertrouwelijk-demo" in result.stdout
        assert str(folder) in result.stdout
    listings = []
    for folder in (a, b):
        orgs = run_cli("org", "list", "--json", data_dir=folder, passphrase=DEMO)
        assert orgs.returncode == 0, orgs.stderr
        rows = json.loads(orgs.stdout)
        cases = {}
        for row in rows:
            listed = run_cli(
                "case", "list", row["name"], "--json", data_dir=folder, passphrase=DEMO
            )
            assert listed.returncode == 0, listed.stderr
            cases[row["name"]] = json.loads(listed.stdout)
        listings.append((rows, cases))
    assert listings[0] == listings[1]
    rows, cases = listings[0]
    assert [(r["name"], r["employees"]) for r in rows] == [
        ("Demo Bakkerij Klein", 15),
        ("Demo Gemeente Voorbeeldstad", 900),
        ("Demo Zorggroep Midden", 120),
    ]
    assert sum(len(c) for c in cases.values()) > 100
    # and the rest of the content (notes, contact moments, activities) too
    assert _dump(a) == _dump(b)


def test_demo_reuses_its_folder(tmp_path):
    folder = tmp_path / "demo"
    assert run_cli("demo", "--no-tui", "--data-dir", str(folder)).returncode == 0
    before = _dump(folder)
    again = run_cli("demo", "--no-tui", "--data-dir", str(folder))
    assert again.returncode == 0, again.stderr
    assert "Using the existing demo data folder" in again.stdout
    assert _dump(folder) == before


def test_demo_default_folder_is_a_separate_sibling(tmp_path):
    env = {"XDG_DATA_HOME": str(tmp_path / "share"), "HOME": str(tmp_path / "home")}
    result = run_cli("demo", "--no-tui", env=env)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "share" / "vp_desk-demo" / "keyfile.json").exists()
    assert not (tmp_path / "share" / "vp_desk").exists()


def test_demo_refuses_a_real_data_folder_and_changes_nothing(tmp_path):
    real = tmp_path / "real"
    with Desk.create(real, PASSPHRASE) as desk:
        desk.add_organisation(OrganisationInput("Echte Klant BV"))
    before = _files(real)
    result = run_cli("demo", "--no-tui", "--data-dir", str(real))
    assert result.returncode == 2
    assert "not a vp_desk demo folder" in result.stderr
    assert _files(real) == before

    other = tmp_path / "other"
    other.mkdir()
    (other / "thesis.txt").write_text("mine")
    result = run_cli("demo", "--no-tui", "--data-dir", str(other))
    assert result.returncode == 2 and "not a vp_desk demo folder" in result.stderr
    assert [p.name for p in other.iterdir()] == ["thesis.txt"]


def test_an_interrupted_demo_build_is_rebuilt(tmp_path):
    folder = tmp_path / "demo"
    with Desk.create(folder, DEMO) as desk:  # as if killed after one organisation
        desk.set_setting("demo.preset", "demo")
        desk.add_organisation(OrganisationInput("Demo Bakkerij Klein", 15))
    assert synthetic.ensure_demo_folder(folder, today=TODAY) == "rebuilt"
    fresh = tmp_path / "fresh"
    assert synthetic.ensure_demo_folder(fresh, today=TODAY) == "created"
    assert _dump(folder) == _dump(fresh)
    with Desk.open(folder, DEMO) as desk:
        assert desk.verify() == []


def _cli_demo(monkeypatch, tmp_path, launch):
    from vp_desk.cli import cli

    monkeypatch.setitem(sys.modules, "vp_desk.tui.launch", launch)
    return CliRunner().invoke(cli, ["--lang", "en", "demo", "--data-dir", str(tmp_path / "d")])


def test_demo_opens_the_tui_on_the_demo_folder(monkeypatch, tmp_path):
    calls = []
    launch = types.ModuleType("vp_desk.tui.launch")
    launch.run_tui = lambda data_dir, lang: calls.append((Path(data_dir), lang))
    result = _cli_demo(monkeypatch, tmp_path, launch)
    assert result.exit_code == 0, result.output
    assert calls == [(tmp_path / "d", "en")]


def test_demo_without_a_tui_says_so_and_exits_0(monkeypatch, tmp_path):
    result = _cli_demo(monkeypatch, tmp_path, None)  # None in sys.modules: not importable
    assert result.exit_code == 0, result.output
    assert "terminal UI is not available" in result.output
    assert "Passphrase: vertrouwelijk-demo" in result.output


# -- the generator -------------------------------------------------------------------------


def test_demo_data_is_plausible_and_valid(tmp_path):
    folder = tmp_path / "demo"
    synthetic.ensure_demo_folder(folder, today=TODAY)
    content = {d["org"].name: d for d in _dump(folder)}
    sizes = {name: len(d["cases"]) for name, d in content.items()}
    assert 2 <= sizes["Demo Bakkerij Klein"] <= 8
    assert 10 <= sizes["Demo Zorggroep Midden"] <= 30
    assert 70 <= sizes["Demo Gemeente Voorbeeldstad"] <= 150
    all_cases = [c for d in content.values() for c in d["cases"]]
    for case in all_cases:
        # every stored case passes the same validation as a form or an import
        assert validate_case(case.to_input()) is not None
        assert TODAY - timedelta(days=731) <= case.opened <= TODAY
        assert 1 <= len(case.consultations) <= 6
        assert all(15 <= c.minutes <= 90 for c in case.consultations)
        assert all(case.opened <= c.date <= (case.closed or TODAY) for c in case.consultations)
        assert case.notes.startswith("Fictieve casus") or case.notes.startswith("Fictional")
        assert (case.outcome is not None) == (case.status == "closed")
    closed = sum(c.status == "closed" for c in all_cases)
    assert closed / len(all_cases) > 0.75
    open_cases = [c for c in all_cases if c.status == "open"]
    assert open_cases and sum(c.follow_up is not None for c in open_cases) >= len(open_cases) / 2
    primaries = Counter(c.primary_behaviour for c in all_cases)
    common = primaries["bullying"] + primaries["intimidation"] + primaries["work_conflict"]
    assert common / len(all_cases) > 0.5
    for name, d in content.items():
        months = {(a.date.year, a.date.month) for a in d["activities"]}
        assert len(months) >= 24, name  # prevention work every month
        assert all(a.date <= TODAY for a in d["activities"])
    assert max(content["Demo Gemeente Voorbeeldstad"]["repeat"]) >= 2


def test_build_is_deterministic_for_the_same_today(tmp_path):
    dumps = []
    for name in ("x", "y"):
        with Desk.create(tmp_path / name, DEMO) as desk:
            summary = synthetic.build(desk, "small", today=TODAY)
        assert (summary.organisations, summary.cases) == (1, 50)
        dumps.append(_dump(tmp_path / name))
    assert dumps[0] == dumps[1]
    other_day = synthetic.cases(
        synthetic.organisations("small")[0],
        TODAY + timedelta(days=1),
        synthetic._rng(synthetic.DEFAULT_SEED, "small", 0, "cases"),
    )
    assert max(c.opened for c, _ in other_day) <= TODAY + timedelta(days=1)


def test_large_presets_have_the_promised_sizes():
    practice = synthetic.organisations("practice")
    assert len(practice) == 20
    assert sum(o.cases for o in practice) == 50_000
    assert sum(o.consultations for o in practice) == 200_000
    stress = synthetic.organisations("stress")
    assert len(stress) == 50 and sum(o.cases for o in stress) == 200_000
    spec = min(practice, key=lambda o: o.cases)
    items = synthetic.cases(spec, TODAY, synthetic._rng("s", "practice", 0, "cases"))
    assert len(items) == spec.cases
    assert sum(len(c) for _, c in items) == spec.consultations
    with pytest.raises(ValueError):
        synthetic.organisations("huge")


def test_generated_cases_match_validation_exactly():
    spec = synthetic.organisations("demo")[2]
    for case, _ in synthetic.cases(spec, TODAY, synthetic._rng("v", "demo", 2, "cases")):
        again = validate_case(
            CaseInput(
                opened=case.opened,
                behaviours=list(case.behaviours),
                primary_behaviour=case.primary_behaviour,
                closed=case.closed,
                channel=case.channel,
                contact_role=case.contact_role,
                relation=case.relation,
                help=list(case.help),
                referrals=list(case.referrals),
                outcome=case.outcome,
                follow_up=case.follow_up,
                notes=case.notes,
            )
        )
        assert again == case
