"""Snapshots of the shell's screens at 120x36, Dutch (and English where it
matters most), with synthetic data and a fixed date (18 March 2026).

Update after a deliberate change with ``pytest tests/tui/test_shell_snapshots.py
--snapshot-update`` and look at the report before committing.
"""

from __future__ import annotations

import pytest
from textual.widgets import Input

from tests.tui.cases_support import no_blink
from tests.tui.conftest import SIZE, make_app, settle, unlock, wait_for
from vp_desk.tui.dialogs.confirm import ConfirmDialog
from vp_desk.tui.dialogs.restore_drafts import RestoreDraftsDialog
from vp_desk.tui.screens.help import HelpScreen
from vp_desk.tui.screens.organisations import OrgFormScreen, OrgSwitcher
from vp_desk.tui.screens.settings import SettingsScreen
from vp_desk.tui.screens.setup import SetupScreen
from vp_desk.tui.screens.unlock import UnlockScreen


@pytest.fixture(autouse=True)
def _home(tmp_path, monkeypatch):
    # Data folders live under tmp_path and show as "~/data-...": the same on every run.
    monkeypatch.setenv("HOME", str(tmp_path))


async def quiet(pilot) -> None:
    """Workers done, no notices, steady cursors: the same picture on every run."""
    await settle(pilot)
    pilot.app.clear_notifications()
    await no_blink(pilot)


async def dashboard(pilot) -> None:
    await unlock(pilot)
    await quiet(pilot)


def from_dashboard(key: str, screen_type: type, then=None):
    """A run_before: unlock, press ``key``, wait for ``screen_type``, then ``then(pilot)``."""

    async def run_before(pilot) -> None:
        await dashboard(pilot)
        await pilot.press(key)
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, screen_type))
        if then is not None:
            await then(pilot)
        await quiet(pilot)

    return run_before


def test_setup_nl(snap_compare, tmp_path):
    async def run_before(pilot):
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, SetupScreen))
        pilot.app.screen.query_one("#new-passphrase", Input).value = "wachtwoord123"
        await quiet(pilot)

    assert snap_compare(make_app(tmp_path / "data-new"), terminal_size=SIZE, run_before=run_before)


def test_unlock_wrong_passphrase_nl(snap_compare, sample_dir):
    async def run_before(pilot):
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, UnlockScreen))
        pilot.app.screen.query_one("#passphrase", Input).value = "niet de goede wachtzin"
        await pilot.press("enter")
        await wait_for(
            pilot,
            lambda: (
                not pilot.app.screen.busy
                and "klopt niet" in str(pilot.app.screen.query_one("#gate-message").render())
            ),
        )
        await quiet(pilot)

    assert snap_compare(make_app(sample_dir), terminal_size=SIZE, run_before=run_before)


def test_unlock_en(snap_compare, sample_dir):
    async def run_before(pilot):
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, UnlockScreen))
        await quiet(pilot)

    assert snap_compare(make_app(sample_dir, lang="en"), terminal_size=SIZE, run_before=run_before)


def test_locked_nl(snap_compare, sample_dir):
    async def run_before(pilot):
        await dashboard(pilot)
        await pilot.press("ctrl+l")
        await wait_for(pilot, lambda: pilot.app.is_locked)
        await quiet(pilot)

    assert snap_compare(make_app(sample_dir), terminal_size=SIZE, run_before=run_before)


def test_dashboard_nl(snap_compare, sample_dir):
    assert snap_compare(make_app(sample_dir), terminal_size=SIZE, run_before=dashboard)


def test_dashboard_en(snap_compare, sample_dir):
    assert snap_compare(make_app(sample_dir, lang="en"), terminal_size=SIZE, run_before=dashboard)


def test_dashboard_empty_nl(snap_compare, empty_dir):
    assert snap_compare(make_app(empty_dir), terminal_size=SIZE, run_before=dashboard)


def test_org_switcher_nl(snap_compare, sample_dir):
    assert snap_compare(
        make_app(sample_dir), terminal_size=SIZE, run_before=from_dashboard("o", OrgSwitcher)
    )


def test_org_form_with_messages_nl(snap_compare, sample_dir):
    async def save_bad(pilot):
        pilot.app.screen.query_one("#org-threshold", Input).value = "2"
        await pilot.press("ctrl+s")

    assert snap_compare(
        make_app(sample_dir),
        terminal_size=SIZE,
        run_before=from_dashboard("n", OrgFormScreen, save_bad),
    )


def test_confirm_discard_nl(snap_compare, sample_dir):
    async def change_and_leave(pilot):
        pilot.app.screen.query_one("#org-employees", Input).value = "15"
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ConfirmDialog))

    assert snap_compare(
        make_app(sample_dir),
        terminal_size=SIZE,
        run_before=from_dashboard("e", OrgFormScreen, change_and_leave),
    )


def test_settings_nl(snap_compare, sample_dir):
    assert snap_compare(
        make_app(sample_dir), terminal_size=SIZE, run_before=from_dashboard("s", SettingsScreen)
    )


def test_help_nl(snap_compare, sample_dir):
    assert snap_compare(
        make_app(sample_dir), terminal_size=SIZE, run_before=from_dashboard("f1", HelpScreen)
    )


def test_restore_drafts_nl(snap_compare, sample_dir):
    async def lock_with_a_draft(pilot):
        pilot.app.screen.query_one("#org-name", Input).value = "Woningcorporatie Thuis"
        await pilot.press("ctrl+l")
        await wait_for(pilot, lambda: pilot.app.is_locked)
        await unlock(pilot)
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, RestoreDraftsDialog))

    assert snap_compare(
        make_app(sample_dir),
        terminal_size=SIZE,
        run_before=from_dashboard("n", OrgFormScreen, lock_with_a_draft),
    )
