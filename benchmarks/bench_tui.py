"""Terminal UI benchmarks: prints figures (median of several runs) and ratios; asserts nothing.

    python benchmarks/bench_tui.py [--preset practice] [--runs N] [--skip-dashboard]

* start to unlock screen: ``vp-desk`` (the real command: ``python -m vp_desk``,
  the entry point of the installed ``vp-desk`` script, vp_desk/entry.py) is
  started in a pseudo-terminal of 120x36 until the unlock screen's passphrase
  field is on the terminal, against a minimal Textual app with the same kind
  of widgets (a text, a password field, a footer) started the same way and
  measured in the same run, runs interleaved. Target: at most 1.3x (issue 13;
  1.5x before).
* first dashboard frame after unlock: the app driven in-process by Textual's
  Pilot on a copy of the preset's data folder (practice: 20 organisations,
  50,000 cases); from the moment the app receives ``Unlocked`` (the KDF is
  done) until the dashboard has been painted with every organisation's
  figures. Floor: the same figures from ``Desk.dashboard()`` on a freshly
  unlocked desk, without a UI. Target: under 300 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import select
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import _util  # noqa: E402
from benchmarks._data import PASSPHRASE, working_copy  # noqa: E402

SIZE = (120, 36)
MARKER = b"Passphrase"  # the placeholder of the passphrase field (--lang en)
ANSI = re.compile(rb"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[PX^_][^\x1b]*\x1b\\|.)")
_TICK = os.sysconf("SC_CLK_TCK")

MINIMAL_APP = """
from textual.app import App
from textual.widgets import Footer, Input, Static


class Minimal(App):
    def compose(self):
        yield Static("vp_desk")
        yield Input(password=True, placeholder="Passphrase")
        yield Footer()


