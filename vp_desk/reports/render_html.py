"""Self-contained HTML: inline CSS (with a print style sheet), inline SVG bar charts.

Nothing is loaded from elsewhere: no scripts, fonts, images or links, so the
file looks the same offline and tells nobody that it was opened. Every piece of
text goes through ``html.escape``.
"""

from __future__ import annotations

import html
import re

from vp_desk.reports.model import AnnualReport
from vp_desk.reports.strings import s
from vp_desk.reports.view import ViewTable, build_view
from vp_desk.textsafe import clean_text

CSS = """
:root { --ink: #1d2731; --muted: #5b6770; --line: #d5dbe0; --bar: #2f6f8f; --hidden: #b8c4cc; }
* { box-sizing: border-box; }
body { font-family: "Segoe UI", "DejaVu Sans", Arial, sans-serif; color: var(--ink);
       max-width: 52rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.45; }
h1 { font-size: 1.7rem; margin-bottom: .2rem; }
h2 { font-size: 1.25rem; border-bottom: 2px solid var(--line); padding-bottom: .2rem;
     margin-top: 2rem; }
h3 { font-size: 1.05rem; margin-top: 1.4rem; }
.subtitle { color: var(--muted); font-size: 1.1rem; margin-top: 0; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid var(--line);
         vertical-align: top; }
td.num, th.num { text-align: right; white-space: nowrap; }
td.hidden { color: var(--muted); font-style: italic; }
.detail { display: block; color: var(--muted); font-size: .85rem; }
.hint, .drawn { color: var(--muted); font-size: .9rem; }
.block { display: flex; gap: 1.5rem; flex-wrap: wrap; align-items: flex-start; }
.block > table { flex: 1 1 22rem; }
.block > svg { flex: 0 0 auto; }
svg text { font-size: 11px; fill: var(--ink); }
.notes li { margin-bottom: .3rem; }
.text p { white-space: pre-wrap; }
@media print {
  body { max-width: none; margin: 0; font-size: 10.5pt; }
  h2 { break-after: avoid; }
  table, svg, .block { break-inside: avoid; }
  .bar { fill: #444 !important; }
}
"""


NUM = ' class="num"'


def esc(text: str) -> str:
    return html.escape(clean_text(text or ""), quote=True)


def bar_chart(table: ViewTable, lang: str, width: int = 260) -> str:
    """A horizontal bar chart as inline SVG; hidden counts get no bar, only their text."""
    rows = table.rows
    peak = max([r.count or 0 for r in rows] + [1])
    bar_h, gap, label_w = 14, 6, 0
    height = len(rows) * (bar_h + gap) + gap
    # Inline SVG in HTML needs no namespace URL (and the file holds no URL at all).
    parts = [
        f'<svg width="{width}" height="{height}" role="img" '
        f'aria-label="{esc(s("chart_alt", lang, title=table.title))}">'
    ]
    for i, row in enumerate(rows):
        y = gap + i * (bar_h + gap)
        length = 0 if row.count is None else round((width - 60) * (row.count / peak))
        if length:
            parts.append(
                f'<rect class="bar" x="{label_w}" y="{y}" width="{length}" '
                f'height="{bar_h}" fill="#2f6f8f"/>'
            )
        parts.append(
            f'<text x="{label_w + length + 4}" y="{y + bar_h - 3}">{esc(row.value)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _table(table: ViewTable) -> str:
    head = "".join(f"<th{NUM if i else ''}>{esc(c)}</th>" for i, c in enumerate(table.columns))
    body = []
    for row in table.rows:
        detail = f'<span class="detail">{esc(row.detail)}</span>' if row.detail else ""
        hidden = " hidden" if row.count is None and table.chart else ""
        cells = [
            f"<td>{esc(row.label)}{detail}</td>",
            f'<td class="num{hidden}">{esc(row.value)}</td>',
        ]
        if len(table.columns) > 2:
            cells.append(f'<td class="num">{esc(row.extra)}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _paragraphs(text: str, lang: str) -> str:
    blocks = [b for b in re.split(r"\n\s*\n", clean_text(text or "").strip()) if b.strip()]
    if not blocks:
        return f'<p class="hint">{esc(s("no_text", lang))}</p>'
    return "".join(f"<p>{esc(b)}</p>" for b in blocks)


def render(report: AnnualReport) -> bytes:
    v = build_view(report)
    out = [
        f'<!DOCTYPE html><html lang="{esc(v.lang)}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(v.subtitle)}</title><style>{CSS}</style></head><body>",
        f"<h1>{esc(v.title)}</h1>",
        f'<p class="subtitle">{esc(v.subtitle)}</p>',
        f"<h2>{esc(v.key_figures.title)}</h2>",
        _table(v.key_figures),
        f"<h2>{esc(v.tables_heading)}</h2>",
    ]
    if v.no_breakdown:
        out.append(f"<p>{esc(v.no_breakdown)}</p>")
    for table in v.tables:
        out.append(f"<h3>{esc(table.title)}</h3>")
        out.append(f'<div class="block">{_table(table)}{bar_chart(table, v.lang)}</div>')
        if table.hint:
            out.append(f'<p class="hint">{esc(table.hint)}</p>')
    acts = v.activities
    out.append(f"<h2>{esc(acts.title)}</h2>")
    if acts.rows:
        out.append(f'<div class="block">{_table(acts)}{bar_chart(acts, v.lang)}</div>')
    else:
        out.append(f'<p class="hint">{esc(acts.hint)}</p>')
    for heading, text in v.texts:
        out.append(f'<h2>{esc(heading)}</h2><div class="text">{_paragraphs(text, v.lang)}</div>')
    out.append(f'<h2>{esc(v.protection_heading)}</h2><ul class="notes">')
    out += [f"<li>{esc(n)}</li>" for n in v.notes]
    out.append(f'</ul><p class="drawn">{esc(v.drawn_up)}</p></body></html>')
    return "\n".join(out).encode("utf-8")
