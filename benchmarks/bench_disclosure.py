"""How much the annual report says, and what a reader who knows the rule learns.

    python benchmarks/bench_disclosure.py            # 2,400 tables at k = 3 and k = 5
    python benchmarks/bench_disclosure.py --quick    # 400 tables, reader up to total 12

A seeded set of one-way tables like the report's single-valued tables (3 to 9
categories, totals 5 to 60, skewed counts: most cases in one or two
categories) is published by

- ``vp_desk``: today's rule (``disclosure.protect_counts``: plain suppression,
  complementary suppression, zeros beside a merged row, everything combined;
  with group disclosure and the protection interval);
- ``vp_desk 0.x``: the rule before group disclosure, the protection interval
  and the new forms (plain suppression or everything combined), for the cost
  and gain of the change;
- ``tau-argus``: where ``pytauargus`` is installed (``pip install -e '.[bench]'``),
  tau-ARGUS's frequency rule ``FREQ(k, 0)`` with optimal secondary suppression
  ``OPT``. Empty cells do not exist in tau-ARGUS; they count as published 0.

For each: the share of cells and of nonzero cells published exactly, the
share of tables with no breakdown (no category published exactly, zeros
included), the share of cases in cells not published exactly, and the
smallest range left to a hidden cell by the published numbers alone.

Then the rule-knowing reader: every table of 3 to 5 categories with a total
from k to 15 (below k nothing is published), grouped by what would be
published; a hidden cell is *pinned* when it has the same value in every
table of its group, and *narrow* when its values there span fewer than the
protection interval. Both must be 0 for vp_desk (tests/reports keeps a
smaller run). *group* counts the categories that a reader knows to hold
all cases or all but fewer than k (group disclosure). For tau-ARGUS the reader runs over 3 and 4 categories only
(one solver run per table).
"""

from __future__ import annotations

import argparse
import contextlib
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._util import quick, record  # noqa: E402
from tests.reports.bruteforce import compositions, rule_knowing_reader  # noqa: E402
from vp_desk.reports.audit import check_single, protection_interval  # noqa: E402
from vp_desk.reports.disclosure import protect_counts  # noqa: E402


def seeded_tables(count: int, seed: int = 2026) -> list[list[int]]:
    """One-way tables: 3-9 categories, totals 5-60, skewed (Dirichlet 0.5) counts."""
    rng = random.Random(seed)
    tables = []
    for _ in range(count):
        n = rng.randint(3, 9)
        total = rng.randint(5, 60)
        weights = [rng.gammavariate(0.5, 1.0) for _ in range(n)]
        s = sum(weights) or 1.0
        cum, acc = [], 0.0
        for w in weights:
            acc += w / s
            cum.append(acc)
        counts = [0] * n
        for _ in range(total):
            u = rng.random()
            counts[next((i for i, c in enumerate(cum) if u <= c), n - 1)] += 1
        tables.append(counts)
    return tables


# -- the rules -------------------------------------------------------------------------------


def rule_vp_desk(codes: list[str], counts: dict[str, int], k: int) -> list[dict]:
    return protect_counts(codes, counts, k)[0]


rule_vp_desk.interval = protection_interval


def rule_vp_desk_0(codes: list[str], counts: dict[str, int], k: int) -> list[dict]:
    """The rule before issue 12/15: plain unless a hidden row is pinned, else all combined."""
    rows = [
        {"code": c, "count": None, "suppressed": True}
        if 0 < counts[c] < k
        else {"code": c, "count": counts[c], "suppressed": False}
        for c in codes
    ]
    hidden = [counts[c] for c in codes if 0 < counts[c] < k]
    total = sum(counts.values())
    m, r = len(hidden), sum(hidden)
    if not hidden or (total != k and m > 1 and r != m and r != m * (k - 1)):
        return rows
    return [
        {
            "code": "merged",
            "count": total,
            "suppressed": False,
            "members": list(codes),
            "members_below_threshold": False,
        }
    ]


rule_vp_desk_0.interval = protection_interval  # judged by today's interval


