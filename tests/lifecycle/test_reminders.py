"""What the desk says right after unlocking: broken audit trail, cases past
retention, an old or missing backup."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from tests.lifecycle.helpers import TODAY, add_case, add_org
from vp_desk.services import backup, retention
from vp_desk.services.reminders import unlock_reminders

NOTE = "REMINDER-NOTE-3c5v"


def _kinds(desk, today=TODAY):
    return [r.kind for r in unlock_reminders(desk, today)]


def _backup_at(desk, when: datetime) -> None:
    backup.record_backup(desk, when.isoformat(timespec="seconds"))


def test_backup_never_then_fresh_then_old(desk):
    assert _kinds(desk) == ["backup"]
    first = unlock_reminders(desk, TODAY)[0]
    assert "nooit" in first.nl and "No backup" in first.en
    _backup_at(desk, datetime(2026, 5, 28, 22, 0, tzinfo=UTC))
    assert _kinds(desk) == []
    assert _kinds(desk, date(2026, 6, 4)) == []  # 7 days: still fine
    old = unlock_reminders(desk, date(2026, 6, 5))  # 8 days
    assert [r.kind for r in old] == ["backup"]
    assert "8 dagen" in old[0].nl and "8 days" in old[0].en


def test_cases_past_retention_are_counted_per_organisation(desk):
    _backup_at(desk, datetime(2026, 5, 31, tzinfo=UTC))
    a = add_org(desk, "Alfa Zorg", retention_months=6)
    b = add_org(desk, "Beta Bouw", retention_months=12)
    add_case(desk, a.id, "2025-01-01", closed="2025-02-01", notes=NOTE)
    add_case(desk, a.id, "2025-03-01", closed="2025-04-01", notes=NOTE)
    held = add_case(desk, b.id, "2025-01-01", closed="2025-02-01", notes=NOTE)
    add_case(desk, b.id, "2025-01-01", closed="2025-02-02")
    retention.set_legal_hold(desk, b.id, held.id, "Lopende procedure")
    reminders = unlock_reminders(desk, TODAY)
    assert [r.kind for r in reminders] == ["retention"]
    text = reminders[0]
    assert text.en.startswith("3 cases are past the retention period")
    assert "Alfa Zorg: 2" in text.en and "Beta Bouw: 1" in text.en
    assert text.nl.startswith("3 dossiers zijn over de bewaartermijn")
    assert NOTE not in text.en + text.nl


def test_a_broken_audit_trail_is_reported(desk):
    _backup_at(desk, datetime(2026, 5, 31, tzinfo=UTC))
    org = add_org(desk, "Gamma Groep")
    add_case(desk, org.id, "2025-01-01")
    add_case(desk, org.id, "2025-01-02")
    assert _kinds(desk) == []
    desk.conn(org.id).execute("UPDATE audit SET subject = '2025-009' WHERE seq = 2")
    reminders = unlock_reminders(desk, TODAY)
    assert [r.kind for r in reminders] == ["audit"]
    assert "Gamma Groep" in reminders[0].en and "audit row 2 was changed" in reminders[0].en
    assert "audittrail" in reminders[0].nl
    desk.index.execute("DELETE FROM audit WHERE seq = (SELECT max(seq) FROM audit)")
    assert _kinds(desk) == ["audit", "audit"]


def test_timezone_of_the_stored_time_does_not_matter(desk):
    _backup_at(desk, datetime.now(timezone(timedelta(hours=2))))
    assert "backup" not in _kinds(desk, date.today())
