"""The report laid out in words, once, for every document format.

``build_view(report)`` turns an ``AnnualReport`` into headings, rows of
(label, value text, number for a chart) and paragraphs in the report's
language. Markdown, HTML, PDF, DOCX, CSV and the TUI preview all render this,
so "fewer than k" and the notes read the same everywhere. Text here is plain:
each renderer escapes it for its own format.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from vp_desk import vocabulary as voc
from vp_desk.reports.disclosure import round_half_hours
from vp_desk.reports.model import AnnualReport
from vp_desk.reports.strings import fewer_than, hidden_text, hours_text, number_text, s


@dataclass(frozen=True)
class ViewRow:
    label: str
    value: str  # what the reader sees: a number or "fewer than k"
    count: float | None  # the number behind it, for bar charts; None when hidden
    detail: str = ""  # e.g. the members of a combined row
    extra: str = ""  # a second value column (hours in the activities table)


@dataclass
class ViewTable:
    id: str
    title: str
    rows: list[ViewRow]
    columns: tuple[str, ...]
    hint: str = ""
    chart: bool = True


@dataclass
class ReportView:
    lang: str
    title: str
    subtitle: str
    threshold: int
    key_figures: ViewTable
    tables: list[ViewTable] = field(default_factory=list)
    no_breakdown: str = ""
    activities: ViewTable = field(default_factory=lambda: ViewTable("activities", "", [], ()))
    texts: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    protection_heading: str = ""
    tables_heading: str = ""
    drawn_up: str = ""


def _scalar(report: AnnualReport, name: str) -> tuple[str, float | None]:
    f = report.figures
    lang, k = report.lang, report.threshold
    value = f.get(name)
    if value is not None:
        return number_text(value, lang, 1 if isinstance(value, float) else 0), value
    if f.get("withheld"):
        return s("withheld", lang), None
    if name in (f.get("suppressed_figures") or ()):
        return fewer_than(k, lang), None
    return s("not_published", lang), None


def build_view(report: AnnualReport) -> ReportView:
    lang, k, f = report.lang, report.threshold, report.figures
    adviser = s("adviser_external" if report.adviser == "external" else "adviser_internal", lang)
    key_rows = [
        ViewRow(s("organisation", lang), report.organisation, None),
        ViewRow(s("year", lang), str(report.year), None),
        ViewRow(s("adviser", lang), adviser, None),
        ViewRow(s("employees", lang), number_text(f.get("employees") or 0, lang), None),
    ]
    for name, key in (
        ("new_cases", "new_cases"),
        ("open_at_year_end", "open_at_year_end"),
        ("consultations", "consultations"),
        ("contacts_per_100_employees", "contacts_per_100"),
    ):
        text, value = _scalar(report, name)
        key_rows.append(ViewRow(s(key, lang), text, value))
    hours = f["hours"]
    total_hours = (hours.get("cases") or 0) + (hours.get("activities") or 0)
    key_rows += [
        ViewRow(s("hours_cases", lang), hours_text(hours.get("cases"), lang), hours.get("cases")),
        ViewRow(
            s("hours_activities", lang),
            hours_text(hours.get("activities"), lang),
            hours.get("activities"),
        ),
    ]
    if hours.get("cases") is not None:  # else the total would only repeat prevention
        key_rows.append(ViewRow(s("hours_total", lang), hours_text(total_hours, lang), total_hours))
    title = s("title", lang)
    subtitle = s("subtitle", lang, organisation=report.organisation, year=report.year)
    if report.draft:  # on the first line, in the document title and on every page footer
        title = s("draft_title", lang, title=title)
        subtitle = s("draft_title", lang, title=subtitle)
        key_rows.insert(0, ViewRow(s("status", lang), s("draft_mark", lang), None))
    # The hours against the appointment's agreed hours; only where the total is
    # published (hours on cases withheld: the total would be prevention alone).
    if report.agreed_hours is not None and hours.get("cases") is not None:
        share = (
            f" ({round(100 * total_hours / report.agreed_hours)}%)" if report.agreed_hours else ""
        )
        key_rows.append(
            ViewRow(
                s("hours_agreed", lang),
                s(
                    "hours_of_agreed",
                    lang,
                    hours=hours_text(total_hours, lang),
                    agreed=number_text(report.agreed_hours, lang),
                )
                + share,
                None,
            )
        )
    view = ReportView(
        lang=lang,
        title=title,
        subtitle=subtitle,
        threshold=k,
        key_figures=ViewTable(
            "key_figures",
            s("key_figures", lang),
            key_rows,
            (s("figure", lang), s("value", lang)),
            chart=False,
        ),
        notes=report.note_texts(),
        protection_heading=s("protection", lang),
        tables_heading=s("tables", lang),
        drawn_up=s("generated", lang, date=report.drawn_up.isoformat()),
    )
    for t in f.get("tables") or ():
        rows = []
        for r in t["rows"]:
            label = report.row_label(t["id"], r["code"])
            detail = ""
            if r.get("members"):
                members = ", ".join(report.row_label(t["id"], c) for c in r["members"])
                detail = s("merged_members", lang, members=members)
            if r["suppressed"]:
                rows.append(ViewRow(label, hidden_text(r, k, lang), None, detail))
            else:
                rows.append(ViewRow(label, number_text(r["count"], lang), r["count"], detail))
        view.tables.append(
            ViewTable(
                t["id"],
                report.title(t["id"]),
                rows,
                (s("category", lang), s("count", lang)),
                hint=s("multi_hint", lang) if t["multi"] else "",
            )
        )
    if not view.tables:
        view.no_breakdown = s("no_breakdown", lang)
    acts = [a for a in f.get("activities") or () if a["count"] or a["minutes"]]
    view.activities = ViewTable(
        "activities",
        s("activities", lang),
        [
            ViewRow(
                voc.label("activity", a["code"], lang),
                number_text(a["count"], lang),
                round_half_hours(a["minutes"]),
                extra=hours_text(round_half_hours(a["minutes"]), lang),
            )
            for a in acts
        ],
        (s("activity", lang), s("number", lang), s("hours", lang)),
        hint="" if acts else s("no_activities", lang),
    )
    view.texts = [
        (s("signals", lang), report.signals or ""),
        (s("recommendations", lang), report.recommendations or ""),
    ]
    return view
