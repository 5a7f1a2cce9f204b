"""Core benchmarks: prints figures (median of several runs) and ratios; asserts nothing.

    python benchmarks/bench_core.py [--runs N] [--skip-practice]

* unlock at the DEFAULT Argon2id parameters (not the test floor);
* opening a data folder of 20 organisations (50,000 cases) after the KDF
  (target < 100 ms): the "practice" preset, or the one run_all chose
  (built once and cached, benchmarks/_data.py);
* importing 5,000 cases from a CSV file (target < 10 s);
* ``vp-desk org list`` start-up, against a floor of ``python -c pass`` measured
  in the same run, and whether Textual was imported (it must not be).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import _data  # noqa: E402
from benchmarks._util import preset, quick, record  # noqa: E402
from vp_desk.domain.models import OrganisationInput  # noqa: E402
from vp_desk.services import importer, synthetic  # noqa: E402
from vp_desk.services.desk import Desk  # noqa: E402
from vp_desk.vault.keyfile import INDEX_VAULT, KdfParams, KeyRing  # noqa: E402
from vp_desk.vault.migrations import migrate  # noqa: E402
from vp_desk.vault.sqlcipher import open_vault  # noqa: E402
from vp_desk.vault.store import INDEX_FILE, DataFolder, Vault  # noqa: E402

PASSPHRASE = "benchmark passphrase of some length"


def median_time(func, runs: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


def bench_unlock(tmp: Path, runs: int) -> None:
    params = KdfParams.new()  # the defaults: 256 MiB, 3 passes, 4 lanes
    folder = tmp / "default-kdf"
    with Desk.create(folder, PASSPHRASE, params):
        pass
    kdfs, times = [], []
    for _ in range(runs):  # interleaved, so both see the same machine load
        kdfs.append(median_time(lambda: params.derive(PASSPHRASE), 1)[0])
        times.append(median_time(lambda: DataFolder(folder).unlock(PASSPHRASE).close(), 1)[0])
    kdf, total = statistics.median(kdfs), statistics.median(times)
    print(
        f"unlock, Argon2id {params.memory_kib // 1024} MiB t={params.iterations} "
        f"p={params.lanes}:   {ms(total)}  (KDF alone {ms(kdf).strip()}; "
        f"runs {', '.join(f'{t:.2f}' for t in times)} s)"
    )
    record(
        f"unlock, Argon2id {params.memory_kib // 1024} MiB t={params.iterations} p={params.lanes}",
        total,
        floor=kdf,
        floor_name="the KDF alone",
    )


def bench_practice(folder: Path, meta: dict, runs: int) -> None:
    n = meta["organisations"]
    print(
        f"'{meta['preset']}' preset ({n} organisations, {meta['cases']:,} cases, "
        f"{meta['consultations']:,} contact moments, {meta['activities']:,} activities; "
        f"built in {meta['build_seconds']:.1f} s, "
        f"{meta['cases'] / meta['build_seconds']:,.0f} cases/s)"
    )
    data_folder = DataFolder(folder)
    ring = data_folder.keyfile.unlock(_data.PASSPHRASE)

    def copy() -> KeyRing:
        return KeyRing(ring.kdf, ring.kek, dict(ring.keys), ring.generation)

    def open_all() -> None:
        keys = copy()
        index = open_vault(folder / INDEX_FILE, keys.keys[INDEX_VAULT], part="index vault")
        migrate(index, "index")
        desk = Desk(Vault(data_folder, keys, index))
        for org in desk.organisations():
            desk.conn(org.id)
        desk.close()

    def open_dashboard() -> None:
        keys = copy()
        index = open_vault(folder / INDEX_FILE, keys.keys[INDEX_VAULT], part="index vault")
        migrate(index, "index")
        desk = Desk(Vault(data_folder, keys, index))
        stats = desk.dashboard()
        assert len(stats) == n
        desk.close()

    opened, _ = median_time(open_all, runs)
    dash, _ = median_time(open_dashboard, runs)
    print(
        f"open {n} organisation vaults after the KDF:            {ms(opened)}  "
        f"(target < 100 ms: {opened * 10:.2f}x of target)"
    )
    print(f"  ... and compute the dashboard (open cases, follow-ups, hours): {ms(dash).strip()}")
    record(f"open {n} organisation vaults after the KDF", opened, target="< 100 ms")
    record("  ... and compute the dashboard figures", dash)


def bench_import(tmp: Path, runs: int, count: int = 5000) -> None:
    folder = tmp / "import"
    os.environ["VP_DESK_KDF"] = "minimum"
    csv_path = tmp / f"import-{count}.csv"
    synthetic.write_import_csv(csv_path, count, lang="nl")
    size = csv_path.stat().st_size
    with Desk.create(folder, PASSPHRASE, KdfParams.from_env()) as desk:
        plans, applies = [], []
        for run in range(runs):
            org = desk.add_organisation(OrganisationInput(f"Import {run}"))
            start = time.perf_counter()
            plan = importer.plan_import(csv_path, "nl")
            mid = time.perf_counter()
            result = importer.apply_import(desk, org.id, plan)
            end = time.perf_counter()
            assert len(result.codes) == count
            plans.append(mid - start)
            applies.append(end - mid)
    total = statistics.median(p + a for p, a in zip(plans, applies))
    print(
        f"import {count:,} cases from CSV ({size / 1e6:.1f} MB, "
        f"{plan.consultation_count:,} contact moments): {total:.2f} s "
        f"(read+validate {statistics.median(plans):.2f} s, write "
        f"{statistics.median(applies):.2f} s; target < 10 s: {total / 10:.2f}x of target)"
    )
    record(f"import {count:,} cases from CSV", total, target="< 10 s" if count == 5000 else "")


def bench_startup(tmp: Path, runs: int) -> None:
    folder = tmp / "startup"
    os.environ["VP_DESK_KDF"] = "minimum"
    with Desk.create(folder, PASSPHRASE, KdfParams.from_env()) as desk:
        desk.add_organisation(OrganisationInput("Startup BV", 40))
        kdf_params = desk.vault.ring.kdf
    env = {k: v for k, v in os.environ.items() if not k.startswith("VP_DESK_")}
    env.update(VP_DESK_PASSPHRASE=PASSPHRASE, VP_DESK_HOME=str(folder))

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, *args], env=env, capture_output=True, text=True, check=True
        )

    floor, _ = median_time(lambda: run("-c", "pass"), runs)
    version, _ = median_time(lambda: run("-m", "vp_desk", "--version"), runs)
    org_list, _ = median_time(lambda: run("-m", "vp_desk", "org", "list"), runs)
    kdf, _ = median_time(lambda: kdf_params.derive(PASSPHRASE), runs)
    traced = run("-X", "importtime", "-m", "vp_desk", "org", "list")
    imported = {
        line.split("|")[-1].strip().split(".")[0]
        for line in traced.stderr.splitlines()
        if "|" in line
    }
    print(f"python -c pass (floor):                               {ms(floor)}")
    print(
        f"vp-desk --version:                                    {ms(version)}  "
        f"({version / floor:.1f}x floor)"
    )
    print(
        f"vp-desk org list (Argon2id at the 64 MiB floor):      {ms(org_list)}  "
        f"({org_list / floor:.1f}x floor; without the KDF's {ms(kdf).strip()}: "
        f"{(org_list - kdf) / floor:.1f}x floor)"
    )
    print(
        f"  textual imported by 'org list': {'YES' if 'textual' in imported else 'no'}; "
        f"rich: {'YES' if 'rich' in imported else 'no'}; openpyxl: "
        f"{'YES' if 'openpyxl' in imported else 'no'}"
    )
    record("vp-desk --version", version, floor=floor, floor_name="python -c pass")
    record(
        "vp-desk org list (KDF at the 64 MiB floor)",
        org_list,
        floor=floor,
        floor_name="python -c pass",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-practice", action="store_true")
    args = parser.parse_args()
    print(
        f"vp_desk core benchmarks: median of {args.runs} runs, {os.cpu_count()} CPU(s), "
        f"Python {sys.version.split()[0]}"
    )
    with tempfile.TemporaryDirectory(prefix="vp-bench-") as tmp:
        tmp_path = Path(tmp)
        bench_unlock(tmp_path, args.runs)
        if not args.skip_practice:
            with _data.working_copy(preset()) as (folder, meta):
                bench_practice(folder, meta, args.runs)
        bench_import(tmp_path, max(1 if quick() else 3, args.runs // 2), 1000 if quick() else 5000)
        bench_startup(tmp_path, args.runs)


if __name__ == "__main__":
    main()
