"""``report --all`` benchmark (issue 13): every organisation's annual report after
one unlock; prints medians and ratios; asserts nothing.

    python benchmarks/bench_report_all.py [--preset stress] [--format pdf] [--runs N]

On a private copy of the preset's cached data folder (stress: 50 organisations,
200,000 cases; benchmarks/_data.py), in one process:

* the unlock (Argon2id KDF at the preset's strength), for information;
* every single report, one ``reporting.export`` each into its own file: the
  floor, measured in the same run;
* ``all_reports.export_all`` (what ``vp-desk report --all`` runs after the
  unlock): target < 10 s in total, and per organisation at most 1.2x the
  single reports (their sum is the floor);
* the whole command in a fresh process (``vp-desk report --all``), KDF and
  imports included, for information.

Runs alternate between the single reports and ``export_all`` so both see the
same machine load; the report year is the last full year of the preset.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import _util  # noqa: E402
from benchmarks._data import PASSPHRASE, working_copy  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    # run_all passes its preset (--stress for the target); alone, the stress preset.
    parser.add_argument("--preset", default=_util.preset("stress"))
    parser.add_argument("--format", default="pdf")
    parser.add_argument("--runs", type=int, default=_util.runs(3))
    parser.add_argument("--skip-cli", action="store_true")
    args = parser.parse_args()
    print(
        f"vp_desk report --all: preset {args.preset!r}, format {args.format}, median of "
        f"{args.runs} runs, {os.cpu_count()} CPU(s)",
        flush=True,
    )
    from vp_desk.services import all_reports, reporting
    from vp_desk.services.desk import Desk

    with working_copy(args.preset) as (folder, meta):
        year = date.fromisoformat(meta["today"]).year - 1
        start = time.perf_counter()
        desk = Desk.open(folder, PASSPHRASE)
        kdf = time.perf_counter() - start
        orgs = desk.organisations()
        singles, alls, per_org_single = [], [], {}
        with tempfile.TemporaryDirectory(prefix="vp-bench-all-") as tmp:
            for run in range(args.runs):
                one_dir = Path(tmp) / f"single-{run}"
                one_dir.mkdir()
                total = 0.0
                for org in orgs:
                    t = time.perf_counter()
                    try:
                        reporting.export(
                            desk, org.id, year, args.format, one_dir / f"{org.id}.{args.format}"
                        )
                    except Exception:  # refused: listed by export_all the same way
                        pass
                    took = time.perf_counter() - t
                    per_org_single.setdefault(org.id, []).append(took)
                    total += took
                singles.append(total)
                t = time.perf_counter()
                results = all_reports.export_all(desk, year, args.format, Path(tmp) / f"all-{run}")
                alls.append(time.perf_counter() - t)
            written = sum(r.written for r in results)
        desk.close()
        n = len(orgs)
        floor, took = statistics.median(singles), statistics.median(alls)
        _util.row("unlock (Argon2id KDF)", kdf)
        _util.row(f"{n} single reports, one after the other (floor)", floor)
        _util.row(
            f"report --all after the KDF ({n} organisations, {meta['cases']:,} cases)",
            took,
            floor,
            "< 10 s",
            floor_name="single reports",
        )
        single_med = statistics.median(statistics.median(v) for v in per_org_single.values())
        _util.row("median single report", single_med)
        _util.row("report --all per organisation", took / n, floor / n, "<= 1.2x", "single report")
        print(f"  {written} of {n} reports written; the rest refused with a reason", flush=True)
        if not args.skip_cli:
            env = {k: v for k, v in os.environ.items() if not k.startswith("VP_DESK_")}
            env["VP_DESK_PASSPHRASE"] = PASSPHRASE
            env["VP_DESK_HOME"] = str(folder)
            with tempfile.TemporaryDirectory(prefix="vp-bench-cli-") as out:
                t = time.perf_counter()
                proc = subprocess.run(
                    [
                        sys.executable,
                        "-m",
                        "vp_desk",
                        "report",
                        "--all",
                        "--year",
                        str(year),
                        "--format",
                        args.format,
                        "--out-dir",
                        out,
                    ],
                    env=env,
                    capture_output=True,
                    text=True,
                )
                cli = time.perf_counter() - t
            _util.row("vp-desk report --all in a fresh process (KDF included)", cli)
            if proc.returncode not in (0, 1):
                print(f"  the command failed: {proc.stderr.strip()[:200]}", flush=True)


if __name__ == "__main__":
    main()
