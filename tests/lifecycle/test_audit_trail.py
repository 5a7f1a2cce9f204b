"""The audit trail: every change and access event leaves a row without
content, and `vp-desk verify` (exit 1) catches a changed, deleted (also the
last) or reordered row, in the index and in an organisation's vault."""

from __future__ import annotations

import pytest

from tests.conftest import PASSPHRASE, run_cli
from tests.lifecycle.helpers import TODAY, add_activity, add_case, add_org, audit_events
from vp_desk.domain.models import ConsultationInput
from vp_desk.services import backup, dossier, handover, retention
from vp_desk.services.desk import Desk
from vp_desk.vault import audit

SECRET = "GEHEIM-audit-6b1c"


def _busy_desk(desk: Desk):
    org = add_org(desk, "Audit Proef BV")
    case = add_case(desk, org.id, "2024-02-01", notes=f"{SECRET} notitie")
    desk.add_consultation(org.id, case.id, ConsultationInput("2024-02-03", 30, "phone", SECRET))
    add_activity(desk, org.id, "2024-02-05", 60, SECRET)
    desk.close_case(org.id, case.id, "2024-03-01", "resolved_self")
    return org, desk.get_case(org.id, case.id)


def test_changes_and_access_events_leave_rows_without_content(desk, tmp_path):
    org, case = _busy_desk(desk)
    retention.set_legal_hold(desk, org.id, case.id, f"{SECRET} reden")
    retention.clear_legal_hold(desk, org.id, case.id)
    dossier.export_dossier(desk, org.id, case.id, "md", tmp_path / "d.md", "nl")
    from vp_desk.services import reporting

    reporting.export(desk, org.id, 2024, "md", tmp_path / "r.md", final=True, confirm_text=True)
    backup.create_backup(desk, tmp_path / "b.vpb")
    handover.export_organisation(desk, org.id, tmp_path / "h.vph")
    retention.destroy_cases(desk, org.id, [case.id], TODAY)

    org_events = [e for e, _ in audit_events(desk.conn(org.id))]
    for event in (
        "vault.create",
        "case.create",
        "consultation.add",
        "activity.add",
        "case.close",
        "case.hold",
        "case.unhold",
        "export",
        "report",
        "handover.export",
        "case.destroy",
    ):
        assert event in org_events, event
    index_events = [e for e, _ in audit_events(desk.index)]
    for event in ("datafolder.create", "org.add", "backup", "handover.export", "report.final"):
        assert event in index_events, event
    everything = [r for conn in (desk.index, desk.conn(org.id)) for r in audit.rows(conn)]
    for row in everything:
        assert SECRET not in row.event + row.subject
        assert "Audit Proef" not in row.subject
    assert desk.verify() == []


def _rows(conn):
    return conn.execute(
        "SELECT seq, time, event, subject, prev_tag, tag FROM audit ORDER BY seq"
    ).fetchall()


def _change(conn):
    conn.execute("UPDATE audit SET subject = subject || 'x' WHERE seq = 2")


def _delete_middle(conn):
    conn.execute("DELETE FROM audit WHERE seq = 2")


def _delete_last(conn):
    conn.execute("DELETE FROM audit WHERE seq = (SELECT max(seq) FROM audit)")


def _reorder(conn):
    conn.execute("UPDATE audit SET seq = -1 WHERE seq = 2")
    conn.execute("UPDATE audit SET seq = 2 WHERE seq = 3")
    conn.execute("UPDATE audit SET seq = 3 WHERE seq = -1")


def _rewrite_event(conn):
    conn.execute("UPDATE audit SET event = 'case.update' WHERE seq = 3")


TAMPERS = {
    "changed": _change,
    "deleted": _delete_middle,
    "last deleted": _delete_last,
    "reordered": _reorder,
    "event rewritten": _rewrite_event,
}


@pytest.mark.parametrize("where", ["org", "index"])
@pytest.mark.parametrize("tamper", list(TAMPERS))
def test_verify_detects_tampering(desk, data_dir, where, tamper):
    org, _case = _busy_desk(desk)
    # A few more index rows, so the middle and the end are different rows.
    desk.set_setting("lang", "nl")
    desk.set_setting("auto_lock", "300")
    conn = desk.index if where == "index" else desk.conn(org.id)
    before = _rows(conn)
    assert len(before) >= 4
    TAMPERS[tamper](conn)
    assert _rows(conn) != before
    desk.close()
    result = run_cli("verify", data_dir=data_dir)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "audit" in result.stderr
    assert "index vault" in result.stderr if where == "index" else "organisation" in result.stderr
    assert "Traceback" not in result.stderr and SECRET not in result.stderr


def test_verify_passes_on_an_untouched_trail(desk, data_dir):
    _busy_desk(desk)
    desk.close()
    result = run_cli("verify", data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    with Desk.open(data_dir, PASSPHRASE) as again:
        assert again.verify() == []
