"""Crafted hand-over and backup files: a genuine file, opened with its
one-time passphrase, changed, and sealed again under the same passphrase.

Import brings only rows: a planted trigger or extra table is refused with one
sentence, nothing is added, and ``verify`` stays clean. A manifest or header
with values of the wrong type is refused the same way, never a traceback.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import struct
from pathlib import Path

import pytest

from tests.conftest import PASSPHRASE, run_cli
from tests.lifecycle.helpers import add_case, add_org
from vp_desk.services import archive, handover
from vp_desk.services.desk import Desk
from vp_desk.vault.sqlcipher import open_vault

OTHER_PASSPHRASE = "another install with its own passphrase"
NOTE = "CRAFTED-NOTE-9q2w"


@pytest.fixture(scope="module")
def _made(tmp_path_factory) -> tuple[Path, str, Path]:
    """One genuine hand-over file and one empty receiving install, made once."""
    base = tmp_path_factory.mktemp("handover")
    with Desk.create(base / "data", PASSPHRASE) as desk:
        org = add_org(desk, "Overdracht BV", retention_months=1)
        for n in range(3):
            add_case(desk, org.id, "2024-01-02", closed="2024-02-01", notes=f"{NOTE} {n}")
    out = base / "genuine.vphandover"
    made = run_cli("handover", "export", "Overdracht BV", str(out), data_dir=base / "data")
    assert made.returncode == 0, made.stderr
    target = base / "successor"
    Desk.create(target, OTHER_PASSPHRASE).close()
    return out, made.stdout.strip().splitlines()[-1], target


@pytest.fixture
def genuine(_made) -> tuple[Path, str]:
    return _made[0], _made[1]


@pytest.fixture
def successor(_made, tmp_path) -> Path:
    target = tmp_path / "successor"
    shutil.copytree(_made[2], target)
    return target


def _open(out: Path, passphrase: str, folder: Path) -> dict:
    folder.mkdir()
    manifest = handover.read_handover(out, passphrase, folder)
    return {k: v for k, v in manifest.items() if k not in ("members", "created")}


def _seal(out: Path, passphrase: str, folder: Path, manifest: dict, dest: Path) -> Path:
    header = archive.read_header(out, "handover")
    archive.write_archive(
        dest,
        "handover",
        header.kdf.derive(passphrase),
        header.kdf,
        manifest,
        [archive.Member("vault.db", folder / "vault.db")],
    )
    return dest


def _import(target: Path, file: Path, passphrase: str):
    return run_cli(
        "handover",
        "import",
        str(file),
        data_dir=target,
        passphrase=OTHER_PASSPHRASE,
        env={"VP_DESK_HANDOVER_PASSPHRASE": passphrase},
    )


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name != ".lock")


PLANTS = {
    "trigger keeping copies of notes": [
        "CREATE TABLE kept (notes TEXT)",
        "CREATE TRIGGER keep BEFORE UPDATE OF notes ON cases "
        "BEGIN INSERT INTO kept VALUES (old.notes); END",
    ],
    "trigger rewriting notes": [
        "CREATE TRIGGER rewrite AFTER INSERT ON consultations "
        "BEGIN UPDATE cases SET notes = 'rewritten' WHERE id = new.case_id; END",
    ],
    "extra table": ["CREATE TABLE extra (x TEXT)", "INSERT INTO extra VALUES ('x')"],
    "view": ["CREATE VIEW v AS SELECT notes FROM cases"],
    "extra index": ["CREATE INDEX sneaky ON cases(notes)"],
}


@pytest.mark.parametrize("plant", sorted(PLANTS))
def test_a_planted_schema_object_is_refused(genuine, successor, tmp_path, plant):
    out, passphrase = genuine
    folder = tmp_path / "opened"
    manifest = _open(out, passphrase, folder)
    conn = open_vault(
        folder / "vault.db", bytes.fromhex(manifest["data_key"]), part="t", readonly=False
    )
    for statement in PLANTS[plant]:
        conn.execute(statement)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    crafted = _seal(out, passphrase, folder, manifest, tmp_path / "crafted.vphandover")
    before = _files(successor)

    result = _import(successor, crafted, passphrase)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "refused" in result.stderr and "Nothing was changed" in result.stderr
    assert _files(successor) == before
    with Desk.open(successor, OTHER_PASSPHRASE) as desk:
        assert desk.organisations() == []
        assert desk.verify() == []


ROWS = {
    "an opened date the app cannot read": "UPDATE cases SET opened = 'soon'",
    "an impossible day": "UPDATE cases SET closed = '2024-02-30'",
    "an unknown status": "UPDATE cases SET status = 'pwned'",
    "notes as a blob": "UPDATE cases SET notes = x'00ff'",
}


@pytest.mark.parametrize("change", sorted(ROWS))
def test_rows_the_app_could_not_read_are_refused(genuine, successor, tmp_path, change):
    out, passphrase = genuine
    folder = tmp_path / "opened"
    manifest = _open(out, passphrase, folder)
    conn = open_vault(folder / "vault.db", bytes.fromhex(manifest["data_key"]), part="t")
    conn.execute(ROWS[change])
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    crafted = _seal(out, passphrase, folder, manifest, tmp_path / "crafted.vphandover")
    before = _files(successor)
    result = _import(successor, crafted, passphrase)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "refused" in result.stderr
    assert _files(successor) == before
    listed = run_cli("case", "list", "x", data_dir=successor, passphrase=OTHER_PASSPHRASE)
    assert "Traceback" not in listed.stderr


def test_the_genuine_file_imports_and_retention_still_destroys(genuine, successor):
    out, passphrase = genuine
    done = _import(successor, out, passphrase)
    assert done.returncode == 0, done.stderr
    with Desk.open(successor, OTHER_PASSPHRASE) as desk:
        org = desk.organisations()[0]
        conn = desk.conn(org.id)
        kinds = {r[0] for r in conn.execute("SELECT type FROM sqlite_master")}
        assert "trigger" not in kinds and "view" not in kinds
        assert desk.verify() == []
    applied = run_cli(
        "retention", "--apply", "--yes", data_dir=successor, passphrase=OTHER_PASSPHRASE
    )
    assert applied.returncode == 0, applied.stderr
    with Desk.open(successor, OTHER_PASSPHRASE) as desk:
        conn = desk.conn(desk.organisations()[0].id)
        assert not conn.execute(
            "SELECT count(*) FROM cases WHERE notes LIKE ?", (f"%{NOTE}%",)
        ).fetchone()[0]
        assert desk.verify() == []


def test_verify_names_a_trigger_planted_in_a_live_vault(desk):
    org = add_org(desk, "Klant BV")
    conn = desk.conn(org.id)
    conn.execute("CREATE TRIGGER t AFTER INSERT ON cases BEGIN SELECT 1; END")
    problems = desk.verify()
    assert any("trigger t" in p and f"organisation {org.id}" in p for p in problems), problems


BAD_MANIFESTS = {
    "short data key": lambda m: m.update(data_key=m["data_key"][:10]),
    "non-hex data key": lambda m: m.update(data_key="zz" * 32),
    "missing data key": lambda m: m.pop("data_key"),
    "data key of the wrong type": lambda m: m.update(data_key=[1, 2]),
    "non-hex subject key": lambda m: m.update(subject_key="g" * 64),
    "missing subject key": lambda m: m.pop("subject_key"),
    "ledger of the wrong type": lambda m: m.update(ledger={"a": 1}),
    "ledger row with a list": lambda m: m.update(ledger=[{"year": [2025]}]),
    "organisation of the wrong type": lambda m: m.update(organisation=["x"]),
    "organisation with a nested value": lambda m: m["organisation"].update(threshold={}),
}


@pytest.mark.parametrize("change", sorted(BAD_MANIFESTS))
def test_a_crafted_manifest_gives_one_sentence_and_changes_nothing(
    genuine, successor, tmp_path, change
):
    out, passphrase = genuine
    folder = tmp_path / "opened"
    manifest = _open(out, passphrase, folder)
    BAD_MANIFESTS[change](manifest)
    crafted = _seal(out, passphrase, folder, manifest, tmp_path / "crafted.vphandover")
    before = _files(successor)
    result = _import(successor, crafted, passphrase)
    assert result.returncode in (1, 2), result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert _files(successor) == before


def _with_header(path: Path, change, dest: Path) -> Path:
    """``path`` with its header changed and the outer checksum recomputed."""
    raw = path.read_bytes()
    hlen = struct.unpack(">I", raw[8:12])[0]
    header = json.loads(raw[12 : 12 + hlen])
    change(header)
    new = json.dumps(header).encode()
    body = raw[:8] + struct.pack(">I", len(new)) + new + raw[12 + hlen : -32]
    dest.write_bytes(body + hashlib.sha256(body).digest())
    return dest


BAD_KDFS = {
    "kdf is a list": [],
    "kdf is a string": "argon2id",
    "kdf is a number": 7,
    "memory as text": {"memory_kib": "65536"},
    "memory as a float": {"memory_kib": 65536.0},
    "memory huge": {"memory_kib": 2**40},
    "memory true": {"memory_kib": True},
    "iterations huge": {"iterations": 10**30},
    "lanes zero": {"lanes": 0},
    "salt a number": {"salt": 12},
    "salt not base64": {"salt": "%%%"},
    "name missing": {"name": None},
}


def _kdf_change(value):
    def change(header):
        if isinstance(value, dict):
            header["kdf"] = {**header["kdf"], **value}
        else:
            header["kdf"] = value

    return change


@pytest.mark.parametrize("case", sorted(BAD_KDFS))
def test_a_hand_over_header_with_a_bad_kdf_is_refused(genuine, successor, tmp_path, case):
    out, passphrase = genuine
    crafted = _with_header(out, _kdf_change(BAD_KDFS[case]), tmp_path / "bad.vphandover")
    before = _files(successor)
    result = _import(successor, crafted, passphrase)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "damaged" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert _files(successor) == before


@pytest.mark.parametrize(
    "case", ["kdf is a list", "memory as text", "memory huge", "salt a number"]
)
def test_a_backup_header_with_a_bad_kdf_is_refused(desk, data_dir, tmp_path, case):
    from vp_desk.services import backup

    add_org(desk, "Klant BV")
    made = tmp_path / "b.vpbackup"
    backup.create_backup(desk, made)
    desk.close()
    crafted = _with_header(made, _kdf_change(BAD_KDFS[case]), tmp_path / "bad.vpbackup")
    target = tmp_path / "restored"
    result = run_cli("restore", str(crafted), data_dir=target)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "damaged" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not target.exists()
    assert not [p for p in tmp_path.iterdir() if ".restore-" in p.name]


def test_header_not_an_object_or_unknown_kind(genuine, successor, tmp_path):
    out, passphrase = genuine
    for n, change in enumerate(
        [lambda h: h.update(kind="<evil>"), lambda h: h.update(chunk="1"), lambda h: h.clear()]
    ):
        crafted = _with_header(out, change, tmp_path / f"bad{n}.vphandover")
        result = _import(successor, crafted, passphrase)
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr and "<evil>" not in result.stderr
