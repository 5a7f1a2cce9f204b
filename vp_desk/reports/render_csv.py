"""CSV of the aggregate tables: one row per published figure, for Dutch Excel.

Columns: ``section, code, label, value, count, minutes``. ``value`` is what the
report shows ("fewer than 5" for a hidden count); ``count`` is the number, empty
when hidden.

Written the way Dutch Excel reads a double-clicked file: ``;`` as separator,
UTF-8 with a byte-order mark (so accents show), CRLF line ends, every text
cell in double quotes, whole numbers bare and other numbers with a decimal
comma. A text cell can never become a formula: if the cell, or any piece of
it after splitting on ``;`` or ``,`` (what a program with another separator
would do), would start with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return - also after spaces or double quotes - that piece gets a ``'`` in
front ("Acme;=1+1" is written as "Acme;'=1+1", 'Acme;"=1' as 'Acme;"'=1').
"""

from __future__ import annotations

import csv
import io
import re

from vp_desk.i18n import format_number
from vp_desk.reports.model import AnnualReport
from vp_desk.reports.strings import fewer_than, hidden_text, s
from vp_desk.textsafe import clean_line

HEADER = ("section", "code", "label", "value", "count", "minutes")


_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
#: A piece may also open with double quotes before the formula sign: a program
#: that splits a line on ``;`` or ``,`` and then strips quotes ('Acme;"=1+1')
#: would see a formula, so the ``'`` goes after the quotes.
_PIECE_START = re.compile(r"(^|[;,])([\s\"]*)(?=[=+\-@\t\r])")


def cell(value: object) -> object:
    """A value as written: numbers stay numbers, text is cleaned and neutralised."""
    if isinstance(value, bool):
        value = str(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return format_number(value, "nl", 2, grouping=False, trim=True)
    text = clean_line("" if value is None else str(value))
    return _PIECE_START.sub(lambda m: m.group(1) + m.group(2) + "'", text)


def rows(report: AnnualReport) -> list[tuple[object, ...]]:
    f, lang, k = report.figures, report.lang, report.threshold
    out: list[tuple[object, ...]] = [
        ("report", "organisation", s("organisation", lang), report.organisation, "", ""),
        ("report", "year", s("year", lang), report.year, report.year, ""),
        ("report", "threshold", "k", k, k, ""),
        (
            "report",
            "status",
            s("status", lang),
            s("draft_mark" if report.draft else "final_mark", lang),
            "",
            "",
        ),
    ]
    for name, key in (
        ("employees", "employees"),
        ("new_cases", "new_cases"),
        ("open_at_year_end", "open_at_year_end"),
        ("consultations", "consultations"),
        ("contacts_per_100_employees", "contacts_per_100"),
    ):
        value = f.get(name)
        if value is None:
            shown = (
                fewer_than(k, lang)
                if name in (f.get("suppressed_figures") or ())
                else s("withheld" if f.get("withheld") else "not_published", lang)
            )
            out.append(("key_figures", name, s(key, lang), shown, "", ""))
        else:
            out.append(("key_figures", name, s(key, lang), value, value, ""))
    for name, key in (("cases", "hours_cases"), ("activities", "hours_activities")):
        value = f["hours"].get(name)
        shown = s("not_published", lang) if value is None else value
        out.append(("hours", name, s(key, lang), shown, "" if value is None else value, ""))
    for t in f.get("tables") or ():
        for r in t["rows"]:
            label = report.row_label(t["id"], r["code"])
            if r.get("members"):
                label += " (" + ", ".join(report.row_label(t["id"], c) for c in r["members"]) + ")"
            if r["suppressed"]:
                out.append((t["id"], r["code"], label, hidden_text(r, k, lang), "", ""))
            else:
                out.append((t["id"], r["code"], label, r["count"], r["count"], ""))
    from vp_desk import vocabulary as voc

    for a in f.get("activities") or ():
        out.append(
            (
                "activities",
                a["code"],
                voc.label("activity", a["code"], lang),
                a["count"],
                a["count"],
                a["minutes"],
            )
        )
    return out


def write(table: list[tuple[object, ...]], header: tuple[str, ...] = HEADER) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
    writer.writerow(header)
    for row in table:
        writer.writerow([cell(v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def render(report: AnnualReport) -> bytes:
    return write(rows(report))
