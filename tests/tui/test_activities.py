"""The activity log driven with real keys; assertions on what the Desk stored."""

from __future__ import annotations

from datetime import date

import pytest
from textual.widgets import Label, Static

from tests.tui.cases_support import (
    HOSTILE_NOTE,
    TODAY,
    add_activity,
    choose,
    run_screen,
    screen_output,
    screen_text,
    settle,
)
from vp_desk.tui.screens.activities import ActivityFormScreen, ActivityScreen

pytestmark = pytest.mark.asyncio


def activity_log(desk, org, lang="nl"):
    return run_screen(desk, org.id, lambda: ActivityScreen(org.id, today=TODAY), lang)


async def test_log_edit_and_delete_an_activity(desk, org):
    async with activity_log(desk, org) as pilot:
        app = pilot.app
        await settle(pilot)
        assert "Nog geen activiteiten in 2026." in screen_text(app)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, ActivityFormScreen)
        await pilot.press("tab", *"90")  # date stays today
        await choose(pilot, "#kind", "awareness")
        app.screen.query_one("#notes").focus()
        await pilot.press(*"Workshop voor teamleiders")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ActivityScreen)
        [stored] = app.desk.list_activities(org.id)
        assert (stored.date, stored.kind, stored.minutes, stored.notes) == (
            TODAY,
            "awareness",
            90,
            "Workshop voor teamleiders",
        )
        totals = screen_text(app)
        assert "Uren per soort in 2026" in totals and "1,5 u" in totals

        await pilot.press("enter")  # edit the selected row
        await settle(pilot)
        app.screen.query_one("#minutes").focus()
        await pilot.press("end", "ctrl+u", *"2000", "ctrl+s")
        await settle(pilot)
        assert (
            str(app.screen.query_one("#err-minutes", Label).content)
            == "Minuten moeten tussen 0 en 1440 liggen."
        )
        await pilot.press("ctrl+u", *"120")
        await choose(pilot, "#kind", "management_advice")
        await pilot.press("ctrl+s")
        await settle(pilot)
        [stored] = app.desk.list_activities(org.id)
        assert (stored.kind, stored.minutes) == ("management_advice", 120)

        await pilot.press("d")
        await settle(pilot)
        await pilot.press("n")  # "no": kept
        await settle(pilot)
        assert len(app.desk.list_activities(org.id)) == 1
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
    assert desk.list_activities(org.id) == []


async def test_hours_per_type_for_the_chosen_year(desk, org):
    add_activity(desk, org.id, date(2025, 6, 1), "awareness", 60)
    add_activity(desk, org.id, date(2026, 1, 10), "awareness", 120)
    add_activity(desk, org.id, date(2026, 2, 10), "awareness", 30)
    add_activity(desk, org.id, date(2026, 3, 1), "signalling", 45)
    async with activity_log(desk, org, lang="en") as pilot:
        app = pilot.app
        await settle(pilot)
        totals = app.screen.query_one("#activity-totals", Static)
        text = screen_text(app)
        assert "Awareness / training" in text and "2.5 h" in text
        assert "Signalling of patterns" in text and "0.8 h" in text and "3.2 h" in text
        await choose(pilot, "#activity-year", 2025)
        await settle(pilot)
        text = screen_text(app)
        assert "Hours per type in 2025" in text and "1.0 h" in text
        assert "2026-01-10" not in text and "2025-06-01" in text
        assert totals.is_mounted


async def test_unsaved_activity_asks_before_leaving(desk, org):
    async with activity_log(desk, org) as pilot:
        app = pilot.app
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("tab", *"30", "escape")
        await settle(pilot)
        assert "niet-opgeslagen wijzigingen" in screen_text(app)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, ActivityScreen)
    assert desk.list_activities(org.id) == []


async def test_hostile_activity_notes_shown_literally(desk, org):
    add_activity(desk, org.id, date(2026, 2, 1), "visibility", 30, "x")
    desk.conn(org.id).execute("UPDATE activities SET notes = ?", (HOSTILE_NOTE,))
    async with activity_log(desk, org) as pilot:
        app = pilot.app
        await settle(pilot)
        assert "[link=https://x]y[/link]" in screen_text(app)
        output = screen_output(app)
        await pilot.press("enter")
        await settle(pilot)
        text = screen_text(app)
        output += screen_output(app)
        assert app.is_running
    assert "[@click=app.quit]x[/]" in text
    for bad in ("\x1b]", "\x1b[2J", "\x9b", "\u202e", "\x07"):
        assert bad not in output, repr(bad)
