"""Dutch everywhere in the app (issue 13 item 10): an error of the services reaches a
Dutch user in Dutch (vp_desk.i18n.error_text), an English user in English."""

from __future__ import annotations

from datetime import date

import pytest

from tests.tui.cases_support import add_case, run_screen, settle
from vp_desk.services import erasure
from vp_desk.tui.dialogs.case_dialogs import CloseCaseScreen
from vp_desk.tui.screens.case_view import CaseViewScreen
from vp_desk.tui.textual_compat import notifications

pytestmark = pytest.mark.asyncio


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("nl", "Die melding bestaat niet (meer)."), ("en", "That case does not exist (any more).")],
)
async def test_closing_a_case_gone_meanwhile_says_so_in_the_users_language(
    desk, org, lang, expected
):
    case = add_case(desk, org.id, date(2026, 3, 1))
    async with run_screen(
        desk, org.id, lambda: CaseViewScreen(org.id, case.id), lang=lang
    ) as pilot:
        app = pilot.app
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, CloseCaseScreen)
        # Gone behind the dialog's back (as after a deletion elsewhere).
        erasure.delete_case(app.unlocked_desk, org.id, case.id)
        app.screen.action_close_case()
        await settle(pilot)
        told = [str(n.message) for n in notifications(app)]
        assert expected in told, told
        assert isinstance(app.screen, CloseCaseScreen)  # nothing else happened
