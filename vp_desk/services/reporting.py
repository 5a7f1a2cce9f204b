"""Use cases of the annual report: build, check the free text, finalise, export,
the portfolio overview and hours for invoicing.

The order of every export is fixed and is the point of this module:

1. aggregate in SQL and apply the disclosure control (``protect`` runs the
   audit and refuses on any finding), bound by what earlier written reports
   and invoice specifications of the year showed (``ledger.earlier``);
2. the free text: personal data found and not confirmed -> refuse;
3. the ledger: differences with any earlier written report (draft or final)
   for the same year that single out fewer than k cases -> refuse, or
   withhold every case figure when the adviser asked for that;
4. audit the final figures once more, render (a draft is marked as one in
   every format);
5. record the figures in the ledger, draft or final (before the file is
   written: a ledger entry for a file that never got out is harmless, the
   reverse is not);
6. write the file atomically and add an audit event.

The preview (``preview``) writes nothing and records nothing.

Hours on cases follow the small-organisation rule: with fewer than k new
cases they are not published (an empty year must look like a year with one
case), unless the adviser chose for that organisation to disclose casework
hours (``set_disclose_case_hours``), e.g. because they invoice them; the
report then says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vp_desk.errors import UsageError, ValidationError, VpDeskError
from vp_desk.i18n import Text, lookup, message, register
from vp_desk.reports import ledger, pii
from vp_desk.reports.aggregate import aggregate
from vp_desk.reports.audit import DisclosureRisk, ensure_safe
from vp_desk.reports.disclosure import effective_threshold, protect, withhold_case_figures
from vp_desk.reports.errors import DisclosureError, LedgerConflict, TextNeedsReview
from vp_desk.reports.model import AnnualReport
from vp_desk.textsafe import clean_text

if TYPE_CHECKING:
    from vp_desk.services.desk import Desk

FORMATS = ("md", "html", "pdf", "docx", "csv", "json")
BINARY_FORMATS = ("pdf", "docx")
MAX_TEXT = 20_000
ADVISER_KIND_SETTING = "adviser_kind"  # "internal" / "external"
#: Per-organisation choices (index ``settings``, key ``org.<id>.<name>``).
DISCLOSE_CASE_HOURS = "disclose_case_hours"
INVOICE_SPLIT = "invoice_split"


def _org_key(org_id: int, name: str) -> str:
    return f"org.{int(org_id)}.{name}"


def disclose_case_hours(desk: Desk, org_id: int) -> bool:
    """Has the adviser chosen to disclose casework hours for this organisation?"""
    return desk.get_setting(_org_key(org_id, DISCLOSE_CASE_HOURS)) == "1"


def set_disclose_case_hours(desk: Desk, org_id: int, on: bool) -> None:
    desk.organisation(org_id)
    desk.set_setting(_org_key(org_id, DISCLOSE_CASE_HOURS), "1" if on else "0")


def invoice_split(desk: Desk, org_id: int) -> bool:
    """Does this organisation's invoice show casework and prevention separately?"""
    return desk.get_setting(_org_key(org_id, INVOICE_SPLIT)) == "1"


def set_invoice_split(desk: Desk, org_id: int, on: bool) -> None:
    desk.organisation(org_id)
    desk.set_setting(_org_key(org_id, INVOICE_SPLIT), "1" if on else "0")


def safe_file_part(text: str, fallback: str = "organisatie") -> str:
    """A name as a safe file-name part: ASCII letters and digits joined by '-'."""
    import unicodedata

    plain = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    out = "".join(ch.lower() if ch.isalnum() else "-" for ch in plain)
    return "-".join(part for part in out.split("-") if part)[:40] or fallback


#: The first word of a report's default file name (vp_desk/i18n.py).
FILE_STEMS: dict[str, tuple[Text, Text]] = {"report": ("jaarverslag", "annual-report")}
register("vp_desk.services.reporting:FILE_STEMS", FILE_STEMS)


