"""The guarded desk the app hands to its screens: closing it (a lock) while a
worker thread is inside a query must wait, not crash the process."""

from __future__ import annotations

import threading

import pytest

from tests.conftest import PASSPHRASE
from vp_desk.services.desk import Desk
from vp_desk.tui.desk_guard import DeskGuard, DeskLocked


def test_closing_a_guarded_desk_waits_for_a_worker_inside_it(sample_dir):
    """Closing a connection under a running query crashes sqlite3; the guard waits."""
    guard = DeskGuard(Desk.open(sample_dir, PASSPHRASE))
    org_ids = [o.id for o in guard.organisations()]
    started, outcome = threading.Event(), []

    def worker() -> None:
        try:
            while True:
                for org_id in org_ids:
                    guard.list_cases(org_id)
                    guard.org_stats(guard.organisation(org_id))
                started.set()
        except DeskLocked:
            outcome.append("locked")
        except Exception as exc:  # pragma: no cover - the failure this test is about
            outcome.append(repr(exc))

    thread = threading.Thread(target=worker)
    thread.start()
    started.wait(10)
    assert guard.close(timeout=10)
    thread.join(10)
    assert outcome == ["locked"]
    assert guard.closed and guard.vault.ring.keys == {}
    with pytest.raises(DeskLocked):
        guard.organisations()
