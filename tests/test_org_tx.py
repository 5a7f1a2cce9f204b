"""Desk.org_tx: a change and its audit row commit or roll back together (issue 14 item 5)."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import PASSPHRASE
from vp_desk.domain.models import ActivityInput
from vp_desk.errors import NotFound
from vp_desk.services.desk import Desk
from vp_desk.vault import audit


def _events(desk: Desk, org_id: int) -> list[tuple[str, str]]:
    return [(r.event, r.subject) for r in audit.rows(desk.conn(org_id))]


def test_change_and_audit_row_commit_together(desk, org, data_dir):
    act = desk.add_activity(org.id, ActivityInput(date(2026, 3, 2), "awareness", 60, "x"))
    desk.close()
    again = Desk.open(data_dir, PASSPHRASE)
    try:
        assert [a.id for a in again.list_activities(org.id)] == [act.id]
        assert ("activity.add", f"activity {act.id}") in _events(again, org.id)
        assert audit.verify(again.conn(org.id), again.vault.ring.audit_key(org.vault_id)) == []
    finally:
        again.close()


def test_failed_change_leaves_neither_change_nor_audit_row(desk, org):
    before = _events(desk, org.id)
    with pytest.raises(RuntimeError), desk.org_tx(org.id, "activity.add", "activity 1") as tx:
        tx.conn.execute(
            "INSERT INTO activities(date, kind, minutes, notes) VALUES (?,?,?,?)",
            ("2026-03-02", "awareness", 60, ""),
        )
        raise RuntimeError("boom")
    assert desk.list_activities(org.id) == []
    assert _events(desk, org.id) == before


def test_refused_update_writes_no_audit_row(desk, org):
    before = _events(desk, org.id)
    with pytest.raises(NotFound):
        desk.update_activity(org.id, 999, ActivityInput(date(2026, 3, 2), "awareness", 60, ""))
    assert _events(desk, org.id) == before


def test_index_tx_subject_set_in_body(desk):
    with desk.index_tx("settings.change") as tx:
        tx.subject = "late subject"
    rows = audit.rows(desk.index)
    assert (rows[0].event, rows[0].subject) == ("settings.change", "late subject")
