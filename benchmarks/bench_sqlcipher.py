"""The cost of encryption: the same inserts and queries on plain SQLite
(stdlib sqlite3) and on SQLCipher as vp_desk opens it (raw key, WAL,
synchronous=FULL, secure_delete, 64 MiB page cache). Prints medians and the
SQLCipher/SQLite ratio. Target (issue 6): queries at most 1.5x plain SQLite.

    python benchmarks/bench_sqlcipher.py [--cases 100000]
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._util import measure_interleaved, row  # noqa: E402
from vp_desk import vocabulary as voc  # noqa: E402
from vp_desk.vault.migrations import ORG_MIGRATIONS, _statements  # noqa: E402
from vp_desk.vault.sqlcipher import open_vault  # noqa: E402

QUERIES = {
    "count per primary behaviour, one year": (
        "SELECT primary_behaviour, count(*) FROM cases WHERE year = 2024 GROUP BY 1"
    ),
    "multi-valued table (help), one year": (
        "SELECT v.code, count(*) FROM case_values v JOIN cases c ON c.id = v.case_id "
        "WHERE c.year = 2024 AND v.dimension = 'help' GROUP BY 1"
    ),
    "minutes of contact moments, one year": (
        "SELECT sum(k.minutes), count(*) FROM consultations k JOIN cases c ON c.id = k.case_id "
        "WHERE c.year = 2024"
    ),
    "case list page (50 rows, newest first)": (
        "SELECT id, code, opened, status, primary_behaviour FROM cases "
        "ORDER BY opened DESC, id DESC LIMIT 50 OFFSET 500"
    ),
    "search notes (LIKE, full scan)": ("SELECT count(*) FROM cases WHERE notes LIKE '%zeldzaam%'"),
}


def _schema(conn) -> None:
    for script in ORG_MIGRATIONS:
        for statement in _statements(script):
            conn.execute(statement)


def _fill(conn, n: int) -> float:
    rng = random.Random(7)
    behaviours = list(voc.BEHAVIOURS)
    helps = list(voc.HELP)
    start = time.perf_counter()
    conn.execute("BEGIN")
    for i in range(n):
        year = 2020 + i % 6
        opened = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        b = rng.choice(behaviours)
        conn.execute(
            "INSERT INTO cases(id, code, year, seq, opened, status, primary_behaviour, notes, "
            "created, updated) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (
                i + 1,
                f"{year}-{i:06d}",
                year,
                i,
                opened,
                "closed",
                b,
                "synthetic note " * rng.randint(2, 20) + ("zeldzaam" if i % 997 == 0 else ""),
                "x",
                "x",
            ),
        )
        conn.execute("INSERT INTO case_values VALUES (?, 'behaviour', ?)", (i + 1, b))
        for h in rng.sample(helps, 2):
            conn.execute("INSERT INTO case_values VALUES (?, 'help', ?)", (i + 1, h))
        for _ in range(2):
            conn.execute(
                "INSERT INTO consultations(case_id, date, minutes, notes) VALUES (?,?,?,?)",
                (i + 1, opened, rng.randint(10, 90), "n"),
            )
    conn.execute("COMMIT")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="vp-bench-"))
    plain = sqlite3.connect(folder / "plain.db", isolation_level=None)
    plain.execute("PRAGMA journal_mode = WAL")
    plain.execute("PRAGMA synchronous = FULL")
    plain.execute("PRAGMA cache_size = -65536")
    _schema(plain)
    enc = open_vault(folder / "enc.db", secrets.token_bytes(32), part="bench", create=True)
    _schema(enc)
    print(
        f"SQLCipher vs plain SQLite, {args.cases:,} cases, {os.cpu_count()} cores; "
        f"median of {args.runs} runs (warm cache)"
    )
    t_plain = _fill(plain, args.cases)
    t_enc = _fill(enc, args.cases)
    row(f"insert {args.cases:,} cases (one transaction), SQLite", t_plain)
    row(f"insert {args.cases:,} cases (one transaction), SQLCipher", t_enc, t_plain)
    worst = 0.0
    for name, sql in QUERIES.items():
        p, e = measure_interleaved(
            lambda: plain.execute(sql).fetchall(),
            lambda: enc.execute(sql).fetchall(),
            runs=args.runs,
        )
        row(f"{name}, SQLite", p)
        row(f"{name}, SQLCipher", e, p, "<= 1.5x")
        worst = max(worst, e / p)
    print(f"worst query ratio: {worst:.2f}x (target <= 1.5x)")
    plain.close()
    enc.close()
    for p in folder.iterdir():
        p.unlink()
    folder.rmdir()


if __name__ == "__main__":
    main()
