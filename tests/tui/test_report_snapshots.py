"""Snapshots of the report screen (preview and texts) and the portfolio at 120x36:
synthetic data, a fixed date, Dutch and English."""

from __future__ import annotations

import pytest

from tests.tui.conftest import make_app, settle, unlock, wait_for
from tests.tui.test_report import build_report_folder

SIZE = (120, 36)


def _open(tab: str | None = None, portfolio: bool = False):
    async def run_before(pilot) -> None:
        from vp_desk.tui.screens.report import PortfolioScreen, ReportScreen

        app = pilot.app
        await unlock(pilot)
        app.current_org_id = 1
        await pilot.press("r")
        await wait_for(
            pilot, lambda: isinstance(app.screen, ReportScreen) and app.screen.preview is not None
        )
        if tab:
            app.screen.query_one("#report-tabs").active = tab
        if tab == "tab-export":
            from textual.widgets import Input

            # The default sits in the home folder, which differs per machine.
            path = app.screen.query_one("#export-path", Input)
            await wait_for(pilot, lambda: path.value.endswith("jaarverslag-acme-bv-2025.pdf"))
            path.value = "jaarverslag-acme-bv-2025.pdf"
        if portfolio:
            await settle(pilot)
            await pilot.press("p")
            await wait_for(
                pilot,
                lambda: isinstance(app.screen, PortfolioScreen) and app.screen.rows is not None,
            )
        await settle(pilot)
        for widget in app.screen.query("Input, TextArea"):
            widget.cursor_blink = False
        await pilot.pause()

    return run_before


@pytest.fixture
def folder(tmp_path):
    path = tmp_path / "data"
    build_report_folder(path)
    return path


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_report_preview(snap_compare, folder, lang):
    assert snap_compare(make_app(folder, lang), terminal_size=SIZE, run_before=_open())


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_report_texts(snap_compare, folder, lang):
    from tests.conftest import PASSPHRASE
    from vp_desk.services import reporting
    from vp_desk.services.desk import Desk

    with Desk.open(folder, PASSPHRASE) as desk:
        reporting.save_texts(
            desk,
            1,
            2025,
            "Meerdere signalen over de sfeer in team Noord.\nBel de teamleider op 06-12345678.",
            "Plan een training.",
        )
    assert snap_compare(
        make_app(folder, lang), terminal_size=SIZE, run_before=_open(tab="tab-texts")
    )


def test_portfolio(snap_compare, folder):
    assert snap_compare(
        make_app(folder, "nl"), terminal_size=SIZE, run_before=_open(portfolio=True)
    )


@pytest.mark.parametrize("tab", [None, "tab-texts", "tab-export"])
def test_report_80x24_nl(snap_compare, folder, tab):
    """The report's three tabs on the smallest terminal an adviser may have (issue 13)."""
    assert snap_compare(make_app(folder, "nl"), terminal_size=(80, 24), run_before=_open(tab=tab))
