"""Fixtures for the TUI tests: data folders made once and copied, a fixed date,
and helpers to drive the real ``VpDeskApp`` with Pilot.

A data folder is created (Argon2id at its floor) once per session and copied
for each test that needs one: a copy unlocks with the same passphrase, so a
test pays for one unlock, never for a setup.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import PASSPHRASE

TODAY = date(2026, 3, 18)
SIZE = (120, 36)
HOSTILE_NAMES = [
    "[link=https://x]y[/link]",
    "[@click=app.quit]x[/]",
    "[/",
    "Evil\x1b]52;c;aGk=\x07Corp",
    "Wipe\x1b[2JBV",
    "C1\x9bStichting",
    "\u202eBidi BV",
]
ORGS = [
    # name, employees, threshold, retention months, report language
    ("Stichting Voorbeeld", 120, 5, 12, "nl"),
    ("Bakkerij De Korst", 14, 3, 6, "nl"),
    ("Northwind Trading BV", 800, 5, 24, "en"),
]


def fill_sample(desk) -> dict[str, int]:
    """Three organisations with cases, contacts and activities on fixed dates."""
    from vp_desk.domain.models import ActivityInput, CaseInput, ConsultationInput, OrganisationInput

    ids: dict[str, int] = {}
    for name, employees, threshold, retention, lang in ORGS:
        org = desk.add_organisation(
            OrganisationInput(
                name,
                employees=employees,
                threshold=threshold,
                retention_months=retention,
                lang=lang,
            )
        )
        ids[name] = org.id
    voorbeeld, korst, northwind = ids.values()

    def case(org_id, opened, behaviours, **extra):
        return desk.create_case(
            org_id, CaseInput(opened=opened, behaviours=list(behaviours), **extra)
        )

    c1 = case(voorbeeld, date(2026, 1, 12), ["bullying"], follow_up=date(2026, 3, 20))
    desk.add_consultation(voorbeeld, c1.id, ConsultationInput(date(2026, 3, 3), 60, "phone", ""))
    c2 = case(voorbeeld, date(2026, 2, 2), ["intimidation"])
    desk.add_consultation(voorbeeld, c2.id, ConsultationInput(date(2026, 3, 10), 45, "video", ""))
    case(
        voorbeeld,
        date(2024, 5, 6),
        ["work_conflict"],
        closed=date(2024, 9, 1),
        outcome="resolved_self",
    )
    case(korst, date(2026, 3, 2), ["aggression_violence"], follow_up=date(2026, 3, 19))
    case(
        korst, date(2025, 1, 8), ["discrimination"], closed=date(2025, 2, 1), outcome="no_follow_up"
    )
    desk.add_activity(korst, ActivityInput(date(2026, 3, 5), "awareness", 90, ""))
    case(northwind, date(2025, 11, 3), ["sexual_harassment"])
    desk.add_activity(northwind, ActivityInput(date(2026, 3, 11), "management_advice", 30, ""))
    return ids


@pytest.fixture(scope="session")
def template_folders(tmp_path_factory) -> dict[str, Path]:
    """Data folders made once: "empty" (no organisations) and "sample"."""
    from vp_desk.services.desk import Desk

    base = tmp_path_factory.mktemp("tui-templates")
    folders = {"empty": base / "empty", "sample": base / "sample"}
    with Desk.create(folders["empty"], PASSPHRASE):
        pass
    with Desk.create(folders["sample"], PASSPHRASE) as desk:
        fill_sample(desk)
    return folders


@pytest.fixture
def folder_copy(template_folders, tmp_path) -> Callable[[str], Path]:
    """``folder_copy("sample")``: a private copy of a template data folder."""

    def make(name: str) -> Path:
        target = tmp_path / f"data-{name}"
        shutil.copytree(template_folders[name], target, ignore=shutil.ignore_patterns(".lock"))
        return target

    return make


@pytest.fixture
def sample_dir(folder_copy) -> Path:
    return folder_copy("sample")


@pytest.fixture
def empty_dir(folder_copy) -> Path:
    return folder_copy("empty")


def make_app(data_dir: Path, lang: str = "nl", **kwargs):
    from vp_desk.tui.app import VpDeskApp

    kwargs.setdefault("today", TODAY)
    return VpDeskApp(data_dir, lang, **kwargs)


async def wait_for(pilot, condition: Callable[[], bool], timeout: float = 20.0) -> None:
    """Let the app run until ``condition()`` holds (workers report by message)."""
    import asyncio

    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not condition():
        if loop.time() > end:
            raise AssertionError("the app did not reach the expected state in time")
        await pilot.pause(0.02)


async def settle(pilot) -> None:
    """Wait for running workers and the refresh after them."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def unlock(pilot, passphrase: str = PASSPHRASE) -> None:
    """Type the passphrase on the unlock screen and wait for the dashboard's figures."""
    from vp_desk.tui.screens.dashboard import DashboardScreen

    app = pilot.app
    await wait_for(pilot, lambda: app.screen.query("#passphrase"))
    app.screen.query_one("#passphrase").value = passphrase
    await pilot.press("enter")
    await wait_for(
        pilot, lambda: app.desk is not None and isinstance(app.screen_stack[0], DashboardScreen)
    )
    await wait_for(pilot, lambda: app.screen_stack[0].rows is not None)
    await wait_for(pilot, lambda: app.reminders is not None)  # shown after the figures
    await settle(pilot)


async def relock(pilot) -> None:
    """Lock with ctrl+l, wait until the vaults are closed, and unlock again."""
    await pilot.press("ctrl+l")
    await wait_for(pilot, lambda: pilot.app.is_locked)
    await unlock(pilot)
