"""Notices (toasts) are drawn without crashing the app.

Pilot runs apps with notifications off by default, so a notice that Textual
cannot draw (a ``rich.text.Text`` handed to ``notify``) went unnoticed by the
other tests while the real app died on the first "Case ... saved." These run
with notifications on and let every notice be drawn.
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import PASSPHRASE
from tests.tui.cases_support import add_case, open_screen, settle, tick
from vp_desk.tui.app import VpDeskApp
from vp_desk.tui.screens.case_view import CaseViewScreen
from vp_desk.tui.screens.cases import CaseListScreen
from vp_desk.tui.textual_compat import toast_class
from vp_desk.vault.store import DataFolder

pytestmark = pytest.mark.asyncio
Toast = toast_class()
TODAY = date(2026, 3, 16)


def toasts(app) -> list[str]:
    return [str(t.render()) for t in app.screen.query(Toast)]


async def test_saving_a_case_and_copying_its_code_show_their_notices(desk, org):
    case = add_case(desk, org.id, date(2026, 3, 2), ("bullying",))
    path = desk.vault.folder.path
    desk.close()
    app = VpDeskApp(path, "en", today=TODAY)
    try:
        async with app.run_test(size=(120, 36), notifications=True) as pilot:
            await open_screen(pilot, org.id, lambda: CaseListScreen(org.id, today=TODAY))
            await pilot.press("n")
            await settle(pilot)
            await tick(pilot, "#behaviours", "intimidation")
            await pilot.press("ctrl+s")
            await settle(pilot)
            await pilot.pause(0.2)
            assert isinstance(app.screen, CaseViewScreen)
            assert any("Case 2026-002 saved." in t for t in toasts(app))
            await pilot.press("y")  # copy the code: another notice
            await settle(pilot)
            await pilot.pause(0.2)
            assert any("2026-002" in t and "Case 2026-002 saved." not in t for t in toasts(app))
            assert app.is_running
    finally:
        desk.vault = DataFolder(path).unlock(PASSPHRASE)
    assert [c.code for c in desk.list_cases(org.id)] == ["2026-002", case.code]
