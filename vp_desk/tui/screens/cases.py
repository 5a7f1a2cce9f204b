"""The case list of one organisation: filters, search as you type, a virtual table.

Each change of a filter or of the search text runs one query (the first page,
and a count only when that page is full) in a thread worker. While a query runs, further keystrokes only
record the wanted filter; when the query ends, the newest wanted filter runs
next. So typing never queues a query per keystroke and never waits on a timer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text
from textual import getters, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Input, Label, Select

from vp_desk import vocabulary as voc
from vp_desk.domain import models
from vp_desk.domain.models import CaseSummary
from vp_desk.i18n import format_number
from vp_desk.services.desk import CaseFilter, add_months
from vp_desk.tui.desk_guard import DeskLocked
from vp_desk.tui.i18n import pick
from vp_desk.tui.safe import safe_line
from vp_desk.tui.screens.form_base import clean_input
from vp_desk.tui.widgets.case_keys import localise_bindings
from vp_desk.tui.widgets.case_table import CaseTable
from vp_desk.tui.workers import WorkerFailures

if TYPE_CHECKING:
    from vp_desk.tui.app import VpDeskApp

STRINGS = {
    "title": ("Casussen", "Cases"),
    "search": ("Zoek op code of in notities", "Search codes and notes"),
    "all_status": ("Elke status", "Any status"),
    "all_years": ("Elk jaar", "Any year"),
    "all_behaviours": ("Elk gedrag", "Any behaviour"),
    "count": ("{n} casussen", "{n} cases"),
    "count_one": ("1 casus", "1 case"),
    "new": ("Nieuwe casus", "New case"),
    "open": ("Openen", "Open"),
    "find": ("Zoeken", "Search"),
    "back": ("Terug", "Back"),
    "sort": ("Sorteer: vervolg/nieuw", "Sort: follow-up/newest"),
    "unavailable": ("De kluis is vergrendeld.", "The vault is locked."),
}


@dataclass(frozen=True)
class _Result:
    flt: CaseFilter
    total: int
    first: list[CaseSummary]


class CaseListScreen(WorkerFailures, Screen):
    """All cases of ``org_id``, newest first."""

    if TYPE_CHECKING:
        app = getters.app(VpDeskApp)

    CSS_PATH = "cases.tcss"

    BINDINGS = [
        Binding("n", "new_case", "new", id="cases.new"),
        Binding("slash", "focus_search", "find", id="cases.search"),
        Binding("escape", "back", "back", id="cases.back"),
        Binding("f", "sort_follow_up", "sort", id="cases.sort"),  # h7-desk
    ]

    def __init__(self, org_id: int, *, today: date | None = None) -> None:
        super().__init__()
        self.org_id = org_id
        self.today = today or models.today()
        self._wanted_filter: CaseFilter | None = None
        self._query_busy = False
        self._shown_filter: CaseFilter | None = None
        self.last_query: _Result | None = None
        self.sort = "opened"  # or "follow_up"
        self._read_failed = False  # a failed page read was told (once)

    @property
    def lang(self) -> str:
        return getattr(self.app, "lang", "nl")

    def compose(self) -> ComposeResult:
        lang = self.lang
        desk = self.app.unlocked_desk
        org = desk.organisation(self.org_id)
        years = sorted(set(desk.case_years(self.org_id)) | {self.today.year}, reverse=True)
        title = Text(pick(STRINGS, "title", lang) + " — ")
        title.append_text(safe_line(org.name))
        yield Label(title, id="case-list-title")
        with Horizontal(id="case-filters"):
            yield Input(placeholder=pick(STRINGS, "search", lang), id="case-search", compact=True)
            yield Select(
                [(Text(t.label(lang)), c) for c, t in voc.STATUSES.items()],
                prompt=pick(STRINGS, "all_status", lang),
                id="filter-status",
                compact=True,
            )
            yield Select(
                [(Text(str(y)), y) for y in years],
                prompt=pick(STRINGS, "all_years", lang),
                id="filter-year",
                compact=True,
            )
            yield Select(
                [(Text(t.label(lang)), c) for c, t in voc.BEHAVIOURS.items()],
                prompt=pick(STRINGS, "all_behaviours", lang),
                id="filter-behaviour",
                compact=True,
            )
        yield Label("", id="case-count")
        table = CaseTable(lang, id="case-table")
        # h7-desk: the Flags column shows cases past retention (Desk.org_stats's rule).
        table.retention_cutoff = add_months(self.today, -org.retention_months)
        yield table
        yield Footer()

    def on_mount(self) -> None:
        localise_bindings(self, STRINGS, self.lang)
        self.query_one(CaseTable).focus()
        self.refresh_cases()

    def on_screen_resume(self) -> None:
        if self._shown_filter is not None:
            self.refresh_cases()

    # -- filtering -----------------------------------------------------------------------
    def current_filter(self) -> CaseFilter:
        def value(select_id: str):
            v = self.query_one(select_id, Select).value
            return None if v == Select.NULL else v

        search = self.query_one("#case-search", Input).value.strip() or None
        return CaseFilter(
            status=value("#filter-status"),
            year=value("#filter-year"),
            behaviour=value("#filter-behaviour"),
            search=search,
            sort=self.sort,
        )

    @on(Input.Changed, "#case-search")
    @on(Select.Changed)
    def _filter_changed(self, event: Input.Changed | Select.Changed) -> None:
        if isinstance(event, Input.Changed):
            clean_input(event.input)
        self.refresh_cases()

    def refresh_cases(self) -> None:
        """Ask for the rows of the current filter (coalesced while a query runs)."""
        self._wanted_filter = self.current_filter()
        if not self._query_busy:
            self._query_busy = True
            self._query(self._wanted_filter)

    @work(thread=True, exclusive=True, group="case-list", exit_on_error=False)
    def _query(self, flt: CaseFilter) -> None:
        desk = self.app.desk
        result: _Result | None = None
        failed = True
        try:
            if desk is not None:
                first = desk.list_cases(self.org_id, flt, limit=CaseTable.PAGE)
                # A short first page is the whole result: no second scan to count it.
                total = (
                    len(first)
                    if len(first) < CaseTable.PAGE
                    else desk.count_cases(self.org_id, flt)
                )
                result = _Result(flt, total, first)
            failed = False
        finally:
            # A failure (the app shows it) still ends the query, and is not retried.
            self.app.call_from_thread(self._query_done, result, failed)

    def _query_done(self, result: _Result | None, failed: bool = False) -> None:
        self._query_busy = False
        if not self.is_attached or failed:  # replaced while the query ran, or it failed
            return
        if result is not None:
            self._show(result)
        if self._wanted_filter is not None and (
            result is None or self._wanted_filter != result.flt
        ):
            if self.app.desk is not None and self.is_attached:
                self._query_busy = True
                self._query(self._wanted_filter)

    def _show(self, result: _Result) -> None:
        table = self.query_one(CaseTable)
        keep = table.current.id if self._shown_filter == result.flt and table.current else None
        flt = result.flt
        table.load(
            result.total, lambda offset, limit: self._fetch(flt, offset, limit), result.first
        )
        if keep is not None:
            table.move_to_case(keep)
        key = "count_one" if result.total == 1 else "count"
        number = format_number(result.total, self.lang)
        self.query_one("#case-count", Label).update(Text(pick(STRINGS, key, self.lang, n=number)))
        self._shown_filter = flt
        self.last_query = result

    def _fetch(self, flt: CaseFilter, offset: int, limit: int) -> list[CaseSummary]:
        desk = self.app.desk
        if desk is None:
            return []
        try:
            return desk.list_cases(self.org_id, flt, limit=limit, offset=offset)
        except DeskLocked:
            return []
        except Exception as exc:  # a damaged vault, say: told once, never an empty list silently
            if self.app.desk is not None and not self._read_failed:
                self._read_failed = True
                self.app.report_failure(exc)
            return []

    # -- actions -------------------------------------------------------------------------
    def action_sort_follow_up(self) -> None:
        self.sort = "opened" if self.sort == "follow_up" else "follow_up"
        self.refresh_cases()

    def action_focus_search(self) -> None:
        self.query_one("#case-search", Input).focus()

    def action_back(self) -> None:
        if self.focused is not None and self.focused.id == "case-search":
            self.query_one(CaseTable).focus()
            return
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()

    def action_new_case(self) -> None:
        from vp_desk.tui.screens.case_form import CaseFormScreen

        def saved(case_id: int | None) -> None:
            if case_id is not None:
                self.open_case(case_id)

        self.app.push_screen(CaseFormScreen(self.org_id, today=self.today), saved)

    @on(CaseTable.Selected)
    def _selected(self, event: CaseTable.Selected) -> None:
        self.open_case(event.case_id)

    def open_case(self, case_id: int) -> None:
        from vp_desk.tui.screens.case_view import CaseViewScreen

        self.app.push_screen(CaseViewScreen(self.org_id, case_id, today=self.today))