def default_file_name(organisation: str, year: int, fmt: str, lang: str = "nl") -> str:
    """``jaarverslag-<organisation>-<year>.<fmt>`` (``annual-report-...`` in English)."""
    stem = lookup(FILE_STEMS, "report", lang)
    return f"{stem}-{safe_file_part(organisation)}-{int(year)}.{fmt}"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# -- free text -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportTexts:
    signals: str = ""
    recommendations: str = ""
    confirmed: bool = False
    updated: str | None = None

    def findings(self, k: int = 5) -> list[pii.Finding]:
        """Findings; ``k`` is the report's threshold (counts of cases below it are findings)."""
        return pii.scan_texts(self.signals, self.recommendations, k)

    def ready_for(self, k: int) -> bool:
        """May go out: nothing found, or the adviser confirmed this very text."""
        return self.confirmed or not self.findings(k)

    @property
    def ready(self) -> bool:
        return self.ready_for(5)


def get_texts(desk: Desk, org_id: int, year: int) -> ReportTexts:
    row = (
        desk.conn(org_id)
        .execute(
            "SELECT signals, recommendations, confirmed, updated FROM report_texts WHERE year = ?",
            (int(year),),
        )
        .fetchone()
    )
    if row is None:
        return ReportTexts()
    return ReportTexts(row[0], row[1], bool(row[2]), row[3])


def save_texts(
    desk: Desk, org_id: int, year: int, signals: str, recommendations: str
) -> ReportTexts:
    """Store both texts (encrypted with the organisation's vault).

    Any change drops an earlier confirmation: the adviser confirms a text, not
    a section.
    """
    signals = clean_text(signals or "").strip()
    recommendations = clean_text(recommendations or "").strip()
    errors = {
        name: "too_long"
        for name, text in (("signals", signals), ("recommendations", recommendations))
        if len(text) > MAX_TEXT
    }
    if errors:
        raise ValidationError(errors, max=MAX_TEXT)
    old = get_texts(desk, org_id, year)
    confirmed = old.confirmed and (old.signals, old.recommendations) == (signals, recommendations)
    now = _now()
    with desk.org_tx(org_id, "report.texts", str(year)) as tx:
        tx.conn.execute(
            "INSERT OR REPLACE INTO report_texts(year, signals, recommendations, "
            "confirmed, updated) VALUES (?,?,?,?,?)",
            (int(year), signals, recommendations, int(confirmed), now),
        )
    return ReportTexts(signals, recommendations, confirmed, now)


def confirm_texts(desk: Desk, org_id: int, year: int) -> ReportTexts:
    """The adviser has read the findings and lets the current text go out as it is."""
    texts = get_texts(desk, org_id, year)
    now = _now()
    with desk.org_tx(org_id, "report.texts.confirm", str(year)) as tx:
        tx.conn.execute(
            "INSERT OR REPLACE INTO report_texts(year, signals, recommendations, "
            "confirmed, updated) VALUES (?,?,?,1,?)",
            (int(year), texts.signals, texts.recommendations, now),
        )
    return ReportTexts(texts.signals, texts.recommendations, True, now)


# -- building ----------------------------------------------------------------------------------


def adviser_kind(desk: Desk) -> str:
    kind = desk.get_setting(ADVISER_KIND_SETTING)
    if kind in ("internal", "external"):
        return kind
    return "external" if len(desk.organisations()) > 1 else "internal"


def _check_year(year: int) -> int:
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise UsageError(key="err_year_number") from None
    if not 2000 <= year <= 2200:
        raise UsageError(key="err_year_range")
    return year


def build(
    desk: Desk,
    org_id: int,
    year: int,
    *,
    lang: str | None = None,
    today: date | None = None,
    texts: ReportTexts | None = None,
) -> AnnualReport:
    """The report as it would be published now (disclosure control applied)."""
    year = _check_year(year)
    org = desk.organisation(org_id)
    agg = aggregate(desk.conn(org_id), year)
    # What earlier written reports and invoices of this year bind (h19-residual).
    earlier = ledger.earlier(
        ledger.entries(desk.index, org_id, year),
        ledger.all_entries(desk.index, org_id, "invoice"),
        year,
    )
    try:
        figures = protect(agg, org.threshold, org.employees, earlier)
    except DisclosureRisk as exc:
        raise DisclosureError(exc.problems) from None
    apply_hours_rule(figures, disclose_case_hours(desk, org_id), invoiced=earlier.year_invoiced)
    texts = texts if texts is not None else get_texts(desk, org_id, year)
    from vp_desk.services.contracts import get_terms

    terms = get_terms(desk, org_id)  # the appointment terms (h7-desk)
    return AnnualReport(
        org.name,
        year,
        lang if lang in ("nl", "en") else org.lang,
        figures,
        terms.kind or adviser_kind(desk),
        texts.signals,
        texts.recommendations,
        today or date.today(),
        agreed_hours=terms.agreed_hours,
    )


