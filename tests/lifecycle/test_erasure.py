"""Item 6 of issue 13: delete a case logged by mistake, destroy a case now at the
melder's request. Real vaults; the page-level proof decrypts every page of every
file, free pages and WAL frames included."""

from __future__ import annotations

import pytest

from tests.conftest import PASSPHRASE, run_cli
from tests.lifecycle.helpers import (
    TODAY,
    add_case,
    add_org,
    audit_events,
    coded_aggregates,
    index_key,
)
from tests.lifecycle.sqlcipher_pages import plaintext_of
from vp_desk.errors import NotFound, UsageError
from vp_desk.reports.errors import LedgerConflict
from vp_desk.services import erasure, reporting, retention
from vp_desk.services.desk import Desk
from vp_desk.vault.store import INDEX_FILE

NOTE = "NOTE-ECHO-3k9p"
CONTACT = "CONTACT-FOXTROT-7v2b"
DRAFT = "DRAFT-GOLF-5t1z"
KEEP = "KEEP-HOTEL-8w4r"


def _plain(desk: Desk) -> dict[str, bytes]:
    out = {INDEX_FILE: plaintext_of(desk.vault.path / INDEX_FILE, index_key(desk))}
    for vault_id in desk.vault.org_vault_ids():
        out[vault_id] = plaintext_of(desk.vault.org_path(vault_id), desk.vault.ring.keys[vault_id])
    return out


@pytest.fixture
def scene(desk):
    org = add_org(desk, "Stichting Wissen", employees=300, threshold=3)
    # An open case with long notes (overflow pages) and two contact moments.
    target = add_case(
        desk,
        org.id,
        "2026-02-01",
        notes=(NOTE + " verhaal. ") * 400,
        contacts=(("2026-02-02", 45, f"{CONTACT} een"), ("2026-02-20", 30, f"{CONTACT} twee")),
        behaviours=("intimidation",),
    )
    keep = add_case(desk, org.id, "2026-01-10", notes=f"{KEEP} blijft")
    desk.set_subject(org.id, target.id, "Jan Onderwerp")
    desk.set_subject(org.id, keep.id, "Jan Onderwerp")
    desk.save_draft(
        f"org{org.id}:case{target.id}",
        {"kind": "case_form", "org_id": org.id, "case_id": target.id, "notes": DRAFT},
    )
    return {"org": org, "target": target, "keep": keep}


def _assert_gone_from_disk(desk: Desk, needles: tuple[str, ...]) -> Desk:
    """No needle in any decrypted byte, before and after a close and reopen."""
    for when in ("open", "reopened"):
        plain = _plain(desk)
        for name, data in plain.items():
            for needle in needles:
                assert needle.encode() not in data, (when, name, needle)
        assert any(KEEP.encode() in data for data in plain.values())  # the scan reads pages
        if when == "open":
            path = desk.vault.path
            desk.close()
            desk = Desk.open(path, PASSPHRASE)
    return desk


def test_destroy_on_request_of_an_open_case_leaves_a_tombstone_and_no_trace(desk, scene):
    org, target = scene["org"], scene["target"]
    plain = _plain(desk)
    assert NOTE.encode() in plain[org.vault_id] and CONTACT.encode() in plain[org.vault_id]
    assert DRAFT.encode() in plain[INDEX_FILE]

    code = erasure.destroy_on_request(desk, org.id, target.id, TODAY)
    assert code == target.code

    tomb = desk.get_case(org.id, target.id)
    assert tomb.destroyed == TODAY and tomb.notes == ""
    assert tomb.status == "closed" and tomb.closed == TODAY and tomb.outcome is None
    # The coded fields stay: the case still counts in the statistics of its year.
    assert tomb.behaviours == target.behaviours and tomb.opened == target.opened
    assert [(c.date, c.minutes, c.notes) for c in tomb.consultations] == [
        (c.date, c.minutes, "") for c in target.consultations
    ]
    assert not desk.has_subject(org.id, target.id)
    assert desk.repeat_subject_count(org.id, scene["keep"].id) == 0
    assert desk.drafts() == {}
    assert desk.conn(org.id).execute("SELECT code FROM destruction_log").fetchall() == [(code,)]
    assert ("case.destroy_request", code) in audit_events(desk.conn(org.id))
    assert coded_aggregates(desk, org.id, 2026)["primary_behaviour"] == [
        ("bullying", 1),
        ("intimidation", 1),
    ]
    with pytest.raises(UsageError):
        erasure.destroy_on_request(desk, org.id, target.id, TODAY)
    desk = _assert_gone_from_disk(desk, (NOTE, CONTACT, DRAFT))
    desk.close()