def tau_available() -> bool:
    try:
        import pytauargus  # noqa: F401
    except Exception:  # noqa: BLE001 - any import failure means: not available here
        return False
    return True


class TauArgus:
    """tau-ARGUS FREQ(k, 0) + OPT on one table at a time, results cached."""

    interval = staticmethod(protection_interval)  # judged by vp_desk's interval

    def __init__(self) -> None:
        self.work = tempfile.mkdtemp(prefix="vp_tau_")
        self.cache: dict[tuple, list[dict]] = {}

    def __call__(self, codes: list[str], counts: dict[str, int], k: int) -> list[dict]:
        key = (tuple(counts[c] for c in codes), k)
        if key not in self.cache:
            self.cache[key] = self._run(codes, counts, k)
        return [dict(r) for r in self.cache[key]]

    def _run(self, codes: list[str], counts: dict[str, int], k: int) -> list[dict]:
        from pytauargus import protect

        micro = [{"cat": c, "one": 1} for c in codes for _ in range(counts[c])]
        with contextlib.chdir(self.work):  # the solver leaves log files in the cwd
            res = protect(
                micro,
                tables=[["cat"]],
                response="one",
                safety_rules=f"FREQ({k},0)",
                suppress="OPT(1)",
                workdir=self.work,
            )
        status = {r["cat"]: r["status"] for r in res.tables[0].dataframe()}
        rows = []
        for c in codes:
            if counts[c] == 0 or status.get(c, "S") == "S":
                rows.append({"code": c, "count": counts[c], "suppressed": False})
            else:
                # primary and secondary look the same: at least 1, nothing more
                rows.append({"code": c, "count": None, "suppressed": True, "tau": True})
        return rows


# -- the figures -----------------------------------------------------------------------------


def information(rule, tables: list[list[int]], k: int) -> dict:
    cells = nonzero = exact = exact_nonzero = cases = hidden_cases = bare = 0
    min_range = None
    for values in tables:
        codes = [f"c{i}" for i in range(len(values))]
        counts = dict(zip(codes, values))
        total = sum(values)
        rows = rule(codes, counts, k)
        shown = {r["code"] for r in rows if not r["suppressed"] and not r.get("members")}
        cells += len(values)
        nonzero += sum(1 for v in values if v)
        exact += len(shown)
        exact_nonzero += sum(1 for c in shown if counts[c])
        cases += total
        hidden_cases += sum(counts[c] for c in codes if c not in shown)
        bare += not shown
        ranges, _ = check_single({"id": "t", "rows": _audit_rows(rows, counts)}, k, total)
        for r in ranges:
            span = r.high - r.low + 1
            min_range = span if min_range is None else min(min_range, span)
    return {
        "exact": 100 * exact / cells,
        "exact_nonzero": 100 * exact_nonzero / nonzero,
        "no_breakdown": 100 * bare / len(tables),
        "cases_hidden": 100 * hidden_cases / cases,
        "min_range": min_range,
    }


def _audit_rows(rows: list[dict], counts: dict[str, int]) -> list[dict]:
    """tau-ARGUS's hidden cells (each at least 1, no upper bound but the total) as
    one combined row of nonzero members, which the audit's arithmetic understands."""
    tau = [r["code"] for r in rows if r.get("tau")]
    if not tau:
        return rows
    combined = {
        "code": "merged",
        "count": sum(counts[c] for c in tau),
        "suppressed": False,
        "members": tau,
        "members_below_threshold": False,
        "members_nonzero": True,
    }
    return [r for r in rows if not r.get("tau")] + [combined]


def forms(tables: list[list[int]], k: int) -> dict[str, int]:
    out: dict[str, int] = {}
    for values in tables:
        codes = [f"c{i}" for i in range(len(values))]
        how = protect_counts(codes, dict(zip(codes, values)), k)[1]
        out[how] = out.get(how, 0) + 1
    return out


