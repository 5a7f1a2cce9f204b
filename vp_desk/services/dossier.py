"""One dossier for a melder's access request (AVG art. 15), as Markdown or PDF.

The export holds what the VP recorded about the case: the fields with their
labels, the notes, every contact moment with its notes, and the timeline. It
is the one place where notes leave the vault on purpose, so the callers warn
first, and every export writes an audit row ("export", case code and format;
never content). The file is written atomically with mode 0600.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from vp_desk import vocabulary as voc
from vp_desk.errors import UsageError
from vp_desk.i18n import lookup, message, register
from vp_desk.textsafe import clean_line, clean_text
from vp_desk.vault.atomic import atomic_write

if TYPE_CHECKING:
    from vp_desk.services.desk import Desk

FORMATS = ("md", "pdf")

TEXT: dict[str, tuple[str, str]] = {
    "title": ("Dossier {code}", "Dossier {code}"),
    "subtitle": (
        "Inzageverzoek (AVG artikel 15): alles wat de vertrouwenspersoon over deze "
        "melding heeft vastgelegd.",
        "Access request (GDPR article 15): everything the confidential adviser "
        "recorded about this case.",
    ),
    "organisation": ("Organisatie", "Organisation"),
    "made": ("Gemaakt op", "Made on"),
    "fields": ("Gegevens", "Details"),
    "code": ("Casuscode", "Case code"),
    "status": ("Status", "Status"),
    "opened": ("Geopend", "Opened"),
    "closed": ("Gesloten", "Closed"),
    "behaviours": ("Aard van het gedrag", "Type of behaviour"),
    "primary": ("hoofdzaak", "primary"),
    "follow_up": ("Vervolgafspraak", "Follow-up date"),
    "hold": ("Bewaarplicht (legal hold)", "Legal hold"),
    "destroyed": ("Vernietigd", "Destroyed"),
    "destroyed_note": (
        "De notities van dit dossier zijn op {date} vernietigd; alleen de "
        "gecodeerde gegevens zijn bewaard.",
        "The notes of this dossier were destroyed on {date}; only the coded details were kept.",
    ),
    "notes": ("Notities", "Notes"),
    "no_notes": ("(geen notities)", "(no notes)"),
    "consultations": ("Contactmomenten", "Contact moments"),
    "no_consultations": ("(geen contactmomenten)", "(no contact moments)"),
    "minutes": ("{n} minuten", "{n} minutes"),
    "timeline": ("Tijdlijn", "Timeline"),
    "ev_opened": ("Melding geopend", "Case opened"),
    "ev_consultation": ("Contactmoment", "Contact moment"),
    "ev_follow_up": ("Vervolgafspraak", "Follow-up"),
    "ev_closed": ("Melding gesloten", "Case closed"),
    "none": ("-", "-"),
    "footer": (
        "Vertrouwelijk. Alleen bestemd voor de melder die om inzage vroeg.",
        "Confidential. Only for the person who asked for access.",
    ),
}


register("vp_desk.services.dossier", TEXT)


def tr(key: str, lang: str, **params: object) -> str:
    return lookup(TEXT, key, lang, **params)


@dataclass
class Dossier:
    """The content of an export, independent of its format."""

    lang: str
    title: str
    organisation: str
    made: date
    fields: list[tuple[str, str]]
    notes: str
    destroyed_note: str | None
    consultations: list[tuple[str, str, str]] = field(default_factory=list)  # heading, meta, notes
    timeline: list[tuple[str, str, str]] = field(default_factory=list)  # date, event, detail


def _date(value: date | None, lang: str) -> str:
    return value.isoformat() if value else tr("none", lang)


def _labels(dimension: str, codes: Iterable[str | None], lang: str) -> str:
    values = [voc.label(dimension, c, lang) for c in codes if c]
    return ", ".join(values) if values else tr("none", lang)


def build(desk: Desk, org_id: int, case_id: int, lang: str, today: date | None = None) -> Dossier:
    org = desk.organisation(org_id)
    case = desk.get_case(org_id, case_id)
    title = voc.DIMENSION_TITLES
    behaviours = [
        voc.label("behaviour", b, lang)
        + (
            f" ({tr('primary', lang)})"
            if b == case.primary_behaviour and len(case.behaviours) > 1
            else ""
        )
        for b in case.behaviours
    ]
    fields = [
        (tr("code", lang), case.code),
        (tr("status", lang), voc.label("status", case.status, lang)),
        (tr("opened", lang), _date(case.opened, lang)),
        (tr("closed", lang), _date(case.closed, lang)),
        (title["channel"].label(lang), _labels("channel", [case.channel], lang)),
        (title["contact_role"].label(lang), _labels("contact_role", [case.contact_role], lang)),
        (tr("behaviours", lang), ", ".join(behaviours) or tr("none", lang)),
        (title["relation"].label(lang), _labels("relation", [case.relation], lang)),
        (title["help"].label(lang), _labels("help", case.help, lang)),
        (title["referrals"].label(lang), _labels("referrals", case.referrals, lang)),
        (title["outcome"].label(lang), _labels("outcome", [case.outcome], lang)),
        (tr("follow_up", lang), _date(case.follow_up, lang)),
    ]
    if case.legal_hold:
        fields.append((tr("hold", lang), clean_line(case.hold_reason) or tr("none", lang)))
    if case.destroyed:
        fields.append((tr("destroyed", lang), case.destroyed.isoformat()))
    consultations = [
        (
            c.date.isoformat(),
            " · ".join(
                x
                for x in (
                    tr("minutes", lang, n=c.minutes),
                    voc.label("channel", c.channel, lang) if c.channel else "",
                )
                if x
            ),
            clean_text(c.notes).strip(),
        )
        for c in case.consultations
    ]
    timeline = []
    for entry in desk.timeline(org_id, case_id):
        detail = []
        if entry.minutes:
            detail.append(tr("minutes", lang, n=entry.minutes))
        if entry.channel:
            detail.append(voc.label("channel", entry.channel, lang))
        timeline.append((entry.date.isoformat(), tr(f"ev_{entry.kind}", lang), " · ".join(detail)))
    return Dossier(
        lang=lang,
        title=tr("title", lang, code=case.code),
        organisation=org.name,
        made=today or date.today(),
        fields=fields,
        notes=clean_text(case.notes).strip(),
        destroyed_note=tr("destroyed_note", lang, date=case.destroyed.isoformat())
        if case.destroyed
        else None,
        consultations=consultations,
        timeline=timeline,
    )


# -- Markdown ------------------------------------------------------------------------------


def _fenced(text: str) -> list[str]:
    """User text shown literally: in a fence longer than any backtick run inside."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return [fence + "text", text, fence]


