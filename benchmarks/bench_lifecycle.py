"""Lifecycle operations at the scale of a busy external VP: backup, restore,
hand-over of the largest organisation, destroying cases past retention
(including the VACUUM and TRUNCATE checkpoint that scrub the text from disk),
and one dossier export. Prints wall times and throughput.

    python benchmarks/bench_lifecycle.py [--preset practice|small|stress]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._util import preset as chosen_preset  # noqa: E402
from benchmarks._util import quick, row

PASSPHRASE = "benchmark passphrase for lifecycle"


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file())


def _timed(func):
    start = time.perf_counter()
    result = func()
    return result, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--preset", default=chosen_preset("small" if quick() else "practice"))
    args = parser.parse_args()
    os.environ.setdefault("VP_DESK_KDF", "minimum")

    from vp_desk.services import backup, dossier, handover, retention, synthetic
    from vp_desk.services.desk import Desk

    work = Path(tempfile.mkdtemp(prefix="vp-bench-lifecycle-"))
    try:
        data = work / "data"
        today = date(2026, 6, 1)
        desk = Desk.create(data, PASSPHRASE)
        summary = synthetic.build(desk, args.preset, today=today)
        print(
            f"preset {args.preset}: {summary.organisations} organisations, {summary.cases} "
            f"cases, {summary.consultations} contact moments; data folder "
            f"{_size(data) / 1e6:.1f} MB",
            flush=True,
        )

        out = work / "desk.vpbackup"
        result, took = _timed(lambda: backup.create_backup(desk, out))
        row(f"backup ({result.size / 1e6:.1f} MB file)", took)
        print(f"{'  throughput':<52} {result.size / 1e6 / took:10.1f} MB/s", flush=True)

        largest = max(desk.organisations(), key=lambda o: desk.count_cases(o.id))
        ho = work / "org.vphandover"
        res, took = _timed(lambda: handover.export_organisation(desk, largest.id, ho))
        row(f"hand-over export ({res.cases} cases)", took)

        case = desk.list_cases(largest.id, limit=1)[0]
        _, took = _timed(lambda: dossier.render(desk, largest.id, case.id, "pdf", "nl"))
        row("dossier export, one case as PDF", took)

        due = retention.due_cases(desk, today)
        by_org: dict[int, list[int]] = {}
        for item in due:
            by_org.setdefault(item.org_id, []).append(item.case_id)
        target_org = max(by_org, key=lambda k: len(by_org[k])) if by_org else None
        if target_org is not None:
            ids = by_org[target_org]
            _, took = _timed(lambda: retention.destroy_cases(desk, target_org, ids, today))
            row(f"destroy {len(ids)} due cases of one org (incl. VACUUM)", took)
            conn = desk.conn(target_org)
            _, took = _timed(lambda: retention.scrub(conn))
            row("  of which: VACUUM + TRUNCATE checkpoint alone", took)
        desk.close()

        target = work / "restored"
        count, took = _timed(lambda: backup.restore_backup(out, target, PASSPHRASE))
        row(f"restore ({count} organisation vaults)", took)

        other = work / "successor"
        with Desk.create(other, PASSPHRASE) as succ:
            _, took = _timed(lambda: handover.import_organisation(succ, ho, res.passphrase))
        row(f"hand-over import ({res.cases} cases)", took)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
