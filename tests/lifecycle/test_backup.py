"""Backup and restore: one sealed file, identical content after a wipe, and
clean refusals for a flipped bit, a wrong passphrase, a non-empty folder and
a full disk."""

from __future__ import annotations

import errno
import os
import shutil
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import PASSPHRASE, run_cli
from tests.lifecycle.helpers import add_activity, add_case, add_org, audit_events, content_hash
from tests.portable import assert_mode, assert_private
from tests.reliability.test_full_disk import _fill as fill_disk
from tests.reliability.test_full_disk import small_disk  # noqa: F401 (a fixture)
from vp_desk.errors import StorageFull
from vp_desk.services import archive, backup
from vp_desk.services.desk import Desk

MARKER = "BACKUP-ECHO-5t7u"


def _fill(desk: Desk) -> None:
    one = add_org(desk, "Eerste Klant BV", threshold=4, retention_months=18)
    two = add_org(desk, "Tweede Klant NV", lang="en")
    for n in range(6):
        add_case(
            desk,
            one.id,
            f"2025-0{n + 1}-03",
            closed=f"2025-0{n + 2}-01" if n % 2 else None,
            notes=f"{MARKER} {n}",
            contacts=((f"2025-0{n + 1}-04", 30 + n, f"{MARKER} c"),),
        )
    case = add_case(desk, two.id, "2025-03-03", notes=MARKER)
    desk.set_subject(two.id, case.id, "Klaas Proef")
    add_activity(desk, one.id, "2025-04-01", 90, MARKER)
    desk.set_setting("auto_lock", "300")


def test_backup_wipe_restore_gives_identical_content(desk, data_dir, tmp_path):
    _fill(desk)
    before = content_hash(desk)
    out = tmp_path / "backups" / "desk.vpbackup"
    out.parent.mkdir()
    desk.close()
    made = run_cli("backup", str(out), data_dir=data_dir)
    assert made.returncode == 0, made.stderr
    assert made.stderr == ""  # no progress bar when stderr is not a terminal
    raw = out.read_bytes()
    for needle in (MARKER, "Eerste Klant", "Klaas Proef", "SQLite format"):
        assert needle.encode() not in raw
    assert_mode(out, 0o600)
    with Desk.open(data_dir, PASSPHRASE) as source:
        assert ("backup", "") in audit_events(source.index)
        last = backup.last_backup(source)
        assert last is not None and datetime.now(UTC) - last < timedelta(minutes=5)

    shutil.rmtree(data_dir)
    restored = run_cli("restore", str(out), data_dir=data_dir)
    assert restored.returncode == 0, restored.stderr
    assert "2 organisation vault(s)" in restored.stdout
    with Desk.open(data_dir, PASSPHRASE) as again:
        assert content_hash(again) == before
        assert again.verify() == []
        # The restored copy works: the repeat-subject key came along.
        two = again.find_organisation("Tweede Klant NV")
        new = add_case(again, two.id, "2025-05-05")
        again.set_subject(two.id, new.id, "klaas  proef")
        assert again.repeat_subject_count(two.id, new.id) == 1
    assert not [p for p in data_dir.parent.iterdir() if ".restore-" in p.name]
    assert_mode(data_dir, 0o700)
    for path in data_dir.iterdir():
        assert_private(path)


@pytest.fixture
def made_backup(desk, data_dir, tmp_path) -> Path:
    _fill(desk)
    out = tmp_path / "b.vpbackup"
    backup.create_backup(desk, out)
    desk.close()
    return out


def _flip(path: Path, offset: int) -> Path:
    raw = bytearray(path.read_bytes())
    raw[offset] ^= 0x08
    copy = path.with_name(f"flipped-{offset}-{path.name}")
    copy.write_bytes(bytes(raw))
    return copy


