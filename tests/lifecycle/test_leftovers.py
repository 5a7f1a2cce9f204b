"""Crash leftovers and permissions: cleaned at open or named by ``verify``;
``init`` never mixes a data folder into someone else's folder."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import PASSPHRASE, run_cli
from tests.lifecycle.helpers import add_case, add_org
from tests.portable import assert_mode, assert_private
from vp_desk.errors import UsageError
from vp_desk.services.desk import Desk

OTHER = "another install with its own passphrase"


@pytest.fixture(scope="module")
def _folder(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("leftovers") / "data"
    with Desk.create(path, PASSPHRASE) as desk:
        org = add_org(desk, "Klant BV")
        add_case(desk, org.id, "2025-03-03", notes="note")
    return path


@pytest.fixture
def folder(_folder, tmp_path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(_folder, copy)
    os.chmod(copy, 0o700)
    return copy


def test_init_refuses_a_foreign_non_empty_folder(tmp_path):
    foreign = tmp_path / "Documents"
    foreign.mkdir(mode=0o755)
    os.chmod(foreign, 0o755)
    (foreign / "letter.txt").write_text("mine")
    result = run_cli("init", data_dir=foreign)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert "not a vp_desk data folder" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert sorted(p.name for p in foreign.iterdir()) == ["letter.txt"]
    assert_mode(foreign, 0o755)
    with pytest.raises(UsageError):
        Desk.create(foreign, PASSPHRASE)
    assert sorted(p.name for p in foreign.iterdir()) == ["letter.txt"]


@pytest.mark.parametrize("state", ["missing", "empty", "aborted setup"])
def test_init_still_works_on_an_empty_or_new_folder(tmp_path, state):
    target = tmp_path / "new"
    if state != "missing":
        target.mkdir()
    if state == "aborted setup":
        (target / ".lock").write_text("")
        (target / "index.db").write_bytes(b"\0" * 4096)
    result = run_cli("init", data_dir=target)
    assert result.returncode == 0, result.stderr
    assert run_cli("verify", data_dir=target).returncode == 0


def test_a_folder_readable_by_others_is_warned_about_and_named_by_verify(folder):
    os.chmod(folder, 0o755)
    listed = run_cli("org", "list", data_dir=folder)
    assert listed.returncode == 0, listed.stderr
    assert "other users" in listed.stderr and len(listed.stderr.strip().splitlines()) == 1
    checked = run_cli("verify", data_dir=folder)
    assert checked.returncode == 1
    assert "can be read by other users" in checked.stderr
    os.chmod(folder, 0o700)
    os.chmod(folder / "index.db", 0o644)
    checked = run_cli("verify", data_dir=folder)
    assert checked.returncode == 1 and "index.db can be read by other users" in checked.stderr
    os.chmod(folder / "index.db", 0o600)
    checked = run_cli("verify", data_dir=folder)
    assert checked.returncode == 0, checked.stderr
    assert checked.stderr == ""


def test_verify_names_a_vault_file_without_a_key(folder):
    with Desk.open(folder, PASSPHRASE) as desk:
        vault_id = desk.organisations()[0].vault_id
    stray = folder / "org-00112233aabbccdd.db"
    shutil.copyfile(folder / f"org-{vault_id}.db", stray)
    os.chmod(stray, 0o600)
    checked = run_cli("verify", data_dir=folder)
    assert checked.returncode == 1
    assert "org-00112233aabbccdd.db has no key" in checked.stderr


KILLED_IMPORT = textwrap.dedent(
    """
    import os, sys
    from pathlib import Path
    from vp_desk.services import archive, handover
    from vp_desk.services.desk import Desk

    real = archive.read_archive

    def dies_half_way(header, key, folder, progress=None):
        real(header, key, folder, progress)
        os._exit(9)  # killed with the decrypted vault staged

    archive.read_archive = dies_half_way
    desk = Desk.open(Path(sys.argv[1]), os.environ["OTHER"])
    handover.import_organisation(desk, Path(sys.argv[2]), sys.argv[3])
    """
)


def test_a_killed_hand_over_import_leaves_nothing_after_the_next_open(folder, tmp_path):
    out = tmp_path / "h.vphandover"
    made = run_cli("handover", "export", "Klant BV", str(out), data_dir=folder)
    assert made.returncode == 0, made.stderr
    one_time = made.stdout.strip().splitlines()[-1]
    target = tmp_path / "successor"
    Desk.create(target, OTHER).close()
    env = {k: v for k, v in os.environ.items() if not k.startswith("VP_DESK_")}
    env.update(VP_DESK_KDF="minimum", OTHER=OTHER)
    for _ in range(2):
        died = subprocess.run(
            [sys.executable, "-c", KILLED_IMPORT, str(target), str(out), one_time],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert died.returncode == 9, died.stderr
    staged = [p for p in target.iterdir() if p.name.startswith(".handover-")]
    assert len(staged) == 1
    assert_private(staged[0])
    checked = run_cli("verify", data_dir=target, passphrase=OTHER)
    assert checked.returncode == 0, checked.stderr
    assert not [p for p in target.iterdir() if p.name.startswith(".handover-")]


KILLED_RESTORE = textwrap.dedent(
    """
    import os, sys
    from pathlib import Path
    from vp_desk.services import archive, backup

    real = archive.read_archive

    def dies_half_way(header, key, folder, progress=None):
        real(header, key, folder, progress)
        os._exit(9)  # killed with the backup decrypted beside the target

    archive.read_archive = dies_half_way
    backup.restore_backup(Path(sys.argv[1]), Path(sys.argv[2]), os.environ["PASS"])
    """
)


def test_a_killed_restore_is_cleaned_by_the_next_restore_and_at_open(folder, tmp_path):
    from vp_desk.services import backup

    made = tmp_path / "b.vpbackup"
    with Desk.open(folder, PASSPHRASE) as desk:
        backup.create_backup(desk, made)
    target = tmp_path / "restored"
    env = {k: v for k, v in os.environ.items() if not k.startswith("VP_DESK_")}
    env.update(VP_DESK_KDF="minimum", PASS=PASSPHRASE)
    died = subprocess.run(
        [sys.executable, "-c", KILLED_RESTORE, str(made), str(target)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert died.returncode == 9, died.stderr
    staged = list(tmp_path.glob(".restored.restore-*"))
    assert len(staged) == 1
    assert_private(staged[0])
    assert run_cli("restore", str(made), data_dir=target).returncode == 0
    assert list(tmp_path.glob(".restored.restore-*")) == []
    # One left beside an existing data folder is removed at open.
    (tmp_path / ".restored.restore-0123456789ab").mkdir(mode=0o700)
    assert run_cli("verify", data_dir=target).returncode == 0
    assert list(tmp_path.glob(".restored.restore-*")) == []


KILLED_EXPORT = textwrap.dedent(
    """
    import os, sys
    from pathlib import Path
    from vp_desk.services import handover
    from vp_desk.services.desk import Desk
    from vp_desk.vault import atomic

    def hook(step):
        if step == "fsync":
            os._exit(9)

    desk = Desk.open(Path(sys.argv[1]), os.environ["PASS"])
    org = desk.organisations()[0]
    atomic.step_hook = hook
    handover.export_organisation(desk, org.id, Path(sys.argv[2]))
    """
)


def test_a_killed_hand_over_export_leaves_nothing_after_the_next_open(folder, tmp_path):
    out = tmp_path / "h.vphandover"
    env = {k: v for k, v in os.environ.items() if not k.startswith("VP_DESK_")}
    env.update(VP_DESK_KDF="minimum", PASS=PASSPHRASE)
    died = subprocess.run(
        [sys.executable, "-c", KILLED_EXPORT, str(folder), str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert died.returncode == 9, died.stderr
    assert len(list(tmp_path.glob(".h.vphandover.*.tmp"))) == 1
    checked = run_cli("verify", data_dir=folder)
    assert checked.returncode == 0, checked.stderr
    assert list(tmp_path.glob(".h.vphandover.*.tmp")) == []
    assert not [p for p in folder.iterdir() if p.name.startswith(".handover-")]


KILLED_COPY = textwrap.dedent(
    """
    import os, sys
    from pathlib import Path
    from vp_desk.services import handover
    from vp_desk.services.desk import Desk

    real = handover._copy_rows

    def dies_half_way(conn, version):
        real(conn, version)
        os._exit(9)  # killed with the new vault's key already in the key file

    handover._copy_rows = dies_half_way
    desk = Desk.open(Path(sys.argv[1]), os.environ["OTHER"])
    handover.import_organisation(desk, Path(sys.argv[2]), sys.argv[3])
    """
)


def test_an_import_killed_after_the_key_was_written_is_undone_at_open(folder, tmp_path):
    out = tmp_path / "h.vphandover"
    made = run_cli("handover", "export", "Klant BV", str(out), data_dir=folder)
    assert made.returncode == 0, made.stderr
    target = tmp_path / "successor"
    Desk.create(target, OTHER).close()
    env = {k: v for k, v in os.environ.items() if not k.startswith("VP_DESK_")}
    env.update(VP_DESK_KDF="minimum", OTHER=OTHER)
    died = subprocess.run(
        [sys.executable, "-c", KILLED_COPY, str(target), str(out), made.stdout.split()[-1]],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert died.returncode == 9, died.stderr
    assert list(target.glob("org-*.db"))  # the half-made vault is there
    checked = run_cli("verify", data_dir=target, passphrase=OTHER)
    assert checked.returncode == 0, checked.stderr
    with Desk.open(target, OTHER) as desk:
        assert desk.vault.org_vault_ids() == [] and desk.organisations() == []
    assert not list(target.glob("org-*"))
    # and the import then simply works
    again = run_cli(
        "handover",
        "import",
        str(out),
        data_dir=target,
        passphrase=OTHER,
        env={"VP_DESK_HANDOVER_PASSPHRASE": made.stdout.split()[-1]},
    )
    assert again.returncode == 0, again.stderr


def test_a_key_file_write_killed_before_its_rename_leaves_no_copy(folder):
    """A temp copy of the key file (from a write killed before its rename) would
    keep opening with today's passphrase after a change: it goes at open."""
    stray = folder / ".keyfile.prev.json.0123456789ab.tmp"
    stray.write_bytes((folder / "keyfile.json").read_bytes())
    with Desk.open(folder, PASSPHRASE) as desk:
        assert desk.verify() == []
    assert not stray.exists()