Minimal().run()
"""


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a running process so far (/proc/PID/stat)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / _TICK


def time_to_screen(
    cmd: list[str], env: dict, marker: bytes = MARKER, timeout: float = 60.0
) -> tuple[float, float]:
    """Start ``cmd`` in a pseudo-terminal; seconds (wall, CPU) until ``marker`` is shown."""
    import fcntl
    import pty
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", SIZE[1], SIZE[0], 0, 0))
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd,
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        start_new_session=True,
        close_fds=True,
    )
    os.close(slave)
    seen = b""
    found: tuple[float, float] | None = None
    try:
        while time.perf_counter() - start < timeout:
            ready, _, _ = select.select([master], [], [], 0.5)
            if not ready:
                if proc.poll() is not None:
                    break
                continue
            try:
                data = os.read(master, 65536)
            except OSError:
                break
            if not data:
                break
            seen += data
            if marker in ANSI.sub(b"", seen[-20000:]):
                found = (time.perf_counter() - start, _cpu_seconds(proc.pid))
                break
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
        _drain(master)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:  # pragma: no cover
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        os.close(master)
    if found is None:
        tail = ANSI.sub(b"", seen)[-400:].decode("utf-8", "replace")
        raise SystemExit(f"{cmd[1:]} did not show {marker!r} within {timeout:.0f} s:\n{tail}")
    return found


def _drain(fd: int) -> None:
    try:
        while select.select([fd], [], [], 0.3)[0]:
            if not os.read(fd, 65536):
                return
    except OSError:
        return


def bench_start(folder: Path, runs: int) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VP_DESK_", "VP_BENCH_"))}
    env.update(TERM="xterm-256color", COLORTERM="truecolor", LANG="C.UTF-8")
    # An installed vp_desk starts from compiled byte code (pip compiles it at
    # install). With PYTHONDONTWRITEBYTECODE set (common in containers and CI)
    # a development checkout compiles every vp_desk module from source on each
    # start, about 45 ms that no user pays: the warm-up run writes the byte code.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    with tempfile.TemporaryDirectory(prefix="vp-bench-tui-") as tmp:
        minimal = Path(tmp) / "minimal_app.py"
        minimal.write_text(MINIMAL_APP)
        commands = {
            "minimal": [sys.executable, str(minimal)],
            "vp_desk": [sys.executable, "-m", "vp_desk", "--data-dir", str(folder), "--lang", "en"],
        }
        for cmd in commands.values():  # warm the page cache and .pyc files
            time_to_screen(cmd, env)
        wall: dict[str, list[float]] = {k: [] for k in commands}
        cpu: dict[str, list[float]] = {k: [] for k in commands}
        for _ in range(runs):
            for name, cmd in commands.items():
                w, c = time_to_screen(cmd, env)
                wall[name].append(w)
                cpu[name].append(c)
    floor = statistics.median(wall["minimal"])
    _util.row("minimal Textual app: start to first screen", floor)
    _util.row(
        "vp-desk: start to unlock screen",
        statistics.median(wall["vp_desk"]),
        floor,
        "<= 1.3x",
        floor_name="minimal Textual app",
    )
    cpu_floor = statistics.median(cpu["minimal"])
    _util.row("minimal Textual app: CPU time to first screen", cpu_floor)
    _util.row(
        "vp-desk: CPU time to unlock screen",
        statistics.median(cpu["vp_desk"]),
        cpu_floor,
        floor_name="minimal Textual app, CPU",
    )


async def _dashboard_once(folder: Path) -> dict[str, float]:
    """Seconds from ``Unlocked`` to the first dashboard frame ("first") and to
    the first frame with the figures ("figures"), wall and CPU (all threads).

    A frame is a call of ``App._display`` with a rendered update for the
    dashboard, outside a batch: what a terminal would be sent.
    """
    from textual.widgets import Input

    from vp_desk.tui.app import VpDeskApp
    from vp_desk.tui.screens.dashboard import DashboardScreen
    from vp_desk.tui.screens.unlock import Unlocked

    marks: dict[str, float] = {}

    def hook(message) -> None:
        if isinstance(message, Unlocked) and "unlocked" not in marks:
            marks["unlocked"] = time.perf_counter()
            marks["unlocked_cpu"] = time.process_time()

    app = VpDeskApp(folder, "en")
    display = app._display

    def frame(screen, renderable) -> None:
        if (
            renderable is not None
            and not app._batch_count
            and isinstance(screen, DashboardScreen)
            and screen is app.screen
        ):
            now, cpu = time.perf_counter(), time.process_time()
            if "first" not in marks:
                marks.update(first=now, first_cpu=cpu)
            if screen.rows is not None and "figures" not in marks:
                marks.update(figures=now, figures_cpu=cpu)
            if screen.agenda is not None and "agenda" not in marks:
                marks.update(agenda=now)
        display(screen, renderable)

    app._display = frame
    async with app.run_test(size=SIZE, message_hook=hook) as pilot:
        app.screen.query_one("#passphrase", Input).value = PASSPHRASE
        await pilot.press("enter")
        deadline = time.perf_counter() + 120
        while "figures" not in marks or "agenda" not in marks:
            if app._exception is not None or time.perf_counter() > deadline:
                raise SystemExit("the dashboard did not show its figures within 120 s")
            await asyncio.sleep(0.0005)
        rows = len(app.screen.rows)
        await app.workers.wait_for_complete()
        await app.action_quit()
    if rows < 1:
        raise SystemExit("the dashboard showed no organisations")
    return {
        "first": marks["first"] - marks["unlocked"],
        "figures": marks["figures"] - marks["unlocked"],
        "first_cpu": marks["first_cpu"] - marks["unlocked_cpu"],
        "figures_cpu": marks["figures_cpu"] - marks["unlocked_cpu"],
        "agenda": marks["agenda"] - marks["unlocked"],
    }


def bench_dashboard(folder: Path, meta: dict, runs: int) -> None:
    from vp_desk.services.desk import Desk
    from vp_desk.vault.store import DataFolder

    data_folder = DataFolder(folder)
    ring = data_folder.keyfile.unlock(PASSPHRASE)

    def services_only() -> float:
        # What the dashboard needs, without a UI: a desk on the unlocked ring
        # (index vault opened), every organisation vault opened, the figures.
        from vp_desk.vault.keyfile import KeyRing
        from vp_desk.vault.migrations import migrate
        from vp_desk.vault.sqlcipher import open_vault
        from vp_desk.vault.store import INDEX_FILE, Vault

        keys = KeyRing(ring.kdf, ring.kek, dict(ring.keys), ring.generation)
        start = time.perf_counter()
        index = open_vault(folder / INDEX_FILE, keys.keys["index"], part="index vault")
        migrate(index, "index")
        desk = Desk(Vault(data_folder, keys, index))
        stats = desk.dashboard()
        took = time.perf_counter() - start
        from vp_desk.services.agenda import agenda

        start = time.perf_counter()
        agenda(desk, date.today())
        agenda_times.append(time.perf_counter() - start)
        desk.close()
        assert len(stats) == meta["organisations"]
        return took

    floors, children, agenda_times = [], [], []
    for _ in range(runs):  # interleaved: the same machine load for both
        floors.append(services_only())
        children.append(_util.in_child(__file__, "--dashboard-child", str(folder)))
    floor = statistics.median(floors)

    def med(key: str) -> float:
        return statistics.median(c[key] for c in children)

    what = f"{meta['organisations']} organisations, {meta['cases']:,} cases"
    _util.row(f"dashboard figures without UI ({what})", floor)
    _util.row(
        "TUI: unlocked -> first dashboard frame", med("first"), floor, floor_name="Desk.dashboard()"
    )
    _util.row(
        "TUI: unlocked -> dashboard frame with figures",
        med("figures"),
        floor,
        "< 300 ms",
        floor_name="Desk.dashboard()",
    )
    _util.row("TUI: unlocked -> dashboard frame with figures, CPU", med("figures_cpu"))
    _util.row("agenda of every organisation without UI", statistics.median(agenda_times))
    _util.row(
        "TUI: unlocked -> dashboard frame with its agenda",
        med("agenda"),
        floor,
        "< 300 ms",
        floor_name="Desk.dashboard()",
    )


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--dashboard-child":
        print(json.dumps(asyncio.run(_dashboard_once(Path(sys.argv[2])))))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default=_util.preset())
    parser.add_argument("--runs", type=int, default=_util.runs(7))
    parser.add_argument("--skip-start", action="store_true")
    parser.add_argument("--skip-dashboard", action="store_true")
    args = parser.parse_args()
    print(
        f"vp_desk TUI benchmarks: preset {args.preset!r}, median of {args.runs} runs, "
        f"{os.cpu_count()} CPU(s)",
        flush=True,
    )
    with working_copy(args.preset) as (folder, meta):
        if not args.skip_start:
            bench_start(folder, args.runs)
        if not args.skip_dashboard:
            bench_dashboard(folder, meta, args.runs)


if __name__ == "__main__":
    main()
