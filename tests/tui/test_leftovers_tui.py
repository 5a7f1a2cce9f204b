"""The app's side of issue 11 item 9: a data folder others can read is
warned about after unlock, and first-run setup never moves into a folder that
holds someone else's files."""

from __future__ import annotations

import os

import pytest
from textual.widgets import Input

from tests.portable import assert_mode
from tests.tui.cases_support import screen_text
from tests.tui.conftest import SIZE, make_app, unlock, wait_for
from vp_desk.tui.screens.setup import SetupScreen

pytestmark = pytest.mark.asyncio

STRONG = "Zeven zwanen zwemmen zachtjes zuidwaarts"


async def test_a_folder_readable_by_others_is_warned_about_after_unlock(sample_dir):
    os.chmod(sample_dir, 0o755)
    app = make_app(sample_dir)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        assert any("andere gebruikers" in n.message for n in app._notifications)


async def test_a_private_folder_gets_no_warning(sample_dir):
    os.chmod(sample_dir, 0o700)
    app = make_app(sample_dir)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        assert not any("andere gebruikers" in n.message for n in app._notifications)


async def test_setup_refuses_a_foreign_folder_and_changes_nothing(tmp_path):
    foreign = tmp_path / "Documenten"
    foreign.mkdir()
    os.chmod(foreign, 0o755)
    (foreign / "brief.txt").write_text("van mij")
    app = make_app(foreign)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, SetupScreen))
        app.screen.query_one("#new-passphrase", Input).value = STRONG
        repeat = app.screen.query_one("#repeat-passphrase", Input)
        repeat.value = STRONG
        await pilot.pause()
        repeat.focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: "geen vp_desk-gegevensmap" in screen_text(app))
        assert app.desk is None
    assert sorted(p.name for p in foreign.iterdir()) == ["brief.txt"]
    assert_mode(foreign, 0o755)
