"""Small helpers shared by the benchmark scripts: medians, ratios, printing."""

from __future__ import annotations

import statistics
import time
from typing import Callable


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


def row(name: str, seconds: float, floor: float | None = None, target: str = "") -> str:
    ratio = f"{seconds / floor:6.2f}x" if floor else "       "
    line = f"{name:<52} {seconds * 1000:10.1f} ms  {ratio}"
    if target:
        line += f"   target: {target}"
    print(line, flush=True)
    return line
