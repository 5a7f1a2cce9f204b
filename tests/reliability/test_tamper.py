"""Tampering and damage: every byte of the key file, the vault salt, page 1,
a middle page, a WAL frame, truncated and missing files. Each is refused
cleanly (or repaired from the second key-file copy), with the right exit code
and nothing from SQLCipher on stderr."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PASSPHRASE, run_cli
from tests.portable import kill_hard
from vp_desk.domain.models import CaseInput, ConsultationInput, OrganisationInput
from vp_desk.errors import DamagedFile, VpDeskError, WrongPassphrase
from vp_desk.services.desk import Desk
from vp_desk.vault.keyfile import CURRENT, PREVIOUS, KeyFileStore

PAGE = 4096


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """A data folder with one organisation holding enough cases for several pages."""
    os.environ["VP_DESK_KDF"] = "minimum"
    path = tmp_path_factory.mktemp("tamper") / "data"
    with Desk.create(path, PASSPHRASE) as desk:
        org = desk.add_organisation(OrganisationInput("Proef BV", employees=50))
        for i in range(120):
            case = desk.create_case(
                org.id,
                CaseInput(
                    opened="2026-01-02", behaviours=["bullying"], notes=f"synthetic note {i} " * 20
                ),
            )
            desk.add_consultation(org.id, case.id, ConsultationInput("2026-01-03", 30))
    return path


@pytest.fixture
def folder(template, tmp_path) -> Path:
    path = tmp_path / "data"
    shutil.copytree(template, path)
    return path


def _org_file(path: Path) -> Path:
    return next(path.glob("org-*.db"))


def _flip(path: Path, offset: int, bit: int = 0x01) -> None:
    raw = bytearray(path.read_bytes())
    raw[offset] ^= bit
    path.write_bytes(bytes(raw))


def test_every_byte_of_the_key_file(folder, cached_kdf):
    """Flip each byte of the current copy: the intact previous copy takes over.
    Flip the same byte in both copies: a clean DamagedFile (never a crash, never
    a silent success with wrong keys)."""
    store = KeyFileStore(folder)
    good = store.unlock(PASSPHRASE).keys
    original = (folder / CURRENT).read_bytes()
    assert original == (folder / PREVIOUS).read_bytes()
    for offset in range(len(original)):
        damaged = bytearray(original)
        damaged[offset] ^= 0x20
        (folder / CURRENT).write_bytes(bytes(damaged))
        (folder / PREVIOUS).write_bytes(original)
        try:
            ring = store.unlock(PASSPHRASE)
        except VpDeskError as exc:  # pragma: no cover - must not happen
            raise AssertionError(f"offset {offset}: {exc!r}") from exc
        assert ring.keys == good
        (folder / PREVIOUS).write_bytes(bytes(damaged))
        try:
            ring = store.unlock(PASSPHRASE)
        except DamagedFile as exc:
            assert exc.part == "key file"
        else:
            # Only a change JSON ignores (whitespace between fields) may pass.
            assert ring.keys == good, offset
    (folder / CURRENT).write_bytes(original)
    (folder / PREVIOUS).write_bytes(original)


def _cli_clean(folder: Path, *args: str, expect: int) -> subprocess.CompletedProcess:
    result = run_cli(*args, data_dir=folder)
    assert result.returncode == expect, result.stderr
    assert "Traceback" not in result.stderr
    assert "hmac" not in result.stderr.lower() and "ERROR CORE" not in result.stderr
    assert len(result.stderr.strip().splitlines()) <= 3
    return result


def test_both_key_file_copies_damaged_via_cli(folder):
    _flip(folder / CURRENT, 30)
    _flip(folder / PREVIOUS, 30)
    result = _cli_clean(folder, "org", "list", expect=1)
    assert "key file" in result.stderr


def test_vault_salt_flipped(folder):
    _flip(_org_file(folder), 3)
    result = _cli_clean(folder, "org", "list", expect=1)
    assert "org-" in result.stderr
    result = _cli_clean(folder, "verify", expect=1)
    assert "organisation" in result.stderr


def test_index_page_one_flipped(folder):
    _flip(folder / "index.db", 500)
    result = _cli_clean(folder, "org", "list", expect=1)
    assert "index vault" in result.stderr


def test_middle_page_flipped(folder):
    org_file = _org_file(folder)
    pages = org_file.stat().st_size // PAGE
    assert pages > 6
    _flip(org_file, (pages // 2) * PAGE + 1000)
    result = _cli_clean(folder, "verify", expect=1)
    assert "organisation" in result.stderr


def test_truncated_vault(folder):
    org_file = _org_file(folder)
    with open(org_file, "r+b") as fh:
        fh.truncate(org_file.stat().st_size // 2)
    _cli_clean(folder, "verify", expect=1)


def test_truncated_key_files(folder):
    for name in (CURRENT, PREVIOUS):
        (folder / name).write_bytes((folder / name).read_bytes()[:100])
    result = _cli_clean(folder, "org", "list", expect=1)
    assert "key file" in result.stderr


def test_removed_vault_file(folder):
    _org_file(folder).unlink()
    result = _cli_clean(folder, "verify", expect=1)
    assert "missing" in result.stderr


def test_removed_index(folder):
    (folder / "index.db").unlink()
    result = _cli_clean(folder, "org", "list", expect=1)
    assert "index vault" in result.stderr


def test_wrong_passphrase_on_damaged_previous_copy_is_still_wrong_passphrase(folder):
    _flip(folder / PREVIOUS, 50)
    result = run_cli("org", "list", data_dir=folder, passphrase="a wrong but long passphrase")
    assert result.returncode == 3


_WRITER = r"""
import os, sys
os.environ["VP_DESK_KDF"] = "minimum"
from vp_desk.services.desk import Desk
from vp_desk.domain.models import CaseInput
desk = Desk.open(sys.argv[1], sys.argv[2])
org = desk.organisations()[0]
for i in range(5):
    c = desk.create_case(org.id, CaseInput(opened="2026-05-05", behaviours=["other"]))
    print(c.code, flush=True)
print("done", flush=True)
import time; time.sleep(60)
"""


def test_flipped_wal_frame(folder):
    """A process killed with a WAL left behind; a bit flipped in a WAL frame.
    SQLite treats a frame with a bad checksum as the end of the log; because
    vp_desk checkpoints after every commit, the frames already sit in the main
    file, so every acknowledged case is still there and the checks are clean."""
    proc = subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(folder), PASSPHRASE], stdout=subprocess.PIPE, text=True
    )
    acknowledged = []
    for line in proc.stdout:
        if line.strip() == "done":
            break
        acknowledged.append(line.strip())
    kill_hard(proc)
    proc.wait()
    wal = Path(str(_org_file(folder)) + "-wal")
    assert wal.exists() and wal.stat().st_size > 32 + 24
    _flip(wal, 32 + 24 + 100)  # inside the first frame's page data
    _cli_clean(folder, "verify", expect=0)
    listed = run_cli("case", "list", "Proef BV", "--json", data_dir=folder)
    for code in acknowledged:
        assert code in listed.stdout


def test_wrong_passphrase_nothing_on_stderr_in_process(folder, capfd):
    with pytest.raises(WrongPassphrase):
        Desk.open(folder, "this is not the passphrase at all")
    out, err = capfd.readouterr()
    assert out == "" and err == ""
