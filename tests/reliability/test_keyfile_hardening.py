"""Key-file hardening (issue 11, item 8): KDF settings from a file are capped
near this install's own, an edited current copy is not a wrong passphrase
while the other copy is intact, and the passphrase policy refuses published
and common passphrases and knows the user's own words."""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

import pytest

from tests.conftest import PASSPHRASE, run_cli
from vp_desk.domain.models import OrganisationInput
from vp_desk.errors import DamagedFile, WrongPassphrase
from vp_desk.services.desk import Desk
from vp_desk.services.passphrase import strength
from vp_desk.vault.keyfile import (
    CURRENT,
    DEFAULT_MEMORY_KIB,
    PREVIOUS,
    KdfParams,
    KeyFileStore,
    check_kdf_params,
)


@pytest.fixture
def folder(tmp_path) -> Path:
    path = tmp_path / "data"
    with Desk.create(path, PASSPHRASE) as desk:
        desk.add_organisation(OrganisationInput("Stichting Voorbeeld"))
    return path


def _edit_body(path: Path, change) -> None:
    """Change the body and recompute its plain checksum, as anyone can."""
    outer = json.loads(path.read_text())
    body = json.loads(outer["body"])
    change(body)
    outer["body"] = json.dumps(body, sort_keys=True, separators=(",", ":"))
    outer["sha256"] = hashlib.sha256(outer["body"].encode()).hexdigest()
    path.write_text(json.dumps(outer))


@pytest.mark.parametrize(
    "field,value",
    [
        ("memory_kib", 2 * 1024 * 1024),  # the 2 GB of the report
        ("iterations", 60),
        ("memory_kib", 512 * 1024 + 8),
        ("lanes", 64),
        ("memory_kib", 1024),
        ("iterations", True),
        ("memory_kib", 65536.5),
        ("salt", ["not", "a", "salt"]),
        ("memory_kib", "65536"),
    ],
)
def test_tampered_kdf_settings_are_refused_before_any_derivation(folder, field, value):
    for name in (CURRENT, PREVIOUS):
        _edit_body(folder / name, lambda b: b["kdf"].__setitem__(field, value))
    start = time.perf_counter()
    with pytest.raises(DamagedFile) as err:
        Desk.open(folder, PASSPHRASE)
    assert time.perf_counter() - start < 5
    assert err.value.part == "key file"
    result = run_cli("org", "list", data_dir=folder)
    assert result.returncode == 1 and "key file" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_kdf_params_accepts_what_this_install_chooses():
    check_kdf_params(KdfParams.new())
    check_kdf_params(KdfParams.from_env())
    check_kdf_params(KdfParams.new(iterations=16))  # the most calibrate picks
    with pytest.raises(DamagedFile) as err:
        check_kdf_params(KdfParams.new(memory_kib=4 * DEFAULT_MEMORY_KIB), "backup file")
    assert "backup file" in str(err.value)
    with pytest.raises(DamagedFile):  # twice the memory at the most passes
        check_kdf_params(KdfParams.new(memory_kib=2 * DEFAULT_MEMORY_KIB, iterations=16))


def test_edited_current_copy_is_not_a_wrong_passphrase(folder):
    """Before: an edited kdf salt in keyfile.json made the right passphrase
    'wrong' although keyfile.prev.json was intact."""
    _edit_body(folder / CURRENT, lambda b: b["kdf"].__setitem__("salt", "QUFBQUFBQUFBQUFBQUFBQQ=="))
    with Desk.open(folder, PASSPHRASE) as desk:
        assert desk.vault.recovered_key_file
        assert [o.name for o in desk.organisations()] == ["Stichting Voorbeeld"]
    # The current copy was restored from the intact one.
    assert (folder / CURRENT).read_bytes() == (folder / PREVIOUS).read_bytes()
    with pytest.raises(WrongPassphrase):
        KeyFileStore(folder).unlock("a wrong passphrase of some length")


def test_edited_current_copy_through_the_command_line(folder):
    _edit_body(folder / CURRENT, lambda b: b.__setitem__("generation", b["generation"] + 7))
    result = run_cli("org", "list", data_dir=folder)
    assert result.returncode == 0, result.stderr
    assert "Stichting Voorbeeld" in result.stdout
    wrong = run_cli("org", "list", data_dir=folder, passphrase="not the right passphrase")
    assert wrong.returncode == 3


@pytest.mark.parametrize(
    "weak",
    ["vertrouwelijk-demo", "Vertrouwenspersoon1", "Zomer2025Zomer2025", "Password1234567!"],
)
def test_published_and_common_passphrases_are_refused(folder, tmp_path, weak):
    assert not strength(weak).ok
    new = tmp_path / "new.txt"
    new.write_text(weak + "\n")
    result = run_cli("passwd", "--new-passphrase-file", str(new), data_dir=folder)
    assert result.returncode == 2
    assert "common words" in result.stderr or "15 characters" in result.stderr
    assert run_cli("org", "list", data_dir=folder).returncode == 0  # unchanged


def test_the_users_own_words_count_as_known(folder, tmp_path):
    own = "Stichting Voorbeeld 2026!!"
    assert strength(own).ok  # fine for zxcvbn alone ...
    assert not strength(own, ["Stichting Voorbeeld"]).ok  # ... not with the user's words
    new = tmp_path / "new.txt"
    new.write_text(own + "\n")
    result = run_cli("passwd", "--new-passphrase-file", str(new), data_dir=folder)
    assert result.returncode == 2
    # A long input is cut to zxcvbn's limit, not an error.
    assert strength("fietsbel tulpenveld regenjas " * 5, ["x" * 500]).ok