def apply_hours_rule(
    figures: dict[str, Any], disclose: bool, *, invoiced: bool = False
) -> dict[str, Any]:
    """Hours on cases under the small-organisation rule (in place; see the module docstring).

    With fewer than k new cases the hours on cases are withheld: 0.0 would say
    "nobody came", 6.0 "someone came". Only the prevention hours remain, which
    are the same for an empty year and a year with 1 to k-1 cases. When the
    adviser disclosed casework hours for the organisation, they stay and a note
    says that this was the adviser's choice. When invoice specifications
    covered every month of the year (``invoiced``), the employer has those
    hours already: they stay, and the note says that they were invoiced.
    """
    if not figures.get("small_organisation") or figures.get("withheld"):
        return figures
    notes = figures.setdefault("notes", [])
    if invoiced:
        notes.append({"key": "note_hours_invoiced"})
    elif disclose:
        notes.append({"key": "note_hours_disclosed"})
    else:
        figures["hours"] = dict(figures["hours"], cases=None)
        notes.append({"key": "note_hours_hidden"})
    return figures


@dataclass
class Preview:
    """Everything the report screen shows before an export."""

    report: AnnualReport
    texts: ReportTexts
    findings: list[pii.Finding]
    issued: list[ledger.LedgerEntry]
    isolations: list[ledger.Isolation] = field(default_factory=list)


def preview(
    desk: Desk, org_id: int, year: int, *, lang: str | None = None, today: date | None = None
) -> Preview:
    texts = get_texts(desk, org_id, year)
    report = build(desk, org_id, year, lang=lang, today=today, texts=texts)
    issued = ledger.entries(desk.index, org_id, report.year)
    return Preview(
        report,
        texts,
        texts.findings(report.threshold),
        issued,
        ledger.check_reissue(issued, report.figures) + _invoice_isolations(desk, org_id, report),
    )


def describe_isolations(report: AnnualReport, found: list[ledger.Isolation]) -> list[str]:
    """Names of the figures concerned, in the report's language (no values)."""
    from vp_desk.reports.strings import s

    names = {
        "new_cases": "new_cases",
        "open_at_year_end": "open_at_year_end",
        "consultations": "consultations",
        "hours_cases": "hours_cases",
    }
    out: list[str] = []
    for iso in found:
        if iso.table is None:
            text = s(names[iso.codes[0]], report.lang)
        else:
            labels = ", ".join(report.row_label(iso.table, c) for c in iso.codes[:4])
            if len(iso.codes) > 4:
                labels += ", …"
            text = f"{report.title(iso.table)}: {labels}"
        if text not in out:
            out.append(text)
    return out


def prepare(
    desk: Desk,
    org_id: int,
    year: int,
    *,
    lang: str | None = None,
    confirm_text: bool = False,
    withhold: bool = False,
    today: date | None = None,
) -> AnnualReport:
    """The report exactly as it may be exported, or a clear refusal."""
    texts = get_texts(desk, org_id, year)
    k = effective_threshold(desk.organisation(org_id).threshold)
    if confirm_text and not texts.ready_for(k):
        texts = confirm_texts(desk, org_id, year)
    report = build(desk, org_id, year, lang=lang, today=today, texts=texts)
    if not texts.ready_for(report.threshold):
        raise TextNeedsReview(pii.summary(texts.findings(report.threshold), "en"))
    issued = ledger.entries(desk.index, org_id, report.year)
    found = ledger.check_reissue(issued, report.figures)
    found += _invoice_isolations(desk, org_id, report)
    if found:
        last = max(i.issued for i in found)
        if not withhold:
            english = AnnualReport(report.organisation, report.year, "en", report.figures)
            raise LedgerConflict(
                report.year, last[:10], describe_isolations(english, found), report.threshold
            )
        report.figures = withhold_case_figures(report.figures, last[:10])
        # Hours on cases are case figures too: a change says that casework changed.
        report.figures["hours"] = dict(report.figures["hours"], cases=None)
        remaining = ledger.check_reissue(issued, report.figures)
        if remaining:  # pragma: no cover - withheld figures hold no case counts
            raise DisclosureError(["the withheld report still differs from an issued one"])
    try:
        ensure_safe(report.figures)
    except DisclosureRisk as exc:  # pragma: no cover - protect() already audited
        raise DisclosureError(exc.problems) from None
    return report


