"""Rollback detection (issue 11, item 3), without any passphrase on the
attacker's side: a whole vault file copied back, one 4 KiB page spliced in
from an older copy, the key file rolled back. Each is refused with a message
that names the part; ``verify`` finds each too."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PASSPHRASE, run_cli
from tests.lifecycle.sqlcipher_pages import PAGE, decrypt_page, file_salt
from vp_desk.domain.models import CaseInput, OrganisationInput
from vp_desk.errors import DamagedFile
from vp_desk.services.desk import Desk
from vp_desk.vault.keyfile import CURRENT, PREVIOUS
from vp_desk.vault.store import INDEX_FILE, file_digest

ROOT = Path(__file__).resolve().parents[2]
ORG = "Stichting Terugrol"
FIRST = "MARK-first-version-of-the-note-1111"
FIXED = "MARK-corrected-version-of-note-2222"


@pytest.fixture
def folder(tmp_path) -> Path:
    path = tmp_path / "data"
    with Desk.create(path, PASSPHRASE) as desk:
        org = desk.add_organisation(OrganisationInput(ORG))
        for n in range(40):  # several pages of cases
            desk.create_case(
                org.id,
                CaseInput(
                    opened="2026-01-05", behaviours=["other"], notes=FIRST if n == 20 else "x" * 300
                ),
            )
    return path


def _org_file(path: Path) -> Path:
    [file] = path.glob("org-*.db")
    return file


def _snapshot(path: Path, files: list[str], where: Path) -> None:
    where.mkdir()
    for name in files:
        shutil.copy2(path / name, where / name)


def _put_back(where: Path, path: Path) -> None:
    for src in where.iterdir():
        for suffix in ("-wal", "-shm"):
            Path(str(path / src.name) + suffix).unlink(missing_ok=True)
        shutil.copy2(src, path / src.name)


def _correct_the_note(path: Path) -> None:
    with Desk.open(path, PASSPHRASE) as desk:
        org = desk.find_organisation(ORG)
        case = next(
            c for c in desk.list_cases(org.id) if desk.get_case(org.id, c.id).notes == FIRST
        )
        data = desk.get_case(org.id, case.id).to_input()
        data.notes = FIXED
        desk.update_case(org.id, case.id, data)


def test_vault_file_copied_back_is_refused(folder, tmp_path):
    org_file = _org_file(folder)
    _snapshot(folder, [org_file.name], tmp_path / "old")
    _correct_the_note(folder)
    _put_back(tmp_path / "old", folder)
    with Desk.open(folder, PASSPHRASE) as desk:
        org = desk.find_organisation(ORG)
        with pytest.raises(DamagedFile) as err:
            desk.list_cases(org.id)
        assert org_file.name in str(err.value) and "rolled back" in str(err.value)
    result = run_cli("case", "list", ORG, data_dir=folder)
    assert result.returncode == 1
    assert org_file.name in result.stderr and "rolled back" in result.stderr
    assert FIRST not in result.stdout + result.stderr
    verify = run_cli("verify", data_dir=folder)
    assert verify.returncode == 1 and org_file.name in verify.stderr


def test_index_vault_copied_back_is_refused(folder, tmp_path):
    _snapshot(folder, [INDEX_FILE], tmp_path / "old")
    with Desk.open(folder, PASSPHRASE) as desk:
        desk.add_organisation(OrganisationInput("Later BV"))
    _put_back(tmp_path / "old", folder)
    with pytest.raises(DamagedFile) as err:
        Desk.open(folder, PASSPHRASE)
    assert err.value.part == "index vault" and "rolled back" in str(err.value)
    result = run_cli("org", "list", data_dir=folder)
    assert result.returncode == 1 and INDEX_FILE in result.stderr


def test_key_file_rolled_back_is_refused(folder, tmp_path):
    """The key file from before a shred still holds the shredded key."""
    _snapshot(folder, [CURRENT, PREVIOUS], tmp_path / "old")
    with Desk.open(folder, PASSPHRASE) as desk:
        desk.shred_organisation(desk.find_organisation(ORG).id)
    _put_back(tmp_path / "old", folder)
    with pytest.raises(DamagedFile) as err:
        Desk.open(folder, PASSPHRASE)
    assert err.value.part == "key file" and "rolled back" in str(err.value)
    result = run_cli("verify", data_dir=folder)
    assert result.returncode == 1
    assert CURRENT in result.stderr and "rolled back" in result.stderr


def _page_with(path: Path, key: bytes, needle: str) -> int:
    raw = path.read_bytes()
    salt = file_salt(path)
    for i in range(0, len(raw), PAGE):
        if needle.encode() in decrypt_page(raw[i : i + PAGE], i // PAGE + 1, key, salt):
            return i // PAGE + 1
    raise AssertionError(f"{needle} not found")


def test_one_page_spliced_from_an_older_copy_is_found_by_verify(folder, tmp_path):
    """The corrected note comes back through one spliced page: every page
    passes its HMAC (same key, same salt, same page number), so the open
    cannot see it; ``verify`` compares the file with the digest recorded at
    the last close (docs/threat-model.md)."""
    org_file = _org_file(folder)
    old = tmp_path / "old.db"
    shutil.copy2(org_file, old)
    _correct_the_note(folder)
    with Desk.open(folder, PASSPHRASE) as desk:
        key = desk.vault.ring.keys[org_file.name[len("org-") : -len(".db")]]
        assert desk.verify() == []  # clean before the splice
    pgno = _page_with(org_file, key, FIXED)
    assert _page_with(old, key, FIRST) == pgno
    raw = bytearray(org_file.read_bytes())
    raw[(pgno - 1) * PAGE : pgno * PAGE] = old.read_bytes()[(pgno - 1) * PAGE : pgno * PAGE]
    org_file.write_bytes(bytes(raw))
    with Desk.open(folder, PASSPHRASE) as desk:
        org = desk.find_organisation(ORG)
        # The spliced page opens: the old note is back ...
        notes = {desk.get_case(org.id, c.id).notes for c in desk.list_cases(org.id)}
        assert FIRST in notes
    result = run_cli("verify", data_dir=folder)
    # ... but verify names the file.
    assert result.returncode == 1
    assert org_file.name in result.stderr and "spliced" in result.stderr
    assert FIRST not in result.stderr


def test_normal_use_stays_clean(folder):
    """No false alarm: reopen, write, crash-free closes, a passphrase change."""
    _correct_the_note(folder)
    for _ in range(2):
        with Desk.open(folder, PASSPHRASE) as desk:
            assert desk.verify() == []
    with Desk.open(folder, PASSPHRASE) as desk:
        desk.change_passphrase("another passphrase for the rollback test")
    with Desk.open(folder, "another passphrase for the rollback test") as desk:
        assert desk.verify() == []
        org = desk.find_organisation(ORG)
        assert len(desk.list_cases(org.id)) == 40


# -- the record of a write matches the disk (a write that rolls back, a kill) -----------------

SECOND = "MARK-written-after-a-failed-first-write-3333"

_CHILD = """
import os, sys
from pathlib import Path
from vp_desk.domain.models import CaseInput
from vp_desk.services.desk import Desk
from vp_desk.vault import store

