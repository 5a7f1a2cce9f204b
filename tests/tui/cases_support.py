"""Helpers for the case and activity screen tests: synthetic data, fixed dates, an app.

``run_screen`` runs the real ``VpDeskApp``: unlocked with the passphrase,
the organisation chosen, and the screen under test opened on top.
"""

from __future__ import annotations

import io
import random
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import date

from rich.console import Console
from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input, Select, SelectionList

from tests.conftest import PASSPHRASE
from vp_desk.domain.models import ActivityInput, CaseInput, ConsultationInput
from vp_desk.services import synthetic
from vp_desk.tui.app import VpDeskApp
from vp_desk.tui.textual_compat import full_frame
from vp_desk.vault.store import DataFolder

TODAY = date(2026, 3, 16)
SIZE = (120, 36)
HOSTILE = [
    "[link=https://x]y[/link]",
    "[@click=app.quit]x[/]",
    "[/",
    "\x1b]52;c;aGk=\x07",
    "\x1b[2J",
    "\x9b",
    "\u202e",
]
HOSTILE_NOTE = " ".join(HOSTILE)


@asynccontextmanager
async def run_screen(
    desk,
    org_id: int,
    make_screen: Callable[[], Screen],
    lang: str = "nl",
    size: tuple[int, int] = SIZE,
) -> AsyncIterator[Pilot]:
    """Run the real ``VpDeskApp`` on ``desk``'s data folder, unlock it with real keys, pick
    ``org_id`` and open ``make_screen()``. The test's ``desk`` is closed meanwhile (one
    process per data folder) and open again afterwards, to check what was stored."""
    path = desk.vault.folder.path
    desk.close()
    app = VpDeskApp(path, lang, today=TODAY)
    try:
        async with app.run_test(size=size) as pilot:
            await open_screen(pilot, org_id, make_screen)
            yield pilot
    finally:
        desk.vault = DataFolder(path).unlock(PASSPHRASE)


async def open_screen(
    pilot: Pilot, org_id: int, make_screen: Callable[[], Screen], *, keep_offers: bool = False
) -> None:
    """Unlock the app with the passphrase (Enter), choose the organisation, push the screen.
    With ``keep_offers`` the dialogs shown after unlock (drafts) stay on top instead."""
    app = pilot.app
    while not app.screen.query("#passphrase"):
        await pilot.pause(0.02)
    app.screen.query_one("#passphrase", Input).value = PASSPHRASE
    await pilot.press("enter")
    while app.desk is None:
        await pilot.pause(0.02)
    await settle(pilot)
    if keep_offers:
        while not app.screen.is_modal:
            await pilot.pause(0.02)
        return
    for screen in app.screen_stack[1:]:  # reminders or drafts offered after unlock
        if screen.is_modal:
            app.pop_screen()
    app.clear_notifications()
    app.current_org_id = org_id
    app.push_screen(make_screen())
    await settle(pilot)


def add_case(
    desk,
    org_id: int,
    opened: date,
    behaviours=("bullying",),
    *,
    notes: str = "",
    closed: date | None = None,
    outcome: str | None = None,
    **extra,
):
    data = CaseInput(
        opened=opened,
        behaviours=list(behaviours),
        closed=closed,
        outcome=outcome,
        notes=notes,
        **extra,
    )
    return desk.create_case(org_id, data)


def add_contact(
    desk,
    org_id: int,
    case_id: int,
    when: date,
    minutes: int,
    notes: str = "",
    channel: str = "phone",
):
    return desk.add_consultation(org_id, case_id, ConsultationInput(when, minutes, channel, notes))


def add_activity(desk, org_id: int, when: date, kind: str, minutes: int, notes: str = ""):
    return desk.add_activity(org_id, ActivityInput(when, kind, minutes, notes))


