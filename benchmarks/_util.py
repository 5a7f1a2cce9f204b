"""Small helpers shared by the benchmark scripts: medians, ratios, printing.

``benchmarks/run_all.py`` runs every ``bench_*.py`` script and prints one
table. It talks to the scripts through environment variables:

- ``VP_BENCH_RESULTS``: a file; ``row``/``record`` append each figure to it as
  one JSON line (name, value, unit, floor, ratio, target), which is what
  ``run_all`` puts in its table. Without it they only print.
- ``VP_BENCH_PRESET`` (small / practice / stress): the scale of the synthetic
  data folder, see ``preset()``; ``VP_BENCH_QUICK=1``: fewest runs and the
  smallest sizes (``quick()``); ``VP_BENCH_RUNS``: runs per figure (``runs()``).
"""

from __future__ import annotations

import json
import os
import statistics
import time
from collections.abc import Callable

RESULTS_ENV = "VP_BENCH_RESULTS"


def preset(default: str = "practice") -> str:
    """The synthetic preset chosen by run_all (``VP_BENCH_PRESET``)."""
    return os.environ.get("VP_BENCH_PRESET", "").strip() or default


def quick() -> bool:
    """run_all --quick: as few runs and as little data as still says something."""
    return os.environ.get("VP_BENCH_QUICK", "") == "1"


def runs(default: int) -> int:
    """Runs per figure: ``VP_BENCH_RUNS``, else 1 when quick, else ``default``."""
    value = os.environ.get("VP_BENCH_RUNS", "").strip()
    if value.isdigit() and int(value) > 0:
        return int(value)
    return 1 if quick() else default


def record(
    name: str,
    value: float,
    *,
    unit: str = "s",
    floor: float | None = None,
    floor_name: str = "",
    target: str = "",
) -> None:
    """Hand one figure to run_all (a JSON line in ``VP_BENCH_RESULTS``), if it asked.

    ``unit`` is "s" (shown in ms) or "MB"; ``target`` is text such as "<= 1.5x",
    "< 100 ms" or "< 250 MB" (several joined by "and"), checked by run_all.
    """
    path = os.environ.get(RESULTS_ENV)
    if not path:
        return
    entry = {
        "name": name,
        "value": value,
        "unit": unit,
        "floor": floor,
        "floor_name": floor_name,
        "ratio": value / floor if floor else None,
        "target": target,
    }
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(entry) + "\n")


def in_child(script: str, *args: str, timeout: float = 600) -> dict:
    """Run ``python script *args`` in a fresh process (cold imports and caches,
    its own memory) and return the JSON object it prints on its last line."""
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, script, *args], capture_output=True, text=True, timeout=timeout
    )
    if out.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure(func: Callable[[], object], runs: int = 5, warmup: int = 1) -> float:
    """Median wall time of ``func`` in seconds over ``runs`` runs."""
    for _ in range(warmup):
        func()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure_interleaved(
    *funcs: Callable[[], object], runs: int = 5, warmup: int = 1
) -> list[float]:
    """Median wall times of ``funcs``, run in turn in every round, so that a
    change of machine load hits all of them alike (the ratios stay fair)."""
    for _ in range(warmup):
        for func in funcs:
            func()
    times: list[list[float]] = [[] for _ in funcs]
    for _ in range(runs):
        for func, bucket in zip(funcs, times):
            start = time.perf_counter()
            func()
            bucket.append(time.perf_counter() - start)
    return [statistics.median(t) for t in times]


def row(
    name: str, seconds: float, floor: float | None = None, target: str = "", floor_name: str = ""
) -> str:
    """Print one figure (and hand it to run_all, see ``record``)."""
    record(name, seconds, floor=floor, floor_name=floor_name, target=target)
    ratio = f"{seconds / floor:6.2f}x" if floor else "       "
    line = f"{name:<52} {seconds * 1000:10.1f} ms  {ratio}"
    if target:
        line += f"   target: {target}"
    print(line, flush=True)
    return line
