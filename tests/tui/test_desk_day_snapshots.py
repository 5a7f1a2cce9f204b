"""Snapshot of the overview with its agenda at 80x24 (issue 13, item 4):
synthetic data, a fixed "today", fixed audit times."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import PASSPHRASE
from tests.tui.conftest import make_app, settle, unlock, wait_for
from tests.tui.test_lifecycle_snapshots import frozen  # noqa: F401 - a fixture
from vp_desk.domain.models import CaseInput
from vp_desk.services import contracts
from vp_desk.services.desk import Desk


def _prepare(sample_dir) -> None:
    with Desk.open(sample_dir, PASSPHRASE) as desk:
        org = desk.find_organisation("Stichting Voorbeeld")
        desk.create_case(
            org.id,
            CaseInput(opened=date(2026, 2, 20), behaviours=["bullying"], follow_up="2026-03-09"),
        )
        korst = desk.find_organisation("Bakkerij De Korst")
        contracts.set_terms(desk, korst.id, start="2024-05-01", end="2026-04-30", agreed_hours=24)


async def _overview(pilot) -> None:
    app = pilot.app
    await unlock(pilot)
    await wait_for(pilot, lambda: app.screen_stack[0].agenda is not None)
    for screen in app.screen_stack[1:]:
        if screen.is_modal:
            app.pop_screen()
    await settle(pilot)


def test_overview_with_agenda_80x24_en(snap_compare, sample_dir, frozen):  # noqa: F811
    _prepare(sample_dir)
    assert snap_compare(make_app(sample_dir, "en"), terminal_size=(80, 24), run_before=_overview)


def test_overview_with_agenda_80x24_nl(snap_compare, sample_dir, frozen):  # noqa: F811
    _prepare(sample_dir)
    assert snap_compare(make_app(sample_dir, "nl"), terminal_size=(80, 24), run_before=_overview)


@pytest.mark.asyncio
@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
async def test_overview_keeps_its_last_column_with_a_long_name(sample_dir, size):
    """Issue 13 item 9: the longest organisation name allowed does not push the
    hours column off the overview (no sideways scrolling at 80x24 or 120x36)."""
    from textual.widgets import DataTable

    from vp_desk.domain.models import MAX_NAME, OrganisationInput

    with Desk.open(sample_dir, PASSPHRASE) as desk:
        org = desk.find_organisation("Northwind Trading BV")
        long_name = ("Stichting Zeer Lange Naam " * 10)[:MAX_NAME].strip()
        desk.update_organisation(
            org.id,
            OrganisationInput(
                long_name,
                employees=org.employees,
                threshold=org.threshold,
                retention_months=org.retention_months,
                lang=org.lang,
            ),
        )
    app = make_app(sample_dir, "en")
    async with app.run_test(size=size) as pilot:
        await _overview(pilot)
        table = app.screen_stack[0].query_one("#dash-table", DataTable)
        assert table.max_scroll_x == 0
        assert table.virtual_size.width <= table.scrollable_content_region.width