def reader(rule, k: int, sizes, top: int) -> dict:
    total = {"tables": 0, "hidden": 0, "pinned": 0, "narrow": 0, "group": 0, "min_span": None}
    for n in sizes:
        got = rule_knowing_reader(rule, n, range(k, top + 1), k)
        for key in ("tables", "hidden", "pinned", "narrow", "group"):
            total[key] += got[key]
        if got["min_span"] is not None:
            total["min_span"] = min(total["min_span"] or got["min_span"], got["min_span"])
    return total


# -- re-issues (what an earlier written report binds) ----------------------------------------


def _move(rng: random.Random, counts: list[int], moves: int) -> list[int]:
    """``moves`` cases moved, each from a random nonempty category to a random one."""
    out = list(counts)
    for _ in range(moves):
        src = rng.choice([i for i, v in enumerate(out) if v])
        out[src] -= 1
        out[rng.randrange(len(out))] += 1
    return out


def reissue_cost(k: int, pairs: int, seed: int = 15) -> dict[str, float]:
    """What the re-issue rules cost on seeded pairs of reports of one year.

    Report 2 is report 1 with 1 to 2k cases moved between categories (late
    corrections; the totals stay, as a re-issue check would otherwise refuse).
    Outcome: the 8 outcome categories, ``none`` bounded when report 1 showed
    it on its own row (open at year end is then published too), exposed when
    it was beside zeros in a combined row or "hidden"; the share of report-2
    tables combined because of it, and of nonzero cells exact with and
    without the rule. Quarters: the share of pairs where report 1 had the
    table and report 2 would have dropped it (the leak closed), the share of
    quarter cells exact in those kept tables, and where report 2 no longer
    gets a table that the old rule would have shown.
    """
    from vp_desk.reports.aggregate import table_codes
    from vp_desk.reports.disclosure import none_exposed, outcome_rows

    rng = random.Random(seed)
    codes = table_codes("outcome")
    tables = [t for t in seeded_tables(pairs * 3, seed) if len(t) <= len(codes)][:pairs]
    forced = exact_old = exact_new = nonzero = 0
    for counts in tables:
        first = dict.fromkeys(codes, 0)
        first.update(zip(rng.sample(codes, len(counts)), counts))
        rows_1 = protect_counts(codes, first, k)[0]
        exposed = none_exposed(rows_1)
        bounded = any(r["code"] == "none" and not r.get("suppressed_as") for r in rows_1)
        second = dict(zip(codes, _move(rng, [first[c] for c in codes], rng.randint(1, 2 * k))))
        old_rows = protect_counts(codes, second, k)[0]
        new_rows, _, was_forced = outcome_rows(second, k, bounded, exposed)
        forced += was_forced
        nonzero += sum(1 for c in codes if second[c])
        for rows, add in ((old_rows, 0), (new_rows, 1)):
            exact = sum(
                1
                for r in rows
                if not r["suppressed"] and not r.get("members") and second.get(r["code"])
            )
            if add:
                exact_new += exact
            else:
                exact_old += exact
    kept = dropped = appeared = kept_exact = 0
    for _ in range(pairs):
        total = rng.randint(4 * k, 60)
        first_q = _move(rng, [total // 4, total // 4, total // 4, total - 3 * (total // 4)], total)
        second_q = _move(rng, first_q, rng.randint(1, 2 * k))
        shown_1 = all(v >= k for v in first_q)
        shown_2 = all(v >= k for v in second_q)
        if shown_1 and not shown_2:
            dropped += 1
            rows = protect_counts(
                ["q1", "q2", "q3", "q4"], {f"q{i + 1}": v for i, v in enumerate(second_q)}, k
            )[0]
            kept += 1
            kept_exact += sum(1 for r in rows if not r["suppressed"] and not r.get("members"))
        if not shown_1 and shown_2:
            appeared += 1
    return {
        "outcome forced": 100 * forced / len(tables),
        "outcome exact old": 100 * exact_old / max(1, nonzero),
        "outcome exact new": 100 * exact_new / max(1, nonzero),
        "quarters dropped": 100 * dropped / pairs,
        "quarters kept exact": 100 * kept_exact / max(1, 4 * kept),
        "quarters appeared": 100 * appeared / pairs,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", type=int, default=2400)
    parser.add_argument("--max-total", type=int, default=15, help="largest total the reader tries")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--no-tau", action="store_true", help="leave tau-ARGUS out")
    args = parser.parse_args()
    if args.quick or quick():
        args.tables, args.max_total = min(args.tables, 400), min(args.max_total, 12)
    tables = seeded_tables(args.tables)
    rules = [("vp_desk", rule_vp_desk), ("vp_desk 0.x", rule_vp_desk_0)]
    if not args.no_tau and tau_available():
        rules.append(("tau-argus", TauArgus()))
    elif not args.no_tau:
        print("pytauargus is not installed: tau-ARGUS left out (pip install -e '.[bench]')")
    print(f"{len(tables)} seeded tables, 3-9 categories, totals 5-60\n")
    for k in (3, 5):
        print(
            f"k = {k} (protection interval {protection_interval(k)})\n"
            f"{'rule':<12} {'cells exact':>11} {'nonzero':>8} {'no breakdown':>13} "
            f"{'cases hidden':>13} {'min range':>9}   {'pinned':>14} {'narrow':>7} {'group':>6} {'s':>6}"
        )
        for name, rule in rules:
            started = time.perf_counter()
            info = information(rule, tables, k)
            sizes = (3, 4, 5)
            if name == "tau-argus":  # one solver run per table
                sizes = (3,) if args.quick or quick() else (3, 4)
            seen = reader(rule, k, sizes, args.max_total)
            seconds = time.perf_counter() - started
            pinned = 100 * seen["pinned"] / max(1, seen["hidden"])
            print(
                f"{name:<12} {info['exact']:10.1f}% {info['exact_nonzero']:7.1f}% "
                f"{info['no_breakdown']:12.1f}% {info['cases_hidden']:12.1f}% "
                f"{info['min_range'] or '-':>9}   {seen['pinned']:>6} ({pinned:4.1f}%) "
                f"{seen['narrow']:>7} {seen['group']:>6} {seconds:6.1f}"
            )
            tag = f"k={k} {name}"
            record(f"{tag}: nonzero cells exact", round(info["exact_nonzero"], 1), unit="%")
            record(f"{tag}: tables with no breakdown", round(info["no_breakdown"], 1), unit="%")
            record(f"{tag}: cases hidden", round(info["cases_hidden"], 1), unit="%")
            record(f"{tag}: hidden cells a rule-knowing reader pins", seen["pinned"], unit="cells")
            record(f"{tag}: hidden cells narrower than the interval", seen["narrow"], unit="cells")
        counts = forms(tables, k)
        print(
            "vp_desk forms: "
            + ", ".join(f"{how} {100 * n / len(tables):.1f}%" for how, n in sorted(counts.items()))
        )
        pairs = 200 if args.quick or quick() else 1000
        cost = reissue_cost(k, pairs)
        print(
            f"re-issues ({pairs} seeded pairs, 1..{2 * k} cases moved): outcome table combined "
            f"because of an earlier bound {cost['outcome forced']:.1f}%, nonzero outcome cells "
            f"exact {cost['outcome exact old']:.1f}% -> {cost['outcome exact new']:.1f}%; "
            f"quarter table kept where it would have vanished {cost['quarters dropped']:.1f}% "
            f"(its cells exact {cost['quarters kept exact']:.1f}%), left out where it would "
            f"have appeared {cost['quarters appeared']:.1f}%"
        )
        record(
            f"k={k} re-issue: outcome tables combined by the rule",
            round(cost["outcome forced"], 1),
            unit="%",
        )
        record(
            f"k={k} re-issue: nonzero outcome cells exact",
            round(cost["outcome exact new"], 1),
            unit="%",
        )
        print()
    sizes = "3-5 categories (tau-ARGUS: 3-4)"
    print(f"reader: every table of {sizes}, totals k..{args.max_total}")
    print(f"(all compositions checked: {sum(1 for _ in compositions(args.max_total, 5))} at n=5)")


if __name__ == "__main__":
    main()