def _invoice_isolations(desk: Desk, org_id: int, report: AnnualReport) -> list[ledger.Isolation]:
    """Hours on cases against the invoice specifications of the same year.

    When specifications cover every month of the year, their sum and the
    report's hours can be set side by side. If the casework minutes of a month
    changed after it was specified, publishing the year's hours on cases would
    show that late change, so it counts as an isolation like a re-issue.
    """
    if (report.figures.get("hours") or {}).get("cases") is None:
        return []
    specs = ledger.all_entries(desk.index, org_id, "invoice")
    year = f"{report.year:04d}-"
    recorded: dict[str, tuple[int, str]] = {}
    for entry in specs:
        for month, value in (entry.figures.get("months") or {}).items():
            if month.startswith(year):
                recorded.setdefault(month, (int(value.get("cases", 0)), entry.issued))
    if len(recorded) < 12:
        return []
    now = dict(
        desk.conn(org_id).execute(
            "SELECT substr(date, 1, 7), coalesce(sum(minutes), 0) FROM consultations "
            "WHERE date BETWEEN ?1 AND ?2 GROUP BY 1",
            (f"{report.year:04d}-01-01", f"{report.year:04d}-12-31"),
        )
    )
    changed = [m for m, (minutes, _) in recorded.items() if int(now.get(m, 0)) != minutes]
    if not changed:
        return []
    issued = max(recorded[m][1] for m in changed)
    return [ledger.Isolation(None, ("hours_cases",), issued)]


def render(report: AnnualReport, fmt: str) -> bytes:
    if fmt == "json":
        import json

        return (json.dumps(report.to_json(), ensure_ascii=False, indent=2) + "\n").encode()
    if fmt not in FORMATS:
        raise UsageError(key="err_unknown_format", formats=", ".join(FORMATS))
    import importlib

    module = importlib.import_module(f"vp_desk.reports.render_{fmt}")
    rendered: bytes = module.render(report)
    return rendered


@dataclass(frozen=True)
class ExportResult:
    report: AnnualReport
    data: bytes
    path: Path | None
    ledger: str | None  # "recorded", "unchanged" (identical to the last entry) or None
    withheld: bool

    @property
    def final(self) -> bool:
        return not self.report.draft


def check_out_path(out: Path | str | None, *, force: bool = False) -> Path | None:
    """The output file, refused when it is a folder or exists (unless ``force``)."""
    if out is None:
        return None
    path = Path(out).expanduser()
    if path.is_dir():
        raise UsageError(key="err_out_folder")
    if not path.absolute().parent.is_dir():
        # Refused before anything is checked or recorded: a report recorded in the
        # ledger but never written would still bind every later re-issue.
        raise UsageError(key="err_out_no_folder", name=path.name)
    if path.exists() and not force:
        raise UsageError(key="err_out_exists_force", name=path.name)
    return path


