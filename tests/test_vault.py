"""The encrypted store: what a lost laptop, a wrong passphrase or a flipped
bit must (not) do. Real SQLCipher files, real Argon2id."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
from pathlib import Path

import pytest

from tests.conftest import PASSPHRASE, run_cli
from tests.portable import assert_mode, assert_private
from vp_desk.domain.models import ActivityInput, CaseInput, ConsultationInput, OrganisationInput
from vp_desk.errors import AlreadyRunning, DamagedFile, WrongPassphrase
from vp_desk.services.desk import Desk
from vp_desk.vault.keyfile import CURRENT, PREVIOUS
from vp_desk.vault.store import DataFolder

MARKER = "ZQX-marker-7731"
ORG_NAME = "Orgname Unieke Klant BV"


def _files(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file()
    }


def _fill(desk: Desk) -> int:
    org = desk.add_organisation(OrganisationInput(ORG_NAME, employees=30))
    case = desk.create_case(
        org.id,
        CaseInput(opened="2026-03-02", behaviours=["bullying"], notes=f"note {MARKER} in case"),
    )
    desk.add_consultation(
        org.id, case.id, ConsultationInput("2026-03-03", 30, "phone", f"contact {MARKER}")
    )
    desk.add_activity(org.id, ActivityInput("2026-03-04", "awareness", 90, f"act {MARKER}"))
    desk.set_subject(org.id, case.id, "Jan Jansen")
    return org.id


def test_nothing_readable_on_disk(desk, data_dir):
    _fill(desk)
    # Look at the files while open (WAL present) and after closing.
    for _ in range(2):
        for path in data_dir.iterdir():
            raw = path.read_bytes()
            for needle in (MARKER, ORG_NAME, "Jan Jansen", "Stichting", "bullying"):
                assert needle.encode() not in raw, (path.name, needle)
                assert needle.encode("utf-16-le") not in raw
            assert not raw.startswith(b"SQLite format 3"), path.name
        desk.close()
    assert_mode(data_dir, 0o700)
    for path in data_dir.iterdir():
        assert_private(path)


def test_wrong_passphrase_exit_3_quiet_and_nothing_changes(desk, data_dir):
    _fill(desk)
    desk.close()
    before = _files(data_dir)
    result = run_cli("org", "list", data_dir=data_dir, passphrase="not the right passphrase")
    assert result.returncode == 3
    assert result.stderr.strip() == "The passphrase is wrong. Try again; nothing was changed."
    assert "hmac" not in result.stderr.lower() and "ERROR" not in result.stderr
    assert result.stdout == ""
    assert _files(data_dir) == before


def test_damaged_current_key_file_falls_back_to_previous(desk, data_dir):
    org_id = _fill(desk)
    desk.close()
    current = data_dir / CURRENT
    raw = bytearray(current.read_bytes())
    raw[len(raw) // 2] ^= 0x01
    current.write_bytes(bytes(raw))
    with Desk.open(data_dir, PASSPHRASE) as again:
        assert again.vault.recovered_key_file
        assert again.organisation(org_id).name == ORG_NAME


def test_both_key_files_damaged_exit_1_names_key_file(desk, data_dir):
    _fill(desk)
    desk.close()
    for name in (CURRENT, PREVIOUS):
        path = data_dir / name
        raw = bytearray(path.read_bytes())
        raw[40] ^= 0x04
        path.write_bytes(bytes(raw))
    result = run_cli("org", "list", data_dir=data_dir)
    assert result.returncode == 1
    assert "key file" in result.stderr
    assert "Traceback" not in result.stderr


def test_flipped_bit_in_org_vault_exit_1_names_vault(desk, data_dir):
    org_id = _fill(desk)
    vault_file = desk.vault.org_path(desk.organisation(org_id).vault_id)
    desk.close()
    raw = bytearray(vault_file.read_bytes())
    raw[4096 + 200] ^= 0x10  # inside page 2
    vault_file.write_bytes(bytes(raw))
    result = run_cli("verify", data_dir=data_dir)
    assert result.returncode == 1
    assert vault_file.name in result.stderr or "organisation" in result.stderr
    assert "Traceback" not in result.stderr and "hmac" not in result.stderr.lower()


def test_flipped_bit_in_page_one_of_index(desk, data_dir):
    _fill(desk)
    desk.close()
    index = data_dir / "index.db"
    raw = bytearray(index.read_bytes())
    raw[100] ^= 0x01
    index.write_bytes(bytes(raw))
    result = run_cli("org", "list", data_dir=data_dir)
    assert result.returncode == 1
    assert "index vault" in result.stderr
    assert "Traceback" not in result.stderr


def test_passphrase_change_rewrites_every_vault_under_a_new_key(desk, data_dir):
    """passwd gives every vault a fresh data key: no database file keeps its
    bytes, and neither key-file generation opens with the old passphrase."""
    org_id = _fill(desk)
    desk.close()
    dbs_before = {k: v for k, v in _files(data_dir).items() if k.endswith(".db")}
    keys_before = dict(DataFolder(data_dir).keyfile.unlock(PASSPHRASE).keys)
    new = "another long passphrase for the desk"
    with Desk.open(data_dir, PASSPHRASE) as d:
        d.change_passphrase(new)
    dbs_after = {k: v for k, v in _files(data_dir).items() if k.endswith(".db")}
    assert dbs_before.keys() == dbs_after.keys()
    assert all(dbs_before[k] != dbs_after[k] for k in dbs_before)
    with pytest.raises(WrongPassphrase):
        Desk.open(data_dir, PASSPHRASE)
    with Desk.open(data_dir, new) as d:
        assert d.organisation(org_id).name == ORG_NAME
        assert d.verify() == []
        keys_after = dict(d.vault.ring.keys)
    assert keys_after.keys() == keys_before.keys()
    assert not set(keys_after.values()) & set(keys_before.values())
    # The old passphrase survives in no key-file generation.
    for name in (CURRENT, PREVIOUS):
        from vp_desk.vault.keyfile import _parse, _unlock_parsed

        parsed = _parse((data_dir / name).read_bytes())
        with pytest.raises(WrongPassphrase):
            _unlock_parsed(parsed, PASSPHRASE)


def test_passwd_command(desk, data_dir, tmp_path):
    _fill(desk)
    desk.close()
    new_file = tmp_path / "new.txt"
    new_file.write_text("a brand new passphrase of some length\n")
    result = run_cli("passwd", "--new-passphrase-file", str(new_file), data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    assert run_cli("org", "list", data_dir=data_dir).returncode == 3
    ok = run_cli(
        "org", "list", data_dir=data_dir, passphrase="a brand new passphrase of some length"
    )
    assert ok.returncode == 0 and ORG_NAME in ok.stdout


def test_weak_new_passphrase_refused(desk, data_dir, tmp_path):
    desk.close()
    weak = tmp_path / "weak.txt"
    weak.write_text("password\n")
    result = run_cli("passwd", "--new-passphrase-file", str(weak), data_dir=data_dir)
    assert result.returncode == 2
    assert "15 characters" in result.stderr


def test_shred_removes_files_and_key_from_every_generation(desk, data_dir):
    keep = desk.add_organisation(OrganisationInput("Blijft BV"))
    keep_case = desk.create_case(keep.id, CaseInput(opened="2026-01-05", behaviours=["other"]))
    gone_id = _fill(desk)
    gone = desk.organisation(gone_id)
    key_hex = desk.vault.ring.keys[gone.vault_id]
    gone_file = desk.vault.org_path(gone.vault_id)
    keep_file = desk.vault.org_path(keep.vault_id)
    desk.shred_organisation(gone_id)
    assert not gone_file.exists()
    assert not Path(str(gone_file) + "-wal").exists()
    assert keep_file.exists()
    for name in (CURRENT, PREVIOUS):
        body = json.loads(json.loads((data_dir / name).read_text())["body"])
        assert gone.vault_id not in {v["vault_id"] for v in body["vaults"]}
    assert [o.name for o in desk.organisations()] == ["Blijft BV"]
    assert desk.get_case(keep.id, keep_case.id).code == "2026-001"
    desk.close()
    with Desk.open(data_dir, PASSPHRASE) as d:
        assert d.verify() == []
        assert gone.vault_id not in d.vault.ring.keys
    assert len(key_hex) == 32


def _hold_open(path: str, ready, done) -> None:  # pragma: no cover - child process
    os.environ["VP_DESK_KDF"] = "minimum"
    d = Desk.open(path, PASSPHRASE)
    ready.set()
    done.wait(30)
    d.close()


def test_second_instance_refused(desk, data_dir):
    with pytest.raises(AlreadyRunning):
        DataFolder(data_dir).unlock(PASSPHRASE)
    desk.close()
    ctx = multiprocessing.get_context("spawn")
    ready, done = ctx.Event(), ctx.Event()
    child = ctx.Process(target=_hold_open, args=(str(data_dir), ready, done))
    child.start()
    try:
        assert ready.wait(60)
        result = run_cli("org", "list", data_dir=data_dir)
        assert result.returncode == 1
        assert "already open" in result.stderr
    finally:
        done.set()
        child.join(30)
    # After the other instance ends, the folder opens again.
    assert run_cli("org", "list", data_dir=data_dir).returncode == 0


def test_stale_lock_of_killed_process_is_not_a_problem(desk, data_dir):
    desk.close()
    ctx = multiprocessing.get_context("spawn")
    ready, done = ctx.Event(), ctx.Event()
    child = ctx.Process(target=_hold_open, args=(str(data_dir), ready, done))
    child.start()
    assert ready.wait(60)
    child.kill()
    child.join(30)
    assert (data_dir / ".lock").exists()
    assert run_cli("org", "list", data_dir=data_dir).returncode == 0


def test_refuses_plain_sqlite(monkeypatch):
    import vp_desk.vault.sqlcipher as sc
    from vp_desk.errors import UnsafeSQLite

    class FakeConn:
        def execute(self, sql):
            class R:
                def fetchone(self_inner):
                    return None

            return R()

        def close(self):
            pass

    monkeypatch.setattr(sc.sqlcipher3, "connect", lambda *a, **k: FakeConn())
    with pytest.raises(UnsafeSQLite):
        sc.ensure_sqlcipher()


def test_tampered_kdf_parameters_are_capped(desk, data_dir):
    desk.close()
    for name in (CURRENT, PREVIOUS):
        path = data_dir / name
        outer = json.loads(path.read_text())
        body = json.loads(outer["body"])
        body["kdf"]["memory_kib"] = 64 * 1024 * 1024  # 64 GiB
        outer["body"] = json.dumps(body, sort_keys=True, separators=(",", ":"))
        outer["sha256"] = hashlib.sha256(outer["body"].encode()).hexdigest()
        path.write_text(json.dumps(outer))
    with pytest.raises(DamagedFile) as err:
        Desk.open(data_dir, PASSPHRASE)
    assert err.value.part == "key file"


def test_schema_upgrade_from_first_version(data_dir):
    """A vault written with schema 1 opens with the current code, data intact."""
    from vp_desk.vault.migrations import ORG_MIGRATIONS, schema_version

    desk = Desk.create(data_dir, PASSPHRASE)
    vault_id = desk.vault.create_org_vault(migrate_to=1)
    conn = desk.vault.org(vault_id)  # already open at version 1
    assert schema_version(conn) == 1
    conn.execute(
        "INSERT INTO cases(code, year, seq, opened, status, primary_behaviour, notes, "
        "created, updated) VALUES ('2024-001', 2024, 1, '2024-05-01', 'open', "
        "'bullying', 'old note', 'x', 'x')"
    )
    conn.execute("INSERT INTO case_values VALUES (1, 'behaviour', 'bullying')")
    desk.index.execute(
        "INSERT INTO organisations(vault_id, name, created) VALUES (?, 'Oud BV', 'x')", (vault_id,)
    )
    desk.close()
    with Desk.open(data_dir, PASSPHRASE) as again:
        org = again.find_organisation("Oud BV")
        conn = again.conn(org.id)
        assert schema_version(conn) == len(ORG_MIGRATIONS)
        case = again.find_case(org.id, "2024-001")
        assert case.notes == "old note" and case.behaviours == ("bullying",)
        assert case.legal_hold is False
        again.set_subject(org.id, case.id, "Iemand")
        assert again.has_subject(org.id, case.id)


def test_shred_erases_ledger_and_never_reuses_the_number(desk, data_dir):
    """issue 11, item 6: a shredded organisation's report ledger lived on and
    its number was given to the next one, whose first report was refused."""
    from datetime import date

    from tests.reports.conftest import YEAR, add_org, case_data
    from vp_desk.services import reporting

    today = date(YEAR + 1, 1, 15)
    gone = add_org(desk, "Verdwenen BV")
    assert reporting.export(desk, gone.id, YEAR, "json", final=True, today=today).ledger == (
        "recorded"
    )
    reporting.set_disclose_case_hours(desk, gone.id, True)
    desk.index.execute("INSERT INTO org_terms(org_id, agreed_hours) VALUES (?, 40)", (gone.id,))
    desk.shred_organisation(gone.id)
    assert desk.index.execute("SELECT count(*) FROM report_ledger").fetchone()[0] == 0
    # no row about it stays in the index: its choices and appointment terms go too
    left = desk.index.execute(
        "SELECT count(*) FROM settings WHERE key LIKE ?", (f"org.{gone.id}.%",)
    ).fetchone()[0]
    assert left == 0
    assert desk.index.execute("SELECT count(*) FROM org_terms").fetchone()[0] == 0
    desk.close()
    with Desk.open(data_dir, PASSPHRASE) as d:
        new = add_org(d, "Nieuw BV")
        assert new.id != gone.id and new.id > gone.id
        d.insert_cases(new.id, [(case_data(date(YEAR, 11, 2), "bullying"), [])], event="test")
        first = reporting.export(d, new.id, YEAR, "json", final=True, today=today)
        assert first.ledger == "recorded"
        assert d.verify() == []


def test_org_numbers_survive_a_passphrase_change(desk, data_dir):
    first = desk.add_organisation(OrganisationInput("Eerste BV"))
    second = desk.add_organisation(OrganisationInput("Tweede BV"))
    desk.shred_organisation(second.id)
    desk.change_passphrase("a fresh passphrase for numbering")
    third = desk.add_organisation(OrganisationInput("Derde BV"))
    assert third.id not in (first.id, second.id)
