"""Item 6 of issue 13 in the app: delete a case logged by mistake and destroy a case
at the melder's request from the case view, each after a confirmation; the
assertions are on what the vault holds afterwards."""

from __future__ import annotations

from datetime import date

import pytest

from tests.lifecycle.helpers import audit_events
from tests.tui.cases_support import TODAY, add_case, add_contact, run_screen, settle
from vp_desk.errors import NotFound
from vp_desk.tui.dialogs.confirm import ConfirmDialog
from vp_desk.tui.screens.case_view import CaseViewScreen

pytestmark = pytest.mark.asyncio

NOTE = "NOTE-INDIA-2x7c"


async def test_delete_a_case_logged_by_mistake(desk, org):
    wrong = add_case(desk, org.id, date(2026, 3, 1), notes=NOTE)
    keep = add_case(desk, org.id, date(2026, 3, 2))
    async with run_screen(
        desk, org.id, lambda: CaseViewScreen(org.id, wrong.id, today=TODAY)
    ) as pilot:
        app = pilot.app
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")  # refused: nothing changes
        await settle(pilot)
        assert app.desk.get_case(org.id, wrong.id).notes == NOTE
        await pilot.press("w")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert not isinstance(app.screen, CaseViewScreen)
    with pytest.raises(NotFound):
        desk.get_case(org.id, wrong.id)
    assert [c.code for c in desk.list_cases(org.id)] == [keep.code]
    assert ("case.delete", wrong.code) in audit_events(desk.conn(org.id))


async def test_destroy_a_case_now_on_request(desk, org):
    case = add_case(desk, org.id, date(2026, 2, 1), notes=NOTE)
    add_contact(desk, org.id, case.id, date(2026, 2, 3), 40, notes=NOTE)
    async with run_screen(
        desk, org.id, lambda: CaseViewScreen(org.id, case.id, today=TODAY), lang="en"
    ) as pilot:
        app = pilot.app
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, CaseViewScreen)
        assert app.screen.case.destroyed == TODAY
    tomb = desk.get_case(org.id, case.id)
    assert tomb.notes == "" and [c.notes for c in tomb.consultations] == [""]
    assert (tomb.status, tomb.closed, tomb.behaviours) == ("closed", TODAY, case.behaviours)
    assert ("case.destroy_request", case.code) in audit_events(desk.conn(org.id))