def export(
    desk: Desk,
    org_id: int,
    year: int,
    fmt: str,
    out: Path | str | None = None,
    *,
    lang: str | None = None,
    final: bool = False,
    confirm_text: bool = False,
    withhold: bool = False,
    force: bool = False,
    today: date | None = None,
) -> ExportResult:
    """Check, render, record in the ledger, write.

    Every call counts as a written report, draft or final: with ``out=None``
    the caller sends the bytes on (standard output). Only ``preview`` writes
    and records nothing. An existing ``out`` is refused unless ``force``.
    """
    if fmt not in FORMATS:
        raise UsageError(key="err_unknown_format", formats=", ".join(FORMATS))
    path = check_out_path(out, force=force)
    report = prepare(
        desk, org_id, year, lang=lang, confirm_text=confirm_text, withhold=withhold, today=today
    )
    report.draft = not final
    data = render(report, fmt)
    status = _record(desk, org_id, report, fmt)
    if path is not None:
        from vp_desk.vault.atomic import atomic_write

        atomic_write(path, data, what=message("what_report_file"))
    desk.record_event(org_id, "report", f"{report.year} {fmt} {'final' if final else 'draft'}")
    return ExportResult(report, data, path, status, bool(report.figures.get("withheld")))


def _record(desk: Desk, org_id: int, report: AnnualReport, fmt: str) -> str:
    """Put a written report in the ledger; ``"unchanged"`` if the last entry is the same."""
    previous = ledger.entries(desk.index, org_id, report.year)
    final = not report.draft
    if (
        previous
        and previous[-1].digest == ledger.digest(report.figures)
        and previous[-1].final == final
    ):
        return "unchanged"
    event = "report.final" if final else "report.draft"
    with desk.index_tx(event, f"org {org_id} {report.year}"):
        ledger.insert(desk.index, org_id, report.year, _now(), report.figures, final=final, fmt=fmt)
    return "recorded"


def forget_drafts(desk: Desk, org_id: int, year: int, *, confirm: bool) -> int:
    """Remove the ledger's drafts of a year that never left the desk (explicit confirmation).

    Only for a draft that the adviser knows was never sent to anyone: after
    this, a re-issue is no longer compared with it. Finals are never removed.
    An audit row records how many were forgotten.
    """
    if not confirm:
        raise UsageError(key="err_forget_confirm")
    year = _check_year(year)
    desk.organisation(org_id)
    with desk.index_tx("report.forget_drafts") as tx:
        cur = desk.index.execute(
            "DELETE FROM report_ledger WHERE org_id = ? AND year = ? AND kind = 'report' "
            "AND final = 0",
            (org_id, year),
        )
        count = cur.rowcount
        tx.subject = f"org {org_id} {year} {count}"
    return count


# -- portfolio (the adviser's own overview; never part of a client's report) ------------------


@dataclass(frozen=True)
class PortfolioRow:
    org_id: int
    name: str
    employees: int
    new_cases: int
    open_now: int
    consultations: int
    case_minutes: int
    activity_minutes: int

    @property
    def total_minutes(self) -> int:
        return self.case_minutes + self.activity_minutes


def portfolio(desk: Desk, year: int) -> list[PortfolioRow]:
    """True counts and hours per organisation for ``year`` - for the adviser only."""
    year = _check_year(year)
    start, end = f"{year:04d}-01-01", f"{year:04d}-12-31"
    rows = []
    for org in desk.organisations():
        conn = desk.conn(org.id)
        new, open_now, contacts, case_min, act_min = conn.execute(
            "SELECT (SELECT count(*) FROM cases WHERE opened BETWEEN ?1 AND ?2), "
            "(SELECT count(*) FROM cases WHERE status = 'open'), "
            "(SELECT count(*) FROM consultations WHERE date BETWEEN ?1 AND ?2), "
            "(SELECT coalesce(sum(minutes), 0) FROM consultations WHERE date BETWEEN ?1 AND ?2), "
            "(SELECT coalesce(sum(minutes), 0) FROM activities WHERE date BETWEEN ?1 AND ?2)",
            (start, end),
        ).fetchone()
        rows.append(
            PortfolioRow(
                org.id, org.name, org.employees, new, open_now, contacts, case_min, act_min
            )
        )
    return rows


# -- hours for invoicing ------------------------------------------------------------------------


@dataclass(frozen=True)
class HoursSummary:
    organisation: str
    start: date
    end: date
    lang: str
    case_minutes: int
    activities: dict[str, tuple[int, int]]  # code -> (count, minutes)

    @property
    def total_minutes(self) -> int:
        return self.case_minutes + sum(m for _, m in self.activities.values())


