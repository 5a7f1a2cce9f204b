"""Hand-over: one organisation, re-encrypted under a one-time passphrase,
with nothing of any other organisation in it; import on another install."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import PASSPHRASE, run_cli
from tests.lifecycle.helpers import add_activity, add_case, add_org, audit_events
from tests.lifecycle.sqlcipher_pages import plaintext_of
from tests.portable import assert_private
from vp_desk.services import archive, handover
from vp_desk.services.desk import Desk

MINE = "MINE-FOXTROT-2h6j"
THEIRS = "THEIRS-GOLF-8k3l"
OTHER_NAME = "Geheime Andere Klant BV"
OTHER_PASSPHRASE = "another install with its own passphrase"


@pytest.fixture
def source(desk, data_dir):
    mine = add_org(desk, "Overdracht Klant BV", threshold=4, retention_months=9)
    theirs = add_org(desk, OTHER_NAME)
    for n in range(3):
        case = add_case(
            desk,
            mine.id,
            f"2025-0{n + 1}-02",
            notes=f"{MINE} {n}",
            contacts=((f"2025-0{n + 1}-05", 40, f"{MINE} contact"),),
        )
    desk.set_subject(mine.id, case.id, "Jan Proef")
    add_activity(desk, mine.id, "2025-04-01", 120, MINE)
    add_case(desk, theirs.id, "2025-02-02", notes=THEIRS)
    add_activity(desk, theirs.id, "2025-04-01", 60, THEIRS)
    with desk.vault.transaction(desk.index):
        desk.index.execute(
            "INSERT INTO report_ledger(org_id, year, issued, figures, digest) "
            "VALUES (?, 2025, '2026-01-10', '{\"new_cases\": 3}', 'abc')",
            (mine.id,),
        )
        desk.index.execute(
            "INSERT INTO report_ledger(org_id, year, issued, figures, digest) "
            "VALUES (?, 2025, '2026-01-11', '{\"new_cases\": 1}', 'def')",
            (theirs.id,),
        )
    info = {"mine": mine, "theirs": theirs, "data_dir": data_dir}
    desk.close()
    return info


def _export(source, tmp_path) -> tuple[Path, str]:
    out = tmp_path / "overdracht.vphandover"
    result = run_cli(
        "handover", "export", "Overdracht Klant BV", str(out), data_dir=source["data_dir"]
    )
    assert result.returncode == 0, result.stderr
    passphrase = result.stdout.strip().splitlines()[-1]
    assert re.fullmatch(r"[A-Z2-7]{4}(-[A-Z2-7]{4}){7}", passphrase), passphrase
    assert passphrase not in result.stderr
    return out, passphrase


def test_the_file_holds_exactly_one_organisation(source, tmp_path):
    out, passphrase = _export(source, tmp_path)
    raw = out.read_bytes()
    theirs = source["theirs"]
    for needle in (OTHER_NAME, THEIRS, theirs.vault_id, MINE, "Overdracht Klant"):
        assert needle.encode() not in raw

    folder = tmp_path / "opened"
    folder.mkdir()
    manifest = handover.read_handover(out, passphrase, folder)
    assert sorted(p.name for p in folder.iterdir()) == ["vault.db"]
    assert manifest["organisation"]["name"] == "Overdracht Klant BV"
    assert manifest["organisation"]["threshold"] == 4
    assert [row["digest"] for row in manifest["ledger"]] == ["abc"]
    text = json.dumps(manifest)
    for needle in (OTHER_NAME, THEIRS, theirs.vault_id, source["mine"].vault_id):
        assert needle not in text
    plain = plaintext_of(folder / "vault.db", bytes.fromhex(manifest["data_key"]))
    assert MINE.encode() in plain
    for needle in (OTHER_NAME, THEIRS, theirs.vault_id):
        assert needle.encode() not in plain
    # The vault in the file is not the original's key or file.
    with Desk.open(source["data_dir"], PASSPHRASE) as desk:
        assert bytes.fromhex(manifest["data_key"]) not in desk.vault.ring.keys.values()
        assert ("handover.export", "") in audit_events(desk.conn(source["mine"].id))
        assert ("handover.export", f"org {source['mine'].id}") in audit_events(desk.index)


def test_it_opens_only_with_its_one_time_passphrase(source, tmp_path):
    out, passphrase = _export(source, tmp_path)
    target = tmp_path / "successor"
    assert run_cli("init", data_dir=target, passphrase=OTHER_PASSPHRASE).returncode == 0
    files_before = sorted(p.name for p in target.iterdir())
    for wrong in (PASSPHRASE, passphrase.lower()[:-1] + "x", "ABCD-EFGH"):
        result = run_cli(
            "handover",
            "import",
            str(out),
            data_dir=target,
            passphrase=OTHER_PASSPHRASE,
            env={"VP_DESK_HANDOVER_PASSPHRASE": wrong},
        )
        assert result.returncode == 3, result.stderr
        assert "one-time passphrase" in result.stderr
    assert sorted(p.name for p in target.iterdir()) == files_before
    listed = run_cli("org", "list", "--json", data_dir=target, passphrase=OTHER_PASSPHRASE)
    assert json.loads(listed.stdout) == []


def test_import_adds_the_organisation_on_another_install(source, tmp_path):
    out, passphrase = _export(source, tmp_path)
    target = tmp_path / "successor"
    assert run_cli("init", data_dir=target, passphrase=OTHER_PASSPHRASE).returncode == 0
    result = run_cli(
        "handover",
        "import",
        str(out),
        data_dir=target,
        passphrase=OTHER_PASSPHRASE,
        env={"VP_DESK_HANDOVER_PASSPHRASE": passphrase},
    )
    assert result.returncode == 0, result.stderr
    assert "Overdracht Klant BV" in result.stdout and "3 case(s)" in result.stdout
    # Importing twice clashes on the name; --name resolves it.
    again = run_cli(
        "handover",
        "import",
        str(out),
        data_dir=target,
        passphrase=OTHER_PASSPHRASE,
        env={"VP_DESK_HANDOVER_PASSPHRASE": passphrase},
    )
    assert again.returncode == 2 and "--name" in again.stderr

    with Desk.open(source["data_dir"], PASSPHRASE) as old:
        mine = source["mine"]
        expected = [repr(old.get_case(mine.id, c.id)) for c in old.list_cases(mine.id)]
        expected_activities = [repr(a) for a in old.list_activities(mine.id)]
    with Desk.open(target, OTHER_PASSPHRASE) as new:
        orgs = new.organisations()
        assert [(o.name, o.threshold, o.retention_months) for o in orgs] == [
            ("Overdracht Klant BV", 4, 9)
        ]
        org = orgs[0]
        assert org.vault_id != source["mine"].vault_id
        assert_private(new.vault.org_path(org.vault_id))
        assert not [p for p in target.iterdir() if p.name.startswith(".handover-")]
        assert [repr(new.get_case(org.id, c.id)) for c in new.list_cases(org.id)] == expected
        assert [repr(a) for a in new.list_activities(org.id)] == expected_activities
        assert new.verify() == []
        events = audit_events(new.conn(org.id))
        # A new chain under this install's key: created, then where the data came from.
        assert [e for e, _s in events] == ["vault.create", "handover.import"]
        assert events[-1][1].startswith("hand-over file made ")
        assert ("handover.import", f"org {org.id}") in audit_events(new.index)
        assert new.index.execute("SELECT org_id, digest FROM report_ledger").fetchall() == [
            (org.id, "abc")
        ]
        # The repeat-subject signal still recognises the person.
        case = add_case(new, org.id, "2025-06-01")
        new.set_subject(org.id, case.id, "jan proef")
        assert new.repeat_subject_count(org.id, case.id) == 1
    assert run_cli("verify", data_dir=target, passphrase=OTHER_PASSPHRASE).returncode == 0


def test_a_damaged_hand_over_file_is_refused(source, tmp_path):
    out, passphrase = _export(source, tmp_path)
    raw = bytearray(out.read_bytes())
    raw[len(raw) // 3] ^= 0x40
    out.write_bytes(bytes(raw))
    target = tmp_path / "successor"
    assert run_cli("init", data_dir=target, passphrase=OTHER_PASSPHRASE).returncode == 0
    result = run_cli(
        "handover",
        "import",
        str(out),
        data_dir=target,
        passphrase=OTHER_PASSPHRASE,
        env={"VP_DESK_HANDOVER_PASSPHRASE": passphrase},
    )
    assert result.returncode == 1 and "damaged" in result.stderr


def test_a_backup_is_not_a_hand_over_file(desk, tmp_path):
    from vp_desk.errors import UsageError
    from vp_desk.services import backup

    add_org(desk, "Klant")
    backup.create_backup(desk, tmp_path / "b.vpbackup")
    with pytest.raises(UsageError):
        archive.read_header(tmp_path / "b.vpbackup", "handover")
