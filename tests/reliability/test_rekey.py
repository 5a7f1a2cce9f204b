"""A passphrase change gives every vault a fresh data key, and it and a shred
finish (or are finished) whatever moment the process dies (issue 11, items 2
and 4).

The crash matrices run the operation in a forked child that calls
``os._exit`` at the n-th step (every atomic key-file step and every step of
the rekey and the shred): nothing after that point runs, no cleanup, no
``finally``. The parent then opens the folder and demands exactly the old or
the new state, ``verify`` clean, and no page anywhere in the folder that a
key which should be gone still decrypts.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from tests.conftest import PASSPHRASE, run_cli
from tests.reliability.pages_scan import decryptable_pages
from vp_desk.domain.models import CaseInput, ConsultationInput, OrganisationInput
from vp_desk.errors import DamagedFile, WrongPassphrase
from vp_desk.services.desk import Desk
from vp_desk.vault import atomic
from vp_desk.vault.keyfile import CURRENT, INDEX_VAULT, PREVIOUS, KdfParams, KeyFileStore

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs fork")

NEW = "a completely new passphrase after a leak"
BEFORE = "MARK-before-change-5521"
AFTER = "MARK-after-change-8830"
GONE = "MARK-shredded-org-4417"


def _make(path: Path) -> None:
    with Desk.create(path, PASSPHRASE) as desk:
        for name in ("Een BV", "Twee BV"):
            org = desk.add_organisation(OrganisationInput(name))
            case = desk.create_case(
                org.id, CaseInput(opened="2026-02-02", behaviours=["bullying"], notes=BEFORE)
            )
            desk.set_subject(org.id, case.id, "Jan Jansen")


@pytest.fixture
def folder(tmp_path, cached_kdf) -> Path:
    path = tmp_path / "data"
    _make(path)
    return path


def _keys(path: Path, passphrase: str) -> dict[str, bytes]:
    return dict(KeyFileStore(path).unlock(passphrase).keys)


def test_passwd_gives_every_vault_a_fresh_key(folder):
    old = _keys(folder, PASSPHRASE)
    calls = []
    with Desk.open(folder, PASSPHRASE) as desk:
        desk.change_passphrase(NEW, progress=lambda done, total: calls.append((done, total)))
        # The same session goes on working with the new keys.
        org = desk.find_organisation("Een BV")
        case = desk.create_case(
            org.id, CaseInput(opened="2026-03-01", behaviours=["other"], notes=AFTER)
        )
        desk.set_subject(org.id, case.id, "jan  JANSEN")
        assert desk.repeat_subject_count(org.id, case.id) == 1  # subject key kept
    assert calls[0] == (0, 3) and calls[-1] == (3, 3)
    assert [d for d, _ in calls] == [0, 1, 2, 3]
    new = _keys(folder, NEW)
    assert set(new) == set(old)
    assert all(new[v] != old[v] for v in old)
    with pytest.raises(WrongPassphrase):
        Desk.open(folder, PASSPHRASE)
    with Desk.open(folder, NEW) as desk:
        assert desk.verify() == []  # audit chains re-sealed under the new keys
        notes = {
            desk.get_case(o.id, c.id).notes
            for o in desk.organisations()
            for c in desk.list_cases(o.id)
        }
        assert notes == {BEFORE, AFTER}
    # No page anywhere in the folder opens with an old data key.
    for vault_id, key in old.items():
        assert decryptable_pages(folder, key) == [], vault_id
    assert not list(folder.glob("*.rekey*"))


def test_old_key_file_and_old_passphrase_read_nothing_written_after(folder, tmp_path):
    """The reproduced attack: restore the key file from before the change (an
    old backup, a synced copy), put the current vault files beside it."""
    old_current = (folder / CURRENT).read_bytes()
    old_previous = (folder / PREVIOUS).read_bytes()
    old = _keys(folder, PASSPHRASE)
    result = run_cli(
        "passwd", "--new-passphrase-file", str(_write(tmp_path / "new.txt", NEW)), data_dir=folder
    )
    assert result.returncode == 0, result.stderr
    assert "new data key" in result.stdout
    with Desk.open(folder, NEW) as desk:
        org = desk.find_organisation("Twee BV")
        desk.create_case(org.id, CaseInput(opened="2026-04-01", behaviours=["other"], notes=AFTER))
    attack = tmp_path / "attack"
    shutil.copytree(folder, attack)
    (attack / CURRENT).write_bytes(old_current)
    (attack / PREVIOUS).write_bytes(old_previous)
    with pytest.raises(DamagedFile):
        Desk.open(attack, PASSPHRASE)
    exported = run_cli("case", "export", "Twee BV", "2026-002", data_dir=attack)
    assert exported.returncode == 1
    assert AFTER not in exported.stdout and AFTER not in exported.stderr
    # Below the product: the old keys decrypt no page of any file left.
    for key in old.values():
        hits = decryptable_pages(attack, key)
        assert hits == []
        assert not any(AFTER.encode() in plain for _, _, plain in hits)


def test_passwd_shows_a_progress_bar_on_a_terminal_only(folder, tmp_path):
    import pty
    import subprocess

    from tests.stress.kill9_lib import ROOT, child_env

    new_file = _write(tmp_path / "new.txt", NEW)
    master, slave = pty.openpty()
    env = child_env(PASSPHRASE)
    env["VP_DESK_HOME"] = str(folder)
    proc = subprocess.run(
        [sys.executable, "-m", "vp_desk", "passwd", "--new-passphrase-file", str(new_file)],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=slave,
        timeout=120,
    )
    os.close(slave)
    shown = b""
    try:
        while chunk := os.read(master, 4096):
            shown += chunk
    except OSError:
        pass
    os.close(master)
    assert proc.returncode == 0
    assert b"Re-encrypting vaults" in shown and b"3/3" in shown
    # Without a terminal (the other tests): nothing on stderr.
    again = run_cli(
        "passwd",
        "--new-passphrase-file",
        str(_write(tmp_path / "back.txt", "yet another passphrase for the test")),
        data_dir=folder,
        passphrase=NEW,
    )
    assert again.returncode == 0 and again.stderr == ""


def _write(path: Path, text: str) -> Path:
    path.write_text(text + "\n")
    return path


# -- crash matrices ----------------------------------------------------------------------


def _run_until_step(path: Path, passphrase: str, action, crash_at) -> int | None:
    """Run ``action(desk)`` and close, in a child that dies at step ``crash_at``
    (a number, or a function of the steps seen so far that says when).

    Returns the number of steps if the child finished (``crash_at`` too big)."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        code = 0
        try:
            os.close(read_end)
            seen = 0
            steps = []

            def hook(step):
                nonlocal seen
                seen += 1
                steps.append(step)
                if seen == crash_at or (callable(crash_at) and crash_at(steps)):
                    os._exit(0)  # killed here: nothing after this runs

            desk = Desk.open(path, passphrase)
            atomic.step_hook = hook
            action(desk)
            desk.close()
            os.write(write_end, str(seen).encode())
        except BaseException:
            code = 1
        os._exit(code)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as fh:
        done = fh.read()
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, "the child failed before the crash"
    return int(done) if done else None


