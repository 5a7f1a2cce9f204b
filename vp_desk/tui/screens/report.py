"""The annual report of one organisation: preview, free text, export.

The screen holds what its three tabs share: the organisation and the year
(``-``/``+`` or the year field), the report as loaded (a thread worker, one
``ReportContext`` handed to each tab), the heading, and the keys that must
work from a text field too (ctrl+s saves the texts, ctrl+e exports). Each tab
is a widget of its own, with its own workers and handlers:

- **Preview** (``report_preview.PreviewTab``): the report exactly as the
  employer would get it;
- **Texts** (``report_texts.TextsTab``): signals and recommendations, checked
  for personal data as the adviser types, saved with ctrl+s;
- **Export** (``report_export.ExportTab``): format, file, "final" (ledger) and
  "withhold changed figures", run in a thread worker.

Methods go down (``show``, ``fill``, ``save``, ``start``); messages come up
(``TextsTab.Stored``, ``ExportTab.Requested``, ``ExportTab.Written``). Every
vault job takes the context's lock, so a save and a reload never interleave.

``PortfolioScreen`` (key p) lives in ``portfolio.py`` and is re-exported
here; the texts the report screens share are in ``report_strings.py``.
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
from textual.css.query import NoMatches
from textual.message import Message
from textual.screen import Screen
from textual.widgets import (
    Footer,
    Input,
    Label,
    Static,
    TabbedContent,
    TabPane,
)

from vp_desk.errors import VpDeskError
from vp_desk.i18n import error_text
from vp_desk.services import reporting
from vp_desk.tui import drafts
from vp_desk.tui.i18n import pick
from vp_desk.tui.safe import safe_line
from vp_desk.tui.screens.portfolio import PortfolioScreen
from vp_desk.tui.screens.report_context import ReportContext
from vp_desk.tui.screens.report_export import ExportTab
from vp_desk.tui.screens.report_preview import PreviewTab
from vp_desk.tui.screens.report_strings import (
    DRAFT_KIND,
    FORMAT_LABELS,
    STRINGS,
    default_year,
)
from vp_desk.tui.screens.report_texts import TextsTab
from vp_desk.tui.widgets.header import DeskHeader
from vp_desk.tui.widgets.lang import localise
from vp_desk.tui.workers import WorkerFailures

if TYPE_CHECKING:
    from vp_desk.tui.app import VpDeskApp


__all__ = [
    "DRAFT_KIND",
    "FORMAT_LABELS",
    "STRINGS",
    "ExportTab",
    "PortfolioScreen",
    "PreviewTab",
    "ReportContext",
    "ReportScreen",
    "TextsTab",
    "default_year",
]


class ReportScreen(WorkerFailures, Screen):
    if TYPE_CHECKING:
        app = getters.app(VpDeskApp)

    AUTO_FOCUS = "#report-tabs Tabs"
    CSS_PATH = "report.tcss"  # the screen and its tabs (Textual live-reloads it)
    BINDINGS = [
        Binding("escape", "back", "key.back", id="report.back"),
        Binding("ctrl+s", "save_texts", "key.save", id="report.save"),
        # priority: a text field's own ctrl+e (end of line) must not swallow it
        Binding("ctrl+e", "export", "key.export", id="report.export", priority=True),
        Binding("p", "portfolio", "key.portfolio", id="report.portfolio"),
        Binding("minus", "year(-1)", "key.prev", show=False, id="report.prev_year"),
        Binding("plus", "year(1)", "key.next", show=False, id="report.next_year"),
    ]

    preview_tab = getters.query_one(PreviewTab)
    texts_tab = getters.query_one(TextsTab)
    export_tab = getters.query_one(ExportTab)

    @dataclass
    class Loaded(Message):
        preview: reporting.Preview | None
        error: str | None

    def __init__(
        self,
        org_id: int,
        year: int | None = None,
        *,
        today: date | None = None,
        draft: dict | None = None,
    ) -> None:
        super().__init__()
        self._today = today
        self.context = ReportContext(
            org_id, int(year) if year else default_year(self.today), today=today
        )
        self._draft = draft

    # -- small facts --------------------------------------------------------------------------
    @property
    def org_id(self) -> int:
        return self.context.org_id

    @property
    def year(self) -> int:
        return self.context.year

    @property
    def preview(self) -> reporting.Preview | None:
        """The report as last loaded (``None`` until the first load)."""
        return self.context.preview

    @property
    def saved_texts(self) -> reporting.ReportTexts | None:
        try:
            return self.texts_tab.saved
        except NoMatches:
            return None

    @property
    def export_message(self) -> str:
        """What the last export said (under the Export button)."""
        try:
            return self.export_tab.message
        except NoMatches:
            return ""

    @export_message.setter
    def export_message(self, text: str) -> None:
        self.export_tab.message = text

    @property
    def lang(self) -> str:
        return getattr(self.app, "lang", "nl")

    @property
    def today(self) -> date:
        if self._today is not None:
            return self._today
        try:
            return getattr(self.app, "today", None) or date.today()
        except RuntimeError:  # no app yet (constructor; Textual's NoActiveAppError)
            return date.today()

    def _s(self, key: str, **params: object) -> str:
        return pick(STRINGS, key, self.lang, **params)

    def unsaved(self) -> bool:
        try:
            return self.texts_tab.unsaved()
        except NoMatches:  # not composed (yet)
            return False

    @property
    def draft_payload(self):
        """The drafts contract: a callable only while the texts hold unsaved edits.

        (The app treats a screen with a callable ``draft_payload`` as a form and
        keeps its navigation keys away from it; with nothing unsaved, they work.)
        """
        return self._payload if self.unsaved() or self._export_draft() else None

    @property
    def draft_keeps_navigation(self) -> bool:
        """Changed export choices alone (no unsaved text) leave the navigation keys on."""
        return not self.unsaved()

    def _export_draft(self) -> dict | None:
        """The Export tab's changed choices (format, language, file...), if any."""
        try:
            return self.export_tab.draft()
        except NoMatches:
            return None

    def _payload(self) -> dict | None:
        unsaved, export = self.unsaved(), self._export_draft()
        if not unsaved and not export:
            return None
        payload: dict = {
            "kind": DRAFT_KIND,
            "org_id": self.org_id,
            "year": self.year,
            "title": self._s("draft_label"),
        }
        if unsaved:
            payload["signals"], payload["recommendations"] = self.texts_tab.current()
        if export:
            payload["export"] = export
        return payload

    # -- layout -----------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        s = self._s
        yield DeskHeader(icon="")
        with Horizontal(id="report-top"):
            yield Label(s("year"))
            yield Input(str(self.year), id="report-year", restrict=r"\d{0,4}", max_length=4)
            yield Static(Text(s("loading"), style="dim"), id="report-heading")
        with TabbedContent(id="report-tabs"):
            with TabPane(s("tab_preview"), id="tab-preview"):
                yield PreviewTab(self.context)
            with TabPane(s("tab_texts"), id="tab-texts"):
                yield TextsTab(self.context, draft=self._draft)
            with TabPane(s("tab_export"), id="tab-export"):
                yield ExportTab(self.context, draft=self._draft)
        yield Footer()

    def on_mount(self) -> None:
        localise(self, STRINGS, self.lang)
        self._update_subtitle()
        self.reload()

    def _update_subtitle(self) -> None:
        self.sub_title = self._s("subtitle", year=self.year)

    # -- loading ----------------------------------------------------------------------------------
    def reload(self) -> None:
        self._load(self.year)

    @work(thread=True, exclusive=True, exit_on_error=False, group="report-load")
    def _load(self, year: int) -> None:
        desk = getattr(self.app, "desk", None)
        if desk is None:
            return
        try:
            with self.context.lock:
                preview = reporting.preview(desk, self.org_id, year, today=self.today)
        except VpDeskError as exc:
            self.post_message(self.Loaded(None, error_text(exc, self.lang)))
            return
        self.post_message(self.Loaded(preview, None))

    @on(Loaded)
    async def _loaded(self, event: Loaded) -> None:
        event.stop()
        if event.preview is None:
            self.query_one("#report-heading", Static).update(
                safe_line(self._s("failed", error=event.error or ""))
            )
            return
        first = self.preview is None or self.preview.report.year != event.preview.report.year
        self.context.preview = event.preview
        report = event.preview.report
        self.query_one("#report-heading", Static).update(
            safe_line(
                self._s("heading", org=report.organisation, year=report.year, k=report.threshold)
            )
        )
        if first:
            self.texts_tab.fill(event.preview.texts)
            self.export_tab.first_load(report.lang)
        await self.preview_tab.show(event.preview)
        self.texts_tab.show_findings()

    @on(TextsTab.Stored)
    def _texts_stored(self, event: TextsTab.Stored) -> None:
        event.stop()
        self.reload()

    @on(ExportTab.Written)
    def _report_written(self, event: ExportTab.Written) -> None:
        event.stop()
        self.reload()  # the ledger has one more entry

    # -- keys that work from every tab --------------------------------------------------------------
    def action_save_texts(self) -> None:
        self.texts_tab.save()

    def action_export(self) -> None:
        if self.unsaved():
            self.texts_tab.save()
        self.export_tab.start()

    @on(ExportTab.Requested)
    def _export_requested(self, event: ExportTab.Requested) -> None:
        event.stop()
        self.action_export()

    # -- year, navigation ---------------------------------------------------------------------------
    @on(Input.Submitted, "#report-year")
    def _year_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            year = int(event.value)
        except ValueError:
            return
        if 2000 <= year <= 2200:
            self._set_year(year)

    def action_year(self, step: int) -> None:
        self._set_year(self.year + step)

    def _set_year(self, year: int) -> None:
        if year == self.year or not 2000 <= year <= 2200:
            return
        if self.unsaved():
            self.texts_tab.save()
        self.context.year = year
        self.query_one("#report-year", Input).value = str(year)
        self.export_tab.clear_path()
        self._update_subtitle()
        self.reload()

    def action_back(self) -> None:
        if self.unsaved():
            self.texts_tab.save()
        self.app.pop_screen()

    def action_portfolio(self) -> None:
        self.app.push_screen(PortfolioScreen(self.year, today=self._today))


def _restore(app, payload: dict) -> None:
    org_id = payload.get("org_id")
    year = payload.get("year")
    if not isinstance(org_id, int) or not isinstance(year, int):
        return
    app.push_screen(
        ReportScreen(org_id, year, today=getattr(app, "fixed_today", None), draft=payload)
    )


drafts.register_restorer(DRAFT_KIND, _restore, label=STRINGS["draft_label"])
