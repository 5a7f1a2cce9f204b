"""DOCX (python-docx): real Word tables the employer's office can edit.

python-docx escapes XML itself; text is cleaned of control characters first,
because XML cannot hold them at all.
"""

from __future__ import annotations

import io
import re
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from vp_desk.reports.model import AnnualReport
from vp_desk.reports.strings import s
from vp_desk.reports.view import ViewTable, build_view
from vp_desk.textsafe import clean_text

_NOT_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")


def _t(text: str) -> str:
    """Clean text that XML can hold (no control characters, no non-characters)."""
    return _NOT_XML.sub("", clean_text(text or ""))


def _table(doc: Any, table: ViewTable) -> None:
    grid = doc.add_table(rows=1, cols=len(table.columns))
    grid.style = "Light Grid Accent 1"
    for cell, title in zip(grid.rows[0].cells, table.columns):
        cell.text = _t(title)
    for row in table.rows:
        cells = grid.add_row().cells
        cells[0].text = _t(row.label)
        if row.detail:
            detail = cells[0].add_paragraph(_t(row.detail))
            for run in detail.runs:
                run.font.size = Pt(8)
        cells[1].text = _t(row.value)
        cells[1].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        if len(table.columns) > 2:
            cells[2].text = _t(row.extra)
            cells[2].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT


def render(report: AnnualReport) -> bytes:
    v = build_view(report)
    doc = Document()
    doc.core_properties.title = _t(v.subtitle)
    doc.core_properties.author = ""
    doc.core_properties.language = v.lang
    doc.add_heading(_t(v.title), level=0)
    doc.add_paragraph(_t(v.subtitle))
    doc.add_heading(_t(v.key_figures.title), level=1)
    _table(doc, v.key_figures)
    doc.add_heading(_t(v.tables_heading), level=1)
    if v.no_breakdown:
        doc.add_paragraph(_t(v.no_breakdown))
    for table in v.tables:
        doc.add_heading(_t(table.title), level=2)
        _table(doc, table)
        if table.hint:
            doc.add_paragraph().add_run(_t(table.hint)).italic = True
    doc.add_heading(_t(v.activities.title), level=1)
    if v.activities.rows:
        _table(doc, v.activities)
    else:
        doc.add_paragraph(_t(v.activities.hint))
    for heading, text in v.texts:
        doc.add_heading(_t(heading), level=1)
        blocks = [b for b in re.split(r"\n\s*\n", _t(text).strip()) if b.strip()]
        for block in blocks or [s("no_text", v.lang)]:
            doc.add_paragraph(block)
    doc.add_heading(_t(v.protection_heading), level=1)
    for note in v.notes:
        doc.add_paragraph(_t(note), style="List Bullet")
    doc.add_paragraph(_t(v.drawn_up))
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