def _md_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|")


def to_markdown(d: Dossier) -> str:
    lang = d.lang
    lines = [
        f"# {d.title}",
        "",
        tr("subtitle", lang),
        "",
        f"- {tr('organisation', lang)}: {_md_cell(clean_line(d.organisation))}",
        f"- {tr('made', lang)}: {d.made.isoformat()}",
        "",
        f"## {tr('fields', lang)}",
        "",
        "| | |",
        "|---|---|",
    ]
    lines += [f"| {_md_cell(k)} | {_md_cell(v)} |" for k, v in d.fields]
    lines += ["", f"## {tr('notes', lang)}", ""]
    if d.destroyed_note:
        lines += [d.destroyed_note, ""]
    lines += (_fenced(d.notes) if d.notes else [tr("no_notes", lang)]) + [""]
    lines += [f"## {tr('consultations', lang)}", ""]
    if not d.consultations:
        lines += [tr("no_consultations", lang), ""]
    for heading, meta, notes in d.consultations:
        lines += [f"### {heading}", "", meta, ""]
        lines += (_fenced(notes) if notes else [tr("no_notes", lang)]) + [""]
    lines += [f"## {tr('timeline', lang)}", "", "| | | |", "|---|---|---|"]
    lines += [f"| {a} | {_md_cell(b)} | {_md_cell(c)} |" for a, b, c in d.timeline]
    lines += ["", f"_{tr('footer', lang)}_", ""]
    return "\n".join(lines)


# -- PDF -----------------------------------------------------------------------------------


def _font_paths() -> tuple[Path, Path] | None:
    """A Unicode TTF (regular, bold): one shipped with vp_desk, else DejaVu if installed."""
    here = Path(__file__).resolve().parent.parent / "reports" / "fonts"
    candidates = [(here / "DejaVuSans.ttf", here / "DejaVuSans-Bold.ttf")]
    for base in (
        "/usr/share/fonts/truetype/dejavu",
        "/usr/share/fonts/dejavu",
        "/usr/share/fonts/TTF",
        "/Library/Fonts",
    ):
        candidates.append((Path(base) / "DejaVuSans.ttf", Path(base) / "DejaVuSans-Bold.ttf"))
    for regular, bold in candidates:
        if regular.is_file():
            return regular, bold if bold.is_file() else regular
    return None


