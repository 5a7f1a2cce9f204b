"""Issue 13 ("A desk for the whole working day"), the TUI parts: drafts of every
form over a lock, no stray shortcuts while typing, exports that never replace a
file unasked, whole contact notes on the case view, and the small things.
Every assertion is on what the Desk stored, what was written, or what is shown."""

from __future__ import annotations

from datetime import date

import pytest
from textual.widgets import Input, TextArea

from tests.conftest import PASSPHRASE
from tests.tui.cases_support import (
    TODAY,
    add_case,
    add_contact,
    run_screen,
    screen_text,
    settle,
)
from tests.tui.conftest import wait_for
from vp_desk.tui.screens.case_view import CaseViewScreen
from vp_desk.tui.screens.consultation_form import ConsultationFormScreen

pytestmark = pytest.mark.asyncio


async def type_text(pilot, selector: str, text: str) -> None:
    widget = pilot.app.screen.query_one(selector)
    widget.focus()
    await pilot.pause()
    await pilot.press(*text)
    await pilot.pause()


async def wait_locked(pilot) -> None:
    await wait_for(pilot, lambda: pilot.app.is_locked)


async def unlock_to_offer(pilot) -> None:
    """Unlock with the passphrase and wait for the drafts offered back (bounded)."""
    from vp_desk.tui.screens.restore_drafts import RestoreDraftsDialog

    app = pilot.app
    await wait_for(pilot, lambda: app.screen.query("#passphrase"))
    app.screen.query_one("#passphrase", Input).value = PASSPHRASE
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, RestoreDraftsDialog), timeout=10)


# -- item 1: every form with typed text comes back after a lock ----------------------------


@pytest.mark.parametrize("how", ["ctrl+l", "auto-lock"])
async def test_a_half_typed_contact_moment_comes_back_after_a_lock(desk, org, how):
    case = add_case(desk, org.id, date(2026, 1, 5))
    async with run_screen(
        desk, org.id, lambda: CaseViewScreen(org.id, case.id, today=TODAY)
    ) as pilot:
        app = pilot.app
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, ConsultationFormScreen)
        await type_text(pilot, "#minutes", "35")
        await type_text(pilot, "#notes", "Gesprek over het rooster")
        if how == "ctrl+l":
            await pilot.press("ctrl+l")
        else:
            app.auto_lock_seconds = 0.1
        await wait_locked(pilot)
        assert not any(isinstance(s, ConsultationFormScreen) for s in app.screen_stack)
        app.auto_lock_seconds = 300
        await unlock_to_offer(pilot)
        offer = screen_text(app)
        assert "Contactmoment" in offer and "2026-001" in offer
        assert "rooster" not in offer  # the offer names the case, never the note
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ConsultationFormScreen) and form.case_id == case.id
        assert form.query_one("#notes", TextArea).text == "Gesprek over het rooster"
        assert form.query_one("#minutes", Input).value == "35"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CaseViewScreen) and app.screen.case_id == case.id
        assert app.desk.drafts() == {}
    [stored] = desk.get_case(org.id, case.id).consultations
    assert (stored.notes, stored.minutes, stored.date) == ("Gesprek over het rooster", 35, TODAY)


async def test_editing_a_contact_moment_comes_back_after_a_lock(desk, org):
    case = add_case(desk, org.id, date(2026, 1, 5))
    contact = add_contact(desk, org.id, case.id, date(2026, 2, 1), 20, "Eerste")
    async with run_screen(
        desk, org.id, lambda: CaseViewScreen(org.id, case.id, today=TODAY)
    ) as pilot:
        app = pilot.app
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ConsultationFormScreen)
        notes = app.screen.query_one("#notes", TextArea)
        notes.focus()
        await pilot.press("end", *" en tweede")
        await pilot.press("ctrl+l")
        await wait_locked(pilot)
        await unlock_to_offer(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.query_one("#notes", TextArea).text == "Eerste en tweede"
        await pilot.press("ctrl+s")
        await settle(pilot)
    [stored] = desk.get_case(org.id, case.id).consultations
    assert stored.id == contact.id and stored.notes == "Eerste en tweede"
