"""Annual report benchmark: prints medians and ratios; asserts nothing.

    python benchmarks/bench_report.py [--runs N] [--cases 5000] [--contacts 20000]

One organisation with 5,000 cases and 20,000 contact moments, all in the
report year (the worst case: every case is counted), in a real SQLCipher
vault. Measured in the same run, interleaved so both see the same machine load:

* the bare SQL aggregation: the report's own statements
  (``vp_desk.reports.aggregate.STATEMENTS``), executed and fetched, nothing else;
* the report as JSON: aggregation, disclosure control, the disclosure audit,
  the free-text check, the ledger check against an issued report, rendering;
  target < 0.5 s and < 2x the bare SQL;
* PDF rendering of that report (fonts embedded, bar charts): target < 2 s;
* the other formats, for information;
* the re-issue check of that report against 10 earlier written reports, each
  with different figures (late cases moved between categories, small cells
  hidden, so every union of changed categories is checked): target < 50 ms.

The KDF is not measured (the folder uses the Argon2id floor).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

os.environ.setdefault("VP_DESK_KDF", "minimum")

from benchmarks._util import quick, row  # noqa: E402
from benchmarks._util import runs as default_runs
from vp_desk.domain.models import ActivityInput, CaseData, OrganisationInput  # noqa: E402
from vp_desk.reports import ledger  # noqa: E402
from vp_desk.reports.aggregate import STATEMENTS, year_bounds  # noqa: E402
from vp_desk.services import reporting, synthetic  # noqa: E402
from vp_desk.services.desk import Desk  # noqa: E402
from vp_desk.vault.keyfile import KdfParams  # noqa: E402

PASSPHRASE = "benchmark passphrase of some length"
YEAR = 2025


def _pick(rng: random.Random, weights) -> str:
    return rng.choices([w[0] for w in weights], [w[1] for w in weights])[0]


def build(folder: Path, n_cases: int, n_contacts: int) -> int:
    rng = random.Random("bench_report")
    per_case = [n_contacts // n_cases] * n_cases
    for i in range(n_contacts - sum(per_case)):
        per_case[i] += 1
    items = []
    start = date(YEAR, 1, 1)
    for i in range(n_cases):
        opened = start + timedelta(days=rng.randrange(0, 330))
        closed = opened + timedelta(days=rng.randrange(5, 30)) if rng.random() < 0.8 else None
        behaviour = _pick(rng, synthetic.BEHAVIOUR_WEIGHTS)
        referrals = (_pick(rng, synthetic.REFERRAL_WEIGHTS),) if rng.random() < 0.3 else ()
        data = CaseData(
            opened=opened,
            closed=closed,
            behaviours=(behaviour,),
            primary_behaviour=behaviour,
            channel=_pick(rng, synthetic.CHANNEL_WEIGHTS),
            contact_role=_pick(rng, synthetic.ROLE_WEIGHTS),
            relation=_pick(rng, synthetic.RELATION_WEIGHTS),
            help=("initial_support", "advice") + (("referral",) if referrals else ()),
            referrals=referrals,
            outcome=_pick(rng, synthetic.OUTCOME_WEIGHTS) if closed else None,
            follow_up=None,
            notes="Fictieve notitie voor de benchmark.",
        )
        contacts = [
            {"date": opened + timedelta(days=j), "minutes": rng.choice((30, 45, 60)), "notes": ""}
            for j in range(per_case[i])
        ]
        items.append((data, contacts))
    with Desk.create(folder, PASSPHRASE, KdfParams.from_env()) as desk:
        org = desk.add_organisation(OrganisationInput("Benchmark Zorggroep", 6000, 5, 12, "nl"))
        desk.insert_cases(org.id, items, event="benchmark")
        desk.insert_activities(
            org.id,
            [
                ActivityInput(date(YEAR, 1 + m, 10), kind, 90, "")
                for m in range(12)
                for kind in ("awareness", "management_advice", "visibility")
            ],
            event="benchmark",
        )
        reporting.save_texts(
            desk,
            org.id,
            YEAR,
            "Signalen: veel meldingen over werkdruk.",
            "Aanbeveling: gedragscode bespreken in elk team.",
        )
        # An issued report, so the ledger check has something to compare with.
        reporting.export(desk, org.id, YEAR, "json", final=True)
        return org.id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=default_runs(15))
    parser.add_argument("--cases", type=int, default=1000 if quick() else 5000)
    parser.add_argument("--contacts", type=int, default=4000 if quick() else 20000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="vp-bench-report-") as tmp:
        folder = Path(tmp) / "data"
        started = time.perf_counter()
        org_id = build(folder, args.cases, args.contacts)
        print(
            f"built: 1 organisation, {args.cases:,} cases, {args.contacts:,} contact moments "
            f"in {YEAR} ({time.perf_counter() - started:.1f} s)",
            flush=True,
        )
        with Desk.open(folder, PASSPHRASE) as desk:
            conn = desk.conn(org_id)
            params = year_bounds(YEAR)

            def bare_sql() -> None:
                for statement in STATEMENTS:
                    conn.execute(statement, params).fetchall()

            def report_json() -> bytes:
                return reporting.render(reporting.prepare(desk, org_id, YEAR), "json")

            report = reporting.prepare(desk, org_id, YEAR)
            assert report.figures["new_cases"] == args.cases
            bare_sql(), report_json(), reporting.render(report, "pdf")  # warm up
            sql_times, json_times, pdf_times = [], [], []
            for _ in range(args.runs):  # interleaved: the same load for all three
                for times, func in (
                    (sql_times, bare_sql),
                    (json_times, report_json),
                    (pdf_times, lambda: reporting.render(report, "pdf")),
                ):
                    t0 = time.perf_counter()
                    func()
                    times.append(time.perf_counter() - t0)
            sql, js, pdf = (statistics.median(t) for t in (sql_times, json_times, pdf_times))
            print(f"medians over {args.runs} interleaved runs:")
            row("bare SQL aggregation (report statements)", sql)
            row(
                "report as JSON (aggregate+protect+audit+ledger)",
                js,
                floor=sql,
                floor_name="bare SQL",
                target="< 500 ms and <= 2x",
            )
            row("report as PDF (rendering only)", pdf, target="< 2000 ms")
            for fmt in ("md", "html", "docx", "csv"):
                times = []
                for _ in range(max(3, args.runs // 3)):
                    t0 = time.perf_counter()
                    reporting.render(report, fmt)
                    times.append(time.perf_counter() - t0)
                row(f"report as {fmt.upper()} (rendering only)", statistics.median(times))
            earlier = earlier_reports(conn, desk.organisation(org_id), 10)
            check_times = []
            for _ in range(args.runs):
                t0 = time.perf_counter()
                ledger.check_reissue(earlier, report.figures)
                check_times.append(time.perf_counter() - t0)
            check = statistics.median(check_times)
            row("re-issue check against 10 earlier written reports", check, target="< 50 ms")
            print(
                f"JSON/SQL ratio {js / sql:.2f}x (target < 2x); JSON {js * 1000:.1f} ms "
                f"(target < 500 ms); PDF {pdf * 1000:.0f} ms (target < 2000 ms); "
                f"check against 10 earlier reports {check * 1000:.1f} ms (target < 50 ms)"
            )


def earlier_reports(conn, org, n: int) -> list:
    """``n`` earlier written reports whose figures differ from today's in every table."""
    from vp_desk.reports.aggregate import SINGLE_TABLES, aggregate
    from vp_desk.reports.disclosure import protect

    rng = random.Random("earlier")
    out = []
    for i in range(n):
        agg = aggregate(conn, YEAR)
        for tid in SINGLE_TABLES:
            counts = agg.tables[tid]
            codes = [c for c in counts if counts[c]]
            for _ in range(3):  # move some cases, and leave a small (hidden) cell
                a, b = rng.sample(list(counts), 2)
                moved = min(counts[a], rng.randrange(1, 60))
                counts[a] -= moved
                counts[b] += moved
            if codes:
                small = rng.choice(codes)
                spare = counts[small] - rng.randrange(1, 4)
                if spare > 0:
                    counts[small] -= spare
                    counts[max(counts, key=counts.get)] += spare
        figures = protect(agg, org.threshold, org.employees)
        text = ledger.canonical(figures)
        out.append(
            ledger.LedgerEntry(i, org.id, YEAR, f"{YEAR + 1}-01-{i + 1:02d}", figures, text[:64])
        )
    return out


if __name__ == "__main__":
    main()
