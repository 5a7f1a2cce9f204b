"""How fast the case list opens and filters with 10,000 cases (target: < 50 ms a keystroke).

Builds a data folder with one organisation of 10,000 synthetic cases
(vp_desk.services.synthetic, about 3.5 contact moments each), runs the real
VpDeskApp headless, and measures, as medians over several runs:

- floor: the two bare SQL statements behind one filter step (count + first
  page of 100 rows) on the same SQLCipher connection, and the same through
  the Desk API;
- opening the case list: from pushing the screen to the first rows loaded;
- one keystroke in the search box: from the key event (sent as the terminal
  driver sends it) to the new rows loaded into the table (the query runs in a
  thread worker), then drawing the table's visible rows (and, for scale, a
  full repaint of the screen by Textual's compositor);
- a filter change (status select) the same way.

Usage: python benchmarks/bench_case_list.py [--cases 10000] [--runs 5]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

os.environ.setdefault("VP_DESK_KDF", "minimum")

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._util import record  # noqa: E402
from vp_desk.domain.models import OrganisationInput  # noqa: E402
from vp_desk.services import synthetic  # noqa: E402
from vp_desk.services.desk import CaseFilter, Desk  # noqa: E402

PASSPHRASE = "benchmark passphrase, not a secret"
TODAY = date(2026, 3, 16)
SEARCH = "2025-01"  # typed one key at a time
PAGE = 100


def build(path: Path, n: int) -> int:
    with Desk.create(path, PASSPHRASE) as desk:
        org = desk.add_organisation(OrganisationInput("Benchmark", employees=5000))
        spec = synthetic.OrgSpec("Benchmark", 5000, n)
        desk.insert_cases(org.id, synthetic.cases(spec, TODAY, random.Random("bench")))
        return org.id


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.2f} ms"


def floors(desk: Desk, org_id: int, runs: int) -> dict[str, float]:
    """What one filter step must at least cost, for every prefix of SEARCH: the bare SQL
    of the first page (and of the count when that page is full, as the screen does),
    and the same through the Desk API."""
    conn = desk.conn(org_id)
    sql_times, api_times = [], []
    for _ in range(runs):
        for i in range(1, len(SEARCH) + 1):
            flt = CaseFilter(search=SEARCH[:i])
            where, params = desk._where(flt)
            started = time.perf_counter()
            rows = conn.execute(
                "SELECT c.id, c.code, c.opened, c.closed, c.status, c.primary_behaviour, "
                "c.follow_up, c.legal_hold, c.destroyed IS NOT NULL FROM cases c"
                + where
                + " ORDER BY c.opened DESC, c.id DESC LIMIT ? OFFSET 0",
                params + [PAGE],
            ).fetchall()
            if len(rows) == PAGE:
                conn.execute(f"SELECT count(*) FROM cases c{where}", params).fetchone()
            sql_times.append(time.perf_counter() - started)
            started = time.perf_counter()
            if len(desk.list_cases(org_id, flt, limit=PAGE)) == PAGE:
                desk.count_cases(org_id, flt)
            api_times.append(time.perf_counter() - started)
    return {"sql": statistics.median(sql_times), "api": statistics.median(api_times)}


async def app_timings(path: Path, org_id: int, runs: int) -> dict[str, list[float]]:
    from textual.widgets import Input

    from vp_desk.tui.app import VpDeskApp
    from vp_desk.tui.screens.cases import CaseListScreen
    from vp_desk.tui.widgets.case_table import CaseTable

    app = VpDeskApp(path, "nl", today=TODAY)
    results: dict[str, list[float]] = {
        "open": [],
        "key": [],
        "filter": [],
        "render": [],
        "screen": [],
    }
    async with app.run_test(size=(120, 36)) as pilot:
        while not app.screen.query("#passphrase"):
            await pilot.pause(0.02)
        app.screen.query_one("#passphrase", Input).value = PASSPHRASE
        await pilot.press("enter")
        while app.desk is None:
            await pilot.pause(0.02)
        await app.workers.wait_for_complete()
        await pilot.pause()
        while len(app.screen_stack) > 1:
            app.pop_screen()
        app.current_org_id = org_id

        async def until(condition) -> None:
            while not condition():
                await asyncio.sleep(0.0005)

        for _ in range(runs):
            screen = CaseListScreen(org_id, today=TODAY)
            started = time.perf_counter()
            app.push_screen(screen)
            await until(lambda: screen.last_query is not None)
            results["open"].append(time.perf_counter() - started)
            await pilot.pause()
            table = screen.query_one(CaseTable)
            await pilot.press("slash")
            for i in range(1, len(SEARCH) + 1):
                wanted = SEARCH[:i]
                started = time.perf_counter()
                type_key(app, SEARCH[i - 1])
                await until(lambda: screen.last_query.flt.search == wanted)
                results["key"].append(time.perf_counter() - started)
                await pilot.pause()
                started = time.perf_counter()
                table._strips.clear()  # the rows of a new result are drawn afresh
                for y in range(table.size.height):
                    table.render_line(y)
                results["render"].append(time.perf_counter() - started)
                started = time.perf_counter()
                screen._compositor.render_update(full=True)
                results["screen"].append(time.perf_counter() - started)
            started = time.perf_counter()
            screen.query_one("#filter-status").value = "open"
            await until(lambda: screen.last_query.flt.status == "open")
            results["filter"].append(time.perf_counter() - started)
            assert table.total == app.desk.count_cases(
                org_id, CaseFilter(status="open", search=SEARCH)
            )
            app.pop_screen()
            await pilot.pause()
    return results


def type_key(app, char: str) -> None:
    """A key as the terminal driver delivers it (Pilot.press also waits for idle screens)."""
    from textual import events

    key = events.Key("minus" if char == "-" else char, char)
    key.set_sender(app)
    app._driver.send_message(key)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "data"
        started = time.perf_counter()
        org_id = build(path, args.cases)
        print(f"built {args.cases:,} cases in {time.perf_counter() - started:.1f} s")
        with Desk.open(path, PASSPHRASE) as desk:
            floor = floors(desk, org_id, args.runs)
        timings = asyncio.run(app_timings(path, org_id, args.runs))

    med = {k: statistics.median(v) for k, v in timings.items()}
    print(f"floor: bare SQL, first page (+count)      {ms(floor['sql'])}  (median)")
    print(f"floor: the same through the Desk API      {ms(floor['api'])}")
    print(f"open the case list (first rows loaded)    {ms(med['open'])}")
    print(
        f"search keystroke -> new rows loaded       {ms(med['key'])}  "
        f"(worst {ms(max(timings['key'])).strip()}, {len(timings['key'])} keystrokes)"
    )
    print(f"  then drawing the table's visible rows   {ms(med['render'])}")
    print(f"  (a full repaint of the whole screen     {ms(med['screen'])})")
    print(f"status filter change -> new rows loaded   {ms(med['filter'])}")
    print(f"keystroke / SQL floor                     {med['key'] / floor['sql']:7.1f} x")
    print(
        f"keystroke + rows drawn vs 50 ms target    "
        f"{'OK' if med['key'] + med['render'] < 0.050 else 'TOO SLOW'}"
    )
    sql = floor["sql"]
    record(
        f"case list ({args.cases:,} cases): open, first rows loaded",
        med["open"],
        floor=sql,
        floor_name="bare SQL of one filter step",
    )
    record(
        f"case list ({args.cases:,} cases): keystroke -> rows loaded and drawn",
        med["key"] + med["render"],
        floor=sql,
        floor_name="bare SQL of one filter step",
        target="< 50 ms",
    )
    record(
        f"case list ({args.cases:,} cases): status filter -> rows loaded",
        med["filter"],
        floor=sql,
        floor_name="bare SQL of one filter step",
    )


if __name__ == "__main__":
    sys.exit(main())