folder, org_name, note, mode = Path(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
desk = Desk.open(folder, os.environ["VP_DESK_PASSPHRASE"])
org = desk.find_organisation(org_name)
if mode == "fail-first":
    try:
        with desk.org_tx(org.id, "case.update") as tx:
            tx.conn.execute("UPDATE cases SET notes = 'never stored'")
            raise RuntimeError("the first write of the session fails")
    except RuntimeError:
        pass
if mode == "kill-after-commit":
    def killed(vault_id):
        os._exit(9)  # killed after the COMMIT, before the session records it
    store.after_commit = killed
desk.create_case(org.id, CaseInput(opened="2026-02-03", behaviours=["other"], notes=note))
os._exit(0)  # killed before the close: no seal
"""


def _child(folder: Path, mode: str) -> int:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VP_DESK_")}
    env.update(VP_DESK_PASSPHRASE=PASSPHRASE, VP_DESK_KDF="minimum", VP_DESK_LANG="en")
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(folder), ORG, SECOND, mode],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.stderr == "", done.stderr
    return done.returncode


def _notes(folder: Path) -> list[str]:
    with Desk.open(folder, PASSPHRASE) as desk:
        org = desk.find_organisation(ORG)
        return [desk.get_case(org.id, c.id).notes for c in desk.list_cases(org.id)]


@pytest.mark.parametrize("mode", ["fail-first", "kill-after-commit"])
def test_a_killed_session_is_no_false_rollback_finding(folder, mode):
    """A first write that rolls back, then a write that commits, then a kill
    before the close (or a kill right after the COMMIT): ``verify`` must not
    call the file spliced. Old main marked the vault written before the
    COMMIT, so after the rollback the next write went unmarked and verify
    compared the changed file with the digest of the last close."""
    assert _child(folder, mode) == (9 if mode == "kill-after-commit" else 0)
    notes = _notes(folder)
    assert SECOND in notes and "never stored" not in notes and len(notes) == 41
    result = run_cli("verify", data_dir=folder)
    assert result.returncode == 0, result.stderr
    # That clean session (it opened every vault) sealed the written file again:
    # from now on verify compares it with its digest.
    with Desk.open(folder, PASSPHRASE) as desk:
        org = desk.find_organisation(ORG)
        conn = desk.conn(org.id)
        assert conn.execute("SELECT value FROM meta WHERE key = 'sealed'").fetchone()[0] == "1"
        assert desk.vault.ring.digests[org.vault_id] == file_digest(_org_file(folder))
    _correct_the_note(folder)
    with Desk.open(folder, PASSPHRASE) as desk:
        assert desk.verify() == []


def test_a_write_that_rolls_back_is_not_recorded_as_a_write(folder):
    """Nothing reached the disk, so the close records nothing: the epoch and
    digest in the key file and the file itself stay as they were."""
    org_file = _org_file(folder)
    keyfile_before = (folder / CURRENT).read_bytes()
    with Desk.open(folder, PASSPHRASE) as desk:
        vault_id = org_file.name[len("org-") : -len(".db")]
        epoch = desk.vault.ring.epochs[vault_id]
        org = desk.find_organisation(ORG)
        with pytest.raises(RuntimeError), desk.org_tx(org.id, "case.update") as tx:
            tx.conn.execute("UPDATE cases SET notes = 'never stored'")
            raise RuntimeError("the write fails")
    assert (folder / CURRENT).read_bytes() == keyfile_before
    with Desk.open(folder, PASSPHRASE) as desk:
        assert desk.vault.ring.epochs[vault_id] == epoch
        assert desk.verify() == []
    # A failed first write, then a good one, then a clean close: sealed and comparable.
    with Desk.open(folder, PASSPHRASE) as desk:
        org = desk.find_organisation(ORG)
        with pytest.raises(RuntimeError), desk.org_tx(org.id, "case.update") as tx:
            tx.conn.execute("UPDATE cases SET notes = 'never stored'")
            raise RuntimeError("the write fails")
        desk.create_case(org.id, CaseInput(opened="2026-02-03", behaviours=["other"], notes=SECOND))
    with Desk.open(folder, PASSPHRASE) as desk:
        assert desk.vault.ring.epochs[vault_id] == epoch + 1
        assert desk.verify() == []
