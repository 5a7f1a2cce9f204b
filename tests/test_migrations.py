"""Schema migrations (issue 14, item 6): the schema after all steps, the index
vault's upgrade from its first version, a newer schema refused with its own
error, and statements split the way SQLite reads them. Real SQLCipher files.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from tests.conftest import PASSPHRASE
from vp_desk.domain.models import CaseInput, OrganisationInput
from vp_desk.errors import DamagedFile, NewerSchema
from vp_desk.services.desk import Desk
from vp_desk.vault import migrations
from vp_desk.vault.sqlcipher import open_vault
from vp_desk.vault.store import INDEX_FILE

DATA = Path(__file__).parent / "data"
REGENERATE = "VP_DESK_REGENERATE_SCHEMA"


def schema_dump(conn) -> str:
    """Every table, index, trigger and view, in a stable order (SQLite's own text)."""
    rows = conn.execute(
        "SELECT type, name, sql FROM sqlite_master "
        "WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY type, name"
    ).fetchall()
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    lines = [f"-- user_version = {version}"]
    lines += [f"-- {kind} {name}\n{sql.strip()};" for kind, name, sql in rows]
    return "\n".join(lines) + "\n"


def compare_or_write(name: str, dump: str) -> None:
    path = DATA / name
    if os.environ.get(REGENERATE):
        path.write_text(dump, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == dump, (
        f"The schema after all migrations differs from tests/data/{name}. If the new "
        f"migration step is intended, regenerate: {REGENERATE}=1 python -m pytest "
        "tests/test_migrations.py -k golden"
    )


def test_golden_schema_after_all_migrations(desk: Desk) -> None:
    """The schema a new data folder gets equals the dumps in tests/data.

    Regenerate after adding a migration step (then review the diff):
    ``VP_DESK_REGENERATE_SCHEMA=1 python -m pytest tests/test_migrations.py -k golden``
    """
    org = desk.add_organisation(OrganisationInput("Stichting Voorbeeld", employees=120))
    index_dump = schema_dump(desk.index)
    org_dump = schema_dump(desk.conn(org.id))
    assert f"user_version = {len(migrations.INDEX_MIGRATIONS)}" in index_dump
    assert f"user_version = {len(migrations.ORG_MIGRATIONS)}" in org_dump
    compare_or_write("schema-index.sql", index_dump)
    compare_or_write("schema-org.sql", org_dump)


def test_index_vault_upgrades_from_version_1(data_dir: Path, monkeypatch) -> None:
    """A data folder made when the index had only its first step opens, upgraded, data intact."""
    all_steps = list(migrations.INDEX_MIGRATIONS)
    monkeypatch.setitem(migrations.MIGRATIONS, "index", all_steps[:1])
    with Desk.create(data_dir, PASSPHRASE) as old:
        assert old.index.execute("PRAGMA user_version").fetchone()[0] == 1
        org = old.add_organisation(OrganisationInput("Bakkerij De Korst", employees=14))
        case = old.create_case(org.id, CaseInput(opened="2026-03-02", behaviours=["bullying"]))
        old.set_setting("language", "en")
        tables = {r[0] for r in old.index.execute("SELECT name FROM sqlite_master")}
        assert "drafts" not in tables  # really the old schema
    monkeypatch.setitem(migrations.MIGRATIONS, "index", all_steps)

    with Desk.open(data_dir, PASSPHRASE) as desk:
        assert desk.index.execute("PRAGMA user_version").fetchone()[0] == len(all_steps)
        assert [o.name for o in desk.organisations()] == ["Bakkerij De Korst"]
        assert desk.get_case(org.id, case.id).code == case.code
        assert desk.get_setting("language") == "en"
        desk.save_draft("d1", {"kind": "case"})  # a table of a later step works
        assert desk.drafts() == {"d1": {"kind": "case"}}
        assert not desk.verify()  # the audit chain survived the upgrade
        fresh = data_dir.parent / "fresh"
        with Desk.create(fresh, PASSPHRASE) as new:
            assert schema_dump(desk.index) == schema_dump(new.index)


def _set_index_version(desk: Desk, version: int) -> None:
    desk.index.execute(f"PRAGMA user_version = {version}")


def test_a_newer_schema_is_refused_with_its_own_error(data_dir: Path) -> None:
    with Desk.create(data_dir, PASSPHRASE) as desk:
        newer = len(migrations.INDEX_MIGRATIONS) + 1
        _set_index_version(desk, newer)
    before = hashlib.sha256((data_dir / INDEX_FILE).read_bytes()).hexdigest()
    with pytest.raises(NewerSchema) as caught:
        Desk.open(data_dir, PASSPHRASE)
    assert not isinstance(caught.value, DamagedFile)
    assert "newer version of vp_desk" in str(caught.value)
    assert "damaged" not in str(caught.value)
    assert caught.value.found == newer
    assert hashlib.sha256((data_dir / INDEX_FILE).read_bytes()).hexdigest() == before

    from vp_desk.tui.screens.unlock import describe_error

    nl = describe_error(caught.value, "nl")
    en = describe_error(caught.value, "en")
    assert "nieuwere versie van vp_desk" in nl and "indexkluis" in nl and "beschadigd" not in nl
    assert "newer version of vp_desk" in en


def test_the_command_line_says_newer_not_damaged(data_dir: Path) -> None:
    from tests.conftest import run_cli

    with Desk.create(data_dir, PASSPHRASE) as desk:
        _set_index_version(desk, len(migrations.INDEX_MIGRATIONS) + 1)
    result = run_cli("verify", data_dir=data_dir)
    assert result.returncode == 1
    assert "newer version of vp_desk" in result.stderr
    assert "damaged" not in result.stderr


def test_statements_split_as_sqlite_reads_them() -> None:
    script = """
    CREATE TABLE t (x TEXT);  -- a comment; with a semicolon
    CREATE TRIGGER t_log AFTER INSERT ON t BEGIN
        INSERT INTO log VALUES ('one; two');
        UPDATE t SET x = x || ';' WHERE rowid = new.rowid;
    END;
    INSERT INTO t VALUES ('a;b')
    """
    statements = migrations._statements(script)
    assert len(statements) == 3
    assert statements[0] == "CREATE TABLE t (x TEXT);"
    assert "CREATE TRIGGER t_log" in statements[1]
    assert "END;" in statements[1] and "UPDATE t SET" in statements[1]
    assert statements[2] == "INSERT INTO t VALUES ('a;b');"


def test_a_migration_step_with_a_trigger_runs(tmp_path: Path, monkeypatch) -> None:
    """A step whose trigger body holds semicolons migrates, and the trigger works."""
    step = """
    CREATE TABLE log (what TEXT NOT NULL);
    CREATE TABLE t (x TEXT NOT NULL);
    CREATE TRIGGER t_log AFTER INSERT ON t BEGIN
        INSERT INTO log VALUES ('inserted; ' || new.x);
        INSERT INTO log VALUES ('second');
    END;
    """
    monkeypatch.setitem(migrations.MIGRATIONS, "index", [step])
    conn = open_vault(tmp_path / "t.db", os.urandom(32), part="test vault", create=True)
    try:
        assert migrations.migrate(conn, "index") == 1
        conn.execute("INSERT INTO t VALUES ('a')")
        assert [r[0] for r in conn.execute("SELECT what FROM log ORDER BY rowid")] == [
            "inserted; a",
            "second",
        ]
    finally:
        conn.close()