def hours(
    desk: Desk, org_id: int, start: date, end: date, *, lang: str | None = None
) -> HoursSummary:
    """Hours per activity type plus hours on cases (contact moments) in [start, end]."""
    if end < start:
        raise UsageError(key="err_period_backwards")
    org = desk.organisation(org_id)
    conn = desk.conn(org_id)
    params = (start.isoformat(), end.isoformat())
    case_minutes = conn.execute(
        "SELECT coalesce(sum(minutes), 0) FROM consultations WHERE date BETWEEN ?1 AND ?2", params
    ).fetchone()[0]
    from vp_desk import vocabulary as voc
    from vp_desk.reports.aggregate import ACTIVITY_SQL

    acts = {code: (0, 0) for code in voc.ACTIVITIES}
    for kind, count, minutes in conn.execute(ACTIVITY_SQL, params):
        acts[kind] = (count, minutes)
    desk.record_event(org_id, "hours", f"{params[0]}..{params[1]}")
    return HoursSummary(
        org.name, start, end, lang if lang in ("nl", "en") else org.lang, case_minutes, acts
    )


def render_hours(summary: HoursSummary, fmt: str) -> bytes:
    from vp_desk import vocabulary as voc
    from vp_desk.reports.strings import number_text, s

    lang = summary.lang
    rows: list[tuple[str, str, str | int, int]] = [
        ("cases", s("hours_cases_row", lang), "", summary.case_minutes)
    ]
    rows += [
        (code, voc.label("activity", code, lang), count, minutes)
        for code, (count, minutes) in summary.activities.items()
        if count or minutes
    ]
    rows.append(("total", s("total", lang), "", summary.total_minutes))
    if fmt == "csv":
        from vp_desk.reports.render_csv import write

        return write(
            [
                (code, label, count, minutes, round(minutes / 60, 2))
                for code, label, count, minutes in rows
            ]
            + [("note", s("hours_own_use", lang), "", "", "")],
            header=("code", "label", "count", "minutes", "hours"),
        )
    if fmt != "md":
        raise UsageError(key="err_csv_or_md")
    from vp_desk.reports.render_md import escape

    lines = [
        f"# {escape(s('hours_title', lang, organisation=summary.organisation))}",
        "",
        f"**{escape(s('hours_own_use', lang))}**",
        "",
        escape(
            s("hours_period", lang, start=summary.start.isoformat(), end=summary.end.isoformat())
        ),
        "",
        f"| {escape(s('activity', lang))} | {escape(s('number', lang))} | "
        f"{escape(s('minutes', lang))} | {escape(s('hours', lang))} |",
        "| --- | ---: | ---: | ---: |",
    ]
    for code, label, count, minutes in rows:
        bold = "**" if code == "total" else ""
        lines.append(
            f"| {bold}{escape(label)}{bold} | {count} | {minutes} | "
            f"{bold}{number_text(minutes / 60, lang, 2)}{bold} |"
        )
    return ("\n".join(lines) + "\n").encode()


# -- invoice specification (safe to send to the employer) -------------------------------------


class InvoiceConflict(VpDeskError):
    """A specification whose months changed since an earlier one that covered them,
    or that completes a year whose written report shows other hours on cases."""

    exit_code = 1

    def __init__(
        self,
        months: list[str],
        issued: str,
        report_year: int | None = None,
        contacts_below: int | None = None,
    ):
        self.months, self.issued, self.report_year = list(months), issued, report_year
        if report_year is not None and contacts_below is not None:
            super().__init__(
                key="err_invoice_report_contacts",
                year=report_year,
                issued=issued,
                k=contacts_below,
            )
        elif report_year is not None:
            super().__init__(key="err_invoice_report_changed", year=report_year, issued=issued)
        else:
            super().__init__(key="err_invoice_changed", months=", ".join(months[:6]), issued=issued)


