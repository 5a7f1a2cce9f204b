"""The report screen's Preview tab: the report exactly as the employer gets it.

Disclosure control applied; tables beside terminal bar charts, the notes on
how small numbers were protected, and a warning when the figures differ from
an issued report in a way that would single out cases. The screen loads the
report and calls :meth:`PreviewTab.show`; the tab runs no worker of its own.
"""

from __future__ import annotations

from rich import box
from rich.table import Table
from rich.text import Text
from textual.containers import Horizontal, VerticalScroll
from textual.widget import Widget
from textual.widgets import Static
from textual_plotext import PlotextPlot

from vp_desk.reports.view import ViewTable, build_view
from vp_desk.services import reporting
from vp_desk.tui.safe import safe_line
from vp_desk.tui.screens.report_context import ReportContext, ReportTab
from vp_desk.tui.screens.report_strings import STRINGS, _short

__all__ = ["STRINGS", "PreviewTab"]  # STRINGS: the texts ``self._s`` looks up (tests/test_i18n.py)


class PreviewTab(ReportTab, VerticalScroll):
    """The protected report, rebuilt from each preview the screen loads."""

    def __init__(self, context: ReportContext, *, id: str | None = "report-preview") -> None:
        super().__init__(context, id=id)

    async def show(self, preview: reporting.Preview) -> None:
        """Replace what is shown by ``preview`` (the figures the employer would get)."""
        view = build_view(preview.report)
        await self.remove_children()
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
        await self.mount_all(widgets)
        for plot in self.query(PlotextPlot):
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
        parts: list[Widget] = [Static(grid, classes="report-table")]
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
        k = self.context.threshold
        labels = [_short(r.label) + ("" if r.count is not None else f" (<{k})") for r in table.rows]
        values = [float(r.count or 0) for r in table.rows]
        positions = list(range(len(labels)))
        plt.bar(positions, values[::-1], orientation="horizontal", width=0.5)
        plt.yticks([float(p) for p in positions], labels[::-1])
        peak = max(values + [1.0])
        step = max(1, round(peak / 4))
        plt.xticks(list(range(0, int(peak) + 1, step)))
        plot.refresh()
