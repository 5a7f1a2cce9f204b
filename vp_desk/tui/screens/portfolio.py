"""The portfolio (key p): true counts and hours over all organisations.

For the adviser's own use: it is never part of a report. Split out of
``report.py``; ``vp_desk.tui.screens.report`` re-exports ``PortfolioScreen``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text
from textual import getters, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import (
    DataTable,
    Footer,
    Static,
)

from vp_desk.i18n import format_hours
from vp_desk.services import reporting
from vp_desk.tui.i18n import pick
from vp_desk.tui.safe import safe_line
from vp_desk.tui.screens.report_strings import STRINGS, default_year
from vp_desk.tui.widgets.header import DeskHeader
from vp_desk.tui.widgets.lang import localise
from vp_desk.tui.workers import WorkerFailures

if TYPE_CHECKING:
    from vp_desk.tui.app import VpDeskApp


class PortfolioScreen(WorkerFailures, Screen):
    """Cases and hours over all organisations: the adviser's own overview."""

    if TYPE_CHECKING:
        app = getters.app(VpDeskApp)

    CSS_PATH = "portfolio.tcss"
    BINDINGS = [
        Binding("escape", "back", "key.back", id="portfolio.back"),
        Binding("minus", "year(-1)", "key.prev", id="portfolio.prev_year"),
        Binding("plus", "year(1)", "key.next", id="portfolio.next_year"),
        Binding("w", "all_reports", "key.all_reports", id="portfolio.all_reports"),  # h7-desk
    ]

    def action_all_reports(self) -> None:
        """Every organisation's report of this year, after one unlock (report --all)."""
        from vp_desk.tui.dialogs.desk_tasks import all_reports

        all_reports(self.app, self.year)

    @dataclass
    class Loaded(Message):
        rows: list[reporting.PortfolioRow]

    def __init__(self, year: int | None = None, *, today: date | None = None) -> None:
        super().__init__()
        self._today = today
        self.year = int(year) if year else default_year(today or date.today())
        self.rows: list[reporting.PortfolioRow] | None = None

    @property
    def lang(self) -> str:
        return getattr(self.app, "lang", "nl")

    def compose(self) -> ComposeResult:
        yield DeskHeader(icon="")
        yield Static(Text(pick(STRINGS, "portfolio_intro", self.lang)), id="portfolio-intro")
        yield DataTable(id="portfolio-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        localise(self, STRINGS, self.lang)
        table = self.query_one("#portfolio-table", DataTable)
        table.add_column(Text(pick(STRINGS, "col_org", self.lang)), key="org", width=30)
        for key in ("employees", "new", "open", "contacts", "case_hours", "act_hours", "total"):
            title = pick(STRINGS, f"col_{key}", self.lang)
            table.add_column(Text(title, justify="right"), key=key, width=max(6, len(title)))
        self._load_year()

    def _load_year(self) -> None:
        self.sub_title = pick(STRINGS, "portfolio_title", self.lang, year=self.year)
        self._load(self.year)

    @work(thread=True, exclusive=True, exit_on_error=False, group="portfolio")
    def _load(self, year: int) -> None:
        desk = getattr(self.app, "desk", None)
        if desk is None:
            return
        rows = reporting.portfolio(desk, year)
        desk.record_event(None, "portfolio", str(year))
        self.post_message(self.Loaded(rows))

    @on(Loaded)
    def _loaded(self, event: Loaded) -> None:
        event.stop()
        self.rows = event.rows
        table = self.query_one("#portfolio-table", DataTable)
        table.clear()

        def hours(minutes: int) -> Text:
            text = format_hours(lang=self.lang, minutes=minutes, grouping=False)
            return Text(text, justify="right")

        def num(value: int) -> Text:
            return Text(str(value), justify="right")

        for r in event.rows:
            table.add_row(
                safe_line(r.name, limit=40),
                num(r.employees),
                num(r.new_cases),
                num(r.open_now),
                num(r.consultations),
                hours(r.case_minutes),
                hours(r.activity_minutes),
                hours(r.total_minutes),
                key=str(r.org_id),
            )
        if event.rows:
            table.add_row(
                Text(pick(STRINGS, "total", self.lang), style="bold"),
                num(sum(r.employees for r in event.rows)),
                num(sum(r.new_cases for r in event.rows)),
                num(sum(r.open_now for r in event.rows)),
                num(sum(r.consultations for r in event.rows)),
                hours(sum(r.case_minutes for r in event.rows)),
                hours(sum(r.activity_minutes for r in event.rows)),
                hours(sum(r.total_minutes for r in event.rows)),
                key="total",
            )

    def action_year(self, step: int) -> None:
        self.year += step
        self._load_year()

    def action_back(self) -> None:
        self.app.pop_screen()