def test_destroy_on_request_keeps_issued_report_figures(desk, scene):
    """A tombstone keeps the coded fields: the final report can be issued again unchanged."""
    org = scene["org"]
    closed = add_case(desk, org.id, "2025-03-01", closed="2025-04-01", notes="x")
    still_open = add_case(desk, org.id, "2025-11-01", notes="y")  # open at the year's end
    for day in ("2025-05-01", "2025-06-01", "2025-07-01"):
        add_case(desk, org.id, day, closed="2025-08-01")
    before = reporting.build(desk, org.id, 2025, lang="en", today=TODAY).figures
    reporting.export(desk, org.id, 2025, "json", final=True, today=TODAY)
    erasure.destroy_on_request(desk, org.id, closed.id, TODAY)
    erasure.destroy_on_request(desk, org.id, still_open.id, TODAY)
    after = reporting.export(desk, org.id, 2025, "json", final=True, today=TODAY)
    assert after.report.figures == before and after.ledger == "unchanged"


def test_legal_hold_refuses_both(desk, scene):
    org, keep = scene["org"], scene["keep"]
    retention.set_legal_hold(desk, org.id, keep.id, "Klachtprocedure")
    with pytest.raises(UsageError):
        erasure.destroy_on_request(desk, org.id, keep.id, TODAY)
    with pytest.raises(UsageError):
        erasure.delete_case(desk, org.id, keep.id)
    assert desk.get_case(org.id, keep.id).notes.startswith(KEEP)


def test_delete_removes_the_case_its_code_and_every_trace(desk, scene):
    org, target = scene["org"], scene["target"]
    code = erasure.delete_case(desk, org.id, target.id)
    assert code == target.code
    with pytest.raises(NotFound):
        desk.get_case(org.id, target.id)
    conn = desk.conn(org.id)
    for table in ("case_values", "consultations", "subject_hashes"):
        assert (
            conn.execute(
                f"SELECT count(*) FROM {table} WHERE case_id = ?", (target.id,)
            ).fetchone()[0]
            == 0
        )
    assert desk.drafts() == {}
    assert ("case.delete", code) in audit_events(conn)
    # Never counted again: the report counts only the case that stays.
    assert coded_aggregates(desk, org.id, 2026)["primary_behaviour"] == [("bullying", 1)]
    assert [s.code for s in desk.list_cases(org.id)] == [scene["keep"].code]
    # Its code is never handed out again.
    again = add_case(desk, org.id, "2026-03-01")
    assert again.code not in (code, scene["keep"].code)
    assert again.code == "2026-003"
    desk = _assert_gone_from_disk(desk, (NOTE, CONTACT, DRAFT, "intimidation"))
    desk.close()


def test_a_deletion_after_a_final_report_is_checked_by_the_ledger(desk):
    """k = 3: six cases issued, one deleted -> 5; the difference isolates one case."""
    org = add_org(desk, "Ledger BV", employees=200, threshold=3)
    cases = [
        add_case(desk, org.id, f"2025-0{m}-01", behaviours=(b,))
        for m, b in zip(range(1, 7), ["bullying"] * 3 + ["intimidation"] * 3)
    ]
    first = reporting.export(desk, org.id, 2025, "json", final=True, today=TODAY)
    assert first.ledger == "recorded"
    erasure.delete_case(desk, org.id, cases[0].id)
    with pytest.raises(LedgerConflict):
        reporting.export(desk, org.id, 2025, "json", final=True, today=TODAY)
    withheld = reporting.export(desk, org.id, 2025, "json", final=True, withhold=True, today=TODAY)
    assert withheld.withheld


def test_cli_delete_and_destroy(desk, data_dir, scene):
    org, target, keep = scene["org"], scene["target"], scene["keep"]
    desk.close()
    refused = run_cli("case", "delete", org.name, target.code, data_dir=data_dir)
    assert refused.returncode == 2 and "--yes" in refused.stderr
    missing = run_cli("case", "destroy", org.name, "2026-999", "--yes", data_dir=data_dir)
    assert missing.returncode == 2 and "Traceback" not in missing.stderr

    done = run_cli("case", "destroy", org.name, keep.code, "--yes", data_dir=data_dir)
    assert done.returncode == 0, done.stderr
    assert keep.code in done.stdout and KEEP not in done.stdout + done.stderr
    deleted = run_cli("case", "delete", org.name, target.code, "--yes", data_dir=data_dir)
    assert deleted.returncode == 0, deleted.stderr
    nl = run_cli("--lang", "nl", "case", "destroy", org.name, keep.code, "--yes", data_dir=data_dir)
    assert nl.returncode == 2 and "Traceback" not in nl.stderr

    with Desk.open(data_dir, PASSPHRASE) as again:
        assert [c.code for c in again.list_cases(org.id)] == [keep.code]
        tomb = again.get_case(org.id, keep.id)
        assert tomb.destroyed is not None and tomb.notes == ""
        events = audit_events(again.conn(org.id))
        assert ("case.delete", target.code) in events
        assert ("case.destroy_request", keep.code) in events
    assert run_cli("verify", data_dir=data_dir).returncode == 0
