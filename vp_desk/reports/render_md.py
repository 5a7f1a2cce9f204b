"""Markdown. User text is escaped so it can never become markup, links or HTML."""

from __future__ import annotations

import re

from vp_desk.reports.model import AnnualReport
from vp_desk.reports.view import ViewTable, build_view
from vp_desk.textsafe import clean_text

# Characters that start markup anywhere in a line (CommonMark + GFM tables and
# strikethrough). A backslash makes any ASCII punctuation literal, "<" and "&"
# included, so no raw HTML, entity, link or emphasis can come out of user text.
_SPECIAL = re.compile(r"([\\`*_{}\[\]<>&|~])")
# Characters that only start markup at the beginning of a line.
_LINE_START = re.compile(r"^(\s*)(?:([#+=-])|(\d+)([.)]))", re.MULTILINE)


def escape(text: str) -> str:
    """Plain text that Markdown shows literally."""
    text = _SPECIAL.sub(r"\\\1", clean_text(text or ""))
    return _LINE_START.sub(
        lambda m: (
            m.group(1) + ("\\" + m.group(2) if m.group(2) else m.group(3) + "\\" + m.group(4))
        ),
        text,
    )


def _cell(text: str) -> str:
    return escape(text).replace("\n", " ")


def _table(table: ViewTable) -> list[str]:
    cols = table.columns
    lines = [
        "| " + " | ".join(_cell(c) for c in cols) + " |",
        "|" + "|".join([" --- "] + [" ---: "] * (len(cols) - 1)) + "|",
    ]
    for row in table.rows:
        label = _cell(row.label) + (f" ({_cell(row.detail)})" if row.detail else "")
        cells = [label, _cell(row.value)] + ([_cell(row.extra)] if len(cols) > 2 else [])
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def _paragraphs(text: str) -> list[str]:
    out = []
    for block in re.split(r"\n\s*\n", clean_text(text or "").strip()):
        if block.strip():
            out += ["  \n".join(escape(line) for line in block.splitlines()), ""]
    return out


def render(report: AnnualReport) -> bytes:
    v = build_view(report)
    lines = (
        [
            f"# {escape(v.title)}",
            "",
            f"**{escape(v.subtitle)}**",
            "",
            f"## {escape(v.key_figures.title)}",
            "",
        ]
        + _table(v.key_figures)
        + [""]
    )
    lines += [f"## {escape(v.tables_heading)}", ""]
    if v.no_breakdown:
        lines += [escape(v.no_breakdown), ""]
    for table in v.tables:
        lines += [f"### {escape(table.title)}", ""] + _table(table) + [""]
        if table.hint:
            lines += [f"*{escape(table.hint)}*", ""]
    acts = v.activities
    lines += [f"## {escape(acts.title)}", ""]
    lines += (_table(acts) + [""]) if acts.rows else [escape(acts.hint), ""]
    for heading, text in v.texts:
        lines += [f"## {escape(heading)}", ""]
        lines += _paragraphs(text) or [escape(_none(v.lang)), ""]
    lines += [f"## {escape(v.protection_heading)}", ""]
    lines += [f"- {escape(n)}" for n in v.notes] + ["", f"*{escape(v.drawn_up)}*", ""]
    return "\n".join(lines).encode("utf-8")


def _none(lang: str) -> str:
    from vp_desk.reports.strings import s

    return s("no_text", lang)
