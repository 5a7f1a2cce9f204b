"""Words of the annual report in Dutch and English.

``s(key, lang, **params)`` picks and formats one. Labels of codes come from
``vp_desk.vocabulary``; only report-specific words live here.
"""

from __future__ import annotations

from typing import Any

from vp_desk.i18n import format_hours, format_number, lookup, register

STRINGS: dict[str, tuple[str, str]] = {
    "title": ("Jaarverslag vertrouwenspersoon", "Annual report of the confidential adviser"),
    "subtitle": ("{organisation}, {year}", "{organisation}, {year}"),
    "draft_mark": ("CONCEPT", "DRAFT"),
    "final_mark": ("DEFINITIEF", "FINAL"),
    "status": ("Status", "Status"),
    "draft_title": ("CONCEPT - {title}", "DRAFT - {title}"),
    "key_figures": ("Kerncijfers", "Key figures"),
    "organisation": ("Organisatie", "Organisation"),
    "year": ("Jaar", "Year"),
    "adviser": ("Vertrouwenspersoon", "Confidential adviser"),
    "adviser_internal": ("intern", "internal"),
    "adviser_external": ("extern", "external"),
    "employees": ("Aantal medewerkers", "Number of employees"),
    "new_cases": ("Nieuwe meldingen", "New cases"),
    "open_at_year_end": ("Lopend aan het eind van het jaar", "Open at the end of the year"),
    "consultations": ("Contactmomenten", "Contact moments"),
    "contacts_per_100": ("Meldingen per 100 medewerkers", "Cases per 100 employees"),
    "hours_cases": ("Uren aan meldingen", "Hours on cases"),
    "hours_activities": (
        "Uren aan preventie en andere activiteiten",
        "Hours on prevention and other activities",
    ),
    "hours_total": ("Uren totaal", "Hours in total"),
    "hours_agreed": ("Uren t.o.v. aanstelling", "Hours against the appointment"),
    "hours_of_agreed": ("{hours} van {agreed} afgesproken", "{hours} of {agreed} agreed"),
    "fewer_than": ("minder dan {k}", "fewer than {k}"),
    "not_published": ("niet gepubliceerd", "not published"),
    "hidden_value": ("afgeschermd", "hidden"),
    "withheld": ("niet opnieuw gepubliceerd", "not published again"),
    "figure": ("Onderwerp", "Item"),
    "value": ("Waarde", "Value"),
    "count": ("Aantal", "Count"),
    "category": ("Categorie", "Category"),
    "minutes": ("Minuten", "Minutes"),
    "hours": ("Uren", "Hours"),
    "total": ("Totaal", "Total"),
    "tables": ("Meldingen uitgesplitst", "Cases broken down"),
    "no_breakdown": (
        "Er is geen uitsplitsing van de meldingen: daarvoor waren er te weinig.",
        "There is no breakdown of the cases: there were too few for that.",
    ),
    "activities": ("Preventie en andere activiteiten", "Prevention and other activities"),
    "activity": ("Activiteit", "Activity"),
    "no_activities": ("Geen activiteiten vastgelegd.", "No activities recorded."),
    "signals": ("Signalen", "Signals"),
    "recommendations": ("Aanbevelingen", "Recommendations"),
    "no_text": ("(geen)", "(none)"),
    "protection": ("Bescherming van kleine aantallen", "How small numbers were protected"),
    "merged_label": ("Alle categorieën samen", "All categories combined"),
    "merged_members": ("bestaat uit: {members}", "consists of: {members}"),
    "none_label": ("Niet vastgelegd", "Not recorded"),
    "none_outcome": ("Nog lopend of niet vastgelegd", "Ongoing or not recorded"),
    "quarter_label": ("Kwartaal {q}", "Quarter {q}"),
    "multi_hint": (
        "Een melding kan in meer rijen voorkomen.",
        "A case can appear in more than one row.",
    ),
    "generated": ("Opgesteld op {date}", "Drawn up on {date}"),
    "chart_alt": ("Staafdiagram: {title}", "Bar chart: {title}"),
    "csv_table": ("tabel", "table"),
    # notes on disclosure control ------------------------------------------------------
    "note_threshold": (
        "Aantallen van 1 tot en met {km1} staan er als 'minder dan {k}': zo is niemand "
        "herkenbaar. Een 0 betekent echt geen enkele melding.",
        "Counts from 1 to {km1} are shown as 'fewer than {k}', so that nobody can be "
        "recognised. A 0 means there was no case at all.",
    ),
    "note_small_org": (
        "Er waren minder dan {k} nieuwe meldingen. Daarom staat er geen uitsplitsing in dit "
        "verslag, alleen het preventiewerk, de uren en de aanbevelingen.",
        "There were fewer than {k} new cases. This report therefore has no breakdown, only "
        "the prevention work, the hours and the recommendations.",
    ),
    "note_secondary": (
        "Ook uit optellen en aftrekken van de gepubliceerde getallen is geen klein aantal af "
        "te leiden; waar dat wel kon, zijn categorieën samengevoegd.",
        "No small count can be worked out by adding up or subtracting the published numbers; "
        "where that was possible, categories were combined.",
    ),
    "note_merged": (
        "{table}: niet uitgesplitst, omdat een klein aantal anders af te leiden zou zijn uit de "
        "andere getallen; alle categorieën staan samen.",
        "{table}: not broken down, because a small count could otherwise be worked out from "
        "the other numbers; all categories are combined.",
    ),
    "note_hidden": (
        "'Afgeschermd' betekent: dit aantal staat er niet. Bij hulp en doorverwijzingen is het "
        "dan 1 tot en met {km1}, of zo groot dat er minder dan {k} meldingen buiten vallen; in "
        "de andere tabellen is het {k} of meer en afgeschermd, zodat een klein aantal niet af "
        "te leiden is.",
        "'Hidden' means this count is not shown. For help and referrals it is then 1 to {km1}, "
        "or so large that fewer than {k} cases fall outside it; in the other tables it is {k} "
        "or more and hidden so that a small count cannot be worked out.",
    ),
    "note_complementary": (
        "{table}: één categorie met {k} of meer meldingen is ook afgeschermd, zodat de kleine "
        "aantallen niet uit de andere getallen af te leiden zijn.",
        "{table}: one category with {k} or more cases is hidden as well, so that the small "
        "counts cannot be worked out from the other numbers.",
    ),
    "note_zeros_merged": (
        "{table}: de categorieën zonder meldingen staan er met 0; de andere zijn samengevoegd, "
        "omdat een klein aantal anders af te leiden zou zijn.",
        "{table}: the categories without cases are shown as 0; the others are combined, "
        "because a small count could otherwise be worked out.",
    ),
    "note_open_withheld": (
        "Het aantal lopende meldingen aan het eind van het jaar staat er niet in, omdat de "
        "meldingen zonder vervolg in de tabel met het vervolg niet apart staan: een melding "
        "zonder vervolg loopt nog, dus dat aantal zou iets over die tabel verraden.",
        "The number of cases open at the end of the year is not given, because the cases "
        "without an outcome are not shown separately in the outcome table: a case without an "
        "outcome is still open, so that number would tell something about the table.",
    ),
    "note_hours_contacts": (
        "Er waren minder dan {k} contactmomenten; daarom staan de uren aan meldingen er niet "
        "in (uit de uren is anders af te leiden hoeveel contactmomenten het minstens waren).",
        "There were fewer than {k} contact moments, so the hours on cases are not given (they "
        "would show how many contact moments there were at least).",
    ),
    "note_quarters": (
        "Een uitsplitsing naar kwartaal staat er alleen in als elk kwartaal ten minste {k} "
        "meldingen telt; een nieuwe versie van een verslag over hetzelfde jaar volgt daarin "
        "de eerste versie.",
        "A breakdown by quarter is only given when every quarter has at least {k} cases; a "
        "new version of a report on the same year follows the first version in this.",
    ),
    "note_quarters_kept": (
        "De uitsplitsing naar kwartaal stond in een eerder verslag over dit jaar; daarom staat "
        "ze er weer, ook als een kwartaal nu minder dan {k} meldingen telt (dan staat er "
        "'minder dan {k}').",
        "The breakdown by quarter was in an earlier report on this year, so it is given again, "
        "also when a quarter now has fewer than {k} cases (it then says 'fewer than {k}').",
    ),
    "note_outcome_earlier": (
        "{table}: een eerder verslag over dit jaar liet zien hoeveel meldingen nog geen "
        "vervolg hadden of nog liepen. Samen met dit verslag zou dat een kleine groep kunnen "
        "verraden; daarom staan alle categorieën samen.",
        "{table}: an earlier report on this year showed how many cases had no outcome yet or "
        "were still open. Together with this report that could give away a small group, so "
        "all categories are combined.",
    ),
    "note_hours_invoiced": (
        "De uren aan meldingen van dit jaar zijn al per maand gefactureerd; ze staan er "
        "daarom in, afgerond op halve uren.",
        "The hours on cases of this year were already invoiced month by month, so they are "
        "given, rounded to half hours.",
    ),
    "note_contacts_invoiced": (
        "Het aantal contactmomenten staat er niet in: naast de gefactureerde uren aan "
        "meldingen (een contactmoment duurt hoogstens 24 uur) zou het te nauw af te leiden "
        "zijn.",
        "The number of contact moments is not given: beside the invoiced hours on cases (a "
        "contact moment lasts at most 24 hours) it could be narrowed down too far.",
    ),
    "note_multi": (
        "Bij hulp en doorverwijzingen kan één melding meerdere keren voorkomen; deze tabellen "
        "tellen daarom niet op tot het aantal meldingen.",
        "A case can have several kinds of help and referrals, so those tables do not add up "
        "to the number of cases.",
    ),
    "note_hours": (
        "Uren zijn afgerond op halve uren. Uren zeggen niets over het aantal personen.",
        "Hours are rounded to half hours. Hours say nothing about the number of people.",
    ),
    "note_withheld": (
        "Na het verslag van {issued} zijn enkele gegevens over meldingen gewijzigd. Omdat de "
        "verschillen minder dan {k} meldingen betreffen, worden de cijfers over meldingen niet "
        "opnieuw gepubliceerd; de cijfers uit dat verslag blijven gelden.",
        "Some case data changed after the report of {issued}. Because the differences concern "
        "fewer than {k} cases, the case figures are not published again; the figures of that "
        "report stand.",
    ),
    "note_hours_hidden": (
        "Er waren minder dan {k} nieuwe meldingen; daarom staan ook de uren aan meldingen er "
        "niet in (ook 0 uur zou iets zeggen). De uren aan preventie staan er wel.",
        "There were fewer than {k} new cases, so the hours on cases are not given either "
        "(even 0 hours would say something). The hours on prevention are given.",
    ),
    "note_hours_disclosed": (
        "De vertrouwenspersoon heeft ervoor gekozen de uren aan meldingen voor deze organisatie "
        "bekend te maken (bijvoorbeeld omdat ze gefactureerd worden). Daaruit is af te leiden "
        "of er in dit jaar aan meldingen is gewerkt.",
        "The confidential adviser chose to disclose the hours on cases for this organisation "
        "(for example because they are invoiced). They show whether there was casework in "
        "this year.",
    ),
    # hours for invoicing ------------------------------------------------------------------
    "hours_title": ("Uren {organisation}", "Hours {organisation}"),
    "hours_period": ("Periode {start} tot en met {end}", "Period {start} to {end}"),
    "hours_cases_row": ("Meldingen (contactmomenten)", "Cases (contact moments)"),
    "number": ("Aantal", "Number"),
    "hours_own_use": (
        "Alleen voor uzelf: exacte minuten per dag kunnen één contact verraden. Stuur de "
        "werkgever een urenspecificatie (--invoice).",
        "For your own use only: exact minutes per day can give away a single contact. Send "
        "the employer an invoice specification (--invoice).",
    ),
    "invoice_title": ("Urenspecificatie {organisation}", "Hours specification {organisation}"),
    "invoice_combined": (
        "Uren vertrouwenspersoon (meldingen en preventie samen)",
        "Hours of the confidential adviser (cases and prevention combined)",
    ),
    "invoice_note": (
        "Afgerond op halve uren, per hele maand.",
        "Rounded to half hours, per whole month.",
    ),
    "period": ("Periode", "Period"),
    # portfolio ------------------------------------------------------------------------
    "portfolio": ("Portefeuille (alleen voor uzelf)", "Portfolio (for your own use only)"),
}


register("vp_desk.reports.strings", STRINGS)


def s(key: str, lang: str, /, *, count: object = None, **params: object) -> str:
    return lookup(STRINGS, key, lang, count=count, **params)


def fewer_than(k: int, lang: str) -> str:
    return s("fewer_than", lang, k=k)


def hidden_text(row: dict[str, Any], k: int, lang: str) -> str:
    """What a hidden row shows: "fewer than k", or "hidden" where the rule says so."""
    if row.get("suppressed_as") == "hidden":
        return s("hidden_value", lang)
    return fewer_than(k, lang)


def hours_text(hours: float | None, lang: str) -> str:
    """Hours with one decimal, a decimal comma in Dutch."""
    if hours is None:
        return s("not_published", lang)
    return format_hours(hours, lang)


def number_text(value: float | int, lang: str, decimals: int = 0) -> str:
    return format_number(value, lang, decimals)
