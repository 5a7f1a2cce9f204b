"""An interrupted backup leaves nothing decryptable in the data folder.

A real process is killed (kill -9) at random moments of ``vp-desk backup``,
and at every atomic step of writing the archive (``os._exit`` from the step
hook, so no ``finally`` runs). Afterwards the data folder holds only the live
files, the sealed temp file beside the target is private (0600) and goes at the
next open, and ``verify`` is clean.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.conftest import PASSPHRASE, run_cli
from tests.lifecycle.helpers import add_case, add_org
from tests.portable import assert_private, kill_hard
from vp_desk.services import backup
from vp_desk.services.desk import Desk
from vp_desk.vault.keyfile import CURRENT, PREVIOUS

STEPS = ["create", "write", "fsync", "replace", "fsync_dir"]
LIVE_SUFFIXES = ("", "-wal", "-shm")


def _make_folder(data_dir: Path, notes: int = 60) -> None:
    with Desk.create(data_dir, PASSPHRASE) as desk:
        for name in ("Een BV", "Twee BV", "Drie BV"):
            org = add_org(desk, name)
            for n in range(notes):
                add_case(desk, org.id, "2025-03-03", notes=f"note {n} " + "x" * 2000)


def _live_names(data_dir: Path) -> set[str]:
    with Desk.open(data_dir, PASSPHRASE) as desk:
        ids = desk.vault.org_vault_ids()
    names = {".lock", CURRENT, PREVIOUS}
    for base in ["index.db"] + [f"org-{i}.db" for i in ids]:
        names |= {base + s for s in LIVE_SUFFIXES}
    return names


def _assert_only_live_files(data_dir: Path, live: set[str], *, just_killed: bool = False) -> None:
    extra = sorted(p.name for p in data_dir.iterdir() if p.name not in live)
    if just_killed:  # a key-file write cut before its rename; the next open removes it
        extra = [n for n in extra if not (n.startswith(".keyfile") and n.endswith(".tmp"))]
    assert extra == [], f"left in the data folder after a crash: {extra}"


def _partials(out: Path) -> list[Path]:
    return sorted(out.parent.glob(f".{out.name}.*.tmp"))


def _env() -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VP_DESK_")}
    env.update(VP_DESK_KDF="minimum", VP_DESK_LANG="en", VP_DESK_PASSPHRASE=PASSPHRASE)
    return env


@pytest.fixture
def folder(tmp_path) -> Path:
    data_dir = tmp_path / "data"
    _make_folder(data_dir)
    return data_dir


CRASH_AT_STEP = textwrap.dedent(
    """
    import os, sys
    from pathlib import Path
    from vp_desk.services.backup import create_backup
    from vp_desk.services.desk import Desk
    from vp_desk.vault import atomic

    data_dir, out, crash_at = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]

    def hook(step):
        if step == crash_at:
            os._exit(9)

    desk = Desk.open(data_dir, os.environ["VP_DESK_PASSPHRASE"])
    atomic.step_hook = hook
    create_backup(desk, out)
    os._exit(0)
    """
)


@pytest.mark.parametrize("step", STEPS)
def test_a_crash_at_every_step_leaves_nothing_in_the_data_folder(folder, tmp_path, step):
    live = _live_names(folder)
    out = tmp_path / "out" / "desk.vpbackup"
    out.parent.mkdir()
    done = subprocess.run(
        [sys.executable, "-c", CRASH_AT_STEP, str(folder), str(out), step],
        env=_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 9, done.stderr
    _assert_only_live_files(folder, live)
    for partial in _partials(out):
        # The only staged file is the sealed archive itself, private to the user.
        assert_private(partial)
    # The next open removes the partial archive; verify is clean.
    checked = run_cli("verify", data_dir=folder)
    assert checked.returncode == 0, checked.stderr
    assert _partials(out) == []
    assert not out.exists() or step == "fsync_dir"
    _assert_only_live_files(folder, live)


def test_kill_9_at_random_moments_of_a_backup(folder, tmp_path):
    live = _live_names(folder)
    rng = random.Random(1107)
    # How long one backup takes here, to spread the kills over it.
    start = time.monotonic()
    first = run_cli("backup", str(tmp_path / "timing.vpbackup"), data_dir=folder)
    assert first.returncode == 0, first.stderr
    span = time.monotonic() - start
    outs = tmp_path / "kills"
    outs.mkdir()
    killed = 0
    for n in range(10):
        out = outs / f"b{n}.vpbackup"
        proc = subprocess.Popen(
            [sys.executable, "-m", "vp_desk", "backup", str(out)],
            env={**_env(), "VP_DESK_HOME": str(folder)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.2, 1.0) * span)
        if proc.poll() is None:
            kill_hard(proc)
            killed += 1
        proc.wait(timeout=60)
        _assert_only_live_files(folder, live, just_killed=True)
        for partial in _partials(out):
            assert_private(partial)
    assert killed >= 1
    checked = run_cli("verify", data_dir=folder)
    assert checked.returncode == 0, checked.stderr
    assert [p for p in outs.iterdir() if p.name.endswith(".tmp")] == []
    _assert_only_live_files(folder, live)


def test_verify_names_a_leftover_it_could_not_remove(folder, tmp_path):
    """A staging folder that survives the open (here: made after it) is named."""
    with Desk.open(folder, PASSPHRASE) as desk:
        stale = folder / ".handover-abc123"
        stale.mkdir(mode=0o700)
        problems = desk.verify()
    assert any(".handover-abc123" in p for p in problems), problems
    # and the next open removes it
    with Desk.open(folder, PASSPHRASE):
        pass
    assert not stale.exists()


def test_a_partial_archive_beside_the_target_goes_at_open(folder, tmp_path):
    out = tmp_path / "b.vpbackup"
    with Desk.open(folder, PASSPHRASE) as desk:
        backup.create_backup(desk, out)
    out.unlink()
    partial = tmp_path / f".{out.name}.0123456789ab.tmp"
    partial.write_bytes(b"sealed bytes")
    unrelated = tmp_path / ".other.0123456789ab.tmp"
    unrelated.write_bytes(b"not ours")
    with Desk.open(folder, PASSPHRASE) as desk:
        assert backup.partial_archives(desk) == []
    assert not partial.exists()
    assert unrelated.exists()


def test_the_desk_can_write_while_a_backup_holds_the_vaults_still(folder, tmp_path):
    """The backup reads each vault through a private connection: a save made
    half-way (the app saving a case) neither fails nor leaks into the backup."""
    from tests.lifecycle.helpers import content_hash

    out = tmp_path / "b.vpbackup"
    with Desk.open(folder, PASSPHRASE) as desk:
        org = desk.organisations()[0]
        before = content_hash(desk)
        saved = []

        def progress(done, total):
            if not saved:
                saved.append(add_case(desk, org.id, "2025-06-06", notes="written meanwhile"))

        backup.create_backup(desk, out, progress)
        assert saved and desk.count_cases(org.id) == 61
        assert desk.verify() == []
    target = tmp_path / "restored"
    backup.restore_backup(out, target, PASSPHRASE)
    with Desk.open(target, PASSPHRASE) as restored:
        assert content_hash(restored) == before
        assert restored.verify() == []