@dataclass(frozen=True)
class InvoiceSpec:
    organisation: str
    start: date
    end: date
    lang: str
    split: bool
    #: "YYYY-MM" -> {"cases": minutes, "activities": minutes}; stays in the ledger only
    months: dict[str, dict[str, int]]

    @property
    def case_minutes(self) -> int:
        return sum(m["cases"] for m in self.months.values())

    @property
    def activity_minutes(self) -> int:
        return sum(m["activities"] for m in self.months.values())

    def hours(self) -> dict[str, float]:
        """What the employer sees: rounded to half hours, combined unless split."""
        from vp_desk.reports.disclosure import round_half_hours

        if self.split:
            return {
                "cases": round_half_hours(self.case_minutes),
                "activities": round_half_hours(self.activity_minutes),
            }
        return {"total": round_half_hours(self.case_minutes + self.activity_minutes)}


def _month_end(day: date) -> date:
    import calendar

    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def check_invoice_period(start: date, end: date, today: date | None = None) -> None:
    """Whole calendar months only: a shorter period would give away single contacts.

    And months that have ended: a month specified while it runs would be
    recorded with part of its hours, and every later contact in it would then
    count as a late change (refusing a second specification and the hours of
    that year's report).
    """
    if end < start:
        raise UsageError(key="err_period_backwards")
    if not (2000 <= start.year and end.year <= 2200):
        raise UsageError(key="err_invoice_years")
    if start.day != 1 or end != _month_end(end):
        raise UsageError(key="err_invoice_whole_months")
    if end >= (today or date.today()):
        raise UsageError(key="err_invoice_ended")


def invoice(
    desk: Desk,
    org_id: int,
    start: date,
    end: date,
    *,
    lang: str | None = None,
    today: date | None = None,
) -> InvoiceSpec:
    """The invoice specification of whole months that have ended (checked, not yet recorded)."""
    check_invoice_period(start, end, today)
    org = desk.organisation(org_id)
    if not disclose_case_hours(desk, org_id):
        raise UsageError(key="err_invoice_undisclosed")
    conn = desk.conn(org_id)
    params = (start.isoformat(), end.isoformat())
    months: dict[str, dict[str, int]] = {}
    day = start
    while day <= end:
        months[f"{day.year:04d}-{day.month:02d}"] = {"cases": 0, "activities": 0}
        day = _month_end(day) + timedelta(days=1)
    for table, kind in (("consultations", "cases"), ("activities", "activities")):
        for month, minutes in conn.execute(
            f"SELECT substr(date, 1, 7), coalesce(sum(minutes), 0) FROM {table} "
            "WHERE date BETWEEN ?1 AND ?2 GROUP BY 1",
            params,
        ):
            if month in months:
                months[month][kind] = int(minutes)
    return InvoiceSpec(
        org.name,
        start,
        end,
        lang if lang in ("nl", "en") else org.lang,
        invoice_split(desk, org_id),
        months,
    )


def _invoice_figures(spec: InvoiceSpec) -> dict[str, Any]:
    return {
        "start": spec.start.isoformat(),
        "end": spec.end.isoformat(),
        "split": spec.split,
        "months": spec.months,
        "hours": spec.hours(),
    }


def record_invoice(desk: Desk, org_id: int, spec: InvoiceSpec) -> str:
    """Check against every earlier specification and record; ``"unchanged"`` if the same."""
    previous = ledger.all_entries(desk.index, org_id, "invoice")
    changed = ledger.invoice_conflicts(previous, spec.months)
    if changed:
        issued = max(
            e.issued for e in previous if set(e.figures.get("months") or {}) & set(changed)
        )
        raise InvoiceConflict(changed, issued[:10])
    _check_against_reports(desk, org_id, spec, previous)
    figures = _invoice_figures(spec)
    same = [
        e
        for e in previous
        if e.figures.get("start") == figures["start"]
        and e.figures.get("end") == figures["end"]
        and e.figures.get("split") == figures["split"]
    ]
    if same:
        return "unchanged"
    with desk.index_tx("hours.invoice", f"org {org_id} {figures['start'][:7]}"):
        ledger.insert(desk.index, org_id, spec.start.year, _now(), figures, kind="invoice")
    return "recorded"


