"""Texts and small helpers shared by the report screen and the portfolio screen."""

from __future__ import annotations

from datetime import date

from vp_desk.i18n import register

DRAFT_KIND = "report_texts"

STRINGS = {
    "subtitle": ("Jaarverslag {year}", "Annual report {year}"),
    "tab_preview": ("Voorbeeld", "Preview"),
    "tab_texts": ("Teksten", "Texts"),
    "tab_export": ("Exporteren", "Export"),
    "year": ("Jaar", "Year"),
    "loading": ("Het verslag wordt opgesteld…", "Drawing up the report…"),
    "heading": ("{org} · {year} · drempel {k}", "{org} · {year} · threshold {k}"),
    "as_employer": (
        "Zo ziet de werkgever het verslag: kleine aantallen zijn afgeschermd.",
        "This is the report as the employer sees it: small numbers are protected.",
    ),
    "issued": ("Eerder geschreven (grootboek): {dates}", "Written before (ledger): {dates}"),
    "not_issued": ("Nog geen verslag geschreven.", "No report written yet."),
    "isolating": (
        "Let op: sinds het verslag van {date} zijn cijfers veranderd op een manier "
        "die minder dan {k} meldingen betreft ({figures}). Opnieuw uitbrengen kan "
        "alleen met de cijfers over meldingen weggelaten (Exporteren), of wacht tot "
        "de wijzigingen ten minste {k} meldingen betreffen.",
        "Note: since the report of {date} figures changed in a way that concerns "
        "fewer than {k} cases ({figures}). Issuing again is only possible with the "
        "case figures withheld (Export), or wait until the changes concern at least "
        "{k} cases.",
    ),
    "signals_help": (
        "Signalen: patronen en risico's die u ziet (geen namen, geen details "
        "die iemand herkenbaar maken).",
        "Signals: patterns and risks you see (no names, no details that make anyone recognisable).",
    ),
    "recs_help": (
        "Aanbevelingen aan de werkgever, bijvoorbeeld over preventie.",
        "Recommendations to the employer, for example on prevention.",
    ),
    "pii_none": ("Geen persoonsgegevens gevonden.", "No personal data found."),
    "pii_found": (
        "Lijkt persoonsgegevens te bevatten: {items}. Pas de tekst aan of bevestig "
        "dat hij zo naar de werkgever mag.",
        "Seems to contain personal data: {items}. Edit the text or confirm that it "
        "may go to the employer as it is.",
    ),
    "pii_confirmed": (
        "Bevestigd: deze tekst mag zo mee, ondanks: {items}.",
        "Confirmed: this text may go out as it is, despite: {items}.",
    ),
    "line": ("regel {n}", "line {n}"),
    "save": ("Opslaan (ctrl+s)", "Save (ctrl+s)"),
    "confirm": ("Tekst bevestigen", "Confirm text"),
    "saved": ("De teksten zijn opgeslagen (versleuteld).", "The texts were saved (encrypted)."),
    "confirmed": ("De tekst is bevestigd.", "The text was confirmed."),
    "format": ("Formaat", "Format"),
    "path": ("Bestand", "File"),
    "final": (
        "Definitief (anders een CONCEPT; beide komen in het grootboek)",
        "Final (else a DRAFT; both go into the ledger)",
    ),
    "not_replaced": (
        "Niets geschreven: het bestand bestaat al.",
        "Nothing written: the file exists.",
    ),
    "hours_button": ("Uren en urenspecificatie…", "Hours and invoice specification…"),
    "withhold": (
        "Gewijzigde cijfers over meldingen weglaten (na een eerder verslag)",
        "Withhold changed case figures (after an earlier report)",
    ),
    "export": ("Exporteren", "Export"),
    "exporting": ("Bezig met exporteren…", "Exporting…"),
    "exported": ("Geschreven naar {path}.", "Written to {path}."),
    "recorded": (" Vastgelegd in het grootboek.", " Recorded in the ledger."),
    "unchanged": (" Het grootboek had deze cijfers al.", " The ledger already had these figures."),
    "withheld_done": (
        " De cijfers over meldingen zijn weggelaten.",
        " The case figures were withheld.",
    ),
    "text_refused": (
        "Niet geëxporteerd: {items}. Pas de tekst aan of bevestig hem (tab Teksten).",
        "Not exported: {items}. Edit the text or confirm it (Texts tab).",
    ),
    "ledger_refused": (
        "Niet geëxporteerd: een verslag van {year} is al geschreven op {date} en "
        "de wijzigingen betreffen minder dan {k} meldingen ({figures}). Vink "
        "'weglaten' aan, of houd het uitgebrachte verslag aan.",
        "Not exported: a report for {year} was already written on {date} and the "
        "changes concern fewer than {k} cases ({figures}). Tick 'withhold', or "
        "keep the issued report.",
    ),
    "failed": ("Niet gelukt: {error}", "That did not work: {error}"),
    "no_path": ("Geef een bestandsnaam.", "Give a file name."),
    "key.back": ("Terug", "Back"),
    "key.save": ("Opslaan", "Save"),
    "key.export": ("Exporteren", "Export"),
    "key.portfolio": ("Portefeuille", "Portfolio"),
    "key.prev": ("Vorig jaar", "Previous year"),
    "key.next": ("Volgend jaar", "Next year"),
    "key.all_reports": ("Alle verslagen", "All reports"),
    "draft_label": ("Jaarverslag: teksten en export", "Annual report: texts and export"),
    # portfolio
    "portfolio_title": ("Portefeuille {year}", "Portfolio {year}"),
    "portfolio_intro": (
        "Alleen voor uzelf: echte aantallen en uren per organisatie. Dit "
        "overzicht is nooit onderdeel van een jaarverslag.",
        "For your own use only: true counts and hours per organisation. This "
        "overview is never part of an annual report.",
    ),
    "col_org": ("Organisatie", "Organisation"),
    "col_employees": ("Medewerkers", "Employees"),
    "col_new": ("Nieuw", "New"),
    "col_open": ("Open", "Open"),
    "col_contacts": ("Contacten", "Contacts"),
    "col_case_hours": ("Uren casus", "Case hours"),
    "col_act_hours": ("Uren activ.", "Activity h."),
    "col_total": ("Totaal uren", "Total hours"),
    "total": ("Totaal", "Total"),
}

register("vp_desk.tui.screens.report_strings", STRINGS)

FORMAT_LABELS = (
    ("Markdown (.md)", "md"),
    ("HTML (.html)", "html"),
    ("PDF (.pdf)", "pdf"),
    ("Word (.docx)", "docx"),
    ("CSV (.csv)", "csv"),
    ("JSON (.json)", "json"),
)


def default_year(today: date) -> int:
    """Early in the year the adviser writes about the year before."""
    return today.year - 1 if today.month <= 6 else today.year


def _slug(text: str) -> str:
    out = "".join(ch.lower() if ch.isalnum() else "-" for ch in text)
    return "-".join(part for part in out.split("-") if part)[:40] or "organisatie"


def _short(label: str, width: int = 22) -> str:
    return label if len(label) <= width else label[: width - 1] + "…"
