"""Hostile organisation names on every screen of the shell: shown literally,
never as markup, never as terminal escapes, and nothing crashes.

The names are written straight into the index vault as well, past the
domain's own cleaning, as an imported or older vault might hold them.
"""

from __future__ import annotations

import pytest
from textual.command import CommandPalette

from tests.tui.cases_support import screen_output, screen_text
from tests.tui.conftest import HOSTILE_NAMES, SIZE, make_app, relock, settle, unlock, wait_for
from vp_desk.domain.models import OrganisationInput
from vp_desk.services.desk import Desk
from vp_desk.tui.dialogs.restore_drafts import RestoreDraftsDialog
from vp_desk.tui.screens.dashboard import DashboardScreen
from vp_desk.tui.screens.help import HelpScreen
from vp_desk.tui.screens.organisations import OrgFormScreen, OrgSwitcher
from vp_desk.tui.screens.settings import SettingsScreen
from vp_desk.tui.textual_compat import notifications

pytestmark = pytest.mark.asyncio

#: What must be visible, character for character.
LITERAL = [
    "[link=https://x]y[/link]",
    "[@click=app.quit]x[/]",
    "[/",
    "Evil]52;c;aGk=Corp",
    "Wipe[2JBV",
    "C1Stichting",
    "Bidi BV",
]
#: What must never reach the terminal.
FORBIDDEN = ["\x1b]52", "\x1b[2J", "\x9b", "\u202e", "\x07"]


@pytest.fixture
def hostile_dir(empty_dir):
    from tests.conftest import PASSPHRASE

    with Desk.open(empty_dir, PASSPHRASE) as desk:
        for i, name in enumerate(HOSTILE_NAMES):
            org = desk.add_organisation(OrganisationInput(f"org {i}", employees=10))
            # Past the domain's cleaning, as an older or imported vault may hold it.
            with desk.vault.transaction(desk.index):
                desk.index.execute("UPDATE organisations SET name = ? WHERE id = ?", (name, org.id))
        stored = [o.name for o in desk.organisations()]
    assert any("\x1b" in n for n in stored), "the raw names are really in the vault"
    return empty_dir


def check_screen(app) -> str:
    text = screen_text(app)
    output = screen_output(app)
    for bad in FORBIDDEN:
        assert bad not in output
    return text


async def test_hostile_names_on_the_dashboard_switcher_form_settings_and_palette(hostile_dir):
    app = make_app(hostile_dir)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        text = check_screen(app)
        for name in LITERAL:
            assert name in text
        # Click on the row that shows "[@click=app.quit]x[/]": nothing runs.
        table = app.screen.query_one("#dash-table")
        for row in range(table.row_count):
            table.move_cursor(row=row)
            await pilot.pause()
            check_screen(app)
        await pilot.click("#dash-table", offset=(4, 2))
        await pilot.pause()
        assert app.is_running and app.desk is not None

        await pilot.press("o")
        await wait_for(pilot, lambda: isinstance(app.screen, OrgSwitcher))
        text = check_screen(app)
        for name in LITERAL:
            assert name in text
        await pilot.press("enter")  # choose one: the notice names it literally
        await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen))
        assert any(n.markup is False for n in notifications(app))

        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, OrgFormScreen))
        check_screen(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen))

        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen))
        text = check_screen(app)
        for name in LITERAL:
            assert name in text

        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
        for ch in "link":
            await pilot.press(ch)
        await wait_for(pilot, lambda: "[link=https://x]y[/link]" in screen_text(app))
        check_screen(app)
        await pilot.press("escape")
        await pilot.pause()

        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        check_screen(app)
        assert app.is_running


async def test_hostile_draft_title_and_reminders(hostile_dir):
    app = make_app(hostile_dir)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, OrgFormScreen))
        app.screen.query_one("#org-name").value = "[@click=app.quit]nieuw[/] \x1b]52;c;aGk=\x07"
        await relock(pilot)
        await wait_for(pilot, lambda: isinstance(app.screen, RestoreDraftsDialog))
        await settle(pilot)
        text = check_screen(app)
        assert "[@click=app.quit]nieuw[/]" in text
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, OrgFormScreen))
        check_screen(app)
        assert app.screen.query_one("#org-name").value == "[@click=app.quit]nieuw[/] ]52;c;aGk="
        assert app.is_running


async def test_pasted_escapes_are_removed_before_any_field_shows_them(sample_dir):
    from textual import events

    app = make_app(sample_dir)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, OrgFormScreen))
        app.post_message(events.Paste("\x1b]52;c;aGk=\x07Acme\u202e BV\x9b\x1b[2J"))
        await pilot.pause()
        assert app.screen.query_one("#org-name").value == "]52;c;aGk=Acme BV[2J"
        check_screen(app)