def _check_against_reports(
    desk: Desk, org_id: int, spec: InvoiceSpec, previous: list[ledger.LedgerEntry]
) -> None:
    """A year fully covered by specifications against that year's written reports.

    The months' casework minutes added up give the year's hours on cases. If a
    report of that year (draft or final) published other hours on cases, the
    employer holding both sees that casework changed after the report - a late
    contact moment. (The report-time side of this is ``_invoice_isolations``.)
    Equal after rounding to half hours is safe: the invoiced minutes are then
    themselves a world consistent with both, so no change can be proven. A
    report written before the year ended is not compared: work after it is
    expected, not late.
    """
    from vp_desk.reports.disclosure import round_half_hours

    recorded: dict[str, int] = {}
    for entry in previous:
        for month, value in (entry.figures.get("months") or {}).items():
            recorded.setdefault(month, int(value.get("cases", 0)))
    for month, value in spec.months.items():
        recorded.setdefault(month, int(value["cases"]))
    for year in sorted({int(m[:4]) for m in spec.months}):
        months = [f"{year:04d}-{m:02d}" for m in range(1, 13)]
        _check_contacts_floor(desk, org_id, spec, year, sum(recorded.get(m, 0) for m in months))
        if not all(m in recorded for m in months):
            continue
        year_hours = round_half_hours(sum(recorded[m] for m in months))
        for entry in ledger.entries(desk.index, org_id, year):
            published = (entry.figures.get("hours") or {}).get("cases")
            if published is None or entry.figures.get("withheld"):
                continue
            if entry.issued[:10] <= f"{year:04d}-12-31":
                continue  # written while the year ran: later work is no late change
            if float(published) != year_hours:
                ours = sorted(m for m in spec.months if m.startswith(f"{year:04d}-"))
                raise InvoiceConflict(ours, entry.issued[:10], report_year=year)


def _check_contacts_floor(
    desk: Desk, org_id: int, spec: InvoiceSpec, year: int, minutes: int
) -> None:
    """Invoiced casework minutes of a year against that year's written reports
    that give "fewer than k" contact moments (h19-residual).

    A contact moment lasts at most 24 hours, so the invoiced minutes say there
    were at least ceil(minutes / 24 h). Beside "fewer than k" that must leave
    the protection interval (``disclosure._contacts_beside_invoices`` is the
    same rule on the report's side). Reports written while the year ran are
    not compared, as above.
    """
    from vp_desk.reports.audit import protection_interval
    from vp_desk.reports.disclosure import invoiced_contacts_floor

    floor = invoiced_contacts_floor(minutes)
    for entry in ledger.entries(desk.index, org_id, year):
        figures = entry.figures
        if figures.get("withheld") or "consultations" not in (
            figures.get("suppressed_figures") or ()
        ):
            continue
        if entry.issued[:10] <= f"{year:04d}-12-31":
            continue
        k = int(figures["threshold"])
        if floor > k - protection_interval(k):
            ours = sorted(m for m in spec.months if m.startswith(f"{year:04d}-"))
            raise InvoiceConflict(ours, entry.issued[:10], report_year=year, contacts_below=k)


def render_invoice(spec: InvoiceSpec, fmt: str) -> bytes:
    from vp_desk.reports.strings import hours_text, s

    lang = spec.lang
    hours = spec.hours()
    period = s("hours_period", lang, start=spec.start.isoformat(), end=spec.end.isoformat())
    rows = (
        [("cases", s("hours_cases", lang), hours["cases"])]
        + [("activities", s("hours_activities", lang), hours["activities"])]
        if spec.split
        else [("total", s("invoice_combined", lang), hours["total"])]
    )
    if fmt == "csv":
        from vp_desk.reports.render_csv import write

        return write(
            [("organisation", s("organisation", lang), spec.organisation)]
            + [("period", s("period", lang), period)]
            + [(code, label, value) for code, label, value in rows],
            header=("code", "label", "hours"),
        )
    if fmt != "md":
        raise UsageError(key="err_csv_or_md")
    from vp_desk.reports.render_md import escape

    lines = [
        f"# {escape(s('invoice_title', lang, organisation=spec.organisation))}",
        "",
        escape(period),
        "",
        f"| {escape(s('activity', lang))} | {escape(s('hours', lang))} |",
        "| --- | ---: |",
    ]
    for _, label, value in rows:
        lines.append(f"| {escape(label)} | {hours_text(value, lang)} |")
    lines += ["", escape(s("invoice_note", lang)), ""]
    return ("\n".join(lines)).encode()
