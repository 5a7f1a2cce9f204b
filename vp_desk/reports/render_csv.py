"""CSV of the aggregate tables: one row per published figure.

Columns: ``section, code, label, value, count, minutes``. ``value`` is what the
report shows ("fewer than 5" for a hidden count); ``count`` is the number, empty
when hidden. Cells that a spreadsheet would read as a formula are prefixed
with a quote. UTF-8 with a byte-order mark, so spreadsheet programs show
accents correctly.
"""

from __future__ import annotations

import csv
import io

from vp_desk.reports.model import AnnualReport
from vp_desk.reports.strings import fewer_than, s
from vp_desk.textsafe import clean_line

HEADER = ("section", "code", "label", "value", "count", "minutes")


def cell(value: object) -> str:
    text = clean_line("" if value is None else str(value))
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def rows(report: AnnualReport) -> list[tuple[object, ...]]:
    f, lang, k = report.figures, report.lang, report.threshold
    out: list[tuple[object, ...]] = [
        ("report", "organisation", s("organisation", lang), report.organisation, "", ""),
        ("report", "year", s("year", lang), report.year, report.year, ""),
        ("report", "threshold", "k", k, k, ""),
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
        out.append(("hours", name, s(key, lang), f["hours"][name], f["hours"][name], ""))
    for t in f.get("tables") or ():
        for r in t["rows"]:
            label = report.row_label(t["id"], r["code"])
            if r.get("members"):
                label += " (" + ", ".join(report.row_label(t["id"], c) for c in r["members"]) + ")"
            if r["suppressed"]:
                out.append((t["id"], r["code"], label, fewer_than(k, lang), "", ""))
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
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in table:
        writer.writerow([cell(v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def render(report: AnnualReport) -> bytes:
    return write(rows(report))