def sample_cases(desk, org_id: int) -> list:
    """Six cases over two years with fixed dates: the data of the snapshots."""
    cases = [
        add_case(
            desk,
            org_id,
            date(2025, 2, 3),
            ("bullying", "intimidation"),
            notes="Gesprek over pesten in team B.",
            closed=date(2025, 4, 1),
            outcome="talk_with_manager",
            channel="phone",
            contact_role="affected",
            relation="colleague",
            help=["initial_support", "advice"],
        ),
        add_case(
            desk,
            org_id,
            date(2025, 9, 12),
            ("sexual_harassment",),
            notes="Opmerkingen tijdens een uitje.",
            channel="in_person",
            contact_role="affected",
            relation="manager",
            help=["initial_support"],
            referrals=["care"],
            closed=date(2025, 11, 20),
            outcome="formal_complaint",
        ),
        add_case(
            desk,
            org_id,
            date(2025, 12, 1),
            ("work_conflict",),
            notes="Roosterconflict.",
            channel="video",
            contact_role="witness",
            relation="group",
        ),
        add_case(
            desk,
            org_id,
            date(2026, 1, 14),
            ("discrimination", "bullying"),
            primary_behaviour="discrimination",
            notes="Grappen over afkomst.",
            channel="phone",
            contact_role="affected",
            relation="colleague",
            help=["advice", "information"],
            follow_up=date(2026, 3, 20),
        ),
        add_case(
            desk,
            org_id,
            date(2026, 2, 2),
            ("aggression_violence",),
            notes="Klant werd handtastelijk.",
            channel="in_person",
            contact_role="affected",
            relation="third_party",
            help=["initial_support"],
            referrals=["occupational_physician", "police"],
        ),
        add_case(
            desk,
            org_id,
            date(2026, 3, 2),
            ("integrity",),
            notes="Vraag over declaraties.",
            channel="written",
            contact_role="enquiry",
            relation="unknown",
            help=["information"],
        ),
    ]
    add_contact(desk, org_id, cases[3].id, date(2026, 1, 14), 45, "Eerste gesprek, veel emotie.")
    add_contact(
        desk, org_id, cases[3].id, date(2026, 2, 4), 30, "Tweede gesprek: opties.", channel="video"
    )
    return cases


def many_cases(desk, org_id: int, n: int) -> None:
    """``n`` synthetic cases (vp_desk.services.synthetic) in one transaction."""
    spec = synthetic.OrgSpec("Synthetisch", 5000, n)
    desk.insert_cases(org_id, synthetic.cases(spec, TODAY, random.Random("case-list")))


async def settle(pilot) -> None:
    """Let queries in workers finish and the screen catch up."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def no_blink(pilot) -> None:
    """Steady cursors for snapshots."""
    await settle(pilot)
    for widget in pilot.app.screen.query("Input, TextArea"):
        widget.cursor_blink = False
    await pilot.pause()


async def choose(pilot, select_id: str, value) -> None:
    """Pick ``value`` in a Select with the keyboard: open it, move down, enter."""
    select = pilot.app.screen.query_one(select_id, Select)
    values = [v for _, v in select._options]
    select.focus()
    await pilot.press("enter")
    current = values.index(select.value) if select.value in values else 0
    steps = values.index(value) - current
    await pilot.press(*(["down"] * steps if steps > 0 else ["up"] * -steps), "enter")
    await pilot.pause()


async def tick(pilot, list_id: str, *values: str) -> None:
    """Tick ``values`` in a SelectionList with the keyboard."""
    widget = pilot.app.screen.query_one(list_id, SelectionList)
    widget.focus()
    await pilot.pause()
    for value in values:
        widget.highlighted = next(
            i for i in range(widget.option_count) if widget.get_option_at_index(i).value == value
        )
        await pilot.press("space")
    await pilot.pause()


def screen_text(app: App) -> str:
    """The screen as plain text, as a terminal would show it (for asserting what is shown)."""
    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        color_system="truecolor",
        record=True,
        legacy_windows=False,
        safe_box=False,
    )
    console.print(full_frame(app))
    return console.export_text(styles=False)


def screen_output(app: App) -> str:
    """What the screen sends to the terminal, escape codes included."""
    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        color_system="truecolor",
        legacy_windows=False,
        safe_box=False,
    )
    with console.capture() as capture:
        console.print(full_frame(app))
    return capture.get()
