"""Key-file crash matrix (docs/architecture.md, "Security rules"): a write cut at every byte offset and a
failure at every step must leave a folder that unlocks with the old or the
new passphrase, with every organisation's key."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import PASSPHRASE
from vp_desk.domain.models import CaseInput, OrganisationInput
from vp_desk.errors import DamagedFile, StorageFull, WrongPassphrase
from vp_desk.services.desk import Desk
from vp_desk.vault import atomic
from vp_desk.vault.keyfile import CURRENT, PREVIOUS, KeyFileStore

NEW = "the new passphrase after the change"
STEPS = ["create", "write", "fsync", "replace", "fsync_dir"]


class Crash(BaseException):
    """The process dies here: nothing after this point runs."""


@pytest.fixture
def folder(tmp_path, cached_kdf) -> Path:
    path = tmp_path / "data"
    with Desk.create(path, PASSPHRASE) as desk:
        for name in ("Een BV", "Twee BV"):
            org = desk.add_organisation(OrganisationInput(name))
            desk.create_case(org.id, CaseInput(opened="2026-02-02", behaviours=["bullying"]))
    return path


def _opens_with_everything(path: Path) -> str:
    """Which passphrase opens the folder; every org vault must open too."""
    for passphrase in (PASSPHRASE, NEW):
        try:
            desk = Desk.open(path, passphrase)
        except WrongPassphrase:
            continue
        with desk:
            assert sorted(o.name for o in desk.organisations()) == ["Een BV", "Twee BV"]
            for o in desk.organisations():
                assert desk.count_cases(o.id) == 1
        return passphrase
    raise AssertionError("neither the old nor the new passphrase opens the folder")


def _write_with_crash(path: Path, step_no: int) -> None:
    """Change the passphrase, crashing at the ``step_no``-th atomic step."""
    seen = []

    def hook(step):
        seen.append(step)
        if len(seen) == step_no:
            raise Crash(step)

    desk = Desk.open(path, PASSPHRASE)
    ring = desk.vault.ring
    original = atomic.step_hook
    atomic.step_hook = hook
    try:
        ring.rekey(NEW)
        desk.vault.folder.keyfile.write(ring)
    except Crash:
        pass
    finally:
        atomic.step_hook = original
        # Simulate the process dying: release the lock without a clean close.
        desk.vault.folder.lock.release()


def test_crash_at_every_step_of_a_passphrase_change(folder, tmp_path):
    total_steps = 3 * len(STEPS)
    outcomes = []
    for step_no in range(1, total_steps + 2):
        work = tmp_path / f"run{step_no}"
        shutil.copytree(folder, work)
        _write_with_crash(work, step_no)
        outcomes.append(_opens_with_everything(work))
    # Early crashes keep the old passphrase, late ones have the new one.
    assert outcomes[0] == PASSPHRASE
    assert outcomes[-1] == NEW
    first_new = outcomes.index(NEW)
    assert all(o == NEW for o in outcomes[first_new:])


def test_write_cut_at_every_byte_offset(folder, tmp_path):
    """A torn current file (any prefix of the new generation) or a torn
    previous file never locks the VP out."""
    old = (folder / CURRENT).read_bytes()
    with Desk.open(folder, PASSPHRASE) as desk:
        desk.vault.ring.rekey(NEW)
        new = desk.vault.ring.serialise()
    work = tmp_path / "torn"
    shutil.copytree(folder, work)
    store = KeyFileStore(work)
    step = 1 if len(new) < 3000 else 3
    for cut in range(0, len(new), step):
        # Step 2 torn: current holds a prefix of new, previous holds old.
        (work / PREVIOUS).write_bytes(old)
        (work / CURRENT).write_bytes(new[:cut])
        if new[:cut].strip() == new.strip():  # only the final newline is missing
            assert len(store.unlock(NEW).keys) == 3
        else:
            ring = store.unlock(PASSPHRASE)
            assert ring.recovered_from_previous and len(ring.keys) == 3
        # Step 3 torn: current is new, previous holds a prefix of new.
        (work / CURRENT).write_bytes(new)
        (work / PREVIOUS).write_bytes(new[:cut])
        assert len(store.unlock(NEW).keys) == 3
        with pytest.raises(WrongPassphrase):
            store.unlock(PASSPHRASE)


def test_missing_files(folder):
    (folder / CURRENT).unlink()
    assert len(KeyFileStore(folder).unlock(PASSPHRASE).keys) == 3
    (folder / PREVIOUS).unlink()
    with pytest.raises(DamagedFile) as err:
        Desk.open(folder, PASSPHRASE)
    assert "missing" in str(err.value)


@pytest.mark.parametrize("step", STEPS[:3])
def test_full_disk_during_key_file_write(folder, step):
    """ENOSPC at any step: a clear StorageFull, the old generation intact, no
    temp or zero-byte file left."""
    import errno

    before = {p.name: p.read_bytes() for p in folder.iterdir() if p.name.startswith("keyfile")}

    def hook(name):
        if name == step:
            raise OSError(errno.ENOSPC, "No space left on device")

    desk = Desk.open(folder, PASSPHRASE)
    original = atomic.step_hook
    atomic.step_hook = hook
    try:
        with pytest.raises(StorageFull):
            desk.vault.change_passphrase(NEW)
    finally:
        atomic.step_hook = original
        desk.close()
    after = {p.name: p.read_bytes() for p in folder.iterdir() if p.name.startswith("keyfile")}
    assert after == before
    assert not [p for p in folder.iterdir() if p.name.endswith(".tmp")]
    assert all(p.stat().st_size > 0 for p in folder.iterdir() if p.is_file() and p.name != ".lock")
    assert _opens_with_everything(folder) == PASSPHRASE
