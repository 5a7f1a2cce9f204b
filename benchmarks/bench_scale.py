"""The whole data folder at practice scale: backup, verify and memory.

    python benchmarks/bench_scale.py [--preset practice] [--runs N] [--skip-memory]

The preset's data folder (practice: 20 organisations, 50,000 cases, 200,000
contact moments) is built once and cached (benchmarks/_data.py); every figure
is taken on a private copy of it. Prints medians and ratios; asserts nothing.

* backup of the whole folder (``vp-desk backup``: snapshots of every vault,
  sealed archive), against copying the same files with fsync;
* verify (``vp-desk verify`` after the unlock: integrity and cipher checks and
  the audit chain of every vault), against reading every file once (SHA-256);
* memory: each measurement in a fresh process, reading VmHWM (peak) and VmRSS
  (steady) from /proc/self/status:
  - a minimal Textual app (the floor);
  - the services alone: unlock, every organisation's dashboard figures and
    first page of cases;
  - the terminal UI: unlock through the unlock screen, the dashboard with its
    figures and reminders. Target: steady RSS under 250 MB.
  Peak includes the Argon2id working memory of the data folder's KDF
  (256 MiB at the default parameters, 64 MiB at the test floor).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import hashlib
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import _util  # noqa: E402

# Nothing from vp_desk at module level: the memory floor runs this file too.


def _timed(func) -> float:
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


# -- backup and verify ----------------------------------------------------------------------


def _copy_with_fsync(folder: Path, target: Path) -> None:
    target.mkdir()
    for path in sorted(folder.iterdir()):
        if path.is_file() and path.name != ".lock":
            shutil.copyfile(path, target / path.name)
            with open(target / path.name, "rb") as fh:
                os.fsync(fh.fileno())


def _read_all(folder: Path) -> None:
    for path in sorted(folder.iterdir()):
        if path.is_file():
            digest = hashlib.sha256()
            with open(path, "rb") as fh:
                while chunk := fh.read(1 << 20):
                    digest.update(chunk)


def bench_backup_verify(folder: Path, meta: dict, runs: int) -> None:
    from benchmarks._data import PASSPHRASE, folder_bytes
    from vp_desk.services.backup import create_backup
    from vp_desk.services.desk import Desk

    size = folder_bytes(folder)
    what = f"{meta['organisations']} organisations, {size / 1e6:.0f} MB"
    with tempfile.TemporaryDirectory(prefix="vp-bench-backup-") as tmp_name:
        tmp = Path(tmp_name)
        with Desk.open(folder, PASSPHRASE) as desk:
            copies, backups, sizes = [], [], []
            for i in range(runs):
                copies.append(_timed(lambda: _copy_with_fsync(folder, tmp / f"copy{i}")))
                shutil.rmtree(tmp / f"copy{i}")
                out = tmp / f"backup{i}.vpbackup"
                backups.append(_timed(lambda: create_backup(desk, out)))
                sizes.append(out.stat().st_size)
                out.unlink()
            problems: list[str] = []
            reads = [_timed(lambda: _read_all(folder)) for _ in range(runs)]
            verifies = []
            for _ in range(runs):
                verifies.append(_timed(lambda: problems.extend(desk.verify())))
        if problems:
            raise SystemExit(f"verify found problems in a fresh copy: {problems[:3]}")
    copy, read = statistics.median(copies), statistics.median(reads)
    _util.row(f"copy the data folder with fsync ({what})", copy)
    _util.row(
        f"backup of the data folder ({statistics.median(sizes) / 1e6:.0f} MB file)",
        statistics.median(backups),
        copy,
        floor_name="plain copy with fsync",
    )
    _util.row("read every file once (SHA-256)", read)
    _util.row(
        "verify: integrity, cipher check, audit chains",
        statistics.median(verifies),
        read,
        floor_name="reading every file",
    )


# -- memory ------------------------------------------------------------------------------------


def _memory() -> dict[str, float]:
    """Peak (VmHWM) and current (VmRSS) resident memory of this process, in MB."""
    found = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmHWM", "VmRSS"):
            found[key] = int(value.split()[0]) / 1024
    return {"peak": found["VmHWM"], "steady": found["VmRSS"]}


def _settle() -> dict[str, float]:
    gc.collect()
    time.sleep(0.3)
    return _memory()


def _child_minimal() -> dict[str, float]:
    from textual.app import App
    from textual.widgets import DataTable, Footer, Header, Input, Static

    class Minimal(App):
        def compose(self):
            yield Header()
            yield Static("vp_desk")
            yield Input(password=True, placeholder="Passphrase")
            yield DataTable()
            yield Footer()

    async def run() -> dict[str, float]:
        app = Minimal()
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.pause()
            return _settle()

    return asyncio.run(run())


def _child_services(folder: Path) -> dict[str, float]:
    from benchmarks._data import PASSPHRASE
    from vp_desk.services.desk import Desk

    with Desk.open(folder, PASSPHRASE) as desk:
        desk.dashboard()
        for org in desk.organisations():
            desk.count_cases(org.id)
            desk.list_cases(org.id, limit=100)
        return _settle()


def _child_tui(folder: Path) -> dict[str, float]:
    from textual.widgets import Input

    from benchmarks._data import PASSPHRASE
    from vp_desk.tui.app import VpDeskApp
    from vp_desk.tui.screens.dashboard import DashboardScreen

    async def run() -> dict[str, float]:
        app = VpDeskApp(folder, "en")
        async with app.run_test(size=(120, 36)) as pilot:
            app.screen.query_one("#passphrase", Input).value = PASSPHRASE
            await pilot.press("enter")
            deadline = time.monotonic() + 300
            while not (
                isinstance(app.screen, DashboardScreen)
                and app.screen.rows is not None
                and app.reminders is not None
            ):
                if time.monotonic() > deadline:
                    raise SystemExit("the dashboard did not load within 300 s")
                await pilot.pause(0.01)
            await app.workers.wait_for_complete()
            await pilot.pause()
            result = _settle()
            await app.action_quit()
            return result

    return asyncio.run(run())


CHILDREN = {"minimal": _child_minimal, "services": _child_services, "tui": _child_tui}


def bench_memory(folder: Path, meta: dict, runs: int) -> None:
    results: dict[str, list[dict[str, float]]] = {k: [] for k in CHILDREN}
    for _ in range(max(1, min(runs, 3))):
        for kind in CHILDREN:
            results[kind].append(_util.in_child(__file__, "--memory-child", kind, str(folder)))

    def med(kind: str, what: str) -> float:
        return statistics.median(r[what] for r in results[kind])

    def show(name: str, value: float, floor: float | None = None, target: str = "") -> None:
        ratio = f"{value / floor:6.2f}x" if floor else "       "
        line = f"{name:<52} {value:10.1f} MB  {ratio}"
        print(line + (f"   target: {target}" if target else ""), flush=True)
        _util.record(
            name,
            value,
            unit="MB",
            floor=floor,
            target=target,
            floor_name="minimal Textual app" if floor else "",
        )

    kdf = "default" if meta.get("kdf") == "default" else "64 MiB floor"
    floor = med("minimal", "steady")
    show("RSS, minimal Textual app (steady)", floor)
    show(f"RSS, services after unlock, peak (KDF: {kdf})", med("services", "peak"))
    show("RSS, services after unlock, steady", med("services", "steady"))
    show(f"RSS, TUI after unlock + dashboard, peak (KDF: {kdf})", med("tui", "peak"))
    show("RSS, TUI after unlock + dashboard, steady", med("tui", "steady"), floor, "< 250 MB")


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--memory-child":
        print(
            json.dumps(
                CHILDREN[sys.argv[2]](*([Path(sys.argv[3])] if sys.argv[2] != "minimal" else []))
            )
        )
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default=_util.preset())
    parser.add_argument("--runs", type=int, default=_util.runs(5))
    parser.add_argument("--skip-backup", action="store_true")
    parser.add_argument("--skip-memory", action="store_true")
    args = parser.parse_args()
    from benchmarks._data import folder_bytes, working_copy

    with working_copy(args.preset) as (folder, meta):
        print(
            f"vp_desk at scale: preset {args.preset!r} ({meta['organisations']} organisations, "
            f"{meta['cases']:,} cases, {meta['consultations']:,} contact moments, "
            f"{folder_bytes(folder) / 1e6:.0f} MB; built in {meta['build_seconds']} s), "
            f"median of {args.runs} runs",
            flush=True,
        )
        if not args.skip_backup:
            bench_backup_verify(folder, meta, args.runs)
        if not args.skip_memory:
            bench_memory(folder, meta, args.runs)


if __name__ == "__main__":
    main()
