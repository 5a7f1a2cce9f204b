"""The annual report of one organisation: preview, free text, export.

Three tabs:

- **Preview**: the report exactly as the employer would get it (disclosure
  control applied), tables beside terminal bar charts, the notes on how small
  numbers were protected, and a warning when the figures differ from an issued
  report in a way that would single out cases;
- **Texts**: signals and recommendations, checked for personal data as the
  adviser types (kind and line only); save with ctrl+s; "Confirm text" lets a
  text with findings go out as it is;
- **Export**: format, file, "final" (ledger) and "withhold changed figures",
  run in a thread worker.

``PortfolioScreen`` (key p) lives in ``portfolio.py`` and is re-exported
here; the texts both screens share are in ``report_strings.py``.

Everything that touches the vault runs in thread workers that report back by
message, one at a time (a lock keeps a save and a reload from interleaving).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from rich import box
from rich.table import Table
from rich.text import Text
from textual import getters, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import (
    Button,
    Checkbox,
    Footer,
    Header,
    Input,
    Label,
    Select,
    Static,
    TabbedContent,
    TabPane,
    TextArea,
)
from textual_plotext import PlotextPlot

from vp_desk.errors import VpDeskError
from vp_desk.i18n import error_text
from vp_desk.reports import pii
from vp_desk.reports.errors import LedgerConflict, TextNeedsReview
from vp_desk.reports.view import ViewTable, build_view
from vp_desk.services import reporting
from vp_desk.tui import drafts
from vp_desk.tui.i18n import pick
from vp_desk.tui.safe import safe_line, safe_text
from vp_desk.tui.screens.portfolio import PortfolioScreen
from vp_desk.tui.screens.report_strings import (
    DRAFT_KIND,
    FORMAT_LABELS,
    STRINGS,
    _short,
    default_year,
)
from vp_desk.tui.widgets.lang import localise
from vp_desk.tui.widgets.notify import notify_safe
from vp_desk.tui.workers import WorkerFailures

if TYPE_CHECKING:
    from vp_desk.tui.app import VpDeskApp


__all__ = [
    "DRAFT_KIND",
    "FORMAT_LABELS",
    "STRINGS",
    "PortfolioScreen",
    "ReportScreen",
    "default_year",
]


class ReportScreen(WorkerFailures, Screen):
    if TYPE_CHECKING:
        app = getters.app(VpDeskApp)

    AUTO_FOCUS = "#report-tabs Tabs"
    DEFAULT_CSS = """
    ReportScreen #report-top { height: 3; padding: 0 1; }
    ReportScreen #report-top Label { padding: 1 1 0 0; }
    ReportScreen #report-year { width: 12; }
    ReportScreen #report-heading { padding: 1 0 0 2; width: 1fr; }
    ReportScreen #report-tabs { height: 1fr; }
    ReportScreen TabPane { height: 1fr; padding: 0; }
    ReportScreen #report-preview { height: 1fr; padding: 0 1; }
    ReportScreen .report-block { height: auto; margin-bottom: 1; }
    ReportScreen .report-table { width: 62; height: auto; }
    ReportScreen .report-chart { width: 1fr; min-width: 30; }
    ReportScreen .report-note { height: auto; padding: 0 0 1 0; }
    ReportScreen .report-warning { height: auto; padding: 0 1; margin-bottom: 1;
                                   border: tall $warning; }
    ReportScreen TextArea { height: 8; }
    ReportScreen .pii { height: auto; padding: 0 0 1 0; }
    ReportScreen .pii-found { color: $warning; }
    ReportScreen #texts-buttons, ReportScreen #export-row { height: auto; }
    ReportScreen #export-path { width: 1fr; }
    ReportScreen #export-format { width: 24; }
    ReportScreen #export-lang { width: 18; }
    ReportScreen #export-result { height: auto; padding: 1 0; }
    """
    BINDINGS = [
        Binding("escape", "back", "key.back", id="report.back"),
        Binding("ctrl+s", "save_texts", "key.save", id="report.save"),
        # priority: a text field's own ctrl+e (end of line) must not swallow it
        Binding("ctrl+e", "export", "key.export", id="report.export", priority=True),
        Binding("p", "portfolio", "key.portfolio", id="report.portfolio"),
        Binding("minus", "year(-1)", "key.prev", show=False, id="report.prev_year"),
        Binding("plus", "year(1)", "key.next", show=False, id="report.next_year"),
    ]

    @dataclass
    class Loaded(Message):
        preview: reporting.Preview | None
        error: str | None

    @dataclass
    class Saved(Message):
        texts: reporting.ReportTexts | None
        confirmed: bool
        error: str | None

    @dataclass
    class Exported(Message):
        text: str
        ok: bool

    def __init__(
        self,
        org_id: int,
        year: int | None = None,
        *,
        today: date | None = None,
        draft: dict | None = None,
    ) -> None:
        super().__init__()
        self.org_id = org_id
        self._today = today
        self.year = int(year) if year else default_year(self.today)
        self.preview: reporting.Preview | None = None
        self.saved_texts: reporting.ReportTexts | None = None
        self._draft = draft
        self._db = threading.Lock()
        self.export_message = ""

    # -- small facts --------------------------------------------------------------------------
    @property
    def lang(self) -> str:
        return getattr(self.app, "lang", "nl")

    @property
    def today(self) -> date:
        if self._today is not None:
            return self._today
        try:
            return getattr(self.app, "today", None) or date.today()
        except Exception:  # no app yet (constructor)
            return date.today()

    def _s(self, key: str, **params: object) -> str:
        return pick(STRINGS, key, self.lang, **params)

    def _texts_now(self) -> tuple[str, str]:
        return (
            self.query_one("#signals", TextArea).text,
            self.query_one("#recommendations", TextArea).text,
        )

    def unsaved(self) -> bool:
        if self.saved_texts is None:
            return False
        try:
            now = self._texts_now()
        except Exception:
            return False
        return now != (self.saved_texts.signals, self.saved_texts.recommendations)

    @property
    def draft_payload(self):
        """The drafts contract: a callable only while the texts hold unsaved edits.

        (The app treats a screen with a callable ``draft_payload`` as a form and
        keeps its navigation keys away from it; with nothing unsaved, they work.)
        """
        return self._payload if self.unsaved() else None

    def _payload(self) -> dict | None:
        if not self.unsaved():
            return None
        signals, recommendations = self._texts_now()
        return {
            "kind": DRAFT_KIND,
            "org_id": self.org_id,
            "year": self.year,
            "signals": signals,
            "recommendations": recommendations,
            "title": self._s("draft_label"),
        }

    # -- layout -----------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        s = self._s
        yield Header(icon="")
        with Horizontal(id="report-top"):
            yield Label(s("year"))
            yield Input(str(self.year), id="report-year", restrict=r"\d{0,4}", max_length=4)
            yield Static(Text(s("loading"), style="dim"), id="report-heading")
        with TabbedContent(id="report-tabs"):
            with TabPane(s("tab_preview"), id="tab-preview"):
                yield VerticalScroll(id="report-preview")
            with TabPane(s("tab_texts"), id="tab-texts"):
                # Not a focus stop: one Tab from the tab bar lands in the first text.
                with VerticalScroll(can_focus=False):
                    yield Static(Text(s("signals_help")), classes="report-note")
                    yield TextArea(id="signals", language=None, soft_wrap=True)
                    yield Static("", id="signals-pii", classes="pii")
                    yield Static(Text(s("recs_help")), classes="report-note")
                    yield TextArea(id="recommendations", language=None, soft_wrap=True)
                    yield Static("", id="recommendations-pii", classes="pii")
                    with Horizontal(id="texts-buttons"):
                        yield Button(Text(s("save")), id="texts-save", variant="primary")
                        yield Button(Text(s("confirm")), id="texts-confirm", disabled=True)
            with TabPane(s("tab_export"), id="tab-export"):
                with Vertical():
                    with Horizontal(id="export-row"):
                        yield Select(
                            [(label, fmt) for label, fmt in FORMAT_LABELS],
                            value="pdf",
                            allow_blank=False,
                            id="export-format",
                        )
                        yield Select(
                            [("Nederlands", "nl"), ("English", "en")],
                            value="nl",
                            allow_blank=False,
                            id="export-lang",
                        )
                        yield Input("", id="export-path")
                    yield Checkbox(s("final"), id="export-final")
                    yield Checkbox(s("withhold"), id="export-withhold")
                    yield Button(Text(s("export")), id="export-go", variant="primary")
                    yield Static("", id="export-result")
                    yield Button(Text(s("hours_button")), id="export-hours")
        yield Footer()

    def on_mount(self) -> None:
        localise(self, STRINGS, self.lang)
        for area in self.query(TextArea):
            area.cursor_blink = False
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
            with self._db:
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
        self.preview = event.preview
        report = event.preview.report
        self.query_one("#report-heading", Static).update(
            safe_line(
                self._s("heading", org=report.organisation, year=report.year, k=report.threshold)
            )
        )
        if first:
            self._fill_texts(event.preview.texts)
            # The report goes out in the organisation's language unless changed here.
            self.query_one("#export-lang", Select).value = report.lang
            path = self.query_one("#export-path", Input)
            if not path.value:
                path.value = self._default_path("pdf")
        await self._show_preview(event.preview)
        self._show_findings()

    def _fill_texts(self, texts: reporting.ReportTexts) -> None:
        self.saved_texts = texts
        signals, recommendations = texts.signals, texts.recommendations
        draft, self._draft = self._draft, None
        if draft and draft.get("year") == self.year:
            signals = str(draft.get("signals", signals))
            recommendations = str(draft.get("recommendations", recommendations))
        self.query_one("#signals", TextArea).load_text(signals)
        self.query_one("#recommendations", TextArea).load_text(recommendations)

    def _default_path(self, fmt: str) -> str:
        name = self.preview.report.organisation if self.preview else ""
        lang = self.preview.report.lang if self.preview else self.lang
        return str(Path.home() / reporting.default_file_name(name, self.year, fmt, lang))

    async def _show_preview(self, preview: reporting.Preview) -> None:
        view = build_view(preview.report)
        box_ = self.query_one("#report-preview", VerticalScroll)
        await box_.remove_children()
        widgets: list[Widget] = [
            Static(Text(self._s("as_employer"), style="italic"), classes="report-note")
        ]
        warning = self._isolation_text(preview)
        if warning:
            widgets.append(Static(Text(warning), classes="report-warning"))
        issued = sorted({e.issued[:10] for e in preview.issued})
        widgets.append(
            Static(
                Text(
                    self._s("issued", dates=", ".join(issued)) if issued else self._s("not_issued"),
                    style="dim",
                ),
                classes="report-note",
            )
        )
        widgets.append(self._block(view.key_figures, chart=False))
        widgets.append(Static(Text(view.tables_heading, style="bold"), classes="report-note"))
        if view.no_breakdown:
            widgets.append(Static(Text(view.no_breakdown), classes="report-note"))
        for table in view.tables:
            widgets.append(self._block(table))
        widgets.append(self._block(view.activities, chart=bool(view.activities.rows)))
        notes = Text(view.protection_heading + "\n", style="bold")
        for note in view.notes:
            notes.append("• " + note + "\n", style="")
        widgets.append(Static(notes, classes="report-note"))
        await box_.mount_all(widgets)
        for plot in box_.query(PlotextPlot):
            self._draw(plot)

    def _isolation_text(self, preview: reporting.Preview) -> str:
        if not preview.isolations:
            return ""
        figures = ", ".join(reporting.describe_isolations(preview.report, preview.isolations)[:4])
        last = max(i.issued for i in preview.isolations)[:10]
        return self._s("isolating", date=last, k=preview.report.threshold, figures=figures)

    def _block(self, table: ViewTable, chart: bool = True) -> Horizontal:
        grid = Table(
            title=Text(table.title, style="bold"),
            title_justify="left",
            box=box.SIMPLE_HEAD,
            show_edge=False,
            expand=True,
            padding=(0, 1),
        )
        grid.add_column(Text(table.columns[0]), ratio=3)
        for title in table.columns[1:]:
            grid.add_column(Text(title), justify="right", ratio=1)
        for row in table.rows:
            label = safe_line(row.label)
            if row.detail:
                label.append("\n" + row.detail, style="dim")
            style = "italic dim" if row.count is None and table.chart else ""
            cells = [label, Text(row.value, style=style)]
            if len(table.columns) > 2:
                cells.append(Text(row.extra))
            grid.add_row(*cells)
        if table.hint:
            grid.caption = Text(table.hint, style="dim")
            grid.caption_justify = "left"
        parts: list = [Static(grid, classes="report-table")]
        if chart and table.chart and table.rows:
            plot = PlotextPlot(classes="report-chart")
            plot.styles.height = len(table.rows) + 3  # one line per bar: no rounding
            plot.view_table = table  # type: ignore[attr-defined]
            parts.append(plot)
        return Horizontal(*parts, classes="report-block")

    def _draw(self, plot: PlotextPlot) -> None:
        table: ViewTable = plot.view_table  # type: ignore[attr-defined]
        plt = plot.plt
        plt.clear_figure()
        # Vocabulary labels only (never user text): plotext renders through ANSI.
        # Numeric positions with tick labels keep each bar on its own line.
        k = self.preview.report.threshold if self.preview else 5
        labels = [_short(r.label) + ("" if r.count is not None else f" (<{k})") for r in table.rows]
        values = [float(r.count or 0) for r in table.rows]
        positions = list(range(len(labels)))
        plt.bar(positions, values[::-1], orientation="horizontal", width=0.5)
        plt.yticks([float(p) for p in positions], labels[::-1])
        peak = max(values + [1.0])
        step = max(1, round(peak / 4))
        plt.xticks(list(range(0, int(peak) + 1, step)))
        plot.refresh()

    # -- free text --------------------------------------------------------------------------------
    @on(TextArea.Changed)
    def _text_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        self._show_findings()

    def _show_findings(self) -> None:
        confirmed = bool(self.saved_texts and self.saved_texts.confirmed and not self.unsaved())
        any_found = False
        for section in ("signals", "recommendations"):
            text = self.query_one(f"#{section}", TextArea).text
            found = pii.scan(text, section, self.preview.report.threshold if self.preview else 5)
            any_found = any_found or bool(found)
            target = self.query_one(f"#{section}-pii", Static)
            if not found:
                target.update(Text(self._s("pii_none"), style="dim"))
                target.remove_class("pii-found")
                continue
            items = []
            for f in found:
                kind = pii.KINDS[f.kind][0 if self.lang == "nl" else 1]
                line = text.count("\n", 0, f.start) + 1
                item = f"{kind} ({self._s('line', n=line)})"
                if item not in items:
                    items.append(item)
            key = "pii_confirmed" if confirmed else "pii_found"
            target.update(Text(self._s(key, items="; ".join(items))))
            target.set_class(not confirmed, "pii-found")
        self.query_one("#texts-confirm", Button).disabled = not any_found or confirmed

    def action_save_texts(self) -> None:
        self._save(confirm=False)

    @on(Button.Pressed, "#texts-save")
    def _save_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self._save(confirm=False)

    @on(Button.Pressed, "#texts-confirm")
    def _confirm_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self._save(confirm=True)

    def _save(self, *, confirm: bool) -> None:
        signals, recommendations = self._texts_now()
        self._store(self.year, signals, recommendations, confirm)

    @work(thread=True, exit_on_error=False, group="report-save")
    def _store(self, year: int, signals: str, recommendations: str, confirm: bool) -> None:
        desk = getattr(self.app, "desk", None)
        if desk is None:
            return
        try:
            with self._db:
                texts = reporting.save_texts(desk, self.org_id, year, signals, recommendations)
                if confirm:
                    texts = reporting.confirm_texts(desk, self.org_id, year)
        except VpDeskError as exc:
            self.post_message(self.Saved(None, confirm, error_text(exc, self.lang)))
            return
        self.post_message(self.Saved(texts, confirm, None))

    @on(Saved)
    def _saved(self, event: Saved) -> None:
        event.stop()
        if event.texts is None:
            notify_safe(self, self._s("failed", error=event.error or ""), severity="error")
            return
        self.saved_texts = event.texts
        notify_safe(self, self._s("confirmed" if event.confirmed else "saved"), timeout=3)
        self._show_findings()
        self.reload()

    # -- export -----------------------------------------------------------------------------------
    @on(Select.Changed, "#export-format")
    def _format_changed(self, event: Select.Changed) -> None:
        event.stop()
        path = self.query_one("#export-path", Input)
        fmt = str(event.value)
        if path.value:
            stem = Path(path.value)
            path.value = str(stem.with_suffix("." + fmt))
        elif self.preview is not None:  # else filled in when the report is loaded
            path.value = self._default_path(fmt)

    def action_export(self) -> None:
        self._start_export()

    @on(Button.Pressed, "#export-go")
    def _export_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self._start_export()

    def _start_export(self) -> None:
        if self.unsaved():
            self._save(confirm=False)
        path = self.query_one("#export-path", Input).value.strip()
        if not path:
            self._export_result(self._s("no_path"), False)
            return
        fmt = str(self.query_one("#export-format", Select).value)
        args = (
            self.year,
            fmt,
            path,
            str(self.query_one("#export-lang", Select).value),
            self.query_one("#export-final", Checkbox).value,
            self.query_one("#export-withhold", Checkbox).value,
        )
        from vp_desk.tui.dialogs.export import confirm_overwrite

        def go(replace: bool) -> None:
            self._export_result(self._s("exporting"), True)
            self._export(*args, force=replace)

        confirm_overwrite(
            self,
            Path(path).expanduser(),
            self.lang,
            go,
            lambda: self._export_result(self._s("not_replaced"), False),
        )

    @on(Button.Pressed, "#export-hours")
    def _hours_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        from vp_desk.tui.dialogs.hours import HoursDialog

        self.app.push_screen(HoursDialog(self.org_id, self.lang, today=self.today))

    @work(thread=True, exclusive=True, exit_on_error=False, group="report-export")
    def _export(
        self,
        year: int,
        fmt: str,
        path: str,
        lang: str,
        final: bool,
        withhold: bool,
        force: bool = False,
    ) -> None:
        desk = getattr(self.app, "desk", None)
        if desk is None:
            return
        try:
            with self._db:
                result = reporting.export(
                    desk,
                    self.org_id,
                    year,
                    fmt,
                    path,
                    lang=lang,
                    final=final,
                    withhold=withhold,
                    force=force,
                    today=self.today,
                )
        except TextNeedsReview:
            with self._db:
                texts = reporting.get_texts(desk, self.org_id, year)
            k = self.preview.report.threshold if self.preview else 5
            items = "; ".join(pii.summary(texts.findings(k), self.lang))
            self.post_message(self.Exported(self._s("text_refused", items=items), False))
            return
        except LedgerConflict as exc:
            figures = ""
            if self.preview is not None:
                figures = ", ".join(
                    reporting.describe_isolations(self.preview.report, self.preview.isolations)[:4]
                )
            self.post_message(
                self.Exported(
                    self._s(
                        "ledger_refused",
                        year=exc.year,
                        date=exc.issued,
                        k=exc.k,
                        figures=figures or ", ".join(exc.figures[:4]),
                    ),
                    False,
                )
            )
            return
        except VpDeskError as exc:
            self.post_message(
                self.Exported(self._s("failed", error=error_text(exc, self.lang)), False)
            )
            return
        except OSError as exc:
            self.post_message(self.Exported(self._s("failed", error=exc.strerror or "I/O"), False))
            return
        except BaseException:
            # Unexpected: the app's notice says what happened; "exporting..." must not stay.
            self.app.call_from_thread(self._export_result, "", False)
            raise
        text = self._s("exported", path=str(result.path))
        if result.withheld:
            text += self._s("withheld_done")
        if result.ledger:
            text += self._s(result.ledger)
        self.post_message(self.Exported(text, True))

    @on(Exported)
    def _exported(self, event: Exported) -> None:
        event.stop()
        self._export_result(event.text, event.ok)
        notify_safe(self, event.text, severity="information" if event.ok else "warning", timeout=6)
        if event.ok:
            self.reload()

    def _export_result(self, text: str, ok: bool) -> None:
        self.export_message = text
        self.query_one("#export-result", Static).update(safe_text(text, "" if ok else "bold"))

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
            self._save(confirm=False)
        self.year = year
        self.query_one("#report-year", Input).value = str(year)
        self.query_one("#export-path", Input).value = ""
        self._update_subtitle()
        self.reload()

    def action_back(self) -> None:
        if self.unsaved():
            self._save(confirm=False)
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