def _salt(path: Path, name: str = CURRENT) -> str:
    return json.loads(json.loads((path / name).read_text())["body"])["kdf"]["salt"]


def _state_after_passwd(path: Path, old_keys: dict[str, bytes], old_salt: str) -> str:
    """Which passphrase opens the folder, checking it is exactly that state.

    The key file's salt says which state to expect (a new one comes with the
    new passphrase); the other passphrase is tried when it costs no extra
    Argon2id run, and otherwise ruled out by both copies being identical
    under a salt the other passphrase was never used with."""
    expected = PASSPHRASE if _salt(path) == old_salt else NEW
    desk = Desk.open(path, expected)  # settles both copies and rolls forward
    with desk:
        assert sorted(o.name for o in desk.organisations()) == ["Een BV", "Twee BV"]
        for org in desk.organisations():
            [case] = desk.list_cases(org.id)
            assert desk.get_case(org.id, case.id).notes == BEFORE
        assert desk.verify() == []
    assert not list(path.glob("*.rekey*"))
    assert (path / CURRENT).read_bytes() == (path / PREVIOUS).read_bytes()
    if expected == PASSPHRASE:
        with pytest.raises(WrongPassphrase):
            Desk.open(path, NEW)
    else:
        assert _salt(path) != old_salt and _salt(path, PREVIOUS) == _salt(path)
        for key in old_keys.values():
            assert decryptable_pages(path, key) == []
    return expected


