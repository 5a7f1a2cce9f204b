"""PDF (fpdf2) with tables and bar charts, in an embedded Unicode font.

DejaVu Sans is bundled in ``vp_desk/reports/fonts`` (Bitstream Vera licence,
which allows redistribution; see LICENSE-DejaVu.txt) so that Dutch characters and
whatever the adviser types render the same on every machine; fpdf2 embeds only
the glyphs used. Text is drawn as text, never interpreted as markup.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import FontFace

from vp_desk.reports.model import AnnualReport
from vp_desk.reports.strings import s
from vp_desk.reports.view import ReportView, ViewTable, build_view
from vp_desk.textsafe import clean_text

FONT_DIR = Path(__file__).with_name("fonts")
FAMILY = "DejaVu"
INK = (29, 39, 49)
MUTED = (91, 103, 112)
BAR = (47, 111, 143)
LINE = (200, 207, 213)
HEAD = (234, 239, 243)

# fpdf2 and fontTools log every missing glyph (for emoji typed into a text);
# that would put text fragments on stderr.
for _name in ("fpdf", "fontTools"):
    logging.getLogger(_name).setLevel(logging.ERROR)


def _t(text: str) -> str:
    return clean_text(text or "")


class _Pdf(FPDF):
    def __init__(self, view: ReportView):
        super().__init__(format="A4")
        self.view = view
        self.add_font(FAMILY, "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font(FAMILY, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.set_auto_page_break(True, margin=18)
        self.set_margins(18, 18, 18)
        self.set_title(_t(view.subtitle))
        self.set_lang(view.lang)
        self.set_creator("vp_desk")

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FAMILY, "", 8)
        self.set_text_color(*MUTED)
        self.cell(0, 6, f"{_t(self.view.subtitle)} · {self.page_no()}", align="C")


def _heading(pdf: _Pdf, text: str, size: float) -> None:
    if pdf.get_y() > pdf.h - 50:
        pdf.add_page()
    pdf.ln(3)
    pdf.set_font(FAMILY, "B", size)
    pdf.set_text_color(*INK)
    pdf.multi_cell(0, size * 0.55, _t(text), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)


def _para(pdf: _Pdf, text: str, size: float = 10, muted: bool = False) -> None:
    pdf.set_font(FAMILY, "", size)
    pdf.set_text_color(*(MUTED if muted else INK))
    pdf.multi_cell(0, size * 0.5, _t(text), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)


def _table(pdf: _Pdf, table: ViewTable) -> None:
    pdf.set_font(FAMILY, "", 9.5)
    pdf.set_text_color(*INK)
    widths = (110, 28, 28)[: len(table.columns)] if len(table.columns) > 2 else (120, 46)
    pdf.set_draw_color(*LINE)
    pdf.set_fill_color(255, 255, 255)
    with pdf.table(
        col_widths=widths,
        width=sum(widths),
        align="LEFT",
        line_height=5.2,
        text_align=("LEFT",) + ("RIGHT",) * (len(widths) - 1),
        borders_layout="HORIZONTAL_LINES",
        cell_fill_mode="NONE",
        headings_style=FontFace(emphasis="BOLD", fill_color=HEAD),
        padding=1,
    ) as grid:
        head = grid.row()
        for title in table.columns:
            head.cell(_t(title))
        for row in table.rows:
            r = grid.row()
            r.cell(_t(row.label) + (f"\n{_t(row.detail)}" if row.detail else ""))
            r.cell(_t(row.value))
            if len(widths) > 2:
                r.cell(_t(row.extra))
    pdf.ln(2)


def _chart(pdf: _Pdf, table: ViewTable) -> None:
    """Horizontal bars; a hidden count gets no bar, only its text ("fewer than k")."""
    rows = table.rows
    bar_h, gap, label_w, chart_w = 4.2, 1.6, 70, 80
    height = len(rows) * (bar_h + gap)
    if pdf.get_y() + height > pdf.h - 20:
        pdf.add_page()
    peak = max([r.count or 0 for r in rows] + [1])
    x0, y = pdf.l_margin, pdf.get_y()
    pdf.set_font(FAMILY, "", 8)
    for row in rows:
        pdf.set_text_color(*INK)
        pdf.set_xy(x0, y)
        label = _t(row.label)
        while pdf.get_string_width(label) > label_w - 2 and len(label) > 4:
            label = label[:-2].rstrip() + "…"
        pdf.cell(label_w, bar_h, label)
        length = 0 if row.count is None else chart_w * row.count / peak
        if length:
            pdf.set_fill_color(*BAR)
            pdf.rect(x0 + label_w, y + 0.3, length, bar_h - 0.6, style="F")
        pdf.set_xy(x0 + label_w + length + 1.5, y)
        pdf.set_text_color(*MUTED)
        pdf.cell(30, bar_h, _t(row.value))
        y += bar_h + gap
    pdf.set_fill_color(255, 255, 255)
    pdf.set_xy(x0, y + 2)


def render(report: AnnualReport) -> bytes:
    v = build_view(report)
    pdf = _Pdf(v)
    pdf.add_page()
    pdf.set_font(FAMILY, "B", 18)
    pdf.set_text_color(*INK)
    pdf.multi_cell(0, 9, _t(v.title), new_x="LMARGIN", new_y="NEXT")
    _para(pdf, v.subtitle, 12, muted=True)
    _heading(pdf, v.key_figures.title, 13)
    _table(pdf, v.key_figures)
    _heading(pdf, v.tables_heading, 13)
    if v.no_breakdown:
        _para(pdf, v.no_breakdown)
    for table in v.tables:
        _heading(pdf, table.title, 11)
        _table(pdf, table)
        _chart(pdf, table)
        if table.hint:
            _para(pdf, table.hint, 8.5, muted=True)
    _heading(pdf, v.activities.title, 13)
    if v.activities.rows:
        _table(pdf, v.activities)
        _chart(pdf, v.activities)
    else:
        _para(pdf, v.activities.hint, muted=True)
    for heading, text in v.texts:
        _heading(pdf, heading, 13)
        blocks = [b for b in re.split(r"\n\s*\n", _t(text).strip()) if b.strip()]
        for block in blocks or [s("no_text", v.lang)]:
            _para(pdf, block)
    _heading(pdf, v.protection_heading, 13)
    for note in v.notes:
        _para(pdf, "• " + note, 9.5)
    _para(pdf, v.drawn_up, 8.5, muted=True)
    return bytes(pdf.output())
