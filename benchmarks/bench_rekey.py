"""Passphrase change with a fresh data key per vault, and the rollback check.

    python benchmarks/bench_rekey.py [--preset practice|small|stress]

- ``passwd``: ``Desk.change_passphrase`` on a private copy of the preset's data
  folder (practice: 20 organisations, 50,000 cases): every vault exported
  under a new key, audit chains re-sealed, one Argon2id derivation, the key
  file written, the files swapped. Floor, measured in the same run on the same
  files: a bare ``sqlcipher_export`` of every vault into a new file under a
  new key (what any re-encryption must at least do). Target: under 10 s.
- ``rollback check``: the work the check adds to opening 20 organisation
  vaults (reading each vault's epoch and comparing it with the key file,
  plus the key file's generation in the index), timed where the open calls
  it; best of 5 opens. Target: under 5 ms. The whole open is shown for scale.

The rekey is measured once (it changes the folder it measures).
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._data import PASSPHRASE, folder_bytes, working_copy  # noqa: E402
from benchmarks._util import preset as chosen_preset  # noqa: E402
from benchmarks._util import quick, row  # noqa: E402

NEW = "the benchmark's new passphrase after a leak"


def _export_floor(desk, work: Path) -> float:
    """sqlcipher_export of every vault into a new file under a new key."""
    from vp_desk.vault.keyfile import INDEX_VAULT

    conns = [desk.index] + [desk.vault.org(v) for v in desk.vault.org_vault_ids()]
    start = time.perf_counter()
    for n, conn in enumerate(conns):
        target = work / f"floor-{n}.db"
        key = secrets.token_bytes(32)
        conn.execute(f"ATTACH DATABASE ? AS floor KEY \"x'{key.hex()}'\"", (str(target),))
        try:
            conn.execute("BEGIN")
            conn.execute("SELECT sqlcipher_export('floor')")
            conn.execute("COMMIT")
        finally:
            conn.execute("DETACH DATABASE floor")
        fd = os.open(target, os.O_RDONLY)
        os.fsync(fd)
        os.close(fd)
    took = time.perf_counter() - start
    for n in range(len(conns)):
        (work / f"floor-{n}.db").unlink()
    assert INDEX_VAULT in desk.vault.ring.keys
    return took


def _rollback_check_cost(folder: Path, passphrase: str, runs: int = 5) -> tuple[list, list]:
    """Per open of the folder and its first 20 organisation vaults: the seconds
    spent in the rollback checks (timed where the open calls them), and the
    seconds the whole open took."""
    from vp_desk.services.desk import Desk
    from vp_desk.vault import store

    real_epoch, real_generation = store.check_epoch, store.Vault._check_keyfile_generation
    spent: list[float] = []

    def timed_epoch(*args):
        start = time.perf_counter()
        real_epoch(*args)
        spent.append(time.perf_counter() - start)

    def timed_generation(self):
        start = time.perf_counter()
        real_generation(self)
        spent.append(time.perf_counter() - start)

    store.check_epoch = timed_epoch
    store.Vault._check_keyfile_generation = timed_generation
    checks, opens = [], []
    try:
        for _ in range(runs):
            spent.clear()
            start = time.perf_counter()
            with Desk.open(folder, passphrase) as desk:
                for vault_id in desk.vault.org_vault_ids()[:20]:
                    desk.vault.org(vault_id)
                opens.append(time.perf_counter() - start)
            checks.append(sum(spent))
    finally:
        store.check_epoch, store.Vault._check_keyfile_generation = real_epoch, real_generation
    return checks, opens


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--preset", default=chosen_preset("small" if quick() else "practice"))
    args = parser.parse_args()

    from vp_desk.services.desk import Desk

    with working_copy(args.preset) as (folder, meta):
        print(
            f"preset {args.preset}: {meta['organisations']} organisations, {meta['cases']:,} "
            f"cases; data folder {folder_bytes(folder) / 1e6:.1f} MB; KDF {meta['kdf']}",
            flush=True,
        )
        # Seal the copy once (epochs and digests recorded), as a real folder is.
        with Desk.open(folder, PASSPHRASE) as desk:
            for vault_id in desk.vault.org_vault_ids():
                desk.vault.org(vault_id)
            desk.set_setting("bench.rekey", "1")
        with Desk.open(folder, PASSPHRASE) as desk:
            floor = _export_floor(desk, folder.parent)
            start = time.perf_counter()
            desk.change_passphrase(NEW)
            took = time.perf_counter() - start
            assert desk.verify() == [], "the rekeyed folder does not verify"
        label = f"passwd, fresh key per vault ({args.preset})"
        row(label, took, floor, target="< 10 s", floor_name="sqlcipher_export of every vault")

        checks, opens = _rollback_check_cost(folder, NEW)
        count = min(20, meta["organisations"])
        print(
            "rollback check per open, ms: "
            + ", ".join(f"{c * 1000:.2f}" for c in checks)
            + " (best of them is recorded: the machine may be shared)",
            flush=True,
        )
        row(f"rollback check added to opening {count} vaults", min(checks), target="< 5 ms")
        row(f"unlock + opening {count} organisation vaults (for scale)", statistics.median(opens))


if __name__ == "__main__":
    main()