@pytest.mark.slow
def test_crash_at_every_step_of_a_passphrase_change(folder, tmp_path):
    old_keys = _keys(folder, PASSPHRASE)
    old_salt = _salt(folder)
    # One new salt for every run, derived once here (real Argon2id, cached
    # by the cached_kdf fixture and inherited by each forked child).
    kdf = KdfParams.from_env()
    kdf.derive(NEW)
    outcomes = []
    step = 0
    while True:
        step += 1
        work = tmp_path / f"run{step}"
        shutil.copytree(folder, work)
        finished = _run_until_step(
            work, PASSPHRASE, lambda d: d.vault.change_passphrase(NEW, kdf=kdf), step
        )
        outcomes.append(_state_after_passwd(work, old_keys, old_salt))
        shutil.rmtree(work)
        if finished is not None:
            break
        assert step < 200
    assert step > 20  # every export, key-file step, swap and the close were cut
    assert outcomes[0] == PASSPHRASE and outcomes[-1] == NEW
    first_new = outcomes.index(NEW)
    assert all(o == NEW for o in outcomes[first_new:]), outcomes


@pytest.fixture
def shred_folder(tmp_path, cached_kdf) -> tuple[Path, bytes, bytes]:
    path = tmp_path / "shred"
    with Desk.create(path, PASSPHRASE) as desk:
        keep = desk.add_organisation(OrganisationInput("Blijft BV"))
        desk.create_case(
            keep.id, CaseInput(opened="2026-02-02", behaviours=["other"], notes=BEFORE)
        )
        gone = desk.add_organisation(OrganisationInput("Weg BV"))
        case = desk.create_case(
            gone.id, CaseInput(opened="2026-02-02", behaviours=["other"], notes=GONE)
        )
        desk.add_consultation(gone.id, case.id, ConsultationInput("2026-02-03", 20, "phone", GONE))
        with desk.vault.transaction(desk.index):
            desk.index.execute(
                "INSERT INTO report_ledger(org_id, year, issued, figures, digest) "
                "VALUES (?, 2026, '2026-12-01', '{}', 'x')",
                (gone.id,),
            )
        key = desk.vault.ring.keys[gone.vault_id]
        salt = desk.vault.org_path(gone.vault_id).read_bytes()[:16]
    return path, key, salt


def _state_after_shred(path: Path, key: bytes, salt: bytes) -> str:
    with Desk.open(path, PASSPHRASE) as desk:
        names = sorted(o.name for o in desk.organisations())
        assert desk.verify() == []
        ledger = desk.index.execute("SELECT count(*) FROM report_ledger").fetchone()[0]
        if names == ["Blijft BV", "Weg BV"]:
            gone = desk.find_organisation("Weg BV")
            [case] = desk.list_cases(gone.id)
            assert desk.get_case(gone.id, case.id).notes == GONE
            assert ledger == 1
            return "old"
        assert names == ["Blijft BV"]
        assert ledger == 0
        assert len(desk.vault.ring.keys) == 2
    for name in (CURRENT, PREVIOUS):
        body = json.loads(json.loads((path / name).read_text())["body"])
        assert len(body["vaults"]) == 2 and body["shred_pending"] == []
    hits = decryptable_pages(path, key, (salt,))
    assert hits == [], [h[:2] for h in hits]
    return "new"


def test_crash_at_every_step_of_a_shred(shred_folder, tmp_path):
    folder, key, salt = shred_folder
    outcomes = []
    step = 0

    def shred(desk):
        desk.shred_organisation(desk.find_organisation("Weg BV").id)

    while True:
        step += 1
        work = tmp_path / f"run{step}"
        shutil.copytree(folder, work)
        finished = _run_until_step(work, PASSPHRASE, shred, step)
        outcomes.append(_state_after_shred(work, key, salt))
        shutil.rmtree(work)
        if finished is not None:
            break
        assert step < 200
    assert step > 10
    assert outcomes[0] == "old" and outcomes[-1] == "new"
    first_new = outcomes.index("new")
    assert all(o == "new" for o in outcomes[first_new:]), outcomes


def test_rekey_keeps_the_index_vault_key_entry(folder):
    with Desk.open(folder, PASSPHRASE) as desk:
        desk.change_passphrase(NEW)
        assert INDEX_VAULT in desk.vault.ring.keys
        assert desk.vault.ring.rekey_pending == []


