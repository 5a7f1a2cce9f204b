"""A full disk during a save and during a key-file write, on a real small
filesystem (a tmpfs mounted for the test; skipped where mounting is not
allowed). The result must be a clear error, no lost data, no zero-byte files."""

from __future__ import annotations

import subprocess
import uuid
from pathlib import Path

import pytest

from tests.conftest import PASSPHRASE, run_cli
from vp_desk.domain.models import CaseInput, OrganisationInput
from vp_desk.errors import StorageFull
from vp_desk.services.desk import Desk


@pytest.fixture
def small_disk(tmp_path):
    mount = tmp_path / "small"
    mount.mkdir()
    try:
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)],
            check=True,
            capture_output=True,
        )
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("cannot mount a small tmpfs here (needs root)")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def _fill(mount: Path, name: str = "filler") -> Path:
    """Fill the small disk with one file; returns it."""
    filler = mount / name
    with open(filler, "wb") as fh:
        try:
            while True:
                fh.write(b"\0" * 65536)
                fh.flush()
        except OSError:
            pass
    return filler


def test_full_disk_during_saves_and_key_file_write(small_disk):
    data = small_disk / "data"
    desk = Desk.create(data, PASSPHRASE)
    org = desk.add_organisation(OrganisationInput("Vol BV"))
    saved = [
        desk.create_case(
            org.id, CaseInput(opened="2026-03-03", behaviours=["bullying"], notes="kept " * 50)
        ).code
        for _ in range(5)
    ]
    filler = _fill(small_disk)
    failures = 0
    for _ in range(50):
        try:
            saved.append(
                desk.create_case(
                    org.id,
                    CaseInput(
                        opened="2026-03-04", behaviours=["bullying"], notes=uuid.uuid4().hex * 200
                    ),
                ).code
            )
        except StorageFull as exc:
            failures += 1
            assert "not enough disk space" in str(exc)
            break
    assert failures == 1, "the disk never filled up"
    with pytest.raises(StorageFull):
        desk.add_organisation(OrganisationInput("Nog Een BV"))
    desk.close()
    assert not [
        p for p in data.iterdir() if p.is_file() and p.stat().st_size == 0 and p.name != ".lock"
    ]
    assert not [p for p in data.iterdir() if p.name.endswith(".tmp")]
    filler.unlink()
    with Desk.open(data, PASSPHRASE) as again:
        assert [o.name for o in again.organisations()] == ["Vol BV"]
        codes = [c.code for c in again.list_cases(org.id)]
        assert sorted(codes) == sorted(saved)
        assert again.verify() == []


def test_full_disk_cli_message(small_disk):
    data = small_disk / "data"
    with Desk.create(data, PASSPHRASE) as desk:
        desk.add_organisation(OrganisationInput("Vol BV"))
    filler = _fill(small_disk)
    result = run_cli("org", "add", "Nieuw " + "x" * 100, data_dir=data)
    filler.unlink()
    assert result.returncode == 1
    assert "not enough disk space" in result.stderr
    assert "Traceback" not in result.stderr
    assert run_cli("verify", data_dir=data).returncode == 0
