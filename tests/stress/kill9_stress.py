"""kill -9 stress loop: N iterations (default 1,000), run by hand.

    python -m tests.stress.kill9_stress [--iterations N] [--seed S] [--import-share 0.2]

Each iteration either kills a child writing a stream of changes through the
Desk API (checking that every acknowledged commit survived) or kills
``vp-desk import`` at a random moment (checking all or nothing). After every
iteration the integrity checks and the audit chains must be clean. A fresh
data folder is started every 200 iterations so the checks stay quick.
Prints a summary; exit status 1 if any iteration found a problem.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

from tests.stress.kill9_lib import kill_import, kill_stream, setup


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--import-share",
        type=float,
        default=0.2,
        help="share of iterations that kill an import (default 0.2)",
    )
    parser.add_argument("--folder-every", type=int, default=200)
    args = parser.parse_args(argv)

    from vp_desk.services import synthetic

    rng = random.Random(args.seed)
    phases: dict[str, int] = {}
    started = time.perf_counter()
    stats = {
        "stream": 0,
        "import": 0,
        "acks": 0,
        "imports_committed": 0,
        "imports_rolled_back": 0,
        "imports_acknowledged": 0,
        "failures": 0,
    }
    with tempfile.TemporaryDirectory(prefix="vp-kill9-") as tmp:
        tmp_path = Path(tmp)
        files = {}
        for rows in (600, 1500, 4000):  # at least 500: the progress bar shows
            files[rows] = tmp_path / f"import-{rows}.csv"
            synthetic.write_import_csv(files[rows], rows, lang="nl", seed=f"kill9-{rows}")
        folder = None
        for i in range(args.iterations):
            if i % args.folder_every == 0:
                folder = tmp_path / f"data-{i}"
                setup(folder)
            if rng.random() < args.import_share:
                rows = rng.choice(sorted(files))
                # Half of them aimed at the write transaction, half at a random time.
                at = rng.randrange(1, 99) if rng.random() < 0.5 else None
                outcome = kill_import(
                    folder, rng, files[rows], rows, max_delay=1.0 + rows * 0.0006, at_percent=at
                )
                key = "imports_committed" if outcome.committed else "imports_rolled_back"
                stats[key] += 1
                stats["imports_acknowledged"] += outcome.acknowledged
                phases[outcome.detail] = phases.get(outcome.detail, 0) + 1
            else:
                outcome = kill_stream(folder, rng)
                stats["acks"] += outcome.acknowledged
            stats[outcome.mode] += 1
            if outcome.problems:
                stats["failures"] += 1
                print(f"FAIL iteration {i} ({outcome.mode}, {outcome.detail}):", file=sys.stderr)
                for problem in outcome.problems:
                    print(f"  {problem}", file=sys.stderr)
            if (i + 1) % 25 == 0:
                print(
                    f"{i + 1}/{args.iterations} iterations, {stats['failures']} failures, "
                    f"{time.perf_counter() - started:.0f} s",
                    flush=True,
                )
    took = time.perf_counter() - started
    print(
        f"kill -9 stress: {args.iterations} iterations in {took:.0f} s, "
        f"failures: {stats['failures']}\n"
        f"  {stats['stream']} write streams killed, {stats['acks']} acknowledged writes "
        f"checked\n"
        f"  {stats['import']} imports: {', '.join(f'{v} {k}' for k, v in sorted(phases.items()))}"
        f" (phase at the kill); {stats['imports_rolled_back']} left nothing, "
        f"{stats['imports_committed']} arrived whole ({stats['imports_acknowledged']} "
        f"acknowledged), none partial"
    )
    return 1 if stats["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