def to_pdf(d: Dossier) -> bytes:
    # fpdf2 logs the characters a font lacks (a warning that Python prints on
    # stderr when logging is not set up): that would put note text on stderr.
    fpdf_log = logging.getLogger("fpdf")
    level = fpdf_log.level
    fpdf_log.setLevel(logging.ERROR)
    try:
        return _pdf(d)
    finally:
        fpdf_log.setLevel(level)


def _pdf(d: Dossier) -> bytes:
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, margin=18)
    fonts = _font_paths()
    if fonts:
        pdf.add_font("body", "", str(fonts[0]))
        pdf.add_font("body", "B", str(fonts[1]))
        family = "body"

        def safe(text: str) -> str:
            return text
    else:  # pragma: no cover - a system without any Unicode font
        family = "helvetica"

        def safe(text: str) -> str:
            return text.encode("latin-1", "replace").decode("latin-1")

    lang = d.lang
    pdf.set_title(d.title)
    pdf.set_creator("vp_desk")
    pdf.add_page()

    def para(text: str, size: float = 10, style: str = "", gap: float = 1.5) -> None:
        pdf.set_font(family, style, size)
        pdf.multi_cell(0, size * 0.5, safe(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(gap)

    para(d.title, 18, "B", 2)
    para(tr("subtitle", lang), 10)
    para(
        f"{tr('organisation', lang)}: {clean_line(d.organisation)}    "
        f"{tr('made', lang)}: {d.made.isoformat()}",
        10,
        "",
        4,
    )
    para(tr("fields", lang), 13, "B")
    width = pdf.epw * 0.38
    for label, value in d.fields:
        pdf.set_font(family, "B", 10)
        y = pdf.get_y()
        pdf.multi_cell(width, 5, safe(label), new_x=XPos.RIGHT, new_y=YPos.TOP)
        pdf.set_font(family, "", 10)
        pdf.multi_cell(0, 5, safe(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_y(max(pdf.get_y(), y + 5))
    pdf.ln(4)
    para(tr("notes", lang), 13, "B")
    if d.destroyed_note:
        para(d.destroyed_note)
    para(d.notes or tr("no_notes", lang), 10, "", 4)
    para(tr("consultations", lang), 13, "B")
    if not d.consultations:
        para(tr("no_consultations", lang))
    for heading, meta, notes in d.consultations:
        para(f"{heading}  ({meta})", 11, "B", 0.5)
        para(notes or tr("no_notes", lang), 10, "", 3)
    para(tr("timeline", lang), 13, "B")
    for when, event, detail in d.timeline:
        para(f"{when}   {event}" + (f"   ({detail})" if detail else ""), 10, "", 0.5)
    pdf.ln(6)
    para(tr("footer", lang), 8, "")
    return bytes(pdf.output())


# -- writing --------------------------------------------------------------------------------


def render(
    desk: Desk, org_id: int, case_id: int, fmt: str, lang: str, today: date | None = None
) -> bytes:
    if fmt not in FORMATS:
        raise UsageError(key="err_md_or_pdf")
    dossier = build(desk, org_id, case_id, lang, today)
    return to_markdown(dossier).encode("utf-8") if fmt == "md" else to_pdf(dossier)


def record_export(desk: Desk, org_id: int, code: str, fmt: str) -> None:
    desk.record_event(org_id, "export", f"dossier {code} {fmt}")


def export_dossier(
    desk: Desk,
    org_id: int,
    case_id: int,
    fmt: str,
    out: Path,
    lang: str,
    today: date | None = None,
) -> Path:
    """Write the dossier to ``out`` (0600, atomically) and record the export."""
    data = render(desk, org_id, case_id, fmt, lang, today)
    out = Path(out).expanduser()
    if out.is_dir():
        raise UsageError(key="err_is_folder", path=out)
    if not out.parent.is_dir():
        raise UsageError(key="err_no_folder", path=out.parent)
    atomic_write(out, data, what=message("what_dossier"))
    record_export(desk, org_id, desk.get_case(org_id, case_id).code, fmt)
    return out


def default_name(code: str, fmt: str) -> str:
    return f"dossier-{code}.{fmt}"