def test_a_flipped_bit_is_refused_and_nothing_is_written(made_backup, tmp_path):
    size = made_backup.stat().st_size
    for offset in (3, 20, size // 2, size - 40, size - 1):
        flipped = _flip(made_backup, offset)
        target = tmp_path / f"target-{offset}"
        result = run_cli("restore", str(flipped), data_dir=target)
        assert result.returncode == 1, (offset, result.stderr)
        assert "damaged" in result.stderr or "not a vp_desk backup" in result.stderr
        assert "Traceback" not in result.stderr
        assert not target.exists()
        assert not [p for p in tmp_path.iterdir() if ".restore-" in p.name]


def test_a_flipped_bit_after_the_checksum_is_caught_by_authentication(made_backup, tmp_path):
    """Someone who also fixes the outer checksum still cannot get a changed file in."""
    import hashlib

    raw = bytearray(made_backup.read_bytes())
    raw[len(raw) // 2] ^= 0x01
    raw[-32:] = hashlib.sha256(bytes(raw[:-32])).digest()
    forged = tmp_path / "forged.vpbackup"
    forged.write_bytes(bytes(raw))
    target = tmp_path / "target"
    result = run_cli("restore", str(forged), data_dir=target)
    assert result.returncode == 1 and "damaged" in result.stderr
    assert not target.exists()


def test_wrong_passphrase_exit_3(made_backup, tmp_path):
    result = run_cli(
        "restore",
        str(made_backup),
        data_dir=tmp_path / "t",
        passphrase="a different passphrase entirely",
    )
    assert result.returncode == 3
    assert "passphrase" in result.stderr and not (tmp_path / "t").exists()


def test_restore_refuses_a_non_empty_folder(made_backup, data_dir, tmp_path):
    result = run_cli("restore", str(made_backup), data_dir=data_dir)
    assert result.returncode == 2
    assert "not empty" in result.stderr
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("mine")
    result = run_cli("restore", str(made_backup), data_dir=other)
    assert result.returncode == 2 and "not empty" in result.stderr
    assert sorted(p.name for p in other.iterdir()) == ["notes.txt"]
    # An empty existing folder is fine.
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run_cli("restore", str(made_backup), data_dir=empty).returncode == 0


def test_backup_refuses_to_overwrite(desk, tmp_path):
    out = tmp_path / "exists.vpbackup"
    out.write_bytes(b"old backup")
    from vp_desk.errors import UsageError

    with pytest.raises(UsageError):
        backup.create_backup(desk, out)
    assert out.read_bytes() == b"old backup"


def test_full_disk_gives_a_clear_error_and_no_file(desk, tmp_path, monkeypatch):
    _fill(desk)
    out = tmp_path / "full.vpbackup"
    written = {"n": 0}
    real = archive.write_all

    def filling(fd, data):
        written["n"] += len(data)
        if written["n"] > 20_000:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(fd, data)

    monkeypatch.setattr(archive, "write_all", filling)
    with pytest.raises(StorageFull) as err:
        backup.create_backup(desk, out)
    assert "backup" in str(err.value)
    assert list(tmp_path.iterdir()) == [desk.vault.path]
    assert not [p for p in desk.vault.path.iterdir() if p.name.startswith(".backup-")]
    assert backup.last_backup(desk) is None
    assert ("backup", "") not in audit_events(desk.index)


@pytest.fixture
def tiny_disk(small_disk):
    """The reliability tests' small tmpfs, filled up but for 96 KiB."""
    filler = fill_disk(small_disk, ".filler")
    os.truncate(filler, max(0, filler.stat().st_size - 96 * 1024))
    return small_disk


def _contents(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name != ".filler")


def test_full_disk_on_a_real_small_filesystem(desk, data_dir, tiny_disk):
    _fill(desk)
    desk.close()
    out = tiny_disk / "desk.vpbackup"
    result = run_cli("backup", str(out), data_dir=data_dir)
    assert result.returncode == 1
    assert "not enough disk space" in result.stderr and "Traceback" not in result.stderr
    assert _contents(tiny_disk) == []


def test_restore_on_a_full_disk_leaves_nothing(made_backup, tiny_disk):
    target = tiny_disk / "data"
    result = run_cli("restore", str(made_backup), data_dir=target)
    assert result.returncode == 1
    assert "not enough disk space" in result.stderr and "Traceback" not in result.stderr
    assert _contents(tiny_disk) == []


def test_progress_is_reported(desk, tmp_path):
    _fill(desk)
    seen: list[tuple[int, int]] = []
    backup.create_backup(
        desk, tmp_path / "p.vpbackup", lambda done, total: seen.append((done, total))
    )
    assert seen and seen[-1][0] == seen[-1][1]
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_reminder_data_last_backup(desk, tmp_path):
    from vp_desk.services.reminders import unlock_reminders

    assert [r.kind for r in unlock_reminders(desk, date.today())] == ["backup"]
    backup.create_backup(desk, tmp_path / "r.vpbackup")
    assert unlock_reminders(desk, date.today()) == []
    later = unlock_reminders(desk, date.today() + timedelta(days=9))
    assert [r.kind for r in later] == ["backup"] and "9" in later[0].en