def _cut_after_current_copy(kind: str):
    def when(steps: list[str]) -> bool:
        if kind == "rekey":
            if "rekey_export" not in steps:
                return False
            tail = steps[len(steps) - steps[::-1].index("rekey_export") :]
        else:
            tail = steps
        # Key-file write: previous := old (5 steps), current := new (5), then
        # the crash at the start of previous := new.
        return tail.count("fsync_dir") == 2 and tail[-1] == "create"

    return when


def test_passwd_cut_between_key_file_copies(folder, tmp_path):
    """The old passphrase still opens keyfile.prev.json at that moment: the
    next open with it rolls the change back, with the new one it rolls it
    forward; either way the other passphrase opens nothing afterwards."""
    old_keys = _keys(folder, PASSPHRASE)
    for passphrase in (PASSPHRASE, NEW):
        work = tmp_path / f"cut-{len(passphrase)}"
        shutil.copytree(folder, work)
        assert (
            _run_until_step(
                work,
                PASSPHRASE,
                lambda d: d.change_passphrase(NEW),
                _cut_after_current_copy("rekey"),
            )
            is None
        )
        assert _salt(work, CURRENT) != _salt(work, PREVIOUS)  # really cut in between
        assert list(work.glob("*.rekey"))
        with Desk.open(work, passphrase) as desk:
            assert desk.verify() == []
            assert len(desk.organisations()) == 2
        other = NEW if passphrase == PASSPHRASE else PASSPHRASE
        with pytest.raises(WrongPassphrase):
            Desk.open(work, other)
        assert (work / CURRENT).read_bytes() == (work / PREVIOUS).read_bytes()
        assert not list(work.glob("*.rekey*"))
        if passphrase == NEW:
            for key in old_keys.values():
                assert decryptable_pages(work, key) == []


def test_shred_cut_between_key_file_copies(shred_folder, tmp_path):
    """The shredded key is still in keyfile.prev.json at that moment; the next
    open finishes the shred and takes it out of there too."""
    folder, key, salt = shred_folder
    work = tmp_path / "cut"
    shutil.copytree(folder, work)

    def shred(desk):
        desk.shred_organisation(desk.find_organisation("Weg BV").id)

    assert _run_until_step(work, PASSPHRASE, shred, _cut_after_current_copy("shred")) is None
    assert len(json.loads(json.loads((work / PREVIOUS).read_text())["body"])["vaults"]) == 3
    assert _state_after_shred(work, key, salt) == "new"


def test_organisation_added_halfway_is_rolled_back(folder):
    """Killed after the new vault and its key were written, before the
    organisation's index row: no command reaches that vault, so the next open
    removes it (verify clean), and nothing else is touched."""
    before = sorted(p.name for p in folder.glob("org-*.db"))

    def add_then_die(desk):
        desk.vault.create_org_vault()
        os._exit(0)

    assert _run_until_step(folder, PASSPHRASE, add_then_die, 10_000) is None
    assert len(list(folder.glob("org-*.db"))) == len(before) + 1
    with Desk.open(folder, PASSPHRASE) as desk:
        assert desk.verify() == []
        assert len(desk.vault.org_vault_ids()) == 2
    assert sorted(p.name for p in folder.glob("org-*.db")) == before


def test_organisation_creation_cut_at_any_point_leaves_no_keyless_vault(folder):
    """The vault is made as ``.new`` and renamed after its key is written:
    cut before the key, the ``.new`` file goes; cut after it (key written,
    not renamed), the next open finishes the rename and then rolls back the
    organisation that never got its index row. Either way verify is clean and
    no vault file is left that no key opens."""
    import vp_desk.vault.store as store

    before = sorted(p.name for p in folder.glob("org-*"))
    for cut in ("before_key", "before_rename"):

        def add_then_die(desk, cut=cut):
            real_write, real_replace = desk.vault.folder.keyfile.write, store.os.replace

            def write(ring):
                if cut == "before_key":
                    os._exit(0)
                real_write(ring)

            def replace(src, dst):
                if str(src).endswith(store.NEW_SUFFIX):
                    os._exit(0)
                real_replace(src, dst)

            desk.vault.folder.keyfile.write = write
            store.os.replace = replace
            desk.vault.create_org_vault()

        assert _run_until_step(folder, PASSPHRASE, add_then_die, 10_000) is None
        assert list(folder.glob("org-*.db.new")), cut  # the cut left its temporary file
        with Desk.open(folder, PASSPHRASE) as desk:
            assert desk.verify() == [], cut
        assert sorted(p.name for p in folder.glob("org-*")) == before, cut
