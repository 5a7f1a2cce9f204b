"""The benchmark runner must keep working (figures themselves are not asserted:
speed is measured by benchmarks/run_all.py, never by tests)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from benchmarks.run_all import Suite, meets, table_rows

ROOT = Path(__file__).resolve().parents[1]


def test_run_all_on_the_small_preset_prints_one_table(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VP_BENCH_", "VP_DESK_"))}
    result_file = tmp_path / "results.json"
    out = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "run_all.py"),
            "--preset",
            "small",
            "--quick",
            "--only",
            "sqlcipher,tui,scale",
            "--cache-dir",
            str(tmp_path / "cache"),
            "--json",
            str(result_file),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=300,
    )
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-3000:]
    results = json.loads(result_file.read_text())
    assert results["preset"] == "small"
    assert {"cpus", "cpu", "ram", "python", "sqlcipher"} <= set(results["machine"])
    suites = {s["name"]: s for s in results["suites"]}
    assert set(suites) == {"sqlcipher", "tui", "scale"}
    for suite in suites.values():
        assert not suite["failed"] and suite["figures"], suite["name"]
        for figure in suite["figures"]:
            assert figure["value"] > 0, figure
    # The figures with a target reach the one table with a verdict.
    table = out.stdout
    for name in (
        "vp-desk: start to unlock screen",
        "dashboard frame with figures",
        "TUI after unlock + dashboard, steady",
        "search notes (LIKE, full scan)",
    ):
        line = next((line for line in table.splitlines() if name in line), None)
        assert line is not None, name
        assert line.rstrip().endswith(("ok", "MISSED")), line
    assert "targets:" in table and "machine:" in table
    # The cached data folder is the small preset, built once, holding no plain SQLite.
    data = next((tmp_path / "cache").glob("small-minimum-*")) / "data"
    assert (data / "keyfile.json").exists()
    for db in data.glob("*.db"):
        assert not db.read_bytes().startswith(b"SQLite format 3")


def test_targets_are_read_as_the_issue_states_them():
    assert meets("<= 1.5x", 0.3, "s", 1.5) is True
    assert meets("<= 1.5x", 0.3, "s", 1.51) is False
    assert meets("< 100 ms", 0.099, "s", None) is True
    assert meets("< 100 ms", 0.1, "s", None) is False
    assert meets("< 500 ms and <= 2x", 0.4, "s", 2.5) is False
    assert meets("< 500 ms and <= 2x", 0.4, "s", 1.9) is True
    assert meets("< 250 MB", 249.0, "MB", None) is True
    assert meets("< 10 s", 12.0, "s", None) is False
    assert meets("", 1.0, "s", None) is None
    assert meets("<= 1.5x", 1.0, "s", None) is None  # no floor measured: no verdict


def test_a_floor_is_shown_once_beside_its_figure():
    suite = Suite(
        "x",
        Path("bench_x.py"),
        figures=[
            {
                "name": "plain",
                "value": 0.01,
                "unit": "s",
                "floor": None,
                "ratio": None,
                "target": "",
            },
            {
                "name": "encrypted",
                "value": 0.012,
                "unit": "s",
                "floor": 0.01,
                "ratio": 1.2,
                "floor_name": "plain",
                "target": "<= 1.5x",
            },
        ],
    )
    rows = table_rows([suite])
    assert [r["figure"] for r in rows] == ["encrypted"]
    assert rows[0]["floor"] == "10.0 ms" and rows[0]["ratio"] == "1.20x"
    assert rows[0]["verdict"] == "ok"
