"""Run every vp_desk benchmark and print one table of figures, floors, ratios and targets.

    python benchmarks/run_all.py                      # practice preset, full runs
    python benchmarks/run_all.py --quick              # fewest runs, smallest sizes
    python benchmarks/run_all.py --preset small --quick --skip core
    python benchmarks/run_all.py --stress             # the stress preset (50 orgs, 200,000 cases)

Each ``benchmarks/bench_*.py`` runs in its own process, one after the other
(never in parallel: they measure time). A script hands its figures over as
JSON lines (``benchmarks/_util.record``); its own output goes to the terminal
with ``-v``, and is shown anyway when it fails or records nothing. The preset's
synthetic data folder is built once and cached (``benchmarks/_data.py``).

Every figure is the median of several runs; where a floor was measured in the
same run (a minimal Textual app, the bare SQL, plain SQLite, a plain copy)
the ratio is shown. Targets are checked and a miss is marked MISSED, but a miss
does not fail the command: benchmarks report, tests assert. The exit status is
1 only when a benchmark script itself failed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

#: Known scripts: (name, file, extra arguments when --quick). Any other
#: bench_*.py found in this folder runs too, after these, without arguments.
SUITES = (
    ("sqlcipher", "bench_sqlcipher.py", ["--cases", "2000"]),
    ("core", "bench_core.py", ["--skip-practice"]),
    ("tui", "bench_tui.py", []),
    ("case_list", "bench_case_list.py", ["--cases", "1000"]),
    ("report", "bench_report.py", ["--cases", "300", "--contacts", "900"]),
    ("scale", "bench_scale.py", []),
    ("lifecycle", "bench_lifecycle.py", []),
    ("disclosure", "bench_disclosure.py", ["--quick"]),
    ("rekey", "bench_rekey.py", []),
)
#: Scripts that take --runs (the others read VP_BENCH_RUNS through _util.runs).
TAKES_RUNS = {"sqlcipher", "core", "case_list", "report", "tui", "scale"}


@dataclass
class Suite:
    name: str
    path: Path
    quick_args: list[str] = field(default_factory=list)
    figures: list[dict] = field(default_factory=list)
    output: str = ""
    seconds: float = 0.0
    failed: bool = False


def discover() -> list[Suite]:
    known = [
        Suite(name, HERE / file, args) for name, file, args in SUITES if (HERE / file).exists()
    ]
    files = {s.path.name for s in known}
    extra = [
        Suite(p.stem.removeprefix("bench_"), p)
        for p in sorted(HERE.glob("bench_*.py"))
        if p.name not in files
    ]
    return known + extra


# -- targets ------------------------------------------------------------------------------

_CONDITION = re.compile(r"^(<=|<|>=|>)\s*([0-9.]+)\s*(x|ms|s|MB)$")
_COMPARE = {"<": float.__lt__, "<=": float.__le__, ">": float.__gt__, ">=": float.__ge__}


def meets(target: str, value: float, unit: str, ratio: float | None) -> bool | None:
    """Whether a figure meets ``target`` ("<= 1.5x", "< 100 ms", "< 0.5 s and <= 2x",
    "< 250 MB"); None when there is no target or it cannot be read."""
    if not target.strip():
        return None
    verdict = True
    for part in re.split(r"\s*(?:\band\b|,)\s*", target.strip()):
        match = _CONDITION.match(part)
        if not match:
            return None
        op, number, kind = match.group(1), float(match.group(2)), match.group(3)
        if kind == "x":
            if ratio is None:
                return None
            actual = ratio
        elif kind == "MB":
            if unit != "MB":
                return None
            actual = value
        else:
            if unit != "s":
                return None
            actual = value * 1000 if kind == "ms" else value
        verdict = verdict and _COMPARE[op](float(actual), number)
    return verdict


# -- the machine -------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    def first(path: str, key: str) -> str:
        try:
            for line in Path(path).read_text().splitlines():
                if line.startswith(key):
                    return line.split(":", 1)[1].strip()
        except OSError:
            pass
        return "unknown"

    mem = first("/proc/meminfo", "MemTotal")
    ram = f"{int(mem.split()[0]) / 1024 / 1024:.1f} GiB" if mem[:1].isdigit() else mem
    try:
        affinity = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        affinity = os.cpu_count()
    info = {
        "cpus": f"{affinity} (of {os.cpu_count()})"
        if affinity != os.cpu_count()
        else str(affinity),
        "cpu": first("/proc/cpuinfo", "model name"),
        "ram": ram,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
    }
    try:
        import sqlcipher3

        conn = sqlcipher3.connect(":memory:")
        info["sqlcipher"] = (
            f"{conn.execute('PRAGMA cipher_version').fetchone()[0]} "
            f"(SQLite {sqlcipher3.sqlite_version})"
        )
        conn.close()
    except Exception as exc:  # pragma: no cover - reported, not fatal
        info["sqlcipher"] = f"unavailable ({exc.__class__.__name__})"
    from importlib import metadata

    for package in ("textual", "cryptography"):
        try:
            info[package] = metadata.version(package)
        except metadata.PackageNotFoundError:  # pragma: no cover
            info[package] = "not installed"
    return info


def load_average() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:  # pragma: no cover
        return "unknown"


# -- running ------------------------------------------------------------------------------------


def run_suite(suite: Suite, args: argparse.Namespace, env: dict[str, str]) -> None:
    cmd = [sys.executable, str(suite.path)]
    if args.quick:
        cmd += suite.quick_args
    runs = args.runs or (1 if args.quick else None)
    if runs and suite.name in TAKES_RUNS:
        cmd += ["--runs", str(runs)]
    with tempfile.NamedTemporaryFile(
        prefix=f"vp-bench-{suite.name}-", suffix=".jsonl", delete=False
    ) as fh:
        results = Path(fh.name)
    env = dict(env, VP_BENCH_RESULTS=str(results))
    print(f"-- {suite.path.name} {' '.join(cmd[2:])}".rstrip(), file=sys.stderr, flush=True)
    started = time.perf_counter()
    lines: list[str] = []
    try:
        proc = subprocess.Popen(
            cmd,
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            bufsize=1,
        )
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line)
            if args.verbose:
                print("   " + line, end="", file=sys.stderr, flush=True)
        try:
            code = proc.wait(timeout=args.timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            code = -9
        suite.failed = code != 0
        text = results.read_text() if results.exists() else ""
        suite.figures = [json.loads(line) for line in text.splitlines() if line.strip()]
    finally:
        results.unlink(missing_ok=True)
    suite.seconds = time.perf_counter() - started
    suite.output = "".join(lines)
    state = "FAILED" if suite.failed else f"{len(suite.figures)} figures"
    print(f"   {state}, {suite.seconds:.1f} s", file=sys.stderr, flush=True)
    if (suite.failed or not suite.figures) and not args.verbose:
        tail = suite.output.splitlines()[-40:]
        print("\n".join("   | " + line for line in tail), file=sys.stderr, flush=True)


# -- the table -------------------------------------------------------------------------------------


def fmt_value(value: float | None, unit: str) -> str:
    if value is None:
        return ""
    if unit == "MB":
        return f"{value:.1f} MB"
    if unit == "s":
        return f"{value:.2f} s" if value >= 10 else f"{value * 1000:.1f} ms"
    return f"{value:g} {unit}"


def table_rows(suites: list[Suite]) -> list[dict]:
    """One row per figure. A figure that is only another figure's floor (same
    value, no target) is not repeated: it shows in the floor column."""
    rows = []
    for suite in suites:
        floors = {f["floor"] for f in suite.figures if f.get("floor")}
        for fig in suite.figures:
            if fig["value"] in floors and not fig.get("target") and not fig.get("floor"):
                continue
            ok = meets(
                fig.get("target") or "", fig["value"], fig.get("unit", "s"), fig.get("ratio")
            )
            rows.append(
                {
                    "suite": suite.name,
                    "figure": fig["name"],
                    "median": fmt_value(fig["value"], fig.get("unit", "s")),
                    "floor": fmt_value(fig.get("floor"), fig.get("unit", "s")),
                    "floor_name": fig.get("floor_name") or "",
                    "ratio": f"{fig['ratio']:.2f}x" if fig.get("ratio") else "",
                    "target": fig.get("target") or "",
                    "verdict": {True: "ok", False: "MISSED", None: ""}[ok],
                }
            )
    return rows


COLUMNS = (
    ("suite", "suite"),
    ("figure", "figure"),
    ("median", "median"),
    ("floor", "floor"),
    ("ratio", "ratio"),
    ("target", "target"),
    ("verdict", ""),
)


def print_table(rows: list[dict], header: str) -> None:
    widths = {key: max([len(title)] + [len(r[key]) for r in rows]) for key, title in COLUMNS}
    right = {"median", "floor", "ratio"}

    def line(values: dict) -> str:
        cells = [
            (values[k].rjust(widths[k]) if k in right else values[k].ljust(widths[k]))
            for k, _ in COLUMNS
        ]
        return "  ".join(cells).rstrip()

    print(header)
    print(line({k: t for k, t in COLUMNS}))
    print(line({k: "-" * widths[k] for k, _ in COLUMNS}))
    for r in rows:
        print(line(r))
    floors = sorted({(r["suite"], r["floor_name"]) for r in rows if r["floor_name"]})
    if floors:
        print("floors: " + "; ".join(f"[{s}] {n}" for s, n in floors))


def markdown(rows: list[dict]) -> str:
    out = [
        "| figure | median | floor (measured in the same run) | ratio | target | |",
        "|---|---:|---|---:|---|---|",
    ]
    for r in rows:
        floor = f"{r['floor']} ({r['floor_name']})" if r["floor_name"] else r["floor"]
        out.append(
            f"| [{r['suite']}] {r['figure']} | {r['median']} | {floor} | {r['ratio']} | "
            f"{r['target']} | {r['verdict']} |"
        )
    return "\n".join(out) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--preset",
        choices=("small", "practice", "stress"),
        default=None,
        help="scale of the synthetic data folder (default: practice)",
    )
    parser.add_argument(
        "--stress", action="store_true", help="the stress preset: 50 organisations, 200,000 cases"
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="one run per figure, smallest sizes, the KDF at its floor",
    )
    parser.add_argument("--runs", type=int, default=None, help="runs per figure")
    parser.add_argument("--skip", default="", help="comma-separated suites to leave out")
    parser.add_argument("--only", default="", help="comma-separated suites to run")
    parser.add_argument("--list", action="store_true", help="list the suites and stop")
    parser.add_argument(
        "--cache-dir", default=None, help="where built data folders are kept (VP_BENCH_CACHE)"
    )
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per suite")
    parser.add_argument("--json", dest="json_out", default=None, help="also write JSON here")
    parser.add_argument("--markdown", default=None, help="also write a Markdown table here")
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="show each script's own output as it runs"
    )
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)
    preset = "stress" if args.stress else (args.preset or "practice")

    suites = discover()
    names = [s.name for s in suites]
    if args.list:
        print("\n".join(f"{s.name:<12} {s.path.name}" for s in suites))
        return 0
    chosen = {n.strip() for n in args.only.split(",") if n.strip()} or set(names)
    skipped = {n.strip() for n in args.skip.split(",") if n.strip()}
    unknown = (chosen | skipped) - set(names)
    if unknown:
        parser.error(
            f"unknown suite(s) {', '.join(sorted(unknown))}; choose from {', '.join(names)}"
        )
    suites = [s for s in suites if s.name in chosen and s.name not in skipped]

    env = {k: v for k, v in os.environ.items() if not k.startswith("VP_BENCH_")}
    env.update(
        VP_BENCH_PRESET=preset,
        PYTHONPATH=os.pathsep.join(
            [str(ROOT)] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else [])
        ),
    )
    if args.quick:
        env.update(VP_BENCH_QUICK="1", VP_DESK_KDF="minimum")
    if args.runs:
        env["VP_BENCH_RUNS"] = str(args.runs)
    if args.cache_dir:
        env["VP_BENCH_CACHE"] = str(Path(args.cache_dir).expanduser().absolute())
    elif os.environ.get("VP_BENCH_CACHE"):
        env["VP_BENCH_CACHE"] = os.environ["VP_BENCH_CACHE"]

    info = machine()
    load_before = load_average()
    started = time.perf_counter()
    for suite in suites:
        run_suite(suite, args, env)
    total = time.perf_counter() - started
    info["load average"] = f"{load_before} before, {load_average()} after"

    mode = "quick" if args.quick else (f"{args.runs} runs" if args.runs else "full")
    header = (
        f"\nvp_desk benchmarks: preset {preset}, {mode}, {total:.0f} s\n"
        f"machine: {info['cpus']} CPU(s), {info['cpu']}, {info['ram']} RAM, {info['os']}; "
        f"Python {info['python']}, SQLCipher {info['sqlcipher']}, "
        f"textual {info['textual']}, cryptography {info['cryptography']}\n"
        f"load average (1, 5, 15 min): {info['load average']}\n"
    )
    rows = table_rows(suites)
    print_table(rows, header)
    failed = [s.name for s in suites if s.failed]
    silent = [s.name for s in suites if not s.failed and not s.figures]
    missed = [r for r in rows if r["verdict"] == "MISSED"]
    if silent:
        print(f"no figures recorded by: {', '.join(silent)} (run with -v to see their output)")
    print(
        f"targets: {sum(r['verdict'] == 'ok' for r in rows)} met, {len(missed)} missed"
        + (f"; FAILED suites: {', '.join(failed)}" if failed else "")
    )
    if args.json_out:
        Path(args.json_out).write_text(
            json.dumps(
                {
                    "preset": preset,
                    "mode": mode,
                    "machine": info,
                    "seconds": total,
                    "suites": [
                        {
                            "name": s.name,
                            "failed": s.failed,
                            "seconds": s.seconds,
                            "figures": s.figures,
                        }
                        for s in suites
                    ],
                },
                indent=1,
            )
        )
    if args.markdown:
        Path(args.markdown).write_text(markdown(rows))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
