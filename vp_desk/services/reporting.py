"""Use cases of the annual report: build, check the free text, finalise, export,
the portfolio overview and hours for invoicing.

The order of every export is fixed and is the point of this module:

1. aggregate in SQL and apply the disclosure control (``protect`` runs the
   audit and refuses on any finding);
2. the free text: personal data found and not confirmed -> refuse;
3. the ledger: differences with an issued report for the same year that
   single out fewer than k cases -> refuse, or withhold every case figure
   when the adviser asked for that;
4. audit the final figures once more, render;
5. ``final``: record the figures in the ledger (before the file is written:
   a ledger entry for a file that never got out is harmless, the reverse is not);
6. write the file atomically and add an audit event.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from vp_desk.errors import UsageError, ValidationError
from vp_desk.reports import ledger, pii
from vp_desk.reports.aggregate import aggregate
from vp_desk.reports.audit import DisclosureRisk, ensure_safe
from vp_desk.reports.disclosure import protect, withhold_case_figures
from vp_desk.reports.errors import DisclosureError, LedgerConflict, TextNeedsReview
from vp_desk.reports.model import AnnualReport
from vp_desk.textsafe import clean_text
from vp_desk.vault.keyfile import INDEX_VAULT

FORMATS = ("md", "html", "pdf", "docx", "csv", "json")
BINARY_FORMATS = ("pdf", "docx")
MAX_TEXT = 20_000
ADVISER_KIND_SETTING = "adviser_kind"  # "internal" / "external"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# -- free text -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportTexts:
    signals: str = ""
    recommendations: str = ""
    confirmed: bool = False
    updated: str | None = None

    def findings(self) -> list[pii.Finding]:
        return pii.scan_texts(self.signals, self.recommendations)

    @property
    def ready(self) -> bool:
        """May go out: nothing found, or the adviser confirmed this very text."""
        return self.confirmed or not self.findings()


def get_texts(desk, org_id: int, year: int) -> ReportTexts:
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


def save_texts(desk, org_id: int, year: int, signals: str, recommendations: str) -> ReportTexts:
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
        raise ValidationError(errors)
    old = get_texts(desk, org_id, year)
    confirmed = old.confirmed and (old.signals, old.recommendations) == (signals, recommendations)
    org = desk.organisation(org_id)
    conn = desk.vault.org(org.vault_id)
    now = _now()
    with desk.vault.transaction(conn):
        conn.execute(
            "INSERT OR REPLACE INTO report_texts(year, signals, recommendations, "
            "confirmed, updated) VALUES (?,?,?,?,?)",
            (int(year), signals, recommendations, int(confirmed), now),
        )
        desk.vault.audit(conn, org.vault_id, "report.texts", str(year))
    return ReportTexts(signals, recommendations, confirmed, now)


def confirm_texts(desk, org_id: int, year: int) -> ReportTexts:
    """The adviser has read the findings and lets the current text go out as it is."""
    texts = get_texts(desk, org_id, year)
    org = desk.organisation(org_id)
    conn = desk.vault.org(org.vault_id)
    now = _now()
    with desk.vault.transaction(conn):
        conn.execute(
            "INSERT OR REPLACE INTO report_texts(year, signals, recommendations, "
            "confirmed, updated) VALUES (?,?,?,1,?)",
            (int(year), texts.signals, texts.recommendations, now),
        )
        desk.vault.audit(conn, org.vault_id, "report.texts.confirm", str(year))
    return ReportTexts(texts.signals, texts.recommendations, True, now)


# -- building ----------------------------------------------------------------------------------


def adviser_kind(desk) -> str:
    kind = desk.get_setting(ADVISER_KIND_SETTING)
    if kind in ("internal", "external"):
        return kind
    return "external" if len(desk.organisations()) > 1 else "internal"


def _check_year(year: int) -> int:
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise UsageError("The year must be a number such as 2026.") from None
    if not 2000 <= year <= 2200:
        raise UsageError("The year must be between 2000 and 2200.")
    return year


def build(
    desk,
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
    try:
        figures = protect(agg, org.threshold, org.employees)
    except DisclosureRisk as exc:
        raise DisclosureError(exc.problems) from None
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
        terms.agreed_hours,
    )


@dataclass
class Preview:
    """Everything the report screen shows before an export."""

    report: AnnualReport
    texts: ReportTexts
    findings: list[pii.Finding]
    issued: list[ledger.LedgerEntry]
    isolations: list[ledger.Isolation] = field(default_factory=list)


def preview(
    desk, org_id: int, year: int, *, lang: str | None = None, today: date | None = None
) -> Preview:
    texts = get_texts(desk, org_id, year)
    report = build(desk, org_id, year, lang=lang, today=today, texts=texts)
    issued = ledger.entries(desk.index, org_id, report.year)
    return Preview(
        report, texts, texts.findings(), issued, ledger.check_reissue(issued, report.figures)
    )


def describe_isolations(report: AnnualReport, found: list[ledger.Isolation]) -> list[str]:
    """Names of the figures concerned, in the report's language (no values)."""
    from vp_desk.reports.strings import s

    names = {
        "new_cases": "new_cases",
        "open_at_year_end": "open_at_year_end",
        "consultations": "consultations",
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
    desk,
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
    if confirm_text and not texts.ready:
        texts = confirm_texts(desk, org_id, year)
    report = build(desk, org_id, year, lang=lang, today=today, texts=texts)
    if not texts.ready:
        raise TextNeedsReview(pii.summary(texts.findings(), "en"))
    issued = ledger.entries(desk.index, org_id, report.year)
    found = ledger.check_reissue(issued, report.figures)
    if found:
        last = max(i.issued for i in found)
        if not withhold:
            english = AnnualReport(report.organisation, report.year, "en", report.figures)
            raise LedgerConflict(
                report.year, last[:10], describe_isolations(english, found), report.threshold
            )
        report.figures = withhold_case_figures(report.figures, last[:10])
        remaining = ledger.check_reissue(issued, report.figures)
        if remaining:  # pragma: no cover - withheld figures hold no case counts
            raise DisclosureError(["the withheld report still differs from an issued one"])
    try:
        ensure_safe(report.figures)
    except DisclosureRisk as exc:  # pragma: no cover - protect() already audited
        raise DisclosureError(exc.problems) from None
    return report


def render(report: AnnualReport, fmt: str) -> bytes:
    if fmt == "json":
        import json

        return (json.dumps(report.to_json(), ensure_ascii=False, indent=2) + "\n").encode()
    if fmt not in FORMATS:
        raise UsageError(f"Unknown format; choose one of {', '.join(FORMATS)}.")
    import importlib

    module = importlib.import_module(f"vp_desk.reports.render_{fmt}")
    return module.render(report)


@dataclass(frozen=True)
class ExportResult:
    report: AnnualReport
    data: bytes
    path: Path | None
    ledger: str | None  # "recorded", "unchanged" (identical to the last entry) or None
    withheld: bool


def export(
    desk,
    org_id: int,
    year: int,
    fmt: str,
    out: Path | str | None = None,
    *,
    lang: str | None = None,
    final: bool = False,
    confirm_text: bool = False,
    withhold: bool = False,
    today: date | None = None,
) -> ExportResult:
    """Check, render, (record in the ledger,) write. ``out=None`` only returns the bytes."""
    if fmt not in FORMATS:
        raise UsageError(f"Unknown format; choose one of {', '.join(FORMATS)}.")
    report = prepare(
        desk, org_id, year, lang=lang, confirm_text=confirm_text, withhold=withhold, today=today
    )
    data = render(report, fmt)
    status = None
    if final:
        status = _record_final(desk, org_id, report)
    path = None
    if out is not None:
        from vp_desk.vault.atomic import atomic_write

        path = Path(out).expanduser()
        if path.is_dir():
            raise UsageError("--out must name a file, not a folder.")
        atomic_write(path, data, what="the report file")
    desk.record_event(org_id, "report", f"{report.year} {fmt}")
    return ExportResult(report, data, path, status, bool(report.figures.get("withheld")))


def _record_final(desk, org_id: int, report: AnnualReport) -> str:
    previous = ledger.entries(desk.index, org_id, report.year)
    if previous and previous[-1].digest == ledger.digest(report.figures):
        return "unchanged"
    with desk.vault.transaction(desk.index):
        ledger.insert(desk.index, org_id, report.year, _now(), report.figures)
        desk.vault.audit(desk.index, INDEX_VAULT, "report.final", f"org {org_id} {report.year}")
    return "recorded"


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


def portfolio(desk, year: int) -> list[PortfolioRow]:
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


def hours(desk, org_id: int, start: date, end: date, *, lang: str | None = None) -> HoursSummary:
    """Hours per activity type plus hours on cases (contact moments) in [start, end]."""
    if end < start:
        raise UsageError("--to is before --from; give a period that runs forward.")
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
    rows = [("cases", s("hours_cases_row", lang), "", summary.case_minutes)]
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
                (code, label, count, minutes, f"{minutes / 60:.2f}")
                for code, label, count, minutes in rows
            ],
            header=("code", "label", "count", "minutes", "hours"),
        )
    if fmt != "md":
        raise UsageError("Choose --format csv or md.")
    from vp_desk.reports.render_md import escape

    lines = [
        f"# {escape(s('hours_title', lang, organisation=summary.organisation))}",
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
